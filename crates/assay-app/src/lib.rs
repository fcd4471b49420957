//! Assay's application layer. Every operation any face of Assay offers (desktop, HTTP server,
//! CLI) is one typed request/response here, dispatched by name; long work runs as jobs with
//! progress events and cancellation; errors are `{code, message, details}`. Also here: Assay's
//! folders and configuration, structured logging, the recent-projects list and the demo project.

mod anomaly_api;
pub use anomaly_api::{detect_file, write_scores};
mod api;
mod artifact_store;
mod config;
mod connections_api;
mod data_api;
pub use data_api::{compare_files, profile_file};
mod demo;
pub mod dto;
mod error;
mod events;
mod jobs;
mod lineage;
pub mod logging;
mod otlp;
mod quality_api;
pub use quality_api::check_file;
mod recent;
mod remote_mlflow_api;
mod report_api;
pub use report_api::render as render_report;
mod service;
mod track_api;
pub use track_api::ArtifactArchive;
mod train_api;
mod typescript;

pub use api::{MethodSpec, methods, mutates};
pub use config::{AppConfig, AppDirs, LogFormat};
pub use demo::install as install_demo;
pub use error::{ApiError, ErrorCode};
pub use events::EventBus;
pub use jobs::{JobContext, JobObserver, JobRegistry};
pub use logging::LogBuffer;
pub use service::{Assay, project_info};
pub use typescript::typescript_bindings;

/// Assay's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Everything a binary needs to start: folders, configuration (which `adjust` may change
/// before logging starts), logging (held by the guard) and the application.
pub fn bootstrap(
    adjust: impl FnOnce(&mut AppConfig),
) -> Result<(Assay, AppConfig, logging::LogGuard), ApiError> {
    let dirs = AppDirs::discover()?;
    let mut config = AppConfig::load(&dirs)?;
    adjust(&mut config);
    let events = EventBus::new();
    let logs = LogBuffer::new(events.clone());
    let guard = logging::init(&dirs, &config, logs.clone());
    let assay = Assay::new(dirs, events, logs, guard.file.clone());
    Ok((assay, config, guard))
}
