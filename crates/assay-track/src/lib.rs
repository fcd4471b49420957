//! Experiment tracking and the model registry: experiments, runs (parameters, metric
//! histories, tags, inputs, outputs), artifacts, registered models with versions, tags and
//! aliases, and MLflow 3 logged models, kept in the project's SQLite store and artifact folder.
//! Searches use MLflow's filter syntax, so the MLflow-compatible face and the app share one
//! query language.

mod artifacts;
mod error;
pub mod filter;
mod float;
mod model;
mod store;
pub mod validate;

pub use artifacts::{ARTIFACT_SCHEME, ArtifactRoot, FileInfo, artifact_path, checked_relative};
pub use error::{Result, TrackError};
pub use model::*;
pub use store::logged_models::NewLoggedModel;
pub use store::registry::{NewModelVersion, STAGES};
pub use store::runs::{ImportedRun, RUN_NAME_TAG};
pub use store::{
    BatchLimits, ExperimentSearch, LogBatch, MetricSummary, MetricValue, ModelSearch, RunColumns,
    RunGroup, RunRow, RunSearch, RunsPage, TrackStore, now_ms,
};
