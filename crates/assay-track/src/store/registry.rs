//! The model registry: registered models, their versions, tags and aliases.

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::search::{
    ModelSearch, Sql, cut_page, number_cmp, offset, page_size, pair_cmp, string_cmp,
};
use super::{TrackStore, now_ms};
use crate::error::{Result, TrackError};
use crate::filter::{Field, parse_filter, parse_order_by};
use crate::model::*;
use crate::validate;

/// The legacy stages a version can be in.
pub const STAGES: [&str; 4] = ["None", "Staging", "Production", "Archived"];

/// A new model version.
#[derive(Debug, Clone, Default)]
pub struct NewModelVersion {
    /// The registered model (it must exist).
    pub name: String,
    /// Where its files are.
    pub source: String,
    /// The run that made it (taken from the logged model when absent).
    pub run_id: Option<String>,
    /// Tags.
    pub tags: Vec<KeyValue>,
    /// Link to the run.
    pub run_link: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// The logged model (MLflow 3).
    pub model_id: Option<String>,
    /// Who registers it.
    pub user_id: Option<String>,
}

const VERSION_COLUMNS: &str = "v.name, v.version, v.creation_timestamp, v.last_updated_timestamp, v.user_id, v.current_stage, v.description, v.source, v.run_id, v.status, v.run_link, v.model_id";

fn map_version(r: &rusqlite::Row<'_>) -> rusqlite::Result<ModelVersion> {
    Ok(ModelVersion {
        name: r.get(0)?,
        version: r.get::<_, i64>(1)?.to_string(),
        creation_timestamp: r.get(2)?,
        last_updated_timestamp: r.get(3)?,
        user_id: r.get(4)?,
        current_stage: r.get(5)?,
        description: r.get(6)?,
        source: r.get(7)?,
        run_id: r.get(8)?,
        status: r.get(9)?,
        run_link: r.get(10)?,
        model_id: r.get(11)?,
        tags: Vec::new(),
        aliases: Vec::new(),
    })
}

fn version_number(version: &str) -> Result<i64> {
    version
        .trim()
        .parse()
        .ok()
        .filter(|v: &i64| *v > 0)
        .ok_or_else(|| {
            TrackError::invalid(format!(
                "model version '{version}' is not a positive whole number"
            ))
        })
}

fn require_model(c: &Connection, name: &str) -> Result<()> {
    let found: Option<i64> = c
        .query_row(
            "SELECT 1 FROM registered_model WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .optional()?;
    found
        .map(|_| ())
        .ok_or_else(|| TrackError::not_found("registered model", name))
}

fn require_version(c: &Connection, name: &str, version: i64) -> Result<()> {
    let found: Option<i64> = c
        .query_row(
            "SELECT 1 FROM model_version WHERE name = ?1 AND version = ?2",
            params![name, version],
            |r| r.get(0),
        )
        .optional()?;
    found
        .map(|_| ())
        .ok_or_else(|| TrackError::not_found("model version", format!("{name} version {version}")))
}

fn fill_version(c: &Connection, v: &mut ModelVersion) -> Result<()> {
    let n: i64 = v.version.parse().unwrap_or(0);
    let mut stmt = c.prepare_cached(
        "SELECT key, value FROM model_version_tag WHERE name = ?1 AND version = ?2 ORDER BY key",
    )?;
    v.tags = stmt
        .query_map(params![v.name, n], |r| {
            Ok(KeyValue::new(
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = c.prepare_cached(
        "SELECT alias FROM model_alias WHERE name = ?1 AND version = ?2 ORDER BY alias",
    )?;
    v.aliases = stmt
        .query_map(params![v.name, n], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(())
}

fn read_version(c: &Connection, name: &str, version: i64) -> Result<ModelVersion> {
    let mut v = c
        .query_row(
            &format!(
                "SELECT {VERSION_COLUMNS} FROM model_version v WHERE v.name = ?1 AND v.version = ?2"
            ),
            params![name, version],
            map_version,
        )
        .optional()?
        .ok_or_else(|| {
            TrackError::not_found("model version", format!("{name} version {version}"))
        })?;
    fill_version(c, &mut v)?;
    Ok(v)
}

fn read_model(c: &Connection, name: &str) -> Result<RegisteredModel> {
    let mut m = c
        .query_row(
            "SELECT name, creation_timestamp, last_updated_timestamp, description FROM registered_model WHERE name = ?1",
            [name],
            |r| {
                Ok(RegisteredModel {
                    name: r.get(0)?,
                    creation_timestamp: r.get(1)?,
                    last_updated_timestamp: r.get(2)?,
                    description: r.get(3)?,
                    latest_versions: Vec::new(),
                    tags: Vec::new(),
                    aliases: Vec::new(),
                })
            },
        )
        .optional()?
        .ok_or_else(|| TrackError::not_found("registered model", name))?;
    m.tags = super::rows::pairs(
        c,
        "SELECT key, value FROM registered_model_tag WHERE name = ?1 ORDER BY key",
        name,
    )?;
    let mut stmt =
        c.prepare_cached("SELECT alias, version FROM model_alias WHERE name = ?1 ORDER BY alias")?;
    m.aliases = stmt
        .query_map([name], |r| {
            Ok(ModelAlias {
                alias: r.get(0)?,
                version: r.get::<_, i64>(1)?.to_string(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    m.latest_versions = latest_versions(c, name, &[])?;
    Ok(m)
}

fn latest_versions(c: &Connection, name: &str, stages: &[String]) -> Result<Vec<ModelVersion>> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT {VERSION_COLUMNS} FROM model_version v WHERE v.name = ?1 AND v.version =
           (SELECT MAX(w.version) FROM model_version w WHERE w.name = v.name AND w.current_stage = v.current_stage)
         ORDER BY v.version"
    ))?;
    let mut out = Vec::new();
    for v in stmt.query_map([name], map_version)? {
        let mut v = v?;
        if stages.is_empty()
            || stages
                .iter()
                .any(|s| s.eq_ignore_ascii_case(&v.current_stage))
        {
            fill_version(c, &mut v)?;
            out.push(v);
        }
    }
    Ok(out)
}

fn touch_model(tx: &Transaction<'_>, name: &str) -> Result<()> {
    tx.execute(
        "UPDATE registered_model SET last_updated_timestamp = ?1 WHERE name = ?2",
        params![now_ms(), name],
    )?;
    Ok(())
}

fn canonical_stage(stage: &str) -> Result<&'static str> {
    STAGES
        .iter()
        .find(|s| s.eq_ignore_ascii_case(stage))
        .copied()
        .ok_or_else(|| {
            TrackError::invalid(format!(
                "invalid model version stage '{stage}': use one of {}",
                STAGES.join(", ")
            ))
        })
}

fn validate_alias(alias: &str) -> Result<()> {
    validate::name("alias", alias)?;
    let reserved = alias.eq_ignore_ascii_case("latest")
        || (alias.len() > 1
            && alias.starts_with(['v', 'V'])
            && alias[1..].chars().all(|c| c.is_ascii_digit()));
    if reserved {
        return Err(TrackError::invalid(format!(
            "'{alias}' is reserved and cannot be used as an alias"
        )));
    }
    Ok(())
}

impl TrackStore {
    /// Registers a model name.
    pub fn create_registered_model(
        &self,
        name: &str,
        tags: &[KeyValue],
        description: Option<&str>,
    ) -> Result<RegisteredModel> {
        validate::name("registered model name", name)?;
        for t in tags {
            validate::tag(t)?;
        }
        self.write(|tx| {
            if require_model(tx, name).is_ok() {
                return Err(TrackError::exists("registered model", name));
            }
            let now = now_ms();
            tx.execute(
                "INSERT INTO registered_model (name, creation_timestamp, last_updated_timestamp, description)
                 VALUES (?1, ?2, ?2, ?3)",
                params![name, now, description.unwrap_or("")],
            )?;
            for t in tags {
                tx.execute(
                    "INSERT OR REPLACE INTO registered_model_tag (name, key, value) VALUES (?1, ?2, ?3)",
                    params![name, t.key, t.value],
                )?;
            }
            read_model(tx, name)
        })
    }

    /// A registered model with its newest versions, tags and aliases.
    pub fn get_registered_model(&self, name: &str) -> Result<RegisteredModel> {
        self.read(|c| read_model(c, name))
    }

    /// Renames a registered model (its versions, tags and aliases follow).
    pub fn rename_registered_model(&self, name: &str, new_name: &str) -> Result<RegisteredModel> {
        validate::name("registered model name", new_name)?;
        self.write(|tx| {
            require_model(tx, name)?;
            if name != new_name && require_model(tx, new_name).is_ok() {
                return Err(TrackError::exists("registered model", new_name));
            }
            tx.execute(
                "UPDATE registered_model SET name = ?1, last_updated_timestamp = ?2 WHERE name = ?3",
                params![new_name, now_ms(), name],
            )?;
            read_model(tx, new_name)
        })
    }

    /// Changes a registered model's description.
    pub fn update_registered_model(
        &self,
        name: &str,
        description: &str,
    ) -> Result<RegisteredModel> {
        self.write(|tx| {
            require_model(tx, name)?;
            tx.execute(
                "UPDATE registered_model SET description = ?1, last_updated_timestamp = ?2 WHERE name = ?3",
                params![description, now_ms(), name],
            )?;
            read_model(tx, name)
        })
    }

    /// Deletes a registered model with its versions, tags and aliases.
    pub fn delete_registered_model(&self, name: &str) -> Result<()> {
        self.write(|tx| {
            require_model(tx, name)?;
            tx.execute("DELETE FROM registered_model WHERE name = ?1", [name])?;
            Ok(())
        })
    }

    /// Sets (or with `None` deletes) a registered model tag.
    pub fn set_registered_model_tag(
        &self,
        name: &str,
        key: &str,
        value: Option<&str>,
    ) -> Result<()> {
        if let Some(v) = value {
            validate::tag(&KeyValue::new(key, v))?;
        }
        self.write(|tx| {
            require_model(tx, name)?;
            match value {
                Some(v) => tx.execute(
                    "INSERT OR REPLACE INTO registered_model_tag (name, key, value) VALUES (?1, ?2, ?3)",
                    params![name, key, v],
                )?,
                None => tx.execute(
                    "DELETE FROM registered_model_tag WHERE name = ?1 AND key = ?2",
                    params![name, key],
                )?,
            };
            touch_model(tx, name)
        })
    }

    /// The newest version in each of `stages` (all stages when empty).
    pub fn get_latest_versions(&self, name: &str, stages: &[String]) -> Result<Vec<ModelVersion>> {
        self.read(|c| {
            require_model(c, name)?;
            latest_versions(c, name, stages)
        })
    }

    /// Registers a new version (number = one more than any version ever made).
    pub fn create_model_version(&self, new: &NewModelVersion) -> Result<ModelVersion> {
        if new.source.trim().is_empty() {
            return Err(TrackError::invalid("a model version needs a source"));
        }
        for t in &new.tags {
            validate::tag(t)?;
        }
        self.write(|tx| {
            require_model(tx, &new.name)?;
            let version: i64 = tx.query_row(
                "SELECT next_version FROM registered_model WHERE name = ?1",
                [&new.name],
                |r| r.get(0),
            )?;
            let run_id = match (&new.run_id, &new.model_id) {
                (Some(r), _) if !r.is_empty() => r.clone(),
                (_, Some(m)) => tx
                    .query_row(
                        "SELECT source_run_id FROM logged_model WHERE model_id = ?1",
                        [m],
                        |r| r.get::<_, Option<String>>(0),
                    )
                    .optional()?
                    .flatten()
                    .unwrap_or_default(),
                _ => String::new(),
            };
            let now = now_ms();
            tx.execute(
                "INSERT INTO model_version (name, version, creation_timestamp, last_updated_timestamp, user_id,
                   description, source, run_id, run_link, model_id)
                 VALUES (?1, ?2, ?3, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    new.name,
                    version,
                    now,
                    new.user_id.as_deref().unwrap_or(""),
                    new.description.as_deref().unwrap_or(""),
                    new.source,
                    run_id,
                    new.run_link.as_deref().unwrap_or(""),
                    new.model_id
                ],
            )?;
            for t in &new.tags {
                tx.execute(
                    "INSERT OR REPLACE INTO model_version_tag (name, version, key, value) VALUES (?1, ?2, ?3, ?4)",
                    params![new.name, version, t.key, t.value],
                )?;
            }
            tx.execute(
                "UPDATE registered_model SET next_version = ?1, last_updated_timestamp = ?2 WHERE name = ?3",
                params![version + 1, now, new.name],
            )?;
            read_version(tx, &new.name, version)
        })
    }

    /// The versions (of any model) carrying the tag `key` = `value`.
    pub fn model_versions_with_tag(&self, key: &str, value: &str) -> Result<Vec<ModelVersion>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT name, version FROM model_version_tag WHERE key = ?1 AND value = ?2",
            )?;
            let keys = stmt
                .query_map(params![key, value], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            keys.iter().map(|(n, v)| read_version(c, n, *v)).collect()
        })
    }

    /// One version.
    pub fn get_model_version(&self, name: &str, version: &str) -> Result<ModelVersion> {
        let n = version_number(version)?;
        self.read(|c| read_version(c, name, n))
    }

    /// Changes a version's description.
    pub fn update_model_version(
        &self,
        name: &str,
        version: &str,
        description: &str,
    ) -> Result<ModelVersion> {
        let n = version_number(version)?;
        self.write(|tx| {
            require_version(tx, name, n)?;
            tx.execute(
                "UPDATE model_version SET description = ?1, last_updated_timestamp = ?2 WHERE name = ?3 AND version = ?4",
                params![description, now_ms(), name, n],
            )?;
            read_version(tx, name, n)
        })
    }

    /// Moves a version to a legacy stage, optionally archiving the others in that stage.
    pub fn transition_model_version_stage(
        &self,
        name: &str,
        version: &str,
        stage: &str,
        archive_existing: bool,
    ) -> Result<ModelVersion> {
        let n = version_number(version)?;
        let stage = canonical_stage(stage)?;
        self.write(|tx| {
            require_version(tx, name, n)?;
            let now = now_ms();
            if archive_existing && matches!(stage, "Staging" | "Production") {
                tx.execute(
                    "UPDATE model_version SET current_stage = 'Archived', last_updated_timestamp = ?1
                     WHERE name = ?2 AND version != ?3 AND current_stage = ?4",
                    params![now, name, n, stage],
                )?;
            }
            tx.execute(
                "UPDATE model_version SET current_stage = ?1, last_updated_timestamp = ?2 WHERE name = ?3 AND version = ?4",
                params![stage, now, name, n],
            )?;
            read_version(tx, name, n)
        })
    }

    /// Deletes a version (its number is never reused) and the aliases on it.
    pub fn delete_model_version(&self, name: &str, version: &str) -> Result<()> {
        let n = version_number(version)?;
        self.write(|tx| {
            require_version(tx, name, n)?;
            tx.execute(
                "DELETE FROM model_alias WHERE name = ?1 AND version = ?2",
                params![name, n],
            )?;
            tx.execute(
                "DELETE FROM model_version WHERE name = ?1 AND version = ?2",
                params![name, n],
            )?;
            touch_model(tx, name)
        })
    }

    /// Sets (or with `None` deletes) a version tag.
    pub fn set_model_version_tag(
        &self,
        name: &str,
        version: &str,
        key: &str,
        value: Option<&str>,
    ) -> Result<()> {
        let n = version_number(version)?;
        if let Some(v) = value {
            validate::tag(&KeyValue::new(key, v))?;
        }
        self.write(|tx| {
            require_version(tx, name, n)?;
            match value {
                Some(v) => tx.execute(
                    "INSERT OR REPLACE INTO model_version_tag (name, version, key, value) VALUES (?1, ?2, ?3, ?4)",
                    params![name, n, key, v],
                )?,
                None => tx.execute(
                    "DELETE FROM model_version_tag WHERE name = ?1 AND version = ?2 AND key = ?3",
                    params![name, n, key],
                )?,
            };
            Ok(())
        })
    }

    /// Points an alias at a version (moving it if it pointed elsewhere).
    pub fn set_model_alias(&self, name: &str, alias: &str, version: &str) -> Result<()> {
        validate_alias(alias)?;
        let n = version_number(version)?;
        self.write(|tx| {
            require_version(tx, name, n)?;
            tx.execute(
                "INSERT OR REPLACE INTO model_alias (name, alias, version) VALUES (?1, ?2, ?3)",
                params![name, alias, n],
            )?;
            touch_model(tx, name)
        })
    }

    /// Removes an alias.
    pub fn delete_model_alias(&self, name: &str, alias: &str) -> Result<()> {
        self.write(|tx| {
            require_model(tx, name)?;
            let n = tx.execute(
                "DELETE FROM model_alias WHERE name = ?1 AND alias = ?2",
                params![name, alias],
            )?;
            if n == 0 {
                return Err(TrackError::not_found("alias", format!("{name}@{alias}")));
            }
            touch_model(tx, name)
        })
    }

    /// The version an alias points at.
    pub fn get_model_version_by_alias(&self, name: &str, alias: &str) -> Result<ModelVersion> {
        self.read(|c| {
            require_model(c, name)?;
            let version: i64 = c
                .query_row(
                    "SELECT version FROM model_alias WHERE name = ?1 AND alias = ?2",
                    params![name, alias],
                    |r| r.get(0),
                )
                .optional()?
                .ok_or_else(|| TrackError::not_found("alias", format!("{name}@{alias}")))?;
            read_version(c, name, version)
        })
    }

    /// Where a version's files can be downloaded from: its logged model's artifacts when it
    /// has one, else its source.
    pub fn model_version_download_uri(&self, name: &str, version: &str) -> Result<String> {
        let v = self.get_model_version(name, version)?;
        if let Some(id) = &v.model_id
            && let Ok(m) = self.get_logged_model(id)
        {
            return Ok(m.info.artifact_uri);
        }
        Ok(v.source)
    }

    /// Registered models matching a search (filter on `name` and `tags.<key>`).
    pub fn search_registered_models(&self, search: &ModelSearch) -> Result<Page<RegisteredModel>> {
        let limit = page_size(search.max_results, 100)?;
        let offset = offset(search.page_token.as_deref())?;
        let mut sql = Sql::default();
        let mut conds = vec!["1 = 1".to_string()];
        for c in parse_filter(&search.filter)? {
            conds.push(match &c.field {
                Field::Attribute(a) if a == "name" => string_cmp(&mut sql, "m.name", &c, true)?,
                Field::Tag(key) => pair_cmp(
                    &mut sql,
                    "registered_model_tag",
                    ("name", "m.name"),
                    key,
                    &c,
                )?,
                _ => return Err(c.invalid("registered models can be filtered by name and tags")),
            });
        }
        let mut terms = Vec::new();
        for clause in &search.order_by {
            let o = parse_order_by(clause)?;
            let expr = match &o.field {
                Field::Attribute(a) => match a.as_str() {
                    "name" => "m.name",
                    "creation_timestamp" | "timestamp" => "m.creation_timestamp",
                    "last_updated_timestamp" => "m.last_updated_timestamp",
                    other => {
                        return Err(TrackError::invalid(format!(
                            "invalid order_by: registered models have no attribute '{other}'"
                        )));
                    }
                },
                _ => {
                    return Err(TrackError::invalid(
                        "registered models are ordered by attributes",
                    ));
                }
            };
            terms.push(format!(
                "{expr} {}",
                if o.ascending { "ASC" } else { "DESC" }
            ));
        }
        terms.push("m.name ASC".into());
        sql.text = format!(
            "SELECT m.name FROM registered_model m WHERE {} ORDER BY {} LIMIT {} OFFSET {}",
            conds.join(" AND "),
            terms.join(", "),
            limit + 1,
            offset
        );
        self.read(|c| {
            let mut stmt = c.prepare(&sql.text)?;
            let names = stmt
                .query_map(rusqlite::params_from_iter(sql.values.iter()), |r| {
                    r.get::<_, String>(0)
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let (names, next_page_token) = cut_page(names, limit, offset);
            let items = names
                .iter()
                .map(|n| read_model(c, n))
                .collect::<Result<_>>()?;
            Ok(Page {
                items,
                next_page_token,
            })
        })
    }

    /// Model versions matching a search (filter on `name`, `run_id`, `source_path`,
    /// `version_number` and `tags.<key>`).
    pub fn search_model_versions(&self, search: &ModelSearch) -> Result<Page<ModelVersion>> {
        let limit = page_size(search.max_results, 10_000)?;
        let offset = offset(search.page_token.as_deref())?;
        let mut sql = Sql::default();
        let mut conds = vec!["1 = 1".to_string()];
        for c in parse_filter(&search.filter)? {
            conds.push(match &c.field {
                Field::Attribute(a) => match a.as_str() {
                    "name" => string_cmp(&mut sql, "v.name", &c, true)?,
                    "run_id" => string_cmp(&mut sql, "v.run_id", &c, true)?,
                    "source_path" | "source" => string_cmp(&mut sql, "v.source", &c, true)?,
                    "version_number" => number_cmp(&mut sql, "v.version", &c)?,
                    "model_id" => string_cmp(&mut sql, "v.model_id", &c, true)?,
                    other => {
                        return Err(TrackError::invalid(format!(
                            "invalid filter: model versions have no attribute '{other}'"
                        )));
                    }
                },
                Field::Tag(key) => {
                    let k = sql.bind(key.clone());
                    let cmp = string_cmp(&mut sql, "t.value", &c, false)?;
                    format!(
                        "EXISTS (SELECT 1 FROM model_version_tag t WHERE t.name = v.name AND t.version = v.version AND t.key = {k} AND {cmp})"
                    )
                }
                _ => return Err(c.invalid("model versions can be filtered by attributes and tags")),
            });
        }
        let mut terms = Vec::new();
        for clause in &search.order_by {
            let o = parse_order_by(clause)?;
            let expr = match &o.field {
                Field::Attribute(a) => match a.as_str() {
                    "name" => "v.name",
                    "version_number" | "version" => "v.version",
                    "creation_timestamp" | "timestamp" => "v.creation_timestamp",
                    "last_updated_timestamp" => "v.last_updated_timestamp",
                    other => {
                        return Err(TrackError::invalid(format!(
                            "invalid order_by: model versions have no attribute '{other}'"
                        )));
                    }
                },
                _ => {
                    return Err(TrackError::invalid(
                        "model versions are ordered by attributes",
                    ));
                }
            };
            terms.push(format!(
                "{expr} {}",
                if o.ascending { "ASC" } else { "DESC" }
            ));
        }
        terms.push("v.last_updated_timestamp DESC".into());
        terms.push("v.name".into());
        terms.push("v.version DESC".into());
        sql.text = format!(
            "SELECT {VERSION_COLUMNS} FROM model_version v WHERE {} ORDER BY {} LIMIT {} OFFSET {}",
            conds.join(" AND "),
            terms.join(", "),
            limit + 1,
            offset
        );
        self.read(|c| {
            let mut stmt = c.prepare(&sql.text)?;
            let items = stmt
                .query_map(rusqlite::params_from_iter(sql.values.iter()), map_version)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let (mut items, next_page_token) = cut_page(items, limit, offset);
            for v in &mut items {
                fill_version(c, v)?;
            }
            Ok(Page {
                items,
                next_page_token,
            })
        })
    }
}
