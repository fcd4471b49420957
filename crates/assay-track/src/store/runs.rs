//! Runs: create, read, update, delete and restore; log metrics, parameters, tags, inputs and
//! outputs; read metric histories.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::experiments::{experiment_key, require_active};
use super::rows::{METRIC_COLUMNS, RUN_COLUMNS, load_runs, map_metric, map_run_info};
use super::{TrackStore, now_ms};
use crate::error::{Result, TrackError};
use crate::model::*;
use crate::validate;

/// The tag MLflow keeps a run's name in.
pub const RUN_NAME_TAG: &str = "mlflow.runName";

/// How much one batch may carry: MLflow's limits.
#[derive(Debug, Clone, Copy)]
pub struct BatchLimits;

impl BatchLimits {
    /// Most metric points per batch.
    pub const METRICS: usize = 1000;
    /// Most parameters and tags together per batch.
    pub const PARAMS_AND_TAGS: usize = 100;
    /// Most entities of any kind per batch.
    pub const TOTAL: usize = 1000;
}

/// Metrics, parameters and tags written to a run in one transaction.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogBatch {
    /// Metric points.
    pub metrics: Vec<Metric>,
    /// Parameters (write-once per key).
    pub params: Vec<KeyValue>,
    /// Tags (last write wins).
    pub tags: Vec<KeyValue>,
}

impl LogBatch {
    fn validate(&self) -> Result<()> {
        let (m, p, t) = (self.metrics.len(), self.params.len(), self.tags.len());
        if m > BatchLimits::METRICS {
            return Err(TrackError::invalid(format!(
                "A batch logging request can contain at most {} metrics. Got {m} metrics.",
                BatchLimits::METRICS
            )));
        }
        if p + t > BatchLimits::PARAMS_AND_TAGS {
            return Err(TrackError::invalid(format!(
                "A batch logging request can contain at most {} params and tags. Got {} params and tags.",
                BatchLimits::PARAMS_AND_TAGS,
                p + t
            )));
        }
        if m + p + t > BatchLimits::TOTAL {
            return Err(TrackError::invalid(format!(
                "A batch logging request can contain at most {} metrics, params, and tags in total.",
                BatchLimits::TOTAL
            )));
        }
        for metric in &self.metrics {
            validate::key("metric", &metric.key)?;
        }
        for param in &self.params {
            validate::param(param)?;
        }
        let mut seen = HashMap::new();
        for param in &self.params {
            if let Some(old) = seen.insert(&param.key, &param.value)
                && old != &param.value
            {
                return Err(TrackError::invalid(format!(
                    "Duplicate parameter keys have been submitted: '{}' with values '{old}' and '{}'",
                    param.key, param.value
                )));
            }
        }
        for tag in &self.tags {
            validate::tag(tag)?;
        }
        Ok(())
    }
}

impl TrackStore {
    /// Starts a run in an experiment; a missing name is generated (and kept as `mlflow.runName`).
    pub fn create_run(
        &self,
        experiment_id: &str,
        user_id: &str,
        run_name: Option<&str>,
        start_time: Option<i64>,
        tags: &[KeyValue],
    ) -> Result<Run> {
        let exp = experiment_key(experiment_id)?;
        for t in tags {
            validate::tag(t)?;
        }
        let tag_name = tags
            .iter()
            .find(|t| t.key == RUN_NAME_TAG)
            .map(|t| t.value.as_str());
        if let (Some(a), Some(b)) = (run_name, tag_name)
            && !a.is_empty()
            && a != b
        {
            return Err(TrackError::invalid(format!(
                "the run name '{a}' and the tag {RUN_NAME_TAG} '{b}' differ"
            )));
        }
        let run_id = uuid::Uuid::new_v4().simple().to_string();
        let name = run_name
            .filter(|n| !n.is_empty())
            .or(tag_name)
            .map(str::to_string)
            .unwrap_or_else(|| generated_name(&run_id));
        let start = start_time.unwrap_or_else(now_ms);
        self.write(|tx| {
            require_active(tx, exp, experiment_id)?;
            let location: String = tx.query_row(
                "SELECT artifact_location FROM experiment WHERE id = ?1",
                [exp],
                |r| r.get(0),
            )?;
            let artifact_uri = format!("{}/{run_id}/artifacts", location.trim_end_matches('/'));
            tx.execute(
                "INSERT INTO run (run_id, experiment_id, name, user_id, status, start_time, artifact_uri)
                 VALUES (?1, ?2, ?3, ?4, 'RUNNING', ?5, ?6)",
                params![run_id, exp, name, user_id, start, artifact_uri],
            )?;
            for t in tags.iter().filter(|t| t.key != RUN_NAME_TAG) {
                put_tag(tx, &run_id, t)?;
            }
            let keys = tags.iter().map(|t| t.key.as_str());
            remember_keys(tx, exp, "tag", keys.chain([RUN_NAME_TAG]))?;
            put_tag(tx, &run_id, &KeyValue::new(RUN_NAME_TAG, &name))?;
            Ok(())
        })?;
        self.get_run(&run_id)
    }

    /// A run in full.
    pub fn get_run(&self, run_id: &str) -> Result<Run> {
        self.read(|c| {
            let info = run_info(c, run_id)?;
            Ok(load_runs(c, vec![info])?.remove(0))
        })
    }

    /// Several runs in full, in the order asked (missing ids are skipped).
    pub fn get_runs(&self, run_ids: &[String]) -> Result<Vec<Run>> {
        self.read(|c| {
            let mut infos = Vec::with_capacity(run_ids.len());
            for id in run_ids {
                if let Ok(info) = run_info(c, id) {
                    infos.push(info);
                }
            }
            load_runs(c, infos)
        })
    }

    /// Changes a run's status, end time or name.
    pub fn update_run(
        &self,
        run_id: &str,
        status: Option<RunStatus>,
        end_time: Option<i64>,
        run_name: Option<&str>,
    ) -> Result<RunInfo> {
        self.write(|tx| {
            require_active_run(tx, run_id)?;
            if let Some(s) = status {
                tx.execute(
                    "UPDATE run SET status = ?1 WHERE run_id = ?2",
                    params![s.as_str(), run_id],
                )?;
            }
            if let Some(t) = end_time {
                tx.execute(
                    "UPDATE run SET end_time = ?1 WHERE run_id = ?2",
                    params![t, run_id],
                )?;
            }
            if let Some(n) = run_name.filter(|n| !n.is_empty()) {
                rename(tx, run_id, n)?;
            }
            run_info(tx, run_id)
        })
    }

    /// Moves a run to or from the trash.
    pub fn set_run_stage(&self, run_id: &str, stage: LifecycleStage) -> Result<()> {
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE run SET lifecycle_stage = ?1, deleted_time = CASE WHEN ?1 = 'deleted' THEN ?2 END
                 WHERE run_id = ?3",
                params![stage.as_str(), now_ms(), run_id],
            )?;
            if n == 0 {
                return Err(TrackError::not_found("run", run_id));
            }
            Ok(())
        })
    }

    /// Writes a batch of metrics, parameters and tags in one transaction: all or nothing.
    pub fn log_batch(&self, run_id: &str, batch: &LogBatch) -> Result<()> {
        batch.validate()?;
        self.write(|tx| {
            let exp = require_active_run(tx, run_id)?;
            remember_keys(
                tx,
                exp,
                "param",
                batch.params.iter().map(|p| p.key.as_str()),
            )?;
            remember_keys(tx, exp, "tag", batch.tags.iter().map(|t| t.key.as_str()))?;
            remember_keys(
                tx,
                exp,
                "metric",
                batch.metrics.iter().map(|m| m.key.as_str()),
            )?;
            put_params(tx, run_id, &batch.params)?;
            for t in &batch.tags {
                put_tag(tx, run_id, t)?;
                if t.key == RUN_NAME_TAG {
                    rename(tx, run_id, &t.value)?;
                }
            }
            put_metrics(tx, run_id, &batch.metrics)
        })
    }

    /// Deletes a run tag.
    pub fn delete_run_tag(&self, run_id: &str, key: &str) -> Result<()> {
        self.write(|tx| {
            require_active_run(tx, run_id)?;
            let n = tx.execute(
                "DELETE FROM run_tag WHERE run_id = ?1 AND key = ?2",
                params![run_id, key],
            )?;
            if n == 0 {
                return Err(TrackError::not_found("tag", key));
            }
            Ok(())
        })
    }

    /// Records the data sets (and logged models) a run read.
    pub fn log_inputs(
        &self,
        run_id: &str,
        datasets: &[DatasetInput],
        models: &[ModelInput],
    ) -> Result<()> {
        for d in datasets {
            validate::name("dataset name", &d.dataset.name)?;
        }
        self.write(|tx| {
            let exp = require_active_run(tx, run_id)?;
            for input in datasets {
                let d = &input.dataset;
                tx.execute(
                    "INSERT INTO dataset (experiment_id, name, digest, source_type, source, schema, profile)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                     ON CONFLICT (experiment_id, name, digest) DO UPDATE SET
                       source_type = excluded.source_type, source = excluded.source,
                       schema = COALESCE(excluded.schema, schema), profile = COALESCE(excluded.profile, profile)",
                    params![exp, d.name, d.digest, d.source_type, d.source, d.schema, d.profile],
                )?;
                let dataset_id: i64 = tx.query_row(
                    "SELECT id FROM dataset WHERE experiment_id = ?1 AND name = ?2 AND digest = ?3",
                    params![exp, d.name, d.digest],
                    |r| r.get(0),
                )?;
                let tags = serde_json::to_string(&input.tags).unwrap_or_else(|_| "[]".into());
                tx.execute(
                    "INSERT OR REPLACE INTO run_input (run_id, dataset_id, tags) VALUES (?1, ?2, ?3)",
                    params![run_id, dataset_id, tags],
                )?;
            }
            for m in models {
                link_model(tx, run_id, &m.model_id, "input", 0)?;
            }
            Ok(())
        })
    }

    /// Records the logged models a run produced.
    pub fn log_outputs(&self, run_id: &str, models: &[ModelOutput]) -> Result<()> {
        self.write(|tx| {
            require_active_run(tx, run_id)?;
            for m in models {
                link_model(tx, run_id, &m.model_id, "output", m.step)?;
            }
            Ok(())
        })
    }

    /// A metric's points in step then time order, `max_results` at a time.
    pub fn metric_history(
        &self,
        run_id: &str,
        key: &str,
        max_results: Option<usize>,
        page_token: Option<&str>,
    ) -> Result<Page<Metric>> {
        let offset = super::search::offset(page_token)?;
        let limit = max_results.unwrap_or(usize::MAX / 4).max(1);
        self.read(|c| {
            run_info(c, run_id)?;
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {METRIC_COLUMNS} FROM metric WHERE run_id = ?1 AND key = ?2
                 ORDER BY step, timestamp LIMIT ?3 OFFSET ?4"
            ))?;
            let items = stmt
                .query_map(
                    params![run_id, key, (limit + 1) as i64, offset as i64],
                    map_metric,
                )?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let (items, next_page_token) = super::search::cut_page(items, limit, offset);
            Ok(Page {
                items,
                next_page_token,
            })
        })
    }

    /// The experiment and artifact location of a run.
    pub fn run_artifact_uri(&self, run_id: &str) -> Result<String> {
        self.read(|c| Ok(run_info(c, run_id)?.artifact_uri))
    }
}

/// A whole run copied from elsewhere (e.g. a remote MLflow server), written at once.
#[derive(Debug, Clone, Default)]
pub struct ImportedRun {
    /// The local experiment it goes into.
    pub experiment_id: String,
    /// Display name.
    pub run_name: String,
    /// Who ran it.
    pub user_id: String,
    /// Its final state.
    pub status: RunStatus,
    /// Started.
    pub start_time: i64,
    /// Ended.
    pub end_time: Option<i64>,
    /// Parameters.
    pub params: Vec<KeyValue>,
    /// Tags (including provenance).
    pub tags: Vec<KeyValue>,
    /// Every point of every metric.
    pub metrics: Vec<Metric>,
    /// Data sets it read.
    pub inputs: Vec<DatasetInput>,
}

impl TrackStore {
    /// Writes a whole run in one transaction under a new id. `place_artifacts` gets the run's
    /// artifact URI and puts its files there before the transaction commits: a failure in it
    /// (or anywhere) leaves no run behind.
    pub fn import_run(
        &self,
        run: &ImportedRun,
        place_artifacts: impl FnOnce(&str) -> Result<()>,
    ) -> Result<Run> {
        let exp = experiment_key(&run.experiment_id)?;
        for t in &run.tags {
            validate::tag(t)?;
        }
        for p in &run.params {
            validate::param(p)?;
        }
        let run_id = uuid::Uuid::new_v4().simple().to_string();
        let name = Some(run.run_name.as_str())
            .filter(|n| !n.is_empty())
            .map(str::to_string)
            .unwrap_or_else(|| generated_name(&run_id));
        self.write(|tx| {
            require_active(tx, exp, &run.experiment_id)?;
            let location: String = tx.query_row(
                "SELECT artifact_location FROM experiment WHERE id = ?1",
                [exp],
                |r| r.get(0),
            )?;
            let artifact_uri = format!("{}/{run_id}/artifacts", location.trim_end_matches('/'));
            tx.execute(
                "INSERT INTO run (run_id, experiment_id, name, user_id, status, start_time, end_time, artifact_uri)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![run_id, exp, name, run.user_id, run.status.as_str(), run.start_time, run.end_time, artifact_uri],
            )?;
            for t in run.tags.iter().filter(|t| t.key != RUN_NAME_TAG) {
                put_tag(tx, &run_id, t)?;
            }
            put_tag(tx, &run_id, &KeyValue::new(RUN_NAME_TAG, &name))?;
            put_params(tx, &run_id, &run.params)?;
            put_metrics(tx, &run_id, &run.metrics)?;
            let tag_keys = run.tags.iter().map(|t| t.key.as_str());
            remember_keys(tx, exp, "tag", tag_keys.chain([RUN_NAME_TAG]))?;
            remember_keys(tx, exp, "param", run.params.iter().map(|p| p.key.as_str()))?;
            remember_keys(tx, exp, "metric", run.metrics.iter().map(|m| m.key.as_str()))?;
            place_artifacts(&artifact_uri)?;
            Ok(())
        })?;
        if !run.inputs.is_empty() {
            self.log_inputs(&run_id, &run.inputs, &[])?;
        }
        self.get_run(&run_id)
    }

    /// The runs (live or deleted) carrying the tag `key` = `value`.
    pub fn runs_with_tag(&self, key: &str, value: &str) -> Result<Vec<String>> {
        self.read(|c| {
            let mut stmt =
                c.prepare_cached("SELECT run_id FROM run_tag WHERE key = ?1 AND value = ?2")?;
            let ids = stmt
                .query_map(params![key, value], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            Ok(ids)
        })
    }
}

pub(super) fn run_info(c: &Connection, run_id: &str) -> Result<RunInfo> {
    c.query_row(
        &format!("SELECT {RUN_COLUMNS} FROM run r WHERE r.run_id = ?1"),
        [run_id],
        map_run_info,
    )
    .optional()?
    .ok_or_else(|| TrackError::not_found("run", run_id))
}

/// Refuses writes to a missing or deleted run; returns its experiment's key.
fn require_active_run(c: &Connection, run_id: &str) -> Result<i64> {
    let row: Option<(String, i64)> = c
        .query_row(
            "SELECT lifecycle_stage, experiment_id FROM run WHERE run_id = ?1",
            [run_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match row {
        None => Err(TrackError::not_found("run", run_id)),
        Some((stage, _)) if stage == "deleted" => Err(TrackError::invalid(format!(
            "The run {run_id} must be in the 'active' state. Current state is deleted."
        ))),
        Some((_, exp)) => Ok(exp),
    }
}

/// Keeps the experiment's list of metric, parameter and tag keys (the runs table's columns).
fn remember_keys<'a>(
    tx: &Transaction<'_>,
    experiment: i64,
    kind: &str,
    keys: impl Iterator<Item = &'a str>,
) -> Result<()> {
    let mut seen = std::collections::HashSet::new();
    let mut insert = tx.prepare_cached(
        "INSERT OR IGNORE INTO experiment_key (experiment_id, kind, key) VALUES (?1, ?2, ?3)",
    )?;
    for key in keys.filter(|k| seen.insert(*k)) {
        insert.execute(params![experiment, kind, key])?;
    }
    Ok(())
}

fn rename(tx: &Transaction<'_>, run_id: &str, name: &str) -> Result<()> {
    tx.execute(
        "UPDATE run SET name = ?1 WHERE run_id = ?2",
        params![name, run_id],
    )?;
    put_tag(tx, run_id, &KeyValue::new(RUN_NAME_TAG, name))
}

fn put_tag(tx: &Transaction<'_>, run_id: &str, tag: &KeyValue) -> Result<()> {
    tx.prepare_cached("INSERT OR REPLACE INTO run_tag (run_id, key, value) VALUES (?1, ?2, ?3)")?
        .execute(params![run_id, tag.key, tag.value])?;
    Ok(())
}

fn put_params(tx: &Transaction<'_>, run_id: &str, params: &[KeyValue]) -> Result<()> {
    let mut find = tx.prepare_cached("SELECT value FROM param WHERE run_id = ?1 AND key = ?2")?;
    let mut insert =
        tx.prepare_cached("INSERT INTO param (run_id, key, value) VALUES (?1, ?2, ?3)")?;
    for p in params {
        let old: Option<String> = find
            .query_row(params![run_id, p.key], |r| r.get(0))
            .optional()?;
        match old {
            Some(old) if old == p.value => {}
            Some(old) => {
                return Err(TrackError::invalid(format!(
                    "Changing param values is not allowed. Param with key='{}' was already logged with value='{old}' for run ID='{run_id}'. Attempted logging new value '{}'.",
                    p.key, p.value
                )));
            }
            None => {
                insert.execute(params![run_id, p.key, p.value])?;
            }
        }
    }
    Ok(())
}

fn put_metrics(tx: &Transaction<'_>, run_id: &str, metrics: &[Metric]) -> Result<()> {
    if metrics.is_empty() {
        return Ok(());
    }
    let mut insert = tx.prepare_cached(
        "INSERT OR IGNORE INTO metric (run_id, key, step, timestamp, value, is_nan, model_id, dataset_name, dataset_digest)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    let mut latest: HashMap<&str, &Metric> = HashMap::new();
    for m in metrics {
        let (value, nan) = stored_value(m.value);
        insert.execute(params![
            run_id,
            m.key,
            m.step,
            m.timestamp,
            value,
            nan,
            m.model_id,
            m.dataset_name,
            m.dataset_digest
        ])?;
        let newer = latest.get(m.key.as_str()).is_none_or(|old| {
            (m.step, m.timestamp, stored_value(m.value).0)
                >= (old.step, old.timestamp, stored_value(old.value).0)
        });
        if newer {
            latest.insert(&m.key, m);
        }
    }
    let mut upsert = tx.prepare_cached(
        "INSERT INTO latest_metric (run_id, key, step, timestamp, value, is_nan, model_id, dataset_name, dataset_digest)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (run_id, key) DO UPDATE SET
           step = excluded.step, timestamp = excluded.timestamp, value = excluded.value,
           is_nan = excluded.is_nan, model_id = excluded.model_id,
           dataset_name = excluded.dataset_name, dataset_digest = excluded.dataset_digest
         WHERE (excluded.step, excluded.timestamp, excluded.value)
            >= (latest_metric.step, latest_metric.timestamp, latest_metric.value)",
    )?;
    for m in latest.values() {
        let (value, nan) = stored_value(m.value);
        upsert.execute(params![
            run_id,
            m.key,
            m.step,
            m.timestamp,
            value,
            nan,
            m.model_id,
            m.dataset_name,
            m.dataset_digest
        ])?;
    }
    Ok(())
}

/// SQLite cannot store NaN: it is kept as 0 with a flag.
fn stored_value(v: f64) -> (f64, bool) {
    if v.is_nan() { (0.0, true) } else { (v, false) }
}

fn link_model(
    tx: &Transaction<'_>,
    run_id: &str,
    model_id: &str,
    direction: &str,
    step: i64,
) -> Result<()> {
    tx.execute(
        "INSERT OR REPLACE INTO run_model (run_id, model_id, direction, step) VALUES (?1, ?2, ?3, ?4)",
        params![run_id, model_id, direction, step],
    )?;
    Ok(())
}

/// A readable run name such as `brisk-otter-417`, derived from the run id.
fn generated_name(run_id: &str) -> String {
    const ADJECTIVES: &[&str] = &[
        "amber", "bold", "brisk", "calm", "clever", "crisp", "deft", "eager", "fair", "gentle",
        "glad", "keen", "lucid", "merry", "nimble", "quiet", "rapid", "sharp", "steady", "vivid",
    ];
    const NOUNS: &[&str] = &[
        "badger", "crane", "dolphin", "falcon", "fox", "heron", "ibex", "lynx", "marten", "otter",
        "owl", "panda", "puffin", "raven", "seal", "stoat", "swift", "tern", "wolf", "wren",
    ];
    let n = u64::from_str_radix(&run_id[..12.min(run_id.len())], 16).unwrap_or(0);
    format!(
        "{}-{}-{}",
        ADJECTIVES[(n % 20) as usize],
        NOUNS[((n / 20) % 20) as usize],
        (n / 400) % 1000
    )
}
