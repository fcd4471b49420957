//! MLflow's REST endpoints: experiments, runs, metric histories, artifacts and the registry.

use std::path::Path;

use assay_track::{
    BatchLimits, DatasetInput, Experiment, FileInfo, KeyValue, Metric, ModelVersion, Page,
    RegisteredModel, Run, RunInfo, RunStatus, artifact_path,
};
use futures::StreamExt;
use reqwest::Method;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::json;
use tokio::io::AsyncWriteExt;

use super::MlflowError;
use super::client::{API, ARTIFACTS_API, MlflowClient, Retry};
use super::wire::{WireExperiment, WireModelVersion, WireRegisteredModel, WireRun, WireRunInfo};

/// Points per page of a metric history.
const HISTORY_PAGE: usize = 10_000;

fn page_query(max_results: usize, page_token: Option<&str>) -> Vec<(&'static str, String)> {
    let mut q = vec![("max_results", max_results.to_string())];
    if let Some(t) = page_token.filter(|t| !t.is_empty()) {
        q.push(("page_token", t.to_string()));
    }
    q
}

/// A registry search answer: its items are named after what they are.
#[derive(Deserialize)]
#[serde(bound = "W: DeserializeOwned")]
struct RegistryPage<W> {
    #[serde(default, alias = "registered_models", alias = "model_versions")]
    items: Vec<W>,
    #[serde(default)]
    next_page_token: Option<String>,
}

fn token(t: Option<String>) -> Option<String> {
    t.filter(|t| !t.is_empty())
}

/// One `runs/log-batch` request's worth of a run's data.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Batch {
    /// Metric points.
    pub metrics: Vec<Metric>,
    /// Parameters.
    pub params: Vec<KeyValue>,
    /// Tags.
    pub tags: Vec<KeyValue>,
}

/// Splits metrics, parameters and tags into batches within MLflow's limits (1000 metrics,
/// 100 parameters and tags together, 1000 entities in all).
pub fn batches(metrics: &[Metric], params: &[KeyValue], tags: &[KeyValue]) -> Vec<Batch> {
    let mut out = Vec::new();
    let mut pairs = params
        .iter()
        .map(|p| (true, p))
        .chain(tags.iter().map(|t| (false, t)))
        .peekable();
    let mut metrics = metrics.chunks(BatchLimits::METRICS - BatchLimits::PARAMS_AND_TAGS);
    loop {
        let mut batch = Batch::default();
        if let Some(chunk) = metrics.next() {
            batch.metrics = chunk.to_vec();
        }
        while batch.params.len() + batch.tags.len() < BatchLimits::PARAMS_AND_TAGS {
            match pairs.next() {
                Some((true, p)) => batch.params.push(p.clone()),
                Some((false, t)) => batch.tags.push(t.clone()),
                None => break,
            }
        }
        if batch == Batch::default() {
            return out;
        }
        out.push(batch);
    }
}

impl MlflowClient {
    /// One page of experiments (live ones, MLflow's filter syntax passed through).
    pub async fn search_experiments(
        &self,
        filter: Option<&str>,
        max_results: usize,
        page_token: Option<&str>,
    ) -> Result<Page<Experiment>, MlflowError> {
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct Answer {
            experiments: Vec<WireExperiment>,
            next_page_token: Option<String>,
        }
        let mut body = json!({ "max_results": max_results, "view_type": "ACTIVE_ONLY" });
        if let Some(f) = filter.filter(|f| !f.trim().is_empty()) {
            body["filter"] = json!(f);
        }
        if let Some(t) = page_token.filter(|t| !t.is_empty()) {
            body["page_token"] = json!(t);
        }
        let a: Answer = self
            .post(
                &format!("{API}/experiments/search"),
                &body,
                Retry::Idempotent,
            )
            .await?;
        Ok(Page {
            items: a.experiments.into_iter().map(Into::into).collect(),
            next_page_token: token(a.next_page_token),
        })
    }

    /// An experiment by id.
    pub async fn get_experiment(&self, id: &str) -> Result<Experiment, MlflowError> {
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct Answer {
            experiment: WireExperiment,
        }
        let a: Answer = self
            .get(
                &format!("{API}/experiments/get"),
                &[("experiment_id", id.to_string())],
            )
            .await?;
        Ok(a.experiment.into())
    }

    /// An experiment by name, `None` when there is none.
    pub async fn experiment_by_name(&self, name: &str) -> Result<Option<Experiment>, MlflowError> {
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct Answer {
            experiment: WireExperiment,
        }
        let found: Result<Answer, _> = self
            .get(
                &format!("{API}/experiments/get-by-name"),
                &[("experiment_name", name.to_string())],
            )
            .await;
        match found {
            Ok(a) => Ok(Some(a.experiment.into())),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Creates an experiment; returns its id.
    pub async fn create_experiment(&self, name: &str) -> Result<String, MlflowError> {
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct Answer {
            experiment_id: String,
        }
        let a: Answer = self
            .post(
                &format!("{API}/experiments/create"),
                &json!({ "name": name }),
                Retry::ConnectOnly,
            )
            .await?;
        Ok(a.experiment_id)
    }

    /// One page of runs of some experiments (filter and order in MLflow's syntax).
    pub async fn search_runs(
        &self,
        experiment_ids: &[String],
        filter: Option<&str>,
        order_by: &[String],
        max_results: usize,
        page_token: Option<&str>,
    ) -> Result<Page<Run>, MlflowError> {
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct Answer {
            runs: Vec<WireRun>,
            next_page_token: Option<String>,
        }
        let mut body = json!({
            "experiment_ids": experiment_ids,
            "max_results": max_results,
            "run_view_type": "ACTIVE_ONLY",
            "order_by": order_by,
        });
        if let Some(f) = filter.filter(|f| !f.trim().is_empty()) {
            body["filter"] = json!(f);
        }
        if let Some(t) = page_token.filter(|t| !t.is_empty()) {
            body["page_token"] = json!(t);
        }
        let a: Answer = self
            .post(&format!("{API}/runs/search"), &body, Retry::Idempotent)
            .await?;
        Ok(Page {
            items: a.runs.into_iter().map(Into::into).collect(),
            next_page_token: token(a.next_page_token),
        })
    }

    /// A run in full (latest metrics only; see [`Self::metric_history`]).
    pub async fn get_run(&self, run_id: &str) -> Result<Run, MlflowError> {
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct Answer {
            run: WireRun,
        }
        let a: Answer = self
            .get(
                &format!("{API}/runs/get"),
                &[("run_id", run_id.to_string())],
            )
            .await?;
        Ok(a.run.into())
    }

    /// Starts a run.
    pub async fn create_run(
        &self,
        experiment_id: &str,
        run_name: &str,
        start_time: i64,
        tags: &[KeyValue],
    ) -> Result<Run, MlflowError> {
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct Answer {
            run: WireRun,
        }
        let body = json!({
            "experiment_id": experiment_id,
            "run_name": run_name,
            "start_time": start_time,
            "tags": tags,
        });
        let a: Answer = self
            .post(&format!("{API}/runs/create"), &body, Retry::ConnectOnly)
            .await?;
        Ok(a.run.into())
    }

    /// Sets a run's status and end time.
    pub async fn update_run(
        &self,
        run_id: &str,
        status: RunStatus,
        end_time: Option<i64>,
    ) -> Result<RunInfo, MlflowError> {
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct Answer {
            run_info: WireRunInfo,
        }
        let mut body = json!({ "run_id": run_id, "run_uuid": run_id, "status": status.as_str() });
        if let Some(t) = end_time {
            body["end_time"] = json!(t);
        }
        let a: Answer = self
            .post(&format!("{API}/runs/update"), &body, Retry::Idempotent)
            .await?;
        Ok(a.run_info.into())
    }

    /// Moves a run to the server's trash.
    pub async fn delete_run(&self, run_id: &str) -> Result<(), MlflowError> {
        let _: serde_json::Value = self
            .post(
                &format!("{API}/runs/delete"),
                &json!({ "run_id": run_id }),
                Retry::Idempotent,
            )
            .await?;
        Ok(())
    }

    /// Logs metrics, parameters and tags in as many batches as MLflow's limits need.
    pub async fn log_all(
        &self,
        run_id: &str,
        metrics: &[Metric],
        params: &[KeyValue],
        tags: &[KeyValue],
        mut progress: impl FnMut(usize, usize) -> bool,
    ) -> Result<(), MlflowError> {
        let all = batches(metrics, params, tags);
        for (i, b) in all.iter().enumerate() {
            let metrics: Vec<serde_json::Value> = b
                .metrics
                .iter()
                .map(|m| {
                    json!({ "key": m.key, "value": finite_or_text(m.value), "timestamp": m.timestamp, "step": m.step })
                })
                .collect();
            let body =
                json!({ "run_id": run_id, "metrics": metrics, "params": b.params, "tags": b.tags });
            // Metric points are not deduplicated by every server: only retry unsent requests.
            let _: serde_json::Value = self
                .post(&format!("{API}/runs/log-batch"), &body, Retry::ConnectOnly)
                .await?;
            if !progress(i + 1, all.len()) {
                break;
            }
        }
        Ok(())
    }

    /// Records the data sets a run read.
    pub async fn log_inputs(
        &self,
        run_id: &str,
        datasets: &[DatasetInput],
    ) -> Result<(), MlflowError> {
        if datasets.is_empty() {
            return Ok(());
        }
        let body = json!({ "run_id": run_id, "datasets": datasets });
        let _: serde_json::Value = self
            .post(&format!("{API}/runs/log-inputs"), &body, Retry::Idempotent)
            .await?;
        Ok(())
    }

    /// Every point of a metric, fetched page by page.
    pub async fn metric_history(
        &self,
        run_id: &str,
        key: &str,
    ) -> Result<Vec<Metric>, MlflowError> {
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct Answer {
            metrics: Vec<Metric>,
            next_page_token: Option<String>,
        }
        let mut out = Vec::new();
        let mut page: Option<String> = None;
        loop {
            let mut q = page_query(HISTORY_PAGE, page.as_deref());
            q.push(("run_id", run_id.to_string()));
            q.push(("metric_key", key.to_string()));
            let a: Answer = self.get(&format!("{API}/metrics/get-history"), &q).await?;
            out.extend(a.metrics.into_iter().map(|mut m| {
                m.run_id = None;
                m
            }));
            match token(a.next_page_token) {
                Some(t) if Some(&t) != page.as_ref() => page = Some(t),
                _ => return Ok(out),
            }
        }
    }

    /// The entries directly under `path` of a run's artifacts (paths relative to the run's root).
    pub async fn list_run_artifacts(
        &self,
        run_id: &str,
        path: &str,
    ) -> Result<Vec<FileInfo>, MlflowError> {
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct Answer {
            files: Vec<FileInfo>,
        }
        let mut q = vec![("run_id", run_id.to_string())];
        if !path.is_empty() {
            q.push(("path", path.to_string()));
        }
        let a: Answer = self.get(&format!("{API}/artifacts/list"), &q).await?;
        Ok(a.files)
    }

    /// The entries directly under a path of the server's proxied artifact store
    /// (`mlflow-artifacts:/<path>`), paths relative to that path.
    pub async fn list_proxied(&self, path: &str) -> Result<Vec<FileInfo>, MlflowError> {
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct Answer {
            files: Vec<FileInfo>,
        }
        let a: Answer = self
            .get(ARTIFACTS_API, &[("path", path.to_string())])
            .await?;
        Ok(a.files)
    }

    /// Every file under `path` of a run's artifacts, recursively (paths relative to the run's root).
    pub async fn run_artifact_files(
        &self,
        run_id: &str,
        path: &str,
    ) -> Result<Vec<FileInfo>, MlflowError> {
        let mut files = Vec::new();
        let mut folders = vec![path.to_string()];
        while let Some(dir) = folders.pop() {
            for entry in self.list_run_artifacts(run_id, &dir).await? {
                if entry.is_dir {
                    folders.push(entry.path);
                } else {
                    files.push(entry);
                }
            }
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }

    /// Every file under a proxied artifact path, recursively (paths relative to it).
    pub async fn proxied_files(&self, root: &str) -> Result<Vec<FileInfo>, MlflowError> {
        let mut files = Vec::new();
        let mut folders = vec![String::new()];
        while let Some(dir) = folders.pop() {
            let full = join(root, &dir);
            for mut entry in self.list_proxied(&full).await? {
                entry.path = join(&dir, &entry.path);
                if entry.is_dir {
                    folders.push(entry.path);
                } else {
                    files.push(entry);
                }
            }
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }

    /// Downloads one artifact of a run into `dest` (the server's proxied store when the run's
    /// artifacts are `mlflow-artifacts:`, else the server's `get-artifact` route).
    pub async fn download_run_artifact(
        &self,
        run: &RunInfo,
        path: &str,
        dest: &Path,
    ) -> Result<u64, MlflowError> {
        let url = match artifact_path(&run.artifact_uri) {
            Some(root) => self.endpoint(&format!("{ARTIFACTS_API}/{}", join(&root, path))),
            None => {
                let mut url = self.endpoint("get-artifact");
                url.query_pairs_mut()
                    .append_pair("path", path)
                    .append_pair("run_uuid", &run.run_id)
                    .append_pair("run_id", &run.run_id);
                url
            }
        };
        self.download(url, dest).await
    }

    /// Downloads one file of the proxied artifact store into `dest`.
    pub async fn download_proxied(&self, path: &str, dest: &Path) -> Result<u64, MlflowError> {
        self.download(self.endpoint(&format!("{ARTIFACTS_API}/{path}")), dest)
            .await
    }

    async fn download(&self, url: reqwest::Url, dest: &Path) -> Result<u64, MlflowError> {
        if let Some(dir) = dest.parent() {
            tokio::fs::create_dir_all(dir)
                .await
                .map_err(|e| MlflowError::io(dir, e))?;
        }
        let response = self
            .send(Retry::Idempotent, || {
                Ok(self.request(Method::GET, url.clone()))
            })
            .await?;
        let mut file = tokio::fs::File::create(dest)
            .await
            .map_err(|e| MlflowError::io(dest, e))?;
        let mut stream = response.bytes_stream();
        let mut written = 0u64;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| MlflowError::Unreachable {
                url: self.url().to_string(),
                message: format!("the download broke off: {e}"),
            })?;
            file.write_all(&chunk)
                .await
                .map_err(|e| MlflowError::io(dest, e))?;
            written += chunk.len() as u64;
        }
        file.sync_all()
            .await
            .map_err(|e| MlflowError::io(dest, e))?;
        Ok(written)
    }

    /// Uploads `file` as `path` under a run's artifacts (the server must proxy artifacts:
    /// its runs' artifact URIs start with `mlflow-artifacts:`).
    pub async fn upload_run_artifact(
        &self,
        run: &RunInfo,
        path: &str,
        file: &Path,
    ) -> Result<u64, MlflowError> {
        let root = artifact_path(&run.artifact_uri).ok_or_else(|| MlflowError::Config {
            url: self.url().to_string(),
            message: format!(
                "the server stores run artifacts at '{}', which it does not proxy: Assay uploads through `mlflow server`'s proxied artifact store (mlflow-artifacts:)",
                run.artifact_uri
            ),
        })?;
        let url = self.endpoint(&format!("{ARTIFACTS_API}/{}", join(&root, path)));
        let len = tokio::fs::metadata(file)
            .await
            .map_err(|e| MlflowError::io(file, e))?
            .len();
        self.send(Retry::Idempotent, || {
            let f = std::fs::File::open(file).map_err(|e| MlflowError::io(file, e))?;
            let stream = tokio_util::io::ReaderStream::new(tokio::fs::File::from_std(f));
            Ok(self
                .request(Method::PUT, url.clone())
                .header(reqwest::header::CONTENT_LENGTH, len)
                .body(reqwest::Body::wrap_stream(stream)))
        })
        .await?;
        Ok(len)
    }

    /// One page of a registry search (`registered-models/search`, `model-versions/search`).
    async fn filtered_page<W: DeserializeOwned, T: From<W>>(
        &self,
        endpoint: &str,
        filter: Option<&str>,
        max_results: usize,
        page_token: Option<&str>,
    ) -> Result<Page<T>, MlflowError> {
        let mut q = page_query(max_results, page_token);
        if let Some(f) = filter.filter(|f| !f.trim().is_empty()) {
            q.push(("filter", f.to_string()));
        }
        let a: RegistryPage<W> = self.get(&format!("{API}/{endpoint}"), &q).await?;
        Ok(Page {
            items: a.items.into_iter().map(Into::into).collect(),
            next_page_token: token(a.next_page_token),
        })
    }

    /// One page of registered models.
    pub async fn search_registered_models(
        &self,
        filter: Option<&str>,
        max_results: usize,
        page_token: Option<&str>,
    ) -> Result<Page<RegisteredModel>, MlflowError> {
        self.filtered_page::<WireRegisteredModel, _>(
            "registered-models/search",
            filter,
            max_results,
            page_token,
        )
        .await
    }

    /// A registered model, `None` when there is none.
    pub async fn get_registered_model(
        &self,
        name: &str,
    ) -> Result<Option<RegisteredModel>, MlflowError> {
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct Answer {
            registered_model: WireRegisteredModel,
        }
        let found: Result<Answer, _> = self
            .get(
                &format!("{API}/registered-models/get"),
                &[("name", name.to_string())],
            )
            .await;
        match found {
            Ok(a) => Ok(Some(a.registered_model.into())),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Creates a registered model (an existing one is left as it is).
    pub async fn ensure_registered_model(
        &self,
        name: &str,
        description: &str,
        tags: &[KeyValue],
    ) -> Result<(), MlflowError> {
        let body = json!({ "name": name, "description": description, "tags": tags });
        let created: Result<serde_json::Value, _> = self
            .post(
                &format!("{API}/registered-models/create"),
                &body,
                Retry::ConnectOnly,
            )
            .await;
        match created {
            Ok(_) => Ok(()),
            Err(e) if e.is_already_exists() => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// One page of model versions.
    pub async fn search_model_versions(
        &self,
        filter: Option<&str>,
        max_results: usize,
        page_token: Option<&str>,
    ) -> Result<Page<ModelVersion>, MlflowError> {
        self.filtered_page::<WireModelVersion, _>(
            "model-versions/search",
            filter,
            max_results,
            page_token,
        )
        .await
    }

    /// One model version.
    pub async fn get_model_version(
        &self,
        name: &str,
        version: &str,
    ) -> Result<ModelVersion, MlflowError> {
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct Answer {
            model_version: WireModelVersion,
        }
        let a: Answer = self
            .get(
                &format!("{API}/model-versions/get"),
                &[("name", name.to_string()), ("version", version.to_string())],
            )
            .await?;
        Ok(a.model_version.into())
    }

    /// Where a model version's files are.
    pub async fn model_version_download_uri(
        &self,
        name: &str,
        version: &str,
    ) -> Result<String, MlflowError> {
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct Answer {
            artifact_uri: String,
        }
        let a: Answer = self
            .get(
                &format!("{API}/model-versions/get-download-uri"),
                &[("name", name.to_string()), ("version", version.to_string())],
            )
            .await?;
        Ok(a.artifact_uri)
    }

    /// Registers a new version of a registered model.
    pub async fn create_model_version(
        &self,
        name: &str,
        source: &str,
        run_id: &str,
        description: &str,
        tags: &[KeyValue],
    ) -> Result<ModelVersion, MlflowError> {
        #[derive(Deserialize, Default)]
        #[serde(default)]
        struct Answer {
            model_version: WireModelVersion,
        }
        let body = json!({
            "name": name, "source": source, "run_id": run_id,
            "description": description, "tags": tags,
        });
        let a: Answer = self
            .post(
                &format!("{API}/model-versions/create"),
                &body,
                Retry::ConnectOnly,
            )
            .await?;
        Ok(a.model_version.into())
    }

    /// Points an alias of a registered model at a version.
    pub async fn set_model_alias(
        &self,
        name: &str,
        alias: &str,
        version: &str,
    ) -> Result<(), MlflowError> {
        let body = json!({ "name": name, "alias": alias, "version": version });
        let _: serde_json::Value = self
            .post(
                &format!("{API}/registered-models/alias"),
                &body,
                Retry::Idempotent,
            )
            .await?;
        Ok(())
    }
}

/// `a/b` from `a` and `b`, either possibly empty.
pub(crate) fn join(a: &str, b: &str) -> String {
    match (a.trim_matches('/'), b.trim_matches('/')) {
        ("", b) => b.to_string(),
        (a, "") => a.to_string(),
        (a, b) => format!("{a}/{b}"),
    }
}

/// MLflow's JSON for a metric value: numbers as numbers, NaN and infinities as text.
fn finite_or_text(v: f64) -> serde_json::Value {
    if v.is_finite() {
        json!(v)
    } else if v.is_nan() {
        json!("NaN")
    } else if v > 0.0 {
        json!("Infinity")
    } else {
        json!("-Infinity")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kv(n: usize, prefix: &str) -> Vec<KeyValue> {
        (0..n)
            .map(|i| KeyValue::new(format!("{prefix}{i}"), "v"))
            .collect()
    }

    #[test]
    fn batches_respect_mlflow_limits_and_keep_everything() {
        let metrics: Vec<Metric> = (0..2500)
            .map(|i| Metric::new("loss", i as f64, i, i))
            .collect();
        let (params, tags) = (kv(150, "p"), kv(70, "t"));
        let all = batches(&metrics, &params, &tags);
        for b in &all {
            assert!(b.metrics.len() <= BatchLimits::METRICS);
            assert!(b.params.len() + b.tags.len() <= BatchLimits::PARAMS_AND_TAGS);
            assert!(b.metrics.len() + b.params.len() + b.tags.len() <= BatchLimits::TOTAL);
        }
        let sum = |f: fn(&Batch) -> usize| all.iter().map(f).sum::<usize>();
        assert_eq!(sum(|b| b.metrics.len()), 2500);
        assert_eq!(sum(|b| b.params.len()), 150);
        assert_eq!(sum(|b| b.tags.len()), 70);
        assert_eq!(all[0].metrics[0].step, 0);
        assert!(batches(&[], &[], &[]).is_empty());
    }

    #[test]
    fn paths_join_and_values_encode() {
        assert_eq!(
            join("1/r/artifacts", "notes/a.txt"),
            "1/r/artifacts/notes/a.txt"
        );
        assert_eq!(join("", "a"), "a");
        assert_eq!(join("a/", ""), "a");
        assert_eq!(finite_or_text(f64::NAN), json!("NaN"));
        assert_eq!(finite_or_text(f64::NEG_INFINITY), json!("-Infinity"));
        assert_eq!(finite_or_text(1.5), json!(1.5));
    }
}
