//! Robust z-score: |x - median| / (1.4826 MAD) per feature (the standard deviation when the MAD
//! is zero); a row's score is its largest over the features.

use ndarray::Axis;

use crate::AnomalyError;
use crate::ctl::Ctl;
use crate::detectors::par_rows;
use crate::input::Input;
use crate::stats::{mean_std, median};

/// Robust z-scores.
pub(crate) fn score(input: &Input, ctl: Ctl) -> Result<Vec<f64>, AnomalyError> {
    let centres: Vec<(f64, f64)> = input
        .raw
        .axis_iter(Axis(1))
        .map(|c| {
            let med = median(&mut c.to_vec());
            let mad = median(&mut c.iter().map(|v| (v - med).abs()).collect::<Vec<_>>()) * 1.4826;
            let scale = if mad > 0.0 { mad } else { mean_std(c).1 };
            (med, if scale > 0.0 { scale } else { 1.0 })
        })
        .collect();
    par_rows(&input.raw, ctl, |_, row| {
        row.iter()
            .zip(&centres)
            .map(|(v, (m, s))| (v - m).abs() / s)
            .fold(0.0, f64::max)
    })
}
