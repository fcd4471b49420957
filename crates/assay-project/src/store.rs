use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use crate::ProjectError;

mod anomaly;
mod quality;

pub use anomaly::StoredAnomalyRun;
pub use quality::{QualityRunRow, RuleOutcomeRow, StoredQualityRun};

/// Versioned schema migrations; entry `i` upgrades the store from version `i` to `i + 1`.
/// Append only: never edit a migration that has shipped.
const MIGRATIONS: &[&str] = &[
    // 1: fingerprints of data files and the history of jobs.
    "CREATE TABLE dataset_fingerprint (
        dataset     TEXT PRIMARY KEY,
        hash        TEXT NOT NULL,
        bytes       INTEGER NOT NULL,
        computed_at TEXT NOT NULL
    );
    CREATE TABLE job (
        id          TEXT PRIMARY KEY,
        kind        TEXT NOT NULL,
        title       TEXT NOT NULL,
        state       TEXT NOT NULL,
        message     TEXT,
        started_at  TEXT NOT NULL,
        finished_at TEXT
    );
    CREATE INDEX job_started ON job(started_at);",
    // 2: cached profiles, keyed by the data file's content and the options used.
    "CREATE TABLE profile (
        dataset     TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        options_key TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        document    TEXT NOT NULL,
        PRIMARY KEY (dataset, fingerprint, options_key)
    );
    CREATE INDEX profile_latest ON profile(dataset, created_at);",
    // 3: quality runs of rule suites, and each rule's outcome for trends and history checks.
    "CREATE TABLE quality_run (
        id          TEXT PRIMARY KEY,
        suite       TEXT NOT NULL,
        dataset     TEXT NOT NULL,
        started_at  TEXT NOT NULL,
        fingerprint TEXT,
        rows        INTEGER NOT NULL,
        passed      INTEGER NOT NULL,
        failed      INTEGER NOT NULL,
        warned      INTEGER NOT NULL,
        errors      INTEGER NOT NULL,
        skipped     INTEGER NOT NULL,
        elapsed_ms  REAL NOT NULL,
        document    TEXT NOT NULL
    );
    CREATE INDEX quality_run_suite ON quality_run(suite, started_at);
    CREATE TABLE quality_rule (
        run_id        TEXT NOT NULL REFERENCES quality_run(id) ON DELETE CASCADE,
        rule_id       TEXT NOT NULL,
        status        TEXT NOT NULL,
        observed      REAL,
        failing_count INTEGER,
        PRIMARY KEY (run_id, rule_id)
    );",
    // 4: anomaly detections; their per-row scores live in .assay/anomaly/<id>.parquet.
    "CREATE TABLE anomaly_run (
        id          TEXT PRIMARY KEY,
        dataset     TEXT NOT NULL,
        method      TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        fingerprint TEXT,
        scored_rows INTEGER NOT NULL,
        roc_auc     REAL,
        document    TEXT NOT NULL
    );
    CREATE INDEX anomaly_run_dataset ON anomaly_run(dataset, created_at);",
];

/// The newest store schema version this build can read and write.
pub const STORE_SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The project's SQLite store (`.assay/store.sqlite`, WAL mode): everything the app records.
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    conn: Mutex<Connection>,
}

/// A data set fingerprint as recorded in the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFingerprint {
    /// Data set name.
    pub dataset: String,
    /// BLAKE3 hex hash.
    pub hash: String,
    /// File size in bytes.
    pub bytes: u64,
    /// When it was computed.
    pub computed_at: DateTime<Utc>,
}

/// A profile document as cached in the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredProfile {
    /// Data set name.
    pub dataset: String,
    /// Content hash of the file profiled.
    pub fingerprint: String,
    /// Hash of the options used.
    pub options_key: String,
    /// When it was computed.
    pub created_at: DateTime<Utc>,
    /// The profile, as JSON.
    pub document: String,
}

/// A finished (or interrupted) job as recorded in the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredJob {
    /// Job id.
    pub id: String,
    /// Job kind, e.g. `fingerprint`.
    pub kind: String,
    /// Human title.
    pub title: String,
    /// Final state: running, succeeded, failed, cancelled.
    pub state: String,
    /// Error or result summary.
    pub message: Option<String>,
    /// Start time.
    pub started_at: DateTime<Utc>,
    /// End time, if it ended.
    pub finished_at: Option<DateTime<Utc>>,
}

impl Store {
    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    /// A store from a newer Assay is refused untouched.
    pub fn open(path: &Path) -> Result<Self, ProjectError> {
        let err = |e| ProjectError::store(path, e);
        let conn = Connection::open(path).map_err(err)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(err)?;
        let found: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(err)?;
        if found > STORE_SCHEMA_VERSION {
            return Err(ProjectError::StoreTooNew {
                path: path.to_path_buf(),
                found,
                supported: STORE_SCHEMA_VERSION,
            });
        }
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(err)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(err)?;
        let mut store = Self {
            path: path.to_path_buf(),
            conn: Mutex::new(conn),
        };
        store.migrate(found)?;
        Ok(store)
    }

    fn migrate(&mut self, from: i64) -> Result<(), ProjectError> {
        let path = self.path.clone();
        let conn = self.conn.get_mut().unwrap_or_else(|p| p.into_inner());
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(from as usize) {
            let version = i as i64 + 1;
            let tx = conn
                .transaction()
                .map_err(|e| ProjectError::store(&path, e))?;
            tx.execute_batch(sql)
                .and_then(|_| tx.pragma_update(None, "user_version", version))
                .and_then(|_| tx.commit())
                .map_err(|e| ProjectError::store(&path, e))?;
            tracing::info!(store = %path.display(), version, "store migrated");
        }
        Ok(())
    }

    /// The store file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn err(&self, e: rusqlite::Error) -> ProjectError {
        ProjectError::store(&self.path, e)
    }

    /// The schema version of the open store.
    pub fn schema_version(&self) -> Result<i64, ProjectError> {
        self.conn()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| self.err(e))
    }

    /// Records (or replaces) the fingerprint of a data set.
    pub fn put_fingerprint(&self, fp: &StoredFingerprint) -> Result<(), ProjectError> {
        self.conn()
            .execute(
                "INSERT INTO dataset_fingerprint(dataset, hash, bytes, computed_at)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(dataset) DO UPDATE SET hash = ?2, bytes = ?3, computed_at = ?4",
                params![fp.dataset, fp.hash, fp.bytes as i64, fp.computed_at],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// The recorded fingerprint of a data set, if any.
    pub fn fingerprint(&self, dataset: &str) -> Result<Option<StoredFingerprint>, ProjectError> {
        self.conn()
            .query_row(
                "SELECT dataset, hash, bytes, computed_at FROM dataset_fingerprint WHERE dataset = ?1",
                [dataset],
                |r| {
                    Ok(StoredFingerprint {
                        dataset: r.get(0)?,
                        hash: r.get(1)?,
                        bytes: r.get::<_, i64>(2)? as u64,
                        computed_at: r.get(3)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Records a job's current state (insert or update by id).
    pub fn put_job(&self, job: &StoredJob) -> Result<(), ProjectError> {
        self.conn()
            .execute(
                "INSERT INTO job(id, kind, title, state, message, started_at, finished_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT(id) DO UPDATE SET state = ?4, message = ?5, finished_at = ?7",
                params![
                    job.id,
                    job.kind,
                    job.title,
                    job.state,
                    job.message,
                    job.started_at,
                    job.finished_at
                ],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Stores a profile document (JSON) for a data set's content and options.
    pub fn put_profile(&self, p: &StoredProfile) -> Result<(), ProjectError> {
        self.conn()
            .execute(
                "INSERT OR REPLACE INTO profile(dataset, fingerprint, options_key, created_at, document)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![p.dataset, p.fingerprint, p.options_key, p.created_at, p.document],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// The cached profile for exactly this content and options.
    pub fn profile(
        &self,
        dataset: &str,
        fingerprint: &str,
        options_key: &str,
    ) -> Result<Option<StoredProfile>, ProjectError> {
        self.query_profile(
            "SELECT dataset, fingerprint, options_key, created_at, document FROM profile
             WHERE dataset = ?1 AND fingerprint = ?2 AND options_key = ?3",
            params![dataset, fingerprint, options_key],
        )
    }

    /// The newest profile of a data set, whatever its content was then.
    pub fn latest_profile(&self, dataset: &str) -> Result<Option<StoredProfile>, ProjectError> {
        self.query_profile(
            "SELECT dataset, fingerprint, options_key, created_at, document FROM profile
             WHERE dataset = ?1 ORDER BY created_at DESC LIMIT 1",
            params![dataset],
        )
    }

    fn query_profile(
        &self,
        sql: &str,
        args: impl rusqlite::Params,
    ) -> Result<Option<StoredProfile>, ProjectError> {
        self.conn()
            .query_row(sql, args, |r| {
                Ok(StoredProfile {
                    dataset: r.get(0)?,
                    fingerprint: r.get(1)?,
                    options_key: r.get(2)?,
                    created_at: r.get(3)?,
                    document: r.get(4)?,
                })
            })
            .optional()
            .map_err(|e| self.err(e))
    }

    /// The most recent jobs, newest first.
    pub fn recent_jobs(&self, limit: usize) -> Result<Vec<StoredJob>, ProjectError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare(
                "SELECT id, kind, title, state, message, started_at, finished_at
                 FROM job ORDER BY started_at DESC LIMIT ?1",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([limit as i64], |r| {
                Ok(StoredJob {
                    id: r.get(0)?,
                    kind: r.get(1)?,
                    title: r.get(2)?,
                    state: r.get(3)?,
                    message: r.get(4)?,
                    started_at: r.get(5)?,
                    finished_at: r.get(6)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_to_latest_in_wal_mode_and_reopens() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("store.sqlite");
        let store = Store::open(&path).expect("open");
        assert_eq!(
            store.schema_version().expect("version"),
            STORE_SCHEMA_VERSION
        );
        let mode: String = store
            .conn()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .expect("mode");
        assert_eq!(mode, "wal");
        let fp = StoredFingerprint {
            dataset: "penguins".into(),
            hash: "abc".into(),
            bytes: 42,
            computed_at: Utc::now(),
        };
        store.put_fingerprint(&fp).expect("put");
        drop(store);
        let store = Store::open(&path).expect("reopen");
        assert_eq!(store.fingerprint("penguins").expect("get"), Some(fp));
        assert_eq!(store.fingerprint("nope").expect("get"), None);
    }

    #[test]
    fn newer_store_is_refused_and_left_untouched() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("store.sqlite");
        {
            let c = Connection::open(&path).expect("open");
            c.pragma_update(None, "user_version", 999).expect("set");
            c.execute_batch("CREATE TABLE precious(x); INSERT INTO precious VALUES (1);")
                .expect("seed");
        }
        let before = std::fs::read(&path).expect("read");
        let err = Store::open(&path).expect_err("too new");
        assert!(
            matches!(err, ProjectError::StoreTooNew { found: 999, .. }),
            "{err}"
        );
        assert!(err.to_string().contains("upgrade Assay"));
        assert_eq!(std::fs::read(&path).expect("read"), before);
    }

    #[test]
    fn jobs_are_upserted() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(&dir.path().join("s.sqlite")).expect("open");
        let mut job = StoredJob {
            id: "j1".into(),
            kind: "fingerprint".into(),
            title: "Fingerprint".into(),
            state: "running".into(),
            message: None,
            started_at: Utc::now(),
            finished_at: None,
        };
        store.put_job(&job).expect("insert");
        job.state = "succeeded".into();
        job.finished_at = Some(Utc::now());
        store.put_job(&job).expect("update");
        assert_eq!(store.recent_jobs(10).expect("list"), vec![job]);
    }

    #[test]
    fn profiles_are_cached_by_content_and_options() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(&dir.path().join("s.sqlite")).expect("open");
        let mut p = StoredProfile {
            dataset: "flights".into(),
            fingerprint: "f1".into(),
            options_key: "o1".into(),
            created_at: Utc::now(),
            document: "{}".into(),
        };
        store.put_profile(&p).expect("put");
        p.fingerprint = "f2".into();
        p.created_at = Utc::now();
        p.document = "{\"rows\": 2}".into();
        store.put_profile(&p).expect("put");
        assert_eq!(
            store
                .profile("flights", "f1", "o1")
                .expect("get")
                .map(|p| p.document),
            Some("{}".into())
        );
        assert_eq!(store.profile("flights", "f1", "o2").expect("get"), None);
        assert_eq!(store.latest_profile("flights").expect("latest"), Some(p));
    }
}
