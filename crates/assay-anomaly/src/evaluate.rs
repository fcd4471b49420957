//! Scores against known labels: ROC-AUC (ties count half), average precision, precision@k and
//! a downsampled ROC curve. Labels are only ever used here, never to fit or tune a detector.

use rayon::prelude::*;

use crate::{AnomalyError, Evaluation, RocPoint};

/// Most points kept on the ROC curve (plus the two ends).
const ROC_POINTS: usize = 200;

/// Evaluates `scores` (higher = more anomalous) against `labels` (true = anomaly).
///
/// Fails when the lengths differ, a score is not finite, or only one class is present.
pub fn evaluate(scores: &[f64], labels: &[bool]) -> Result<Evaluation, AnomalyError> {
    if scores.len() != labels.len() {
        return Err(AnomalyError::Evaluation(format!(
            "{} scores but {} labels",
            scores.len(),
            labels.len()
        )));
    }
    if scores.iter().any(|s| !s.is_finite()) {
        return Err(AnomalyError::Evaluation("a score is not finite".into()));
    }
    let positives = labels.iter().filter(|&&l| l).count();
    let negatives = labels.len() - positives;
    if positives == 0 || negatives == 0 {
        return Err(AnomalyError::Evaluation(format!(
            "the labels need both classes ({positives} anomalies, {negatives} normal rows)"
        )));
    }
    let order = ranked(scores, labels);
    let groups = tie_groups(&order);
    Ok(Evaluation {
        roc_auc: auc_from_groups(&groups, positives, negatives),
        average_precision: average_precision(&groups, positives),
        precision_at_k: precision_at_k(&order, positives),
        k: positives as u64,
        positives: positives as u64,
        negatives: negatives as u64,
        roc_curve: roc_curve(&groups, positives, negatives),
    })
}

/// ROC-AUC alone (ties count half); `None` when it is undefined (one class, bad lengths).
pub fn roc_auc(scores: &[f64], labels: &[bool]) -> Option<f64> {
    evaluate(scores, labels).ok().map(|e| e.roc_auc)
}

/// (score, label) by descending score, ties in row order (as a stable sort). Sorted on
/// integer keys: the score's bits mapped to an order-preserving u64 and inverted, paired with
/// the row and its label (lowest bit), so the labels travel with the sort.
fn ranked(scores: &[f64], labels: &[bool]) -> Vec<(f64, bool)> {
    let mut keyed: Vec<(u64, usize)> = scores
        .iter()
        .zip(labels)
        .enumerate()
        .map(|(i, (s, &l))| (!ordered_bits(*s), i << 1 | usize::from(l)))
        .collect();
    // Keys are distinct (rows break ties), so any sort gives this one order.
    keyed.par_sort_unstable();
    keyed
        .into_iter()
        .map(|(k, t)| (from_ordered_bits(!k), t & 1 == 1))
        .collect()
}

/// The inverse of [`ordered_bits`].
fn from_ordered_bits(b: u64) -> f64 {
    f64::from_bits(if b >> 63 == 1 { b & !(1 << 63) } else { !b })
}

/// The bits of `x` as a u64 that sorts like `f64::total_cmp`.
fn ordered_bits(x: f64) -> u64 {
    let b = x.to_bits();
    if b >> 63 == 1 { !b } else { b | (1 << 63) }
}

/// Consecutive runs of equal scores (highest first): (score, positives, negatives).
fn tie_groups(ranked: &[(f64, bool)]) -> Vec<(f64, usize, usize)> {
    let mut groups: Vec<(f64, usize, usize)> = Vec::new();
    for &(score, label) in ranked {
        let (p, n) = if label { (1, 0) } else { (0, 1) };
        match groups.last_mut() {
            Some(g) if g.0 == score => {
                g.1 += p;
                g.2 += n;
            }
            _ => groups.push((score, p, n)),
        }
    }
    groups
}

/// Area under the ROC steps; a tie group contributes a trapezoid (= half credit).
fn auc_from_groups(groups: &[(f64, usize, usize)], positives: usize, negatives: usize) -> f64 {
    let mut tp = 0.0;
    let mut area = 0.0;
    for &(_, p, n) in groups {
        area += n as f64 * (tp + p as f64 / 2.0);
        tp += p as f64;
    }
    area / (positives as f64 * negatives as f64)
}

/// scikit-learn's average precision: sum over thresholds of (recall step) x precision.
fn average_precision(groups: &[(f64, usize, usize)], positives: usize) -> f64 {
    let (mut tp, mut fp, mut ap) = (0usize, 0usize, 0.0);
    for &(_, p, n) in groups {
        tp += p;
        fp += n;
        if p > 0 {
            ap += (p as f64 / positives as f64) * (tp as f64 / (tp + fp) as f64);
        }
    }
    ap
}

/// Share of anomalies among the `k` highest-scoring rows.
fn precision_at_k(ranked: &[(f64, bool)], k: usize) -> f64 {
    let hits = ranked.iter().take(k).filter(|r| r.1).count();
    hits as f64 / k.max(1) as f64
}

/// The ROC curve through every tie group, thinned to about [`ROC_POINTS`] points.
fn roc_curve(groups: &[(f64, usize, usize)], positives: usize, negatives: usize) -> Vec<RocPoint> {
    let mut points = vec![RocPoint {
        fpr: 0.0,
        tpr: 0.0,
        threshold: f64::MAX,
    }];
    let (mut tp, mut fp) = (0usize, 0usize);
    for &(score, p, n) in groups {
        tp += p;
        fp += n;
        points.push(RocPoint {
            fpr: fp as f64 / negatives as f64,
            tpr: tp as f64 / positives as f64,
            threshold: score,
        });
    }
    thin(points)
}

/// Keeps the ends and about [`ROC_POINTS`] evenly spaced points in between.
fn thin(points: Vec<RocPoint>) -> Vec<RocPoint> {
    if points.len() <= ROC_POINTS + 2 {
        return points;
    }
    let last = points.len() - 1;
    let mut kept: Vec<RocPoint> = (0..=ROC_POINTS)
        .map(|i| points[i * last / ROC_POINTS])
        .collect();
    kept.dedup_by(|a, b| a.fpr == b.fpr && a.tpr == b.tpr);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_example_with_ties() {
        // scores: 0.9(+) 0.8(-) 0.8(+) 0.3(-) 0.1(-); pairs (p, n): 2 x 3 = 6.
        // p=0.9 beats all 3 negatives: 3; p=0.8 ties one (0.5) and beats two: 2.5 -> 5.5 / 6.
        let scores = [0.9, 0.8, 0.8, 0.3, 0.1];
        let labels = [true, false, true, false, false];
        let e = evaluate(&scores, &labels).expect("evaluates");
        assert!((e.roc_auc - 5.5 / 6.0).abs() < 1e-12, "{}", e.roc_auc);
        // AP: threshold 0.9 -> recall 1/2, precision 1; 0.8 -> recall 1, precision 2/3.
        assert!((e.average_precision - (0.5 + 0.5 * 2.0 / 3.0)).abs() < 1e-12);
        assert_eq!(e.k, 2);
        assert!((e.precision_at_k - 0.5).abs() < 1e-12);
        assert_eq!(
            e.roc_curve.first().map(|p| (p.fpr, p.tpr)),
            Some((0.0, 0.0))
        );
        assert_eq!(e.roc_curve.last().map(|p| (p.fpr, p.tpr)), Some((1.0, 1.0)));
    }

    #[test]
    fn one_class_is_an_error() {
        assert!(evaluate(&[1.0, 2.0], &[true, true]).is_err());
        assert!(evaluate(&[1.0], &[true, false]).is_err());
    }
}
