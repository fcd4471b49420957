//! What every detector receives: the feature matrix, a robustly standardised copy, the seed
//! and the reference-sample size.

use std::sync::OnceLock;

use ndarray::Array2;

use crate::stats::{apply_scale, robust_scale, standard_scale};

/// A detector's input.
pub(crate) struct Input {
    /// Rows x features as prepared (encoded, imputed), standard layout.
    pub raw: Array2<f64>,
    /// The same, each column centred on its median and divided by IQR / 1.349 (made on first use).
    scaled: OnceLock<Array2<f64>>,
    /// The same, each column centred on its mean and divided by its standard deviation (made on
    /// first use).
    standardized: OnceLock<Array2<f64>>,
    /// Seed for every random choice.
    pub seed: u64,
    /// Reference rows for neighbour, density and clustering detectors.
    pub max_fit_rows: usize,
}

impl Input {
    /// Prepares the scaled copy of `raw`.
    pub(crate) fn new(raw: Array2<f64>, seed: u64, max_fit_rows: usize) -> Self {
        Input {
            raw: if raw.is_standard_layout() {
                raw
            } else {
                raw.as_standard_layout().into_owned()
            },
            scaled: OnceLock::new(),
            standardized: OnceLock::new(),
            seed,
            max_fit_rows: max_fit_rows.max(2),
        }
    }

    /// The robustly scaled features.
    pub(crate) fn scaled(&self) -> &Array2<f64> {
        self.scaled
            .get_or_init(|| apply_scale(self.raw.view(), &robust_scale(self.raw.view())))
    }

    /// The standardised features (mean 0, standard deviation 1 per column).
    pub(crate) fn standardized(&self) -> &Array2<f64> {
        self.standardized
            .get_or_init(|| apply_scale(self.raw.view(), &standard_scale(self.raw.view())))
    }

    /// Rows.
    pub(crate) fn rows(&self) -> usize {
        self.raw.nrows()
    }
}
