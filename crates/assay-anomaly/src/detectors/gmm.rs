//! Gaussian mixture likelihood: a diagonal-covariance mixture of 4 components fitted by EM on a
//! seeded sample of at most 5 x `max_fit_rows` standardised rows (mean 0, sd 1) (k-means++ style seeding,
//! variance floor 1e-6, at most 100 iterations); a row's score is its negative log-likelihood.

use ndarray::{Array2, ArrayView1};
use rand::RngExt;
use rayon::prelude::*;

use crate::AnomalyError;
use crate::ctl::Ctl;
use crate::detectors::par_rows;
use crate::input::Input;
use crate::neighbors::gather;
use crate::sample::{rng, sample_positions};
use crate::stats::{apply_scale, standard_scale};

/// Mixture components.
const COMPONENTS: usize = 4;
/// EM iterations at most.
const ITERATIONS: usize = 100;
/// Added to every variance (scikit-learn's `reg_covar`).
const REG: f64 = 1e-6;

/// A diagonal Gaussian mixture.
struct Mixture {
    weight: Vec<f64>,
    mean: Array2<f64>,
    var: Array2<f64>,
    /// Per component: ln(weight) - 0.5 * sum ln(2 pi var), refreshed by [`Mixture::refresh`].
    constant: Vec<f64>,
    /// 1 / var, refreshed by [`Mixture::refresh`].
    precision: Array2<f64>,
}

impl Mixture {
    /// Recomputes the cached constants after the parameters change.
    fn refresh(&mut self) {
        self.precision = self.var.mapv(|v| 1.0 / v);
        self.constant = (0..self.weight.len())
            .map(|c| {
                let logdet: f64 = self
                    .var
                    .row(c)
                    .iter()
                    .map(|v| (2.0 * std::f64::consts::PI * v).ln())
                    .sum();
                self.weight[c].max(f64::MIN_POSITIVE).ln() - 0.5 * logdet
            })
            .collect();
    }
}

/// GMM negative log-likelihood scores.
pub(crate) fn score(input: &Input, ctl: Ctl) -> Result<Vec<f64>, AnomalyError> {
    let rows = sample_positions(input.rows(), 5 * input.max_fit_rows, input.seed, 5);
    let z = apply_scale(input.raw.view(), &standard_scale(input.raw.view()));
    let fit = gather(&z, &rows);
    let mut model = seed_model(&fit, input.seed);
    let mut last = f64::NEG_INFINITY;
    for it in 0..ITERATIONS {
        let ll = em_step(&fit, &mut model);
        ctl.report(0.8 * it as f64 / ITERATIONS as f64)?;
        if (ll - last).abs() < 1e-4 * ll.abs().max(1.0) {
            break;
        }
        last = ll;
    }
    par_rows(&z, ctl.part(0.8, 1.0), |_, row| {
        -log_likelihood(&model, row)
    })
}

/// Initial means by k-means++ seeding; shared variance and equal weights.
fn seed_model(x: &Array2<f64>, seed: u64) -> Mixture {
    let (n, d) = x.dim();
    let k = COMPONENTS.min(n);
    let mut r = rng(seed, 6);
    let mut centres = vec![r.random_range(0..n)];
    let mut near = vec![f64::INFINITY; n];
    while centres.len() < k {
        let last = x.row(centres[centres.len() - 1]);
        for (i, m) in near.iter_mut().enumerate() {
            *m = m.min(sq(x.row(i), last));
        }
        let total: f64 = near.iter().sum();
        let mut target = r.random::<f64>() * total;
        let pick = near.iter().position(|&m| {
            target -= m;
            target <= 0.0
        });
        centres.push(pick.unwrap_or(n - 1));
    }
    let var = x.var_axis(ndarray::Axis(0), 0.0).mapv(|v| v + REG);
    let mut m = Mixture {
        weight: vec![1.0 / k as f64; k],
        mean: Array2::from_shape_fn((k, d), |(c, j)| x[[centres[c], j]]),
        var: Array2::from_shape_fn((k, d), |(_, j)| var[j]),
        constant: Vec::new(),
        precision: Array2::zeros((k, d)),
    };
    m.refresh();
    m
}

fn sq(a: ArrayView1<f64>, b: ArrayView1<f64>) -> f64 {
    a.iter().zip(b).map(|(p, q)| (p - q) * (p - q)).sum()
}

/// Per-component log densities (weighted) of one row.
fn component_logs(m: &Mixture, row: ArrayView1<f64>) -> Vec<f64> {
    (0..m.weight.len())
        .map(|c| {
            let (mean, prec) = (m.mean.row(c), m.precision.row(c));
            let mut q = 0.0;
            for ((&v, &mu), &p) in row.iter().zip(mean.iter()).zip(prec.iter()) {
                q += (v - mu) * (v - mu) * p;
            }
            m.constant[c] - 0.5 * q
        })
        .collect()
}

fn log_sum_exp(v: &[f64]) -> f64 {
    let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !max.is_finite() {
        return max;
    }
    max + v.iter().map(|x| (x - max).exp()).sum::<f64>().ln()
}

fn log_likelihood(m: &Mixture, row: ArrayView1<f64>) -> f64 {
    log_sum_exp(&component_logs(m, row))
}

/// One EM iteration; returns the mean log-likelihood before the update.
fn em_step(x: &Array2<f64>, m: &mut Mixture) -> f64 {
    let (n, d) = x.dim();
    let k = m.weight.len();
    let rows: Vec<(Vec<f64>, f64)> = (0..n)
        .into_par_iter()
        .map(|i| {
            let logs = component_logs(m, x.row(i));
            let norm = log_sum_exp(&logs);
            (logs.iter().map(|l| (l - norm).exp()).collect(), norm)
        })
        .collect();
    let total: f64 = rows.iter().map(|r| r.1).sum();
    let resp = Array2::from_shape_fn((n, k), |(i, c)| rows[i].0[c]);
    for c in 0..k {
        let r = resp.column(c);
        let nk = r.sum().max(1e-10);
        m.weight[c] = nk / n as f64;
        for j in 0..d {
            let mean = r.iter().zip(x.column(j)).map(|(w, v)| w * v).sum::<f64>() / nk;
            let var = r
                .iter()
                .zip(x.column(j))
                .map(|(w, v)| w * (v - mean) * (v - mean))
                .sum::<f64>()
                / nk;
            m.mean[[c, j]] = mean;
            m.var[[c, j]] = var + REG;
        }
    }
    m.refresh();
    total / n as f64
}
