use assay_track::TrackError;
use serde::Serialize;

/// MLflow's error codes, as its client branches on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    /// An id or name that does not exist (HTTP 404).
    ResourceDoesNotExist,
    /// A name that is taken (HTTP 400).
    ResourceAlreadyExists,
    /// A value refused (HTTP 400).
    InvalidParameterValue,
    /// No such endpoint (HTTP 404).
    EndpointNotFound,
    /// A failure on our side (HTTP 500).
    InternalError,
}

/// An MLflow error response: `{"error_code": ..., "message": ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{error_code:?}: {message}")]
pub struct MlflowError {
    /// The code.
    pub error_code: ErrorCode,
    /// What happened.
    pub message: String,
}

impl MlflowError {
    /// An error.
    pub fn new(error_code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            error_code,
            message: message.into(),
        }
    }

    /// A refused value.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidParameterValue, message)
    }

    /// The HTTP status MLflow answers with.
    pub fn status(&self) -> u16 {
        match self.error_code {
            ErrorCode::ResourceDoesNotExist | ErrorCode::EndpointNotFound => 404,
            ErrorCode::ResourceAlreadyExists | ErrorCode::InvalidParameterValue => 400,
            ErrorCode::InternalError => 500,
        }
    }
}

impl From<TrackError> for MlflowError {
    fn from(e: TrackError) -> Self {
        let code = match &e {
            TrackError::NotFound { .. } => ErrorCode::ResourceDoesNotExist,
            TrackError::AlreadyExists { .. } => ErrorCode::ResourceAlreadyExists,
            TrackError::InvalidParameter(_) => ErrorCode::InvalidParameterValue,
            TrackError::Store { .. } | TrackError::Io { .. } => ErrorCode::InternalError,
        };
        Self::new(code, e.to_string())
    }
}
