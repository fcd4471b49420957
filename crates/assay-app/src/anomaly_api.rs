//! Anomaly detection outside the UI: a data file scored by a detector, scores written back as
//! new columns (the CLI's `assay detect`).

use std::path::Path;

use assay_anomaly::{AnomalyError, DetectOptions, Detection};
use assay_data::Source;
use polars::prelude::*;

use crate::{ApiError, ErrorCode};

impl From<AnomalyError> for ApiError {
    fn from(e: AnomalyError) -> Self {
        match e {
            AnomalyError::Cancelled => ApiError::cancelled(),
            AnomalyError::Engine(m) => ApiError::new(ErrorCode::Internal, m.to_string()),
            other => ApiError::invalid(other.to_string()),
        }
    }
}

/// Scores the rows of the file at `location` with `options`.
pub fn detect_file(location: &str, options: &DetectOptions) -> Result<Detection, ApiError> {
    let (lf, _) = assay_data::scan(&source(location)?)?;
    let (detection, _) = assay_anomaly::detect(lf, options, &assay_anomaly::no_progress)?;
    Ok(detection)
}

/// Writes the scored rows of `location` with `anomaly_score` and `anomaly_score_normalized`
/// columns to `out` (Parquet, or CSV for `.csv`).
pub fn write_scores(location: &str, detection: &Detection, out: &Path) -> Result<u64, ApiError> {
    let (lf, _) = assay_data::scan(&source(location)?)?;
    let engine =
        |e: PolarsError| ApiError::new(ErrorCode::Internal, format!("writing scores: {e}"));
    let rows: Vec<IdxSize> = detection.row_index.iter().map(|&r| r as IdxSize).collect();
    let mut df = lf
        .with_row_index("row", None)
        .filter(col("row").is_in(lit(Series::new("rows".into(), rows)).implode(true), false))
        .collect()
        .map_err(engine)?;
    df.with_column(Column::new("anomaly_score".into(), &detection.scores))
        .map_err(engine)?;
    df.with_column(Column::new(
        "anomaly_score_normalized".into(),
        &detection.normalized,
    ))
    .map_err(engine)?;
    let mut bytes = Vec::new();
    let csv = out
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if csv {
        CsvWriter::new(&mut bytes).finish(&mut df).map_err(engine)?;
    } else {
        ParquetWriter::new(&mut bytes)
            .finish(&mut df)
            .map_err(engine)?;
    }
    assay_project::write_atomic(out, &bytes)?;
    Ok(df.height() as u64)
}

fn source(location: &str) -> Result<Source, ApiError> {
    Source::from_path(location).ok_or_else(|| {
        ApiError::invalid(format!(
            "cannot tell the format of '{location}': use a .csv, .tsv, .parquet, .json, .ndjson or .arrow file"
        ))
    })
}
