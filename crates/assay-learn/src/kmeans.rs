//! K-means: greedy k-means++ starts, Lloyd iterations, empty clusters re-seeded from the
//! farthest rows; starts run in parallel, each from its own seeded generator.

use ndarray::{Array2, ArrayView1, ArrayView2};
use rand::RngExt;
use rand_pcg::Pcg64Mcg;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::data::{Scaler, rng, streams};
use crate::error::{LearnError, Result};
use crate::options::KMeansOptions;

/// A fitted k-means model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KMeansModel {
    /// The standardisation applied first (absent when `standardize` was off).
    scaler: Option<Scaler>,
    /// Clusters.
    k: usize,
    /// Centres, `k` rows of `features` values (in the standardised space when scaled).
    centroids: Vec<f64>,
    /// Sum of squared distances of the training rows to their centres.
    pub inertia: f64,
    /// Lloyd iterations of the kept start.
    pub n_iter: usize,
}

impl KMeansModel {
    /// The centres (k x features), in the model's (possibly standardised) space.
    pub fn centroids(&self) -> Array2<f64> {
        let d = self.centroids.len() / self.k.max(1);
        Array2::from_shape_vec((self.k, d), self.centroids.clone())
            .unwrap_or_else(|_| Array2::zeros((self.k, d)))
    }

    /// Clusters.
    pub fn k(&self) -> usize {
        self.k
    }

    /// `x` in the model's space (standardised when the model standardises).
    pub(crate) fn space(&self, x: &ArrayView2<'_, f64>) -> Array2<f64> {
        match &self.scaler {
            Some(s) => s.transform(x),
            None => x.to_owned(),
        }
    }

    /// Nearest centre per row and the squared distance to it (`x` in the model's space).
    pub(crate) fn assign(&self, xs: &Array2<f64>) -> (Vec<usize>, Vec<f64>) {
        assign(xs, &self.centroids())
    }

    pub(crate) fn check(&self, n_features: usize) -> Result<()> {
        if let Some(s) = &self.scaler {
            s.check(n_features)?;
        }
        if self.k == 0 || self.centroids.len() != self.k * n_features {
            return Err(LearnError::Artifact(format!(
                "k-means has {} centre values for k = {} and {n_features} features",
                self.centroids.len(),
                self.k
            )));
        }
        if self.centroids.iter().any(|v| !v.is_finite()) {
            return Err(LearnError::Artifact(
                "k-means has a non-finite centre".into(),
            ));
        }
        Ok(())
    }
}

/// Fits k-means (the best of `n_init` starts by inertia; ties keep the earlier start).
pub(crate) fn fit_kmeans(x: &ArrayView2<'_, f64>, opts: &KMeansOptions, seed: u64) -> KMeansModel {
    let scaler = opts.standardize.then(|| Scaler::fit(x));
    let xs = match &scaler {
        Some(s) => s.transform(x),
        None => x.to_owned(),
    };
    // Tolerance relative to the data's spread, as scikit-learn.
    let n = xs.nrows() as f64;
    let mean_var = xs
        .columns()
        .into_iter()
        .map(|c| {
            let m = c.sum() / n;
            c.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / n
        })
        .sum::<f64>()
        / xs.ncols() as f64;
    let tol = opts.tol * mean_var;
    let runs: Vec<(Array2<f64>, f64, usize)> = (0..opts.n_init)
        .into_par_iter()
        .map(|i| {
            let mut r = rng(seed, streams::KMEANS + i as u64);
            lloyd(&xs, opts.k, opts.max_iter, tol, &mut r)
        })
        .collect();
    let mut best = 0;
    for (i, run) in runs.iter().enumerate() {
        if run.1 < runs[best].1 {
            best = i;
        }
    }
    let (centroids, inertia, n_iter) = runs
        .into_iter()
        .nth(best)
        .unwrap_or_else(|| (Array2::zeros((opts.k, xs.ncols())), f64::INFINITY, 0));
    KMeansModel {
        scaler,
        k: opts.k,
        centroids: centroids.iter().copied().collect(),
        inertia,
        n_iter,
    }
}

/// One start: k-means++ then Lloyd. Returns centres, inertia and iterations.
fn lloyd(
    x: &Array2<f64>,
    k: usize,
    max_iter: usize,
    tol: f64,
    r: &mut Pcg64Mcg,
) -> (Array2<f64>, f64, usize) {
    let (n, d) = x.dim();
    let mut centres = kmeans_pp(x, k, r);
    let (mut labels, mut dist) = assign(x, &centres);
    let mut n_iter = 0;
    for iter in 0..max_iter {
        n_iter = iter + 1;
        // Update step.
        let mut sums = Array2::<f64>::zeros((k, d));
        let mut counts = vec![0usize; k];
        for (i, &l) in labels.iter().enumerate() {
            counts[l] += 1;
            let mut s = sums.row_mut(l);
            s += &x.row(i);
        }
        // Empty clusters take the rows farthest from their centres.
        if counts.contains(&0) {
            let mut far: Vec<usize> = (0..n).collect();
            far.sort_by(|&a, &b| dist[b].total_cmp(&dist[a]).then(a.cmp(&b)));
            let mut next = far.into_iter();
            for c in 0..k {
                if counts[c] != 0 {
                    continue;
                }
                // The farthest row whose cluster keeps at least one other row.
                let Some(i) = next.find(|&i| counts[labels[i]] > 1) else {
                    break;
                };
                let old = labels[i];
                counts[old] -= 1;
                let mut s = sums.row_mut(old);
                s -= &x.row(i);
                labels[i] = c;
                sums.row_mut(c).assign(&x.row(i));
                counts[c] = 1;
            }
        }
        let mut new = sums;
        for (c, mut row) in new.rows_mut().into_iter().enumerate() {
            if counts[c] > 0 {
                row.mapv_inplace(|v| v / counts[c] as f64);
            }
        }
        let shift: f64 = (&new - &centres).iter().map(|v| v * v).sum();
        centres = new;
        let (new_labels, new_dist) = assign(x, &centres);
        let same = new_labels == labels;
        labels = new_labels;
        dist = new_dist;
        if same || shift <= tol {
            break;
        }
    }
    let inertia = dist.iter().sum();
    (centres, inertia, n_iter)
}

/// Greedy k-means++ (scikit-learn's): each new centre is the best of `2 + ln k` candidates
/// drawn with probability proportional to the squared distance to the nearest centre.
fn kmeans_pp(x: &Array2<f64>, k: usize, r: &mut Pcg64Mcg) -> Array2<f64> {
    let (n, d) = x.dim();
    let trials = 2 + (k as f64).ln().floor() as usize;
    let mut centres = Array2::zeros((k, d));
    let first = r.random_range(0..n);
    centres.row_mut(0).assign(&x.row(first));
    let mut closest: Vec<f64> = x
        .rows()
        .into_iter()
        .map(|row| sq_dist(row, x.row(first)))
        .collect();
    for c in 1..k {
        let total: f64 = closest.iter().sum();
        let mut best: Option<(f64, usize, Vec<f64>)> = None;
        for _ in 0..trials {
            let cand = if total > 0.0 {
                let target = r.random::<f64>() * total;
                let mut acc = 0.0;
                let mut pick = n - 1;
                for (i, v) in closest.iter().enumerate() {
                    acc += v;
                    if acc > target {
                        pick = i;
                        break;
                    }
                }
                pick
            } else {
                r.random_range(0..n)
            };
            let cand_row = x.row(cand);
            let new_closest: Vec<f64> = x
                .rows()
                .into_iter()
                .zip(&closest)
                .map(|(row, &old)| old.min(sq_dist(row, cand_row)))
                .collect();
            let pot: f64 = new_closest.iter().sum();
            if best.as_ref().is_none_or(|(b, _, _)| pot < *b) {
                best = Some((pot, cand, new_closest));
            }
        }
        if let Some((_, cand, new_closest)) = best {
            centres.row_mut(c).assign(&x.row(cand));
            closest = new_closest;
        }
    }
    centres
}

/// Nearest centre per row (ties: the lower index) and the squared distance to it.
pub(crate) fn assign(x: &Array2<f64>, centres: &Array2<f64>) -> (Vec<usize>, Vec<f64>) {
    (0..x.nrows())
        .into_par_iter()
        .map(|i| {
            let row = x.row(i);
            let mut best = (0, f64::INFINITY);
            for (c, centre) in centres.rows().into_iter().enumerate() {
                let dd = sq_dist(row, centre);
                if dd < best.1 {
                    best = (c, dd);
                }
            }
            best
        })
        .unzip()
}

pub(crate) fn sq_dist(a: ArrayView1<'_, f64>, b: ArrayView1<'_, f64>) -> f64 {
    a.iter().zip(b.iter()).map(|(p, q)| (p - q) * (p - q)).sum()
}
