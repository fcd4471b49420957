//! Inputs: the target type, input checks, label encoding, standardisation and seeded
//! generators.

use ndarray::{Array1, Array2, ArrayView2};
use rand::SeedableRng;
use rand_pcg::Pcg64Mcg;
use serde::{Deserialize, Serialize};

use crate::error::{LearnError, Result};

/// What a model learns to predict: class labels, numbers, or nothing (clustering).
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// Class labels, one per row (classification). Classes are the distinct labels, sorted.
    Classes(Vec<String>),
    /// Numbers, one per row (regression).
    Values(Array1<f64>),
    /// No target (clustering).
    None,
}

impl Target {
    /// Rows in the target (`None` for [`Target::None`]).
    pub fn len(&self) -> Option<usize> {
        match self {
            Target::Classes(c) => Some(c.len()),
            Target::Values(v) => Some(v.len()),
            Target::None => None,
        }
    }

    /// True when the target has no rows (false for [`Target::None`]).
    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }

    /// The target restricted to `rows` (in that order), e.g. one side of a
    /// [`crate::Split`]. An index out of range is an error.
    pub fn select(&self, rows: &[usize]) -> Result<Target> {
        let n = self.len().unwrap_or(usize::MAX);
        if let Some(&bad) = rows.iter().find(|&&r| r >= n) {
            return Err(LearnError::LengthMismatch {
                what: "row index vs target length",
                left: bad,
                right: n,
            });
        }
        Ok(match self {
            Target::Classes(c) => Target::Classes(rows.iter().map(|&r| c[r].clone()).collect()),
            Target::Values(v) => Target::Values(rows.iter().map(|&r| v[r]).collect()),
            Target::None => Target::None,
        })
    }

    pub(crate) fn kind_name(&self) -> &'static str {
        match self {
            Target::Classes(_) => "class labels",
            Target::Values(_) => "numbers",
            Target::None => "no target",
        }
    }
}

/// The rows of `x` at `rows` (in that order); an index out of range is an error.
pub fn select_rows(x: &Array2<f64>, rows: &[usize]) -> Result<Array2<f64>> {
    if let Some(&bad) = rows.iter().find(|&&r| r >= x.nrows()) {
        return Err(LearnError::LengthMismatch {
            what: "row index vs feature rows",
            left: bad,
            right: x.nrows(),
        });
    }
    Ok(x.select(ndarray::Axis(0), rows))
}

/// Checks a feature matrix: at least one row and column, every value finite.
pub(crate) fn check_features(x: &ArrayView2<'_, f64>, names: Option<&[String]>) -> Result<()> {
    if x.nrows() == 0 {
        return Err(LearnError::Empty {
            what: "the feature matrix",
        });
    }
    if x.ncols() == 0 {
        return Err(LearnError::NoFeatures);
    }
    // Row-major scan so the first bad row is found; the column is reported.
    for (row, values) in x.outer_iter().enumerate() {
        if let Some((column, &value)) = values.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(LearnError::NonFinite {
                column,
                name: names.and_then(|n| n.get(column).cloned()),
                row,
                value,
            });
        }
    }
    Ok(())
}

/// Distinct labels (sorted) and each row's index into them.
pub(crate) fn encode_labels(labels: &[String]) -> (Vec<String>, Vec<usize>) {
    let mut classes: Vec<String> = labels.to_vec();
    classes.sort_unstable();
    classes.dedup();
    let index = labels
        .iter()
        .map(|l| classes.binary_search(l).unwrap_or(0))
        .collect();
    (classes, index)
}

/// Per-feature centring and scaling (population standard deviation, as scikit-learn's
/// `StandardScaler`; a constant feature keeps scale 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scaler {
    /// Training means, one per feature.
    pub mean: Vec<f64>,
    /// Training standard deviations (1 where a feature is constant), one per feature.
    pub scale: Vec<f64>,
}

impl Scaler {
    /// Fits the means and standard deviations of the columns of `x`.
    pub(crate) fn fit(x: &ArrayView2<'_, f64>) -> Scaler {
        let n = x.nrows().max(1) as f64;
        let mut mean = Vec::with_capacity(x.ncols());
        let mut scale = Vec::with_capacity(x.ncols());
        for col in x.columns() {
            let m = col.sum() / n;
            let var = col.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / n;
            let sd = var.sqrt();
            mean.push(m);
            // Like scikit-learn: a (numerically) constant column is only centred.
            scale.push(if sd > 10.0 * f64::EPSILON * m.abs().max(1.0) {
                sd
            } else {
                1.0
            });
        }
        Scaler { mean, scale }
    }

    /// `x` standardised.
    pub(crate) fn transform(&self, x: &ArrayView2<'_, f64>) -> Array2<f64> {
        let mut out = x.to_owned();
        for (j, mut col) in out.columns_mut().into_iter().enumerate() {
            let (m, s) = (self.mean[j], self.scale[j]);
            col.mapv_inplace(|v| (v - m) / s);
        }
        out
    }

    pub(crate) fn check(&self, n_features: usize) -> Result<()> {
        if self.mean.len() != n_features || self.scale.len() != n_features {
            return Err(LearnError::Artifact(format!(
                "the scaler has {} means and {} scales for {n_features} features",
                self.mean.len(),
                self.scale.len()
            )));
        }
        if self.mean.iter().chain(&self.scale).any(|v| !v.is_finite())
            || self.scale.iter().any(|&s| s <= 0.0)
        {
            return Err(LearnError::Artifact(
                "the scaler has a non-finite mean or a non-positive scale".into(),
            ));
        }
        Ok(())
    }
}

/// A generator for `stream` under `seed`: one per purpose (tree, k-means start, ...), so
/// results do not depend on thread scheduling.
pub(crate) fn rng(seed: u64, stream: u64) -> Pcg64Mcg {
    let mixed = splitmix(seed ^ splitmix(stream.wrapping_add(0x9E37_79B9_7F4A_7C15)));
    Pcg64Mcg::seed_from_u64(mixed)
}

/// SplitMix64's finaliser: spreads nearby seeds far apart.
fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Random-stream numbers used across the crate, kept apart so no two purposes share one.
pub(crate) mod streams {
    /// The train/test split.
    pub const SPLIT: u64 = 1;
    /// The silhouette sample.
    pub const SILHOUETTE: u64 = 2;
    /// Random forest tree `t` uses `FOREST + t`.
    pub const FOREST: u64 = 1 << 32;
    /// K-means start `i` uses `KMEANS + i`.
    pub const KMEANS: u64 = 2 << 32;
}
