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
        // One u64 per row and a pre-sized hash table is several times faster than comparing
        // encoded rows; a collision can only add candidates, which the engine recounts exactly.
        many => {
            let key = as_struct(many.iter().map(|c| col(c.as_str())).collect());
            Plan::Candidates {
                fails: hash_repeats(many),
                exact: key.is_duplicated(),
                columns: columns.to_vec(),
                what,
            }
        }
    })
}

/// True on every row whose hashed key occurs more than once (equal keys give equal hashes).
fn hash_repeats(columns: &[String]) -> Expr {
    let mut key = columns.iter().map(|c| col(c.as_str()));
    let first = key.next().unwrap_or_else(|| lit(0u64));
    let rest: Vec<Expr> = key.collect();
    first.apply_many(
        |columns: &mut [Column]| {
            let height = columns.first().map_or(0, Column::len);
            let mut frame = DataFrame::new(height, columns.to_vec())?;
            let hashes = frame.hash_rows(None)?;
            let hashes: Vec<u64> = hashes.into_no_null_iter().collect();
            let mask = repeated(&hashes);
            Ok(BooleanChunked::from_slice(PlSmallStr::from_static("repeats"), &mask).into_column())
        },
        &rest,
        |_, fields| {
            let name = fields.first().map(|f| f.name().clone()).unwrap_or_default();
            Ok(Field::new(name, DataType::Boolean))
        },
    )
}

/// Marks every position whose value occurs more than once, in one pass over an open-addressing
/// table (linear probing, at most 2/3 full) that stores the first position of each value.
pub(crate) fn repeated(values: &[u64]) -> Vec<bool> {
    let mut mask = vec![false; values.len()];
    let Ok(n) = u32::try_from(values.len()) else {
        return repeated_sorted(values);
    };
    let bits = (n as usize * 3 / 2)
        .max(16)
        .next_power_of_two()
        .trailing_zeros();
    let slots_mask = (1usize << bits) - 1;
    let mut slots = vec![u32::MAX; 1 << bits];
    for (i, &v) in values.iter().enumerate() {
        // The high bits of a multiplicative mix pick the slot.
        let mut s = (v.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize;
        loop {
            let first = slots[s];
            if first == u32::MAX {
                slots[s] = i as u32;
                break;
            }
            if values[first as usize] == v {
                mask[first as usize] = true;
                mask[i] = true;
                break;
            }
            s = (s + 1) & slots_mask;
        }
    }
    mask
}

/// [`repeated`] for more than `u32::MAX` values: sort positions by value, mark equal runs.
fn repeated_sorted(values: &[u64]) -> Vec<bool> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_unstable_by_key(|&i| values[i]);
    let mut mask = vec![false; values.len()];
    for pair in order.windows(2) {
        if values[pair[0]] == values[pair[1]] {
            mask[pair[0]] = true;
            mask[pair[1]] = true;
        }
    }
    mask
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

#[cfg(test)]
mod tests {
    use super::{repeated, repeated_sorted};

    /// The quadratic definition: a position repeats when another holds the same value.
    fn naive(values: &[u64]) -> Vec<bool> {
        (0..values.len())
            .map(|i| (0..values.len()).any(|j| j != i && values[j] == values[i]))
            .collect()
    }

    #[test]
    fn repeated_matches_the_definition() {
        let mut x = 12_345u64;
        let values: Vec<u64> = (0..3_000)
            .map(|_| {
                x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                (x >> 33) % 2_500
            })
            .collect();
        let mask = repeated(&values);
        assert_eq!(mask, naive(&values));
        assert_eq!(repeated_sorted(&values), mask);
        assert!(mask.iter().any(|&m| m) && mask.iter().any(|&m| !m));
    }

    #[test]
    fn repeated_handles_colliding_slots_and_empty_input() {
        // Values that differ only in low bits share slots often; none repeats.
        let values: Vec<u64> = (0..1_000).map(|i| i << 50).collect();
        assert!(repeated(&values).iter().all(|&m| !m));
        assert!(repeated(&[]).is_empty());
        assert_eq!(repeated(&[7, 7]), vec![true, true]);
    }
}
