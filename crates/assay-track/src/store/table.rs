//! The runs table of the app: one page of matching runs with their latest metrics, parameters
//! and tags as columns, the total count, every column key of the experiments, and group
//! statistics by a parameter. Filtering, sorting and paging happen in SQLite, so 10,000 runs
//! with hundreds of columns cost one page, not the whole table.

use std::collections::BTreeMap;

use rusqlite::params_from_iter;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::TrackStore;
use super::rows::{RUN_COLUMNS, map_run_info};
use super::search::{RunSearch, Sql, compile_run_search, run_where};
use crate::error::Result;
use crate::model::RunInfo;

/// One row of the runs table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RunRow {
    /// The run's metadata.
    pub info: RunInfo,
    /// Latest value of each metric (NaN as `"NaN"`).
    #[ts(type = "Record<string, number | string>")]
    pub metrics: BTreeMap<String, MetricValue>,
    /// Parameters.
    pub params: BTreeMap<String, String>,
    /// Tags.
    pub tags: BTreeMap<String, String>,
}

/// A metric value that keeps NaN and infinities through JSON.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MetricValue(#[serde(with = "crate::float")] pub f64);

/// The metric, parameter and tag keys used in some experiments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
pub struct RunColumns {
    /// Metric keys.
    pub metrics: Vec<String>,
    /// Parameter keys.
    pub params: Vec<String>,
    /// Tag keys.
    pub tags: Vec<String>,
}

/// One page of the runs table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RunsPage {
    /// Runs matching the filter, in all.
    pub total: u64,
    /// Where this page starts.
    pub offset: u64,
    /// The page.
    pub rows: Vec<RunRow>,
}

/// Mean, spread and range of a metric over a group of runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MetricSummary {
    /// Runs with a finite value.
    pub count: u64,
    /// Mean.
    pub mean: f64,
    /// Sample standard deviation (0 for one run).
    pub std: f64,
    /// Smallest.
    pub min: f64,
    /// Largest.
    pub max: f64,
}

/// The runs sharing one value of the grouping parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RunGroup {
    /// The parameter's value (`None`: runs without it).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Runs in the group.
    pub runs: u64,
    /// Each asked-for metric's summary.
    pub metrics: BTreeMap<String, MetricSummary>,
}

impl TrackStore {
    /// The metric, parameter and tag keys of some experiments, sorted.
    pub fn run_columns(&self, experiment_ids: &[String]) -> Result<RunColumns> {
        let ids: Vec<i64> = experiment_ids
            .iter()
            .map(|id| super::experiments::experiment_key(id))
            .collect::<Result<_>>()?;
        self.read(|c| {
            let marks = vec!["?"; ids.len()].join(", ");
            let mut stmt = c.prepare(&format!(
                "SELECT DISTINCT kind, key FROM experiment_key WHERE experiment_id IN ({marks}) ORDER BY key"
            ))?;
            let mut cols = RunColumns::default();
            let mut rows = stmt.query(params_from_iter(ids.iter()))?;
            while let Some(r) = rows.next()? {
                let kind: String = r.get(0)?;
                let key: String = r.get(1)?;
                match kind.as_str() {
                    "metric" => cols.metrics.push(key),
                    "param" => cols.params.push(key),
                    _ => cols.tags.push(key),
                }
            }
            for list in [&mut cols.metrics, &mut cols.params, &mut cols.tags] {
                list.dedup();
            }
            Ok(cols)
        })
    }

    /// One page (`offset`, `limit`) of the runs matching `search` (its `max_results` and
    /// `page_token` are ignored), with the total.
    pub fn runs_page(&self, search: &RunSearch, offset: u64, limit: usize) -> Result<RunsPage> {
        let paged = RunSearch {
            max_results: Some(limit.clamp(1, 5000)),
            page_token: Some(offset.to_string()),
            ..search.clone()
        };
        let (sql, limit, _) = compile_run_search(&paged, RUN_COLUMNS)?;
        let mut count = Sql::default();
        let conds = run_where(&mut count, search)?;
        count.text = format!("SELECT COUNT(*) FROM run r WHERE {conds}");
        self.read(|c| {
            let total: i64 =
                c.query_row(&count.text, params_from_iter(count.values.iter()), |r| {
                    r.get(0)
                })?;
            let mut stmt = c.prepare(&sql.text)?;
            let mut infos = stmt
                .query_map(params_from_iter(sql.values.iter()), map_run_info)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            infos.truncate(limit);
            let rows = super::rows::load_runs(c, infos)?
                .into_iter()
                .map(|run| RunRow {
                    metrics: run
                        .data
                        .metrics
                        .into_iter()
                        .map(|m| (m.key, MetricValue(m.value)))
                        .collect(),
                    params: run
                        .data
                        .params
                        .into_iter()
                        .map(|p| (p.key, p.value))
                        .collect(),
                    tags: run
                        .data
                        .tags
                        .into_iter()
                        .map(|t| (t.key, t.value))
                        .collect(),
                    info: run.info,
                })
                .collect();
            Ok(RunsPage {
                total: total as u64,
                offset,
                rows,
            })
        })
    }

    /// Runs matching `search` grouped by a parameter's value, with summaries of `metrics`.
    pub fn group_runs(
        &self,
        search: &RunSearch,
        param: &str,
        metrics: &[String],
    ) -> Result<Vec<RunGroup>> {
        let mut sql = Sql::default();
        let conds = run_where(&mut sql, search)?;
        let p = sql.bind(param.to_string());
        sql.text = format!(
            "SELECT (SELECT value FROM param x WHERE x.run_id = r.run_id AND x.key = {p}), m.key, m.value, m.is_nan
             FROM run r LEFT JOIN latest_metric m ON m.run_id = r.run_id WHERE {conds}"
        );
        self.read(|c| {
            let mut stmt = c.prepare(&sql.text)?;
            let mut rows = stmt.query(params_from_iter(sql.values.iter()))?;
            let mut groups: BTreeMap<Option<String>, GroupValues> = BTreeMap::new();
            while let Some(r) = rows.next()? {
                let value: Option<String> = r.get(0)?;
                let key: Option<String> = r.get(1)?;
                let group = groups.entry(value).or_default();
                if let Some(key) = key.filter(|k| metrics.contains(k)) {
                    let nan: bool = r.get(3)?;
                    let v: f64 = r.get(2)?;
                    if !nan && v.is_finite() {
                        group.1.entry(key).or_default().push(v);
                    }
                }
            }
            // A run has many metric rows: count runs per group in a query of their own.
            let mut count_sql = Sql::default();
            let conds = run_where(&mut count_sql, search)?;
            let p = count_sql.bind(param.to_string());
            let text = format!(
                "SELECT (SELECT value FROM param x WHERE x.run_id = r.run_id AND x.key = {p}), COUNT(*)
                 FROM run r WHERE {conds} GROUP BY 1"
            );
            let mut stmt = c.prepare(&text)?;
            let mut counts = stmt.query(params_from_iter(count_sql.values.iter()))?;
            while let Some(r) = counts.next()? {
                let value: Option<String> = r.get(0)?;
                groups.entry(value).or_default().0 = r.get::<_, i64>(1)? as u64;
            }
            Ok(groups
                .into_iter()
                .map(|(value, (runs, values))| RunGroup {
                    value,
                    runs,
                    metrics: values.into_iter().map(|(k, v)| (k, summarize(&v))).collect(),
                })
                .collect())
        })
    }
}

/// A group's run count and each metric's finite values.
type GroupValues = (u64, BTreeMap<String, Vec<f64>>);

fn summarize(values: &[f64]) -> MetricSummary {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = if values.len() > 1 {
        values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)
    } else {
        0.0
    };
    MetricSummary {
        count: values.len() as u64,
        mean,
        std: var.sqrt(),
        min: values.iter().copied().fold(f64::INFINITY, f64::min),
        max: values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    }
}
