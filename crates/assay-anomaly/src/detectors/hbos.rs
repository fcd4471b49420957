//! HBOS (Goldstein & Dengel 2012): 10 equal-width bins per feature, each histogram normalised
//! to a highest bin of 1 (as the paper, so features with different units weigh alike); a row's
//! score sums -log2(height + 0.01) over features. (PyOD adds 0.1 to a density in data units,
//! which flattens every rare bin to the same score.)

use ndarray::Axis;

use crate::AnomalyError;
use crate::ctl::Ctl;
use crate::detectors::par_rows;
use crate::input::Input;

/// Bins per feature.
const BINS: usize = 10;
/// Added to every density so empty bins stay finite.
const ALPHA: f64 = 0.01;

/// One feature's histogram.
struct Histogram {
    min: f64,
    width: f64,
    /// -log2(density + alpha) per bin.
    surprise: Vec<f64>,
}

impl Histogram {
    fn fit(values: ndarray::ArrayView1<f64>) -> Self {
        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let width = if max > min {
            (max - min) / BINS as f64
        } else {
            1.0
        };
        let mut counts = [0usize; BINS];
        for &v in values {
            counts[bin(v, min, width)] += 1;
        }
        let top = counts.iter().copied().max().unwrap_or(1).max(1) as f64;
        let surprise = counts
            .iter()
            .map(|&c| -(c as f64 / top + ALPHA).log2())
            .collect();
        Histogram {
            min,
            width,
            surprise,
        }
    }

    fn surprise(&self, v: f64) -> f64 {
        self.surprise[bin(v, self.min, self.width)]
    }
}

fn bin(v: f64, min: f64, width: f64) -> usize {
    let b = ((v - min) / width).floor();
    if b.is_nan() || b < 0.0 {
        0
    } else {
        (b as usize).min(BINS - 1)
    }
}

/// HBOS scores.
pub(crate) fn score(input: &Input, ctl: Ctl) -> Result<Vec<f64>, AnomalyError> {
    let hists: Vec<Histogram> = input.raw.axis_iter(Axis(1)).map(Histogram::fit).collect();
    par_rows(&input.raw, ctl, |_, row| {
        hists.iter().zip(row).map(|(h, &v)| h.surprise(v)).sum()
    })
}
