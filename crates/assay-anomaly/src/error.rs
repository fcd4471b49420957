//! Why a detection could not run: each variant names the column, field or limit at fault.

/// Why a detection, an explanation or an evaluation could not be computed.
#[derive(Debug, thiserror::Error)]
pub enum AnomalyError {
    /// Reading the data failed.
    #[error(transparent)]
    Data(#[from] assay_data::DataError),
    /// The engine failed while selecting or converting columns.
    #[error("reading the columns for detection failed: {0}")]
    Engine(#[from] polars::prelude::PolarsError),
    /// A requested column is not in the table.
    #[error("column `{column}` is not in the table")]
    UnknownColumn {
        /// The missing column.
        column: String,
    },
    /// A requested column has a type no detector can use.
    #[error(
        "column `{column}` has type {dtype}, which cannot be used for detection (use numbers, booleans or categories)"
    )]
    UnsupportedColumn {
        /// The column.
        column: String,
        /// Its engine type.
        dtype: String,
    },
    /// No column is left to detect on.
    #[error("no usable feature columns: {reason}")]
    NoUsableColumns {
        /// Why every column was dropped (e.g. `x: constant; y: all missing`).
        reason: String,
    },
    /// Too few rows to say what is unusual.
    #[error("detection needs at least {min} rows with values, the table has {rows}")]
    TooFewRows {
        /// Rows available.
        rows: usize,
        /// Rows needed.
        min: usize,
    },
    /// Missing values were found and the policy says to stop.
    #[error(
        "column `{column}` has {count} missing or non-finite values and the missing-value policy is `error`"
    )]
    MissingValues {
        /// The first column with missing values.
        column: String,
        /// How many.
        count: usize,
    },
    /// An option is out of range.
    #[error("option `{field}` is invalid: {message}")]
    InvalidOption {
        /// The option.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// Labels and scores do not match, or labels have only one class.
    #[error("cannot evaluate: {0}")]
    Evaluation(String),
    /// A row index is outside the scored rows.
    #[error("row {row} is not among the {rows} scored rows")]
    RowOutOfRange {
        /// The row asked for.
        row: usize,
        /// Rows scored.
        rows: usize,
    },
    /// The caller cancelled.
    #[error("cancelled")]
    Cancelled,
}
