//! Quality runs in the store: one row per run of a rule suite (its full result as JSON) and one
//! row per rule outcome, so trends and `change` checks read a rule's past without parsing
//! documents.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, params};

use super::Store;
use crate::ProjectError;

/// A finished run of a rule suite.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredQualityRun {
    /// What is listed and charted.
    pub summary: QualityRunRow,
    /// The data file's content hash, when known.
    pub fingerprint: Option<String>,
    /// The full result, as JSON.
    pub document: String,
    /// Each rule's outcome.
    pub rules: Vec<RuleOutcomeRow>,
}

/// The listed facts of a quality run.
#[derive(Debug, Clone, PartialEq)]
pub struct QualityRunRow {
    /// Run id.
    pub id: String,
    /// Suite file, relative to the project (`rules/flights.yaml`).
    pub suite: String,
    /// Data set checked.
    pub dataset: String,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// Rows checked.
    pub rows: u64,
    /// Rules per status: passed, failed, warned, errors, skipped.
    pub counts: [u32; 5],
    /// Wall time, milliseconds.
    pub elapsed_ms: f64,
}

/// One rule's outcome in one run.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleOutcomeRow {
    /// Run id.
    pub run_id: String,
    /// When the run started.
    pub started_at: DateTime<Utc>,
    /// The rule's stable id.
    pub rule_id: String,
    /// passed, failed, warned, error or skipped.
    pub status: String,
    /// The observed value, when numeric.
    pub observed: Option<f64>,
    /// Failing rows, for row-level rules.
    pub failing_count: Option<u64>,
}

const RUN_COLUMNS: &str =
    "id, suite, dataset, started_at, rows, passed, failed, warned, errors, skipped, elapsed_ms";

fn run_row(r: &Row<'_>) -> rusqlite::Result<QualityRunRow> {
    Ok(QualityRunRow {
        id: r.get(0)?,
        suite: r.get(1)?,
        dataset: r.get(2)?,
        started_at: r.get(3)?,
        rows: r.get::<_, i64>(4)? as u64,
        counts: [r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?],
        elapsed_ms: r.get(10)?,
    })
}

fn outcome_row(r: &Row<'_>) -> rusqlite::Result<RuleOutcomeRow> {
    Ok(RuleOutcomeRow {
        run_id: r.get(0)?,
        started_at: r.get(1)?,
        rule_id: r.get(2)?,
        status: r.get(3)?,
        observed: r.get(4)?,
        failing_count: r.get::<_, Option<i64>>(5)?.map(|n| n as u64),
    })
}

impl Store {
    /// Records a run and its rule outcomes in one transaction.
    pub fn put_quality_run(&self, run: &StoredQualityRun) -> Result<(), ProjectError> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(|e| self.err(e))?;
        let s = &run.summary;
        let [passed, failed, warned, errors, skipped] = s.counts;
        tx.execute(
            &format!(
                "INSERT INTO quality_run({RUN_COLUMNS}, fingerprint, document)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
            ),
            params![
                s.id,
                s.suite,
                s.dataset,
                s.started_at,
                s.rows as i64,
                passed,
                failed,
                warned,
                errors,
                skipped,
                s.elapsed_ms,
                run.fingerprint,
                run.document
            ],
        )
        .map_err(|e| self.err(e))?;
        for rule in &run.rules {
            tx.execute(
                "INSERT INTO quality_rule(run_id, rule_id, status, observed, failing_count)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    s.id,
                    rule.rule_id,
                    rule.status,
                    rule.observed,
                    rule.failing_count.map(|n| n as i64)
                ],
            )
            .map_err(|e| self.err(e))?;
        }
        tx.commit().map_err(|e| self.err(e))
    }

    /// The newest `limit` runs of a suite, oldest first.
    pub fn quality_runs(
        &self,
        suite: &str,
        limit: usize,
    ) -> Result<Vec<QualityRunRow>, ProjectError> {
        let conn = self.conn();
        let sql = format!(
            "SELECT * FROM (SELECT {RUN_COLUMNS} FROM quality_run WHERE suite = ?1
             ORDER BY started_at DESC LIMIT ?2) ORDER BY started_at"
        );
        let mut stmt = conn.prepare(&sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![suite, limit as i64], run_row)
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// The newest run of a suite.
    pub fn latest_quality_run(&self, suite: &str) -> Result<Option<QualityRunRow>, ProjectError> {
        Ok(self.quality_runs(suite, 1)?.pop())
    }

    /// A run's full result document.
    pub fn quality_run_document(&self, id: &str) -> Result<Option<String>, ProjectError> {
        self.conn()
            .query_row(
                "SELECT document FROM quality_run WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// The rule outcomes of the newest `runs` runs of a suite, oldest first.
    pub fn quality_rule_outcomes(
        &self,
        suite: &str,
        runs: usize,
    ) -> Result<Vec<RuleOutcomeRow>, ProjectError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare(
                "SELECT q.run_id, r.started_at, q.rule_id, q.status, q.observed, q.failing_count
                 FROM quality_rule q JOIN quality_run r ON r.id = q.run_id
                 WHERE r.id IN (SELECT id FROM quality_run WHERE suite = ?1
                                ORDER BY started_at DESC LIMIT ?2)
                 ORDER BY r.started_at, q.rule_id",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![suite, runs as i64], outcome_row)
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(id: &str, minute: u32, rows: u64) -> StoredQualityRun {
        let started_at = format!("2026-11-25T10:{minute:02}:00Z")
            .parse()
            .expect("time");
        StoredQualityRun {
            summary: QualityRunRow {
                id: id.into(),
                suite: "rules/flights.yaml".into(),
                dataset: "flights".into(),
                started_at,
                rows,
                counts: [3, 1, 0, 0, 1],
                elapsed_ms: 12.5,
            },
            fingerprint: Some("abc".into()),
            document: format!("{{\"rows\": {rows}}}"),
            rules: vec![RuleOutcomeRow {
                run_id: id.into(),
                started_at,
                rule_id: "row_count".into(),
                status: "passed".into(),
                observed: Some(rows as f64),
                failing_count: None,
            }],
        }
    }

    #[test]
    fn runs_and_rule_outcomes_round_trip_newest_last() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(&dir.path().join("s.sqlite")).expect("open");
        for (i, rows) in [100, 110, 90].into_iter().enumerate() {
            store
                .put_quality_run(&run(&format!("r{i}"), i as u32, rows))
                .expect("put");
        }
        let runs = store.quality_runs("rules/flights.yaml", 2).expect("runs");
        assert_eq!(
            runs.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            ["r1", "r2"]
        );
        assert_eq!(runs[1], run("r2", 2, 90).summary);
        let outcomes = store
            .quality_rule_outcomes("rules/flights.yaml", 10)
            .expect("outcomes");
        let observed: Vec<_> = outcomes.iter().filter_map(|o| o.observed).collect();
        assert_eq!(observed, [100.0, 110.0, 90.0]);
        assert_eq!(
            store.quality_run_document("r1").expect("doc").as_deref(),
            Some("{\"rows\": 110}")
        );
        assert!(
            store
                .quality_runs("rules/other.yaml", 5)
                .expect("none")
                .is_empty()
        );
    }

    #[test]
    fn a_duplicate_run_id_is_refused_whole() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(&dir.path().join("s.sqlite")).expect("open");
        store.put_quality_run(&run("r", 0, 1)).expect("first");
        assert!(store.put_quality_run(&run("r", 1, 2)).is_err());
        let outcomes = store
            .quality_rule_outcomes("rules/flights.yaml", 5)
            .expect("outcomes");
        assert_eq!(outcomes.len(), 1);
    }
}
