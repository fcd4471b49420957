//! Logged models (MLflow 3): a model's files, parameters and metrics, independent of a run.

use rusqlite::{Connection, OptionalExtension, params};

use super::experiments::{experiment_key, require_active};
use super::rows::{METRIC_COLUMNS, map_metric, pairs};
use super::search::{Sql, cut_page, number_cmp, offset, page_size, pair_cmp, string_cmp};
use super::{TrackStore, now_ms};
use crate::error::{Result, TrackError};
use crate::filter::{Field, parse_filter, parse_order_by};
use crate::model::*;
use crate::validate;

/// A new logged model.
#[derive(Debug, Clone, Default)]
pub struct NewLoggedModel {
    /// Its experiment.
    pub experiment_id: String,
    /// Name (generated when empty).
    pub name: Option<String>,
    /// e.g. the flavour.
    pub model_type: Option<String>,
    /// The run logging it.
    pub source_run_id: Option<String>,
    /// Parameters.
    pub params: Vec<KeyValue>,
    /// Tags.
    pub tags: Vec<KeyValue>,
}

const COLUMNS: &str = "l.model_id, l.experiment_id, l.name, l.creation_timestamp_ms, l.last_updated_timestamp_ms, l.artifact_uri, l.status, l.model_type, l.source_run_id, l.status_message";

fn map_info(r: &rusqlite::Row<'_>) -> rusqlite::Result<LoggedModelInfo> {
    Ok(LoggedModelInfo {
        model_id: r.get(0)?,
        experiment_id: r.get::<_, i64>(1)?.to_string(),
        name: r.get(2)?,
        creation_timestamp_ms: r.get(3)?,
        last_updated_timestamp_ms: r.get(4)?,
        artifact_uri: r.get(5)?,
        status: LoggedModelStatus::parse(&r.get::<_, String>(6)?).unwrap_or_default(),
        model_type: r.get(7)?,
        source_run_id: r.get(8)?,
        status_message: r.get(9)?,
        tags: Vec::new(),
    })
}

fn read(c: &Connection, model_id: &str) -> Result<LoggedModel> {
    let mut info = c
        .query_row(
            &format!("SELECT {COLUMNS} FROM logged_model l WHERE l.model_id = ?1 AND l.lifecycle_stage = 'active'"),
            [model_id],
            map_info,
        )
        .optional()?
        .ok_or_else(|| TrackError::not_found("logged model", model_id))?;
    info.tags = pairs(
        c,
        "SELECT key, value FROM logged_model_tag WHERE model_id = ?1 ORDER BY key",
        model_id,
    )?;
    let params = pairs(
        c,
        "SELECT key, value FROM logged_model_param WHERE model_id = ?1 ORDER BY key",
        model_id,
    )?;
    let mut stmt = c.prepare_cached(&format!(
        "SELECT {METRIC_COLUMNS} FROM metric WHERE model_id = ?1 ORDER BY key, step, timestamp"
    ))?;
    let metrics = stmt
        .query_map([model_id], map_metric)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(LoggedModel {
        info,
        data: LoggedModelData { params, metrics },
    })
}

fn require(c: &Connection, model_id: &str) -> Result<()> {
    let found: Option<i64> = c
        .query_row(
            "SELECT 1 FROM logged_model WHERE model_id = ?1 AND lifecycle_stage = 'active'",
            [model_id],
            |r| r.get(0),
        )
        .optional()?;
    found
        .map(|_| ())
        .ok_or_else(|| TrackError::not_found("logged model", model_id))
}

impl TrackStore {
    /// Creates a logged model (status pending until finalised).
    pub fn create_logged_model(&self, new: &NewLoggedModel) -> Result<LoggedModel> {
        let exp = experiment_key(&new.experiment_id)?;
        for p in &new.params {
            validate::param(p)?;
        }
        for t in &new.tags {
            validate::tag(t)?;
        }
        let model_id = format!("m-{}", uuid::Uuid::new_v4().simple());
        self.write(|tx| {
            require_active(tx, exp, &new.experiment_id)?;
            let location: String = tx.query_row(
                "SELECT artifact_location FROM experiment WHERE id = ?1",
                [exp],
                |r| r.get(0),
            )?;
            let artifact_uri = format!("{}/models/{model_id}/artifacts", location.trim_end_matches('/'));
            let name = new
                .name
                .clone()
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| "model".into());
            let now = now_ms();
            tx.execute(
                "INSERT INTO logged_model (model_id, experiment_id, name, artifact_uri, creation_timestamp_ms,
                   last_updated_timestamp_ms, status, model_type, source_run_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5, 'LOGGED_MODEL_PENDING', ?6, ?7)",
                params![model_id, exp, name, artifact_uri, now, new.model_type, new.source_run_id],
            )?;
            for p in &new.params {
                tx.execute(
                    "INSERT OR REPLACE INTO logged_model_param (model_id, key, value) VALUES (?1, ?2, ?3)",
                    params![model_id, p.key, p.value],
                )?;
            }
            for t in &new.tags {
                tx.execute(
                    "INSERT OR REPLACE INTO logged_model_tag (model_id, key, value) VALUES (?1, ?2, ?3)",
                    params![model_id, t.key, t.value],
                )?;
            }
            read(tx, &model_id)
        })
    }

    /// A logged model in full.
    pub fn get_logged_model(&self, model_id: &str) -> Result<LoggedModel> {
        self.read(|c| read(c, model_id))
    }

    /// Marks a logged model ready (or failed).
    pub fn finalize_logged_model(
        &self,
        model_id: &str,
        status: LoggedModelStatus,
    ) -> Result<LoggedModel> {
        self.write(|tx| {
            require(tx, model_id)?;
            tx.execute(
                "UPDATE logged_model SET status = ?1, last_updated_timestamp_ms = ?2 WHERE model_id = ?3",
                params![status.as_str(), now_ms(), model_id],
            )?;
            read(tx, model_id)
        })
    }

    /// Deletes a logged model (its files stay until collected).
    pub fn delete_logged_model(&self, model_id: &str) -> Result<()> {
        self.write(|tx| {
            require(tx, model_id)?;
            tx.execute(
                "UPDATE logged_model SET lifecycle_stage = 'deleted', last_updated_timestamp_ms = ?1 WHERE model_id = ?2",
                params![now_ms(), model_id],
            )?;
            Ok(())
        })
    }

    /// Sets tags on a logged model.
    pub fn set_logged_model_tags(&self, model_id: &str, tags: &[KeyValue]) -> Result<()> {
        for t in tags {
            validate::tag(t)?;
        }
        self.write(|tx| {
            require(tx, model_id)?;
            for t in tags {
                tx.execute(
                    "INSERT OR REPLACE INTO logged_model_tag (model_id, key, value) VALUES (?1, ?2, ?3)",
                    params![model_id, t.key, t.value],
                )?;
            }
            Ok(())
        })
    }

    /// Deletes a logged model tag.
    pub fn delete_logged_model_tag(&self, model_id: &str, key: &str) -> Result<()> {
        self.write(|tx| {
            require(tx, model_id)?;
            let n = tx.execute(
                "DELETE FROM logged_model_tag WHERE model_id = ?1 AND key = ?2",
                params![model_id, key],
            )?;
            if n == 0 {
                return Err(TrackError::not_found("logged model tag", key));
            }
            Ok(())
        })
    }

    /// Adds parameters to a logged model.
    pub fn log_logged_model_params(&self, model_id: &str, params: &[KeyValue]) -> Result<()> {
        for p in params {
            validate::param(p)?;
        }
        self.write(|tx| {
            require(tx, model_id)?;
            for p in params {
                tx.execute(
                    "INSERT OR REPLACE INTO logged_model_param (model_id, key, value) VALUES (?1, ?2, ?3)",
                    params![model_id, p.key, p.value],
                )?;
            }
            Ok(())
        })
    }

    /// Logged models of some experiments matching a filter on `name`, `model_id`, `status`,
    /// `source_run_id`, `creation_timestamp`, `metrics.<key>`, `params.<key>` and `tags.<key>`.
    pub fn search_logged_models(
        &self,
        experiment_ids: &[String],
        filter: &str,
        order_by: &[String],
        max_results: Option<usize>,
        page_token: Option<&str>,
    ) -> Result<Page<LoggedModel>> {
        let limit = page_size(max_results, 100)?;
        let offset = offset(page_token)?;
        let mut sql = Sql::default();
        let mut conds = vec!["l.lifecycle_stage = 'active'".to_string()];
        if !experiment_ids.is_empty() {
            let ids = experiment_ids
                .iter()
                .map(|id| experiment_key(id).map(|k| sql.bind(k)))
                .collect::<Result<Vec<_>>>()?;
            conds.push(format!("l.experiment_id IN ({})", ids.join(", ")));
        }
        for c in parse_filter(filter)? {
            conds.push(match &c.field {
                Field::Attribute(a) => match a.as_str() {
                    "name" => string_cmp(&mut sql, "l.name", &c, true)?,
                    "model_id" => string_cmp(&mut sql, "l.model_id", &c, true)?,
                    "status" => string_cmp(&mut sql, "l.status", &c, true)?,
                    "source_run_id" => string_cmp(&mut sql, "l.source_run_id", &c, true)?,
                    "model_type" => string_cmp(&mut sql, "l.model_type", &c, true)?,
                    "creation_timestamp" | "creation_time" => {
                        number_cmp(&mut sql, "l.creation_timestamp_ms", &c)?
                    }
                    other => {
                        return Err(TrackError::invalid(format!(
                            "invalid filter: logged models have no attribute '{other}'"
                        )));
                    }
                },
                Field::Param(key) => pair_cmp(&mut sql, "logged_model_param", ("model_id", "l.model_id"), key, &c)?,
                Field::Tag(key) => pair_cmp(&mut sql, "logged_model_tag", ("model_id", "l.model_id"), key, &c)?,
                Field::Metric(key) => {
                    let k = sql.bind(key.clone());
                    let cmp = number_cmp(&mut sql, "m.value", &c)?;
                    format!(
                        "EXISTS (SELECT 1 FROM metric m WHERE m.model_id = l.model_id AND m.key = {k} AND m.is_nan = 0 AND {cmp})"
                    )
                }
                Field::Dataset(_) => return Err(c.invalid("logged models cannot be filtered by data set")),
            });
        }
        let mut terms = Vec::new();
        for clause in order_by {
            let o = parse_order_by(clause)?;
            let dir = if o.ascending { "ASC" } else { "DESC" };
            match &o.field {
                Field::Attribute(a) => {
                    let expr = match a.as_str() {
                        "name" => "l.name",
                        "creation_timestamp" | "creation_time" => "l.creation_timestamp_ms",
                        "last_updated_timestamp" => "l.last_updated_timestamp_ms",
                        "model_id" => "l.model_id",
                        other => {
                            return Err(TrackError::invalid(format!(
                                "invalid order_by: logged models have no attribute '{other}'"
                            )));
                        }
                    };
                    terms.push(format!("{expr} {dir}"));
                }
                Field::Metric(key) => {
                    let k = sql.bind(key.clone());
                    terms.push(format!(
                        "(SELECT MAX(m.value) FROM metric m WHERE m.model_id = l.model_id AND m.key = {k}) {dir}"
                    ));
                }
                _ => {
                    return Err(TrackError::invalid(
                        "logged models are ordered by attributes or metrics",
                    ));
                }
            }
        }
        terms.push("l.creation_timestamp_ms DESC".into());
        terms.push("l.model_id".into());
        sql.text = format!(
            "SELECT l.model_id FROM logged_model l WHERE {} ORDER BY {} LIMIT {} OFFSET {}",
            conds.join(" AND "),
            terms.join(", "),
            limit + 1,
            offset
        );
        self.read(|c| {
            let mut stmt = c.prepare(&sql.text)?;
            let ids = stmt
                .query_map(rusqlite::params_from_iter(sql.values.iter()), |r| {
                    r.get::<_, String>(0)
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let (ids, next_page_token) = cut_page(ids, limit, offset);
            let items = ids.iter().map(|id| read(c, id)).collect::<Result<_>>()?;
            Ok(Page {
                items,
                next_page_token,
            })
        })
    }
}
