use polars::prelude::*;
use polars::sql::SQLContext;

use crate::DataError;

/// Runs a polars SQL query over named tables (each a lazy frame); the result is lazy too.
pub fn sql(tables: Vec<(String, LazyFrame)>, query: &str) -> Result<LazyFrame, DataError> {
    if query.trim().is_empty() {
        return Err(DataError::Sql("the query is empty".into()));
    }
    let mut ctx = SQLContext::new();
    for (name, lf) in tables {
        ctx.register(&name, lf);
    }
    ctx.execute(query)
        .map_err(|e| DataError::Sql(e.to_string()))
}
