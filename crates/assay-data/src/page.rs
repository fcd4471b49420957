//! Pages of a table for the browser: sort, filter and free-text search run in the engine, and
//! only the rows of one page are materialised.

use polars::prelude::*;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{ColumnSchema, DataError, any_to_json, schema_of};

/// Sort by one column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SortKey {
    /// Column name.
    pub column: String,
    /// Largest first.
    #[serde(default)]
    pub descending: bool,
}

/// Comparison of a filter clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FilterOp {
    /// Equal.
    Eq,
    /// Not equal.
    Ne,
    /// Less than.
    Lt,
    /// Less than or equal.
    Le,
    /// Greater than.
    Gt,
    /// Greater than or equal.
    Ge,
    /// Text contains (case-insensitive).
    Contains,
    /// Missing.
    IsNull,
    /// Present.
    IsNotNull,
}

/// One clause of the filter builder; clauses are combined with AND.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Filter {
    /// Column name.
    pub column: String,
    /// Comparison.
    pub op: FilterOp,
    /// Value to compare with (not used by is_null / is_not_null).
    #[ts(optional)]
    #[serde(default)]
    pub value: Option<serde_json::Value>,
}

/// Which rows to fetch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PageQuery {
    /// First row (0-based) of the page, after filtering and sorting.
    #[ts(type = "number")]
    #[serde(default)]
    pub offset: u64,
    /// Rows in the page (at most 5,000).
    #[serde(default = "default_limit")]
    pub limit: u32,
    /// Sort keys, most significant first.
    #[serde(default)]
    pub sort: Vec<SortKey>,
    /// Filter clauses (AND).
    #[serde(default)]
    pub filters: Vec<Filter>,
    /// Case-insensitive text searched in every column.
    #[ts(optional)]
    #[serde(default)]
    pub search: Option<String>,
}

fn default_limit() -> u32 {
    200
}

/// One page of rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Page {
    /// The columns.
    pub columns: Vec<ColumnSchema>,
    /// Rows of cells (JSON values), in column order.
    pub rows: Vec<Vec<serde_json::Value>>,
    /// Offset of the first row.
    #[ts(type = "number")]
    pub offset: u64,
    /// Rows matching the filters and search, in all.
    #[ts(type = "number")]
    pub total_rows: u64,
}

const MAX_LIMIT: u32 = 5_000;

/// Applies filters, search and sort to `lf` and returns the requested page.
pub fn page(mut lf: LazyFrame, q: &PageQuery) -> Result<Page, DataError> {
    if q.limit > MAX_LIMIT {
        return Err(DataError::Invalid(format!(
            "a page holds at most {MAX_LIMIT} rows, not {}",
            q.limit
        )));
    }
    let columns = schema_of(&mut lf, "reading the schema")?;
    let known = |c: &str| {
        columns
            .iter()
            .any(|s| s.name == c)
            .then_some(())
            .ok_or_else(|| DataError::UnknownColumn {
                column: c.to_string(),
            })
    };
    for f in &q.filters {
        known(&f.column)?;
        lf = lf.filter(filter_expr(f)?);
    }
    if let Some(text) = q.search.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        lf = lf.filter(search_expr(&columns, text));
    }
    for s in &q.sort {
        known(&s.column)?;
    }
    if !q.sort.is_empty() {
        let by: Vec<PlSmallStr> = q.sort.iter().map(|s| s.column.as_str().into()).collect();
        let desc: Vec<bool> = q.sort.iter().map(|s| s.descending).collect();
        lf = lf.sort(
            by,
            SortMultipleOptions::default()
                .with_order_descending_multi(desc)
                .with_nulls_last(true)
                .with_maintain_order(true),
        );
    }
    let total_rows =
        crate::row_count(lf.clone()).map_err(|e| DataError::engine("counting rows", e))?;
    let df = lf
        .slice(q.offset as i64, q.limit)
        .collect()
        .map_err(|e| DataError::engine("reading the page", e))?;
    Ok(Page {
        rows: rows_of(&df),
        columns,
        offset: q.offset,
        total_rows,
    })
}

/// Every row of a (small) frame as JSON cells.
pub fn rows_of(df: &DataFrame) -> Vec<Vec<serde_json::Value>> {
    let cols = df.columns();
    (0..df.height())
        .map(|i| {
            cols.iter()
                .map(|c| c.get(i).map(|v| any_to_json(&v)).unwrap_or_default())
                .collect()
        })
        .collect()
}

fn filter_expr(f: &Filter) -> Result<Expr, DataError> {
    let c = col(f.column.as_str());
    let need = || {
        f.value.clone().ok_or_else(|| {
            DataError::Invalid(format!("the filter on '{}' needs a value", f.column))
        })
    };
    Ok(match f.op {
        FilterOp::IsNull => c.is_null(),
        FilterOp::IsNotNull => c.is_not_null(),
        FilterOp::Contains => {
            let v = need()?;
            let text = v
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| v.to_string());
            c.cast(DataType::String)
                .str()
                .to_lowercase()
                .str()
                .contains_literal(lit(text.to_lowercase()))
        }
        op => {
            let v = value_lit(&need()?, &f.column)?;
            match op {
                FilterOp::Eq => c.eq(v),
                FilterOp::Ne => c.neq(v),
                FilterOp::Lt => c.lt(v),
                FilterOp::Le => c.lt_eq(v),
                FilterOp::Gt => c.gt(v),
                _ => c.gt_eq(v),
            }
        }
    })
}

fn value_lit(v: &serde_json::Value, column: &str) -> Result<Expr, DataError> {
    use serde_json::Value;
    Ok(match v {
        Value::Bool(b) => lit(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => lit(i),
            None => lit(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => lit(s.as_str()),
        _ => {
            return Err(DataError::Invalid(format!(
                "the filter on '{column}' needs a number, text or true/false"
            )));
        }
    })
}

fn search_expr(columns: &[ColumnSchema], text: &str) -> Expr {
    let needle = text.to_lowercase();
    columns
        .iter()
        .map(|c| {
            col(c.name.as_str())
                .cast(DataType::String)
                .str()
                .to_lowercase()
                .str()
                .contains_literal(lit(needle.clone()))
                .fill_null(lit(false))
        })
        .reduce(|a, b| a.or(b))
        .unwrap_or_else(|| lit(false))
}
