//! MLflow's REST protocol over [`assay_track`]: the unchanged `mlflow` Python client logs into
//! Assay through it. [`call`] takes an endpoint path (after `/api/2.0/mlflow/`), the HTTP method
//! and the request as JSON (the body, or the query string via [`query_to_json`]) and answers
//! with MLflow's response JSON or its `{error_code, message}`. Artifact files are served by the
//! HTTP face through [`artifact_path`] and the store's [`assay_track::ArtifactRoot`].

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

/// The URI scheme of artifacts served by this server (`mlflow-artifacts:/1/<run>/artifacts`).
pub const ARTIFACT_SCHEME: &str = "mlflow-artifacts:";

/// The path under the artifact root of a `mlflow-artifacts:` URI (with or without a host), or
/// `None` for other schemes (e.g. an experiment created with an `s3://` location).
pub fn artifact_path(uri: &str) -> Option<String> {
    let rest = uri.strip_prefix(ARTIFACT_SCHEME)?;
    let rest = match rest.strip_prefix("//") {
        Some(with_host) => with_host.split_once('/').map_or("", |(_, p)| p),
        None => rest,
    };
    Some(rest.trim_matches('/').to_string())
}

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
