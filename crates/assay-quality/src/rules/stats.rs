//! Column statistics bounded by a range: `mean`, `min`, `max`, `median`, `stddev` (n - 1),
//! `sum` and `quantile` (linear interpolation), over present values.

use polars::prelude::*;

use super::{Ctx, Plan, numeric};
use crate::suite::{Range, Stat};

/// `<stat>: {column, min, max}` (and `q` for `quantile`).
pub(crate) fn stat(ctx: &Ctx, stat: Stat, name: &str, range: Range) -> Result<Plan, String> {
    let x = numeric(ctx, name)?;
    // Minimum, maximum and median are values of the column: taken before the cast to f64.
    let value = match stat {
        Stat::Mean => x.mean(),
        Stat::Min => col(name).min(),
        Stat::Max => col(name).max(),
        Stat::Median => median(col(name)),
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

/// The median of the present values (the mean of the two middle ones for an even count, as
/// polars' linear quantile), by selection in O(n) rather than a sort. Null when none.
fn median(x: Expr) -> Expr {
    apply_multiple(
        |columns: &mut [Column]| {
            let name = columns[0].name().clone();
            let values = columns[0].cast(&DataType::Float64)?;
            let values = values.f64()?;
            let values: Vec<f64> = if values.null_count() == 0 {
                let mut all = Vec::with_capacity(values.len());
                values
                    .downcast_iter()
                    .for_each(|arr| all.extend_from_slice(arr.values()));
                all
            } else {
                values.iter().flatten().collect()
            };
            Ok(Column::new(name, [middle(values)]))
        },
        [x],
        |_, fields| Ok(Field::new(fields[0].name().clone(), DataType::Float64)),
        true,
    )
}

/// The median of `values` (NaN sorts last, as in polars), or `None` when empty.
pub(crate) fn middle(mut values: Vec<f64>) -> Option<f64> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let order = |a: &f64, b: &f64| a.is_nan().cmp(&b.is_nan()).then(a.total_cmp(b));
    let (left, &mut upper, _) = values.select_nth_unstable_by(n / 2, order);
    if n % 2 == 1 {
        return Some(upper);
    }
    let lower = left.iter().copied().max_by(order).unwrap_or(upper);
    // Polars: proportion * (upper - lower) + lower, the proportion being 0.5.
    Some(if lower == upper {
        lower
    } else {
        0.5 * (upper - lower) + lower
    })
}

#[cfg(test)]
mod tests {
    use super::middle;

    #[test]
    fn middle_is_the_sorted_median() {
        let mut x = 99u64;
        for n in [1usize, 2, 3, 10, 101, 1_000] {
            let values: Vec<f64> = (0..n)
                .map(|_| {
                    x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    ((x >> 40) % 97) as f64 - 30.5
                })
                .collect();
            let mut sorted = values.clone();
            sorted.sort_by(f64::total_cmp);
            let expected = if n % 2 == 1 {
                sorted[n / 2]
            } else {
                (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
            };
            assert_eq!(middle(values), Some(expected), "n = {n}");
        }
        assert_eq!(middle(Vec::new()), None);
    }
}
