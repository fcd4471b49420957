//! History checks: a metric (the row count, or another rule's observed value) may move by at
//! most `max_percent` from the mean of its last `runs` values. The caller keeps the history
//! (the project store); this is the pure decision.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::suite::number;

/// The decision of a history check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct HistoryOutcome {
    /// Whether the change is within bounds (true when there is no history yet).
    pub passed: bool,
    /// Mean of the past values used, if any.
    pub baseline: Option<f64>,
    /// Relative change from the baseline, percent (absent without a baseline).
    pub change_percent: Option<f64>,
    /// Past values used (newest last).
    pub runs_used: u32,
    /// One sentence.
    pub message: String,
}

/// Decides whether `current` moved by at most `max_percent` from the mean of the last `runs`
/// values of `past` (oldest first, newest last). Non-finite past values are ignored. Without
/// any past value the check passes and says so; a zero baseline passes only an unchanged value.
pub fn evaluate_history(current: f64, past: &[f64], runs: u32, max_percent: f64) -> HistoryOutcome {
    let usable: Vec<f64> = past.iter().copied().filter(|x| x.is_finite()).collect();
    let window = &usable[usable.len().saturating_sub(runs.max(1) as usize)..];
    if window.is_empty() {
        return HistoryOutcome {
            passed: true,
            baseline: None,
            change_percent: None,
            runs_used: 0,
            message: format!(
                "{} now; no earlier runs to compare with yet",
                number(current)
            ),
        };
    }
    let baseline = window.iter().sum::<f64>() / window.len() as f64;
    let change = if baseline == 0.0 {
        if current == 0.0 { 0.0 } else { f64::INFINITY }
    } else {
        (current - baseline) / baseline.abs() * 100.0
    };
    let passed = change.abs() <= max_percent;
    let verb = if passed { "within" } else { "more than" };
    HistoryOutcome {
        passed,
        baseline: Some(baseline),
        change_percent: Some(change),
        runs_used: window.len() as u32,
        message: format!(
            "{} now vs {} on average over the last {} run(s): {change:+.2}%, {verb} ±{}%",
            number(current),
            number((baseline * 100.0).round() / 100.0),
            window.len(),
            number(max_percent)
        ),
    }
}
