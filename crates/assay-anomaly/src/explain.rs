//! Per-row explanations: which features make a row unusual, as ECOD's per-feature tail
//! probabilities (how rare a value at least this extreme is), whatever detector scored it.

use std::sync::OnceLock;

use ndarray::Array2;

use crate::AnomalyError;
use crate::model::{Direction, Feature, FeatureContribution};
use crate::tails::Tails;

/// Explains rows of a finished detection; keep it beside the [`crate::Detection`] to explain
/// any row the user picks.
pub struct Explainer {
    x: Array2<f64>,
    names: Vec<String>,
    row_index: Vec<u64>,
    /// Fitted on first use (sorting every column), so a run that explains nothing pays nothing.
    tails: OnceLock<Tails>,
}

impl Explainer {
    pub(crate) fn new(x: Array2<f64>, features: &[Feature], row_index: Vec<u64>) -> Self {
        Explainer {
            x,
            names: features.iter().map(|f| f.name.clone()).collect(),
            row_index,
            tails: OnceLock::new(),
        }
    }

    /// The prepared matrix (rows x features).
    pub(crate) fn matrix(&self) -> &Array2<f64> {
        &self.x
    }

    /// The features of table row `row`, most unusual first. Fails for a row that was not scored
    /// (sampled out or dropped for missing values).
    pub fn explain(&self, row: u64) -> Result<Vec<FeatureContribution>, AnomalyError> {
        let pos = self
            .row_index
            .binary_search(&row)
            .map_err(|_| AnomalyError::RowOutOfRange {
                row: row as usize,
                rows: self.row_index.len(),
            })?;
        Ok(self.explain_position(pos))
    }

    /// The features of the `pos`-th scored row, most unusual first.
    pub(crate) fn explain_position(&self, pos: usize) -> Vec<FeatureContribution> {
        let tails = self.tails.get_or_init(|| Tails::fit(&self.x));
        let row = self.x.row(pos);
        let mut out: Vec<FeatureContribution> = row
            .iter()
            .enumerate()
            .map(|(j, &value)| {
                let (left, right) = tails.probabilities(j, value);
                let (p, direction) = if left < right {
                    (left, Direction::Low)
                } else {
                    (right, Direction::High)
                };
                FeatureContribution {
                    feature: self.names[j].clone(),
                    value,
                    median: tails.median(j),
                    tail_probability: p,
                    score: -p.ln(),
                    share: 0.0,
                    direction,
                }
            })
            .collect();
        let total: f64 = out.iter().map(|c| c.score).sum();
        if total > 0.0 {
            out.iter_mut().for_each(|c| c.share = c.score / total);
        }
        out.sort_by(|a, b| b.score.total_cmp(&a.score));
        out
    }
}
