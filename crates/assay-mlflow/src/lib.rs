//! MLflow's REST protocol over [`assay_track`]: the unchanged `mlflow` Python client logs into
//! Assay through it. [`call`] takes an endpoint path (after `/api/2.0/mlflow/`), the HTTP method
//! and the request as JSON (the body, or the query string via [`query_to_json`]) and answers
//! with MLflow's response JSON or its `{error_code, message}`. Artifact files are served by the
//! HTTP face through [`artifact_path`] and the store's [`assay_track::ArtifactRoot`].

/// What `GET /version` answers: the MLflow REST API this crate speaks (MLflow 3's), so that
/// MLflow-aware tools that check the server's major version accept `assay serve`.
pub const MLFLOW_API_VERSION: &str = "3.0.0";

mod de;
mod endpoints;
mod error;
mod requests;

pub use de::query_to_json;
pub use endpoints::call;
pub use error::{ErrorCode, MlflowError};

/// The HTTP methods MLflow's endpoints use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET: parameters in the query string.
    Get,
    /// POST: JSON body.
    Post,
    /// PATCH: JSON body.
    Patch,
    /// DELETE: JSON body or query string.
    Delete,
}

pub use assay_track::{ARTIFACT_SCHEME, artifact_path};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn artifact_uris_map_to_relative_paths() {
        assert_eq!(
            artifact_path("mlflow-artifacts:/1/abc/artifacts").as_deref(),
            Some("1/abc/artifacts")
        );
        assert_eq!(
            artifact_path("mlflow-artifacts://host:5000/1/x").as_deref(),
            Some("1/x")
        );
        assert_eq!(artifact_path("s3://bucket/x"), None);
    }
}
