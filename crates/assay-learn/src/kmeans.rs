//! K-means: greedy k-means++ starts, Lloyd iterations, empty clusters re-seeded from the
//! farthest rows; starts run in parallel, each from its own seeded generator.

use ndarray::{Array2, ArrayView1, ArrayView2};
use rand::RngExt;
use rand_pcg::Pcg64Mcg;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::ctl::{Ctl, Ticker};
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
        if self.k == 0 || self.k.checked_mul(n_features) != Some(self.centroids.len()) {
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
pub(crate) fn fit_kmeans(
    x: &ArrayView2<'_, f64>,
    opts: &KMeansOptions,
    seed: u64,
    ctl: &Ctl<'_>,
) -> Result<KMeansModel> {
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
    let ticker = Ticker::new(*ctl, opts.n_init);
    let runs: Vec<(Array2<f64>, f64, usize)> = (0..opts.n_init)
        .into_par_iter()
        .map(|i| {
            let mut r = rng(seed, streams::KMEANS + i as u64);
            let run = lloyd(&xs, opts.k, opts.max_iter, tol, &mut r, ticker.ctl())?;
            ticker.tick()?;
            Ok(run)
        })
        .collect::<Result<_>>()?;
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
    Ok(KMeansModel {
        scaler,
        k: opts.k,
        centroids: centroids.iter().copied().collect(),
        inertia,
        n_iter,
    })
}

/// One start: k-means++ then Lloyd. Returns centres, inertia and iterations.
fn lloyd(
    x: &Array2<f64>,
    k: usize,
    max_iter: usize,
    tol: f64,
    r: &mut Pcg64Mcg,
    ctl: &Ctl<'_>,
) -> Result<(Array2<f64>, f64, usize)> {
    let (n, d) = x.dim();
    let x = Flat::of(x);
    let mut centres = kmeans_pp(&x, k, r);
    let (mut labels, mut dist) = x.assign(&centres);
    let mut n_iter = 0;
    for iter in 0..max_iter {
        n_iter = iter + 1;
        ctl.check()?;
        // Update step: sums and counts per cluster.
        let mut sums = vec![0.0; k * d];
        let mut counts = vec![0usize; k];
        for (i, &l) in labels.iter().enumerate() {
            counts[l] += 1;
            for (s, v) in sums[l * d..(l + 1) * d].iter_mut().zip(x.row(i)) {
                *s += v;
            }
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
                for (s, v) in sums[old * d..(old + 1) * d].iter_mut().zip(x.row(i)) {
                    *s -= v;
                }
                labels[i] = c;
                sums[c * d..(c + 1) * d].copy_from_slice(x.row(i));
                counts[c] = 1;
            }
        }
        for c in 0..k {
            if counts[c] > 0 {
                let inv = 1.0 / counts[c] as f64;
                sums[c * d..(c + 1) * d].iter_mut().for_each(|v| *v *= inv);
            } else {
                sums[c * d..(c + 1) * d].copy_from_slice(&centres[c * d..(c + 1) * d]);
            }
        }
        let shift: f64 = sums
            .iter()
            .zip(&centres)
            .map(|(a, b)| (a - b) * (a - b))
            .sum();
        centres = sums;
        let (new_labels, new_dist) = x.assign(&centres);
        let same = new_labels == labels;
        labels = new_labels;
        dist = new_dist;
        if same || shift <= tol {
            break;
        }
    }
    let inertia = dist.iter().sum();
    let centres = Array2::from_shape_vec((k, d), centres).unwrap_or_else(|_| Array2::zeros((k, d)));
    Ok((centres, inertia, n_iter))
}

/// Rows as one row-major slice (fast inner loops).
struct Flat<'a> {
    data: std::borrow::Cow<'a, [f64]>,
    n: usize,
    d: usize,
}

impl<'a> Flat<'a> {
    fn of(x: &'a Array2<f64>) -> Flat<'a> {
        let (n, d) = x.dim();
        let data = match x.as_slice() {
            Some(s) => std::borrow::Cow::Borrowed(s),
            None => std::borrow::Cow::Owned(x.iter().copied().collect()),
        };
        Flat { data, n, d }
    }

    fn row(&self, i: usize) -> &[f64] {
        &self.data[i * self.d..(i + 1) * self.d]
    }

    /// Nearest centre (flat, k x d) per row (ties: the lower index) and the squared
    /// distance to it.
    fn assign(&self, centres: &[f64]) -> (Vec<usize>, Vec<f64>) {
        let d = self.d.max(1);
        (0..self.n)
            .into_par_iter()
            .map(|i| {
                let row = self.row(i);
                let mut best = (0, f64::INFINITY);
                for (c, centre) in centres.chunks_exact(d).enumerate() {
                    let dd = sq(row, centre);
                    if dd < best.1 {
                        best = (c, dd);
                    }
                }
                best
            })
            .unzip()
    }
}

/// Squared Euclidean distance between two slices.
fn sq(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(p, q)| (p - q) * (p - q)).sum()
}

/// Greedy k-means++ (scikit-learn's): each new centre is the best of `2 + ln k` candidates
/// drawn with probability proportional to the squared distance to the nearest centre.
/// Returns the centres flat (k x d).
fn kmeans_pp(x: &Flat<'_>, k: usize, r: &mut Pcg64Mcg) -> Vec<f64> {
    let (n, d) = (x.n, x.d);
    let trials = 2 + (k as f64).ln().floor() as usize;
    let mut centres = vec![0.0; k * d];
    let first = r.random_range(0..n);
    centres[..d].copy_from_slice(x.row(first));
    let mut closest: Vec<f64> = (0..n).map(|i| sq(x.row(i), x.row(first))).collect();
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
            let new_closest: Vec<f64> = (0..n)
                .map(|i| closest[i].min(sq(x.row(i), cand_row)))
                .collect();
            let pot: f64 = new_closest.iter().sum();
            if best.as_ref().is_none_or(|(b, _, _)| pot < *b) {
                best = Some((pot, cand, new_closest));
            }
        }
        if let Some((_, cand, new_closest)) = best {
            centres[c * d..(c + 1) * d].copy_from_slice(x.row(cand));
            closest = new_closest;
        }
    }
    centres
}

/// Nearest centre per row (ties: the lower index) and the squared distance to it.
pub(crate) fn assign(x: &Array2<f64>, centres: &Array2<f64>) -> (Vec<usize>, Vec<f64>) {
    let c = centres.as_standard_layout();
    let flat: Vec<f64> = c.iter().copied().collect();
    Flat::of(x).assign(&flat)
}

pub(crate) fn sq_dist(a: ArrayView1<'_, f64>, b: ArrayView1<'_, f64>) -> f64 {
    a.iter().zip(b.iter()).map(|(p, q)| (p - q) * (p - q)).sum()
}
