//! The Assay API over HTTP: `POST /api/{method}` for every API call (JSON in, JSON out,
//! `{code, message, details}` on error), `GET /api/events` as server-sent events, and the built
//! UI as static files, so the same UI runs in a browser against a local or remote Assay. MLflow's
//! REST API is served too (`/api/2.0/mlflow/...`, artifacts under `/api/2.0/mlflow-artifacts/`),
//! so the unchanged `mlflow` client logs into the open project.
//!
//! Beyond loopback the server needs tokens: every route but `/api/health` and the UI files then
//! asks for `Authorization: Bearer <token>` (or HTTP Basic with the token as password). State
//! changes are appended to the project's audit log, `/metrics` speaks Prometheus' text format,
//! and CORS lets the desktop app and browser UIs on other origins call in.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use assay_app::{ApiError, Assay, ErrorCode};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use futures::Stream;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;
use tower_http::services::{ServeDir, ServeFile};

mod artifacts;
pub mod audit;
mod auth;
mod cors;
mod metrics;
mod mlflow;

pub use auth::{Caller, MIN_TOKEN_LEN, TokenError, Tokens};
pub use metrics::Metrics;

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
    /// Binding beyond loopback without a token is refused.
    #[error(
        "refusing to listen on {addr} without a token: beyond loopback (127.0.0.1, ::1) every request must carry one. Give it with --token-file PATH (one token, or lines `name:token`) or the ASSAY_TOKEN environment variable"
    )]
    NotLoopback {
        /// The address asked for.
        addr: SocketAddr,
    },
    /// The server stopped with an I/O error.
    #[error("server error: {0}")]
    Io(#[from] std::io::Error),
}

/// How the server answers, beyond its listener.
#[derive(Debug, Clone, Default)]
pub struct ServeOptions {
    /// Folder of the built UI, served as static files.
    pub ui_dir: Option<PathBuf>,
    /// The tokens every route but `/api/health` and the UI files requires; `None` serves
    /// without authentication (loopback only).
    pub tokens: Option<Arc<Tokens>>,
}

/// Binds the listening socket. Addresses beyond loopback need `with_tokens`.
pub async fn bind(
    addr: SocketAddr,
    with_tokens: bool,
) -> Result<tokio::net::TcpListener, ServerError> {
    if !addr.ip().is_loopback() && !with_tokens {
        return Err(ServerError::NotLoopback { addr });
    }
    tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServerError::Bind { addr, source })
}

/// The router: health, the guarded API, events, MLflow and metrics routes (audited, and behind
/// the tokens when there are any), the UI, CORS, and the request metrics around all of them.
pub fn router(assay: Arc<Assay>, options: &ServeOptions) -> Router {
    let metrics = Arc::new(Metrics::default());
    let mut guarded = Router::new()
        .route("/api/events", get(events))
        .route("/api/{method}", post(call))
        .route("/metrics", get(metrics::scrape))
        .merge(mlflow::routes())
        .merge(artifacts::routes())
        .route_layer(from_fn_with_state(assay.clone(), audit::record));
    guarded = match &options.tokens {
        Some(tokens) => guarded.route_layer(from_fn_with_state(tokens.clone(), auth::require)),
        None => guarded.route_layer(axum::middleware::from_fn(cors::refuse_foreign_origins)),
    };
    let app = Router::new()
        .route("/api/health", get(health))
        .merge(guarded)
        .with_state(assay);
    let app = match &options.ui_dir {
        Some(dir) => {
            let index = dir.join("index.html");
            app.fallback_service(ServeDir::new(dir).fallback(ServeFile::new(index)))
        }
        None => app,
    };
    app.layer(from_fn_with_state(metrics.clone(), metrics::observe))
        .layer(Extension(metrics))
        .layer(cors::layer(options.tokens.is_some()))
}

/// Serves until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    assay: Arc<Assay>,
    options: ServeOptions,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let app = router(assay, &options).into_make_service_with_connect_info::<SocketAddr>();
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
    let targets = params.as_ref().map(audit::Targets::of).unwrap_or_default();
    let result = match params {
        Ok(p) => assay.dispatch(&method, p).await,
        Err(e) => Err(e),
    };
    let response = match result {
        Ok(value) => axum::Json(value).into_response(),
        Err(error) => ErrorResponse(error).into_response(),
    };
    (Extension(targets), response).into_response()
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

/// An API error as its HTTP status and JSON body.
pub(crate) struct ErrorResponse(pub(crate) ApiError);

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
        ErrorCode::Unauthorized => StatusCode::UNAUTHORIZED,
        ErrorCode::NoProjectOpen
        | ErrorCode::AlreadyAProject
        | ErrorCode::AlreadyExists
        | ErrorCode::StoreTooNew
        | ErrorCode::Cancelled => StatusCode::CONFLICT,
        ErrorCode::CorruptManifest => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Io | ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;

    const TOKEN: &str = "0123456789abcdef-token";

    async fn status(app: &Router, method: &str, uri: &str, auth: Option<&str>) -> StatusCode {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(a) = auth {
            request = request.header("authorization", a);
        }
        let request = request.body(Body::from("{}")).expect("request");
        app.clone()
            .oneshot(request)
            .await
            .expect("response")
            .status()
    }

    #[tokio::test]
    async fn tokens_guard_every_route_but_health() {
        let dir = tempfile::tempdir().expect("tempdir");
        let assay = Arc::new(Assay::in_folder(dir.path()));
        let tokens = Arc::new(Tokens::parse(TOKEN, "test").expect("token"));
        let options = ServeOptions {
            ui_dir: None,
            tokens: Some(tokens),
        };
        let app = router(assay, &options);
        let ok = format!("Bearer {TOKEN}");
        let (get, post) = ("GET", "POST");
        assert_eq!(status(&app, get, "/api/health", None).await, StatusCode::OK);
        for (method, uri) in [
            (post, "/api/app_info"),
            (get, "/api/events"),
            (get, "/metrics"),
            (get, "/api/2.0/mlflow/experiments/search"),
            (post, "/ajax-api/2.0/mlflow/runs/create"),
            (get, "/api/2.0/mlflow-artifacts/artifacts/1/x"),
        ] {
            let refused = status(&app, method, uri, None).await;
            assert_eq!(refused, StatusCode::UNAUTHORIZED, "{method} {uri}");
        }
        assert_eq!(
            status(&app, post, "/api/app_info", Some(&ok)).await,
            StatusCode::OK
        );
        assert_eq!(
            status(&app, get, "/metrics", Some(&ok)).await,
            StatusCode::OK
        );
    }

    #[tokio::test]
    async fn without_tokens_changes_are_audited_as_local() {
        let dir = tempfile::tempdir().expect("tempdir");
        let assay = Arc::new(Assay::in_folder(dir.path()));
        let app = router(assay, &ServeOptions::default());
        let conflict = status(&app, "POST", "/api/create_experiment", None).await;
        assert_eq!(conflict, StatusCode::BAD_REQUEST, "a missing name");
        assert_eq!(
            status(&app, "POST", "/api/app_info", None).await,
            StatusCode::OK
        );
        let from = |origin: &str| {
            Request::post("/api/close_project")
                .header("origin", origin)
                .body(Body::empty())
                .expect("request")
        };
        let foreign = app.clone().oneshot(from("https://evil.example")).await;
        assert_eq!(foreign.expect("response").status(), StatusCode::FORBIDDEN);
        let local = app.clone().oneshot(from("http://localhost:5173")).await;
        assert_eq!(local.expect("response").status(), StatusCode::OK);
        let log = std::fs::read_to_string(dir.path().join("data").join(audit::FILE_NAME))
            .expect("audit log in the data folder when no project is open");
        let lines: Vec<serde_json::Value> = log
            .lines()
            .map(|l| serde_json::from_str(l).expect("json"))
            .collect();
        assert_eq!(lines.len(), 2, "the refused request is not audited: {log}");
        assert_eq!(lines[0]["who"], "local");
        assert_eq!(lines[0]["path"], "/api/create_experiment");
        assert_eq!(lines[0]["status"], 400);
    }

    #[tokio::test]
    async fn beyond_loopback_binding_needs_tokens() {
        let any: SocketAddr = ([0, 0, 0, 0], 0).into();
        let err = bind(any, false).await.expect_err("refused");
        assert!(err.to_string().contains("--token-file"), "{err}");
        assert!(bind(([127, 0, 0, 1], 0).into(), false).await.is_ok());
    }
}
