//! `GET /api/runs/{run_id}/artifacts/{*path}`: one artifact file of a run, streamed from wherever
//! the run keeps its artifacts (the project folder, or an object store through a cached copy);
//! `GET /api/runs/{run_id}/archive?path=model`: a folder of them as one zip file.

use std::sync::Arc;

use assay_app::{ApiError, Assay};
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio_util::io::ReaderStream;

use crate::ErrorResponse;

/// The route.
pub(crate) fn routes() -> Router<Arc<Assay>> {
    Router::new()
        .route("/api/runs/{run_id}/artifacts/{*path}", get(download))
        .route("/api/runs/{run_id}/archive", get(archive))
}

#[derive(serde::Deserialize)]
struct ArchiveQuery {
    #[serde(default)]
    path: String,
}

async fn archive(
    State(assay): State<Arc<Assay>>,
    Path(run_id): Path<String>,
    Query(q): Query<ArchiveQuery>,
) -> Response {
    let archive = match assay.run_artifacts_zip(&run_id, &q.path).await {
        Ok(a) => a,
        Err(e) => return ErrorResponse(e).into_response(),
    };
    let opened = archive
        .file
        .reopen()
        .and_then(|f| Ok((f.metadata()?.len(), f)));
    match opened {
        Ok((len, f)) => (
            [
                (header::CONTENT_TYPE, "application/zip".to_string()),
                (header::CONTENT_LENGTH, len.to_string()),
                (header::CONTENT_DISPOSITION, attachment(&archive.name)),
            ],
            Body::from_stream(ReaderStream::new(tokio::fs::File::from_std(f))),
        )
            .into_response(),
        Err(e) => ErrorResponse(ApiError::from_io(&e, "the archive")).into_response(),
    }
}

/// `attachment` with the file name, ASCII-safe and as RFC 5987 UTF-8.
fn attachment(name: &str) -> String {
    let plain: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("attachment; filename=\"{plain}\"; filename*=UTF-8''{encoded}")
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

#[cfg(test)]
mod tests {
    use super::attachment;

    #[test]
    fn archive_names_are_safe_in_the_header() {
        assert_eq!(
            attachment("model.zip"),
            "attachment; filename=\"model.zip\"; filename*=UTF-8''model.zip"
        );
        assert_eq!(
            attachment("résumé \"x\".zip"),
            "attachment; filename=\"r_sum___x_.zip\"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22x%22.zip"
        );
    }
}
