//! Custom predicates: `expression` is a polars SQL boolean expression that must hold on every
//! row (`arr_delay < 1500`, `dest <> origin`, `CASE ... END`); rows where it is null pass.

use polars::prelude::*;

use super::{Ctx, Plan, first_line};

/// `expression: <sql>`.
pub(crate) fn expression(ctx: &Ctx, sql: &str) -> Result<Plan, String> {
    let predicate = polars::sql::sql_expr(sql)
        .map_err(|e| format!("not a SQL expression: {}", first_line(&e.to_string())))?;
    let mut columns: Vec<String> = Vec::new();
    for e in &predicate {
        if let Expr::Column(name) = e
            && ctx.schema.contains(name)
            && !columns.iter().any(|c| c == name.as_str())
        {
            columns.push(name.to_string());
        }
    }
    columns.reverse();
    Ok(Plan::Rows {
        fails: predicate.not().fill_null(false),
        columns,
        what: format!("not ({sql})"),
    })
}
