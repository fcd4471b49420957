//! Uniqueness: `unique` over one column or a compound key (row-level: every row of a repeated
//! key fails) and `unique_fraction` (aggregate: distinct present values / present values).

use polars::prelude::*;

use super::{Ctx, Plan, column};
use crate::suite::Range;

/// `unique: column` or `unique: [a, b, ...]`. For one column, missing values are not compared
/// (as in Great Expectations); for a compound key, missing values compare equal.
pub(crate) fn unique(ctx: &Ctx, columns: &[String]) -> Result<Plan, String> {
    for c in columns {
        column(ctx, c)?;
    }
    let fails = match columns {
        [one] => col(one.as_str())
            .is_duplicated()
            .and(col(one.as_str()).is_not_null()),
        many => as_struct(many.iter().map(|c| col(c.as_str())).collect()).is_duplicated(),
    };
    Ok(Plan::Rows {
        fails,
        columns: columns.to_vec(),
        what: format!("({}) repeats", columns.join(", ")),
    })
}

/// `unique_fraction: {column, min, max}`.
pub(crate) fn fraction(ctx: &Ctx, name: &str, range: Range) -> Result<Plan, String> {
    column(ctx, name)?;
    let present = col(name).drop_nulls();
    let share = present.clone().n_unique().cast(DataType::Float64)
        / present.count().cast(DataType::Float64);
    Ok(Plan::Value {
        value: share,
        range,
        what: format!("distinct share of {name}"),
    })
}
