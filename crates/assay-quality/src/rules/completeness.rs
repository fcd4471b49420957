//! Completeness: `not_null` (row-level) and `missing_fraction` (aggregate). Missing means null,
//! and NaN for float columns (as in the profile).

use polars::prelude::*;

use super::{Ctx, Plan, column};
use crate::suite::Range;

/// True where the column's value is missing.
fn is_missing(ctx: &Ctx, name: &str) -> Result<Expr, String> {
    let dtype = column(ctx, name)?;
    let null = col(name).is_null();
    Ok(if dtype.is_float() {
        null.or(col(name).is_nan().fill_null(false))
    } else {
        null
    })
}

/// `not_null: column`.
pub(crate) fn not_null(ctx: &Ctx, name: &str) -> Result<Plan, String> {
    Ok(Plan::Rows {
        fails: is_missing(ctx, name)?,
        columns: vec![name.to_string()],
        what: format!("{name} is missing"),
    })
}

/// `missing_fraction: {column, min, max}`.
pub(crate) fn missing(ctx: &Ctx, name: &str, range: Range) -> Result<Plan, String> {
    let share = is_missing(ctx, name)?
        .cast(DataType::Float64)
        .mean()
        .fill_null(lit(0.0));
    Ok(Plan::Value {
        value: share,
        range,
        what: format!("missing share of {name}"),
    })
}
