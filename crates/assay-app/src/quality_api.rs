//! Quality rules in a project: the suite files under `rules/` (listed, read, checked, saved,
//! suggested from a profile, imported from and exported to Great Expectations and SodaCL), runs
//! as jobs whose results and per-rule outcomes go into the project store, and the history that
//! trend charts and `change` rules read. Also `check_file`, the CLI's `assay check`.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use assay_data::Source;
use assay_profile::ProfileOptions;
use assay_project::{Project, QualityRunRow, RuleOutcomeRow, StoredQualityRun};
use assay_quality::{
    Check, Diagnostic, QualityError, RunOptions, Status, Suite, SuiteResult, Totals,
};
use polars::prelude::LazyFrame;

use crate::data_api::{blocking, profile_cached, source_of};
use crate::dto::*;
use crate::report_api::{file_stem, write_report};
use crate::{ApiError, Assay, JobContext};

/// Failing rows kept per rule in a stored run.
const SAMPLE_ROWS: usize = 25;
/// Past runs read for trends and `change` rules.
const HISTORY_RUNS: usize = 200;

impl From<QualityError> for ApiError {
    fn from(e: QualityError) -> Self {
        match e {
            QualityError::Cancelled => ApiError::cancelled(),
            other => ApiError::invalid(other.to_string()),
        }
    }
}

impl Assay {
    /// The suite files of the project, by name.
    pub async fn list_suites(&self, _: NoParams) -> Result<Vec<SuiteInfo>, ApiError> {
        let project = self.project()?;
        blocking(move || list(&project)).await
    }

    /// A suite file's text and meaning.
    pub async fn get_suite(&self, req: SuiteRef) -> Result<SuiteDocument, ApiError> {
        let project = self.project()?;
        let path = suite_path(&project, &req.file)?;
        let text = std::fs::read_to_string(&path)
            .map_err(|e| ApiError::from_io(&e, &format!("reading {}", req.file)))?;
        Ok(document(&req.file, text))
    }

    /// Parses suite text without saving it (the YAML editor's live check).
    pub async fn check_suite_text(&self, req: SuiteTextRequest) -> Result<SuiteDocument, ApiError> {
        Ok(document(&req.file, req.text))
    }

    /// Writes a suite edited in the rule builder as YAML (not saved).
    pub async fn render_suite(&self, req: RenderSuiteRequest) -> Result<SuiteDocument, ApiError> {
        let text = assay_quality::to_yaml(&req.suite, &[]);
        Ok(document(&req.file, text))
    }

    /// Saves suite text to its file (atomically), whatever problems it has: they are returned.
    pub async fn save_suite(&self, req: SuiteTextRequest) -> Result<SuiteDocument, ApiError> {
        let project = self.project()?;
        let path = suite_path(&project, &req.file)?;
        project.write_file(&path, req.text.as_bytes())?;
        tracing::info!(file = %req.file, "suite saved");
        Ok(document(&req.file, req.text))
    }

    /// Starts suggesting a suite from a data set's profile; the job's result is a SuggestedSuite.
    pub async fn start_suggest_suite(&self, req: DatasetRef) -> Result<JobRef, ApiError> {
        let project = self.project()?;
        source_of(&project, &req.name)?;
        let title = format!("Suggest rules for {}", req.name);
        let info = self.jobs().spawn(
            "suggest",
            &title,
            Some(crate::service::store_observer(project.clone())),
            move |ctx| suggest(&project, &req.name, ctx),
        );
        Ok(JobRef { id: info.id })
    }

    /// Starts running a suite; the job's result is a QualityRun, also kept in the store.
    pub async fn start_quality_run(&self, req: SuiteRef) -> Result<JobRef, ApiError> {
        let project = self.project()?;
        suite_path(&project, &req.file)?;
        let title = format!("Check {}", req.file);
        let info = self.jobs().spawn(
            "quality",
            &title,
            Some(crate::service::store_observer(project.clone())),
            move |ctx| run_suite(&project, &req.file, ctx),
        );
        Ok(JobRef { id: info.id })
    }

    /// One stored quality run in full.
    pub async fn get_quality_run(&self, req: QualityRunRef) -> Result<QualityRun, ApiError> {
        let project = self.project()?;
        let text = project
            .store()
            .quality_run_document(&req.id)?
            .ok_or_else(|| ApiError::not_found(format!("no quality run '{}'", req.id)))?;
        let run: QualityRun = serde_json::from_str(&text).map_err(|e| {
            ApiError::invalid(format!(
                "stored quality run '{}' is unreadable: {e}",
                req.id
            ))
        })?;
        Ok(run)
    }

    /// The runs of a suite and each rule's trend, oldest first.
    pub async fn quality_history(&self, req: SuiteRef) -> Result<QualityHistory, ApiError> {
        let project = self.project()?;
        let store = project.store();
        let runs = store.quality_runs(&req.file, HISTORY_RUNS)?;
        let outcomes = store.quality_rule_outcomes(&req.file, HISTORY_RUNS)?;
        Ok(QualityHistory {
            runs: runs.into_iter().map(summary_of).collect(),
            rules: trends(outcomes),
        })
    }

    /// Converts a Great Expectations or SodaCL file into a suite (not yet saved).
    pub async fn import_suite(&self, req: ImportSuiteRequest) -> Result<ImportedSuite, ApiError> {
        let project = self.project()?;
        let imported = match req.format {
            SuiteFormat::Gx => assay_quality::gx::import(&req.text, &req.source_name)?,
            SuiteFormat::Soda => assay_quality::soda::import(&req.text, &req.source_name)?,
        };
        let mut suite = imported.suite;
        if let Some(dataset) = req.dataset.filter(|d| !d.trim().is_empty()) {
            suite.dataset = dataset;
        }
        let file = free_file(&project, &stem_of(&req.source_name));
        let text = assay_quality::to_yaml(&suite, &[]);
        Ok(ImportedSuite {
            document: document(&file, text),
            not_converted: imported.not_converted,
        })
    }

    /// Writes a suite in Great Expectations (JSON) or SodaCL (YAML) form.
    pub async fn export_suite(&self, req: ExportSuiteRequest) -> Result<ExportedSuite, ApiError> {
        let project = self.project()?;
        let path = suite_path(&project, &req.file)?;
        let suite = assay_quality::load_suite(&path)?;
        let (exported, ext) = match req.format {
            SuiteFormat::Gx => (assay_quality::gx::export(&suite), "gx.json"),
            SuiteFormat::Soda => (assay_quality::soda::export(&suite), "soda.yaml"),
        };
        Ok(ExportedSuite {
            file_name: format!("{}.{ext}", stem_of(&req.file)),
            text: exported.text,
            not_converted: exported.not_converted,
        })
    }

    /// Writes a stored run as a standalone HTML report into `reports/`.
    pub async fn export_quality_report(
        &self,
        req: QualityRunRef,
    ) -> Result<ExportedReport, ApiError> {
        let project = self.project()?;
        let run = self.get_quality_run(req).await?;
        let html = assay_report::quality_html(&run.result);
        let relative = format!("reports/{}-check.html", stem_of(&run.summary.file));
        write_report(&project, relative, html.as_bytes())
    }
}

/// The suite files under `rules/`, sorted by name.
fn list(project: &Project) -> Result<Vec<SuiteInfo>, ApiError> {
    let dir = project.layout().rules();
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(ApiError::from_io(&e, "listing rules/")),
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| is_yaml(n))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| info(project, &format!("rules/{name}")))
        .collect()
}

fn info(project: &Project, file: &str) -> Result<SuiteInfo, ApiError> {
    let text = std::fs::read_to_string(project.root().join(file))
        .map_err(|e| ApiError::from_io(&e, &format!("reading {file}")))?;
    let doc = document(file, text);
    let last_run = project.store().latest_quality_run(file)?.map(summary_of);
    Ok(SuiteInfo {
        file: file.to_string(),
        dataset: doc.suite.as_ref().map(|s| s.dataset.clone()),
        description: doc.suite.as_ref().and_then(|s| s.description.clone()),
        rules: doc.suite.as_ref().map_or(0, |s| s.rules.len() as u32),
        problems: doc.diagnostics.len() as u32,
        last_run,
    })
}

/// The text with its parse: the suite and its invalid rules, or the one error that stops it.
fn document(file: &str, text: String) -> SuiteDocument {
    match assay_quality::parse_suite(&text, file) {
        Ok(suite) => SuiteDocument {
            file: file.to_string(),
            diagnostics: suite.invalid.clone(),
            suite: Some(suite),
            text,
        },
        Err(e) => SuiteDocument {
            file: file.to_string(),
            diagnostics: vec![diagnostic_of(file, &e)],
            suite: None,
            text,
        },
    }
}

fn diagnostic_of(file: &str, e: &QualityError) -> Diagnostic {
    let (line, rule, message) = match e {
        QualityError::Syntax {
            line,
            near,
            message,
            what,
            column,
            ..
        } => (
            *line,
            near.clone().unwrap_or_else(|| "suite".into()),
            format!("{what} syntax error at column {column}: {message}"),
        ),
        QualityError::Shape { line, message, .. } => (*line, "suite".into(), message.clone()),
        other => (0, "suite".into(), other.to_string()),
    };
    Diagnostic {
        file: file.to_string(),
        line: u32::try_from(line).unwrap_or(u32::MAX),
        rule,
        message,
    }
}

/// The absolute path of a suite file, which must be a `.yaml`/`.yml` file inside `rules/`.
fn suite_path(project: &Project, file: &str) -> Result<PathBuf, ApiError> {
    let relative = Path::new(file);
    let mut parts = relative.components();
    let inside = matches!(parts.next(), Some(Component::Normal(first)) if first == "rules")
        && parts.clone().count() > 0
        && parts.all(|c| matches!(c, Component::Normal(_)));
    if !inside || !is_yaml(file) {
        return Err(ApiError::invalid(format!(
            "'{file}' is not a suite file: suites are .yaml files inside rules/"
        ))
        .with_details(serde_json::json!({ "field": "file" })));
    }
    Ok(project.root().join(relative))
}

fn is_yaml(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml")
}

/// The file name without folders and extensions (`rules/flights.yaml` -> `flights`).
fn stem_of(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = file_stem(base.split('.').next().unwrap_or(base));
    if stem.is_empty() {
        "suite".into()
    } else {
        stem
    }
}

/// `rules/<stem>.yaml`, or `rules/<stem>-2.yaml`, ... when taken: suggestions and imports
/// never overwrite a user's file.
fn free_file(project: &Project, stem: &str) -> String {
    (1..)
        .map(|i| match i {
            1 => format!("rules/{stem}.yaml"),
            n => format!("rules/{stem}-{n}.yaml"),
        })
        .find(|f| !project.root().join(f).exists())
        .unwrap_or_else(|| format!("rules/{stem}.yaml"))
}

fn suggest(
    project: &Arc<Project>,
    dataset: &str,
    ctx: &JobContext,
) -> Result<SuggestedSuite, ApiError> {
    let source = source_of(project, dataset)?;
    let fresh = profile_cached(
        project,
        dataset,
        &source,
        &ProfileOptions::default(),
        false,
        ctx,
    )?;
    let file = free_file(project, &stem_of(dataset));
    let (suite, suggestions) = assay_quality::suggest(
        &fresh.profile,
        dataset,
        &file,
        &assay_quality::SuggestOptions::default(),
    );
    let text = assay_quality::to_yaml(&suite, &suggestions);
    Ok(SuggestedSuite {
        document: document(&file, text),
        suggestions,
    })
}

fn run_suite(project: &Arc<Project>, file: &str, ctx: &JobContext) -> Result<QualityRun, ApiError> {
    let suite = assay_quality::load_suite(&suite_path(project, file)?)?;
    let suite = Suite {
        file: file.to_string(),
        ..suite
    };
    let source = source_of(project, &suite.dataset).map_err(|e| {
        ApiError::invalid(format!(
            "{file}: data set `{}`: {}",
            suite.dataset, e.message
        ))
    })?;
    let (frame, _) = assay_data::scan(&source)?;
    let options = RunOptions {
        sample_rows: SAMPLE_ROWS,
        history: past_values(project, file, &suite)?,
        ..RunOptions::default()
    };
    let resolver = |name: &str| dataset_frame(project, name);
    let result = assay_quality::run(&suite, frame, &resolver, &options, &|done| {
        ctx.progress(Progress {
            done,
            total: Some(1.0),
            unit: "fraction".into(),
            message: "checking rules".into(),
        });
        !ctx.is_cancelled()
    })?;
    let fingerprint = crate::service::dataset_fingerprint(project, &suite.dataset);
    let run = QualityRun {
        summary: summary_from(ctx.id(), file, &result),
        result,
    };
    store_run(project, &run, fingerprint)?;
    Ok(run)
}

/// Past observed values of each `change` rule of the suite, oldest first.
fn past_values(
    project: &Project,
    file: &str,
    suite: &Suite,
) -> Result<BTreeMap<String, Vec<f64>>, ApiError> {
    let wanted: Vec<&str> = suite
        .rules
        .iter()
        .filter(|r| matches!(r.check, Check::Change { .. }))
        .map(|r| r.id.as_str())
        .collect();
    if wanted.is_empty() {
        return Ok(BTreeMap::new());
    }
    let mut history: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for o in project.store().quality_rule_outcomes(file, HISTORY_RUNS)? {
        if let (true, Some(x)) = (wanted.contains(&o.rule_id.as_str()), o.observed) {
            history.entry(o.rule_id).or_default().push(x);
        }
    }
    Ok(history)
}

fn dataset_frame(project: &Project, name: &str) -> Result<LazyFrame, String> {
    let source = source_of(project, name).map_err(|e| e.message)?;
    assay_data::scan(&source)
        .map(|(lf, _)| lf)
        .map_err(|e| e.to_string())
}

fn summary_from(id: &str, file: &str, result: &SuiteResult) -> QualityRunSummary {
    QualityRunSummary {
        id: id.to_string(),
        file: file.to_string(),
        dataset: result.dataset.clone(),
        started_at: result
            .started_at
            .parse()
            .unwrap_or_else(|_| chrono::Utc::now()),
        rows: result.rows,
        totals: result.totals,
        elapsed_ms: result.elapsed_ms,
    }
}

fn store_run(
    project: &Project,
    run: &QualityRun,
    fingerprint: Option<String>,
) -> Result<(), ApiError> {
    let s = &run.summary;
    let t = s.totals;
    let rules = run
        .result
        .rules
        .iter()
        .map(|r| RuleOutcomeRow {
            run_id: s.id.clone(),
            started_at: s.started_at,
            rule_id: r.id.clone(),
            status: status_name(r.status).to_string(),
            observed: r.observed.as_ref().and_then(|o| o.as_f64()),
            failing_count: r.failing_count,
        })
        .collect();
    let document = serde_json::to_string(run)
        .map_err(|e| ApiError::new(crate::ErrorCode::Internal, e.to_string()))?;
    project.store().put_quality_run(&StoredQualityRun {
        summary: QualityRunRow {
            id: s.id.clone(),
            suite: s.file.clone(),
            dataset: s.dataset.clone(),
            started_at: s.started_at,
            rows: s.rows,
            counts: [t.passed, t.failed, t.warned, t.errors, t.skipped],
            elapsed_ms: s.elapsed_ms,
        },
        fingerprint,
        document,
        rules,
    })?;
    Ok(())
}

fn summary_of(row: QualityRunRow) -> QualityRunSummary {
    let [passed, failed, warned, errors, skipped] = row.counts;
    QualityRunSummary {
        id: row.id,
        file: row.suite,
        dataset: row.dataset,
        started_at: row.started_at,
        rows: row.rows,
        totals: Totals {
            passed,
            failed,
            warned,
            errors,
            skipped,
        },
        elapsed_ms: row.elapsed_ms,
    }
}

fn status_name(status: Status) -> &'static str {
    match status {
        Status::Passed => "passed",
        Status::Failed => "failed",
        Status::Warned => "warned",
        Status::Error => "error",
        Status::Skipped => "skipped",
    }
}

fn status_from(name: &str) -> Status {
    match name {
        "passed" => Status::Passed,
        "failed" => Status::Failed,
        "warned" => Status::Warned,
        "skipped" => Status::Skipped,
        _ => Status::Error,
    }
}

/// Groups rule outcomes (oldest first) into one trend per rule, in first-seen order.
fn trends(outcomes: Vec<RuleOutcomeRow>) -> Vec<RuleTrend> {
    let mut order: Vec<String> = Vec::new();
    let mut by_rule: BTreeMap<String, Vec<RulePoint>> = BTreeMap::new();
    for o in outcomes {
        if !by_rule.contains_key(&o.rule_id) {
            order.push(o.rule_id.clone());
        }
        by_rule.entry(o.rule_id).or_default().push(RulePoint {
            run: o.run_id,
            started_at: o.started_at,
            status: status_from(&o.status),
            observed: o.observed,
            failing_count: o.failing_count,
        });
    }
    order
        .into_iter()
        .map(|rule| RuleTrend {
            points: by_rule.remove(&rule).unwrap_or_default(),
            rule,
        })
        .collect()
}

/// Runs the suite in `suite_path` against `data` (a file), or else the data set the suite
/// names: a data set of the project that holds the suite, or a path relative to the suite.
/// Inside a project (and without `data`), `change` rules read the suite's past runs and the
/// run is recorded in the project's store.
pub fn check_file(suite_path: &Path, data: Option<&str>) -> Result<SuiteResult, ApiError> {
    let suite = assay_quality::load_suite(suite_path)?;
    let project = project_of(suite_path);
    let base = suite_path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let resolve = |name: &str| lazy(project.as_ref(), &base, name);
    let frame = match data {
        Some(path) => lazy(None, Path::new("."), path),
        None => resolve(&suite.dataset),
    }
    .map_err(|message| {
        ApiError::invalid(format!(
            "{}: data set `{}`: {message}",
            suite.file, suite.dataset
        ))
    })?;
    let key = match data {
        None => project.as_ref().and_then(|p| key_in(p, suite_path)),
        Some(_) => None,
    };
    let history = match (&project, &key) {
        (Some(p), Some(key)) => past_values(p, key, &suite)?,
        _ => BTreeMap::new(),
    };
    let options = RunOptions {
        history,
        ..RunOptions::default()
    };
    let resolver = |name: &str| resolve(name);
    let result = assay_quality::run(&suite, frame, &resolver, &options, &|_| true)?;
    if let (Some(p), Some(key)) = (&project, &key) {
        let run = QualityRun {
            summary: summary_from(&uuid::Uuid::new_v4().to_string(), key, &result),
            result,
        };
        let fingerprint = crate::service::dataset_fingerprint(p, &suite.dataset);
        store_run(p, &run, fingerprint)?;
        return Ok(run.result);
    }
    Ok(result)
}

/// The suite's path relative to the project folder, with `/` separators (its history key).
fn key_in(project: &Project, suite_path: &Path) -> Option<String> {
    let full = std::fs::canonicalize(suite_path).ok()?;
    let root = std::fs::canonicalize(project.root()).ok()?;
    let relative = full.strip_prefix(root).ok()?;
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

/// The project folder above `path`, if any.
fn project_of(path: &Path) -> Option<Project> {
    let start = std::fs::canonicalize(path).ok()?;
    start
        .ancestors()
        .skip(1)
        .find(|dir| dir.join("assay.toml").is_file())
        .and_then(|dir| Project::open(dir).ok())
}

fn lazy(project: Option<&Project>, base: &Path, name: &str) -> Result<LazyFrame, String> {
    let location = project
        .and_then(|p| {
            let spec = p.manifest().datasets.into_iter().find(|d| d.name == name)?;
            Some(p.resolve(&spec))
        })
        .unwrap_or_else(|| relative(base, name));
    let location = location.display().to_string();
    let source = Source::from_path(&location).ok_or_else(|| {
        format!("`{name}` is neither a data set of the project nor a data file ({location})")
    })?;
    if !Path::new(&location).exists() && !location.contains("://") {
        return Err(format!("file not found: {location}"));
    }
    assay_data::scan(&source)
        .map(|(lf, _)| lf)
        .map_err(|e| e.to_string())
}

fn relative(base: &Path, name: &str) -> PathBuf {
    let p = Path::new(name);
    if p.is_absolute() || name.contains("://") || p.exists() {
        p.to_path_buf()
    } else {
        base.join(p)
    }
}
