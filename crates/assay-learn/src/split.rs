//! Seeded train/test splits, optionally stratified by class.

use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};

use crate::data::{Target, encode_labels, rng, streams};
use crate::error::{LearnError, Result};

/// How to split rows into a training and a test part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SplitOptions {
    /// Share of rows held out for testing, above 0 and below 1. Default 0.25 (scikit-learn's
    /// `train_test_split`); the test part gets `ceil(test_fraction * rows)` rows.
    pub test_fraction: f64,
    /// Keep each class's share equal in both parts (class-label targets only; ignored
    /// otherwise). Default true.
    pub stratify: bool,
}

impl Default for SplitOptions {
    fn default() -> Self {
        SplitOptions {
            test_fraction: 0.25,
            stratify: true,
        }
    }
}

/// Row indices of the two parts, each ascending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Split {
    /// Training rows.
    pub train: Vec<usize>,
    /// Test rows.
    pub test: Vec<usize>,
}

/// Splits `rows` rows at random (seeded). With `stratify` and a class target, each class is
/// split in proportion (largest remainders), and a class with a single row stays in training.
pub fn train_test_split(
    rows: usize,
    target: &Target,
    options: &SplitOptions,
    seed: u64,
) -> Result<Split> {
    let f = options.test_fraction;
    if !(f > 0.0 && f < 1.0) {
        return Err(LearnError::InvalidOption {
            field: "test_fraction",
            message: format!("must be above 0 and below 1, got {f}"),
        });
    }
    if let Some(len) = target.len().filter(|&len| len != rows) {
        return Err(LearnError::LengthMismatch {
            what: "feature rows vs target values",
            left: rows,
            right: len,
        });
    }
    let n_test = ((f * rows as f64).ceil() as usize).min(rows);
    if rows < 2 || n_test == 0 || n_test >= rows {
        return Err(LearnError::TooFewRows {
            what: format!("a train/test split with test fraction {f}"),
            min: 2,
            rows,
        });
    }
    let mut r = rng(seed, streams::SPLIT);
    let mut test: Vec<usize> = match (target, options.stratify) {
        (Target::Classes(labels), true) => {
            let (classes, idx) = encode_labels(labels);
            let mut members: Vec<Vec<usize>> = vec![Vec::new(); classes.len()];
            for (row, &c) in idx.iter().enumerate() {
                members[c].push(row);
            }
            // Each class's exact share, floored; the remaining rows go to the largest
            // remainders (ties: the larger class, then the lower class index).
            let exact: Vec<f64> = members
                .iter()
                .map(|m| n_test as f64 * m.len() as f64 / rows as f64)
                .collect();
            let mut take: Vec<usize> = exact.iter().map(|e| e.floor() as usize).collect();
            let mut left = n_test.saturating_sub(take.iter().sum());
            let mut order: Vec<usize> = (0..members.len()).collect();
            order.sort_by(|&a, &b| {
                let (ra, rb) = (exact[a] - exact[a].floor(), exact[b] - exact[b].floor());
                rb.total_cmp(&ra)
                    .then(members[b].len().cmp(&members[a].len()))
                    .then(a.cmp(&b))
            });
            for &c in order.iter().cycle().take(order.len() * 2) {
                if left == 0 {
                    break;
                }
                if take[c] + 1 < members[c].len() {
                    take[c] += 1;
                    left -= 1;
                }
            }
            let mut test = Vec::with_capacity(n_test);
            for (c, m) in members.iter_mut().enumerate() {
                // Keep at least one row of every class for training.
                let k = take[c].min(m.len().saturating_sub(1));
                m.shuffle(&mut r);
                test.extend_from_slice(&m[..k]);
            }
            test
        }
        _ => {
            let mut all: Vec<usize> = (0..rows).collect();
            all.shuffle(&mut r);
            all.truncate(n_test);
            all
        }
    };
    test.sort_unstable();
    let mut in_test = vec![false; rows];
    for &t in &test {
        in_test[t] = true;
    }
    let train: Vec<usize> = (0..rows).filter(|&i| !in_test[i]).collect();
    test.dedup();
    Ok(Split { train, test })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stratified_split_keeps_class_shares() {
        let labels: Vec<String> = (0..100)
            .map(|i| if i < 80 { "a" } else { "b" }.to_string())
            .collect();
        let s = train_test_split(100, &Target::Classes(labels), &SplitOptions::default(), 7)
            .expect("split");
        assert_eq!(s.test.len(), 25);
        assert_eq!(s.train.len(), 75);
        assert_eq!(s.test.iter().filter(|&&i| i >= 80).count(), 5);
        let again = train_test_split(
            100,
            &Target::None,
            &SplitOptions {
                stratify: false,
                ..Default::default()
            },
            7,
        )
        .expect("split");
        assert_eq!(again.test.len(), 25);
    }
}
