//! An Assay project is a folder: `assay.toml` (the manifest), `rules/`, `reports/` and `.assay/`
//! (the SQLite store, artifacts and caches). This crate owns that folder: it creates and opens
//! projects, reads and edits the manifest without losing the user's formatting, migrates the
//! store, and writes every user-owned file atomically.

mod atomic;
mod error;
mod fingerprint;
mod layout;
mod manifest;
mod project;
mod store;

pub use atomic::write_atomic;
pub use error::ProjectError;
pub use fingerprint::{Fingerprint, fingerprint_file};
pub use layout::ProjectLayout;
pub use manifest::{
    ConnectionKind, ConnectionSpec, CsvSettings, DatasetSpec, MANIFEST_FORMAT, Manifest,
    ProjectMeta, Settings, format_from_extension, is_object_store_url, kind_name,
};
pub use project::{DatasetStatus, Project};
pub use store::{
    QualityRunRow, RuleOutcomeRow, STORE_SCHEMA_VERSION, Store, StoredAnomalyRun,
    StoredFingerprint, StoredJob, StoredProfile, StoredQualityRun,
};
