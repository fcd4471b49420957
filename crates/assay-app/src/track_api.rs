//! Experiment tracking and the model registry for the open project: the project's
//! [`TrackStore`] (opened on first use, shared by the app's API and the MLflow-compatible routes).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use assay_track::{
    Experiment, FileInfo, LifecycleStage, ModelSearch, ModelVersion, NewModelVersion,
    RegisteredModel, Run, RunColumns, RunGroup, RunSearch, RunsPage, TrackError, TrackStore,
    checked_relative,
};

use crate::data_api::blocking;
use crate::dto::*;
use crate::{ApiError, Assay, ErrorCode};

/// The tracking store of the project open now, opened once per project.
#[derive(Debug, Default)]
pub(crate) struct TrackingCache {
    open: Mutex<Option<OpenStore>>,
}

/// The store opened for a project folder with an artifact root setting.
#[derive(Debug)]
struct OpenStore {
    root: PathBuf,
    artifact_root: Option<String>,
    store: Arc<TrackStore>,
}

/// A zip archive of run artifacts, deleted when dropped.
#[derive(Debug)]
pub struct ArtifactArchive {
    /// The download's file name, e.g. `model.zip`.
    pub name: String,
    /// The archive.
    pub file: tempfile::NamedTempFile,
}

impl Assay {
    /// The open project's tracking store (experiments, runs, registry, artifacts).
    pub fn tracking(&self) -> Result<Arc<TrackStore>, ApiError> {
        let project = self.project()?;
        let mut open = self
            .tracking_cache()
            .open
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let base = project.manifest().settings.artifact_root.clone();
        if let Some(o) = open.as_ref()
            && o.root == project.root()
            && o.artifact_root == base
        {
            return Ok(Arc::clone(&o.store));
        }
        let layout = project.layout();
        let store = Arc::new(TrackStore::open_with_artifact_base(
            &layout.store(),
            &layout.artifacts(),
            base.clone(),
        )?);
        *open = Some(OpenStore {
            root: project.root().to_path_buf(),
            artifact_root: base,
            store: Arc::clone(&store),
        });
        Ok(store)
    }
}

impl From<TrackError> for ApiError {
    fn from(e: TrackError) -> Self {
        let code = match &e {
            TrackError::NotFound { .. } => ErrorCode::NotFound,
            TrackError::AlreadyExists { .. } => ErrorCode::AlreadyExists,
            TrackError::InvalidParameter(_) => ErrorCode::InvalidInput,
            TrackError::Store { .. } | TrackError::Io { .. } => ErrorCode::Io,
        };
        ApiError::new(code, e.to_string())
    }
}

/// Largest artifact text shown in a preview.
const PREVIEW_TEXT_BYTES: usize = 256 * 1024;
/// Largest image inlined in a preview.
const PREVIEW_IMAGE_BYTES: u64 = 8 * 1024 * 1024;

fn run_search(q: RunsQuery) -> RunSearch {
    RunSearch {
        experiment_ids: q.experiment_ids,
        filter: q.filter,
        view: q.view.unwrap_or_default(),
        max_results: None,
        order_by: q.order_by,
        page_token: None,
    }
}

impl Assay {
    /// Experiments of the project, newest first.
    pub async fn list_experiments(
        &self,
        req: ListExperimentsRequest,
    ) -> Result<Vec<Experiment>, ApiError> {
        let store = self.tracking()?;
        blocking(move || {
            let search = assay_track::ExperimentSearch {
                view: req.view.unwrap_or_default(),
                max_results: Some(50_000),
                ..Default::default()
            };
            Ok(store.search_experiments(&search)?.items)
        })
        .await
    }

    /// Creates an experiment.
    pub async fn create_experiment(
        &self,
        req: CreateExperimentRequest,
    ) -> Result<Experiment, ApiError> {
        let store = self.tracking()?;
        blocking(move || {
            let id = store.create_experiment(req.name.trim(), None, &[])?;
            Ok(store.get_experiment(&id)?)
        })
        .await
    }

    /// Renames, deletes or restores an experiment.
    pub async fn update_experiment(
        &self,
        req: UpdateExperimentRequest,
    ) -> Result<Experiment, ApiError> {
        let store = self.tracking()?;
        blocking(move || {
            if let Some(name) = req.name.as_deref() {
                store.rename_experiment(&req.experiment_id, name.trim())?;
            }
            if let Some(deleted) = req.deleted {
                let stage = if deleted {
                    LifecycleStage::Deleted
                } else {
                    LifecycleStage::Active
                };
                store.set_experiment_stage(&req.experiment_id, stage)?;
            }
            Ok(store.get_experiment(&req.experiment_id)?)
        })
        .await
    }

    /// The metric, parameter and tag keys of some experiments.
    pub async fn run_columns(&self, req: ExperimentIds) -> Result<RunColumns, ApiError> {
        let store = self.tracking()?;
        blocking(move || Ok(store.run_columns(&req.experiment_ids)?)).await
    }

    /// One page of runs, filtered and sorted in the store.
    pub async fn runs_page(&self, req: RunsPageRequest) -> Result<RunsPage, ApiError> {
        let store = self.tracking()?;
        blocking(move || {
            let limit = req.limit.clamp(1, 5000) as usize;
            Ok(store.runs_page(&run_search(req.query), req.offset, limit)?)
        })
        .await
    }

    /// Runs grouped by a parameter, with metric means and spreads.
    pub async fn group_runs(&self, req: GroupRunsRequest) -> Result<Vec<RunGroup>, ApiError> {
        let store = self.tracking()?;
        blocking(move || Ok(store.group_runs(&run_search(req.query), &req.param, &req.metrics)?))
            .await
    }

    /// A run in full.
    pub async fn get_run(&self, req: RunRef) -> Result<Run, ApiError> {
        let store = self.tracking()?;
        blocking(move || Ok(store.get_run(&req.run_id)?)).await
    }

    /// Several runs in full (for comparing).
    pub async fn get_runs(&self, req: RunIds) -> Result<Vec<Run>, ApiError> {
        let store = self.tracking()?;
        blocking(move || Ok(store.get_runs(&req.run_ids)?)).await
    }

    /// Moves runs to the trash (restorable through the MLflow API or `view: all`).
    pub async fn delete_runs(&self, req: RunIds) -> Result<u32, ApiError> {
        let store = self.tracking()?;
        blocking(move || {
            for id in &req.run_ids {
                store.set_run_stage(id, LifecycleStage::Deleted)?;
            }
            Ok(req.run_ids.len() as u32)
        })
        .await
    }

    /// Metric curves of some runs, thinned to `max_points` per curve.
    pub async fn metric_histories(
        &self,
        req: MetricHistoriesRequest,
    ) -> Result<Vec<MetricSeries>, ApiError> {
        let store = self.tracking()?;
        blocking(move || {
            let max = req.max_points.unwrap_or(2000).max(16) as usize;
            let mut out = Vec::new();
            for run in &req.run_ids {
                for key in &req.keys {
                    let points = store.metric_history(run, key, None, None)?.items;
                    out.push(series(run, key, &points, max));
                }
            }
            Ok(out)
        })
        .await
    }

    /// A folder of a run's artifacts.
    pub async fn run_artifacts(&self, req: RunArtifactsRequest) -> Result<RunArtifacts, ApiError> {
        let dirs = self.run_artifact_dirs()?;
        blocking(move || {
            let root_uri = dirs.uri(&req.run_id)?;
            let files: Vec<FileInfo> = dirs.at(&root_uri)?.list(&req.path)?;
            Ok(RunArtifacts { root_uri, files })
        })
        .await
    }

    /// A preview of one artifact file: text, image or table.
    pub async fn preview_artifact(
        &self,
        req: RunArtifactsRequest,
    ) -> Result<ArtifactPreview, ApiError> {
        let dirs = self.run_artifact_dirs()?;
        blocking(move || preview(&dirs.of(&req.run_id)?.local_file(&req.path)?)).await
    }

    /// Starts saving a run's artifact file or folder into the local folder `dest` (relative to
    /// the project folder unless absolute), whole or not at all and never over something
    /// already there; the job's result is SavedArtifacts.
    pub async fn start_save_artifacts(
        &self,
        req: SaveArtifactsRequest,
    ) -> Result<JobRef, ApiError> {
        let dirs = self.run_artifact_dirs()?;
        let path = checked_relative(&req.path)?;
        let target = self
            .project()?
            .root()
            .join(&req.dest)
            .join(copy_name(&path, &req.run_id));
        let title = format!("Save {} of run {}", target.display(), req.run_id);
        let info = self
            .jobs()
            .spawn("save_artifacts", &title, None, move |ctx| {
                dirs.of(&req.run_id)?.save(&path, &target, ctx)
            });
        Ok(JobRef { id: info.id })
    }

    /// A zip archive of a run's artifact folder `path` ("" for all of them), for a download:
    /// the files sit under the folder's name (or `<run id>-artifacts`) inside it.
    pub async fn run_artifacts_zip(
        &self,
        run_id: &str,
        path: &str,
    ) -> Result<ArtifactArchive, ApiError> {
        let dirs = self.run_artifact_dirs()?;
        let (run_id, path) = (run_id.to_string(), checked_relative(path)?);
        blocking(move || {
            let top = copy_name(&path, &run_id);
            let file = dirs.of(&run_id)?.zip(&path, &top)?;
            Ok(ArtifactArchive {
                name: format!("{top}.zip"),
                file,
            })
        })
        .await
    }

    /// A local copy of one artifact file of a run: the file itself, or a cached download when
    /// the run keeps its artifacts in an object store.
    pub async fn run_artifact_file(&self, run_id: &str, path: &str) -> Result<PathBuf, ApiError> {
        let dirs = self.run_artifact_dirs()?;
        let (run_id, path) = (run_id.to_string(), path.to_string());
        blocking(move || {
            let file = dirs.of(&run_id)?.local_file(&path)?;
            if !file.is_file() {
                return Err(ApiError::not_found(format!(
                    "run {run_id} has no artifact file '{path}'"
                )));
            }
            Ok(file)
        })
        .await
    }

    /// Registered models matching a filter.
    pub async fn list_models(
        &self,
        req: ListModelsRequest,
    ) -> Result<Vec<RegisteredModel>, ApiError> {
        let store = self.tracking()?;
        blocking(move || {
            let search = ModelSearch {
                filter: req.filter,
                max_results: Some(50_000),
                ..Default::default()
            };
            Ok(store.search_registered_models(&search)?.items)
        })
        .await
    }

    /// A registered model with every version.
    pub async fn get_model(&self, req: ModelRef) -> Result<ModelDetail, ApiError> {
        let store = self.tracking()?;
        blocking(move || model_detail(&store, &req.name)).await
    }

    /// Points an alias at a version, or removes it.
    pub async fn set_model_alias(&self, req: ModelAliasRequest) -> Result<ModelDetail, ApiError> {
        let store = self.tracking()?;
        blocking(move || {
            match &req.version {
                Some(v) => store.set_model_alias(&req.name, req.alias.trim(), v)?,
                None => store.delete_model_alias(&req.name, &req.alias)?,
            }
            model_detail(&store, &req.name)
        })
        .await
    }

    /// Sets or removes a tag of a model or version.
    pub async fn set_model_tag(&self, req: ModelTagRequest) -> Result<ModelDetail, ApiError> {
        let store = self.tracking()?;
        blocking(move || {
            let value = req.value.as_deref();
            match &req.version {
                Some(v) => store.set_model_version_tag(&req.name, v, req.key.trim(), value)?,
                None => store.set_registered_model_tag(&req.name, req.key.trim(), value)?,
            }
            model_detail(&store, &req.name)
        })
        .await
    }

    /// Changes the description of a model or version.
    pub async fn describe_model(&self, req: DescribeModelRequest) -> Result<ModelDetail, ApiError> {
        let store = self.tracking()?;
        blocking(move || {
            match &req.version {
                Some(v) => {
                    store.update_model_version(&req.name, v, &req.description)?;
                }
                None => {
                    store.update_registered_model(&req.name, &req.description)?;
                }
            }
            model_detail(&store, &req.name)
        })
        .await
    }

    /// Registers a run's model folder as a new version (creating the model if new).
    pub async fn register_model(
        &self,
        req: RegisterModelRequest,
    ) -> Result<ModelVersion, ApiError> {
        let store = self.tracking()?;
        let stores = self.artifact_stores(&store)?;
        blocking(move || {
            let run = store.get_run(&req.run_id)?;
            if !stores
                .dir(&run.info.artifact_uri)?
                .is_folder(&req.artifact_path)?
            {
                return Err(ApiError::not_found(format!(
                    "run {} has no artifact folder '{}'",
                    req.run_id, req.artifact_path
                )));
            }
            if store.get_registered_model(&req.name).is_err() {
                store.create_registered_model(req.name.trim(), &[], None)?;
            }
            let source = format!(
                "{}/{}",
                run.info.artifact_uri.trim_end_matches('/'),
                req.artifact_path.trim_matches('/')
            );
            Ok(store.create_model_version(&NewModelVersion {
                name: req.name.trim().to_string(),
                source,
                run_id: Some(req.run_id),
                ..Default::default()
            })?)
        })
        .await
    }

    /// Where a version came from: run, data sets, their profiles and quality checks.
    pub async fn model_lineage(&self, req: ModelVersionRef) -> Result<ModelLineage, ApiError> {
        let store = self.tracking()?;
        let project = self.project()?;
        let suites = self.list_suites(NoParams {}).await.unwrap_or_default();
        blocking(move || crate::lineage::lineage(&store, &project, suites, &req)).await
    }
}

/// The name a saved or archived copy of the artifact `path` of `run_id` gets.
fn copy_name(path: &str, run_id: &str) -> String {
    match path.rsplit('/').next() {
        Some(last) if !last.is_empty() => last.to_string(),
        _ => format!("{run_id}-artifacts"),
    }
}

fn model_detail(store: &assay_track::TrackStore, name: &str) -> Result<ModelDetail, ApiError> {
    let model = store.get_registered_model(name)?;
    let mut versions = store
        .search_model_versions(&ModelSearch {
            filter: format!("name = '{}'", name.replace('\'', "''")),
            max_results: Some(50_000),
            ..Default::default()
        })?
        .items;
    versions.sort_by_key(|v| std::cmp::Reverse(v.version.parse::<i64>().unwrap_or(0)));
    Ok(ModelDetail { model, versions })
}

/// A curve thinned to about `max` points: each bucket keeps its first, min and max points.
fn series(run: &str, key: &str, points: &[assay_track::Metric], max: usize) -> MetricSeries {
    let keep: Vec<usize> = if points.len() <= max {
        (0..points.len()).collect()
    } else {
        let buckets = max / 3;
        let size = points.len().div_ceil(buckets);
        let mut keep = Vec::with_capacity(max);
        for start in (0..points.len()).step_by(size) {
            let end = (start + size).min(points.len());
            let slice = &points[start..end];
            let by =
                |a: &&assay_track::Metric, b: &&assay_track::Metric| a.value.total_cmp(&b.value);
            let lo = slice.iter().filter(|p| !p.value.is_nan()).min_by(by);
            let hi = slice.iter().filter(|p| !p.value.is_nan()).max_by(by);
            let mut idx = vec![start];
            for p in [lo, hi].into_iter().flatten() {
                idx.push(start + slice.iter().position(|q| std::ptr::eq(q, p)).unwrap_or(0));
            }
            idx.sort_unstable();
            idx.dedup();
            keep.extend(idx);
        }
        keep
    };
    MetricSeries {
        run_id: run.to_string(),
        key: key.to_string(),
        total_points: points.len() as u64,
        steps: keep.iter().map(|&i| points[i].step).collect(),
        timestamps: keep.iter().map(|&i| points[i].timestamp).collect(),
        values: keep
            .iter()
            .map(|&i| Some(points[i].value).filter(|v| v.is_finite()))
            .collect(),
    }
}

fn preview(path: &std::path::Path) -> Result<ArtifactPreview, ApiError> {
    use base64::Engine as _;
    let meta = std::fs::metadata(path)
        .map_err(|e| ApiError::from_io(&e, &format!("reading {}", path.display())))?;
    if meta.is_dir() {
        return Err(ApiError::invalid("a folder has no preview"));
    }
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let mime = match ext.as_str() {
        "png" => Some("image/png"),
        "jpg" | "jpeg" => Some("image/jpeg"),
        "gif" => Some("image/gif"),
        "svg" => Some("image/svg+xml"),
        "webp" => Some("image/webp"),
        _ => None,
    };
    if let Some(mime) = mime.filter(|_| meta.len() <= PREVIEW_IMAGE_BYTES) {
        let bytes = std::fs::read(path).map_err(|e| ApiError::from_io(&e, "reading an image"))?;
        let data = base64::engine::general_purpose::STANDARD.encode(bytes);
        return Ok(ArtifactPreview::Image {
            data_url: format!("data:{mime};base64,{data}"),
        });
    }
    let location = path.display().to_string();
    if matches!(
        ext.as_str(),
        "csv" | "tsv" | "parquet" | "ndjson" | "jsonl" | "arrow" | "feather"
    ) && let Some(source) = assay_data::Source::from_path(&location)
    {
        let page = assay_data::scan(&source)
            .and_then(|(lf, _)| {
                let q = assay_data::PageQuery {
                    offset: 0,
                    limit: 200,
                    sort: Vec::new(),
                    filters: Vec::new(),
                    search: None,
                };
                assay_data::page(lf, &q)
            })
            .map_err(|e| ApiError::invalid(format!("{location}: {e}")))?;
        return Ok(ArtifactPreview::Table { page });
    }
    let mut bytes = Vec::new();
    use std::io::Read as _;
    std::fs::File::open(path)
        .and_then(|f| {
            f.take(PREVIEW_TEXT_BYTES as u64 + 1)
                .read_to_end(&mut bytes)
        })
        .map_err(|e| ApiError::from_io(&e, "reading an artifact"))?;
    let truncated = bytes.len() > PREVIEW_TEXT_BYTES;
    bytes.truncate(PREVIEW_TEXT_BYTES);
    let valid = match std::str::from_utf8(&bytes) {
        Ok(_) => bytes.len(),
        Err(e) if truncated && e.error_len().is_none() => e.valid_up_to(),
        Err(_) => return Ok(ArtifactPreview::Binary { size: meta.len() }),
    };
    bytes.truncate(valid);
    if bytes.contains(&0) {
        return Ok(ArtifactPreview::Binary { size: meta.len() });
    }
    Ok(ArtifactPreview::Text {
        text: String::from_utf8(bytes).unwrap_or_default(),
        truncated,
    })
}
