//! Experiments: create, read, rename, tag, delete and restore.

use rusqlite::{Connection, OptionalExtension, params};

use super::rows::{experiment_tags, map_experiment};
use super::{TrackStore, now_ms};
use crate::error::{Result, TrackError};
use crate::model::{Experiment, KeyValue, LifecycleStage};
use crate::validate;

/// The artifact location of experiment `id` when none is given: under the server's artifact
/// root, reached by MLflow clients through `/api/2.0/mlflow-artifacts/`.
/// With an artifact base URL (`s3://bucket/mlruns`), the experiment's folder under it instead.
pub(crate) fn default_location(base: Option<&str>, id: i64) -> String {
    match base {
        Some(base) => format!("{}/{id}", base.trim_end_matches('/')),
        None => format!("{}/{id}", crate::ARTIFACT_SCHEME),
    }
}

const SELECT: &str = "SELECT id, name, artifact_location, lifecycle_stage, creation_time, last_update_time FROM experiment";

impl TrackStore {
    pub(super) fn ensure_default_experiment(&self) -> Result<()> {
        self.write(|tx| {
            let now = now_ms();
            tx.execute(
                "INSERT OR IGNORE INTO experiment (id, name, artifact_location, creation_time, last_update_time)
                 VALUES (0, 'Default', ?1, ?2, ?2)",
                params![default_location(self.artifact_base(), 0), now],
            )?;
            Ok(())
        })
    }

    /// Creates an experiment; its name must be new (deleted experiments keep theirs).
    pub fn create_experiment(
        &self,
        name: &str,
        artifact_location: Option<&str>,
        tags: &[KeyValue],
    ) -> Result<String> {
        validate::name("experiment name", name)?;
        for t in tags {
            validate::tag(t)?;
        }
        let base = self.artifact_base();
        self.write(|tx| {
            let exists: Option<String> = tx
                .query_row(
                    "SELECT lifecycle_stage FROM experiment WHERE name = ?1",
                    [name],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(stage) = exists {
                let what = if stage == "deleted" {
                    "experiment (deleted; restore it or pick another name)"
                } else {
                    "experiment"
                };
                return Err(TrackError::exists(what, name));
            }
            let now = now_ms();
            tx.execute(
                "INSERT INTO experiment (name, artifact_location, creation_time, last_update_time)
                 VALUES (?1, '', ?2, ?2)",
                params![name, now],
            )?;
            let id = tx.last_insert_rowid();
            let location = artifact_location
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .unwrap_or_else(|| default_location(base, id));
            tx.execute(
                "UPDATE experiment SET artifact_location = ?1 WHERE id = ?2",
                params![location, id],
            )?;
            for t in tags {
                tx.execute(
                    "INSERT OR REPLACE INTO experiment_tag (experiment_id, key, value) VALUES (?1, ?2, ?3)",
                    params![id, t.key, t.value],
                )?;
            }
            Ok(id.to_string())
        })
    }

    /// An experiment by id.
    pub fn get_experiment(&self, id: &str) -> Result<Experiment> {
        let key = experiment_key(id)?;
        self.read(|c| {
            let mut e = c
                .query_row(&format!("{SELECT} WHERE id = ?1"), [key], map_experiment)
                .optional()?
                .ok_or_else(|| TrackError::not_found("experiment", id))?;
            e.tags = experiment_tags(c, key)?;
            Ok(e)
        })
    }

    /// An experiment by name.
    pub fn get_experiment_by_name(&self, name: &str) -> Result<Experiment> {
        self.read(|c| {
            let mut e = c
                .query_row(&format!("{SELECT} WHERE name = ?1"), [name], map_experiment)
                .optional()?
                .ok_or_else(|| TrackError::not_found("experiment", name))?;
            e.tags = experiment_tags(c, e.experiment_id.parse().unwrap_or(-1))?;
            Ok(e)
        })
    }

    /// Renames an experiment.
    pub fn rename_experiment(&self, id: &str, new_name: &str) -> Result<()> {
        validate::name("experiment name", new_name)?;
        let key = experiment_key(id)?;
        self.write(|tx| {
            require_active(tx, key, id)?;
            let taken: Option<i64> = tx
                .query_row(
                    "SELECT id FROM experiment WHERE name = ?1",
                    [new_name],
                    |r| r.get(0),
                )
                .optional()?;
            if taken.is_some_and(|t| t != key) {
                return Err(TrackError::exists("experiment", new_name));
            }
            tx.execute(
                "UPDATE experiment SET name = ?1, last_update_time = ?2 WHERE id = ?3",
                params![new_name, now_ms(), key],
            )?;
            Ok(())
        })
    }

    /// Moves an experiment (and so its runs' visibility) to or from the trash.
    pub fn set_experiment_stage(&self, id: &str, stage: LifecycleStage) -> Result<()> {
        let key = experiment_key(id)?;
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE experiment SET lifecycle_stage = ?1, last_update_time = ?2 WHERE id = ?3",
                params![stage.as_str(), now_ms(), key],
            )?;
            if changed == 0 {
                return Err(TrackError::not_found("experiment", id));
            }
            tx.execute(
                "UPDATE run SET lifecycle_stage = ?1, deleted_time = CASE WHEN ?1 = 'deleted' THEN ?2 END
                 WHERE experiment_id = ?3",
                params![stage.as_str(), now_ms(), key],
            )?;
            Ok(())
        })
    }

    /// Sets (or with `None` deletes) an experiment tag.
    pub fn set_experiment_tag(&self, id: &str, key: &str, value: Option<&str>) -> Result<()> {
        let exp = experiment_key(id)?;
        if let Some(v) = value {
            validate::tag(&KeyValue::new(key, v))?;
        }
        self.write(|tx| {
            require_active(tx, exp, id)?;
            match value {
                Some(v) => tx.execute(
                    "INSERT OR REPLACE INTO experiment_tag (experiment_id, key, value) VALUES (?1, ?2, ?3)",
                    params![exp, key, v],
                )?,
                None => {
                    let n = tx.execute(
                        "DELETE FROM experiment_tag WHERE experiment_id = ?1 AND key = ?2",
                        params![exp, key],
                    )?;
                    if n == 0 {
                        return Err(TrackError::not_found("experiment tag", key));
                    }
                    n
                }
            };
            tx.execute(
                "UPDATE experiment SET last_update_time = ?1 WHERE id = ?2",
                params![now_ms(), exp],
            )?;
            Ok(())
        })
    }
}

/// The numeric key of an experiment id.
pub(crate) fn experiment_key(id: &str) -> Result<i64> {
    id.trim()
        .parse()
        .map_err(|_| TrackError::invalid(format!("experiment id '{id}' is not a number")))
}

pub(super) fn require_active(c: &Connection, key: i64, id: &str) -> Result<()> {
    let stage: Option<String> = c
        .query_row(
            "SELECT lifecycle_stage FROM experiment WHERE id = ?1",
            [key],
            |r| r.get(0),
        )
        .optional()?;
    match stage.as_deref() {
        None => Err(TrackError::not_found("experiment", id)),
        Some("deleted") => Err(TrackError::invalid(format!(
            "experiment '{id}' is deleted: restore it first"
        ))),
        Some(_) => Ok(()),
    }
}

pub(super) fn stage_of(s: &str) -> LifecycleStage {
    LifecycleStage::parse(s)
}
