//! Reading rows into domain types, and loading the data of many runs in a few queries.

use std::collections::HashMap;

use rusqlite::{Connection, Row};

use super::experiments::stage_of;
use crate::error::Result;
use crate::model::*;

pub(super) fn map_experiment(r: &Row<'_>) -> rusqlite::Result<Experiment> {
    Ok(Experiment {
        experiment_id: r.get::<_, i64>(0)?.to_string(),
        name: r.get(1)?,
        artifact_location: r.get(2)?,
        lifecycle_stage: stage_of(&r.get::<_, String>(3)?),
        creation_time: r.get(4)?,
        last_update_time: r.get(5)?,
        tags: Vec::new(),
    })
}

pub(super) fn experiment_tags(c: &Connection, id: i64) -> Result<Vec<KeyValue>> {
    pairs(
        c,
        "SELECT key, value FROM experiment_tag WHERE experiment_id = ?1 ORDER BY key",
        id,
    )
}

/// Key-value pairs from a query with one parameter.
pub(super) fn pairs(
    c: &Connection,
    sql: &str,
    param: impl rusqlite::ToSql,
) -> Result<Vec<KeyValue>> {
    let mut stmt = c.prepare_cached(sql)?;
    let rows = stmt.query_map([param], |r| {
        Ok(KeyValue::new(
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The columns `map_run_info` reads, for `SELECT {RUN_COLUMNS} FROM run r`.
pub(super) const RUN_COLUMNS: &str = "r.run_id, r.experiment_id, r.name, r.user_id, r.status, r.start_time, r.end_time, r.artifact_uri, r.lifecycle_stage";

pub(super) fn map_run_info(r: &Row<'_>) -> rusqlite::Result<RunInfo> {
    Ok(RunInfo {
        run_id: r.get(0)?,
        experiment_id: r.get::<_, i64>(1)?.to_string(),
        run_name: r.get(2)?,
        user_id: r.get(3)?,
        status: RunStatus::parse(&r.get::<_, String>(4)?).unwrap_or_default(),
        start_time: r.get(5)?,
        end_time: r.get(6)?,
        artifact_uri: r.get(7)?,
        lifecycle_stage: stage_of(&r.get::<_, String>(8)?),
    })
}

/// The columns `map_metric` reads.
pub(super) const METRIC_COLUMNS: &str =
    "key, value, is_nan, timestamp, step, model_id, dataset_name, dataset_digest, run_id";

pub(super) fn map_metric(r: &Row<'_>) -> rusqlite::Result<Metric> {
    let nan: bool = r.get(2)?;
    Ok(Metric {
        key: r.get(0)?,
        value: if nan { f64::NAN } else { r.get(1)? },
        timestamp: r.get(3)?,
        step: r.get(4)?,
        model_id: r.get(5)?,
        dataset_name: r.get(6)?,
        dataset_digest: r.get(7)?,
        run_id: r.get(8)?,
    })
}

/// Runs with their latest metrics, parameters, tags, inputs and outputs, in the given order.
pub(super) fn load_runs(c: &Connection, infos: Vec<RunInfo>) -> Result<Vec<Run>> {
    if infos.is_empty() {
        return Ok(Vec::new());
    }
    let ids = serde_json::to_string(&infos.iter().map(|i| &i.run_id).collect::<Vec<_>>())
        .unwrap_or_else(|_| "[]".into());
    let mut data: HashMap<String, (RunData, RunInputs, RunOutputs)> = infos
        .iter()
        .map(|i| (i.run_id.clone(), Default::default()))
        .collect();
    let in_ids = "run_id IN (SELECT value FROM json_each(?1))";
    for (table, is_param) in [("param", true), ("run_tag", false)] {
        let sql = format!("SELECT run_id, key, value FROM {table} WHERE {in_ids} ORDER BY key");
        let mut stmt = c.prepare_cached(&sql)?;
        let mut rows = stmt.query([&ids])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            if let Some(d) = data.get_mut(&id) {
                let kv = KeyValue::new(r.get::<_, String>(1)?, r.get::<_, String>(2)?);
                if is_param {
                    d.0.params.push(kv);
                } else {
                    d.0.tags.push(kv);
                }
            }
        }
    }
    let sql = format!("SELECT {METRIC_COLUMNS} FROM latest_metric WHERE {in_ids} ORDER BY key");
    let mut stmt = c.prepare_cached(&sql)?;
    for m in stmt.query_map([&ids], map_metric)? {
        let mut m = m?;
        if let Some(d) = m.run_id.take().and_then(|id| data.get_mut(&id)) {
            d.0.metrics.push(m);
        }
    }
    let sql = format!(
        "SELECT i.run_id, i.tags, d.name, d.digest, d.source_type, d.source, d.schema, d.profile
         FROM run_input i JOIN dataset d ON d.id = i.dataset_id WHERE i.{in_ids} ORDER BY d.name"
    );
    let mut stmt = c.prepare_cached(&sql)?;
    let mut rows = stmt.query([&ids])?;
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        if let Some(d) = data.get_mut(&id) {
            let tags: String = r.get(1)?;
            d.1.dataset_inputs.push(DatasetInput {
                tags: serde_json::from_str(&tags).unwrap_or_default(),
                dataset: Dataset {
                    name: r.get(2)?,
                    digest: r.get(3)?,
                    source_type: r.get(4)?,
                    source: r.get(5)?,
                    schema: r.get(6)?,
                    profile: r.get(7)?,
                },
            });
        }
    }
    let sql = format!(
        "SELECT run_id, model_id, direction, step FROM run_model WHERE {in_ids} ORDER BY step, model_id"
    );
    let mut stmt = c.prepare_cached(&sql)?;
    let mut rows = stmt.query([&ids])?;
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        if let Some(d) = data.get_mut(&id) {
            let model_id: String = r.get(1)?;
            if r.get::<_, String>(2)? == "input" {
                d.1.model_inputs.push(ModelInput { model_id });
            } else {
                d.2.model_outputs.push(ModelOutput {
                    model_id,
                    step: r.get(3)?,
                });
            }
        }
    }
    Ok(infos
        .into_iter()
        .map(|info| {
            let (data, inputs, outputs) = data.remove(&info.run_id).unwrap_or_default();
            Run {
                info,
                data,
                inputs,
                outputs,
            }
        })
        .collect())
}
