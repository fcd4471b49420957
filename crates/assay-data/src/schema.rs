use polars::prelude::*;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::DataError;

/// The broad kind of a column, which decides the statistics and charts it gets.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    /// Integers and floats.
    Numeric,
    /// True/false.
    Boolean,
    /// Text and categoricals.
    Text,
    /// Dates, datetimes and times.
    Temporal,
    /// Anything else (lists, structs, binary, durations).
    Other,
}

/// A column's name, engine type and kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ColumnSchema {
    /// Column name.
    pub name: String,
    /// The engine's type, e.g. `f64`, `str`, `datetime[μs]`.
    pub dtype: String,
    /// Broad kind.
    pub kind: ColumnKind,
}

/// The kind of a polars type.
pub fn kind_of(dtype: &DataType) -> ColumnKind {
    if dtype.is_primitive_numeric() {
        ColumnKind::Numeric
    } else if dtype.is_bool() {
        ColumnKind::Boolean
    } else if dtype.is_string() || dtype.is_categorical() || dtype.is_enum() {
        ColumnKind::Text
    } else if matches!(
        dtype,
        DataType::Date | DataType::Datetime(_, _) | DataType::Time
    ) {
        ColumnKind::Temporal
    } else {
        ColumnKind::Other
    }
}

/// The columns of a lazy frame (resolving the schema reads file metadata or a sample only).
pub fn schema_of(lf: &mut LazyFrame, what: &str) -> Result<Vec<ColumnSchema>, DataError> {
    let schema = lf
        .collect_schema()
        .map_err(|e| DataError::engine(what, e))?;
    Ok(schema
        .iter()
        .map(|(name, dtype)| ColumnSchema {
            name: name.to_string(),
            dtype: dtype.to_string(),
            kind: kind_of(dtype),
        })
        .collect())
}
