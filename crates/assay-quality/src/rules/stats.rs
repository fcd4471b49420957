//! Column statistics bounded by a range: `mean`, `min`, `max`, `median`, `stddev` (n - 1),
//! `sum` and `quantile` (linear interpolation), over present values.

use polars::prelude::*;

use super::{Ctx, Plan, numeric};
use crate::suite::{Range, Stat};

/// `<stat>: {column, min, max}` (and `q` for `quantile`).
pub(crate) fn stat(ctx: &Ctx, stat: Stat, name: &str, range: Range) -> Result<Plan, String> {
    let x = numeric(ctx, name)?;
    let value = match stat {
        Stat::Mean => x.mean(),
        Stat::Min => x.min(),
        Stat::Max => x.max(),
        Stat::Median => x.median(),
        Stat::Stddev => x.std(1),
        Stat::Sum => x.sum(),
        Stat::Quantile(q) => x.quantile(lit(q), QuantileMethod::Linear),
    };
    let what = match stat {
        Stat::Quantile(q) => format!("quantile {q} of {name}"),
        other => format!("{} of {name}", other.key()),
    };
    Ok(Plan::Value { value, range, what })
}
