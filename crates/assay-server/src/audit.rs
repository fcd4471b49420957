//! The audit log: one JSON line per state-changing request (Assay API methods that change
//! state, MLflow writes, artifact uploads and deletions) appended to the open project's
//! `.assay/audit.log`: when, who, from where, what, on which ids, and the outcome. Reads are not
//! recorded.

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use assay_app::Assay;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use serde_json::{Map, Value};

use crate::auth::Caller;

/// The audit log's file name, in a project's `.assay/` (or Assay's data folder when no
/// project is open).
pub const FILE_NAME: &str = "audit.log";

/// Longest string kept for a target id.
const MAX_TARGET_CHARS: usize = 200;
/// Most array items kept for a target list.
const MAX_TARGET_ITEMS: usize = 20;

/// The audit log of the project in `root`.
pub fn log_path(root: &Path) -> PathBuf {
    root.join(".assay").join(FILE_NAME)
}

/// Ids named by a request's parameters (`run_id`, `experiment_id`, `name`, `path`, ...), which
/// a handler attaches to its response for the audit log.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Targets(pub Map<String, Value>);

impl Targets {
    /// The id-like top-level fields of `params`; never free text such as a suite's YAML.
    pub(crate) fn of(params: &Value) -> Self {
        let Some(object) = params.as_object() else {
            return Self::default();
        };
        let picked = object
            .iter()
            .filter(|(key, _)| is_id_key(key))
            .filter_map(|(key, value)| Some((key.clone(), short(value)?)))
            .collect();
        Self(picked)
    }
}

fn is_id_key(key: &str) -> bool {
    matches!(
        key,
        "id" | "ids" | "name" | "path" | "dataset" | "suite" | "version" | "alias" | "key"
    ) || key.ends_with("_id")
        || key.ends_with("_ids")
}

fn short(value: &Value) -> Option<Value> {
    match value {
        Value::String(s) => Some(Value::String(s.chars().take(MAX_TARGET_CHARS).collect())),
        Value::Number(_) | Value::Bool(_) => Some(value.clone()),
        Value::Array(items) => Some(Value::Array(
            items
                .iter()
                .take(MAX_TARGET_ITEMS)
                .filter_map(short)
                .collect(),
        )),
        _ => None,
    }
}

/// Whether a request to `route` (the matched template) with `method` may change state.
fn changes_state(route: &str, method: &Method, path: &str) -> bool {
    if route == "/api/{method}" {
        return assay_app::mutates(path.trim_start_matches("/api/"));
    }
    let mlflow = route.starts_with("/api/2.0/") || route.starts_with("/ajax-api/2.0/");
    let write = !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    mlflow && write && !path.ends_with("/search")
}

/// The client's address, or `unknown` when the server was not given connection info.
pub(crate) fn remote_addr(request: &Request) -> String {
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".into(), |c| c.0.to_string())
}

/// What is known of a state-changing request before it runs.
struct Entry {
    caller: Caller,
    remote: String,
    method: String,
    route: String,
    path: String,
}

impl Entry {
    fn of(request: &Request) -> Option<Self> {
        let route = request.extensions().get::<MatchedPath>()?.as_str();
        let path = request.uri().path();
        if !changes_state(route, request.method(), path) {
            return None;
        }
        Some(Self {
            caller: request
                .extensions()
                .get::<Caller>()
                .cloned()
                .unwrap_or_else(Caller::local),
            remote: remote_addr(request),
            method: request.method().to_string(),
            route: route.to_string(),
            path: path.to_string(),
        })
    }

    fn line(self, status: u16, targets: Option<&Targets>) -> String {
        let mut record = serde_json::json!({
            "time": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "who": self.caller.who,
            "remote": self.remote,
            "method": self.method,
            "route": self.route,
            "path": self.path,
            "status": status,
        });
        if let Some(token) = self.caller.token {
            record["token"] = token.into();
        }
        if let Some(t) = targets.filter(|t| !t.0.is_empty()) {
            record["targets"] = Value::Object(t.0.clone());
        }
        format!("{record}\n")
    }
}

fn current_log(assay: &Assay) -> Option<PathBuf> {
    assay.project().ok().map(|p| log_path(p.root()))
}

fn append(path: &Path, line: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?
        .write_all(line.as_bytes())
}

/// Middleware: after a state-changing request, appends its line to the audit log of the
/// project open then (or before, when the call closed it).
pub(crate) async fn record(
    State(assay): State<Arc<Assay>>,
    request: Request,
    next: Next,
) -> Response {
    let Some(entry) = Entry::of(&request) else {
        return next.run(request).await;
    };
    let before = current_log(&assay);
    let response = next.run(request).await;
    let path = current_log(&assay)
        .or(before)
        .unwrap_or_else(|| assay.dirs().data.join(FILE_NAME));
    let line = entry.line(
        response.status().as_u16(),
        response.extensions().get::<Targets>(),
    );
    let written = tokio::task::spawn_blocking(move || {
        append(&path, &line).map_err(|e| format!("{}: {e}", path.display()))
    })
    .await
    .unwrap_or_else(|e| Err(e.to_string()));
    if let Err(error) = written {
        tracing::error!(%error, "could not write the audit log");
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_ids_not_contents() {
        let params = serde_json::json!({
            "run_id": "abc",
            "experiment_ids": ["1", "2"],
            "name": "x".repeat(300),
            "text": "rules: []",
            "params": [{"key": "lr"}],
            "max_results": 10,
        });
        let t = Targets::of(&params).0;
        assert_eq!(t["run_id"], "abc");
        assert_eq!(t["experiment_ids"], serde_json::json!(["1", "2"]));
        assert_eq!(t["name"].as_str().map(str::len), Some(MAX_TARGET_CHARS));
        assert!(!t.contains_key("text") && !t.contains_key("params"));
        assert!(!t.contains_key("max_results"));
        assert!(Targets::of(&Value::Null).0.is_empty());
    }

    #[test]
    fn only_changes_are_audited() {
        let post = Method::POST;
        assert!(changes_state("/api/{method}", &post, "/api/save_suite"));
        assert!(!changes_state("/api/{method}", &post, "/api/runs_page"));
        let mlflow = "/api/2.0/mlflow/{*path}";
        assert!(changes_state(mlflow, &post, "/api/2.0/mlflow/runs/create"));
        assert!(!changes_state(mlflow, &post, "/api/2.0/mlflow/runs/search"));
        assert!(!changes_state(
            mlflow,
            &Method::GET,
            "/api/2.0/mlflow/runs/get"
        ));
        let artifacts = "/ajax-api/2.0/mlflow-artifacts/artifacts/{*path}";
        assert!(changes_state(
            artifacts,
            &Method::PUT,
            "/ajax-api/2.0/mlflow-artifacts/artifacts/1/a"
        ));
        assert!(!changes_state("/metrics", &Method::GET, "/metrics"));
        assert!(!changes_state("/api/events", &Method::GET, "/api/events"));
    }
}
