//! PCA outlier score (Shyu et al. 2003, as PyOD with every component): standardise, project on
//! each principal component and sum the squared projections divided by the component's
//! variance (a Mahalanobis distance in the principal axes). Fitted on a seeded sample of at
//! most 10 x `max_fit_rows` rows; components with (near) zero variance are skipped.

use ndarray::{Array2, Axis, Slice};
use rayon::prelude::*;

use crate::AnomalyError;
use crate::ctl::{Ctl, Ticker};
use crate::input::Input;
use crate::linalg::{covariance, symmetric_eigen};
use crate::neighbors::gather;
use crate::sample::sample_positions;

/// Rows per parallel chunk.
const CHUNK: usize = 4096;

/// PCA scores.
pub(crate) fn score(input: &Input, ctl: Ctl) -> Result<Vec<f64>, AnomalyError> {
    let z = input.standardized();
    let rows = sample_positions(z.nrows(), 10 * input.max_fit_rows, input.seed, 4);
    let (cov, mean) = covariance(gather(z, &rows).view());
    let (values, vectors) = symmetric_eigen(cov);
    ctl.report(0.3)?;
    let top = values.first().copied().unwrap_or(0.0);
    let keep: Vec<usize> = (0..values.len())
        .filter(|&c| values[c] > 1e-9 * top)
        .collect();
    // Axes scaled by 1/sqrt(variance): a row's score is the squared norm of its projection.
    let axes = Array2::from_shape_fn((z.ncols(), keep.len()), |(j, c)| {
        vectors[[j, keep[c]]] / values[keep[c]].sqrt()
    });
    let shift = mean.dot(&axes);
    let chunks = z.nrows().div_ceil(CHUNK);
    let ticker = Ticker::new(ctl.part(0.3, 1.0), chunks);
    let parts: Vec<Vec<f64>> = (0..chunks)
        .into_par_iter()
        .map(|c| {
            ticker.check()?;
            let rows = z.slice_axis(
                Axis(0),
                Slice::from(c * CHUNK..((c + 1) * CHUNK).min(z.nrows())),
            );
            let p = rows.dot(&axes) - &shift;
            ticker.tick()?;
            Ok(p.rows().into_iter().map(|r| r.dot(&r)).collect())
        })
        .collect::<Result<_, AnomalyError>>()?;
    Ok(parts.concat())
}
