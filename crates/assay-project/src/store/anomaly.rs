//! Anomaly detections in the store: one row per run with its summary document (JSON); the
//! per-row scores are a Parquet file beside the store.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, params};

use super::Store;
use crate::ProjectError;

/// A finished detection.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredAnomalyRun {
    /// Run id.
    pub id: String,
    /// Data set scored.
    pub dataset: String,
    /// Detector name.
    pub method: String,
    /// When it finished.
    pub created_at: DateTime<Utc>,
    /// The data file's content hash, when known.
    pub fingerprint: Option<String>,
    /// Rows scored.
    pub scored_rows: u64,
    /// ROC-AUC against a label column, when one was given.
    pub roc_auc: Option<f64>,
    /// The summary, as JSON.
    pub document: String,
}

const COLUMNS: &str =
    "id, dataset, method, created_at, fingerprint, scored_rows, roc_auc, document";

fn run_row(r: &Row<'_>) -> rusqlite::Result<StoredAnomalyRun> {
    Ok(StoredAnomalyRun {
        id: r.get(0)?,
        dataset: r.get(1)?,
        method: r.get(2)?,
        created_at: r.get(3)?,
        fingerprint: r.get(4)?,
        scored_rows: r.get::<_, i64>(5)? as u64,
        roc_auc: r.get(6)?,
        document: r.get(7)?,
    })
}

impl Store {
    /// Records a detection.
    pub fn put_anomaly_run(&self, run: &StoredAnomalyRun) -> Result<(), ProjectError> {
        self.conn()
            .execute(
                &format!(
                    "INSERT INTO anomaly_run({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                ),
                params![
                    run.id,
                    run.dataset,
                    run.method,
                    run.created_at,
                    run.fingerprint,
                    run.scored_rows as i64,
                    run.roc_auc,
                    run.document
                ],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// One detection.
    pub fn anomaly_run(&self, id: &str) -> Result<Option<StoredAnomalyRun>, ProjectError> {
        self.conn()
            .query_row(
                &format!("SELECT {COLUMNS} FROM anomaly_run WHERE id = ?1"),
                [id],
                run_row,
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// The newest `limit` detections (of one data set, or all), newest first, without their
    /// documents.
    pub fn anomaly_runs(
        &self,
        dataset: Option<&str>,
        limit: usize,
    ) -> Result<Vec<StoredAnomalyRun>, ProjectError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare(
                "SELECT id, dataset, method, created_at, fingerprint, scored_rows, roc_auc, ''
                 FROM anomaly_run WHERE ?1 IS NULL OR dataset = ?1
                 ORDER BY created_at DESC LIMIT ?2",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![dataset, limit as i64], run_row)
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detections_are_listed_newest_first_and_read_whole() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(&dir.path().join("s.sqlite")).expect("open");
        for (i, dataset) in ["penguins", "flights", "penguins"].into_iter().enumerate() {
            store
                .put_anomaly_run(&StoredAnomalyRun {
                    id: format!("a{i}"),
                    dataset: dataset.into(),
                    method: "ensemble".into(),
                    created_at: format!("2026-11-25T10:0{i}:00Z").parse().expect("time"),
                    fingerprint: None,
                    scored_rows: 344,
                    roc_auc: (i == 1).then_some(0.9),
                    document: format!("{{\"i\": {i}}}"),
                })
                .expect("put");
        }
        let penguins = store.anomaly_runs(Some("penguins"), 10).expect("list");
        assert_eq!(
            penguins.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            ["a2", "a0"]
        );
        assert_eq!(store.anomaly_runs(None, 10).expect("all").len(), 3);
        let one = store.anomaly_run("a1").expect("get").expect("found");
        assert_eq!(
            (one.document.as_str(), one.roc_auc),
            ("{\"i\": 1}", Some(0.9))
        );
        assert!(store.anomaly_run("nope").expect("get").is_none());
    }
}
