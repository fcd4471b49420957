//! Requests and responses of the Experiments and Models panels.

use assay_track::{FileInfo, ModelVersion, RegisteredModel, Run, ViewType};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{QualityRunSummary, SuiteInfo};

/// Experiments to list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct ListExperimentsRequest {
    /// Live (default), deleted or all.
    #[ts(optional)]
    #[serde(default)]
    pub view: Option<ViewType>,
}

/// A new experiment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CreateExperimentRequest {
    /// Unique name.
    pub name: String,
}

/// Rename, delete or restore an experiment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct UpdateExperimentRequest {
    /// Which.
    pub experiment_id: String,
    /// New name.
    #[ts(optional)]
    #[serde(default)]
    pub name: Option<String>,
    /// Move to (true) or from (false) the trash.
    #[ts(optional)]
    #[serde(default)]
    pub deleted: Option<bool>,
}

/// Some experiments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ExperimentIds {
    /// Their ids.
    pub experiment_ids: Vec<String>,
}

/// Which runs the runs table shows, in which order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct RunsQuery {
    /// Experiments (one or more: runs across experiments can be compared).
    pub experiment_ids: Vec<String>,
    /// MLflow filter syntax, e.g. `metrics.acc > 0.9 and params.model = 'rf'`.
    #[serde(default)]
    pub filter: String,
    /// Order clauses, e.g. `metrics.acc DESC`.
    #[serde(default)]
    pub order_by: Vec<String>,
    /// Live (default), deleted or all.
    #[ts(optional)]
    #[serde(default)]
    pub view: Option<ViewType>,
}

/// One page of the runs table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RunsPageRequest {
    /// Which runs.
    #[serde(flatten)]
    pub query: RunsQuery,
    /// First row.
    #[ts(type = "number")]
    #[serde(default)]
    pub offset: u64,
    /// Rows (at most 5,000).
    pub limit: u32,
}

/// Runs grouped by a parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct GroupRunsRequest {
    /// Which runs.
    #[serde(flatten)]
    pub query: RunsQuery,
    /// The parameter to group by.
    pub param: String,
    /// Metrics to summarise.
    pub metrics: Vec<String>,
}

/// One run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RunRef {
    /// 32 hex digits.
    pub run_id: String,
}

/// Several runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RunIds {
    /// Their ids.
    pub run_ids: Vec<String>,
}

/// Metric curves of some runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MetricHistoriesRequest {
    /// Runs.
    pub run_ids: Vec<String>,
    /// Metric keys.
    pub keys: Vec<String>,
    /// Most points per curve (longer curves are thinned keeping each bucket's min and max).
    #[ts(optional)]
    #[serde(default)]
    pub max_points: Option<u32>,
}

/// One metric curve of one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MetricSeries {
    /// The run.
    pub run_id: String,
    /// The metric.
    pub key: String,
    /// Points logged in all.
    #[ts(type = "number")]
    pub total_points: u64,
    /// Steps of the (possibly thinned) points.
    #[ts(type = "number[]")]
    pub steps: Vec<i64>,
    /// Their times, milliseconds.
    #[ts(type = "number[]")]
    pub timestamps: Vec<i64>,
    /// Their values (`null` for NaN).
    pub values: Vec<Option<f64>>,
}

/// A run's artifact folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RunArtifactsRequest {
    /// The run.
    pub run_id: String,
    /// Folder inside the run's artifacts ("" for the top).
    #[serde(default)]
    pub path: String,
}

/// A run's artifact files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RunArtifacts {
    /// Where they live, e.g. `mlflow-artifacts:/1/<run>/artifacts`.
    pub root_uri: String,
    /// Entries, folders first.
    pub files: Vec<FileInfo>,
}

/// Saves a run's artifact file or folder into a folder of the machine running Assay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SaveArtifactsRequest {
    /// The run.
    pub run_id: String,
    /// File or folder inside the run's artifacts ("" for all of them).
    #[serde(default)]
    pub path: String,
    /// The folder to save into (relative to the project folder unless absolute); the copy is
    /// named after `path` (or `<run id>-artifacts`).
    pub dest: String,
}

/// What saving artifacts wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SavedArtifacts {
    /// The file or folder written.
    pub target: String,
    /// Files copied.
    pub files: u32,
    /// Bytes copied.
    #[ts(type = "number")]
    pub bytes: u64,
}

/// What an artifact file looks like, for a preview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ArtifactPreview {
    /// UTF-8 text (the first 256 kB).
    Text {
        /// The text.
        text: String,
        /// Cut at 256 kB.
        truncated: bool,
    },
    /// A PNG, JPEG, GIF, SVG or WebP image as a data URL.
    Image {
        /// `data:image/...;base64,...`
        data_url: String,
    },
    /// A CSV, TSV, Parquet or JSON-lines table's first rows.
    Table {
        /// The page.
        page: assay_data::Page,
    },
    /// Something else.
    Binary {
        /// Size in bytes.
        #[ts(type = "number")]
        size: u64,
    },
}

/// Registered models to list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct ListModelsRequest {
    /// Filter, e.g. `name LIKE 'fraud%'`.
    #[serde(default)]
    pub filter: String,
}

/// One registered model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ModelRef {
    /// Its name.
    pub name: String,
}

/// A registered model with all its versions, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ModelDetail {
    /// The model.
    pub model: RegisteredModel,
    /// Every version.
    pub versions: Vec<ModelVersion>,
}

/// One version of a registered model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ModelVersionRef {
    /// The model.
    pub name: String,
    /// The version number.
    pub version: String,
}

/// Point an alias at a version, or remove it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ModelAliasRequest {
    /// The model.
    pub name: String,
    /// e.g. `champion`.
    pub alias: String,
    /// The version; absent removes the alias.
    #[ts(optional)]
    #[serde(default)]
    pub version: Option<String>,
}

/// Set or remove a tag of a model or of one of its versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ModelTagRequest {
    /// The model.
    pub name: String,
    /// A version, or absent for the model itself.
    #[ts(optional)]
    #[serde(default)]
    pub version: Option<String>,
    /// Tag key.
    pub key: String,
    /// New value; absent removes the tag.
    #[ts(optional)]
    #[serde(default)]
    pub value: Option<String>,
}

/// Change the description of a model or one of its versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DescribeModelRequest {
    /// The model.
    pub name: String,
    /// A version, or absent for the model itself.
    #[ts(optional)]
    #[serde(default)]
    pub version: Option<String>,
    /// The description.
    pub description: String,
}

/// Register a run's model (its artifact folder) as a new version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RegisterModelRequest {
    /// The registered model (created if new).
    pub name: String,
    /// The run.
    pub run_id: String,
    /// The model's folder inside the run's artifacts, e.g. `model`.
    pub artifact_path: String,
}

/// A data set a model version was trained on, as the project knows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DatasetLineage {
    /// The name the run logged.
    pub name: String,
    /// The digest the run logged.
    pub digest: String,
    /// Where the run said it came from.
    pub source: String,
    /// e.g. `train`, `eval`.
    #[ts(optional)]
    pub context: Option<String>,
    /// The project data set of that name, if there is one.
    #[ts(optional)]
    pub project_dataset: Option<String>,
    /// Its newest profile: rows, columns, alerts.
    #[ts(optional)]
    pub profile: Option<super::ProfileSummary>,
    /// Rule suites checking it, with their newest run.
    pub suites: Vec<SuiteInfo>,
}

/// Where a model version came from: its run, that run's data sets, their profiles and checks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ModelLineage {
    /// The version.
    pub version: ModelVersion,
    /// The run that made it, if it is in this project.
    #[ts(optional)]
    pub run: Option<Run>,
    /// The run's experiment name.
    #[ts(optional)]
    pub experiment: Option<String>,
    /// The data sets it read.
    pub datasets: Vec<DatasetLineage>,
    /// Newest quality runs of those data sets (one per suite).
    pub quality: Vec<QualityRunSummary>,
}

/// Train a model on a project data set and log it as a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TrainRequest {
    /// The data set.
    pub dataset: String,
    /// The column to predict (absent for k-means).
    #[ts(optional)]
    #[serde(default)]
    pub target: Option<String>,
    /// Numeric or boolean feature columns.
    pub features: Vec<String>,
    /// The model and its settings, e.g. `{"kind": "random_forest", "n_trees": 100}`.
    #[ts(
        type = "{ kind: \"logistic_regression\" | \"decision_tree\" | \"random_forest\" | \"elastic_net\" | \"kmeans\" } & Record<string, unknown>"
    )]
    pub model: serde_json::Value,
    /// Share of rows held out for testing (default 0.25).
    #[ts(optional)]
    #[serde(default)]
    pub test_fraction: Option<f64>,
    /// Random seed (default 42).
    #[ts(optional, type = "number")]
    #[serde(default)]
    pub seed: Option<u64>,
    /// The experiment to log into (created if new; default `assay-training`).
    #[ts(optional)]
    #[serde(default)]
    pub experiment: Option<String>,
    /// The run's name.
    #[ts(optional)]
    #[serde(default)]
    pub run_name: Option<String>,
    /// Register the model under this name as a new version.
    #[ts(optional)]
    #[serde(default)]
    pub register_as: Option<String>,
}

/// What a training job produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TrainResult {
    /// The run it logged.
    pub run_id: String,
    /// Its experiment.
    pub experiment_id: String,
    /// `classification`, `regression` or `clustering`.
    pub task: String,
    /// Rows used for training and testing.
    #[ts(type = "number")]
    pub train_rows: u64,
    /// Rows held out.
    #[ts(type = "number")]
    pub test_rows: u64,
    /// Metrics on the held-out rows, e.g. `accuracy`, `r2`, `silhouette`.
    pub test_metrics: Vec<NamedValue>,
    /// The same on the training rows.
    pub train_metrics: Vec<NamedValue>,
    /// Feature importances, largest first, where the model defines them.
    pub importances: Vec<NamedValue>,
    /// Class labels of the confusion matrix (classification).
    pub labels: Vec<String>,
    /// Test confusion matrix, `[true][predicted]` (classification).
    #[ts(type = "number[][]")]
    pub confusion: Vec<Vec<u64>>,
    /// The registered version, when asked for.
    #[ts(optional)]
    pub model_version: Option<ModelVersion>,
    /// Notes from training, e.g. "did not converge".
    pub notes: Vec<String>,
}

/// A named number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NamedValue {
    /// Name.
    pub name: String,
    /// Value.
    pub value: f64,
}

/// Score a data set with a trained model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ScoreRequest {
    /// The run whose `model/model.json` to use.
    pub run_id: String,
    /// The data set to score (it needs the model's feature columns).
    pub dataset: String,
    /// `csv` (default) or `parquet`.
    #[ts(optional)]
    #[serde(default)]
    pub format: Option<super::TableFormat>,
}
