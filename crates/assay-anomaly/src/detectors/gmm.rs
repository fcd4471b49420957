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
    let z = input.standardized();
    let fit = gather(z, &rows);
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
    par_rows(z, ctl.part(0.8, 1.0), |_, row| -log_likelihood(&model, row))
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

/// Per-component log densities (weighted) of one row; the first `m.weight.len()` are used.
fn component_logs(m: &Mixture, row: ArrayView1<f64>) -> [f64; COMPONENTS] {
    let mut out = [f64::NEG_INFINITY; COMPONENTS];
    for (c, o) in out.iter_mut().enumerate().take(m.weight.len()) {
        let (mean, prec) = (m.mean.row(c), m.precision.row(c));
        let mut q = 0.0;
        for ((&v, &mu), &p) in row.iter().zip(mean.iter()).zip(prec.iter()) {
            q += (v - mu) * (v - mu) * p;
        }
        *o = m.constant[c] - 0.5 * q;
    }
    out
}

fn log_sum_exp(v: &[f64]) -> f64 {
    let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !max.is_finite() {
        return max;
    }
    max + v.iter().map(|x| (x - max).exp()).sum::<f64>().ln()
}

fn log_likelihood(m: &Mixture, row: ArrayView1<f64>) -> f64 {
    log_sum_exp(&component_logs(m, row)[..m.weight.len()])
}

/// Rows per parallel part of an E step (fixed, so sums do not depend on scheduling).
const PART: usize = 256;

/// Sufficient statistics of an E step: per component the summed responsibility, the weighted
/// sums of x and x^2 per feature, and the summed log-likelihood.
struct Moments {
    weight: Vec<f64>,
    sum: Array2<f64>,
    squares: Array2<f64>,
    ll: f64,
}

impl Moments {
    fn new(k: usize, d: usize) -> Self {
        Moments {
            weight: vec![0.0; k],
            sum: Array2::zeros((k, d)),
            squares: Array2::zeros((k, d)),
            ll: 0.0,
        }
    }

    /// Adds `other` (in a fixed order, for deterministic sums).
    fn add(mut self, other: &Moments) -> Self {
        self.weight
            .iter_mut()
            .zip(&other.weight)
            .for_each(|(a, b)| *a += b);
        self.sum += &other.sum;
        self.squares += &other.squares;
        self.ll += other.ll;
        self
    }
}

/// The E step's moments over rows `from..to`, one contiguous pass over each row; each row's
/// component terms are exponentiated once (for both its likelihood and its responsibilities).
fn moments(x: &Array2<f64>, m: &Mixture, from: usize, to: usize) -> Moments {
    let (k, d) = (m.weight.len(), x.ncols());
    let mut weight = vec![0.0; k];
    let mut sum = vec![0.0; k * d];
    let mut squares = vec![0.0; k * d];
    let mut ll = 0.0;
    for i in from..to {
        let row = x.row(i);
        let logs = component_logs(m, row);
        let top = logs[..k].iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if !top.is_finite() {
            ll += top;
            continue;
        }
        let mut terms = [0.0; COMPONENTS];
        for (t, &l) in terms.iter_mut().zip(&logs[..k]) {
            *t = (l - top).exp();
        }
        let total: f64 = terms[..k].iter().sum();
        ll += top + total.ln();
        for (c, &t) in terms[..k].iter().enumerate() {
            let w = t / total;
            weight[c] += w;
            let (s, q) = (
                &mut sum[c * d..(c + 1) * d],
                &mut squares[c * d..(c + 1) * d],
            );
            for ((s, q), &v) in s.iter_mut().zip(q.iter_mut()).zip(row.iter()) {
                *s += w * v;
                *q += w * v * v;
            }
        }
    }
    let shape =
        |v: Vec<f64>| Array2::from_shape_vec((k, d), v).unwrap_or_else(|_| Array2::zeros((k, d)));
    Moments {
        weight,
        sum: shape(sum),
        squares: shape(squares),
        ll,
    }
}

/// One EM iteration; returns the mean log-likelihood before the update. The M step uses the
/// moments (variance = E[x^2] - mean^2, as scikit-learn's diagonal update).
fn em_step(x: &Array2<f64>, m: &mut Mixture) -> f64 {
    let (n, d) = x.dim();
    let k = m.weight.len();
    let parts: Vec<Moments> = (0..n.div_ceil(PART))
        .into_par_iter()
        .map(|p| moments(x, m, p * PART, ((p + 1) * PART).min(n)))
        .collect();
    let total = parts.iter().fold(Moments::new(k, d), Moments::add);
    for c in 0..k {
        let nk = total.weight[c].max(1e-10);
        m.weight[c] = nk / n as f64;
        for j in 0..d {
            let mean = total.sum[[c, j]] / nk;
            let var = (total.squares[[c, j]] / nk - mean * mean).max(0.0);
            m.mean[[c, j]] = mean;
            m.var[[c, j]] = var + REG;
        }
    }
    m.refresh();
    total.ll / n as f64
}
