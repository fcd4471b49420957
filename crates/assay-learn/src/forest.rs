//! Random forests: trees grown in parallel, each from its own seeded generator, so the
//! forest depends only on the seed (not on the number of threads).

use ndarray::{Array2, ArrayView2};
use rand::RngExt;
use rayon::prelude::*;

use crate::ctl::{Ctl, Ticker};
use crate::data::{rng, streams};
use crate::error::Result;
use crate::tree::{FlatTree, TreeParams, TreeTarget, by_feature, grow};

/// Trees and the forest's normalised impurity-decrease importances (the mean over trees of
/// each tree's normalised importances, as scikit-learn).
pub(crate) fn fit_forest(
    x: &ArrayView2<'_, f64>,
    target: TreeTarget<'_>,
    params: &TreeParams,
    n_trees: usize,
    bootstrap: bool,
    seed: u64,
    ctl: &Ctl<'_>,
) -> Result<(Vec<FlatTree>, Vec<f64>)> {
    let cols = by_feature(x);
    let n = x.nrows();
    let d = x.ncols();
    let ticker = Ticker::new(*ctl, n_trees);
    let grown: Vec<(FlatTree, Vec<f64>)> = (0..n_trees)
        .into_par_iter()
        .map(|t| {
            ticker.ctl().check()?;
            let mut r = rng(seed, streams::FOREST + t as u64);
            let rows: Vec<usize> = if bootstrap {
                (0..n).map(|_| r.random_range(0..n)).collect()
            } else {
                (0..n).collect()
            };
            let g = grow(&cols.view(), target, rows, params, &mut r, ticker.ctl())?;
            ticker.tick()?;
            Ok((g.tree, normalise(g.importances)))
        })
        .collect::<Result<_>>()?;
    let mut importances = vec![0.0; d];
    for (_, imp) in &grown {
        for (a, b) in importances.iter_mut().zip(imp) {
            *a += b;
        }
    }
    let importances = normalise(importances);
    Ok((grown.into_iter().map(|(t, _)| t).collect(), importances))
}

/// Scales to sum 1 (all zeros stay zeros).
pub(crate) fn normalise(mut v: Vec<f64>) -> Vec<f64> {
    let s: f64 = v.iter().sum();
    if s > 0.0 {
        v.iter_mut().for_each(|x| *x /= s);
    }
    v
}

/// The mean of the trees' leaf values per row (rows x outputs), trees added in order.
pub(crate) fn forest_values(
    trees: &[FlatTree],
    x: &ArrayView2<'_, f64>,
    outputs: usize,
) -> Array2<f64> {
    let n = x.nrows();
    let per_row: Vec<Vec<f64>> = (0..n)
        .into_par_iter()
        .map(|i| {
            let row = x.row(i);
            let mut acc = vec![0.0; outputs];
            for t in trees {
                for (a, v) in acc.iter_mut().zip(t.leaf(row)) {
                    *a += v;
                }
            }
            let k = trees.len().max(1) as f64;
            acc.iter_mut().for_each(|a| *a /= k);
            acc
        })
        .collect();
    let mut out = Array2::zeros((n, outputs));
    for (i, r) in per_row.into_iter().enumerate() {
        for (j, v) in r.into_iter().enumerate() {
            out[[i, j]] = v;
        }
    }
    out
}
