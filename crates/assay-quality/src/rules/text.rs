//! Text rules: `regex` (search semantics, as Great Expectations; anchor with `^...$`) and
//! `length` (in characters). Missing values never fail these.

use polars::prelude::*;

use super::{Ctx, Plan, outside, text};
use crate::suite::Range;

/// `regex: {column, pattern}`. The pattern was validated when the suite was parsed.
pub(crate) fn regex(ctx: &Ctx, name: &str, pattern: &str) -> Result<Plan, String> {
    let x = text(ctx, name)?;
    Ok(Plan::Rows {
        fails: x.str().contains(lit(pattern), true).not().fill_null(false),
        columns: vec![name.to_string()],
        what: format!("{name} does not match /{pattern}/"),
    })
}

/// `length: {column, min, max}`.
pub(crate) fn length(ctx: &Ctx, name: &str, range: Range) -> Result<Plan, String> {
    let x = text(ctx, name)?.str().len_chars().cast(DataType::Float64);
    Ok(Plan::Rows {
        fails: outside(x, range).fill_null(false),
        columns: vec![name.to_string()],
        what: format!("length of {name} outside {}", range.describe()),
    })
}
