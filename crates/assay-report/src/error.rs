//! What can go wrong while rendering a report.

/// A report could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A chart could not be drawn.
    #[error("cannot draw chart '{chart}': {message}")]
    Chart {
        /// The chart's title.
        chart: String,
        /// What the drawing backend said.
        message: String,
    },
    /// A PNG could not be encoded.
    #[error("cannot encode chart '{chart}' as PNG: {message}")]
    Png {
        /// The chart's title.
        chart: String,
        /// What the encoder said.
        message: String,
    },
    /// The JSON document could not be written.
    #[error("cannot write the JSON report: {0}")]
    Json(#[from] serde_json::Error),
}
