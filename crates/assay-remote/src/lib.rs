//! Assay's remote platforms: project connections (object stores, MLflow servers, other Assay
//! servers) with their secrets kept in the OS keychain or an explicit private file, and the
//! object-store settings they turn into, and a client of remote MLflow servers. Reading and
//! writing objects lives in `assay_data::remote`; this crate decides who may read what.

pub mod connection;
mod error;
pub mod mlflow;
pub mod secrets;

pub use error::RemoteError;
pub use secrets::{SecretKey, SecretMode, Secrets, StoredIn};
