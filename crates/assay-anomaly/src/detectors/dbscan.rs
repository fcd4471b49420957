//! DBSCAN noise (Ester et al. 1996) on a seeded reference sample of `max_fit_rows` robustly
//! scaled rows: min_pts = 5 and eps = the 90th percentile of the reference points' distance to
//! their 5th neighbour (no tuning per data set). Core points are those with at least min_pts
//! neighbours within eps. A row's score is its distance to the nearest core point: above eps
//! it is DBSCAN noise; the distance ranks noise points by how far out they are.

use crate::AnomalyError;
use crate::ctl::Ctl;
use crate::input::Input;
use crate::neighbors::{gather, position_in, search};
use crate::sample::sample_positions;
use crate::stats::quantile_sorted;

/// Neighbours a core point needs within eps (itself excluded).
const MIN_PTS: usize = 5;
/// Quantile of the 5th-neighbour distances that sets eps.
const EPS_QUANTILE: f64 = 0.9;

/// DBSCAN noise-distance scores.
pub(crate) fn score(input: &Input, ctl: Ctl) -> Result<Vec<f64>, AnomalyError> {
    let rows = sample_positions(input.rows(), input.max_fit_rows, input.seed, 7);
    let reference = gather(input.scaled(), &rows);
    let inner = search(
        &reference,
        &reference,
        &|i| Some(i),
        MIN_PTS,
        ctl.part(0.0, 0.2),
    )?;
    let mut kdist: Vec<f64> = (0..rows.len())
        .map(|o| inner.dist(o).last().copied().unwrap_or(0.0))
        .collect();
    let core_rows: Vec<usize> = (0..rows.len())
        .filter(|&o| inner.dist(o).len() >= MIN_PTS)
        .collect();
    kdist.sort_unstable_by(f64::total_cmp);
    let eps = quantile_sorted(&kdist, EPS_QUANTILE);
    let cores: Vec<usize> = core_rows
        .into_iter()
        .filter(|&o| inner.dist(o).last().is_some_and(|&d| d <= eps))
        .collect();
    if cores.is_empty() {
        return Ok(vec![0.0; input.rows()]);
    }
    let core_matrix = gather(&reference, &cores);
    let core_full: Vec<usize> = cores.iter().map(|&o| rows[o]).collect();
    let found = search(
        input.scaled(),
        &core_matrix,
        &|i| position_in(&core_full, i),
        1,
        ctl.part(0.2, 1.0),
    )?;
    Ok((0..input.rows()).map(|i| found.dist(i)[0]).collect())
}
