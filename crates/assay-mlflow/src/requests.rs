//! Request bodies of the MLflow endpoints (snake_case, as MLflow's client sends them).
//! Unknown fields are ignored, as MLflow's server does.

use assay_track::{
    DatasetInput, KeyValue, LoggedModelStatus, Metric, ModelInput, ModelOutput, RunStatus, ViewType,
};
use serde::Deserialize;

use crate::de;
use crate::error::MlflowError;

/// `run_id`, or the older `run_uuid`.
#[derive(Debug, Deserialize, Default)]
pub struct RunRef {
    #[serde(default)]
    pub run_id: Option<String>,
    #[serde(default)]
    pub run_uuid: Option<String>,
}

impl RunRef {
    pub fn id(&self) -> Result<&str, MlflowError> {
        self.run_id
            .as_deref()
            .or(self.run_uuid.as_deref())
            .filter(|s| !s.is_empty())
            .ok_or_else(|| MlflowError::invalid("Missing value for required parameter 'run_id'."))
    }
}

#[derive(Debug, Deserialize)]
pub struct CreateExperiment {
    pub name: String,
    #[serde(default)]
    pub artifact_location: Option<String>,
    #[serde(default, deserialize_with = "de::list")]
    pub tags: Vec<KeyValue>,
}

#[derive(Debug, Deserialize)]
pub struct ExperimentRef {
    pub experiment_id: String,
}

#[derive(Debug, Deserialize)]
pub struct ExperimentByName {
    pub experiment_name: String,
}

#[derive(Debug, Deserialize)]
pub struct UpdateExperiment {
    pub experiment_id: String,
    #[serde(default)]
    pub new_name: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ExperimentTag {
    pub experiment_id: String,
    pub key: String,
    #[serde(default)]
    pub value: String,
}

#[derive(Debug, Deserialize, Default)]
pub struct SearchExperiments {
    #[serde(default, deserialize_with = "de::opt_usize")]
    pub max_results: Option<usize>,
    #[serde(default)]
    pub page_token: Option<String>,
    #[serde(default)]
    pub filter: Option<String>,
    #[serde(default, deserialize_with = "de::list")]
    pub order_by: Vec<String>,
    #[serde(default)]
    pub view_type: Option<ViewType>,
}

#[derive(Debug, Deserialize)]
pub struct CreateRun {
    #[serde(default)]
    pub experiment_id: Option<String>,
    #[serde(default)]
    pub user_id: Option<String>,
    #[serde(default)]
    pub run_name: Option<String>,
    #[serde(default, deserialize_with = "de::opt_i64")]
    pub start_time: Option<i64>,
    #[serde(default, deserialize_with = "de::list")]
    pub tags: Vec<KeyValue>,
}

#[derive(Debug, Deserialize)]
pub struct UpdateRun {
    #[serde(flatten)]
    pub run: RunRef,
    #[serde(default)]
    pub status: Option<RunStatus>,
    #[serde(default, deserialize_with = "de::opt_i64")]
    pub end_time: Option<i64>,
    #[serde(default)]
    pub run_name: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct LogMetric {
    #[serde(flatten)]
    pub run: RunRef,
    #[serde(flatten)]
    pub metric: Metric,
}

#[derive(Debug, Deserialize)]
pub struct RunKeyValue {
    #[serde(flatten)]
    pub run: RunRef,
    pub key: String,
    #[serde(default)]
    pub value: String,
}

#[derive(Debug, Deserialize)]
pub struct RunKey {
    #[serde(flatten)]
    pub run: RunRef,
    pub key: String,
}

#[derive(Debug, Deserialize)]
pub struct LogBatch {
    #[serde(flatten)]
    pub run: RunRef,
    #[serde(default)]
    pub metrics: Vec<Metric>,
    #[serde(default)]
    pub params: Vec<KeyValue>,
    #[serde(default)]
    pub tags: Vec<KeyValue>,
}

#[derive(Debug, Deserialize)]
pub struct LogInputs {
    #[serde(flatten)]
    pub run: RunRef,
    #[serde(default)]
    pub datasets: Vec<DatasetInput>,
    #[serde(default)]
    pub models: Vec<ModelInput>,
}

#[derive(Debug, Deserialize)]
pub struct LogOutputs {
    #[serde(flatten)]
    pub run: RunRef,
    #[serde(default)]
    pub models: Vec<ModelOutput>,
}

#[derive(Debug, Deserialize, Default)]
pub struct SearchRuns {
    #[serde(default, deserialize_with = "de::list")]
    pub experiment_ids: Vec<String>,
    #[serde(default)]
    pub filter: Option<String>,
    #[serde(default)]
    pub run_view_type: Option<ViewType>,
    #[serde(default, deserialize_with = "de::opt_usize")]
    pub max_results: Option<usize>,
    #[serde(default, deserialize_with = "de::list")]
    pub order_by: Vec<String>,
    #[serde(default)]
    pub page_token: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct MetricHistory {
    #[serde(flatten)]
    pub run: RunRef,
    pub metric_key: String,
    #[serde(default)]
    pub page_token: Option<String>,
    #[serde(default, deserialize_with = "de::opt_usize")]
    pub max_results: Option<usize>,
}

#[derive(Debug, Deserialize)]
pub struct ListArtifacts {
    #[serde(flatten)]
    pub run: RunRef,
    #[serde(default)]
    pub path: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ModelName {
    pub name: String,
}

#[derive(Debug, Deserialize)]
pub struct CreateRegisteredModel {
    pub name: String,
    #[serde(default, deserialize_with = "de::list")]
    pub tags: Vec<KeyValue>,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct RenameRegisteredModel {
    pub name: String,
    pub new_name: String,
}

#[derive(Debug, Deserialize)]
pub struct Describe {
    pub name: String,
    #[serde(default)]
    pub version: Option<String>,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Deserialize, Default)]
pub struct SearchModels {
    #[serde(default)]
    pub filter: Option<String>,
    #[serde(default, deserialize_with = "de::opt_usize")]
    pub max_results: Option<usize>,
    #[serde(default, deserialize_with = "de::list")]
    pub order_by: Vec<String>,
    #[serde(default)]
    pub page_token: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct LatestVersions {
    pub name: String,
    #[serde(default, deserialize_with = "de::list")]
    pub stages: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct ModelTag {
    pub name: String,
    #[serde(default)]
    pub version: Option<String>,
    pub key: String,
    #[serde(default)]
    pub value: String,
}

#[derive(Debug, Deserialize)]
pub struct CreateModelVersion {
    pub name: String,
    pub source: String,
    #[serde(default)]
    pub run_id: Option<String>,
    #[serde(default, deserialize_with = "de::list")]
    pub tags: Vec<KeyValue>,
    #[serde(default)]
    pub run_link: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub model_id: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct VersionRef {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Deserialize)]
pub struct TransitionStage {
    pub name: String,
    pub version: String,
    pub stage: String,
    #[serde(default, deserialize_with = "de::flag")]
    pub archive_existing_versions: bool,
}

#[derive(Debug, Deserialize)]
pub struct Alias {
    pub name: String,
    pub alias: String,
    #[serde(default)]
    pub version: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct CreateLoggedModel {
    pub experiment_id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub model_type: Option<String>,
    #[serde(default)]
    pub source_run_id: Option<String>,
    #[serde(default)]
    pub params: Vec<KeyValue>,
    #[serde(default)]
    pub tags: Vec<KeyValue>,
}

#[derive(Debug, Deserialize)]
pub struct FinalizeLoggedModel {
    pub status: LoggedModelStatus,
}

#[derive(Debug, Deserialize)]
pub struct LoggedModelOrder {
    pub field_name: String,
    #[serde(default = "yes")]
    pub ascending: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize, Default)]
pub struct SearchLoggedModels {
    #[serde(default, deserialize_with = "de::list")]
    pub experiment_ids: Vec<String>,
    #[serde(default)]
    pub filter: Option<String>,
    #[serde(default, deserialize_with = "de::opt_usize")]
    pub max_results: Option<usize>,
    #[serde(default)]
    pub order_by: Vec<LoggedModelOrder>,
    #[serde(default)]
    pub page_token: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct KeyValues {
    #[serde(default)]
    pub tags: Vec<KeyValue>,
    #[serde(default)]
    pub params: Vec<KeyValue>,
}
