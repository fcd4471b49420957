//! `GET /api/runs/{run_id}/artifacts/{*path}`: one artifact file of a run, streamed from wherever
//! the run keeps its artifacts (the project folder, or an object store through a cached copy).

use std::sync::Arc;

use assay_app::{ApiError, Assay};
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio_util::io::ReaderStream;

use crate::ErrorResponse;

/// The route.
pub(crate) fn routes() -> Router<Arc<Assay>> {
    Router::new().route("/api/runs/{run_id}/artifacts/{*path}", get(download))
}

async fn download(
    State(assay): State<Arc<Assay>>,
    Path((run_id, path)): Path<(String, String)>,
) -> Response {
    let file = match assay.run_artifact_file(&run_id, &path).await {
        Ok(file) => file,
        Err(e) => return ErrorResponse(e).into_response(),
    };
    let opened = tokio::fs::File::open(&file).await;
    let len = tokio::fs::metadata(&file).await.map(|m| m.len());
    match (opened, len) {
        (Ok(f), Ok(len)) => (
            [
                (header::CONTENT_TYPE, "application/octet-stream".to_string()),
                (header::CONTENT_LENGTH, len.to_string()),
            ],
            Body::from_stream(ReaderStream::new(f)),
        )
            .into_response(),
        (Err(e), _) | (_, Err(e)) => {
            ErrorResponse(ApiError::from_io(&e, &format!("artifact '{path}'"))).into_response()
        }
    }
}
