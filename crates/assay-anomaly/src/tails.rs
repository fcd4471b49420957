//! Per-feature empirical CDFs (the heart of ECOD and COPOD, and of the explanations): for a
//! value v of feature j, the left tail F(v) = #{x <= v} / n and the right tail #{x >= v} / n.

use ndarray::Array2;
use rayon::prelude::*;

use crate::stats::{skewness, sorted_column};

/// The fitted marginal distributions.
pub(crate) struct Tails {
    sorted: Vec<Vec<f64>>,
    skew: Vec<f64>,
}

impl Tails {
    /// Fits every column of `x` (sorted copies, skewness).
    pub(crate) fn fit(x: &Array2<f64>) -> Self {
        let (sorted, skew) = (0..x.ncols())
            .into_par_iter()
            .map(|j| {
                let c = x.column(j);
                (sorted_column(c), skewness(c))
            })
            .unzip();
        Tails { sorted, skew }
    }

    /// Features.
    pub(crate) fn features(&self) -> usize {
        self.sorted.len()
    }

    /// The skewness of feature `j`.
    pub(crate) fn skew(&self, j: usize) -> f64 {
        self.skew[j]
    }

    /// The median of feature `j`.
    pub(crate) fn median(&self, j: usize) -> f64 {
        crate::stats::quantile_sorted(&self.sorted[j], 0.5)
    }

    /// (left, right) tail probabilities of `v` for feature `j`, at least 1/n each.
    pub(crate) fn probabilities(&self, j: usize, v: f64) -> (f64, f64) {
        let s = &self.sorted[j];
        let n = s.len() as f64;
        let le = s.partition_point(|&a| a <= v) as f64;
        let ge = (s.len() - s.partition_point(|&a| a < v)) as f64;
        (le.max(1.0) / n, ge.max(1.0) / n)
    }

    /// (-ln left, -ln right) tail probabilities of `v` for feature `j`.
    pub(crate) fn surprise(&self, j: usize, v: f64) -> (f64, f64) {
        let (l, r) = self.probabilities(j, v);
        (-l.ln(), -r.ln())
    }
}
