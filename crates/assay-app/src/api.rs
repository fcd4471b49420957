//! The API table: every operation the UI, the server and the CLI can call, one line each.
//! The macro derives the name-based dispatcher used by the Tauri command and the HTTP route,
//! and the method list the TypeScript client is generated from.

use crate::dto::*;
use crate::{ApiError, Assay};

/// One API method, for code generation and documentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodSpec {
    /// The method name, as used in `POST /api/{name}` and the IPC call.
    pub name: &'static str,
    /// The request type's TypeScript name.
    pub request: String,
    /// The response type's TypeScript name.
    pub response: String,
    /// The doc line.
    pub doc: &'static str,
}

macro_rules! api {
    ($( #[doc = $doc:literal] $name:ident($req:ty) -> $resp:ty; )*) => {
        /// Every API method, in table order.
        pub fn methods() -> Vec<MethodSpec> {
            vec![$(MethodSpec {
                name: stringify!($name),
                request: <$req as ts_rs::TS>::name(&crate::typescript::config()),
                response: <$resp as ts_rs::TS>::name(&crate::typescript::config()),
                doc: $doc.trim(),
            }),*]
        }

        impl Assay {
            /// Calls the method `name` with JSON parameters (`null` means `{}`) and returns the
            /// JSON response: the single entry point of every transport.
            pub async fn dispatch(
                &self,
                name: &str,
                params: serde_json::Value,
            ) -> Result<serde_json::Value, ApiError> {
                let params = match params {
                    serde_json::Value::Null => serde_json::json!({}),
                    p => p,
                };
                match name {
                    $(stringify!($name) => {
                        let request: $req = parse_params(name, params)?;
                        let response: $resp = self.$name(request).await?;
                        serde_json::to_value(response)
                            .map_err(|e| ApiError::new(crate::ErrorCode::Internal, e.to_string()))
                    })*
                    _ => Err(ApiError::new(
                        crate::ErrorCode::UnknownMethod,
                        format!("unknown API method '{name}'"),
                    )),
                }
            }
        }
    };
}

/// Methods that only read: everything else changes state (the project, its files, the store,
/// jobs) and is audited by the server. A method missing here counts as changing state, so a new
/// method is audited until someone lists it.
const READ_ONLY: &[&str] = &[
    "app_info",
    "recent_projects",
    "current_project",
    "list_jobs",
    "get_job",
    "get_logs",
    "dataset_schema",
    "dataset_page",
    "sql_query",
    "get_profile",
    "list_suites",
    "get_suite",
    "check_suite_text",
    "render_suite",
    "get_quality_run",
    "quality_history",
    "import_suite",
    "export_suite",
    "list_anomaly_runs",
    "get_anomaly_run",
    "anomaly_rows",
    "explain_row",
    "list_experiments",
    "run_columns",
    "runs_page",
    "group_runs",
    "get_run",
    "get_runs",
    "metric_histories",
    "run_artifacts",
    "preview_artifact",
    "list_models",
    "get_model",
    "model_lineage",
];

/// Whether calling `method` may change state (true for names not in the table too).
pub fn mutates(method: &str) -> bool {
    !READ_ONLY.contains(&method)
}

fn parse_params<T: serde::de::DeserializeOwned>(
    method: &str,
    params: serde_json::Value,
) -> Result<T, ApiError> {
    serde_json::from_value(params).map_err(|e| {
        ApiError::invalid(format!("bad parameters for '{method}': {e}"))
            .with_details(serde_json::json!({ "method": method }))
    })
}

api! {
    /// Version and folders of the running Assay.
    app_info(NoParams) -> AppInfo;
    /// Projects opened before, most recent first.
    recent_projects(NoParams) -> Vec<RecentProject>;
    /// The open project, if any.
    current_project(NoParams) -> Option<ProjectInfo>;
    /// Make a folder a project and open it.
    create_project(CreateProjectRequest) -> ProjectInfo;
    /// Open a project folder.
    open_project(OpenProjectRequest) -> ProjectInfo;
    /// Open the demo project (penguins and nycflights13), installing a fresh copy if needed.
    open_demo_project(NoParams) -> ProjectInfo;
    /// Close the open project.
    close_project(NoParams) -> Option<ProjectInfo>;
    /// Add a data set (file or URL) to the project's manifest.
    add_dataset(AddDatasetRequest) -> ProjectInfo;
    /// Remove a data set from the manifest (its file is kept).
    remove_dataset(DatasetRef) -> ProjectInfo;
    /// Start a job hashing data files; the job's result is a list of DatasetFingerprint.
    start_fingerprint(FingerprintRequest) -> JobRef;
    /// Jobs of this session, newest first.
    list_jobs(NoParams) -> Vec<JobInfo>;
    /// One job.
    get_job(JobRef) -> JobInfo;
    /// Ask a running job to stop.
    cancel_job(JobRef) -> JobInfo;
    /// Recent log records.
    get_logs(LogsRequest) -> Vec<LogRecord>;
    /// A data set's columns, types and row count.
    dataset_schema(DatasetRef) -> DatasetSchema;
    /// Override (or detect again) how a CSV/TSV data set is read; checked on the file, then saved in assay.toml.
    set_dataset_options(DatasetOptionsRequest) -> DatasetSchema;
    /// One page of a data set, sorted, filtered and searched in the engine.
    dataset_page(DatasetPageRequest) -> assay_data::Page;
    /// A page of a polars SQL query over the project's data sets (tables named after them).
    sql_query(SqlRequest) -> assay_data::Page;
    /// Start profiling a data set; the job's result is a ProfileSummary.
    start_profile(ProfileRequest) -> JobRef;
    /// The newest stored profile of a data set.
    get_profile(DatasetRef) -> Option<StoredProfileInfo>;
    /// Start comparing two data sets; the job's result is a DriftReport.
    start_compare(CompareRequest) -> JobRef;
    /// Start writing a profile report (HTML or JSON, optionally with drift) into reports/; the job's result is an ExportedReport.
    start_export_report(ExportReportRequest) -> JobRef;
    /// The rule suite files in rules/, with their newest run.
    list_suites(NoParams) -> Vec<SuiteInfo>;
    /// A suite file's text, parsed, with its problems by line.
    get_suite(SuiteRef) -> SuiteDocument;
    /// Parse suite text without saving it.
    check_suite_text(SuiteTextRequest) -> SuiteDocument;
    /// Write a suite edited in the rule builder as YAML (not saved).
    render_suite(RenderSuiteRequest) -> SuiteDocument;
    /// Save suite text to its file in rules/ (atomically).
    save_suite(SuiteTextRequest) -> SuiteDocument;
    /// Start suggesting a suite from a data set's profile; the job's result is a SuggestedSuite.
    start_suggest_suite(DatasetRef) -> JobRef;
    /// Start running a suite in one pass; the job's result is a QualityRun, kept in the store.
    start_quality_run(SuiteRef) -> JobRef;
    /// A stored quality run in full.
    get_quality_run(QualityRunRef) -> QualityRun;
    /// A suite's runs and each rule's trend, oldest first.
    quality_history(SuiteRef) -> QualityHistory;
    /// Convert a Great Expectations or SodaCL file into a suite (not yet saved).
    import_suite(ImportSuiteRequest) -> ImportedSuite;
    /// A suite in Great Expectations or SodaCL form.
    export_suite(ExportSuiteRequest) -> ExportedSuite;
    /// Write a stored quality run as a standalone HTML report into reports/.
    export_quality_report(QualityRunRef) -> ExportedReport;
    /// Start scoring a data set's rows for anomalies; the job's result is an AnomalyRun, kept in the project.
    start_detect(DetectRequest) -> JobRef;
    /// Stored anomaly detections, newest first.
    list_anomaly_runs(AnomalyRunsRequest) -> Vec<AnomalyRunSummary>;
    /// A stored anomaly detection (without per-row scores).
    get_anomaly_run(AnomalyRunRef) -> AnomalyRun;
    /// Rows at or above a score cut-off, highest first, with their scores and columns.
    anomaly_rows(AnomalyRowsRequest) -> assay_data::Page;
    /// Which features make a scored row unusual.
    explain_row(ExplainRowRequest) -> assay_anomaly::RowExplanation;
    /// Write scored (or only flagged) rows with their scores into reports/ as CSV or Parquet.
    export_anomalies(ExportAnomaliesRequest) -> ExportedReport;
    /// Experiments of the project (live by default), newest first.
    list_experiments(ListExperimentsRequest) -> Vec<assay_track::Experiment>;
    /// Create an experiment.
    create_experiment(CreateExperimentRequest) -> assay_track::Experiment;
    /// Rename, delete or restore an experiment.
    update_experiment(UpdateExperimentRequest) -> assay_track::Experiment;
    /// The metric, parameter and tag keys used in some experiments (the runs table's columns).
    run_columns(ExperimentIds) -> assay_track::RunColumns;
    /// One page of runs (MLflow filter and order syntax), with the total.
    runs_page(RunsPageRequest) -> assay_track::RunsPage;
    /// Runs grouped by a parameter's value, with mean and standard deviation of metrics.
    group_runs(GroupRunsRequest) -> Vec<assay_track::RunGroup>;
    /// A run in full: params, latest metrics, tags, inputs, outputs.
    get_run(RunRef) -> assay_track::Run;
    /// Several runs in full, for comparing.
    get_runs(RunIds) -> Vec<assay_track::Run>;
    /// Move runs to the trash.
    delete_runs(RunIds) -> u32;
    /// Metric curves of runs, thinned to at most max_points per curve.
    metric_histories(MetricHistoriesRequest) -> Vec<MetricSeries>;
    /// A folder of a run's artifacts.
    run_artifacts(RunArtifactsRequest) -> RunArtifacts;
    /// A preview of an artifact file: text, image or table.
    preview_artifact(RunArtifactsRequest) -> ArtifactPreview;
    /// Start saving a run's artifact file or folder into a local folder (job result: SavedArtifacts).
    start_save_artifacts(SaveArtifactsRequest) -> JobRef;
    /// Registered models matching a filter.
    list_models(ListModelsRequest) -> Vec<assay_track::RegisteredModel>;
    /// A registered model with every version.
    get_model(ModelRef) -> ModelDetail;
    /// Point an alias at a version, or remove it.
    set_model_alias(ModelAliasRequest) -> ModelDetail;
    /// Set or remove a tag of a model or version.
    set_model_tag(ModelTagRequest) -> ModelDetail;
    /// Change the description of a model or version.
    describe_model(DescribeModelRequest) -> ModelDetail;
    /// Register a run's model folder as a new version.
    register_model(RegisterModelRequest) -> assay_track::ModelVersion;
    /// Where a model version came from: run, data sets, profiles, quality checks.
    model_lineage(ModelVersionRef) -> ModelLineage;
    /// Start training a model on a data set; the job logs a run (and can register it); its result is a TrainResult.
    start_train(TrainRequest) -> JobRef;
    /// Score a data set with a run's trained model into reports/ (a `prediction` column added).
    score_dataset(ScoreRequest) -> ExportedReport;
    /// The project's connections, with which secrets are stored (never their values).
    list_connections(NoParams) -> Vec<ConnectionDetails>;
    /// Create or replace a connection; secrets go to the OS keychain (or the private fallback file).
    save_connection(SaveConnectionRequest) -> ConnectionDetails;
    /// Remove a connection and forget its secrets.
    remove_connection(ConnectionRef) -> ProjectInfo;
    /// Check that an object-store connection answers and accepts its credentials.
    test_connection(ConnectionRef) -> ConnectionTest;
    /// Folders and objects under a prefix of an object-store connection.
    browse_connection(BrowseRequest) -> BrowseResult;
    /// The first rows of a remote file, read lazily.
    preview_remote(PreviewRemoteRequest) -> assay_data::Page;
    /// Start uploading a project file or folder (report, artifacts) to an object store; the job's result is an UploadResult.
    start_upload(UploadRequest) -> JobRef;
    /// A remote MLflow server's version and live experiments.
    remote_mlflow_experiments(RemoteMlflowRef) -> RemoteMlflowExperiments;
    /// One page of a remote MLflow server's runs (MLflow filter and order passed through).
    remote_mlflow_runs(RemoteMlflowRunsRequest) -> RemoteMlflowRunsPage;
    /// A remote MLflow server's registered models with their versions.
    remote_mlflow_models(RemoteMlflowModelsRequest) -> Vec<RemoteMlflowModel>;
    /// Start copying remote runs and model versions into the project (again: no duplicates); the job's result is an MlflowTransferResult.
    start_mlflow_import(MlflowImportRequest) -> JobRef;
    /// Start copying local runs and model versions to a remote MLflow experiment; the job's result is an MlflowTransferResult.
    start_mlflow_push(MlflowPushRequest) -> JobRef;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_only_names_are_api_methods() {
        let names: Vec<_> = methods().iter().map(|m| m.name).collect();
        for name in READ_ONLY {
            assert!(names.contains(name), "{name} is not an API method");
        }
        assert!(mutates("save_suite") && mutates("start_profile") && mutates("no_such"));
        assert!(!mutates("runs_page"));
    }
}
