use assay_project::ProjectError;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What kind of failure an [`ApiError`] is; the UI and scripts branch on this, never on text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// A request that is malformed or has invalid values.
    InvalidInput,
    /// No API method of that name.
    UnknownMethod,
    /// The call needs an open project.
    NoProjectOpen,
    /// The folder is not an Assay project.
    NotAProject,
    /// The folder is already an Assay project.
    AlreadyAProject,
    /// `assay.toml` is unreadable or invalid.
    CorruptManifest,
    /// The store was written by a newer Assay.
    StoreTooNew,
    /// A file, folder, data set or job that does not exist.
    NotFound,
    /// Something with that name exists already.
    AlreadyExists,
    /// No permission to read or write.
    PermissionDenied,
    /// The server needs a token and the request carried none, or a wrong one.
    Unauthorized,
    /// The work was cancelled.
    Cancelled,
    /// Reading or writing failed.
    Io,
    /// A bug: the message says what happened.
    Internal,
}

/// The error every API call returns: `{code, message, details}`. `message` is for people,
/// `code` for programs, `details` for the specifics (file, line, field).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    /// Machine-readable kind.
    pub code: ErrorCode,
    /// One line a user can act on.
    pub message: String,
    /// Structured specifics, e.g. `{"path": ..., "line": 3}`.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
}

impl ApiError {
    /// An error with no details.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            details: None,
        }
    }

    /// Attaches structured details.
    pub fn with_details(mut self, details: serde_json::Value) -> Self {
        self.details = Some(details);
        self
    }

    /// Invalid request values.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidInput, message)
    }

    /// The call needs an open project.
    pub fn no_project() -> Self {
        Self::new(
            ErrorCode::NoProjectOpen,
            "no project is open: open or create one first",
        )
    }

    /// Work stopped at the user's request.
    pub fn cancelled() -> Self {
        Self::new(ErrorCode::Cancelled, "cancelled")
    }

    /// Something asked for does not exist.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotFound, message)
    }

    /// A file operation failed while `doing` (e.g. `reading rules/a.yaml`).
    pub fn from_io(e: &std::io::Error, doing: &str) -> Self {
        let code = match e.kind() {
            std::io::ErrorKind::NotFound => ErrorCode::NotFound,
            std::io::ErrorKind::PermissionDenied => ErrorCode::PermissionDenied,
            _ => ErrorCode::Io,
        };
        Self::new(code, format!("{doing}: {e}"))
    }
}

impl From<ProjectError> for ApiError {
    fn from(e: ProjectError) -> Self {
        use serde_json::json;
        let message = e.to_string();
        let (code, details) = match &e {
            ProjectError::NotFound { path } => (ErrorCode::NotFound, json!({ "path": path })),
            ProjectError::NotAProject { path } => (ErrorCode::NotAProject, json!({ "path": path })),
            ProjectError::AlreadyAProject { path } => {
                (ErrorCode::AlreadyAProject, json!({ "path": path }))
            }
            ProjectError::CorruptManifest {
                path, line, column, ..
            } => (
                ErrorCode::CorruptManifest,
                json!({ "path": path, "line": line, "column": column }),
            ),
            ProjectError::StoreTooNew {
                path,
                found,
                supported,
            } => (
                ErrorCode::StoreTooNew,
                json!({ "path": path, "found": found, "supported": supported }),
            ),
            ProjectError::PermissionDenied { path } => {
                (ErrorCode::PermissionDenied, json!({ "path": path }))
            }
            ProjectError::Store { path, .. } | ProjectError::Io { path, .. } => {
                (ErrorCode::Io, json!({ "path": path }))
            }
            ProjectError::DatasetExists { name } => {
                (ErrorCode::AlreadyExists, json!({ "dataset": name }))
            }
            ProjectError::UnknownDataset { name } => {
                (ErrorCode::NotFound, json!({ "dataset": name }))
            }
            ProjectError::InvalidName { what, value, .. } => (
                ErrorCode::InvalidInput,
                json!({ "field": what, "value": value }),
            ),
        };
        Self::new(code, message).with_details(details)
    }
}
