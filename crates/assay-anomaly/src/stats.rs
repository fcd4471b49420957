//! Small statistics on slices and matrices: quantiles (numpy's linear rule), standardisation,
//! skewness, ranks.

use ndarray::{Array2, ArrayView1, ArrayView2};
use rayon::prelude::*;

/// Rows per parallel block when scaling a matrix.
const SCALE_ROWS: usize = 4096;

/// Median of `v` (reorders it). `v` must not be empty.
pub(crate) fn median(v: &mut [f64]) -> f64 {
    quantile_select(v, 0.5)
}

/// The `q` quantile of `v` as [`quantile_sorted`] would give on the sorted values, by selection
/// in O(n) (reorders `v`).
pub(crate) fn quantile_select(v: &mut [f64], q: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let pos = q.clamp(0.0, 1.0) * (v.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    let (_, &mut low, right) = v.select_nth_unstable_by(lo, f64::total_cmp);
    let high = if hi == lo {
        low
    } else {
        right.iter().copied().min_by(f64::total_cmp).unwrap_or(low)
    };
    low + (high - low) * (pos - lo as f64)
}

/// The `q` quantile of sorted values, interpolating linearly (numpy's default).
pub(crate) fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// A column's values, sorted ascending.
pub(crate) fn sorted_column(x: ArrayView1<f64>) -> Vec<f64> {
    let mut v = x.to_vec();
    v.sort_unstable_by(f64::total_cmp);
    v
}

/// Mean and (population) standard deviation.
pub(crate) fn mean_std(x: ArrayView1<f64>) -> (f64, f64) {
    let n = x.len().max(1) as f64;
    let mean = x.sum() / n;
    let var = x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    (mean, var.sqrt())
}

/// Sample skewness (biased, as scipy's default).
pub(crate) fn skewness(x: ArrayView1<f64>) -> f64 {
    let (mean, sd) = mean_std(x);
    if sd == 0.0 {
        return 0.0;
    }
    let n = x.len().max(1) as f64;
    x.iter().map(|v| ((v - mean) / sd).powi(3)).sum::<f64>() / n
}

/// Centre and scale of each column for robust standardisation: median and IQR / 1.349, falling
/// back to the standard deviation, then 1, when the IQR is zero.
pub(crate) fn robust_scale(x: ArrayView2<f64>) -> Vec<(f64, f64)> {
    (0..x.ncols())
        .into_par_iter()
        .map(|j| {
            let c = x.column(j);
            let mut s = c.to_vec();
            let iqr = quantile_select(&mut s, 0.75) - quantile_select(&mut s, 0.25);
            let scale = if iqr > 0.0 {
                iqr / 1.349
            } else {
                mean_std(c).1
            };
            (
                quantile_select(&mut s, 0.5),
                if scale > 0.0 { scale } else { 1.0 },
            )
        })
        .collect()
}

/// Mean and standard deviation of each column (scale 1 for constant columns).
pub(crate) fn standard_scale(x: ArrayView2<f64>) -> Vec<(f64, f64)> {
    (0..x.ncols())
        .into_par_iter()
        .map(|j| {
            let (m, s) = mean_std(x.column(j));
            (m, if s > 0.0 { s } else { 1.0 })
        })
        .collect()
}

/// `x` with each column shifted and scaled.
pub(crate) fn apply_scale(x: ArrayView2<f64>, scale: &[(f64, f64)]) -> Array2<f64> {
    let (n, d) = x.dim();
    let mut z = Array2::zeros((n, d));
    let Some(out) = z.as_slice_mut() else {
        return z;
    };
    // Row by row (the matrix is row-major), in parallel blocks of rows.
    out.par_chunks_mut(SCALE_ROWS * d.max(1))
        .enumerate()
        .for_each(|(b, block)| {
            for (r, target) in block.chunks_mut(d.max(1)).enumerate() {
                let row = x.row(b * SCALE_ROWS + r);
                for ((t, &v), &(centre, s)) in target.iter_mut().zip(row.iter()).zip(scale) {
                    *t = (v - centre) / s;
                }
            }
        });
    z
}

#[cfg(test)]
mod select_tests {
    use super::{quantile_select, quantile_sorted};

    #[test]
    fn selection_gives_the_sorted_quantile() {
        let mut x = 7u64;
        for n in [1usize, 2, 5, 64, 999] {
            let values: Vec<f64> = (0..n)
                .map(|_| {
                    x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    ((x >> 40) % 50) as f64 / 7.0
                })
                .collect();
            let mut sorted = values.clone();
            sorted.sort_by(f64::total_cmp);
            for q in [0.0, 0.25, 0.5, 0.75, 0.9, 0.99, 1.0] {
                let selected = quantile_select(&mut values.clone(), q);
                assert_eq!(selected, quantile_sorted(&sorted, q), "n = {n}, q = {q}");
            }
        }
        assert!(quantile_select(&mut [], 0.5).is_nan());
    }
}
