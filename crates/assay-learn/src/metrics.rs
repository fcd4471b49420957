//! Metrics with scikit-learn's conventions: accuracy, macro F1, log loss, confusion matrix,
//! binary ROC-AUC; RMSE, MAE, R²; k-means inertia and the silhouette coefficient.

use ndarray::{Array2, ArrayView2};
use rayon::prelude::*;

use crate::data::{rng, streams};
use crate::error::{LearnError, Result};
use crate::kmeans::sq_dist;

fn same_len(what: &'static str, a: usize, b: usize) -> Result<()> {
    if a != b {
        return Err(LearnError::LengthMismatch {
            what,
            left: a,
            right: b,
        });
    }
    if a == 0 {
        return Err(LearnError::Empty {
            what: "the metric input",
        });
    }
    Ok(())
}

/// Share of rows where the prediction equals the truth.
pub fn accuracy<T: PartialEq>(y_true: &[T], y_pred: &[T]) -> Result<f64> {
    same_len("true vs predicted labels", y_true.len(), y_pred.len())?;
    let hits = y_true.iter().zip(y_pred).filter(|(a, b)| a == b).count();
    Ok(hits as f64 / y_true.len() as f64)
}

/// Counts of (true class, predicted class): entry `[t][p]`, classes as indices `0..n_classes`.
pub fn confusion_matrix(
    y_true: &[usize],
    y_pred: &[usize],
    n_classes: usize,
) -> Result<Vec<Vec<u64>>> {
    same_len("true vs predicted labels", y_true.len(), y_pred.len())?;
    let mut m = vec![vec![0u64; n_classes]; n_classes];
    for (&t, &p) in y_true.iter().zip(y_pred) {
        if t >= n_classes || p >= n_classes {
            return Err(LearnError::LengthMismatch {
                what: "class index vs number of classes",
                left: t.max(p),
                right: n_classes,
            });
        }
        m[t][p] += 1;
    }
    Ok(m)
}

/// Unweighted mean of the per-class F1 scores over the classes present in the truth or the
/// predictions (a class with no true and no predicted positives is left out; an undefined F1
/// counts as 0, as scikit-learn's `zero_division` default).
pub fn macro_f1(y_true: &[usize], y_pred: &[usize], n_classes: usize) -> Result<f64> {
    let m = confusion_matrix(y_true, y_pred, n_classes)?;
    let mut sum = 0.0;
    let mut classes = 0;
    for c in 0..n_classes {
        let tp = m[c][c] as f64;
        let actual: u64 = m[c].iter().sum();
        let predicted: u64 = m.iter().map(|r| r[c]).sum();
        if actual == 0 && predicted == 0 {
            continue;
        }
        classes += 1;
        let denom = (actual + predicted) as f64;
        if denom > 0.0 {
            sum += 2.0 * tp / denom;
        }
    }
    Ok(if classes == 0 {
        0.0
    } else {
        sum / classes as f64
    })
}

/// Mean negative log-likelihood of the true classes under `proba` (rows x classes, each row
/// renormalised; probabilities clipped to `[eps, 1 - eps]` with machine epsilon, as
/// scikit-learn).
pub fn log_loss(y_true: &[usize], proba: &ArrayView2<'_, f64>) -> Result<f64> {
    same_len(
        "true labels vs probability rows",
        y_true.len(),
        proba.nrows(),
    )?;
    let eps = f64::EPSILON;
    let mut total = 0.0;
    for (row, &t) in proba.outer_iter().zip(y_true) {
        if t >= row.len() {
            return Err(LearnError::LengthMismatch {
                what: "class index vs probability columns",
                left: t,
                right: row.len(),
            });
        }
        let clipped: Vec<f64> = row.iter().map(|p| p.clamp(eps, 1.0 - eps)).collect();
        let s: f64 = clipped.iter().sum();
        total -= (clipped[t] / s).ln();
    }
    Ok(total / y_true.len() as f64)
}

/// Area under the ROC curve for a binary truth (`true` = positive) and scores (higher =
/// more positive); ties count half (the Mann-Whitney statistic). An error when only one
/// class is present.
pub fn roc_auc(y_true: &[bool], scores: &[f64]) -> Result<f64> {
    same_len("labels vs scores", y_true.len(), scores.len())?;
    let pos = y_true.iter().filter(|&&b| b).count();
    let neg = y_true.len() - pos;
    if pos == 0 || neg == 0 {
        return Err(LearnError::OneClass {
            class: if pos == 0 { "negative" } else { "positive" }.into(),
        });
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    // Average ranks (1-based) over ties; sum the ranks of the positives.
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && scores[order[j + 1]] == scores[order[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        rank_sum += avg * order[i..=j].iter().filter(|&&k| y_true[k]).count() as f64;
        i = j + 1;
    }
    let (p, q) = (pos as f64, neg as f64);
    Ok((rank_sum - p * (p + 1.0) / 2.0) / (p * q))
}

/// Root mean squared error.
pub fn rmse(y_true: &[f64], y_pred: &[f64]) -> Result<f64> {
    same_len("true vs predicted values", y_true.len(), y_pred.len())?;
    let s: f64 = y_true
        .iter()
        .zip(y_pred)
        .map(|(a, b)| (a - b) * (a - b))
        .sum();
    Ok((s / y_true.len() as f64).sqrt())
}

/// Mean absolute error.
pub fn mae(y_true: &[f64], y_pred: &[f64]) -> Result<f64> {
    same_len("true vs predicted values", y_true.len(), y_pred.len())?;
    let s: f64 = y_true.iter().zip(y_pred).map(|(a, b)| (a - b).abs()).sum();
    Ok(s / y_true.len() as f64)
}

/// Coefficient of determination, `1 - SS_res / SS_tot`. With a constant truth: 1 for a
/// perfect prediction, else 0 (scikit-learn's `force_finite`).
pub fn r2(y_true: &[f64], y_pred: &[f64]) -> Result<f64> {
    same_len("true vs predicted values", y_true.len(), y_pred.len())?;
    let n = y_true.len() as f64;
    let mean = y_true.iter().sum::<f64>() / n;
    let ss_tot: f64 = y_true.iter().map(|v| (v - mean) * (v - mean)).sum();
    let ss_res: f64 = y_true
        .iter()
        .zip(y_pred)
        .map(|(a, b)| (a - b) * (a - b))
        .sum();
    Ok(if ss_tot == 0.0 {
        if ss_res == 0.0 { 1.0 } else { 0.0 }
    } else {
        1.0 - ss_res / ss_tot
    })
}

/// Sum of squared distances of each row to its cluster's centre (`centres`: k x features).
pub fn inertia(
    x: &ArrayView2<'_, f64>,
    labels: &[usize],
    centres: &ArrayView2<'_, f64>,
) -> Result<f64> {
    same_len("feature rows vs cluster labels", x.nrows(), labels.len())?;
    if x.ncols() != centres.ncols() {
        return Err(LearnError::FeatureCount {
            expected: centres.ncols(),
            got: x.ncols(),
        });
    }
    let mut s = 0.0;
    for (row, &l) in x.outer_iter().zip(labels) {
        if l >= centres.nrows() {
            return Err(LearnError::LengthMismatch {
                what: "cluster label vs number of centres",
                left: l,
                right: centres.nrows(),
            });
        }
        s += sq_dist(row, centres.row(l));
    }
    Ok(s)
}

/// Mean silhouette coefficient (Euclidean) over a seeded sample of at most `max_rows` rows,
/// distances taken within the sample (scikit-learn's `silhouette_score(sample_size=...)`);
/// rows alone in their cluster score 0. `None` when the sample has fewer than 2 or more than
/// `rows - 1` distinct clusters (the score is undefined).
pub fn silhouette(
    x: &ArrayView2<'_, f64>,
    labels: &[usize],
    max_rows: usize,
    seed: u64,
) -> Result<Option<f64>> {
    same_len("feature rows vs cluster labels", x.nrows(), labels.len())?;
    let n = x.nrows();
    let rows: Vec<usize> = if n > max_rows {
        let mut picked =
            rand::seq::index::sample(&mut rng(seed, streams::SILHOUETTE), n, max_rows).into_vec();
        picked.sort_unstable();
        picked
    } else {
        (0..n).collect()
    };
    let m = rows.len();
    let mut ids: Vec<usize> = rows.iter().map(|&r| labels[r]).collect();
    let mut distinct = ids.clone();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < 2 || distinct.len() > m - 1 {
        return Ok(None);
    }
    for id in ids.iter_mut() {
        *id = distinct.binary_search(id).unwrap_or(0);
    }
    let k = distinct.len();
    let mut sizes = vec![0usize; k];
    for &c in &ids {
        sizes[c] += 1;
    }
    let sample: Array2<f64> = x.select(ndarray::Axis(0), &rows);
    let total: f64 = (0..m)
        .into_par_iter()
        .map(|i| {
            let own = ids[i];
            if sizes[own] <= 1 {
                return 0.0;
            }
            let mut sums = vec![0.0; k];
            let a_row = sample.row(i);
            for j in 0..m {
                if j != i {
                    sums[ids[j]] += sq_dist(a_row, sample.row(j)).sqrt();
                }
            }
            let a = sums[own] / (sizes[own] - 1) as f64;
            let b = (0..k)
                .filter(|&c| c != own)
                .map(|c| sums[c] / sizes[c] as f64)
                .fold(f64::INFINITY, f64::min);
            let denom = a.max(b);
            if denom > 0.0 { (b - a) / denom } else { 0.0 }
        })
        .collect::<Vec<f64>>()
        .iter()
        .sum();
    Ok(Some(total / m as f64))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Reference values from scikit-learn 1.9.1 on the same arrays:
    //   roc_auc_score([0,0,1,1,1,0], [0.1,0.4,0.35,0.8,0.4,0.2]) -> 0.8333333333333334
    //   f1_score([0,1,2,2,1,0], [0,2,2,2,1,1], average="macro") -> 0.6555555555555556
    //   log_loss([0,1,1], [[0.9,0.1],[0.2,0.8],[0.6,0.4]]) -> 0.414931599615397
    // (printed by tests/sklearn_reference.py)
    //   r2_score([3,-0.5,2,7], [2.5,0,2,8]) -> 0.9486081370449679
    #[test]
    fn match_scikit_learn_on_small_arrays() {
        let auc = roc_auc(
            &[false, false, true, true, true, false],
            &[0.1, 0.4, 0.35, 0.8, 0.4, 0.2],
        )
        .expect("auc");
        assert!((auc - 0.833_333_333_333_333_4).abs() < 1e-12, "{auc}");
        let f1 = macro_f1(&[0, 1, 2, 2, 1, 0], &[0, 2, 2, 2, 1, 1], 3).expect("f1");
        assert!((f1 - 0.655_555_555_555_555_6).abs() < 1e-12, "{f1}");
        let p = ndarray::array![[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]];
        let ll = log_loss(&[0, 1, 1], &p.view()).expect("log loss");
        assert!((ll - 0.414_931_599_615_397).abs() < 1e-12, "{ll}");
        let r = r2(&[3.0, -0.5, 2.0, 7.0], &[2.5, 0.0, 2.0, 8.0]).expect("r2");
        assert!((r - 0.948_608_137_044_967_9).abs() < 1e-12, "{r}");
    }

    #[test]
    fn mismatched_and_one_class_inputs_are_errors() {
        assert!(accuracy(&[1, 2], &[1]).is_err());
        assert!(roc_auc(&[true, true], &[0.1, 0.2]).is_err());
        assert!(rmse(&[], &[]).is_err());
    }
}
