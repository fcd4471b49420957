//! The profile document: what the panel shows, the JSON export holds, and the HTML report
//! renders. Field names are stable (they are the JSON schema); numbers that are undefined
//! (e.g. the mean of an all-null column) are `null`.

use std::collections::BTreeMap;

pub use assay_data::ColumnKind;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A full profile of one table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct Profile {
    /// Schema version of this document.
    pub schema_version: u32,
    /// Table-level facts.
    pub table: TableStats,
    /// One entry per column, in table order.
    pub columns: Vec<ColumnProfile>,
    /// Correlation matrices.
    pub correlations: Correlations,
    /// Where values are missing.
    pub missing: Missingness,
    /// Fully duplicated rows.
    pub duplicates: Duplicates,
    /// Rows to look at.
    pub samples: Samples,
    /// Things worth a look, most severe first.
    pub alerts: Vec<Alert>,
    /// How the profile was computed.
    pub run: RunInfo,
}

/// Table-level facts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct TableStats {
    /// Rows.
    #[ts(type = "number")]
    pub rows: u64,
    /// Columns.
    pub columns: u32,
    /// Missing cells in all.
    #[ts(type = "number")]
    pub missing_cells: u64,
    /// Missing cells as a share of all cells (0..1).
    pub missing_cells_fraction: f64,
    /// Rows that repeat an earlier row exactly.
    #[ts(type = "number")]
    pub duplicate_rows: u64,
    /// Duplicate rows as a share of rows (0..1).
    pub duplicate_rows_fraction: f64,
    /// In-memory size of the data, bytes.
    #[ts(type = "number")]
    pub memory_bytes: u64,
    /// Columns per kind.
    pub kinds: BTreeMap<String, u32>,
}

/// A semantic hint inferred from a column's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SemanticHint {
    /// Every value distinct, like a key.
    IdLike,
    /// Few distinct values relative to rows.
    Categorical,
    /// Text that looks like e-mail addresses.
    Email,
    /// Text that looks like URLs.
    Url,
    /// Text that looks like dates or times.
    DateLike,
    /// Text that looks like numbers.
    NumericText,
}

/// Everything known about one column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct ColumnProfile {
    /// Column name.
    pub name: String,
    /// Engine type.
    pub dtype: String,
    /// Broad kind.
    pub kind: ColumnKind,
    /// Inferred semantics.
    pub hints: Vec<SemanticHint>,
    /// Present (non-missing) values.
    #[ts(type = "number")]
    pub count: u64,
    /// Missing values (null, and NaN for floats).
    #[ts(type = "number")]
    pub missing: u64,
    /// Missing share (0..1).
    pub missing_fraction: f64,
    /// Distinct present values.
    #[ts(type = "number")]
    pub distinct: u64,
    /// Whether `distinct` is a HyperLogLog estimate (text columns past 65,536 distinct values in
    /// tables over `exact_distinct_limit` rows); numbers and dates are always exact.
    pub distinct_approximate: bool,
    /// Distinct share of present values (0..1).
    pub distinct_fraction: f64,
    /// Values that occur exactly once.
    #[ts(type = "number")]
    pub unique: u64,
    /// In-memory size, bytes.
    #[ts(type = "number")]
    pub memory_bytes: u64,
    /// Most frequent values with counts (text, booleans, low-cardinality numbers).
    pub top_values: Vec<ValueCount>,
    /// Numeric statistics.
    pub numeric: Option<NumericStats>,
    /// Text statistics.
    pub text: Option<TextStats>,
    /// Date/time statistics.
    pub temporal: Option<TemporalStats>,
}

/// A value and how often it occurs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct ValueCount {
    /// The value as text.
    pub value: String,
    /// Occurrences.
    #[ts(type = "number")]
    pub count: u64,
}

/// Equal-width bins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct Histogram {
    /// Bin edges (`counts.len() + 1` values); the last bin includes its right edge.
    pub edges: Vec<f64>,
    /// Values per bin.
    #[ts(type = "Array<number>")]
    pub counts: Vec<u64>,
}

/// Whether values only go up or down in row order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Monotonicity {
    /// Each value greater than the one before.
    StrictlyIncreasing,
    /// Each value at least the one before.
    Increasing,
    /// Each value less than the one before.
    StrictlyDecreasing,
    /// Each value at most the one before.
    Decreasing,
    /// Neither.
    None,
}

/// Statistics of a numeric column (over present, finite values unless said otherwise).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct NumericStats {
    /// Smallest.
    pub min: Option<f64>,
    /// Largest.
    pub max: Option<f64>,
    /// max - min.
    pub range: Option<f64>,
    /// Arithmetic mean.
    pub mean: Option<f64>,
    /// Sample standard deviation (n - 1).
    pub std: Option<f64>,
    /// Sample variance (n - 1).
    pub variance: Option<f64>,
    /// Sum.
    pub sum: Option<f64>,
    /// 5th percentile (linear interpolation).
    pub p05: Option<f64>,
    /// First quartile.
    pub p25: Option<f64>,
    /// Median.
    pub p50: Option<f64>,
    /// Third quartile.
    pub p75: Option<f64>,
    /// 95th percentile.
    pub p95: Option<f64>,
    /// p75 - p25.
    pub iqr: Option<f64>,
    /// Median absolute deviation from the median.
    pub mad: Option<f64>,
    /// Coefficient of variation, std / mean.
    pub cv: Option<f64>,
    /// Sample skewness (bias-corrected, as pandas).
    pub skewness: Option<f64>,
    /// Excess kurtosis (bias-corrected, as pandas).
    pub kurtosis: Option<f64>,
    /// Zeros.
    #[ts(type = "number")]
    pub zeros: u64,
    /// Negative values.
    #[ts(type = "number")]
    pub negatives: u64,
    /// Infinite values.
    #[ts(type = "number")]
    pub infinite: u64,
    /// Row-order monotonicity.
    pub monotonicity: Monotonicity,
    /// Distribution.
    pub histogram: Histogram,
}

/// Statistics of a text column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct TextStats {
    /// Shortest length, characters.
    #[ts(type = "number")]
    pub min_length: u64,
    /// Longest length, characters.
    #[ts(type = "number")]
    pub max_length: u64,
    /// Mean length.
    pub mean_length: f64,
    /// Median length.
    pub median_length: f64,
    /// Distribution of lengths.
    pub length_histogram: Histogram,
    /// Characters by class over all values: letter, digit, space, punctuation, other;
    /// and uppercase/lowercase letters.
    pub char_classes: BTreeMap<String, u64>,
    /// Empty strings (present but "").
    #[ts(type = "number")]
    pub empty: u64,
}

/// Statistics of a date/time column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct TemporalStats {
    /// Earliest (ISO 8601).
    pub min: Option<String>,
    /// Latest (ISO 8601).
    pub max: Option<String>,
    /// Span in days.
    pub range_days: Option<f64>,
    /// The period the histogram counts by: year, month, day or hour.
    pub period: String,
    /// Values per period (label, count), in time order.
    pub histogram: Vec<ValueCount>,
}

/// Correlation matrices over numeric (and low-cardinality categorical) columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct Correlations {
    /// Rows used (a seeded random sample above a size).
    #[ts(type = "number")]
    pub sample_rows: u64,
    /// Pearson, Spearman and Kendall (tau-b) over numeric columns.
    pub numeric: Vec<CorrelationMatrix>,
    /// Cramér's V over categorical columns.
    pub categorical: Option<CorrelationMatrix>,
}

/// A square matrix; `values[i][j]` relates `columns[i]` and `columns[j]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct CorrelationMatrix {
    /// pearson, spearman, kendall or cramers_v.
    pub method: String,
    /// Column names.
    pub columns: Vec<String>,
    /// Coefficients, `null` where undefined (e.g. a constant column).
    pub values: Vec<Vec<Option<f64>>>,
}

/// Where values are missing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct Missingness {
    /// Missing count per column, in table order.
    pub per_column: Vec<ValueCount>,
    /// Null pattern of evenly spaced sample rows: `matrix[r][c]` is true where missing.
    pub matrix: Vec<Vec<bool>>,
    /// Row numbers of the matrix rows.
    #[ts(type = "Array<number>")]
    pub matrix_rows: Vec<u64>,
}

/// Fully duplicated rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct Duplicates {
    /// Rows that repeat an earlier row.
    #[ts(type = "number")]
    pub count: u64,
    /// The most repeated rows with their counts.
    pub examples: Vec<DuplicateExample>,
}

/// One duplicated row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct DuplicateExample {
    /// The cells.
    pub row: Vec<serde_json::Value>,
    /// How many times it occurs.
    #[ts(type = "number")]
    pub count: u64,
}

/// Rows to look at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct Samples {
    /// Column names.
    pub columns: Vec<String>,
    /// First rows.
    pub head: Vec<Vec<serde_json::Value>>,
    /// Last rows.
    pub tail: Vec<Vec<serde_json::Value>>,
    /// Seeded random rows.
    pub random: Vec<Vec<serde_json::Value>>,
}

/// Kinds of alert (ydata-profiling's, and a few more).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// One value only.
    Constant,
    /// Many zeros.
    Zeros,
    /// Strongly correlated with another column.
    HighCorrelation,
    /// Very many distinct text values.
    HighCardinality,
    /// The table has duplicate rows.
    Duplicates,
    /// Strong skew.
    Skewed,
    /// One category dominates.
    Imbalance,
    /// Many missing values.
    Missing,
    /// Infinite values.
    Infinite,
    /// Every value distinct.
    Unique,
    /// Values spread evenly.
    Uniform,
    /// Text that holds dates.
    DateAsString,
    /// Every text value has the same length.
    ConstantLength,
    /// No values at all.
    Empty,
}

/// Something worth a look.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct Alert {
    /// What kind.
    pub kind: AlertKind,
    /// The column, if the alert is about one.
    pub column: Option<String>,
    /// One readable sentence.
    pub message: String,
    /// The measured value the threshold was applied to.
    pub value: Option<f64>,
}

/// How a profile was computed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct RunInfo {
    /// Wall time, milliseconds.
    #[ts(type = "number")]
    pub elapsed_ms: u64,
    /// Assay version.
    pub engine: String,
    /// Options used.
    pub options: ProfileOptions,
}

/// Knobs of the profile, with ydata-profiling-like defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(default)]
pub struct ProfileOptions {
    /// Histogram bins.
    pub bins: u32,
    /// Top values kept per column.
    pub top_values: u32,
    /// Rows above which a text column's distinct count may be estimated (HyperLogLog) once it
    /// passes 65,536 distinct values.
    #[ts(type = "number")]
    pub exact_distinct_limit: u64,
    /// Rows sampled for correlations.
    #[ts(type = "number")]
    pub correlation_sample: u64,
    /// Complete pairs used for Kendall's tau-b (Knight's O(n log n) algorithm).
    #[ts(type = "number")]
    pub kendall_sample: u64,
    /// Sample rows shown (head, tail, random each).
    pub sample_rows: u32,
    /// Alert thresholds.
    pub thresholds: Thresholds,
}

/// Alert thresholds (ydata-profiling's defaults).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
#[serde(default)]
pub struct Thresholds {
    /// |correlation| above which two columns are flagged.
    pub high_correlation: f64,
    /// Distinct text values above which a column is high-cardinality.
    #[ts(type = "number")]
    pub high_cardinality: u64,
    /// Missing share above which a column is flagged.
    pub missing: f64,
    /// Zero share above which a column is flagged.
    pub zeros: f64,
    /// |skewness| above which a column is flagged.
    pub skewness: f64,
    /// Imbalance (1 - normalised entropy) above which a category is flagged.
    pub imbalance: f64,
    /// Distinct share above which text is not considered categorical.
    pub categorical_fraction: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            high_correlation: 0.9,
            high_cardinality: 50,
            missing: 0.05,
            zeros: 0.1,
            skewness: 20.0,
            imbalance: 0.5,
            categorical_fraction: 0.5,
        }
    }
}

impl Default for ProfileOptions {
    fn default() -> Self {
        Self {
            bins: 30,
            top_values: 10,
            exact_distinct_limit: 10_000_000,
            correlation_sample: 100_000,
            kendall_sample: 1_000,
            sample_rows: 10,
            thresholds: Thresholds::default(),
        }
    }
}

/// Per-column drift between a reference and a current table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct DriftReport {
    /// Rows of the reference table.
    #[ts(type = "number")]
    pub reference_rows: u64,
    /// Rows of the current table.
    #[ts(type = "number")]
    pub current_rows: u64,
    /// Columns compared, in reference order.
    pub columns: Vec<ColumnDrift>,
    /// Columns only in the reference.
    pub only_in_reference: Vec<String>,
    /// Columns only in the current table.
    pub only_in_current: Vec<String>,
    /// Columns that drifted.
    pub drifted: u32,
}

/// Drift of one column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, JsonSchema)]
pub struct ColumnDrift {
    /// Column name.
    pub column: String,
    /// Broad kind.
    pub kind: ColumnKind,
    /// The test that decides drift: ks (numeric) or chi_squared (categorical).
    pub test: String,
    /// The test statistic.
    pub statistic: Option<f64>,
    /// Its p-value.
    pub p_value: Option<f64>,
    /// Wasserstein distance (numeric, in the column's units).
    pub wasserstein: Option<f64>,
    /// Jensen-Shannon distance (base 2, 0..1).
    pub jensen_shannon: Option<f64>,
    /// Population stability index.
    pub psi: Option<f64>,
    /// Whether the column drifted (p < 0.05 for small samples, else JS distance > 0.1).
    pub drifted: bool,
    /// Reference and current distributions on shared bins (or categories).
    pub reference: Vec<ValueCount>,
    /// Current distribution on the same bins.
    pub current: Vec<ValueCount>,
    /// Missing share, reference then current.
    pub missing_fraction: [f64; 2],
}
