//! Searches over runs and experiments with MLflow's filter and order syntax, compiled to SQL
//! with bound parameters (never string-spliced values).

use rusqlite::types::Value;

use super::TrackStore;
use super::experiments::experiment_key;
use super::rows::{RUN_COLUMNS, experiment_tags, load_runs, map_experiment, map_run_info};
use crate::error::{Result, TrackError};
use crate::filter::{Condition, Field, Op, like_to_glob, parse_filter, parse_order_by};
use crate::model::*;

/// Most items one search page may ask for.
pub const MAX_RESULTS: usize = 50_000;

/// A run search.
#[derive(Debug, Clone, Default)]
pub struct RunSearch {
    /// The experiments searched (at least one).
    pub experiment_ids: Vec<String>,
    /// MLflow filter, e.g. `metrics.acc > 0.9 and params.model = 'rf'`.
    pub filter: String,
    /// Live, deleted or both.
    pub view: ViewType,
    /// Page size (default 1000).
    pub max_results: Option<usize>,
    /// Order clauses, e.g. `metrics.acc DESC`; newest first after them.
    pub order_by: Vec<String>,
    /// From a previous page.
    pub page_token: Option<String>,
}

/// An experiment search.
#[derive(Debug, Clone, Default)]
pub struct ExperimentSearch {
    /// Filter on `name`, `creation_time`, `last_update_time` and `tags.<key>`.
    pub filter: String,
    /// Live, deleted or both.
    pub view: ViewType,
    /// Page size (default 1000).
    pub max_results: Option<usize>,
    /// Order clauses on `name`, `experiment_id`, `creation_time`, `last_update_time`.
    pub order_by: Vec<String>,
    /// From a previous page.
    pub page_token: Option<String>,
}

/// A registered model or model version search.
#[derive(Debug, Clone, Default)]
pub struct ModelSearch {
    /// Filter, e.g. `name LIKE 'fraud%'` or `run_id = '...'`.
    pub filter: String,
    /// Page size.
    pub max_results: Option<usize>,
    /// Order clauses.
    pub order_by: Vec<String>,
    /// From a previous page.
    pub page_token: Option<String>,
}

/// The offset a page token stands for.
pub(crate) fn offset(token: Option<&str>) -> Result<usize> {
    match token.filter(|t| !t.is_empty()) {
        None => Ok(0),
        Some(t) => t
            .parse()
            .map_err(|_| TrackError::invalid(format!("invalid page token '{t}'"))),
    }
}

/// Cuts the `limit + 1` rows a page query fetched to `limit`, with a token for the next page
/// when there was one more.
pub(crate) fn cut_page<T>(
    mut items: Vec<T>,
    limit: usize,
    offset: usize,
) -> (Vec<T>, Option<String>) {
    let next = (items.len() > limit).then(|| {
        items.truncate(limit);
        (offset + limit).to_string()
    });
    (items, next)
}

pub(crate) fn page_size(max: Option<usize>, default: usize) -> Result<usize> {
    match max {
        None | Some(0) => Ok(default),
        Some(n) if n > MAX_RESULTS => Err(TrackError::invalid(format!(
            "max_results {n} is more than the limit of {MAX_RESULTS}"
        ))),
        Some(n) => Ok(n),
    }
}

/// SQL text with its bound values, built up piece by piece.
#[derive(Default)]
pub(crate) struct Sql {
    pub(crate) text: String,
    pub(crate) values: Vec<Value>,
}

impl Sql {
    pub(crate) fn bind(&mut self, v: impl Into<Value>) -> String {
        self.values.push(v.into());
        format!("?{}", self.values.len())
    }
}

/// `expr <op> value` for a string comparison (=, !=, LIKE, ILIKE, IN, NOT IN).
pub(crate) fn string_cmp(sql: &mut Sql, expr: &str, c: &Condition, lists: bool) -> Result<String> {
    let op = c.string_op()?;
    Ok(match op {
        Op::In | Op::NotIn if lists => {
            let crate::filter::Literal::List(items) = &c.value else {
                return Err(c.invalid("expects a list"));
            };
            let marks: Vec<String> = items.iter().map(|i| sql.bind(i.clone())).collect();
            format!("{expr} {} ({})", op.sql(), marks.join(", "))
        }
        Op::In | Op::NotIn | Op::IsNull | Op::IsNotNull => {
            return Err(c.invalid("is not supported for this field"));
        }
        Op::Like => format!("{expr} GLOB {}", sql.bind(like_to_glob(&c.text()?))),
        Op::ILike => format!("{expr} LIKE {}", sql.bind(c.text()?)),
        _ => format!("{expr} {} {}", op.sql(), sql.bind(c.text()?)),
    })
}

/// `expr <op> number` for a numeric comparison.
pub(crate) fn number_cmp(sql: &mut Sql, expr: &str, c: &Condition) -> Result<String> {
    match c.op {
        Op::Eq | Op::Ne | Op::Lt | Op::Le | Op::Gt | Op::Ge => {
            Ok(format!("{expr} {} {}", c.op.sql(), sql.bind(c.number()?)))
        }
        _ => Err(c.invalid("numbers support =, !=, <, <=, >, >=")),
    }
}

/// A key-value table condition (`param`, `run_tag`, ...) on the row `owner`.
pub(crate) fn pair_cmp(
    sql: &mut Sql,
    table: &str,
    owner: (&str, &str),
    key: &str,
    c: &Condition,
) -> Result<String> {
    let (column, outer) = owner;
    let k = sql.bind(key.to_string());
    let exists = format!("SELECT 1 FROM {table} x WHERE x.{column} = {outer} AND x.key = {k}");
    Ok(match c.op {
        Op::IsNull => format!("NOT EXISTS ({exists})"),
        Op::IsNotNull => format!("EXISTS ({exists})"),
        _ => format!(
            "EXISTS ({exists} AND {})",
            string_cmp(sql, "x.value", c, false)?
        ),
    })
}

fn run_attribute(name: &str) -> Option<(&'static str, bool)> {
    Some(match name {
        "run_id" | "run_uuid" => ("r.run_id", false),
        "run_name" | "run name" | "Run name" | "Run Name" | "name" => ("r.name", false),
        "status" => ("r.status", false),
        "user_id" => ("r.user_id", false),
        "artifact_uri" => ("r.artifact_uri", false),
        "lifecycle_stage" => ("r.lifecycle_stage", false),
        "experiment_id" => ("CAST(r.experiment_id AS TEXT)", false),
        "start_time" | "created" | "Created" => ("r.start_time", true),
        "end_time" => ("r.end_time", true),
        _ => return None,
    })
}

fn run_condition(sql: &mut Sql, c: &Condition) -> Result<String> {
    match &c.field {
        Field::Metric(key) => {
            let k = sql.bind(key.clone());
            let cmp = number_cmp(sql, "m.value", c)?;
            Ok(format!(
                "EXISTS (SELECT 1 FROM latest_metric m WHERE m.run_id = r.run_id AND m.key = {k} AND m.is_nan = 0 AND {cmp})"
            ))
        }
        Field::Param(key) => pair_cmp(sql, "param", ("run_id", "r.run_id"), key, c),
        Field::Tag(key) => pair_cmp(sql, "run_tag", ("run_id", "r.run_id"), key, c),
        Field::Attribute(name) => match run_attribute(name) {
            Some((expr, true)) => number_cmp(sql, expr, c),
            Some((expr, false)) => string_cmp(sql, expr, c, true),
            None => Err(TrackError::invalid(format!(
                "invalid filter: unknown run attribute '{name}' (run_id, run_name, status, user_id, artifact_uri, start_time, end_time)"
            ))),
        },
        Field::Dataset(what) => {
            let expr = match what.as_str() {
                "name" => "d.name",
                "digest" => "d.digest",
                "context" => {
                    "(SELECT json_extract(t.value, '$.value') FROM json_each(i.tags) t WHERE json_extract(t.value, '$.key') = 'mlflow.data.context')"
                }
                other => {
                    return Err(TrackError::invalid(format!(
                        "invalid filter: datasets.{other} (use datasets.name, datasets.digest or datasets.context)"
                    )));
                }
            };
            let cmp = string_cmp(sql, expr, c, true)?;
            Ok(format!(
                "EXISTS (SELECT 1 FROM run_input i JOIN dataset d ON d.id = i.dataset_id WHERE i.run_id = r.run_id AND {cmp})"
            ))
        }
    }
}

/// Joins and ORDER BY terms for run order clauses.
fn run_order(sql: &mut Sql, clauses: &[String]) -> Result<(String, Vec<String>)> {
    let mut joins = String::new();
    let mut terms = Vec::new();
    for (i, clause) in clauses.iter().enumerate() {
        let o = parse_order_by(clause)?;
        let dir = if o.ascending { "ASC" } else { "DESC" };
        let (table, key) = match &o.field {
            Field::Metric(k) => ("latest_metric", k),
            Field::Param(k) => ("param", k),
            Field::Tag(k) => ("run_tag", k),
            Field::Attribute(a) => {
                let (expr, _) = run_attribute(a).ok_or_else(|| {
                    TrackError::invalid(format!("invalid order_by: unknown run attribute '{a}'"))
                })?;
                terms.push(format!("{expr} {dir}"));
                continue;
            }
            Field::Dataset(_) => {
                return Err(TrackError::invalid(
                    "invalid order_by: datasets cannot be ordered",
                ));
            }
        };
        let k = sql.bind(key.clone());
        joins.push_str(&format!(
            " LEFT JOIN {table} o{i} ON o{i}.run_id = r.run_id AND o{i}.key = {k}"
        ));
        let nan = if table == "latest_metric" {
            format!(", o{i}.is_nan")
        } else {
            String::new()
        };
        terms.push(format!("(o{i}.value IS NULL){nan}, o{i}.value {dir}"));
    }
    terms.push("r.start_time DESC".into());
    terms.push("r.run_id".into());
    Ok((joins, terms))
}

impl TrackStore {
    /// Runs matching a search, in full.
    pub fn search_runs(&self, search: &RunSearch) -> Result<Page<Run>> {
        let (sql, limit, offset) = compile_run_search(search, RUN_COLUMNS)?;
        self.read(|c| {
            let mut stmt = c.prepare(&sql.text)?;
            let infos = stmt
                .query_map(rusqlite::params_from_iter(sql.values.iter()), map_run_info)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let (infos, next_page_token) = cut_page(infos, limit, offset);
            Ok(Page {
                items: load_runs(c, infos)?,
                next_page_token,
            })
        })
    }

    /// Experiments matching a search.
    pub fn search_experiments(&self, search: &ExperimentSearch) -> Result<Page<Experiment>> {
        let limit = page_size(search.max_results, 1000)?;
        let offset = offset(search.page_token.as_deref())?;
        let mut sql = Sql::default();
        let mut conds = vec![search.view.sql("e.lifecycle_stage")];
        for c in parse_filter(&search.filter)? {
            conds.push(match &c.field {
                Field::Tag(key) => pair_cmp(&mut sql, "experiment_tag", ("experiment_id", "e.id"), key, &c)?,
                Field::Attribute(a) => match a.as_str() {
                    "name" => string_cmp(&mut sql, "e.name", &c, true)?,
                    "creation_time" => number_cmp(&mut sql, "e.creation_time", &c)?,
                    "last_update_time" => number_cmp(&mut sql, "e.last_update_time", &c)?,
                    "experiment_id" => string_cmp(&mut sql, "CAST(e.id AS TEXT)", &c, true)?,
                    other => {
                        return Err(TrackError::invalid(format!(
                            "invalid filter: unknown experiment attribute '{other}' (name, creation_time, last_update_time)"
                        )));
                    }
                },
                _ => return Err(c.invalid("experiments can be filtered by attributes and tags")),
            });
        }
        let mut terms = Vec::new();
        for clause in &search.order_by {
            let o = parse_order_by(clause)?;
            let expr = match &o.field {
                Field::Attribute(a) => match a.as_str() {
                    "name" => "e.name",
                    "experiment_id" => "e.id",
                    "creation_time" => "e.creation_time",
                    "last_update_time" => "e.last_update_time",
                    other => {
                        return Err(TrackError::invalid(format!(
                            "invalid order_by: unknown experiment attribute '{other}'"
                        )));
                    }
                },
                _ => return Err(TrackError::invalid("experiments are ordered by attributes")),
            };
            terms.push(format!(
                "{expr} {}",
                if o.ascending { "ASC" } else { "DESC" }
            ));
        }
        terms.push("e.creation_time DESC".into());
        terms.push("e.id DESC".into());
        sql.text = format!(
            "SELECT e.id, e.name, e.artifact_location, e.lifecycle_stage, e.creation_time, e.last_update_time
             FROM experiment e WHERE {} ORDER BY {} LIMIT {} OFFSET {}",
            conds.join(" AND "),
            terms.join(", "),
            limit + 1,
            offset
        );
        self.read(|c| {
            let mut stmt = c.prepare(&sql.text)?;
            let items = stmt
                .query_map(
                    rusqlite::params_from_iter(sql.values.iter()),
                    map_experiment,
                )?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let (mut items, next_page_token) = cut_page(items, limit, offset);
            for e in &mut items {
                e.tags = experiment_tags(c, e.experiment_id.parse().unwrap_or(-1))?;
            }
            Ok(Page {
                items,
                next_page_token,
            })
        })
    }
}

/// The SQL of a run search selecting `columns`, its page size and offset.
pub(crate) fn compile_run_search(search: &RunSearch, columns: &str) -> Result<(Sql, usize, usize)> {
    let limit = page_size(search.max_results, 1000)?;
    let offset = offset(search.page_token.as_deref())?;
    let mut sql = Sql::default();
    let conds = run_where(&mut sql, search)?;
    let (joins, terms) = run_order(&mut sql, &search.order_by)?;
    sql.text = format!(
        "SELECT {columns} FROM run r{joins} WHERE {conds} ORDER BY {} LIMIT {} OFFSET {}",
        terms.join(", "),
        limit + 1,
        offset
    );
    Ok((sql, limit, offset))
}

/// The WHERE clause of a run search (experiments, lifecycle stage, filter).
pub(crate) fn run_where(sql: &mut Sql, search: &RunSearch) -> Result<String> {
    if search.experiment_ids.is_empty() {
        return Err(TrackError::invalid(
            "a run search needs at least one experiment id",
        ));
    }
    let ids = search
        .experiment_ids
        .iter()
        .map(|id| experiment_key(id).map(|k| sql.bind(k)))
        .collect::<Result<Vec<_>>>()?;
    let mut conds = vec![
        format!("r.experiment_id IN ({})", ids.join(", ")),
        search.view.sql("r.lifecycle_stage"),
    ];
    for c in parse_filter(&search.filter)? {
        conds.push(run_condition(sql, &c)?);
    }
    Ok(conds.join(" AND "))
}
