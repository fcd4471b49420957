//! Uniqueness: `unique` over one column or a compound key (row-level: every row of a repeated
//! key fails) and `unique_fraction` (aggregate: distinct present values / present values).

use polars::prelude::*;
use rayon::prelude::*;

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
            let mask = repeated(&row_hashes(columns, height)?);
            Ok(BooleanChunked::from_slice(PlSmallStr::from_static("repeats"), &mask).into_column())
        },
        &rest,
        |_, fields| {
            let name = fields.first().map(|f| f.name().clone()).unwrap_or_default();
            Ok(Field::new(name, DataType::Boolean))
        },
    )
}

/// Stands in for a missing value in a key hash.
const MISSING: u64 = 0x5851_F42D_4C95_7F2D;

/// One u64 per row from the key columns, mixed in column by column: integers by value, short
/// strings by their inline 16-byte view, longer ones by a hash of their bytes, other types by
/// polars' hash of the column. Equal keys give equal hashes.
fn row_hashes(columns: &[Column], height: usize) -> PolarsResult<Vec<u64>> {
    let mut hashes = vec![0u64; height];
    for c in columns {
        let series = c.as_materialized_series();
        let dtype = series.dtype();
        if dtype.is_integer() {
            mix_integers(&mut hashes, series.cast(&DataType::Int64)?.i64()?);
        } else if dtype.is_string() {
            mix_strings(&mut hashes, series.str()?);
        } else {
            let mut frame = DataFrame::new(height, vec![c.clone()])?;
            let other = frame.hash_rows(None)?;
            for (h, v) in hashes.iter_mut().zip(other.into_no_null_iter()) {
                *h = mix(*h, v);
            }
        }
    }
    Ok(hashes)
}

/// Mixes integers into `hashes`, chunk by chunk (a tight loop over the values without nulls).
fn mix_integers(hashes: &mut [u64], values: &Int64Chunked) {
    let mut at = 0;
    for arr in values.downcast_iter() {
        let part = &mut hashes[at..at + arr.len()];
        if values.null_count() == 0 {
            for (h, &v) in part.iter_mut().zip(arr.values().iter()) {
                *h = mix(*h, v as u64);
            }
        } else {
            for (h, v) in part.iter_mut().zip(arr.iter()) {
                *h = mix(*h, v.map_or(MISSING, |&x| x as u64));
            }
        }
        at += arr.len();
    }
}

/// Mixes strings into `hashes` (two words per string: the inline view, or a hash of the bytes).
fn mix_strings(hashes: &mut [u64], strings: &StringChunked) {
    let mut at = 0;
    for arr in strings.downcast_iter() {
        let part = &mut hashes[at..at + arr.len()];
        for ((h, v), view) in part.iter_mut().zip(arr.iter()).zip(arr.views().iter()) {
            let w = match v {
                None => u128::from(MISSING),
                Some(_) if view.is_inline() => view.as_u128(),
                Some(s) => long_word(s),
            };
            *h = mix(mix(*h, w as u64), (w >> 64) as u64);
        }
        at += arr.len();
    }
}

/// A word for a string longer than an inline view: a hash of its bytes, top bit set.
fn long_word(s: &str) -> u128 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    u128::from(h.finish()) | (1 << 127)
}

/// A multiply-xorshift step: every input bit reaches the high and the low half.
fn mix(h: u64, v: u64) -> u64 {
    let x = (h ^ v).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x ^ (x >> 32)
}

/// Partitions (by the top bits of a mixed value) for [`repeated`].
const PART_BITS: u32 = 8;

/// Marks every position whose value occurs more than once. The values are scattered into 256
/// partitions by their top bits (two sequential passes), then each partition, small enough to
/// stay in cache, finds its repeats in an open-addressing table; partitions run in parallel.
pub(crate) fn repeated(values: &[u64]) -> Vec<bool> {
    if u32::try_from(values.len()).is_err() {
        return repeated_sorted(values);
    }
    let part = |v: u64| (spread(v) >> (64 - PART_BITS)) as usize;
    let mut starts = vec![0usize; (1 << PART_BITS) + 1];
    for &v in values {
        starts[part(v) + 1] += 1;
    }
    for p in 1..starts.len() {
        starts[p] += starts[p - 1];
    }
    let mut items = vec![(0u64, 0u32); values.len()];
    let mut fill = starts.clone();
    for (i, &v) in values.iter().enumerate() {
        let p = part(v);
        items[fill[p]] = (v, i as u32);
        fill[p] += 1;
    }
    let found: Vec<Vec<u32>> = starts
        .par_windows(2)
        .map(|w| repeats_in(&items[w[0]..w[1]]))
        .collect();
    let mut mask = vec![false; values.len()];
    for i in found.into_iter().flatten() {
        mask[i as usize] = true;
    }
    mask
}

/// A multiplicative mix whose high bits depend on every bit of `v`.
fn spread(v: u64) -> u64 {
    (v ^ (v >> 29)).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// The positions of the repeated values among `items` (value, position): an open-addressing
/// table (linear probing, at most half full) holding the first item of each value.
fn repeats_in(items: &[(u64, u32)]) -> Vec<u32> {
    let bits = (items.len() * 2)
        .max(16)
        .next_power_of_two()
        .trailing_zeros();
    let slots_mask = (1usize << bits) - 1;
    let mut slots = vec![u32::MAX; 1 << bits];
    let mut first_marked = vec![false; items.len()];
    let mut out = Vec::new();
    for (k, &(v, i)) in items.iter().enumerate() {
        // Bits below the partition's: the partition fixed the top ones.
        let mut s = (spread(v) >> (64 - PART_BITS - bits)) as usize & slots_mask;
        loop {
            let f = slots[s];
            if f == u32::MAX {
                slots[s] = k as u32;
                break;
            }
            if items[f as usize].0 == v {
                if !first_marked[f as usize] {
                    first_marked[f as usize] = true;
                    out.push(items[f as usize].1);
                }
                out.push(i);
                break;
            }
            s = (s + 1) & slots_mask;
        }
    }
    out
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
    use polars::prelude::*;

    use super::{repeated, repeated_sorted, row_hashes};

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

    #[test]
    fn equal_keys_hash_equal_and_distinct_keys_apart() {
        let long = "a value longer than twelve bytes";
        let ints = Column::new(
            "i".into(),
            [Some(1i64), None, Some(1), Some(2), None, Some(1)],
        );
        let texts = Column::new(
            "t".into(),
            [
                Some("ab"),
                Some("ab"),
                Some(long),
                Some("ab"),
                Some("ab"),
                Some("ab"),
            ],
        );
        let hashes = row_hashes(&[ints, texts], 6).expect("hashes");
        // Rows 0 and 5 are (1, "ab"); rows 1 and 4 are (null, "ab").
        assert_eq!(hashes[0], hashes[5]);
        assert_eq!(hashes[1], hashes[4]);
        assert_eq!(
            repeated(&hashes),
            vec![true, true, false, false, true, true]
        );
    }
}
