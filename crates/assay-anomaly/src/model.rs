//! The detection result: what the panel shows and the JSON export holds. Scores are aligned
//! with `row_index` (the table rows that were scored); higher always means more anomalous.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::Method;

/// The outcome of [`crate::detect`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Detection {
    /// The detector that produced `scores`.
    pub method: Method,
    /// Rows in the table before sampling or dropping.
    #[ts(type = "number")]
    pub table_rows: u64,
    /// The table row of each score, ascending.
    #[ts(type = "number[]")]
    pub row_index: Vec<u64>,
    /// One score per scored row; higher is more anomalous.
    pub scores: Vec<f64>,
    /// `scores` rescaled to 0..1 (min-max).
    pub normalized: Vec<f64>,
    /// Each ensemble member's own scores (a single detector lists itself).
    pub members: Vec<MemberScores>,
    /// Suggested cut-offs on `scores`.
    pub thresholds: Vec<Threshold>,
    /// The features the detectors saw, after encoding and dropping.
    pub features: Vec<Feature>,
    /// What was done to the data (dropped columns, imputed values, sampling), in plain words.
    pub notes: Vec<String>,
    /// Explanations of the highest-scoring rows, highest first.
    pub top: Vec<RowExplanation>,
    /// A 2-D PCA view of (a sample of) the rows.
    pub projection: Projection,
    /// Quality against the label column, when one was given.
    pub evaluation: Option<Evaluation>,
    /// Wall time of the detection, seconds.
    pub seconds: f64,
}

/// One detector's scores inside an ensemble.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MemberScores {
    /// The detector.
    pub method: Method,
    /// Its raw scores, aligned with `Detection::row_index`; higher is more anomalous.
    pub scores: Vec<f64>,
    /// Its wall time, seconds.
    pub seconds: f64,
    /// Its ROC-AUC against the label column, when one was given.
    pub roc_auc: Option<f64>,
}

/// How a suggested cut-off was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ThresholdRule {
    /// Flags a fixed share of rows (the contamination).
    Contamination,
    /// Median + 3.5 robust standard deviations (1.4826 MAD) of the scores.
    Mad,
    /// The widest relative gap between consecutive scores in the top 10% of rows.
    Gap,
}

/// A suggested cut-off: rows with `score >= value` are flagged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Threshold {
    /// How it was chosen.
    pub rule: ThresholdRule,
    /// A short label, e.g. `top 5%`.
    pub label: String,
    /// The cut-off on `Detection::scores`.
    pub value: f64,
    /// Rows at or above it.
    #[ts(type = "number")]
    pub flagged: u64,
}

/// How a source column became a feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// Numbers as they are (cast to f64; dates as their physical integer).
    Numeric,
    /// Booleans as 0/1.
    Boolean,
    /// One 0/1 feature per level.
    OneHot,
    /// The share of rows with the row's level.
    Frequency,
}

/// A feature the detectors saw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Feature {
    /// Feature name: the column, or `column=level` for one-hot features.
    pub name: String,
    /// The source column.
    pub column: String,
    /// How it was encoded.
    pub encoding: Encoding,
    /// Missing values replaced by the median (policy `median`).
    #[ts(type = "number")]
    pub imputed: u64,
}

/// Whether a feature value is unusually high or low.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// In the upper tail.
    High,
    /// In the lower tail.
    Low,
}

/// How much one feature makes a row unusual (ECOD-style per-feature tail probability).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FeatureContribution {
    /// The feature.
    pub feature: String,
    /// The row's value (after encoding and imputation).
    pub value: f64,
    /// The feature's median.
    pub median: f64,
    /// Share of rows at least as extreme in this direction.
    pub tail_probability: f64,
    /// -ln(tail probability): the feature's share of the ECOD score.
    pub score: f64,
    /// `score` as a share of the row's total over features (0..1).
    pub share: f64,
    /// Which tail.
    pub direction: Direction,
}

/// One row's explanation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RowExplanation {
    /// The table row.
    #[ts(type = "number")]
    pub row: u64,
    /// Its score.
    pub score: f64,
    /// Features, most unusual first.
    pub contributions: Vec<FeatureContribution>,
}

/// A 2-D projection on the first two principal components (of the standardised features).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
pub struct Projection {
    /// Table rows of the points.
    #[ts(type = "number[]")]
    pub row_index: Vec<u64>,
    /// First component.
    pub x: Vec<f64>,
    /// Second component.
    pub y: Vec<f64>,
    /// Share of variance the two components explain.
    pub explained_variance: [f64; 2],
}

/// A point of the ROC curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
pub struct RocPoint {
    /// False-positive rate.
    pub fpr: f64,
    /// True-positive rate.
    pub tpr: f64,
    /// Score cut-off for this point.
    pub threshold: f64,
}

/// Scores against known labels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Evaluation {
    /// Area under the ROC curve (ties count half).
    pub roc_auc: f64,
    /// Average precision (area under the precision-recall steps, as scikit-learn).
    pub average_precision: f64,
    /// Precision among the `k` highest scores.
    pub precision_at_k: f64,
    /// `k`: the number of positive labels.
    #[ts(type = "number")]
    pub k: u64,
    /// Positive labels.
    #[ts(type = "number")]
    pub positives: u64,
    /// Negative labels.
    #[ts(type = "number")]
    pub negatives: u64,
    /// The ROC curve, at most about 200 points, from (0,0) to (1,1).
    pub roc_curve: Vec<RocPoint>,
}
