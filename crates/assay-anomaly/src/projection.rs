//! A 2-D view of the rows for the scatter plot: the first two principal components of the
//! standardised features, on at most `points` rows (the top 1% by score, up to a fifth of the
//! points, plus a seeded uniform sample of the rest).

use ndarray::Array2;

use crate::linalg::{covariance, symmetric_eigen};
use crate::model::Projection;
use crate::neighbors::gather;
use crate::sample::sample_positions;
use crate::stats::{apply_scale, standard_scale};

/// Features above which the projection uses only the highest-variance ones.
const MAX_FEATURES: usize = 256;

/// Projects (a sample of) `x`.
pub(crate) fn project(
    x: &Array2<f64>,
    scores: &[f64],
    row_index: &[u64],
    points: usize,
    seed: u64,
) -> Projection {
    let rows = pick_rows(scores, points, seed);
    let sample = gather(x, &rows);
    let z = apply_scale(sample.view(), &standard_scale(sample.view()));
    if z.ncols() > MAX_FEATURES || z.nrows() < 2 {
        return Projection::default();
    }
    let (cov, mean) = covariance(z.view());
    let (values, vectors) = symmetric_eigen(cov);
    let total: f64 = values
        .iter()
        .filter(|v| **v > 0.0)
        .sum::<f64>()
        .max(f64::MIN_POSITIVE);
    let axis = |c: usize| -> Vec<f64> {
        if c >= vectors.ncols() {
            return vec![0.0; z.nrows()];
        }
        z.rows()
            .into_iter()
            .map(|r| (&r - &mean).dot(&vectors.column(c)))
            .collect()
    };
    let share = |c: usize| values.get(c).map_or(0.0, |v| v.max(0.0) / total);
    Projection {
        row_index: rows.iter().map(|&r| row_index[r]).collect(),
        x: axis(0),
        y: axis(1),
        explained_variance: [share(0), share(1)],
    }
}

/// Positions to plot: the highest scores first, then a uniform sample; ascending.
fn pick_rows(scores: &[f64], points: usize, seed: u64) -> Vec<usize> {
    let n = scores.len();
    if n <= points {
        return (0..n).collect();
    }
    let top_k = (n / 100).min(points / 5);
    let mut order: Vec<usize> = (0..n).collect();
    order.select_nth_unstable_by(top_k, |&a, &b| scores[b].total_cmp(&scores[a]));
    let mut picked: Vec<usize> = order[..top_k].to_vec();
    picked.extend(sample_positions(n, points - top_k, seed, 8));
    picked.sort_unstable();
    picked.dedup();
    picked
}
