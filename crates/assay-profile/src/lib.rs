//! Assay's profile engine: per-column statistics (counts, missing, distinct, quantiles,
//! moments, histograms, top values, text lengths and character classes, time ranges),
//! table-level results (duplicates, missingness, correlations, samples), ydata-profiling's
//! alerts, and drift between two tables, in one pass over the rows (streamed in chunks when
//! the table is large).

mod accum;
mod alerts;
mod column;
mod correlate;
mod drift;
mod engine;
mod error;
mod hll;
pub mod model;
mod sample;
pub mod stats;

pub use drift::compare;
pub use engine::{Step, profile};
pub use error::ProfileError;
pub use model::{DriftReport, Profile, ProfileOptions, Thresholds};
