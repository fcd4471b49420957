//! TypeScript bindings of the API for the UI: every transport type, plus `ApiMethods`, the map
//! from method name to request and response types that the UI's client is typed by.

use ts_rs::{Config, TS};

use crate::dto::*;
use crate::{ApiError, ErrorCode, methods};

/// ts-rs settings: 64-bit integers are plain numbers in JSON, so they are `number` here.
pub(crate) fn config() -> Config {
    Config::default().with_large_int("number")
}

/// The content of `ui/src/api/types.gen.ts`. The drift test in this crate fails when the
/// committed file differs: run `cargo xtask gen-types`.
pub fn typescript_bindings() -> String {
    let cfg = config();
    macro_rules! decls {
        ($($t:ty),* $(,)?) => { vec![$(<$t as TS>::decl(&cfg)),*] };
    }
    let decls = decls![
        serde_json::Value,
        ErrorCode,
        ApiError,
        NoParams,
        AppInfo,
        RecentProject,
        CreateProjectRequest,
        OpenProjectRequest,
        ProjectInfo,
        DatasetInfo,
        DatasetLocation,
        ConnectionInfo,
        AddDatasetRequest,
        DatasetRef,
        FingerprintRequest,
        DatasetFingerprint,
        JobRef,
        JobInfo,
        JobState,
        Progress,
        LogLevel,
        LogRecord,
        LogsRequest,
        AppEvent,
        assay_data::DataFormat,
        assay_data::CsvEncodingChoice,
        assay_data::CsvOptions,
        assay_data::CsvOverrides,
        assay_data::ColumnKind,
        assay_data::ColumnSchema,
        assay_data::SortKey,
        assay_data::FilterOp,
        assay_data::Filter,
        assay_data::PageQuery,
        assay_data::Page,
        DatasetSchema,
        DatasetPageRequest,
        SqlRequest,
        ProfileRequest,
        ProfileSummary,
        StoredProfileInfo,
        CompareRequest,
        ReportFormat,
        ExportReportRequest,
        ExportedReport,
        assay_profile::model::Profile,
        assay_profile::model::TableStats,
        assay_profile::model::SemanticHint,
        assay_profile::model::ColumnProfile,
        assay_profile::model::ValueCount,
        assay_profile::model::Histogram,
        assay_profile::model::Monotonicity,
        assay_profile::model::NumericStats,
        assay_profile::model::TextStats,
        assay_profile::model::TemporalStats,
        assay_profile::model::Correlations,
        assay_profile::model::CorrelationMatrix,
        assay_profile::model::Missingness,
        assay_profile::model::Duplicates,
        assay_profile::model::DuplicateExample,
        assay_profile::model::Samples,
        assay_profile::model::AlertKind,
        assay_profile::model::Alert,
        assay_profile::model::RunInfo,
        assay_profile::model::ProfileOptions,
        assay_profile::model::Thresholds,
        assay_profile::model::DriftReport,
        assay_profile::model::ColumnDrift,
        SuiteRef,
        SuiteInfo,
        SuiteDocument,
        SuiteTextRequest,
        RenderSuiteRequest,
        SuggestedSuite,
        QualityRunSummary,
        QualityRunRef,
        QualityRun,
        QualityHistory,
        RuleTrend,
        RulePoint,
        SuiteFormat,
        ImportSuiteRequest,
        ImportedSuite,
        ExportSuiteRequest,
        ExportedSuite,
        assay_quality::Suite,
        assay_quality::Diagnostic,
        assay_quality::Rule,
        assay_quality::Severity,
        assay_quality::Range,
        assay_quality::Literal,
        assay_quality::CmpOp,
        assay_quality::Stat,
        assay_quality::TypeName,
        assay_quality::Period,
        assay_quality::Check,
        assay_quality::Suggestion,
        assay_quality::NotConverted,
        assay_quality::SuiteResult,
        assay_quality::Totals,
        assay_quality::Status,
        assay_quality::Observed,
        assay_quality::RuleResult,
        assay_quality::FailingSample,
        assay_quality::SampleRow,
        DetectRequest,
        AnomalyRunRef,
        AnomalyRunsRequest,
        AnomalyRunSummary,
        ScoreHistogram,
        MemberSummary,
        AnomalyRun,
        AnomalyRowsRequest,
        ExplainRowRequest,
        TableFormat,
        ExportAnomaliesRequest,
        assay_anomaly::Method,
        assay_anomaly::MissingPolicy,
        assay_anomaly::DetectOptions,
        assay_anomaly::ThresholdRule,
        assay_anomaly::Threshold,
        assay_anomaly::Encoding,
        assay_anomaly::Feature,
        assay_anomaly::Direction,
        assay_anomaly::FeatureContribution,
        assay_anomaly::RowExplanation,
        assay_anomaly::Projection,
        assay_anomaly::RocPoint,
        assay_anomaly::Evaluation,
        assay_track::KeyValue,
        assay_track::LifecycleStage,
        assay_track::ViewType,
        assay_track::Experiment,
        assay_track::RunStatus,
        assay_track::RunInfo,
        assay_track::Metric,
        assay_track::RunData,
        assay_track::Dataset,
        assay_track::DatasetInput,
        assay_track::ModelInput,
        assay_track::ModelOutput,
        assay_track::RunInputs,
        assay_track::RunOutputs,
        assay_track::Run,
        assay_track::ModelAlias,
        assay_track::RegisteredModel,
        assay_track::ModelVersion,
        assay_track::FileInfo,
        assay_track::RunColumns,
        assay_track::RunRow,
        assay_track::RunsPage,
        assay_track::MetricSummary,
        assay_track::RunGroup,
        ListExperimentsRequest,
        CreateExperimentRequest,
        UpdateExperimentRequest,
        ExperimentIds,
        RunsQuery,
        RunsPageRequest,
        GroupRunsRequest,
        RunRef,
        RunIds,
        MetricHistoriesRequest,
        MetricSeries,
        RunArtifactsRequest,
        RunArtifacts,
        SaveArtifactsRequest,
        SavedArtifacts,
        ArtifactPreview,
        ListModelsRequest,
        ModelRef,
        ModelDetail,
        ModelVersionRef,
        ModelAliasRequest,
        ModelTagRequest,
        DescribeModelRequest,
        RegisterModelRequest,
        DatasetLineage,
        ModelLineage,
        TrainRequest,
        TrainResult,
        NamedValue,
        ScoreRequest,
        DatasetOptionsRequest,
        ConnectionKindDto,
        SaveConnectionRequest,
        SecretPlace,
        SecretStatus,
        ConnectionDetails,
        ConnectionRef,
        BrowseRequest,
        RemoteEntryInfo,
        BrowseResult,
        PreviewRemoteRequest,
        ConnectionTest,
        UploadRequest,
        UploadResult,
        RemoteMlflowRef,
        RemoteMlflowExperiments,
        RemoteMlflowRunsRequest,
        RemoteMlflowRunsPage,
        RemoteMlflowModelsRequest,
        RemoteMlflowModel,
        MlflowVersionRef,
        MlflowImportRequest,
        TransferredRun,
        TransferredVersion,
        MlflowTransferResult,
        MlflowPushRequest,
    ];
    let mut out = String::from(
        "// Generated by `cargo xtask gen-types` from crates/assay-app (dto.rs, api.rs). Do not edit.\n\n",
    );
    for d in decls {
        out.push_str("export ");
        out.push_str(d.trim());
        out.push_str("\n\n");
    }
    out.push_str(
        "/** Every API method: its request and response types. */\nexport interface ApiMethods {\n",
    );
    for m in methods() {
        out.push_str(&format!(
            "  /** {} */\n  {}: {{ request: {}; response: {} }};\n",
            m.doc, m.name, m.request, m.response
        ));
    }
    out.push_str(
        "}\n\n/** Every API method name, in table order. */\nexport const API_METHODS = [\n",
    );
    for m in methods() {
        out.push_str(&format!("  \"{}\",\n", m.name));
    }
    out.push_str("] as const;\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMMITTED: &str = "../../ui/src/api/types.gen.ts";

    /// Also the generator: with ASSAY_UPDATE_BINDINGS set (`cargo xtask gen-types`) it writes
    /// the file instead of comparing.
    #[test]
    fn committed_bindings_are_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(COMMITTED);
        if std::env::var_os("ASSAY_UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, typescript_bindings()).expect("write the bindings");
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == typescript_bindings(),
            "{} is stale: run `cargo xtask gen-types` and commit the result",
            path.display()
        );
    }

    #[test]
    fn every_method_is_in_the_bindings() {
        let ts = typescript_bindings();
        for m in methods() {
            assert!(
                ts.contains(&format!("  {}: {{ request:", m.name)),
                "{}",
                m.name
            );
        }
        assert!(ts.contains("export type JobState ="));
    }
}
