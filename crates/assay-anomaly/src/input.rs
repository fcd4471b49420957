//! What every detector receives: the feature matrix, a robustly standardised copy, the seed
//! and the reference-sample size.

use ndarray::Array2;

use crate::stats::{apply_scale, robust_scale};

/// A detector's input.
pub(crate) struct Input {
    /// Rows x features as prepared (encoded, imputed), standard layout.
    pub raw: Array2<f64>,
    /// The same, each column centred on its median and divided by IQR / 1.349.
    pub scaled: Array2<f64>,
    /// Seed for every random choice.
    pub seed: u64,
    /// Reference rows for neighbour, density and clustering detectors.
    pub max_fit_rows: usize,
}

impl Input {
    /// Prepares the scaled copy of `raw`.
    pub(crate) fn new(raw: Array2<f64>, seed: u64, max_fit_rows: usize) -> Self {
        let raw = raw.as_standard_layout().into_owned();
        let scaled = apply_scale(raw.view(), &robust_scale(raw.view()));
        Input {
            raw,
            scaled,
            seed,
            max_fit_rows: max_fit_rows.max(2),
        }
    }

    /// Rows.
    pub(crate) fn rows(&self) -> usize {
        self.raw.nrows()
    }
}
