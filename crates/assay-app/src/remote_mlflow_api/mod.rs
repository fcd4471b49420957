//! Remote MLflow servers: browse their experiments, runs and registered models; import runs
//! and model versions into the project (each run written whole or not at all, never twice;
//! [`import`]); push local runs and model versions to a remote experiment ([`push`]).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use assay_project::Project;
use assay_remote::mlflow::{MlflowClient, MlflowError, client_for};
use assay_track::{ModelVersion, TrackStore};

use crate::artifact_store::ArtifactStores;
use crate::connections_api::{find, secrets};
use crate::dto::*;
use crate::{ApiError, Assay, ErrorCode, JobContext};

mod import;
mod push;

use import::Importer;
use push::Pusher;

/// The tag naming where an imported run or version came from.
pub const IMPORTED_FROM: &str = "assay.imported_from";
/// The tag naming the local run or version a pushed one came from.
pub const PUSHED_FROM: &str = "assay.pushed_from";
/// Most experiments or models listed from one server.
const LIST_CAP: usize = 10_000;

impl From<MlflowError> for ApiError {
    fn from(e: MlflowError) -> Self {
        let code = match &e {
            MlflowError::Unreachable { .. } | MlflowError::Timeout { .. } => ErrorCode::Io,
            MlflowError::Unauthorized { .. } => ErrorCode::PermissionDenied,
            MlflowError::Server { .. } if e.is_not_found() => ErrorCode::NotFound,
            MlflowError::Server { .. } if e.is_already_exists() => ErrorCode::AlreadyExists,
            MlflowError::Server { .. } | MlflowError::Io { .. } => ErrorCode::Io,
            MlflowError::NotMlflow { .. }
            | MlflowError::UnsupportedVersion { .. }
            | MlflowError::Config { .. } => ErrorCode::InvalidInput,
        };
        let url = match &e {
            MlflowError::Unreachable { url, .. }
            | MlflowError::Timeout { url, .. }
            | MlflowError::Unauthorized { url, .. }
            | MlflowError::Server { url, .. }
            | MlflowError::NotMlflow { url, .. }
            | MlflowError::UnsupportedVersion { url, .. }
            | MlflowError::Config { url, .. } => Some(url.clone()),
            MlflowError::Io { .. } => None,
        };
        let err = ApiError::new(code, e.to_string());
        match url {
            Some(url) => err.with_details(serde_json::json!({ "url": url })),
            None => err,
        }
    }
}

fn client(project: &Project, connection: &str) -> Result<MlflowClient, ApiError> {
    let spec = find(project, connection)?;
    Ok(client_for(&spec, &*secrets()?)?)
}

/// A runtime for a job's thread to drive the async client on.
fn runtime() -> Result<tokio::runtime::Runtime, ApiError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("cannot start a runtime: {e}")))
}

fn io_error(path: &Path, e: std::io::Error) -> ApiError {
    ApiError::from_io(&e, &path.display().to_string())
}

impl Assay {
    /// A remote server's version and live experiments.
    pub async fn remote_mlflow_experiments(
        &self,
        req: RemoteMlflowRef,
    ) -> Result<RemoteMlflowExperiments, ApiError> {
        let client = client(&*self.project()?, &req.connection)?;
        let server_version = client.check_version().await?;
        let mut experiments = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let page = client
                .search_experiments(None, 1000, token.as_deref())
                .await?;
            experiments.extend(page.items);
            match page.next_page_token {
                Some(t) if experiments.len() < LIST_CAP => token = Some(t),
                _ => break,
            }
        }
        Ok(RemoteMlflowExperiments {
            url: client.url().to_string(),
            server_version,
            experiments,
        })
    }

    /// One page of a remote server's runs.
    pub async fn remote_mlflow_runs(
        &self,
        req: RemoteMlflowRunsRequest,
    ) -> Result<RemoteMlflowRunsPage, ApiError> {
        let client = client(&*self.project()?, &req.connection)?;
        let page = client
            .search_runs(
                &req.experiment_ids,
                req.filter.as_deref(),
                &req.order_by,
                req.max_results.unwrap_or(100).clamp(1, 1000) as usize,
                req.page_token.as_deref(),
            )
            .await?;
        Ok(RemoteMlflowRunsPage {
            runs: page.items,
            next_page_token: page.next_page_token,
        })
    }

    /// A remote server's registered models with their versions.
    pub async fn remote_mlflow_models(
        &self,
        req: RemoteMlflowModelsRequest,
    ) -> Result<Vec<RemoteMlflowModel>, ApiError> {
        let client = client(&*self.project()?, &req.connection)?;
        let mut models = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let page = client
                .search_registered_models(req.filter.as_deref(), 1000, token.as_deref())
                .await?;
            models.extend(page.items);
            match page.next_page_token {
                Some(t) if models.len() < LIST_CAP => token = Some(t),
                _ => break,
            }
        }
        let mut versions: HashMap<String, Vec<ModelVersion>> = HashMap::new();
        let mut token: Option<String> = None;
        let mut seen = 0;
        loop {
            let page = client
                .search_model_versions(None, 1000, token.as_deref())
                .await?;
            seen += page.items.len();
            for v in page.items {
                versions.entry(v.name.clone()).or_default().push(v);
            }
            match page.next_page_token {
                Some(t) if seen < LIST_CAP => token = Some(t),
                _ => break,
            }
        }
        Ok(models
            .into_iter()
            .map(|model| {
                let mut versions = versions.remove(&model.name).unwrap_or_default();
                versions.sort_by_key(|v| std::cmp::Reverse(v.version.parse::<i64>().unwrap_or(0)));
                RemoteMlflowModel { model, versions }
            })
            .collect())
    }

    /// Starts copying remote runs and model versions into the project.
    pub async fn start_mlflow_import(&self, req: MlflowImportRequest) -> Result<JobRef, ApiError> {
        let project = self.project()?;
        let store = self.tracking()?;
        let client = client(&project, &req.connection)?;
        let stores = ArtifactStores::of(&project, &store)?;
        if req.run_ids.is_empty() && req.model_versions.is_empty() {
            return Err(ApiError::invalid("pick runs or model versions to import"));
        }
        let title = format!("Import from MLflow {}", client.url());
        let info = self.jobs().spawn(
            "mlflow_import",
            &title,
            Some(crate::service::store_observer(project)),
            move |ctx| {
                let t = Transfer::new(client, store, stores, ctx)?;
                Importer { t }.run(&req)
            },
        );
        Ok(JobRef { id: info.id })
    }

    /// Starts copying local runs and model versions to a remote experiment.
    pub async fn start_mlflow_push(&self, req: MlflowPushRequest) -> Result<JobRef, ApiError> {
        let project = self.project()?;
        let store = self.tracking()?;
        let client = client(&project, &req.connection)?;
        if req.experiment.trim().is_empty() {
            return Err(ApiError::invalid("name the remote experiment to push to"));
        }
        if req.run_ids.is_empty() && req.model_versions.is_empty() {
            return Err(ApiError::invalid("pick runs or model versions to push"));
        }
        let origin = format!("assay:{}", project.manifest().project.name);
        let stores = ArtifactStores::of(&project, &store)?;
        let title = format!("Push to MLflow {}", client.url());
        let info = self.jobs().spawn(
            "mlflow_push",
            &title,
            Some(crate::service::store_observer(project)),
            move |ctx| {
                let t = Transfer::new(client, store, stores, ctx)?;
                Pusher { t, origin }.run(&req)
            },
        );
        Ok(JobRef { id: info.id })
    }
}

/// A run copied in either direction: its ids and artifact URIs on both sides.
#[derive(Debug, Clone)]
struct Copied {
    from_uri: String,
    to_id: String,
    to_uri: String,
}

/// The source of a model version inside its copied run's artifacts, if it is inside.
fn moved_source(source: &str, run: &Copied) -> Option<String> {
    let base = run.from_uri.trim_end_matches('/');
    let rest = source.strip_prefix(base)?;
    (rest.is_empty() || rest.starts_with('/'))
        .then(|| format!("{}{rest}", run.to_uri.trim_end_matches('/')))
}

/// `tags` with the provenance tag `key` set to `value` alone, an earlier one (copied along from
/// the other side) dropped; `skip` names tags that must not travel.
fn with_provenance(
    tags: &[assay_track::KeyValue],
    key: &str,
    value: &str,
    skip: &[&str],
) -> Vec<assay_track::KeyValue> {
    let mut out: Vec<_> = tags
        .iter()
        .filter(|t| t.key != key && !skip.contains(&t.key.as_str()))
        .cloned()
        .collect();
    out.push(assay_track::KeyValue::new(key, value));
    out
}

fn progress(ctx: &JobContext, done: usize, total: usize, message: String) {
    ctx.progress(Progress {
        done: done as f64,
        total: Some(total as f64),
        unit: "items".into(),
        message,
    });
}

/// What an import or a push works with: the server, the project's store and artifact
/// locations, the job, a runtime to drive the client on, and the runs copied so far.
struct Transfer<'a> {
    client: MlflowClient,
    store: Arc<TrackStore>,
    stores: ArtifactStores,
    ctx: &'a JobContext,
    rt: tokio::runtime::Runtime,
    runs: HashMap<String, Copied>,
}

impl<'a> Transfer<'a> {
    fn new(
        client: MlflowClient,
        store: Arc<TrackStore>,
        stores: ArtifactStores,
        ctx: &'a JobContext,
    ) -> Result<Self, ApiError> {
        Ok(Self {
            client,
            store,
            stores,
            ctx,
            rt: runtime()?,
            runs: HashMap::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provenance_replaces_a_copied_one_and_skipped_tags_stay_behind() {
        let kv = |k: &str, v: &str| assay_track::KeyValue::new(k, v);
        let tags = [
            kv("team", "growth"),
            kv(PUSHED_FROM, "elsewhere"),
            kv("mlflow.runName", "r"),
        ];
        let out = with_provenance(&tags, PUSHED_FROM, "here", &["mlflow.runName"]);
        assert_eq!(out, [kv("team", "growth"), kv(PUSHED_FROM, "here")]);
    }

    #[test]
    fn version_sources_move_with_their_run() {
        let run = Copied {
            from_uri: "mlflow-artifacts:/1/abc/artifacts".into(),
            to_id: "def".into(),
            to_uri: "mlflow-artifacts:/4/def/artifacts".into(),
        };
        assert_eq!(
            moved_source("mlflow-artifacts:/1/abc/artifacts/model", &run).as_deref(),
            Some("mlflow-artifacts:/4/def/artifacts/model")
        );
        assert_eq!(
            moved_source("mlflow-artifacts:/1/abcd/artifacts/model", &run),
            None
        );
        assert_eq!(moved_source("models:/m-123", &run), None);
    }

    #[test]
    fn server_errors_keep_the_url_and_a_useful_code() {
        let e = ApiError::from(MlflowError::Unreachable {
            url: "http://h:5000".into(),
            message: "refused".into(),
        });
        assert_eq!(e.code, ErrorCode::Io);
        assert_eq!(
            e.details,
            Some(serde_json::json!({ "url": "http://h:5000" }))
        );
        let e = ApiError::from(MlflowError::UnsupportedVersion {
            url: "http://h".into(),
            version: "1.2.0".into(),
        });
        assert_eq!(e.code, ErrorCode::InvalidInput);
    }
}
