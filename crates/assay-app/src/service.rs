//! [`Assay`]: the application service behind every face (desktop, HTTP, CLI). Each public async
//! method is one API call (see `api.rs` for the table).

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use assay_project::{DatasetSpec, DatasetStatus, Project, StoredFingerprint, StoredJob};
use chrono::Utc;
use tokio::sync::broadcast;

use crate::dto::*;
use crate::jobs::{JobContext, JobObserver};
use crate::{ApiError, AppDirs, ErrorCode, EventBus, JobRegistry, LogBuffer, demo, recent};

/// The application: Assay's folders, the open project, jobs, events and logs.
#[derive(Debug)]
pub struct Assay {
    dirs: AppDirs,
    log_file: Option<PathBuf>,
    events: EventBus,
    logs: LogBuffer,
    jobs: JobRegistry,
    project: RwLock<Option<Arc<Project>>>,
    explainers: Arc<crate::anomaly_api::Explainers>,
    tracking: crate::track_api::TrackingCache,
}

impl Assay {
    /// An application with no project open.
    pub fn new(
        dirs: AppDirs,
        events: EventBus,
        logs: LogBuffer,
        log_file: Option<PathBuf>,
    ) -> Self {
        crate::connections_api::install_secrets(&dirs.config);
        Self {
            dirs,
            log_file,
            jobs: JobRegistry::new(events.clone()),
            events,
            logs,
            project: RwLock::new(None),
            explainers: Default::default(),
            tracking: Default::default(),
        }
    }

    /// An application for tests and tools: folders under `root`, no console or file logging.
    pub fn in_folder(root: &Path) -> Self {
        let events = EventBus::new();
        let logs = LogBuffer::new(events.clone());
        Self::new(AppDirs::under(root), events, logs, None)
    }

    /// Every event from now on (jobs, logs, project changes).
    pub fn subscribe(&self) -> broadcast::Receiver<AppEvent> {
        self.events.subscribe()
    }

    /// Explainers of this session's detections.
    pub(crate) fn explainers(&self) -> &Arc<crate::anomaly_api::Explainers> {
        &self.explainers
    }

    pub(crate) fn tracking_cache(&self) -> &crate::track_api::TrackingCache {
        &self.tracking
    }

    /// The job registry (for waiting on jobs from the CLI).
    pub fn jobs(&self) -> &JobRegistry {
        &self.jobs
    }

    /// Assay's folders.
    pub fn dirs(&self) -> &AppDirs {
        &self.dirs
    }

    /// The open project, or `no_project_open`.
    pub fn project(&self) -> Result<Arc<Project>, ApiError> {
        self.project
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .ok_or_else(ApiError::no_project)
    }

    fn set_project(&self, project: Option<Arc<Project>>) -> Option<ProjectInfo> {
        let info = project.as_deref().map(project_info);
        *self.project.write().unwrap_or_else(|p| p.into_inner()) = project;
        self.events.publish(AppEvent::Project {
            project: info.clone(),
        });
        info
    }

    fn adopt(&self, project: Project) -> Result<ProjectInfo, ApiError> {
        let name = project.manifest().project.name;
        if let Err(e) = recent::remember(&self.dirs.recent_file(), project.root(), &name) {
            tracing::warn!(error = %e, "could not update the recent-projects list");
        }
        self.set_project(Some(Arc::new(project)))
            .ok_or_else(|| ApiError::new(ErrorCode::Internal, "project vanished"))
    }

    /// Version and folders of the running Assay.
    pub async fn app_info(&self, _: NoParams) -> Result<AppInfo, ApiError> {
        Ok(AppInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            config_dir: self.dirs.config.display().to_string(),
            data_dir: self.dirs.data.display().to_string(),
            log_file: self.log_file.as_ref().map(|p| p.display().to_string()),
        })
    }

    /// Projects opened before, most recent first.
    pub async fn recent_projects(&self, _: NoParams) -> Result<Vec<RecentProject>, ApiError> {
        Ok(recent::load(&self.dirs.recent_file()))
    }

    /// The open project, if any.
    pub async fn current_project(&self, _: NoParams) -> Result<Option<ProjectInfo>, ApiError> {
        Ok(self.project().ok().as_deref().map(project_info))
    }

    /// Makes a folder a project and opens it.
    pub async fn create_project(&self, req: CreateProjectRequest) -> Result<ProjectInfo, ApiError> {
        let path = non_empty_path(&req.path)?;
        let name = req
            .name
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| {
                path.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "Untitled".into())
            });
        let project = Project::create(&path, &name)?;
        self.adopt(project)
    }

    /// Opens a project folder.
    pub async fn open_project(&self, req: OpenProjectRequest) -> Result<ProjectInfo, ApiError> {
        let path = non_empty_path(&req.path)?;
        let project = Project::open(&path)?;
        self.adopt(project)
    }

    /// Opens the demo project, installing it into the data folder first if needed.
    pub async fn open_demo_project(&self, _: NoParams) -> Result<ProjectInfo, ApiError> {
        let dir = self.dirs.demo_dir();
        demo::install(&dir)?;
        self.adopt(Project::open(&dir)?)
    }

    /// Opens the project a starting desktop app should show: `explicit` if given, the demo if
    /// asked for, else the most recent project that still opens, else (first launch) the demo.
    pub async fn open_at_startup(
        &self,
        explicit: Option<PathBuf>,
        demo: bool,
    ) -> Result<Option<ProjectInfo>, ApiError> {
        if let Some(path) = explicit {
            let req = OpenProjectRequest {
                path: path.display().to_string(),
            };
            return self.open_project(req).await.map(Some);
        }
        if demo {
            return self.open_demo_project(NoParams {}).await.map(Some);
        }
        let recent = recent::load(&self.dirs.recent_file());
        if recent.is_empty() {
            return self.open_demo_project(NoParams {}).await.map(Some);
        }
        for r in recent {
            match Project::open(Path::new(&r.path)) {
                Ok(p) => return self.adopt(p).map(Some),
                Err(e) => {
                    tracing::warn!(project = %r.path, error = %e, "recent project did not open")
                }
            }
        }
        Ok(None)
    }

    /// Closes the open project; returns the project now open (none).
    pub async fn close_project(&self, _: NoParams) -> Result<Option<ProjectInfo>, ApiError> {
        Ok(self.set_project(None))
    }

    /// Adds a data set to the manifest.
    pub async fn add_dataset(&self, req: AddDatasetRequest) -> Result<ProjectInfo, ApiError> {
        let project = self.project()?;
        let path = req.path.trim().to_string();
        if path.is_empty() {
            return Err(ApiError::invalid("the data set path is empty"));
        }
        let name = match req.name.filter(|n| !n.trim().is_empty()) {
            Some(n) => n,
            None => default_dataset_name(&path)?,
        };
        let spec = DatasetSpec {
            name,
            path,
            format: req.format,
            description: None,
            csv: None,
            connection: req.connection.filter(|c| !c.trim().is_empty()),
        };
        if spec.effective_format().is_none() {
            return Err(ApiError::invalid(format!(
                "cannot tell the format of '{}': use a .csv, .tsv, .parquet, .json, .ndjson or .arrow file, or give a format",
                spec.path
            ))
            .with_details(serde_json::json!({ "field": "format" })));
        }
        if !spec.is_remote() && !project.resolve(&spec).is_file() {
            return Err(ApiError::new(
                ErrorCode::NotFound,
                format!("file not found: {}", project.resolve(&spec).display()),
            ));
        }
        project.add_dataset(spec)?;
        Ok(self.refreshed(&project))
    }

    /// Removes a data set from the manifest (its file stays).
    pub async fn remove_dataset(&self, req: DatasetRef) -> Result<ProjectInfo, ApiError> {
        let project = self.project()?;
        project.remove_dataset(&req.name)?;
        Ok(self.refreshed(&project))
    }

    pub(crate) fn refreshed(&self, project: &Arc<Project>) -> ProjectInfo {
        let info = project_info(project);
        self.events.publish(AppEvent::Project {
            project: Some(info.clone()),
        });
        info
    }

    /// Starts hashing data files (the cache key of profiles and results).
    pub async fn start_fingerprint(&self, req: FingerprintRequest) -> Result<JobRef, ApiError> {
        let project = self.project()?;
        let specs = select_local(&project, req.datasets.as_deref())?;
        let events = self.events.clone();
        let observer = store_observer(project.clone());
        let info = self.jobs.spawn(
            "fingerprint",
            &format!("Fingerprint {} data set(s)", specs.len()),
            Some(observer),
            move |ctx| {
                let out = fingerprint_all(&project, &specs, ctx)?;
                events.publish(AppEvent::Project {
                    project: Some(project_info(&project)),
                });
                Ok(out)
            },
        );
        Ok(JobRef { id: info.id })
    }

    /// Jobs of this session, newest first.
    pub async fn list_jobs(&self, _: NoParams) -> Result<Vec<JobInfo>, ApiError> {
        Ok(self.jobs.list())
    }

    /// One job.
    pub async fn get_job(&self, req: JobRef) -> Result<JobInfo, ApiError> {
        self.jobs.get(&req.id)
    }

    /// Asks a running job to stop.
    pub async fn cancel_job(&self, req: JobRef) -> Result<JobInfo, ApiError> {
        self.jobs.cancel(&req.id)
    }

    /// Recent log records.
    pub async fn get_logs(&self, req: LogsRequest) -> Result<Vec<LogRecord>, ApiError> {
        Ok(self.logs.query(&req))
    }
}

fn non_empty_path(path: &str) -> Result<PathBuf, ApiError> {
    let trimmed = path.trim();
    if trimmed.is_empty() {
        return Err(ApiError::invalid("the folder path is empty")
            .with_details(serde_json::json!({ "field": "path" })));
    }
    Ok(PathBuf::from(trimmed))
}

fn default_dataset_name(path: &str) -> Result<String, ApiError> {
    let file = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let stem = file.split('.').next().unwrap_or(file).trim();
    if stem.is_empty() {
        return Err(ApiError::invalid(format!(
            "cannot derive a data set name from '{path}': give one"
        )));
    }
    Ok(stem.to_string())
}

/// The UI's view of a project.
pub fn project_info(project: &Project) -> ProjectInfo {
    let manifest = project.manifest();
    let store = project.store();
    ProjectInfo {
        name: manifest.project.name,
        description: manifest.project.description,
        path: project.root().display().to_string(),
        store_schema: store.schema_version().unwrap_or_default(),
        datasets: manifest
            .datasets
            .iter()
            .map(|d| dataset_info(project, d))
            .collect(),
        connections: manifest
            .connections
            .iter()
            .map(|c| ConnectionInfo {
                name: c.name.clone(),
                kind: serde_json::to_value(c.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                url: c.url.clone(),
            })
            .collect(),
    }
}

fn dataset_info(project: &Project, spec: &DatasetSpec) -> DatasetInfo {
    let location = match project.dataset_status(spec) {
        DatasetStatus::Present { bytes } => DatasetLocation::Local { bytes },
        DatasetStatus::Missing => DatasetLocation::Missing,
        DatasetStatus::Remote => DatasetLocation::Remote,
    };
    DatasetInfo {
        name: spec.name.clone(),
        path: spec.path.clone(),
        format: spec.effective_format(),
        description: spec.description.clone(),
        fingerprint: current_fingerprint(project, spec),
        location,
    }
}

/// The stored hash of a data set by name, if its file has not changed since.
pub(crate) fn dataset_fingerprint(project: &Project, name: &str) -> Option<String> {
    let spec = project
        .manifest()
        .datasets
        .into_iter()
        .find(|d| d.name == name)?;
    current_fingerprint(project, &spec)
}

/// The stored hash, if the file has not changed since it was computed. Remote objects keep the hash of the version last read: checking would need the network.
fn current_fingerprint(project: &Project, spec: &DatasetSpec) -> Option<String> {
    let fp = project.store().fingerprint(&spec.name).ok()??;
    if spec.is_remote() {
        return Some(fp.hash);
    }
    let meta = std::fs::metadata(project.resolve(spec)).ok()?;
    let modified: chrono::DateTime<Utc> = meta.modified().ok()?.into();
    (meta.len() == fp.bytes && modified <= fp.computed_at).then_some(fp.hash)
}

fn select_local(project: &Project, names: Option<&[String]>) -> Result<Vec<DatasetSpec>, ApiError> {
    let all = project.manifest().datasets;
    let chosen: Vec<DatasetSpec> = match names {
        None => all.into_iter().filter(|d| !d.is_remote()).collect(),
        Some(names) => names
            .iter()
            .map(|n| {
                all.iter().find(|d| &d.name == n).cloned().ok_or_else(|| {
                    ApiError::from(assay_project::ProjectError::UnknownDataset { name: n.clone() })
                })
            })
            .collect::<Result<_, _>>()?,
    };
    if let Some(remote) = chosen.iter().find(|d| d.is_remote()) {
        return Err(ApiError::invalid(format!(
            "data set '{}' is remote: only local files can be fingerprinted",
            remote.name
        )));
    }
    Ok(chosen)
}

fn fingerprint_all(
    project: &Project,
    specs: &[DatasetSpec],
    ctx: &JobContext,
) -> Result<Vec<DatasetFingerprint>, ApiError> {
    let sizes: Vec<u64> = specs
        .iter()
        .map(|s| std::fs::metadata(project.resolve(s)).map_or(0, |m| m.len()))
        .collect();
    let total = sizes.iter().sum::<u64>() as f64;
    let mut before = 0u64;
    let mut out = Vec::with_capacity(specs.len());
    for (spec, size) in specs.iter().zip(&sizes) {
        let started = Utc::now();
        let fp = assay_project::fingerprint_file(&project.resolve(spec), |done| {
            ctx.progress(Progress {
                done: (before + done) as f64,
                total: Some(total),
                unit: "bytes".into(),
                message: format!("hashing {}", spec.name),
            });
            !ctx.is_cancelled()
        })?
        .ok_or_else(ApiError::cancelled)?;
        project.store().put_fingerprint(&StoredFingerprint {
            dataset: spec.name.clone(),
            hash: fp.hash.clone(),
            bytes: fp.bytes,
            computed_at: started,
        })?;
        before += size;
        out.push(DatasetFingerprint {
            name: spec.name.clone(),
            hash: fp.hash,
            bytes: fp.bytes,
        });
    }
    Ok(out)
}

/// Records every job's start and end in the project store.
pub(crate) fn store_observer(project: Arc<Project>) -> JobObserver {
    Arc::new(move |job: &JobInfo| {
        let message = match &job.state {
            JobState::Failed { error } => Some(error.message.clone()),
            _ => None,
        };
        let stored = StoredJob {
            id: job.id.clone(),
            kind: job.kind.clone(),
            title: job.title.clone(),
            state: job.state.name().to_string(),
            message,
            started_at: job.started_at,
            finished_at: job.finished_at,
        };
        if let Err(e) = project.store().put_job(&stored) {
            tracing::warn!(error = %e, "could not record the job");
        }
    })
}
