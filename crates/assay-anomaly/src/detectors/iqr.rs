//! Tukey's fences: per feature, how far a value lies outside [Q1 - 1.5 IQR, Q3 + 1.5 IQR], in
//! IQRs (0 inside). A row's score is its largest distance, plus a small share of its largest
//! in-fence position so rows inside every fence are still ranked.

use ndarray::Axis;

use crate::AnomalyError;
use crate::ctl::Ctl;
use crate::detectors::par_rows;
use crate::input::Input;
use crate::stats::{mean_std, quantile_sorted, sorted_column};

/// Tie-breaker weight for rows inside the fences.
const INSIDE: f64 = 1e-3;

/// IQR-fence scores.
pub(crate) fn score(input: &Input, ctl: Ctl) -> Result<Vec<f64>, AnomalyError> {
    let fences: Vec<(f64, f64, f64)> = input
        .raw
        .axis_iter(Axis(1))
        .map(|c| {
            let s = sorted_column(c);
            let (q1, q3) = (quantile_sorted(&s, 0.25), quantile_sorted(&s, 0.75));
            let iqr = if q3 > q1 {
                q3 - q1
            } else {
                mean_std(c).1.max(f64::MIN_POSITIVE)
            };
            (q1 - 1.5 * iqr, q3 + 1.5 * iqr, iqr)
        })
        .collect();
    par_rows(&input.raw, ctl, |_, row| {
        row.iter()
            .zip(&fences)
            .map(|(&v, &(lo, hi, iqr))| {
                let outside = ((lo - v).max(v - hi)).max(0.0) / iqr;
                let centre = (lo + hi) / 2.0;
                outside + INSIDE * ((v - centre).abs() / (hi - lo).max(f64::MIN_POSITIVE))
            })
            .fold(0.0, f64::max)
    })
}
