//! PCA outlier score (Shyu et al. 2003, as PyOD with every component): standardise, project on
//! each principal component and sum the squared projections divided by the component's
//! variance (a Mahalanobis distance in the principal axes). Fitted on a seeded sample of at
//! most 10 x `max_fit_rows` rows; components with (near) zero variance are skipped.

use crate::AnomalyError;
use crate::ctl::Ctl;
use crate::detectors::par_rows;
use crate::input::Input;
use crate::linalg::{covariance, symmetric_eigen};
use crate::neighbors::gather;
use crate::sample::sample_positions;
use crate::stats::{apply_scale, standard_scale};

/// PCA scores.
pub(crate) fn score(input: &Input, ctl: Ctl) -> Result<Vec<f64>, AnomalyError> {
    let scale = standard_scale(input.raw.view());
    let z = apply_scale(input.raw.view(), &scale);
    let rows = sample_positions(z.nrows(), 10 * input.max_fit_rows, input.seed, 4);
    let (cov, mean) = covariance(gather(&z, &rows).view());
    let (values, vectors) = symmetric_eigen(cov);
    ctl.report(0.3)?;
    let top = values.first().copied().unwrap_or(0.0);
    let keep: Vec<usize> = (0..values.len())
        .filter(|&c| values[c] > 1e-9 * top)
        .collect();
    par_rows(&z, ctl.part(0.3, 1.0), |_, row| {
        let centred = &row - &mean;
        keep.iter()
            .map(|&c| centred.dot(&vectors.column(c)).powi(2) / values[c])
            .sum()
    })
}
