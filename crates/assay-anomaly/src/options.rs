//! What to detect on and how: the method, the columns, the seed and the policies for missing
//! values and large tables.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A detector, or the default ensemble of several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// The default: several fast, complementary detectors combined (see [`crate::ensemble`]).
    Ensemble,
    /// Isolation Forest (Liu et al. 2008): 100 trees on 256-row subsamples, scored by path length.
    IsolationForest,
    /// Local Outlier Factor against a seeded reference sample (novelty mode), 20 neighbours.
    Lof,
    /// Distance to the k-th nearest neighbour in a seeded reference sample.
    Knn,
    /// Histogram-based outlier score: per-feature histograms, summed negative log densities.
    Hbos,
    /// Empirical-CDF outlier detection (Li et al. 2022): summed per-feature tail probabilities.
    Ecod,
    /// Copula-based outlier detection (Li et al. 2020).
    Copod,
    /// PCA: squared projections onto every principal component, weighted by its variance.
    Pca,
    /// Robust z-score: the largest |x - median| / (1.4826 MAD) over the features.
    Mad,
    /// Tukey's fences: the largest distance outside [Q1 - 1.5 IQR, Q3 + 1.5 IQR], in IQRs.
    Iqr,
    /// DBSCAN on a seeded sample; a row's score is its distance to the nearest core point.
    Dbscan,
    /// Negative log-likelihood under a diagonal Gaussian mixture fitted by EM.
    Gmm,
}

impl Method {
    /// Every single detector (everything except [`Method::Ensemble`]).
    pub const SINGLES: [Method; 11] = [
        Method::IsolationForest,
        Method::Lof,
        Method::Knn,
        Method::Hbos,
        Method::Ecod,
        Method::Copod,
        Method::Pca,
        Method::Mad,
        Method::Iqr,
        Method::Dbscan,
        Method::Gmm,
    ];

    /// The stable snake_case name (as in JSON and on the command line).
    pub fn name(self) -> &'static str {
        match self {
            Method::Ensemble => "ensemble",
            Method::IsolationForest => "isolation_forest",
            Method::Lof => "lof",
            Method::Knn => "knn",
            Method::Hbos => "hbos",
            Method::Ecod => "ecod",
            Method::Copod => "copod",
            Method::Pca => "pca",
            Method::Mad => "mad",
            Method::Iqr => "iqr",
            Method::Dbscan => "dbscan",
            Method::Gmm => "gmm",
        }
    }

    /// Parses a name as printed by [`Method::name`] (also `iforest`).
    pub fn parse(name: &str) -> Option<Method> {
        let name = name.trim().to_ascii_lowercase();
        if name == "iforest" {
            return Some(Method::IsolationForest);
        }
        std::iter::once(Method::Ensemble)
            .chain(Method::SINGLES)
            .find(|m| m.name() == name)
    }
}

/// What to do with missing values (nulls, NaN and infinities) in the chosen columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MissingPolicy {
    /// Replace them with the column median (categories get their own "missing" level). An
    /// all-missing column is dropped with a note.
    #[default]
    Median,
    /// Leave rows with any missing value out of the detection (they get no score).
    DropRows,
    /// Refuse to run and name the first column with missing values.
    Error,
}

/// Options for [`crate::detect`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct DetectOptions {
    /// The detector; [`Method::Ensemble`] by default.
    pub method: Method,
    /// Feature columns. Empty: every numeric and boolean column except `label`.
    pub columns: Vec<String>,
    /// A 0/1 (or boolean) column of known anomalies, used only to evaluate the scores.
    pub label: Option<String>,
    /// Seed for every random choice (subsamples, trees); the same seed gives the same scores.
    #[ts(type = "number")]
    pub seed: u64,
    /// Missing-value policy.
    pub missing: MissingPolicy,
    /// At most this many rows are scored; above it a seeded uniform sample of rows is scored
    /// (and `Detection::row_index` says which).
    #[ts(type = "number")]
    pub max_rows: u64,
    /// Reference rows for the neighbour, density and clustering detectors (kNN, LOF, DBSCAN,
    /// GMM, PCA fit): a seeded uniform sample of this many rows; every row is still scored.
    #[ts(type = "number")]
    pub max_fit_rows: u64,
    /// Categorical columns with at most this many levels are one-hot encoded; columns with
    /// more are encoded by the frequency of their level (rare levels are unusual).
    pub max_levels: u32,
    /// Ensemble members; empty means the default members ([`crate::ensemble::DEFAULT_MEMBERS`]).
    pub members: Vec<Method>,
    /// Explain this many of the highest-scoring rows in the result.
    pub explain_top: u32,
    /// Points in the 2-D projection (a sample that always includes the top-scoring rows).
    pub projection_points: u32,
}

impl Default for DetectOptions {
    fn default() -> Self {
        DetectOptions {
            method: Method::Ensemble,
            columns: Vec::new(),
            label: None,
            seed: 0,
            missing: MissingPolicy::Median,
            max_rows: 2_000_000,
            max_fit_rows: 1_024,
            max_levels: 10,
            members: Vec::new(),
            explain_top: 20,
            projection_points: 5_000,
        }
    }
}
