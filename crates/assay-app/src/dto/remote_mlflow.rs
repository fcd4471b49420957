//! Requests and responses for remote MLflow servers: browse, import, push.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Names an MLflow connection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RemoteMlflowRef {
    /// The connection's name.
    pub connection: String,
}

/// A remote server's experiments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RemoteMlflowExperiments {
    /// The server's URL.
    pub url: String,
    /// Its MLflow version.
    pub server_version: String,
    /// Live experiments.
    pub experiments: Vec<assay_track::Experiment>,
}

/// One page of a remote server's runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RemoteMlflowRunsRequest {
    /// The connection.
    pub connection: String,
    /// Experiments to search.
    pub experiment_ids: Vec<String>,
    /// MLflow filter, passed through.
    #[ts(optional)]
    #[serde(default)]
    pub filter: Option<String>,
    /// MLflow order clauses, e.g. `metrics.rmse ASC`.
    #[serde(default)]
    pub order_by: Vec<String>,
    /// Runs per page (default 100, at most 1000).
    #[ts(optional)]
    #[serde(default)]
    pub max_results: Option<u32>,
    /// The token of the page to fetch.
    #[ts(optional)]
    #[serde(default)]
    pub page_token: Option<String>,
}

/// A page of remote runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RemoteMlflowRunsPage {
    /// The runs (latest metrics, params, tags).
    pub runs: Vec<assay_track::Run>,
    /// Pass back for the next page; absent on the last.
    pub next_page_token: Option<String>,
}

/// Registered models of a remote server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RemoteMlflowModelsRequest {
    /// The connection.
    pub connection: String,
    /// MLflow filter on models, e.g. `name LIKE 'churn%'`.
    #[ts(optional)]
    #[serde(default)]
    pub filter: Option<String>,
}

/// A remote registered model with its versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RemoteMlflowModel {
    /// The model.
    pub model: assay_track::RegisteredModel,
    /// Its versions, newest first.
    pub versions: Vec<assay_track::ModelVersion>,
}

/// A version of a registered model, by name and number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MlflowVersionRef {
    /// The registered model.
    pub name: String,
    /// The version number.
    pub version: String,
}

/// Copy remote runs and model versions into the project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MlflowImportRequest {
    /// The connection.
    pub connection: String,
    /// Remote run ids.
    #[serde(default)]
    pub run_ids: Vec<String>,
    /// Remote model versions (their runs come along).
    #[serde(default)]
    pub model_versions: Vec<MlflowVersionRef>,
}

/// One run copied (or found copied before).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TransferredRun {
    /// The run's id where it came from.
    pub from_run_id: String,
    /// Its id where it went.
    pub to_run_id: String,
    /// The experiment it went into.
    pub experiment: String,
    /// It had been copied before: nothing was written.
    pub already_there: bool,
}

/// One model version copied (or found copied before).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TransferredVersion {
    /// The registered model.
    pub name: String,
    /// The version where it came from.
    pub from_version: String,
    /// The version where it went.
    pub to_version: String,
    /// It had been copied before: nothing was written.
    pub already_there: bool,
}

/// What an import or push did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MlflowTransferResult {
    /// The server's URL.
    pub url: String,
    /// Runs.
    pub runs: Vec<TransferredRun>,
    /// Model versions.
    pub model_versions: Vec<TransferredVersion>,
}

/// Copy local runs (and model versions) to a remote server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MlflowPushRequest {
    /// The connection.
    pub connection: String,
    /// Local run ids.
    #[serde(default)]
    pub run_ids: Vec<String>,
    /// The remote experiment (created when missing).
    pub experiment: String,
    /// Local model versions to register remotely (their runs are pushed too).
    #[serde(default)]
    pub model_versions: Vec<MlflowVersionRef>,
}
