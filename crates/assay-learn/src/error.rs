//! Why training, prediction, a split, a metric or loading an artifact failed: each variant
//! names the column, option or size at fault.

/// Why a model could not be trained, applied, evaluated or loaded.
#[derive(Debug, thiserror::Error)]
pub enum LearnError {
    /// The feature matrix (or a target, or a metric's input) has no rows.
    #[error("{what} has no rows")]
    Empty {
        /// What is empty (e.g. `the feature matrix`).
        what: &'static str,
    },
    /// The feature matrix has no columns.
    #[error("the feature matrix has no columns: pick at least one feature")]
    NoFeatures,
    /// A feature value is NaN or infinite.
    #[error(
        "feature column {column}{name} has a non-finite value ({value}) at row {row}: drop or impute missing values first",
        name = feature_label(.name)
    )]
    NonFinite {
        /// The column index (0-based).
        column: usize,
        /// The column's name, when known.
        name: Option<String>,
        /// The first bad row (0-based).
        row: usize,
        /// The value (NaN, inf or -inf).
        value: f64,
    },
    /// A regression target value is NaN or infinite.
    #[error(
        "the target has a non-finite value ({value}) at row {row}: drop rows with a missing target first"
    )]
    NonFiniteTarget {
        /// The first bad row (0-based).
        row: usize,
        /// The value.
        value: f64,
    },
    /// Two inputs that must have one entry per row do not.
    #[error("{what}: {left} vs {right}")]
    LengthMismatch {
        /// What is compared (e.g. `feature rows vs target values`).
        what: &'static str,
        /// The first length.
        left: usize,
        /// The second length.
        right: usize,
    },
    /// A classification target with a single class.
    #[error("the target has a single class (`{class}`): classification needs at least two")]
    OneClass {
        /// The only class.
        class: String,
    },
    /// Too few rows for the model or the operation.
    #[error("{what} needs at least {min} rows, got {rows}")]
    TooFewRows {
        /// What needs them (e.g. `k-means with k = 5`).
        what: String,
        /// Rows needed.
        min: usize,
        /// Rows available.
        rows: usize,
    },
    /// The model cannot use this kind of target (e.g. numbers for logistic regression).
    #[error("{model} needs {expected} as the target, got {got}")]
    WrongTarget {
        /// The model kind.
        model: &'static str,
        /// What it needs.
        expected: &'static str,
        /// What it was given.
        got: &'static str,
    },
    /// An option is out of range.
    #[error("option `{field}` is invalid: {message}")]
    InvalidOption {
        /// The option.
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// The data to score has a different number of columns than the model was trained on.
    #[error("the model was trained on {expected} features, the data has {got} columns")]
    FeatureCount {
        /// Features the model expects.
        expected: usize,
        /// Columns given.
        got: usize,
    },
    /// Class probabilities were asked of a model that has none.
    #[error("{model} does not predict class probabilities")]
    NotAClassifier {
        /// The model kind.
        model: &'static str,
    },
    /// A stored model artifact is malformed.
    #[error("the model artifact is invalid: {0}")]
    Artifact(String),
    /// A stored model artifact was written by a newer version of Assay.
    #[error(
        "the model artifact has format version {found}; this version of Assay reads up to {supported}"
    )]
    UnsupportedVersion {
        /// The artifact's version.
        found: u32,
        /// The newest version this build reads.
        supported: u32,
    },
    /// The caller cancelled.
    #[error("cancelled")]
    Cancelled,
    /// The artifact is not valid JSON or does not have the expected shape.
    #[error("the model artifact could not be read: {0}")]
    Json(#[from] serde_json::Error),
}

fn feature_label(name: &Option<String>) -> String {
    match name {
        Some(n) => format!(" (`{n}`)"),
        None => String::new(),
    }
}

/// Shorthand for results in this crate.
pub type Result<T, E = LearnError> = std::result::Result<T, E>;
