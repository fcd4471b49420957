//! Suggested cut-offs on the scores: fixed contaminations (1%, 5%, 10%), a robust rule
//! (median + 3.5 x 1.4826 MAD) and the widest relative gap in the top 10%.

use crate::model::{Threshold, ThresholdRule};
use crate::stats::{median, quantile_sorted};

/// Robust standard deviations above the median for the MAD rule.
const MAD_CUT: f64 = 3.5;

/// The suggested thresholds for `scores` (finite values).
pub(crate) fn suggest(scores: &[f64]) -> Vec<Threshold> {
    let mut sorted: Vec<f64> = scores.to_vec();
    sorted.sort_unstable_by(f64::total_cmp);
    let flagged = |v: f64| (sorted.len() - sorted.partition_point(|&s| s < v)) as u64;
    let mut out: Vec<Threshold> = [0.01, 0.05, 0.10]
        .iter()
        .map(|&c| {
            let value = quantile_sorted(&sorted, 1.0 - c);
            Threshold {
                rule: ThresholdRule::Contamination,
                label: format!("top {}%", (c * 100.0).round()),
                value,
                flagged: flagged(value),
            }
        })
        .collect();
    let value = mad_cut(&sorted);
    out.push(Threshold {
        rule: ThresholdRule::Mad,
        label: "median + 3.5 MAD".into(),
        value,
        flagged: flagged(value),
    });
    if let Some(value) = gap_cut(&sorted) {
        out.push(Threshold {
            rule: ThresholdRule::Gap,
            label: "widest gap in the top 10%".into(),
            value,
            flagged: flagged(value),
        });
    }
    out
}

fn mad_cut(sorted: &[f64]) -> f64 {
    let med = quantile_sorted(sorted, 0.5);
    let mut dev: Vec<f64> = sorted.iter().map(|s| (s - med).abs()).collect();
    let mad = median(&mut dev) * 1.4826;
    med + MAD_CUT * mad
}

/// The score just above the widest gap (relative to the score range) among the top 10%.
fn gap_cut(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    let start = n - (n / 10).max(2).min(n);
    let range = sorted[n - 1] - sorted[0];
    if range <= 0.0 || n < 3 {
        return None;
    }
    (start.max(1)..n)
        .max_by(|&a, &b| (sorted[a] - sorted[a - 1]).total_cmp(&(sorted[b] - sorted[b - 1])))
        .map(|i| sorted[i])
}
