//! The tracking domain: experiments, runs and their data, registered models, versions, aliases
//! and logged models. Field names and enum spellings follow MLflow's, so these types are both
//! the app's API and the MLflow-compatible wire format. Times are milliseconds since the epoch.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::float;

/// A tag or parameter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct KeyValue {
    /// The key.
    pub key: String,
    /// The value.
    #[serde(default)]
    pub value: String,
}

impl KeyValue {
    /// A pair.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            value: value.into(),
        }
    }
}

/// Whether an experiment or run is live or in the trash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
pub enum LifecycleStage {
    /// Live.
    #[default]
    Active,
    /// Deleted (restorable).
    Deleted,
}

impl LifecycleStage {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Deleted => "deleted",
        }
    }
    pub(crate) fn parse(s: &str) -> Self {
        if s == "deleted" {
            Self::Deleted
        } else {
            Self::Active
        }
    }
}

/// Which lifecycle stages a search returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ViewType {
    /// Live only.
    #[default]
    ActiveOnly,
    /// Deleted only.
    DeletedOnly,
    /// Both.
    All,
}

impl ViewType {
    /// The SQL condition on a `lifecycle_stage` column.
    pub(crate) fn sql(self, column: &str) -> String {
        match self {
            Self::ActiveOnly => format!("{column} = 'active'"),
            Self::DeletedOnly => format!("{column} = 'deleted'"),
            Self::All => "1 = 1".into(),
        }
    }
}

/// An experiment: a named group of runs with an artifact location.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Experiment {
    /// Id (a decimal number; `0` is the default experiment).
    pub experiment_id: String,
    /// Unique name.
    pub name: String,
    /// Where its runs' artifacts go, e.g. `mlflow-artifacts:/3`.
    pub artifact_location: String,
    /// Live or deleted.
    pub lifecycle_stage: LifecycleStage,
    /// Created.
    pub creation_time: i64,
    /// Last renamed, tagged or deleted.
    pub last_update_time: i64,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<KeyValue>,
}

/// A run's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RunStatus {
    /// Still logging.
    #[default]
    Running,
    /// Waiting to start.
    Scheduled,
    /// Ended well.
    Finished,
    /// Ended with an error.
    Failed,
    /// Stopped from outside.
    Killed,
}

impl RunStatus {
    /// MLflow's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "RUNNING",
            Self::Scheduled => "SCHEDULED",
            Self::Finished => "FINISHED",
            Self::Failed => "FAILED",
            Self::Killed => "KILLED",
        }
    }
    /// Parses MLflow's spelling.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "RUNNING" => Self::Running,
            "SCHEDULED" => Self::Scheduled,
            "FINISHED" => Self::Finished,
            "FAILED" => Self::Failed,
            "KILLED" => Self::Killed,
            _ => return None,
        })
    }
}

/// A run's metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(rename = "TrackRunInfo")]
pub struct RunInfo {
    /// 32 hex digits.
    pub run_id: String,
    /// Display name.
    pub run_name: String,
    /// Its experiment.
    pub experiment_id: String,
    /// Who ran it.
    pub user_id: String,
    /// State.
    pub status: RunStatus,
    /// Started.
    pub start_time: i64,
    /// Ended, once it has.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<i64>,
    /// Where its artifacts go, e.g. `mlflow-artifacts:/1/<run_id>/artifacts`.
    pub artifact_uri: String,
    /// Live or deleted.
    pub lifecycle_stage: LifecycleStage,
}

/// One metric point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Metric {
    /// Name.
    pub key: String,
    /// Value; NaN and infinities travel as `"NaN"`, `"Infinity"`, `"-Infinity"`.
    #[serde(with = "float")]
    #[ts(type = "number | string")]
    pub value: f64,
    /// When it was measured.
    #[serde(default)]
    pub timestamp: i64,
    /// Training step.
    #[serde(default)]
    pub step: i64,
    /// The logged model it describes (MLflow 3).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_id: Option<String>,
    /// The data set it was computed on (MLflow 3).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset_name: Option<String>,
    /// That data set's digest.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataset_digest: Option<String>,
    /// The run it belongs to (set in model metrics and histories).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_id: Option<String>,
}

impl Metric {
    /// A point with no model or data set link.
    pub fn new(key: impl Into<String>, value: f64, timestamp: i64, step: i64) -> Self {
        Self {
            key: key.into(),
            value,
            timestamp,
            step,
            model_id: None,
            dataset_name: None,
            dataset_digest: None,
            run_id: None,
        }
    }
}

/// A run's latest metrics, parameters and tags.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, Default)]
pub struct RunData {
    /// The latest point of each metric.
    pub metrics: Vec<Metric>,
    /// Parameters (write-once).
    pub params: Vec<KeyValue>,
    /// Tags.
    pub tags: Vec<KeyValue>,
}

/// A data set a run used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Dataset {
    /// Name.
    pub name: String,
    /// Content digest.
    pub digest: String,
    /// e.g. `local`, `s3`, `assay`.
    #[serde(default)]
    pub source_type: String,
    /// Where it lives (JSON text).
    #[serde(default)]
    pub source: String,
    /// Its schema (JSON text).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Its profile (JSON text).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
}

/// A data set input of a run, with its context tags (e.g. `mlflow.data.context = train`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct DatasetInput {
    /// Tags of the input.
    #[serde(default)]
    pub tags: Vec<KeyValue>,
    /// The data set.
    pub dataset: Dataset,
}

/// A logged model a run used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ModelInput {
    /// The model.
    pub model_id: String,
}

/// A logged model a run produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ModelOutput {
    /// The model.
    pub model_id: String,
    /// The step it was logged at.
    #[serde(default)]
    pub step: i64,
}

/// What a run read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
pub struct RunInputs {
    /// Data sets.
    #[serde(default)]
    pub dataset_inputs: Vec<DatasetInput>,
    /// Models.
    #[serde(default)]
    pub model_inputs: Vec<ModelInput>,
}

/// What a run produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
pub struct RunOutputs {
    /// Models.
    #[serde(default)]
    pub model_outputs: Vec<ModelOutput>,
}

/// A run in full.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Run {
    /// Metadata.
    pub info: RunInfo,
    /// Metrics, parameters, tags.
    pub data: RunData,
    /// Inputs.
    pub inputs: RunInputs,
    /// Outputs.
    pub outputs: RunOutputs,
}

impl Run {
    /// A tag's value.
    pub fn tag(&self, key: &str) -> Option<&str> {
        find(&self.data.tags, key)
    }
    /// A parameter's value.
    pub fn param(&self, key: &str) -> Option<&str> {
        find(&self.data.params, key)
    }
    /// A metric's latest value.
    pub fn metric(&self, key: &str) -> Option<f64> {
        self.data
            .metrics
            .iter()
            .find(|m| m.key == key)
            .map(|m| m.value)
    }
}

fn find<'a>(pairs: &'a [KeyValue], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|p| p.key == key)
        .map(|p| p.value.as_str())
}

/// An alias pointing at a version of a registered model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ModelAlias {
    /// e.g. `champion`.
    pub alias: String,
    /// The version number.
    pub version: String,
}

/// A registered model: a name under which versions are kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RegisteredModel {
    /// Unique name.
    pub name: String,
    /// Created.
    pub creation_timestamp: i64,
    /// Last changed.
    pub last_updated_timestamp: i64,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// The newest version of each stage.
    #[serde(default)]
    pub latest_versions: Vec<ModelVersion>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<KeyValue>,
    /// Aliases.
    #[serde(default)]
    pub aliases: Vec<ModelAlias>,
}

/// One version of a registered model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ModelVersion {
    /// The model's name.
    pub name: String,
    /// 1, 2, 3, ... as text.
    pub version: String,
    /// Created.
    pub creation_timestamp: i64,
    /// Last changed.
    pub last_updated_timestamp: i64,
    /// Who registered it.
    #[serde(default)]
    pub user_id: String,
    /// Legacy stage: None, Staging, Production, Archived.
    pub current_stage: String,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// Where its files are, e.g. `models:/m-...` or `mlflow-artifacts:/1/<run>/artifacts/model`.
    pub source: String,
    /// The run that made it.
    #[serde(default)]
    pub run_id: String,
    /// Always `READY` here: files are registered once they exist.
    pub status: String,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<KeyValue>,
    /// A link to the run.
    #[serde(default)]
    pub run_link: String,
    /// Aliases on this version.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The logged model it was made from (MLflow 3).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_id: Option<String>,
}

/// A logged model's state (MLflow 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
pub enum LoggedModelStatus {
    /// Files are being uploaded.
    #[default]
    #[serde(rename = "LOGGED_MODEL_PENDING")]
    Pending,
    /// Files complete.
    #[serde(rename = "LOGGED_MODEL_READY")]
    Ready,
    /// Upload failed.
    #[serde(rename = "LOGGED_MODEL_UPLOAD_FAILED")]
    UploadFailed,
}

impl LoggedModelStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "LOGGED_MODEL_PENDING",
            Self::Ready => "LOGGED_MODEL_READY",
            Self::UploadFailed => "LOGGED_MODEL_UPLOAD_FAILED",
        }
    }
    pub(crate) fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "LOGGED_MODEL_PENDING" => Self::Pending,
            "LOGGED_MODEL_READY" => Self::Ready,
            "LOGGED_MODEL_UPLOAD_FAILED" => Self::UploadFailed,
            _ => return None,
        })
    }
}

/// A logged model's metadata (MLflow 3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct LoggedModelInfo {
    /// `m-` and 32 hex digits.
    pub model_id: String,
    /// Its experiment.
    pub experiment_id: String,
    /// Name.
    pub name: String,
    /// Created.
    pub creation_timestamp_ms: i64,
    /// Last changed.
    pub last_updated_timestamp_ms: i64,
    /// Where its files are.
    pub artifact_uri: String,
    /// Upload state.
    pub status: LoggedModelStatus,
    /// e.g. the flavour.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_type: Option<String>,
    /// The run that logged it.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_run_id: Option<String>,
    /// Why it failed, if it did.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_message: Option<String>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<KeyValue>,
}

/// A logged model's parameters and metrics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, Default)]
pub struct LoggedModelData {
    /// Parameters.
    #[serde(default)]
    pub params: Vec<KeyValue>,
    /// Metrics logged against it.
    #[serde(default)]
    pub metrics: Vec<Metric>,
}

/// A logged model in full (MLflow 3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct LoggedModel {
    /// Metadata.
    pub info: LoggedModelInfo,
    /// Parameters and metrics.
    pub data: LoggedModelData,
}

/// One page of a search, with the token for the next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
    /// Pass back for the next page; absent on the last.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_page_token: Option<String>,
}
