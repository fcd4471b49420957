//! Assay's report documents: a quality run as a standalone HTML page, and a profile (and optionally a drift comparison) rendered as one
//! standalone HTML file whose charts are inline SVG drawn with plotters (no JavaScript, size
//! independent of the row count), as JSON following a published JSON Schema, and as PNG charts.

mod chart;
mod document;
mod error;
mod font;
pub mod format;
mod html;
mod profile_charts;
mod quality_html;

pub use chart::{Chart, ChartSize, Series};
pub use document::{ProfileReport, json_schema};
pub use error::ReportError;
pub use html::profile_html;
pub use profile_charts::{NamedChart, profile_charts};
pub use quality_html::quality_html;
