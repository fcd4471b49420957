//! Remote MLflow servers: browse their experiments, runs and registered models; import runs
//! and model versions into the project (each run written whole or not at all, never twice);
//! push local runs and model versions to a remote experiment.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use assay_project::Project;
use assay_remote::mlflow::{MlflowClient, MlflowError, client_for};
use assay_track::{
    ImportedRun, LifecycleStage, Metric, ModelVersion, NewModelVersion, Run, TrackError,
    TrackStore, artifact_path,
};

use crate::artifact_store::ArtifactStores;
use crate::connections_api::{find, secrets};
use crate::dto::*;
use crate::{ApiError, Assay, ErrorCode, JobContext};

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
            move |ctx| Importer::new(client, store, stores, ctx)?.run(&req),
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
            move |ctx| Pusher::new(client, store, stores, ctx, origin)?.run(&req),
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

fn progress(ctx: &JobContext, done: usize, total: usize, message: String) {
    ctx.progress(Progress {
        done: done as f64,
        total: Some(total as f64),
        unit: "items".into(),
        message,
    });
}

struct Importer<'a> {
    client: MlflowClient,
    store: Arc<TrackStore>,
    stores: ArtifactStores,
    ctx: &'a JobContext,
    rt: tokio::runtime::Runtime,
    runs: HashMap<String, Copied>,
}

impl<'a> Importer<'a> {
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

    fn run(mut self, req: &MlflowImportRequest) -> Result<MlflowTransferResult, ApiError> {
        self.rt.block_on(self.client.check_version())?;
        let total = req.run_ids.len() + req.model_versions.len();
        let mut out = MlflowTransferResult {
            url: self.client.url().to_string(),
            runs: Vec::new(),
            model_versions: Vec::new(),
        };
        for (i, id) in req.run_ids.iter().enumerate() {
            self.ctx.check_cancelled()?;
            progress(self.ctx, i, total, format!("importing run {id}"));
            out.runs.push(self.import_run(id)?);
        }
        for (i, v) in req.model_versions.iter().enumerate() {
            self.ctx.check_cancelled()?;
            let message = format!("importing {} version {}", v.name, v.version);
            progress(self.ctx, req.run_ids.len() + i, total, message);
            out.model_versions.push(self.import_version(v)?);
        }
        progress(self.ctx, total, total, "imported".into());
        Ok(out)
    }

    fn provenance(&self, run: &Run) -> String {
        format!(
            "{}/#/experiments/{}/runs/{}",
            self.client.url(),
            run.info.experiment_id,
            run.info.run_id
        )
    }

    fn import_run(&mut self, remote_id: &str) -> Result<TransferredRun, ApiError> {
        let remote = self.rt.block_on(self.client.get_run(remote_id))?;
        let origin = self.provenance(&remote);
        if let Some(local) = self.store.runs_with_tag(IMPORTED_FROM, &origin)?.first() {
            let run = self.store.get_run(local)?;
            self.remember(&remote, &run);
            return Ok(TransferredRun {
                from_run_id: remote_id.to_string(),
                to_run_id: run.info.run_id,
                experiment: self.store.get_experiment(&run.info.experiment_id)?.name,
                already_there: true,
            });
        }
        let experiment = self
            .rt
            .block_on(self.client.get_experiment(&remote.info.experiment_id))?
            .name;
        let experiment_id = local_experiment(&self.store, &experiment)?;
        let metrics = self.histories(&remote)?;
        let staged = self.stage_run_artifacts(&remote)?;
        let mut tags: Vec<_> = remote
            .data
            .tags
            .iter()
            .filter(|t| t.key != IMPORTED_FROM)
            .cloned()
            .collect();
        tags.push(assay_track::KeyValue::new(IMPORTED_FROM, &origin));
        let imported = ImportedRun {
            experiment_id,
            run_name: remote.info.run_name.clone(),
            user_id: remote.info.user_id.clone(),
            status: remote.info.status,
            start_time: remote.info.start_time,
            end_time: remote.info.end_time,
            params: remote.data.params.clone(),
            tags,
            metrics,
            inputs: remote.inputs.dataset_inputs.clone(),
        };
        let stores = &self.stores;
        let run = self.store.import_run(&imported, |uri| {
            stores
                .dir(uri)
                .and_then(|dir| dir.place(staged.path()))
                .map_err(|e| TrackError::InvalidParameter(e.message))
        })?;
        self.remember(&remote, &run);
        Ok(TransferredRun {
            from_run_id: remote_id.to_string(),
            to_run_id: run.info.run_id,
            experiment,
            already_there: false,
        })
    }

    fn remember(&mut self, remote: &Run, local: &Run) {
        self.runs.insert(
            remote.info.run_id.clone(),
            Copied {
                from_uri: remote.info.artifact_uri.clone(),
                to_id: local.info.run_id.clone(),
                to_uri: local.info.artifact_uri.clone(),
            },
        );
    }

    /// Every point of every metric of a remote run.
    fn histories(&self, remote: &Run) -> Result<Vec<Metric>, ApiError> {
        let keys: BTreeSet<&str> = remote.data.metrics.iter().map(|m| m.key.as_str()).collect();
        let mut all = Vec::new();
        for key in keys {
            self.ctx.check_cancelled()?;
            let id = &remote.info.run_id;
            all.extend(self.rt.block_on(self.client.metric_history(id, key))?);
        }
        Ok(all)
    }

    /// Downloads a run's artifacts into a hidden folder of the artifact root.
    fn stage_run_artifacts(&self, remote: &Run) -> Result<tempfile::TempDir, ApiError> {
        let staged = staging_dir(self.store.artifacts().root())?;
        let files = self
            .rt
            .block_on(self.client.run_artifact_files(&remote.info.run_id, ""))?;
        let inside = assay_track::ArtifactRoot::new(staged.path());
        for f in files {
            self.ctx.check_cancelled()?;
            let dest = inside.resolve(&f.path)?;
            self.rt.block_on(
                self.client
                    .download_run_artifact(&remote.info, &f.path, &dest),
            )?;
        }
        Ok(staged)
    }

    fn import_version(&mut self, v: &MlflowVersionRef) -> Result<TransferredVersion, ApiError> {
        let remote = self
            .rt
            .block_on(self.client.get_model_version(&v.name, &v.version))?;
        let origin = format!(
            "{}/#/models/{}/versions/{}",
            self.client.url(),
            v.name,
            v.version
        );
        let done = |to: &ModelVersion, already_there| TransferredVersion {
            name: v.name.clone(),
            from_version: v.version.clone(),
            to_version: to.version.clone(),
            already_there,
        };
        if let Some(local) = self
            .store
            .model_versions_with_tag(IMPORTED_FROM, &origin)?
            .first()
        {
            self.point_aliases(&remote, &local.version)?;
            return Ok(done(local, true));
        }
        let run = match remote.run_id.as_str() {
            "" => None,
            id => {
                self.import_run(id)?;
                self.runs.get(id).cloned()
            }
        };
        let uri = self
            .rt
            .block_on(self.client.model_version_download_uri(&v.name, &v.version))?;
        let (source, placed) = match run.as_ref().and_then(|r| moved_source(&uri, r)) {
            Some(source) => (source, None),
            None => self.copy_model_files(&uri)?,
        };
        let created = self.register(&remote, source, run.map(|r| r.to_id), &origin);
        if created.is_err()
            && let Some(dir) = placed
        {
            let _ = std::fs::remove_dir_all(dir);
        }
        let created = created?;
        self.point_aliases(&remote, &created.version)?;
        Ok(done(&created, false))
    }

    /// Points the local model's aliases named on the remote version (`@champion`) at `version`.
    fn point_aliases(&self, remote: &ModelVersion, version: &str) -> Result<(), ApiError> {
        for alias in &remote.aliases {
            self.store.set_model_alias(&remote.name, alias, version)?;
        }
        Ok(())
    }

    /// Copies model files kept outside any run (e.g. an MLflow 3 logged model) into the
    /// artifact root; returns their new URI and folder.
    fn copy_model_files(&self, uri: &str) -> Result<(String, Option<PathBuf>), ApiError> {
        let remote_path = artifact_path(uri).ok_or_else(|| {
            ApiError::invalid(format!(
                "the model's files are at '{uri}', outside the server's proxied artifact store: Assay cannot download them"
            ))
        })?;
        let staged = staging_dir(self.store.artifacts().root())?;
        let inside = assay_track::ArtifactRoot::new(staged.path());
        let files = self.rt.block_on(self.client.proxied_files(&remote_path))?;
        for f in files {
            self.ctx.check_cancelled()?;
            let dest = inside.resolve(&f.path)?;
            let from = format!("{}/{}", remote_path.trim_end_matches('/'), f.path);
            self.rt
                .block_on(self.client.download_proxied(&from, &dest))?;
        }
        let local = format!(
            "{}/models/imported-{}/artifacts",
            assay_track::ARTIFACT_SCHEME,
            uuid::Uuid::new_v4().simple()
        );
        self.stores.dir(&local)?.place(staged.path())?;
        let dir = self
            .store
            .artifacts()
            .resolve(&artifact_path(&local).unwrap_or_default())?;
        Ok((local, Some(dir)))
    }

    fn register(
        &self,
        remote: &ModelVersion,
        source: String,
        run_id: Option<String>,
        origin: &str,
    ) -> Result<ModelVersion, ApiError> {
        if let Err(TrackError::NotFound { .. }) = self.store.get_registered_model(&remote.name) {
            let model = self
                .rt
                .block_on(self.client.get_registered_model(&remote.name))?;
            let (tags, description) = model.map(|m| (m.tags, m.description)).unwrap_or_default();
            self.store
                .create_registered_model(&remote.name, &tags, Some(&description))?;
        }
        let mut tags: Vec<_> = remote
            .tags
            .iter()
            .filter(|t| t.key != IMPORTED_FROM)
            .cloned()
            .collect();
        tags.push(assay_track::KeyValue::new(IMPORTED_FROM, origin));
        Ok(self.store.create_model_version(&NewModelVersion {
            name: remote.name.clone(),
            source,
            run_id,
            tags,
            run_link: None,
            description: Some(remote.description.clone()),
            model_id: None,
            user_id: Some(remote.user_id.clone()),
        })?)
    }
}

/// A hidden folder in the artifact root (same file system, so placing is a rename), removed
/// when dropped unless its content was moved away.
fn staging_dir(root: &Path) -> Result<tempfile::TempDir, ApiError> {
    std::fs::create_dir_all(root).map_err(|e| io_error(root, e))?;
    tempfile::Builder::new()
        .prefix(".tmp-import-")
        .tempdir_in(root)
        .map_err(|e| io_error(root, e))
}

/// The id of the live local experiment called `name`, created when missing.
fn local_experiment(store: &TrackStore, name: &str) -> Result<String, ApiError> {
    match store.get_experiment_by_name(name) {
        Ok(e) if e.lifecycle_stage == LifecycleStage::Active => Ok(e.experiment_id),
        Ok(_) => Err(ApiError::invalid(format!(
            "the local experiment '{name}' is deleted: restore it to import into it"
        ))),
        Err(TrackError::NotFound { .. }) => Ok(store.create_experiment(name, None, &[])?),
        Err(e) => Err(e.into()),
    }
}

struct Pusher<'a> {
    client: MlflowClient,
    store: Arc<TrackStore>,
    stores: ArtifactStores,
    ctx: &'a JobContext,
    rt: tokio::runtime::Runtime,
    origin: String,
    runs: HashMap<String, Copied>,
}

impl<'a> Pusher<'a> {
    fn new(
        client: MlflowClient,
        store: Arc<TrackStore>,
        stores: ArtifactStores,
        ctx: &'a JobContext,
        origin: String,
    ) -> Result<Self, ApiError> {
        Ok(Self {
            client,
            store,
            stores,
            ctx,
            rt: runtime()?,
            origin,
            runs: HashMap::new(),
        })
    }

    fn run(mut self, req: &MlflowPushRequest) -> Result<MlflowTransferResult, ApiError> {
        self.rt.block_on(self.client.check_version())?;
        let mut run_ids = req.run_ids.clone();
        for v in &req.model_versions {
            let local = self.store.get_model_version(&v.name, &v.version)?;
            if local.run_id.is_empty() {
                return Err(ApiError::invalid(format!(
                    "{} version {} has no run: only versions logged by a run can be pushed",
                    v.name, v.version
                )));
            }
            if !run_ids.contains(&local.run_id) {
                run_ids.push(local.run_id);
            }
        }
        let experiment_id = self.remote_experiment(req.experiment.trim())?;
        let total = run_ids.len() + req.model_versions.len();
        let mut out = MlflowTransferResult {
            url: self.client.url().to_string(),
            runs: Vec::new(),
            model_versions: Vec::new(),
        };
        for (i, id) in run_ids.iter().enumerate() {
            self.ctx.check_cancelled()?;
            progress(self.ctx, i, total, format!("pushing run {id}"));
            let mut pushed = self.push_run(id, &experiment_id)?;
            pushed.experiment = req.experiment.trim().to_string();
            out.runs.push(pushed);
        }
        for (i, v) in req.model_versions.iter().enumerate() {
            self.ctx.check_cancelled()?;
            let message = format!("registering {} version {}", v.name, v.version);
            progress(self.ctx, run_ids.len() + i, total, message);
            out.model_versions.push(self.push_version(v)?);
        }
        progress(self.ctx, total, total, "pushed".into());
        Ok(out)
    }

    fn remote_experiment(&self, name: &str) -> Result<String, ApiError> {
        match self.rt.block_on(self.client.experiment_by_name(name))? {
            Some(e) if e.lifecycle_stage == LifecycleStage::Active => Ok(e.experiment_id),
            Some(_) => Err(ApiError::invalid(format!(
                "the remote experiment '{name}' is deleted: restore it on the server or pick another name"
            ))),
            None => Ok(self.rt.block_on(self.client.create_experiment(name))?),
        }
    }

    fn push_run(&mut self, id: &str, experiment_id: &str) -> Result<TransferredRun, ApiError> {
        let run = self.store.get_run(id)?;
        let origin = format!("{}/runs/{id}", self.origin);
        let filter = format!("tags.`{PUSHED_FROM}` = '{}'", origin.replace('\'', "\\'"));
        let found = self.rt.block_on(self.client.search_runs(
            &[experiment_id.to_string()],
            Some(&filter),
            &[],
            1,
            None,
        ))?;
        if let Some(remote) = found.items.into_iter().next() {
            self.remember(&run, &remote);
            return Ok(TransferredRun {
                from_run_id: id.to_string(),
                to_run_id: remote.info.run_id,
                experiment: String::new(),
                already_there: true,
            });
        }
        let mut tags: Vec<_> = run
            .data
            .tags
            .iter()
            .filter(|t| t.key != assay_track::RUN_NAME_TAG && t.key != PUSHED_FROM)
            .cloned()
            .collect();
        tags.push(assay_track::KeyValue::new(PUSHED_FROM, &origin));
        let remote = self.rt.block_on(self.client.create_run(
            experiment_id,
            &run.info.run_name,
            run.info.start_time,
            &tags,
        ))?;
        if let Err(e) = self.fill_run(&run, &remote) {
            // Best effort: a half-pushed run goes to the server's trash.
            let _ = self
                .rt
                .block_on(self.client.delete_run(&remote.info.run_id));
            return Err(e);
        }
        self.remember(&run, &remote);
        Ok(TransferredRun {
            from_run_id: id.to_string(),
            to_run_id: remote.info.run_id,
            experiment: String::new(),
            already_there: false,
        })
    }

    fn remember(&mut self, local: &Run, remote: &Run) {
        let copied = Copied {
            from_uri: local.info.artifact_uri.clone(),
            to_id: remote.info.run_id.clone(),
            to_uri: remote.info.artifact_uri.clone(),
        };
        self.runs.insert(local.info.run_id.clone(), copied);
    }

    /// Metric histories, parameters, inputs, artifacts, then the final status.
    fn fill_run(&self, run: &Run, remote: &Run) -> Result<(), ApiError> {
        let remote_id = &remote.info.run_id;
        let keys: BTreeSet<&str> = run.data.metrics.iter().map(|m| m.key.as_str()).collect();
        let mut metrics = Vec::new();
        for key in keys {
            let page = self
                .store
                .metric_history(&run.info.run_id, key, None, None)?;
            metrics.extend(page.items.into_iter().map(|mut m| {
                m.run_id = None;
                m
            }));
        }
        let ctx = self.ctx;
        self.rt.block_on(self.client.log_all(
            remote_id,
            &metrics,
            &run.data.params,
            &[],
            |_, _| !ctx.is_cancelled(),
        ))?;
        self.ctx.check_cancelled()?;
        self.rt.block_on(
            self.client
                .log_inputs(remote_id, &run.inputs.dataset_inputs),
        )?;
        for (file, rel) in self.local_artifacts(run)? {
            self.ctx.check_cancelled()?;
            self.rt
                .block_on(self.client.upload_run_artifact(&remote.info, &rel, &file))?;
        }
        self.rt.block_on(
            self.client
                .update_run(remote_id, run.info.status, run.info.end_time),
        )?;
        Ok(())
    }

    /// A run's artifact files (local copies) and their paths relative to its artifact root.
    fn local_artifacts(&self, run: &Run) -> Result<Vec<(PathBuf, String)>, ApiError> {
        self.stores.dir(&run.info.artifact_uri)?.files()
    }

    fn push_version(&self, v: &MlflowVersionRef) -> Result<TransferredVersion, ApiError> {
        let local = self.store.get_model_version(&v.name, &v.version)?;
        let origin = format!("{}/models/{}/versions/{}", self.origin, v.name, v.version);
        let run = self.runs.get(&local.run_id).ok_or_else(|| {
            ApiError::new(ErrorCode::Internal, "the version's run was not pushed")
        })?;
        let source = moved_source(&local.source, run).ok_or_else(|| {
            ApiError::invalid(format!(
                "{} version {} keeps its files at '{}', outside its run's artifacts: only versions registered from a run's artifacts can be pushed",
                v.name, v.version, local.source
            ))
        })?;
        let done = |to: &ModelVersion, already_there| TransferredVersion {
            name: v.name.clone(),
            from_version: v.version.clone(),
            to_version: to.version.clone(),
            already_there,
        };
        let filter = format!("name = '{}'", v.name.replace('\'', "\\'"));
        let existing =
            self.rt
                .block_on(self.client.search_model_versions(Some(&filter), 1000, None))?;
        if let Some(found) = existing.items.iter().find(|m| {
            m.tags
                .iter()
                .any(|t| t.key == PUSHED_FROM && t.value == origin)
        }) {
            self.point_remote_aliases(&local, &found.version)?;
            return Ok(done(found, true));
        }
        let model = self.store.get_registered_model(&v.name)?;
        self.rt.block_on(self.client.ensure_registered_model(
            &v.name,
            &model.description,
            &model.tags,
        ))?;
        let mut tags: Vec<_> = local
            .tags
            .iter()
            .filter(|t| t.key != PUSHED_FROM)
            .cloned()
            .collect();
        tags.push(assay_track::KeyValue::new(PUSHED_FROM, &origin));
        let created = self.rt.block_on(self.client.create_model_version(
            &v.name,
            &source,
            &run.to_id,
            &local.description,
            &tags,
        ))?;
        self.point_remote_aliases(&local, &created.version)?;
        Ok(done(&created, false))
    }

    /// Points the remote model's aliases named on the local version at `version`.
    fn point_remote_aliases(&self, local: &ModelVersion, version: &str) -> Result<(), ApiError> {
        for alias in &local.aliases {
            self.rt
                .block_on(self.client.set_model_alias(&local.name, alias, version))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
