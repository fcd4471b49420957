//! Request and response types of the API. These are the transport contract: the UI's
//! TypeScript types are generated from them (`cargo xtask gen-types`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::ApiError;

mod remote;
mod remote_mlflow;
mod track;
pub use remote::*;
pub use remote_mlflow::*;
pub use track::*;

/// The parameters of a call that takes none (`{}` or `null`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct NoParams {}

/// Facts about the running Assay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AppInfo {
    /// Assay's version.
    pub version: String,
    /// Where configuration and the recent-projects list live.
    pub config_dir: String,
    /// Where logs and the demo project live.
    pub data_dir: String,
    /// The JSON log file, when file logging is on.
    pub log_file: Option<String>,
}

/// A project opened before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RecentProject {
    /// Absolute folder path.
    pub path: String,
    /// Project name at the time it was last opened.
    pub name: String,
    /// When it was last opened.
    pub opened_at: DateTime<Utc>,
}

/// Make a folder an Assay project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CreateProjectRequest {
    /// Folder to create or to turn into a project.
    pub path: String,
    /// Project name; the folder's name when absent.
    #[ts(optional)]
    #[serde(default)]
    pub name: Option<String>,
}

/// Open an existing project folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct OpenProjectRequest {
    /// The project folder.
    pub path: String,
}

/// The open project as the UI shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ProjectInfo {
    /// Display name.
    pub name: String,
    /// Free text from the manifest.
    pub description: Option<String>,
    /// Absolute folder path.
    pub path: String,
    /// Schema version of the project store.
    pub store_schema: i64,
    /// Data sets in manifest order.
    pub datasets: Vec<DatasetInfo>,
    /// Remote connections (no secrets).
    pub connections: Vec<ConnectionInfo>,
}

/// A data set of the project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DatasetInfo {
    /// Unique name.
    pub name: String,
    /// Path as written in the manifest (relative to the project, absolute, or a URL).
    pub path: String,
    /// File format: explicit in the manifest, else from the extension.
    pub format: Option<String>,
    /// Free text.
    pub description: Option<String>,
    /// Whether the file is there.
    pub location: DatasetLocation,
    /// Content hash, when one has been computed for the file as it is now.
    pub fingerprint: Option<String>,
}

/// Where a data set's bytes are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DatasetLocation {
    /// A local file that exists.
    Local {
        /// Size in bytes.
        #[ts(type = "number")]
        bytes: u64,
    },
    /// A local file that is missing.
    Missing,
    /// A remote object.
    Remote,
}

/// A remote connection of the project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ConnectionInfo {
    /// Unique name.
    pub name: String,
    /// s3, gcs, azure, http, mlflow or assay.
    pub kind: String,
    /// Base URL.
    pub url: String,
}

/// Add a data set to the project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AddDatasetRequest {
    /// File path or URL.
    pub path: String,
    /// Name; the file's stem when absent.
    #[ts(optional)]
    #[serde(default)]
    pub name: Option<String>,
    /// Format; from the extension when absent.
    #[ts(optional)]
    #[serde(default)]
    pub format: Option<String>,
    /// The connection that reads a remote path (by default the one whose URL prefixes it).
    #[ts(optional)]
    #[serde(default)]
    pub connection: Option<String>,
}

/// How to read a CSV/TSV data set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DatasetOptionsRequest {
    /// Data set name.
    pub name: String,
    /// Settings that replace detection; absent to detect everything again.
    #[ts(optional)]
    #[serde(default)]
    pub csv: Option<assay_data::CsvOverrides>,
}

/// Names a data set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DatasetRef {
    /// The data set's name.
    pub name: String,
}

/// Start hashing data files (the key for cached profiles and results).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct FingerprintRequest {
    /// Data sets to hash; every local one when absent.
    #[ts(optional)]
    #[serde(default)]
    pub datasets: Option<Vec<String>>,
}

/// One data set's fingerprint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DatasetFingerprint {
    /// Data set name.
    pub name: String,
    /// BLAKE3 hash, hex.
    pub hash: String,
    /// Bytes hashed.
    #[ts(type = "number")]
    pub bytes: u64,
}

/// Names a job.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub struct JobRef {
    /// The job id.
    pub id: String,
}

/// A job and where it stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct JobInfo {
    /// Job id.
    pub id: String,
    /// Kind, e.g. `fingerprint`.
    pub kind: String,
    /// Human title.
    pub title: String,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// When it ended, if it did.
    pub finished_at: Option<DateTime<Utc>>,
    /// State, with progress, result or error.
    pub state: JobState,
}

/// Where a job stands. Only `running` jobs can be cancelled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum JobState {
    /// Working.
    Running {
        /// How far it got.
        progress: Progress,
    },
    /// Done; `result` is the job's typed output as JSON.
    Succeeded {
        /// The output.
        result: serde_json::Value,
    },
    /// Stopped by an error.
    Failed {
        /// What went wrong.
        error: ApiError,
    },
    /// Stopped at the user's request.
    Cancelled,
}

impl JobState {
    /// Whether the job has ended.
    pub fn is_final(&self) -> bool {
        !matches!(self, JobState::Running { .. })
    }

    /// Short name: running, succeeded, failed, cancelled.
    pub fn name(&self) -> &'static str {
        match self {
            JobState::Running { .. } => "running",
            JobState::Succeeded { .. } => "succeeded",
            JobState::Failed { .. } => "failed",
            JobState::Cancelled => "cancelled",
        }
    }
}

/// Progress of a running job.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Progress {
    /// Units done.
    pub done: f64,
    /// Units in all, when known.
    pub total: Option<f64>,
    /// What a unit is: bytes, rows, trees, ...
    pub unit: String,
    /// What it is doing now.
    pub message: String,
}

/// Severity of a log record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum LogLevel {
    /// Very detailed.
    Trace,
    /// For developers.
    Debug,
    /// Normal operation.
    Info,
    /// Something looks wrong.
    Warn,
    /// Something failed.
    Error,
}

/// One log record, as shown in the app's log view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct LogRecord {
    /// Increasing sequence number (for paging).
    #[ts(type = "number")]
    pub seq: u64,
    /// When it was logged.
    pub time: DateTime<Utc>,
    /// Severity.
    pub level: LogLevel,
    /// Module that logged it.
    pub target: String,
    /// The message.
    pub message: String,
    /// Structured fields, rendered as text.
    pub fields: std::collections::BTreeMap<String, String>,
}

/// Ask for log records.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct LogsRequest {
    /// Only records with a larger sequence number.
    #[ts(optional, type = "number")]
    #[serde(default)]
    pub after: Option<u64>,
    /// Only records at or above this level.
    #[ts(optional)]
    #[serde(default)]
    pub min_level: Option<LogLevel>,
}

/// Something that happened, pushed to every UI (Tauri events or server-sent events).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AppEvent {
    /// A job started, progressed or ended.
    Job {
        /// Its new state.
        job: JobInfo,
    },
    /// A log record.
    Log {
        /// The record.
        record: LogRecord,
    },
    /// The open project changed (opened, closed, edited).
    Project {
        /// The project now open, if any.
        project: Option<ProjectInfo>,
    },
}

/// A data set's columns and size.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DatasetSchema {
    /// Data set name.
    pub name: String,
    /// File format.
    pub format: assay_data::DataFormat,
    /// How delimited text is read (detected or from the manifest).
    pub csv: Option<assay_data::CsvOptions>,
    /// Columns in order.
    pub columns: Vec<assay_data::ColumnSchema>,
    /// Rows.
    #[ts(type = "number")]
    pub rows: u64,
}

/// A page of a data set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DatasetPageRequest {
    /// Data set name.
    pub dataset: String,
    /// Which rows, sorted and filtered how.
    #[serde(flatten)]
    pub query: assay_data::PageQuery,
}

/// A SQL query over the project's data sets (each is a table named after it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SqlRequest {
    /// The query (polars SQL).
    pub sql: String,
    /// Which page of the result.
    #[serde(flatten)]
    pub query: assay_data::PageQuery,
}

/// Profile a data set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ProfileRequest {
    /// Data set name.
    pub dataset: String,
    /// Options; defaults when absent.
    #[ts(optional)]
    #[serde(default)]
    pub options: Option<assay_profile::ProfileOptions>,
    /// Recompute even if a cached profile matches.
    #[ts(optional)]
    #[serde(default)]
    pub refresh: Option<bool>,
}

/// What a profile job produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ProfileSummary {
    /// Data set name.
    pub dataset: String,
    /// Content hash of the file profiled.
    pub fingerprint: String,
    /// Rows.
    #[ts(type = "number")]
    pub rows: u64,
    /// Columns.
    pub columns: u32,
    /// Alerts raised.
    pub alerts: u32,
    /// Time to compute, milliseconds (of the original run when cached).
    #[ts(type = "number")]
    pub elapsed_ms: u64,
    /// Whether it came from the cache.
    pub cached: bool,
}

/// A profile as stored in the project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct StoredProfileInfo {
    /// Data set name.
    pub dataset: String,
    /// Content hash of the file profiled.
    pub fingerprint: String,
    /// Whether the file still has that content.
    pub current: bool,
    /// When it was computed.
    pub created_at: DateTime<Utc>,
    /// The profile.
    pub profile: assay_profile::Profile,
}

/// Compare two data sets column by column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CompareRequest {
    /// The baseline (e.g. train, January).
    pub reference: String,
    /// The data compared with it (e.g. test, February).
    pub current: String,
}

/// A report's file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    /// One standalone HTML file with SVG charts, no scripts.
    Html,
    /// The JSON document (schema: docs/schema/profile-report.schema.json).
    Json,
}

impl ReportFormat {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ReportFormat::Html => "html",
            ReportFormat::Json => "json",
        }
    }
}

/// Export a data set's profile (and optionally its drift against another) as a report file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ExportReportRequest {
    /// The data set profiled.
    pub dataset: String,
    /// A data set to compare with it (adds a drift section).
    #[ts(optional)]
    #[serde(default)]
    pub compare: Option<String>,
    /// HTML or JSON.
    pub format: ReportFormat,
}

/// A report written into the project's `reports/` folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ExportedReport {
    /// Absolute path of the file.
    pub path: String,
    /// Path relative to the project folder.
    pub relative_path: String,
    /// Size in bytes.
    #[ts(type = "number")]
    pub bytes: u64,
}

/// A rule suite file of the project, by its path relative to the project folder
/// (`rules/flights.yaml`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SuiteRef {
    /// Path relative to the project folder, inside `rules/`.
    pub file: String,
}

/// A rule suite file as listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SuiteInfo {
    /// Path relative to the project folder.
    pub file: String,
    /// The data set it checks, when the file says.
    pub dataset: Option<String>,
    /// The suite's description.
    pub description: Option<String>,
    /// Well-formed rules.
    pub rules: u32,
    /// Problems: invalid rules, or 1 for a file that is not a suite at all.
    pub problems: u32,
    /// The newest run.
    pub last_run: Option<QualityRunSummary>,
}

/// A suite's text and what it means.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SuiteDocument {
    /// Path relative to the project folder.
    pub file: String,
    /// The YAML text.
    pub text: String,
    /// The parsed suite; absent when the text is not a suite at all (a YAML syntax error, no
    /// `dataset`).
    pub suite: Option<assay_quality::Suite>,
    /// What is wrong, each with its line: the syntax error, or every invalid rule.
    pub diagnostics: Vec<assay_quality::Diagnostic>,
}

/// A suite file's name and text (to check or to save).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SuiteTextRequest {
    /// Path relative to the project folder, inside `rules/`, ending in `.yaml` or `.yml`.
    pub file: String,
    /// The YAML text.
    pub text: String,
}

/// A suite (as edited in the rule builder) to write as YAML.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RenderSuiteRequest {
    /// Path relative to the project folder.
    pub file: String,
    /// The rules.
    pub suite: assay_quality::Suite,
}

/// A suite suggested from a data set's profile, for the user to review before saving.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SuggestedSuite {
    /// The suggested suite, with a free file name under `rules/`.
    pub document: SuiteDocument,
    /// Why each rule was suggested.
    pub suggestions: Vec<assay_quality::Suggestion>,
}

/// A quality run as listed and charted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct QualityRunSummary {
    /// Run id.
    pub id: String,
    /// The suite file.
    pub file: String,
    /// The data set checked.
    pub dataset: String,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// Rows checked.
    #[ts(type = "number")]
    pub rows: u64,
    /// Rules per status.
    pub totals: assay_quality::Totals,
    /// Wall time, milliseconds.
    pub elapsed_ms: f64,
}

/// One stored quality run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct QualityRunRef {
    /// Run id.
    pub id: String,
}

/// A quality run in full.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct QualityRun {
    /// The listed facts.
    pub summary: QualityRunSummary,
    /// Every rule's outcome.
    pub result: assay_quality::SuiteResult,
}

/// The runs of a suite and each rule's trend over them, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct QualityHistory {
    /// The runs.
    pub runs: Vec<QualityRunSummary>,
    /// One trend per rule id seen in those runs.
    pub rules: Vec<RuleTrend>,
}

/// One rule over the runs of its suite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RuleTrend {
    /// The rule's stable id.
    pub rule: String,
    /// Its outcome per run, oldest first.
    pub points: Vec<RulePoint>,
}

/// A rule's outcome in one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RulePoint {
    /// Run id.
    pub run: String,
    /// When the run started.
    pub started_at: DateTime<Utc>,
    /// The outcome.
    pub status: assay_quality::Status,
    /// The observed value, when numeric.
    pub observed: Option<f64>,
    /// Failing rows, for row-level rules.
    #[ts(type = "number | null")]
    pub failing_count: Option<u64>,
}

/// Another tool's rule format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SuiteFormat {
    /// A Great Expectations 1.x expectation suite (JSON).
    Gx,
    /// A SodaCL checks file (YAML).
    Soda,
}

/// Convert another tool's suite into ours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportSuiteRequest {
    /// The source format.
    pub format: SuiteFormat,
    /// The file's text.
    pub text: String,
    /// The file's name, for messages and the suggested suite name.
    pub source_name: String,
    /// The data set to bind the suite to (else what the file names).
    #[ts(optional)]
    #[serde(default)]
    pub dataset: Option<String>,
}

/// What an import produced: our suite (not yet saved) and what was left out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportedSuite {
    /// The converted suite, with a free file name under `rules/`.
    pub document: SuiteDocument,
    /// Every expectation or check not converted, with the reason.
    pub not_converted: Vec<assay_quality::NotConverted>,
}

/// Write one of our suites in another tool's format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ExportSuiteRequest {
    /// The suite file.
    pub file: String,
    /// The target format.
    pub format: SuiteFormat,
}

/// A suite in another tool's format (for the UI to save or download).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ExportedSuite {
    /// A file name for it (`flights.gx.json`, `flights.soda.yaml`).
    pub file_name: String,
    /// The text.
    pub text: String,
    /// Rules that could not be expressed, with reasons.
    pub not_converted: Vec<assay_quality::NotConverted>,
}

/// Score a data set's rows for anomalies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DetectRequest {
    /// Data set name.
    pub dataset: String,
    /// Method, columns, label, seed, policies; defaults when absent.
    #[ts(optional)]
    #[serde(default)]
    pub options: Option<assay_anomaly::DetectOptions>,
}

/// A stored detection, by id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AnomalyRunRef {
    /// Run id.
    pub id: String,
}

/// The detections of one data set (or all).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AnomalyRunsRequest {
    /// Data set name; all when absent.
    #[ts(optional)]
    #[serde(default)]
    pub dataset: Option<String>,
}

/// A detection as listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AnomalyRunSummary {
    /// Run id.
    pub id: String,
    /// Data set scored.
    pub dataset: String,
    /// Detector.
    pub method: String,
    /// When it finished.
    pub created_at: DateTime<Utc>,
    /// Rows scored.
    #[ts(type = "number")]
    pub scored_rows: u64,
    /// ROC-AUC against the label column, when one was given.
    pub roc_auc: Option<f64>,
}

/// Equal-width bins of the scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ScoreHistogram {
    /// Bin edges, one more than counts.
    pub edges: Vec<f64>,
    /// Rows per bin.
    #[ts(type = "number[]")]
    pub counts: Vec<u64>,
}

/// One ensemble member's timing and quality.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MemberSummary {
    /// The detector.
    pub method: assay_anomaly::Method,
    /// Wall time, seconds.
    pub seconds: f64,
    /// ROC-AUC against the label column, when one was given.
    pub roc_auc: Option<f64>,
}

/// A detection as the explorer shows it: everything but the per-row scores (which stay in
/// the project and are paged with `anomaly_rows`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AnomalyRun {
    /// Listed facts.
    pub summary: AnomalyRunSummary,
    /// The options it ran with.
    pub options: assay_anomaly::DetectOptions,
    /// Rows in the table.
    #[ts(type = "number")]
    pub table_rows: u64,
    /// The features the detectors saw.
    pub features: Vec<assay_anomaly::Feature>,
    /// What was done to the data, in plain words.
    pub notes: Vec<String>,
    /// Suggested cut-offs.
    pub thresholds: Vec<assay_anomaly::Threshold>,
    /// Distribution of the scores.
    pub histogram: ScoreHistogram,
    /// Ensemble members.
    pub members: Vec<MemberSummary>,
    /// Explanations of the highest-scoring rows.
    pub top: Vec<assay_anomaly::RowExplanation>,
    /// 2-D view of (a sample of) the rows.
    pub projection: assay_anomaly::Projection,
    /// The score of each projected point.
    pub projection_scores: Vec<f64>,
    /// Quality against the label column.
    pub evaluation: Option<assay_anomaly::Evaluation>,
    /// Wall time, seconds.
    pub seconds: f64,
}

/// Rows at or above a score cut-off, highest score first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AnomalyRowsRequest {
    /// Run id.
    pub id: String,
    /// Score cut-off: rows with `score >= threshold`.
    pub threshold: f64,
    /// First row of the page.
    #[ts(type = "number")]
    #[serde(default)]
    pub offset: u64,
    /// Rows in the page (at most 5,000).
    #[serde(default = "default_rows_limit")]
    pub limit: u32,
    /// Only these table rows (e.g. points brushed in the projection).
    #[ts(optional, type = "number[]")]
    #[serde(default)]
    pub rows: Option<Vec<u64>>,
}

fn default_rows_limit() -> u32 {
    100
}

/// Explain one scored row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ExplainRowRequest {
    /// Run id.
    pub id: String,
    /// Table row (0-based).
    #[ts(type = "number")]
    pub row: u64,
}

/// A table file format for exported rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TableFormat {
    /// Comma-separated text.
    Csv,
    /// Apache Parquet.
    Parquet,
}

/// Write scored rows (with `anomaly_score` columns) into `reports/`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ExportAnomaliesRequest {
    /// Run id.
    pub id: String,
    /// Only rows with `score >= threshold` (the flagged rows); every scored row when absent.
    #[ts(optional)]
    #[serde(default)]
    pub threshold: Option<f64>,
    /// File format.
    pub format: TableFormat,
}
