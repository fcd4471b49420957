//! The Assay API over HTTP: `POST /api/{method}` for every API call (JSON in, JSON out,
//! `{code, message, details}` on error), `GET /api/events` as server-sent events, and the built
//! UI as static files, so the same UI runs in a browser against a local or remote Assay. MLflow's
//! REST API is served too (`/api/2.0/mlflow/...`, artifacts under `/api/2.0/mlflow-artifacts/`),
//! so the unchanged `mlflow` client logs into the open project.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use assay_app::{ApiError, Assay, ErrorCode};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use futures::Stream;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;
use tower_http::services::{ServeDir, ServeFile};

mod mlflow;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The address is taken or not ours to bind.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// Binding beyond loopback without authentication is refused.
    #[error(
        "refusing to listen on {addr}: only loopback addresses (127.0.0.1, ::1) are allowed until token authentication is configured"
    )]
    NotLoopback {
        /// The address asked for.
        addr: SocketAddr,
    },
    /// The server stopped with an I/O error.
    #[error("server error: {0}")]
    Io(#[from] std::io::Error),
}

/// Binds the listening socket, refusing non-loopback addresses.
pub async fn bind(addr: SocketAddr) -> Result<tokio::net::TcpListener, ServerError> {
    if !addr.ip().is_loopback() {
        return Err(ServerError::NotLoopback { addr });
    }
    tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServerError::Bind { addr, source })
}

/// The router: API routes, events, and the UI from `ui_dir` (when given).
pub fn router(assay: Arc<Assay>, ui_dir: Option<PathBuf>) -> Router {
    let api = Router::new()
        .route("/api/health", get(health))
        .route("/api/events", get(events))
        .route("/api/{method}", post(call))
        .merge(mlflow::routes())
        .with_state(assay);
    match ui_dir {
        Some(dir) => {
            let index = dir.join("index.html");
            api.fallback_service(ServeDir::new(dir).fallback(ServeFile::new(index)))
        }
        None => api,
    }
}

/// Serves until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    assay: Arc<Assay>,
    ui_dir: Option<PathBuf>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let app = router(assay, ui_dir);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}

async fn health() -> impl IntoResponse {
    axum::Json(serde_json::json!({ "status": "ok", "version": assay_app::VERSION }))
}

async fn call(
    State(assay): State<Arc<Assay>>,
    Path(method): Path<String>,
    body: Bytes,
) -> Response {
    let params = if body.iter().all(u8::is_ascii_whitespace) {
        Ok(serde_json::Value::Null)
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            ApiError::invalid(format!("request body is not valid JSON: {e}"))
                .with_details(serde_json::json!({ "line": e.line(), "column": e.column() }))
        })
    };
    let result = match params {
        Ok(p) => assay.dispatch(&method, p).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(value) => axum::Json(value).into_response(),
        Err(error) => ErrorResponse(error).into_response(),
    }
}

async fn events(
    State(assay): State<Arc<Assay>>,
) -> Sse<impl Stream<Item = Result<Event, std::convert::Infallible>>> {
    let stream = BroadcastStream::new(assay.subscribe()).filter_map(|e| {
        let event = e.ok()?;
        Event::default().json_data(event).ok().map(Ok)
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

struct ErrorResponse(ApiError);

impl IntoResponse for ErrorResponse {
    fn into_response(self) -> Response {
        (status_of(self.0.code), axum::Json(self.0)).into_response()
    }
}

fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::InvalidInput | ErrorCode::NotAProject => StatusCode::BAD_REQUEST,
        ErrorCode::UnknownMethod | ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::PermissionDenied => StatusCode::FORBIDDEN,
        ErrorCode::NoProjectOpen
        | ErrorCode::AlreadyAProject
        | ErrorCode::AlreadyExists
        | ErrorCode::StoreTooNew
        | ErrorCode::Cancelled => StatusCode::CONFLICT,
        ErrorCode::CorruptManifest => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Io | ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}
