//! Requests and responses of the Connections view: object stores, MLflow and Assay servers.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Kinds of connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum ConnectionKindDto {
    /// Amazon S3 or an S3-compatible store (MinIO, Ceph, R2, ...).
    S3,
    /// Google Cloud Storage.
    Gcs,
    /// Azure Blob Storage.
    Azure,
    /// Files over plain HTTP(S).
    Http,
    /// An MLflow tracking server.
    Mlflow,
    /// Another `assay serve`.
    Assay,
}

/// Create or replace a connection. Secrets go to the OS keychain (or the private fallback file).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SaveConnectionRequest {
    /// Unique name within the project.
    pub name: String,
    /// What it connects to.
    pub kind: ConnectionKindDto,
    /// `s3://bucket[/prefix]`, `gs://bucket`, `az://container`, `https://host/path`, or a server URL.
    pub url: String,
    /// Service endpoint (S3-compatible stores, emulators).
    #[ts(optional)]
    #[serde(default)]
    pub endpoint: Option<String>,
    /// Region (S3).
    #[ts(optional)]
    #[serde(default)]
    pub region: Option<String>,
    /// Path-style requests (S3-compatible stores).
    #[ts(optional)]
    #[serde(default)]
    pub path_style: Option<bool>,
    /// Storage account (Azure).
    #[ts(optional)]
    #[serde(default)]
    pub account: Option<String>,
    /// User name for basic authentication (MLflow).
    #[ts(optional)]
    #[serde(default)]
    pub username: Option<String>,
    /// Secret fields to set (an empty value forgets that secret); fields not given stay as they are.
    #[serde(default)]
    pub secrets: BTreeMap<String, String>,
}

/// Where a secret is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SecretPlace {
    /// The OS keychain.
    Keychain,
    /// The private fallback file (no keychain was running).
    File,
}

/// A stored secret field (never its value).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SecretStatus {
    /// The field, e.g. `secret_access_key`.
    pub field: String,
    /// Where it is kept.
    pub place: SecretPlace,
}

/// A connection with its settings and which secrets are stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ConnectionDetails {
    /// Unique name.
    pub name: String,
    /// What it connects to.
    pub kind: ConnectionKindDto,
    /// Base URL.
    pub url: String,
    /// Service endpoint.
    pub endpoint: Option<String>,
    /// Region.
    pub region: Option<String>,
    /// Path-style requests.
    pub path_style: bool,
    /// Storage account.
    pub account: Option<String>,
    /// User name.
    pub username: Option<String>,
    /// The secret fields this kind takes.
    pub secret_fields: Vec<String>,
    /// The ones stored, and where.
    pub secrets: Vec<SecretStatus>,
    /// The fallback file used when no keychain runs.
    pub secrets_file: String,
}

/// Names a connection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ConnectionRef {
    /// The connection's name.
    pub name: String,
}

/// List what is under a prefix of an object-store connection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct BrowseRequest {
    /// The connection.
    pub connection: String,
    /// A prefix ("folder") inside the store, as listed; the connection's URL when absent.
    #[ts(optional)]
    #[serde(default)]
    pub prefix: Option<String>,
}

/// One object or folder in a store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RemoteEntryInfo {
    /// Path inside the store, as listed.
    pub path: String,
    /// The full URL, usable as a data set path.
    pub url: String,
    /// Whether this is a folder (a common prefix).
    pub is_dir: bool,
    /// Size in bytes.
    #[ts(type = "number")]
    pub bytes: u64,
    /// Last modification (RFC 3339).
    pub modified: Option<String>,
    /// The data format its name implies, if any.
    pub format: Option<String>,
}

/// The listing of one prefix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct BrowseResult {
    /// The URL listed.
    pub url: String,
    /// Folders first, then objects.
    pub entries: Vec<RemoteEntryInfo>,
}

/// Preview a remote file: its first rows, read lazily.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PreviewRemoteRequest {
    /// The connection.
    pub connection: String,
    /// The object's URL (as listed).
    pub url: String,
    /// Rows to show (default 50, at most 1000).
    #[ts(optional)]
    #[serde(default)]
    pub rows: Option<u32>,
}

/// Whether a connection answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ConnectionTest {
    /// It answered and accepted the credentials.
    pub ok: bool,
    /// What happened, in one line.
    pub message: String,
}

/// Upload a project file or folder (a report, a run's artifacts) to an object store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct UploadRequest {
    /// The connection.
    pub connection: String,
    /// A file or folder inside the project, relative to it (e.g. `reports/flights.html`).
    pub path: String,
    /// Destination folder inside the bucket or container, as listed by browse_connection
    /// (default: the connection's URL itself).
    #[ts(optional)]
    #[serde(default)]
    pub prefix: Option<String>,
}

/// What an upload wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct UploadResult {
    /// The URLs written.
    pub urls: Vec<String>,
    /// Bytes sent.
    #[ts(type = "number")]
    pub bytes: u64,
}
