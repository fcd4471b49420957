//! MLflow-compatible routes: `/api/2.0/mlflow/*` (and `/ajax-api/2.0/mlflow/*`) answered by
//! `assay-mlflow` over the open project's tracking store, and `/api/2.0/mlflow-artifacts/`
//! streaming artifact files to and from the project's artifact folder.

use std::sync::Arc;

use assay_app::Assay;
use assay_mlflow::{ErrorCode, Method, MlflowError};
use assay_track::TrackStore;
use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::{Extension, Router};
use futures::TryStreamExt;
use tokio_util::io::{ReaderStream, StreamReader, SyncIoBridge};

use crate::audit::Targets;

/// The MLflow routes, under both of MLflow's prefixes.
pub fn routes() -> Router<Arc<Assay>> {
    let mut router = Router::new().route(
        "/version",
        get(|| async { assay_mlflow::MLFLOW_API_VERSION }),
    );
    for prefix in ["/api/2.0", "/ajax-api/2.0"] {
        router = router
            .route(&format!("{prefix}/mlflow/{{*path}}"), any(call))
            .route(&format!("{prefix}/mlflow-artifacts/artifacts"), get(list))
            .route(
                &format!("{prefix}/mlflow-artifacts/artifacts/{{*path}}"),
                get(download).put(upload).delete(delete),
            );
    }
    router
}

struct MlflowResponse(Result<serde_json::Value, MlflowError>);

impl IntoResponse for MlflowResponse {
    fn into_response(self) -> Response {
        match self.0 {
            Ok(v) => axum::Json(v).into_response(),
            Err(e) => {
                let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST);
                (status, axum::Json(e)).into_response()
            }
        }
    }
}

fn store(assay: &Assay) -> Result<Arc<TrackStore>, MlflowError> {
    assay.tracking().map_err(|e| {
        MlflowError::new(
            ErrorCode::InternalError,
            format!("no tracking store: {}", e.message),
        )
    })
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, MlflowError> + Send + 'static,
) -> Result<T, MlflowError> {
    tokio::task::spawn_blocking(f)
        .await
        .unwrap_or_else(|e| Err(MlflowError::new(ErrorCode::InternalError, e.to_string())))
}

async fn call(
    State(assay): State<Arc<Assay>>,
    method: axum::http::Method,
    Path(path): Path<String>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> (Extension<Targets>, MlflowResponse) {
    let method = match method {
        axum::http::Method::GET => Method::Get,
        axum::http::Method::POST => Method::Post,
        axum::http::Method::PATCH => Method::Patch,
        axum::http::Method::DELETE => Method::Delete,
        other => {
            let error = MlflowError::new(
                ErrorCode::EndpointNotFound,
                format!("{other} is not used by MLflow's API"),
            );
            return (Extension(Targets::default()), MlflowResponse(Err(error)));
        }
    };
    let params = if method == Method::Get || body.iter().all(u8::is_ascii_whitespace) {
        Ok(assay_mlflow::query_to_json(query.as_deref().unwrap_or("")))
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            MlflowError::invalid(format!(
                "Malformed request body: {e} (line {}, column {})",
                e.line(),
                e.column()
            ))
        })
    };
    let targets = params.as_ref().map(Targets::of).unwrap_or_default();
    let result = match (params, store(&assay)) {
        (Ok(params), Ok(store)) => {
            blocking(move || assay_mlflow::call(&store, method, &path, params)).await
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    if let Err(e) = &result {
        tracing::debug!(code = ?e.error_code, message = %e.message, "mlflow call refused");
    }
    (Extension(targets), MlflowResponse(result))
}

async fn upload(
    State(assay): State<Arc<Assay>>,
    Path(path): Path<String>,
    body: Body,
) -> MlflowResponse {
    let store = match store(&assay) {
        Ok(s) => s,
        Err(e) => return MlflowResponse(Err(e)),
    };
    let stream = body.into_data_stream().map_err(std::io::Error::other);
    let reader = SyncIoBridge::new(StreamReader::new(stream));
    let result = blocking(move || {
        store.artifacts().put(&path, reader)?;
        Ok(serde_json::json!({}))
    })
    .await;
    MlflowResponse(result)
}

async fn download(State(assay): State<Arc<Assay>>, Path(path): Path<String>) -> Response {
    let opened = match store(&assay) {
        Ok(s) => blocking(move || Ok(s.artifacts().open(&path)?)).await,
        Err(e) => Err(e),
    };
    match opened {
        Ok((file, len)) => {
            let stream = ReaderStream::new(tokio::fs::File::from_std(file));
            (
                [
                    (header::CONTENT_TYPE, "application/octet-stream".to_string()),
                    (header::CONTENT_LENGTH, len.to_string()),
                ],
                Body::from_stream(stream),
            )
                .into_response()
        }
        Err(e) => MlflowResponse(Err(e)).into_response(),
    }
}

async fn list(State(assay): State<Arc<Assay>>, RawQuery(query): RawQuery) -> MlflowResponse {
    let q = assay_mlflow::query_to_json(query.as_deref().unwrap_or(""));
    let path = q
        .get("path")
        .and_then(|p| p.as_str())
        .unwrap_or("")
        .to_string();
    let result = match store(&assay) {
        Ok(s) => {
            blocking(move || {
                let files = s.artifacts().list(&path, &path)?;
                Ok(serde_json::json!({ "files": files }))
            })
            .await
        }
        Err(e) => Err(e),
    };
    MlflowResponse(result)
}

async fn delete(State(assay): State<Arc<Assay>>, Path(path): Path<String>) -> MlflowResponse {
    let result = match store(&assay) {
        Ok(s) => {
            blocking(move || {
                s.artifacts().delete(&path)?;
                Ok(serde_json::json!({}))
            })
            .await
        }
        Err(e) => Err(e),
    };
    MlflowResponse(result)
}
