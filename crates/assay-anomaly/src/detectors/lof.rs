//! Local Outlier Factor (Breunig et al. 2000) in novelty mode: local reachability densities of a
//! seeded reference sample (`max_fit_rows` rows, robustly scaled), and every row's LOF against
//! that sample with 20 neighbours (PyOD's default).

use crate::AnomalyError;
use crate::ctl::Ctl;
use crate::input::Input;
use crate::neighbors::{Neighbors, gather, position_in, search};
use crate::sample::sample_positions;

/// Neighbours.
const K: usize = 20;
/// Keeps densities finite when neighbours coincide (as scikit-learn).
const EPS: f64 = 1e-10;

/// LOF scores.
pub(crate) fn score(input: &Input, ctl: Ctl) -> Result<Vec<f64>, AnomalyError> {
    let rows = sample_positions(input.rows(), input.max_fit_rows, input.seed, 3);
    let reference = gather(input.scaled(), &rows);
    let inner = search(&reference, &reference, &|i| Some(i), K, ctl.part(0.0, 0.2))?;
    let kdist: Vec<f64> = (0..rows.len())
        .map(|o| inner.dist(o).last().copied().unwrap_or(0.0))
        .collect();
    let lrd_ref: Vec<f64> = (0..rows.len()).map(|o| lrd(&inner, o, &kdist)).collect();
    let found = search(
        input.scaled(),
        &reference,
        &|i| position_in(&rows, i),
        K,
        ctl.part(0.2, 1.0),
    )?;
    Ok((0..input.rows())
        .map(|i| {
            let own = lrd(&found, i, &kdist);
            let around: f64 = found
                .index(i)
                .iter()
                .map(|&o| lrd_ref[o as usize])
                .sum::<f64>()
                / found.k as f64;
            around / own
        })
        .collect())
}

/// Local reachability density of query `i` given its neighbours and their k-distances.
fn lrd(nb: &Neighbors, i: usize, kdist: &[f64]) -> f64 {
    let reach: f64 = nb
        .dist(i)
        .iter()
        .zip(nb.index(i))
        .map(|(&d, &o)| d.max(kdist[o as usize]))
        .sum();
    1.0 / (reach / nb.k as f64 + EPS)
}
