//! Suggested cut-offs on the scores: fixed contaminations (1%, 5%, 10%), a robust rule
//! (median + 3.5 x 1.4826 MAD) and the widest relative gap in the top 10%.

use crate::model::{Threshold, ThresholdRule};
use crate::stats::{median, quantile_select, quantile_sorted};

/// Robust standard deviations above the median for the MAD rule.
const MAD_CUT: f64 = 3.5;

/// Suggested cut-offs for `scores` (higher = more anomalous). Only the top of the scores is
/// sorted (what the contamination quantiles and the gap need); the median and MAD are selected.
pub(crate) fn suggest(scores: &[f64]) -> Vec<Threshold> {
    let (top, tail) = top_sorted(scores);
    let flagged = |v: f64| scores.iter().filter(|&&s| s >= v).count() as u64;
    let mut out: Vec<Threshold> = [0.01, 0.05, 0.10]
        .iter()
        .map(|&c| {
            let value = quantile_sorted(&top, 1.0 - c);
            Threshold {
                rule: ThresholdRule::Contamination,
                label: format!("top {}%", (c * 100.0).round()),
                value,
                flagged: flagged(value),
            }
        })
        .collect();
    let value = mad_cut(scores);
    out.push(Threshold {
        rule: ThresholdRule::Mad,
        label: "median + 3.5 MAD".into(),
        value,
        flagged: flagged(value),
    });
    let lowest = scores.iter().copied().fold(f64::INFINITY, f64::min);
    if let Some(value) = gap_cut(&top, tail, lowest) {
        out.push(Threshold {
            rule: ThresholdRule::Gap,
            label: "widest gap in the top 10%".into(),
            value,
            flagged: flagged(value),
        });
    }
    out
}

/// First position of the widest-gap search (the top 10%, at least 2 values).
fn gap_start(n: usize) -> usize {
    n - (n / 10).max(2).min(n)
}

/// The scores with positions `tail..` holding exactly the sorted order's values there, where
/// `tail` is the lowest position the 90% quantile or the gap search reads.
fn top_sorted(scores: &[f64]) -> (Vec<f64>, usize) {
    let n = scores.len();
    let mut v = scores.to_vec();
    if n == 0 {
        return (v, 0);
    }
    let q90 = (0.90f64 * (n - 1) as f64).floor() as usize;
    let tail = q90.min(gap_start(n).max(1) - 1);
    v.select_nth_unstable_by(tail, f64::total_cmp);
    v[tail..].sort_unstable_by(f64::total_cmp);
    (v, tail)
}

/// The median plus 3.5 robust standard deviations (1.4826 MAD).
fn mad_cut(scores: &[f64]) -> f64 {
    let med = quantile_select(&mut scores.to_vec(), 0.5);
    let mut dev: Vec<f64> = scores.iter().map(|s| (s - med).abs()).collect();
    let mad = median(&mut dev) * 1.4826;
    med + MAD_CUT * mad
}

/// The score just above the widest gap (relative to the score range) among the top 10%.
fn gap_cut(top: &[f64], tail: usize, lowest: f64) -> Option<f64> {
    let n = top.len();
    if n < 3 || top[n - 1] - lowest <= 0.0 {
        return None;
    }
    let start = gap_start(n).max(1).max(tail + 1);
    (start..n)
        .max_by(|&a, &b| (top[a] - top[a - 1]).total_cmp(&(top[b] - top[b - 1])))
        .map(|i| top[i])
}

#[cfg(test)]
mod tests {
    use super::top_sorted;

    #[test]
    fn the_top_is_sorted_from_the_tail_on() {
        for n in [1usize, 2, 3, 10, 11, 500] {
            let values: Vec<f64> = (0..n).map(|i| ((i * 7919) % 101) as f64).collect();
            let mut sorted = values.clone();
            sorted.sort_by(f64::total_cmp);
            let (top, tail) = top_sorted(&values);
            assert_eq!(top[tail..], sorted[tail..], "n = {n}");
            assert!(tail <= (0.9 * (n - 1) as f64).floor() as usize);
        }
    }
}
