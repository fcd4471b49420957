//! Small statistics on slices and matrices: quantiles (numpy's linear rule), standardisation,
//! skewness, ranks.

use ndarray::{Array2, ArrayView1, ArrayView2, Axis};

/// Median of `v` (reorders it). `v` must not be empty.
pub(crate) fn median(v: &mut [f64]) -> f64 {
    v.sort_unstable_by(f64::total_cmp);
    quantile_sorted(v, 0.5)
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
    x.axis_iter(Axis(1))
        .map(|c| {
            let s = sorted_column(c);
            let iqr = quantile_sorted(&s, 0.75) - quantile_sorted(&s, 0.25);
            let scale = if iqr > 0.0 {
                iqr / 1.349
            } else {
                mean_std(c).1
            };
            (
                quantile_sorted(&s, 0.5),
                if scale > 0.0 { scale } else { 1.0 },
            )
        })
        .collect()
}

/// Mean and standard deviation of each column (scale 1 for constant columns).
pub(crate) fn standard_scale(x: ArrayView2<f64>) -> Vec<(f64, f64)> {
    x.axis_iter(Axis(1))
        .map(|c| {
            let (m, s) = mean_std(c);
            (m, if s > 0.0 { s } else { 1.0 })
        })
        .collect()
}

/// `x` with each column shifted and scaled.
pub(crate) fn apply_scale(x: ArrayView2<f64>, scale: &[(f64, f64)]) -> Array2<f64> {
    let mut z = x.to_owned();
    for (mut c, &(centre, s)) in z.axis_iter_mut(Axis(1)).zip(scale) {
        c.mapv_inplace(|v| (v - centre) / s);
    }
    z
}
