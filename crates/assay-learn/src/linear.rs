//! Linear models on standardised features: multinomial logistic regression (L-BFGS) and the
//! elastic net (coordinate descent).

use ndarray::{Array1, Array2, ArrayView2, Axis};
use serde::{Deserialize, Serialize};

use crate::ctl::Ctl;
use crate::data::Scaler;
use crate::error::{LearnError, Result};
use crate::options::{ElasticNetOptions, LogisticRegressionOptions};

/// A fitted logistic regression: standardisation, then `z = W x + b` per output and a
/// softmax (or, with two classes, a sigmoid of the single output for the second class).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogisticModel {
    scaler: Scaler,
    /// Outputs: 1 for two classes, else one per class.
    n_outputs: usize,
    /// Coefficients on the standardised scale, `n_outputs` rows of `features` values.
    coef: Vec<f64>,
    /// One intercept per output.
    intercept: Vec<f64>,
    /// L-BFGS iterations used.
    pub n_iter: usize,
    /// Whether the gradient tolerance was reached.
    pub converged: bool,
}

impl LogisticModel {
    /// Coefficients on the standardised scale: one row per output (one row for two
    /// classes, for the second class; else one per class), one column per feature.
    pub fn coefficients(&self) -> Array2<f64> {
        let d = self.scaler.mean.len();
        Array2::from_shape_vec((self.n_outputs, d), self.coef.clone())
            .unwrap_or_else(|_| Array2::zeros((self.n_outputs, d)))
    }

    /// One intercept per output.
    pub fn intercepts(&self) -> &[f64] {
        &self.intercept
    }

    /// Class probabilities (rows x classes).
    pub(crate) fn predict_proba(&self, x: &ArrayView2<'_, f64>) -> Array2<f64> {
        let xs = self.scaler.transform(x);
        let z = self.logits(&xs);
        probabilities(z)
    }

    fn logits(&self, xs: &Array2<f64>) -> Array2<f64> {
        let w = self.coefficients();
        let mut z = xs.dot(&w.t());
        for mut row in z.rows_mut() {
            for (v, b) in row.iter_mut().zip(&self.intercept) {
                *v += b;
            }
        }
        z
    }

    /// Mean |coefficient| over the outputs, per feature (standardised scale).
    pub(crate) fn importances(&self) -> Vec<f64> {
        let w = self.coefficients();
        w.map(|v| v.abs())
            .mean_axis(Axis(0))
            .map(|m| m.to_vec())
            .unwrap_or_default()
    }

    pub(crate) fn check(&self, n_features: usize, n_classes: usize) -> Result<()> {
        self.scaler.check(n_features)?;
        let outputs = if n_classes == 2 { 1 } else { n_classes };
        if self.n_outputs != outputs
            || self.coef.len() != outputs * n_features
            || self.intercept.len() != outputs
        {
            return Err(LearnError::Artifact(format!(
                "logistic regression shapes do not match {n_features} features and {n_classes} classes"
            )));
        }
        Ok(())
    }
}

/// Softmax of each row (or sigmoid columns `[1 - p, p]` for a single output).
fn probabilities(z: Array2<f64>) -> Array2<f64> {
    let n = z.nrows();
    if z.ncols() == 1 {
        let mut p = Array2::zeros((n, 2));
        for (i, &zi) in z.column(0).iter().enumerate() {
            let p1 = sigmoid(zi);
            p[[i, 0]] = 1.0 - p1;
            p[[i, 1]] = p1;
        }
        return p;
    }
    let mut p = z;
    for mut row in p.rows_mut() {
        let max = row.fold(f64::NEG_INFINITY, |a, &b| a.max(b));
        row.mapv_inplace(|v| (v - max).exp());
        let s = row.sum();
        row.mapv_inplace(|v| v / s);
    }
    p
}

fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// `log(1 + exp(z))` without overflow.
fn softplus(z: f64) -> f64 {
    if z > 0.0 {
        z + (-z).exp().ln_1p()
    } else {
        z.exp().ln_1p()
    }
}

/// Fits a logistic regression on `x` with class indices `y` (`n_classes >= 2`).
pub(crate) fn fit_logistic(
    x: &ArrayView2<'_, f64>,
    y: &[usize],
    n_classes: usize,
    opts: &LogisticRegressionOptions,
    ctl: &Ctl<'_>,
) -> Result<LogisticModel> {
    let scaler = Scaler::fit(x);
    let xs = scaler.transform(x);
    let (n, d) = xs.dim();
    let m = if n_classes == 2 { 1 } else { n_classes };
    let lambda = 1.0 / (opts.c * n as f64);
    // theta = [W (m x d, row-major), b (m)]
    let objective = |theta: &[f64], grad: &mut [f64]| -> f64 {
        let w = ndarray::ArrayView2::from_shape((m, d), &theta[..m * d]);
        let Ok(w) = w else { return f64::INFINITY };
        let b = &theta[m * d..];
        let mut z = xs.dot(&w.t());
        for mut row in z.rows_mut() {
            for (v, bc) in row.iter_mut().zip(b) {
                *v += bc;
            }
        }
        // Loss and dL/dz (= p - onehot) per row, divided by n.
        let mut loss = 0.0;
        let inv_n = 1.0 / n as f64;
        if m == 1 {
            for (i, zi) in z.column_mut(0).iter_mut().enumerate() {
                let yi = if y[i] == 1 { 1.0 } else { 0.0 };
                loss += softplus(*zi) - yi * *zi;
                *zi = (sigmoid(*zi) - yi) * inv_n;
            }
        } else {
            for (i, mut row) in z.rows_mut().into_iter().enumerate() {
                let max = row.fold(f64::NEG_INFINITY, |a, &v| a.max(v));
                let lse = max + row.iter().map(|v| (v - max).exp()).sum::<f64>().ln();
                loss += lse - row[y[i]];
                row.mapv_inplace(|v| (v - lse).exp() * inv_n);
                row[y[i]] -= inv_n;
            }
        }
        let g = z; // n x m
        let gw = g.t().dot(&xs); // m x d
        let mut penalty = 0.0;
        for (k, (gk, &wk)) in gw.iter().zip(&theta[..m * d]).enumerate() {
            grad[k] = gk + lambda * wk;
            penalty += wk * wk;
        }
        let gb = g.sum_axis(Axis(0));
        for (c, v) in gb.iter().enumerate() {
            grad[m * d + c] = *v;
        }
        loss * inv_n + 0.5 * lambda * penalty
    };
    let start = vec![0.0; m * d + m];
    let result = lbfgs(objective, start, opts.max_iter, opts.tol, ctl)?;
    Ok(LogisticModel {
        scaler,
        n_outputs: m,
        coef: result.x[..m * d].to_vec(),
        intercept: result.x[m * d..].to_vec(),
        n_iter: result.n_iter,
        converged: result.converged,
    })
}

struct Minimum {
    x: Vec<f64>,
    n_iter: usize,
    converged: bool,
}

/// Limited-memory BFGS (10 pairs) with a backtracking Armijo line search, for a smooth
/// convex objective. Stops when the largest gradient entry is at most `gtol`, or when the
/// objective stops decreasing (relative change below 64 machine epsilons, as scikit-learn
/// asks of SciPy).
fn lbfgs<F>(mut f: F, mut x: Vec<f64>, max_iter: usize, gtol: f64, ctl: &Ctl<'_>) -> Result<Minimum>
where
    F: FnMut(&[f64], &mut [f64]) -> f64,
{
    const MEMORY: usize = 10;
    let n = x.len();
    let mut g = vec![0.0; n];
    let mut fx = f(&x, &mut g);
    let mut s_hist: Vec<Vec<f64>> = Vec::new();
    let mut y_hist: Vec<Vec<f64>> = Vec::new();
    let mut rho_hist: Vec<f64> = Vec::new();
    let mut x_new = vec![0.0; n];
    let mut g_new = vec![0.0; n];
    let inf_norm = |v: &[f64]| v.iter().fold(0.0f64, |a, b| a.max(b.abs()));
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(p, q)| p * q).sum::<f64>();
    for iter in 0..max_iter {
        if inf_norm(&g) <= gtol {
            return Ok(Minimum {
                x,
                n_iter: iter,
                converged: true,
            });
        }
        ctl.report(iter as f64 / max_iter as f64)?;
        // Two-loop recursion: direction = -H g.
        let mut q = g.clone();
        let mut alphas = vec![0.0; s_hist.len()];
        for i in (0..s_hist.len()).rev() {
            alphas[i] = rho_hist[i] * dot(&s_hist[i], &q);
            for (qj, yj) in q.iter_mut().zip(&y_hist[i]) {
                *qj -= alphas[i] * yj;
            }
        }
        let gamma = match (s_hist.last(), y_hist.last()) {
            (Some(s), Some(yv)) => dot(s, yv) / dot(yv, yv),
            _ => 1.0 / inf_norm(&g).max(1.0),
        };
        for qj in q.iter_mut() {
            *qj *= gamma;
        }
        for i in 0..s_hist.len() {
            let beta = rho_hist[i] * dot(&y_hist[i], &q);
            for (qj, sj) in q.iter_mut().zip(&s_hist[i]) {
                *qj += (alphas[i] - beta) * sj;
            }
        }
        let mut dir: Vec<f64> = q.iter().map(|v| -v).collect();
        let mut slope = dot(&g, &dir);
        if slope >= 0.0 {
            // Not a descent direction (numerical trouble): restart from steepest descent.
            s_hist.clear();
            y_hist.clear();
            rho_hist.clear();
            let scale = 1.0 / inf_norm(&g).max(1.0);
            dir = g.iter().map(|v| -v * scale).collect();
            slope = dot(&g, &dir);
        }
        // Backtracking line search (Armijo).
        let mut step = 1.0;
        let mut f_new = f64::INFINITY;
        let mut accepted = false;
        for _ in 0..60 {
            for j in 0..n {
                x_new[j] = x[j] + step * dir[j];
            }
            f_new = f(&x_new, &mut g_new);
            if f_new.is_finite() && f_new <= fx + 1e-4 * step * slope {
                accepted = true;
                break;
            }
            step *= 0.5;
        }
        if !accepted {
            return Ok(Minimum {
                x,
                n_iter: iter + 1,
                converged: inf_norm(&g) <= gtol,
            });
        }
        let s: Vec<f64> = x_new.iter().zip(&x).map(|(a, b)| a - b).collect();
        let yv: Vec<f64> = g_new.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy = dot(&s, &yv);
        if sy > 1e-12 * dot(&yv, &yv).max(f64::MIN_POSITIVE) {
            if s_hist.len() == MEMORY {
                s_hist.remove(0);
                y_hist.remove(0);
                rho_hist.remove(0);
            }
            s_hist.push(s);
            y_hist.push(yv);
            rho_hist.push(1.0 / sy);
        }
        let f_old = fx;
        std::mem::swap(&mut x, &mut x_new);
        std::mem::swap(&mut g, &mut g_new);
        fx = f_new;
        let rel = (f_old - fx) / f_old.abs().max(fx.abs()).max(1.0);
        if rel <= 64.0 * f64::EPSILON {
            return Ok(Minimum {
                x,
                n_iter: iter + 1,
                converged: true,
            });
        }
    }
    let converged = inf_norm(&g) <= gtol;
    Ok(Minimum {
        x,
        n_iter: max_iter,
        converged,
    })
}

/// A fitted elastic net: `y = intercept + sum_j coef_j * (x_j - mean_j) / scale_j`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElasticNetModel {
    scaler: Scaler,
    /// Coefficients on the standardised scale.
    coef: Vec<f64>,
    /// The intercept (the training mean of the target).
    intercept: f64,
    /// Passes over the features used.
    pub n_iter: usize,
    /// Whether the duality gap reached the tolerance.
    pub converged: bool,
}

impl ElasticNetModel {
    /// Coefficients on the standardised scale, one per feature.
    pub fn coefficients(&self) -> &[f64] {
        &self.coef
    }

    /// The intercept.
    pub fn intercept(&self) -> f64 {
        self.intercept
    }

    pub(crate) fn predict(&self, x: &ArrayView2<'_, f64>) -> Array1<f64> {
        let xs = self.scaler.transform(x);
        xs.dot(&Array1::from(self.coef.clone())) + self.intercept
    }

    pub(crate) fn importances(&self) -> Vec<f64> {
        self.coef.iter().map(|c| c.abs()).collect()
    }

    pub(crate) fn check(&self, n_features: usize) -> Result<()> {
        self.scaler.check(n_features)?;
        if self.coef.len() != n_features || !self.intercept.is_finite() {
            return Err(LearnError::Artifact(format!(
                "elastic net has {} coefficients for {n_features} features",
                self.coef.len()
            )));
        }
        Ok(())
    }
}

/// Fits an elastic net by cyclic coordinate descent (scikit-learn's `cd_fast` with its
/// duality-gap stopping rule).
pub(crate) fn fit_elastic_net(
    x: &ArrayView2<'_, f64>,
    y: &Array1<f64>,
    opts: &ElasticNetOptions,
    ctl: &Ctl<'_>,
) -> Result<ElasticNetModel> {
    let scaler = Scaler::fit(x);
    let xs = scaler.transform(x);
    let (n, d) = xs.dim();
    let nf = n as f64;
    let y_mean = y.sum() / nf;
    let yc: Array1<f64> = y.mapv(|v| v - y_mean);
    // The sum-form objective: 0.5 |r|² + l1 |w|₁ + 0.5 l2 |w|².
    let l1 = opts.alpha * opts.l1_ratio * nf;
    let l2 = opts.alpha * (1.0 - opts.l1_ratio) * nf;
    let cols: Vec<Array1<f64>> = xs.columns().into_iter().map(|c| c.to_owned()).collect();
    let norms: Vec<f64> = cols.iter().map(|c| c.dot(c)).collect();
    let mut w = vec![0.0; d];
    let mut r = yc.clone();
    let tol = opts.tol * yc.dot(&yc);
    let mut n_iter = 0;
    let mut converged = false;
    for iter in 0..opts.max_iter {
        n_iter = iter + 1;
        if iter % 16 == 0 {
            ctl.report(iter as f64 / opts.max_iter as f64)?;
        }
        let mut w_max: f64 = 0.0;
        let mut dw_max: f64 = 0.0;
        for j in 0..d {
            if norms[j] <= 0.0 {
                continue;
            }
            let w_old = w[j];
            let rho = cols[j].dot(&r) + w_old * norms[j];
            let w_new = soft_threshold(rho, l1) / (norms[j] + l2);
            if w_new != w_old {
                r.scaled_add(w_old - w_new, &cols[j]);
            }
            w[j] = w_new;
            dw_max = dw_max.max((w_new - w_old).abs());
            w_max = w_max.max(w_new.abs());
        }
        if w_max == 0.0 || dw_max / w_max <= opts.tol || iter + 1 == opts.max_iter {
            let gap = duality_gap(&cols, &w, &r, &yc, l1, l2);
            if gap <= tol {
                converged = true;
                break;
            }
        }
    }
    Ok(ElasticNetModel {
        scaler,
        coef: w,
        intercept: y_mean,
        n_iter,
        converged,
    })
}

fn soft_threshold(v: f64, t: f64) -> f64 {
    if v > t {
        v - t
    } else if v < -t {
        v + t
    } else {
        0.0
    }
}

/// The elastic-net duality gap (sum form), as in scikit-learn's `enet_coordinate_descent`.
fn duality_gap(
    cols: &[Array1<f64>],
    w: &[f64],
    r: &Array1<f64>,
    y: &Array1<f64>,
    l1: f64,
    l2: f64,
) -> f64 {
    let dual_norm = cols
        .iter()
        .zip(w)
        .map(|(c, wj)| (c.dot(r) - l2 * wj).abs())
        .fold(0.0f64, f64::max);
    let r_norm2 = r.dot(r);
    let w_norm2: f64 = w.iter().map(|v| v * v).sum();
    let (constant, mut gap) = if dual_norm > l1 {
        let c = l1 / dual_norm;
        (c, 0.5 * (r_norm2 + r_norm2 * c * c))
    } else {
        (1.0, r_norm2)
    };
    let l1_norm: f64 = w.iter().map(|v| v.abs()).sum();
    gap += l1 * l1_norm - constant * r.dot(y) + 0.5 * l2 * (1.0 + constant * constant) * w_norm2;
    gap
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lbfgs_minimises_a_quadratic() {
        // f(x) = sum_i (i + 1) (x_i - i)^2
        let f = |x: &[f64], g: &mut [f64]| {
            let mut v = 0.0;
            for (i, xi) in x.iter().enumerate() {
                let a = (i + 1) as f64;
                v += a * (xi - i as f64).powi(2);
                g[i] = 2.0 * a * (xi - i as f64);
            }
            v
        };
        let flag = std::sync::atomic::AtomicBool::new(false);
        let m = lbfgs(
            f,
            vec![0.0; 5],
            100,
            1e-10,
            &Ctl::new(&crate::ctl::no_progress, &flag),
        )
        .expect("not cancelled");
        assert!(m.converged);
        for (i, xi) in m.x.iter().enumerate() {
            assert!((xi - i as f64).abs() < 1e-8, "{:?}", m.x);
        }
    }

    #[test]
    fn elastic_net_without_penalty_is_least_squares() {
        // y = 3 + 2 a - b exactly.
        let x = ndarray::array![[0.0, 1.0], [1.0, 0.0], [2.0, 3.0], [3.0, 1.0], [4.0, 5.0]];
        let y: Array1<f64> = x
            .rows()
            .into_iter()
            .map(|r| 3.0 + 2.0 * r[0] - r[1])
            .collect();
        let opts = ElasticNetOptions {
            alpha: 0.0,
            tol: 1e-12,
            max_iter: 10_000,
            ..Default::default()
        };
        let flag = std::sync::atomic::AtomicBool::new(false);
        let ctl = Ctl::new(&crate::ctl::no_progress, &flag);
        let m = fit_elastic_net(&x.view(), &y, &opts, &ctl).expect("not cancelled");
        let p = m.predict(&x.view());
        for (a, b) in p.iter().zip(&y) {
            assert!((a - b).abs() < 1e-6, "{p} vs {y}");
        }
    }
}
