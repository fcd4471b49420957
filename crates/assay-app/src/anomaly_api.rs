//! Anomaly detection: detections run as jobs over a project's data set and are kept in the
//! project (summary in the store, per-row scores in `.assay/anomaly/<id>.parquet`); flagged rows
//! are paged from the data joined with the scores, rows are explained on demand and scored rows
//! are exported. Also the CLI's `assay detect` (`detect_file`, `write_scores`).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use assay_anomaly::{AnomalyError, DetectOptions, Detection, Explainer, RowExplanation};
use assay_data::{Page, PageQuery, Source};
use assay_project::{Project, StoredAnomalyRun};
use polars::prelude::*;

use crate::data_api::{blocking, source_of};
use crate::dto::*;
use crate::report_api::write_report;
use crate::{ApiError, Assay, ErrorCode, JobContext};

/// Bins of the score histogram.
const BINS: usize = 60;
/// Explainers kept in memory (each holds its feature matrix).
const KEPT_EXPLAINERS: usize = 2;

impl From<AnomalyError> for ApiError {
    fn from(e: AnomalyError) -> Self {
        match e {
            AnomalyError::Cancelled => ApiError::cancelled(),
            AnomalyError::Engine(m) => ApiError::new(ErrorCode::Internal, m.to_string()),
            other => ApiError::invalid(other.to_string()),
        }
    }
}

/// The explainers of the newest detections of this session, newest last.
#[derive(Default)]
pub(crate) struct Explainers(Mutex<Vec<(String, Arc<Explainer>)>>);

impl std::fmt::Debug for Explainers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Explainers")
    }
}

impl Explainers {
    fn get(&self, id: &str) -> Option<Arc<Explainer>> {
        let kept = self.0.lock().unwrap_or_else(|p| p.into_inner());
        kept.iter().find(|(k, _)| k == id).map(|(_, e)| e.clone())
    }

    fn keep(&self, id: &str, explainer: Arc<Explainer>) {
        let mut kept = self.0.lock().unwrap_or_else(|p| p.into_inner());
        kept.retain(|(k, _)| k != id);
        kept.push((id.to_string(), explainer));
        let excess = kept.len().saturating_sub(KEPT_EXPLAINERS);
        kept.drain(..excess);
    }
}

impl Assay {
    /// Starts scoring a data set's rows; the job's result is an AnomalyRun, kept in the project.
    pub async fn start_detect(&self, req: DetectRequest) -> Result<JobRef, ApiError> {
        let project = self.project()?;
        source_of(&project, &req.dataset)?;
        let options = req.options.unwrap_or_default();
        let title = format!(
            "Detect anomalies in {} ({})",
            req.dataset,
            options.method.name()
        );
        let explainers = self.explainers().clone();
        let info = self.jobs().spawn(
            "anomaly",
            &title,
            Some(crate::service::store_observer(project.clone())),
            move |ctx| {
                let (run, explainer) = detect_dataset(&project, &req.dataset, &options, ctx)?;
                explainers.keep(&run.summary.id, Arc::new(explainer));
                Ok(run)
            },
        );
        Ok(JobRef { id: info.id })
    }

    /// The stored detections, newest first.
    pub async fn list_anomaly_runs(
        &self,
        req: AnomalyRunsRequest,
    ) -> Result<Vec<AnomalyRunSummary>, ApiError> {
        let project = self.project()?;
        let runs = project.store().anomaly_runs(req.dataset.as_deref(), 100)?;
        Ok(runs.into_iter().map(summary_of).collect())
    }

    /// One stored detection.
    pub async fn get_anomaly_run(&self, req: AnomalyRunRef) -> Result<AnomalyRun, ApiError> {
        let project = self.project()?;
        stored_run(&project, &req.id)
    }

    /// Rows at or above a score, highest first, with their scores and every column.
    pub async fn anomaly_rows(&self, req: AnomalyRowsRequest) -> Result<Page, ApiError> {
        let project = self.project()?;
        blocking(move || {
            let run = stored_run(&project, &req.id)?;
            let mut lf = scored_rows(&project, &run, Some(req.threshold))?;
            if let Some(rows) = req.rows {
                let rows = Series::new("rows".into(), rows);
                lf = lf.filter(col("row").is_in(lit(rows).implode(true), false));
            }
            let query = PageQuery {
                offset: req.offset,
                limit: req.limit,
                sort: Vec::new(),
                filters: Vec::new(),
                search: None,
            };
            Ok(assay_data::page(lf, &query)?)
        })
        .await
    }

    /// Which features make a scored row unusual.
    pub async fn explain_row(&self, req: ExplainRowRequest) -> Result<RowExplanation, ApiError> {
        let project = self.project()?;
        let run = stored_run(&project, &req.id)?;
        let score = row_score(&project, &run, req.row)?;
        let explainer = match self.explainers().get(&req.id) {
            Some(e) => e,
            None => {
                let explainer = blocking(move || rebuild_explainer(&project, &run)).await?;
                self.explainers().keep(&req.id, explainer.clone());
                explainer
            }
        };
        Ok(RowExplanation {
            row: req.row,
            score,
            contributions: explainer.explain(req.row)?,
        })
    }

    /// Writes scored rows (all, or those at or above a score) into `reports/`.
    pub async fn export_anomalies(
        &self,
        req: ExportAnomaliesRequest,
    ) -> Result<ExportedReport, ApiError> {
        let project = self.project()?;
        blocking(move || {
            let run = stored_run(&project, &req.id)?;
            let mut df = scored_rows(&project, &run, req.threshold)?
                .collect()
                .map_err(engine)?;
            let what = if req.threshold.is_some() {
                "anomalies"
            } else {
                "scores"
            };
            let relative = format!(
                "reports/{}-{what}.{}",
                run.summary.dataset,
                extension(req.format)
            );
            write_report(&project, relative, &encode(&mut df, req.format)?)
        })
        .await
    }
}

pub(crate) fn extension(format: TableFormat) -> &'static str {
    match format {
        TableFormat::Csv => "csv",
        TableFormat::Parquet => "parquet",
    }
}

pub(crate) fn engine(e: PolarsError) -> ApiError {
    ApiError::new(ErrorCode::Internal, format!("anomaly scores: {e}"))
}

fn scores_path(project: &Project, id: &str) -> PathBuf {
    project
        .layout()
        .anomaly_runs()
        .join(format!("{id}.parquet"))
}

fn detect_dataset(
    project: &Arc<Project>,
    dataset: &str,
    options: &DetectOptions,
    ctx: &JobContext,
) -> Result<(AnomalyRun, Explainer), ApiError> {
    let source = source_of(project, dataset)?;
    let (lf, _) = assay_data::scan(&source)?;
    let progress = |done: f64| {
        ctx.progress(Progress {
            done,
            total: Some(1.0),
            unit: "fraction".into(),
            message: "scoring rows".into(),
        });
        !ctx.is_cancelled()
    };
    let (detection, explainer) = assay_anomaly::detect(lf, options, &progress)?;
    let run = summarize(ctx.id(), dataset, options, &detection);
    save_scores(project, ctx.id(), &detection)?;
    project.store().put_anomaly_run(&StoredAnomalyRun {
        id: run.summary.id.clone(),
        dataset: dataset.to_string(),
        method: run.summary.method.clone(),
        created_at: run.summary.created_at,
        fingerprint: crate::service::dataset_fingerprint(project, dataset),
        scored_rows: run.summary.scored_rows,
        roc_auc: run.summary.roc_auc,
        document: serde_json::to_string(&run)
            .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?,
    })?;
    Ok((run, explainer))
}

/// The explorer's view of a detection (no per-row scores).
fn summarize(id: &str, dataset: &str, options: &DetectOptions, d: &Detection) -> AnomalyRun {
    let score_of = |row: u64| {
        d.row_index
            .binary_search(&row)
            .map(|i| d.scores[i])
            .unwrap_or(f64::NAN)
    };
    AnomalyRun {
        summary: AnomalyRunSummary {
            id: id.to_string(),
            dataset: dataset.to_string(),
            method: d.method.name().to_string(),
            created_at: chrono::Utc::now(),
            scored_rows: d.scores.len() as u64,
            roc_auc: d.evaluation.as_ref().map(|e| e.roc_auc),
        },
        options: options.clone(),
        table_rows: d.table_rows,
        features: d.features.clone(),
        notes: d.notes.clone(),
        thresholds: d.thresholds.clone(),
        histogram: histogram(&d.scores),
        members: d
            .members
            .iter()
            .map(|m| MemberSummary {
                method: m.method,
                seconds: m.seconds,
                roc_auc: m.roc_auc,
            })
            .collect(),
        top: d.top.clone(),
        projection_scores: d
            .projection
            .row_index
            .iter()
            .map(|&r| score_of(r))
            .collect(),
        projection: d.projection.clone(),
        evaluation: d.evaluation.clone(),
        seconds: d.seconds,
    }
}

/// Equal-width bins over the finite scores.
pub fn histogram(scores: &[f64]) -> ScoreHistogram {
    let finite = scores.iter().copied().filter(|s| s.is_finite());
    let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), s| {
        (lo.min(s), hi.max(s))
    });
    if !lo.is_finite() {
        return ScoreHistogram {
            edges: Vec::new(),
            counts: Vec::new(),
        };
    }
    let width = if hi > lo {
        (hi - lo) / BINS as f64
    } else {
        1.0
    };
    let mut counts = vec![0u64; BINS];
    for s in scores.iter().filter(|s| s.is_finite()) {
        let bin = (((s - lo) / width) as usize).min(BINS - 1);
        counts[bin] += 1;
    }
    ScoreHistogram {
        edges: (0..=BINS).map(|i| lo + width * i as f64).collect(),
        counts,
    }
}

fn save_scores(project: &Project, id: &str, d: &Detection) -> Result<(), ApiError> {
    let mut df = DataFrame::new(
        d.row_index.len(),
        vec![
            Column::new("row".into(), &d.row_index),
            Column::new("anomaly_score".into(), &d.scores),
            Column::new("anomaly_score_normalized".into(), &d.normalized),
        ],
    )
    .map_err(engine)?;
    let bytes = encode(&mut df, TableFormat::Parquet)?;
    project.write_file(&scores_path(project, id), &bytes)?;
    Ok(())
}

pub(crate) fn encode(df: &mut DataFrame, format: TableFormat) -> Result<Vec<u8>, ApiError> {
    let mut bytes = Vec::new();
    match format {
        TableFormat::Csv => CsvWriter::new(&mut bytes).finish(df).map_err(engine)?,
        TableFormat::Parquet => {
            ParquetWriter::new(&mut bytes).finish(df).map_err(engine)?;
        }
    }
    Ok(bytes)
}

fn stored_run(project: &Project, id: &str) -> Result<AnomalyRun, ApiError> {
    let stored = project
        .store()
        .anomaly_run(id)?
        .ok_or_else(|| ApiError::not_found(format!("no anomaly detection '{id}'")))?;
    serde_json::from_str(&stored.document).map_err(|e| {
        ApiError::invalid(format!(
            "stored anomaly detection '{id}' is unreadable: {e}"
        ))
    })
}

fn scores_frame(project: &Project, id: &str) -> Result<LazyFrame, ApiError> {
    let path = scores_path(project, id);
    if !path.is_file() {
        return Err(ApiError::not_found(format!(
            "the scores of detection '{id}' are missing ({})",
            path.display()
        )));
    }
    let (lf, _) = assay_data::scan(&source(&path.display().to_string())?)?;
    Ok(lf)
}

/// The data set's rows joined with their scores (at or above `threshold`), highest first.
fn scored_rows(
    project: &Project,
    run: &AnomalyRun,
    threshold: Option<f64>,
) -> Result<LazyFrame, ApiError> {
    let mut scores = scores_frame(project, &run.summary.id)?;
    if let Some(t) = threshold {
        scores = scores.filter(col("anomaly_score").gt_eq(lit(t)));
    }
    let source = source_of(project, &run.summary.dataset)?;
    let (data, _) = assay_data::scan(&source)?;
    let data = data
        .with_row_index("row", None)
        .with_column(col("row").cast(DataType::UInt64));
    let scores = scores.with_column(col("row").cast(DataType::UInt64));
    Ok(scores
        .join(
            data,
            [col("row")],
            [col("row")],
            JoinArgs::new(JoinType::Inner),
        )
        .sort(
            ["anomaly_score"],
            SortMultipleOptions::default().with_order_descending(true),
        ))
}

fn row_score(project: &Project, run: &AnomalyRun, row: u64) -> Result<f64, ApiError> {
    let df = scores_frame(project, &run.summary.id)?
        .filter(col("row").cast(DataType::UInt64).eq(lit(row)))
        .select([col("anomaly_score")])
        .collect()
        .map_err(engine)?;
    df.column("anomaly_score")
        .ok()
        .and_then(|c| c.f64().ok()?.get(0))
        .ok_or_else(|| ApiError::not_found(format!("row {row} was not scored in this detection")))
}

/// Runs the detection again (same options and seed: the same scores) to explain rows of a
/// detection from an earlier session.
fn rebuild_explainer(project: &Project, run: &AnomalyRun) -> Result<Arc<Explainer>, ApiError> {
    let source = source_of(project, &run.summary.dataset)?;
    let (lf, _) = assay_data::scan(&source)?;
    let (_, explainer) = assay_anomaly::detect(lf, &run.options, &assay_anomaly::no_progress)?;
    Ok(Arc::new(explainer))
}

fn summary_of(run: StoredAnomalyRun) -> AnomalyRunSummary {
    AnomalyRunSummary {
        id: run.id,
        dataset: run.dataset,
        method: run.method,
        created_at: run.created_at,
        scored_rows: run.scored_rows,
        roc_auc: run.roc_auc,
    }
}

/// Scores the rows of the file at `location` with `options`.
pub fn detect_file(location: &str, options: &DetectOptions) -> Result<Detection, ApiError> {
    let (lf, _) = assay_data::scan(&source(location)?)?;
    let (detection, _) = assay_anomaly::detect(lf, options, &assay_anomaly::no_progress)?;
    Ok(detection)
}

/// Writes the scored rows of `location` with `anomaly_score` and `anomaly_score_normalized`
/// columns to `out` (Parquet, or CSV for `.csv`).
pub fn write_scores(location: &str, detection: &Detection, out: &Path) -> Result<u64, ApiError> {
    let (lf, _) = assay_data::scan(&source(location)?)?;
    let rows: Vec<IdxSize> = detection.row_index.iter().map(|&r| r as IdxSize).collect();
    let mut df = lf
        .with_row_index("row", None)
        .filter(col("row").is_in(lit(Series::new("rows".into(), rows)).implode(true), false))
        .collect()
        .map_err(engine)?;
    df.with_column(Column::new("anomaly_score".into(), &detection.scores))
        .map_err(engine)?;
    df.with_column(Column::new(
        "anomaly_score_normalized".into(),
        &detection.normalized,
    ))
    .map_err(engine)?;
    let csv = out
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let format = if csv {
        TableFormat::Csv
    } else {
        TableFormat::Parquet
    };
    let bytes = encode(&mut df, format)?;
    assay_project::write_atomic(out, &bytes)?;
    Ok(df.height() as u64)
}

fn source(location: &str) -> Result<Source, ApiError> {
    Source::from_path(location).ok_or_else(|| {
        ApiError::invalid(format!(
            "cannot tell the format of '{location}': use a .csv, .tsv, .parquet, .json, .ndjson or .arrow file"
        ))
    })
}
