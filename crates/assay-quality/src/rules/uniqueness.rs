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
    let what = format!("({}) repeats", columns.join(", "));
    Ok(match columns {
        [one] => Plan::Rows {
            fails: col(one.as_str())
                .is_duplicated()
                .and(col(one.as_str()).is_not_null()),
            columns: columns.to_vec(),
            what,
        },
        // Hashing the key to one u64 is several times faster than comparing encoded rows; a
        // collision can only add candidates, which the engine then recounts exactly.
        many => {
            let key = as_struct(many.iter().map(|c| col(c.as_str())).collect());
            Plan::Candidates {
                fails: combined_hash(many).is_duplicated(),
                exact: key.is_duplicated(),
                columns: columns.to_vec(),
                what,
            }
        }
    })
}

/// One u64 per row from the key columns: each column hashed on its own (vectorised), then
/// mixed with odd multipliers and XOR (wrapping arithmetic). Equal keys give equal hashes.
fn combined_hash(columns: &[String]) -> Expr {
    let mut acc: Option<Expr> = None;
    for (i, c) in columns.iter().enumerate() {
        let h = col(c.as_str()).hash(0x5EED, 0xA55A, 0xC0DE, 0xBEEF + i as u64);
        let mixed = h * lit(0x9E37_79B9_7F4A_7C15u64.wrapping_add(2 * i as u64));
        acc = Some(match acc {
            Some(a) => a.xor(mixed),
            None => mixed,
        });
    }
    acc.unwrap_or_else(|| lit(0u64))
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
