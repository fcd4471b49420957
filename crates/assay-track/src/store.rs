//! The tracking tables in the project's SQLite store (`.assay/store.sqlite`, WAL mode). One
//! writer connection takes each change as one `BEGIN IMMEDIATE` transaction, so concurrent
//! writers (threads or processes) queue on SQLite's lock instead of failing, and a process killed
//! mid-write leaves the last committed state; readers use their own connections and never block it.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::artifacts::ArtifactRoot;
use crate::error::{Result, TrackError};

mod experiments;
pub mod logged_models;
pub mod registry;
mod rows;
pub mod runs;
mod search;
mod table;

pub use runs::{BatchLimits, LogBatch};
pub use search::{ExperimentSearch, ModelSearch, RunSearch};
pub use table::{MetricSummary, MetricValue, RunColumns, RunGroup, RunRow, RunsPage};

/// Versioned schema of the tracking tables; entry `i` upgrades from version `i` to `i + 1`.
/// Kept apart from the project store's own `user_version` in table `track_schema`.
const MIGRATIONS: &[&str] = &[
    "CREATE TABLE experiment (
        id                INTEGER PRIMARY KEY,
        name              TEXT NOT NULL UNIQUE,
        artifact_location TEXT NOT NULL,
        lifecycle_stage   TEXT NOT NULL DEFAULT 'active',
        creation_time     INTEGER NOT NULL,
        last_update_time  INTEGER NOT NULL
    );
    CREATE TABLE experiment_tag (
        experiment_id INTEGER NOT NULL REFERENCES experiment(id) ON DELETE CASCADE,
        key           TEXT NOT NULL,
        value         TEXT NOT NULL,
        PRIMARY KEY (experiment_id, key)
    ) WITHOUT ROWID;
    CREATE TABLE run (
        run_id          TEXT PRIMARY KEY,
        experiment_id   INTEGER NOT NULL REFERENCES experiment(id),
        name            TEXT NOT NULL,
        user_id         TEXT NOT NULL,
        status          TEXT NOT NULL,
        start_time      INTEGER NOT NULL,
        end_time        INTEGER,
        artifact_uri    TEXT NOT NULL,
        lifecycle_stage TEXT NOT NULL DEFAULT 'active',
        deleted_time    INTEGER
    );
    CREATE INDEX run_experiment ON run(experiment_id, start_time);
    CREATE TABLE param (
        run_id TEXT NOT NULL,
        key    TEXT NOT NULL,
        value  TEXT NOT NULL,
        PRIMARY KEY (run_id, key)
    ) WITHOUT ROWID;
    CREATE INDEX param_key ON param(key, value);
    CREATE TABLE run_tag (
        run_id TEXT NOT NULL,
        key    TEXT NOT NULL,
        value  TEXT NOT NULL,
        PRIMARY KEY (run_id, key)
    ) WITHOUT ROWID;
    CREATE TABLE metric (
        run_id         TEXT NOT NULL,
        key            TEXT NOT NULL,
        step           INTEGER NOT NULL,
        timestamp      INTEGER NOT NULL,
        value          REAL NOT NULL,
        is_nan         INTEGER NOT NULL,
        model_id       TEXT,
        dataset_name   TEXT,
        dataset_digest TEXT,
        PRIMARY KEY (run_id, key, step, timestamp, value, is_nan)
    ) WITHOUT ROWID;
    CREATE INDEX metric_model ON metric(model_id) WHERE model_id IS NOT NULL;
    CREATE TABLE latest_metric (
        run_id         TEXT NOT NULL,
        key            TEXT NOT NULL,
        step           INTEGER NOT NULL,
        timestamp      INTEGER NOT NULL,
        value          REAL NOT NULL,
        is_nan         INTEGER NOT NULL,
        model_id       TEXT,
        dataset_name   TEXT,
        dataset_digest TEXT,
        PRIMARY KEY (run_id, key)
    ) WITHOUT ROWID;
    CREATE INDEX latest_metric_key ON latest_metric(key, value);
    CREATE TABLE dataset (
        id            INTEGER PRIMARY KEY,
        experiment_id INTEGER NOT NULL,
        name          TEXT NOT NULL,
        digest        TEXT NOT NULL,
        source_type   TEXT NOT NULL,
        source        TEXT NOT NULL,
        schema        TEXT,
        profile       TEXT,
        UNIQUE (experiment_id, name, digest)
    );
    CREATE TABLE run_input (
        run_id     TEXT NOT NULL,
        dataset_id INTEGER NOT NULL REFERENCES dataset(id),
        tags       TEXT NOT NULL,
        PRIMARY KEY (run_id, dataset_id)
    ) WITHOUT ROWID;
    CREATE TABLE run_model (
        run_id    TEXT NOT NULL,
        model_id  TEXT NOT NULL,
        direction TEXT NOT NULL CHECK (direction IN ('input', 'output')),
        step      INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (run_id, direction, model_id)
    ) WITHOUT ROWID;
    CREATE TABLE registered_model (
        name                   TEXT PRIMARY KEY,
        creation_timestamp     INTEGER NOT NULL,
        last_updated_timestamp INTEGER NOT NULL,
        description            TEXT NOT NULL DEFAULT '',
        next_version           INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE registered_model_tag (
        name  TEXT NOT NULL REFERENCES registered_model(name) ON DELETE CASCADE ON UPDATE CASCADE,
        key   TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (name, key)
    );
    CREATE TABLE model_version (
        name                   TEXT NOT NULL REFERENCES registered_model(name) ON DELETE CASCADE ON UPDATE CASCADE,
        version                INTEGER NOT NULL,
        creation_timestamp     INTEGER NOT NULL,
        last_updated_timestamp INTEGER NOT NULL,
        user_id                TEXT NOT NULL DEFAULT '',
        current_stage          TEXT NOT NULL DEFAULT 'None',
        description            TEXT NOT NULL DEFAULT '',
        source                 TEXT NOT NULL,
        run_id                 TEXT NOT NULL DEFAULT '',
        run_link               TEXT NOT NULL DEFAULT '',
        status                 TEXT NOT NULL DEFAULT 'READY',
        model_id               TEXT,
        PRIMARY KEY (name, version)
    );
    CREATE INDEX model_version_run ON model_version(run_id);
    CREATE TABLE model_version_tag (
        name    TEXT NOT NULL,
        version INTEGER NOT NULL,
        key     TEXT NOT NULL,
        value   TEXT NOT NULL,
        PRIMARY KEY (name, version, key),
        FOREIGN KEY (name, version) REFERENCES model_version(name, version) ON DELETE CASCADE ON UPDATE CASCADE
    );
    CREATE TABLE model_alias (
        name    TEXT NOT NULL REFERENCES registered_model(name) ON DELETE CASCADE ON UPDATE CASCADE,
        alias   TEXT NOT NULL,
        version INTEGER NOT NULL,
        PRIMARY KEY (name, alias)
    );
    CREATE TABLE logged_model (
        model_id                  TEXT PRIMARY KEY,
        experiment_id             INTEGER NOT NULL,
        name                      TEXT NOT NULL,
        artifact_uri              TEXT NOT NULL,
        creation_timestamp_ms     INTEGER NOT NULL,
        last_updated_timestamp_ms INTEGER NOT NULL,
        status                    TEXT NOT NULL,
        status_message            TEXT,
        model_type                TEXT,
        source_run_id             TEXT,
        lifecycle_stage           TEXT NOT NULL DEFAULT 'active'
    );
    CREATE INDEX logged_model_experiment ON logged_model(experiment_id, creation_timestamp_ms);
    CREATE TABLE logged_model_param (
        model_id TEXT NOT NULL REFERENCES logged_model(model_id) ON DELETE CASCADE,
        key      TEXT NOT NULL,
        value    TEXT NOT NULL,
        PRIMARY KEY (model_id, key)
    );
    CREATE TABLE experiment_key (
        experiment_id INTEGER NOT NULL,
        kind          TEXT NOT NULL CHECK (kind IN ('metric', 'param', 'tag')),
        key           TEXT NOT NULL,
        PRIMARY KEY (experiment_id, kind, key)
    ) WITHOUT ROWID;
    CREATE TABLE logged_model_tag (
        model_id TEXT NOT NULL REFERENCES logged_model(model_id) ON DELETE CASCADE,
        key      TEXT NOT NULL,
        value    TEXT NOT NULL,
        PRIMARY KEY (model_id, key)
    );",
];

/// The tracking store of one project: SQLite tables plus the artifact folder.
#[derive(Debug)]
pub struct TrackStore {
    path: PathBuf,
    artifacts: ArtifactRoot,
    artifact_base: Option<String>,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
}

impl From<rusqlite::Error> for TrackError {
    fn from(source: rusqlite::Error) -> Self {
        Self::Store {
            path: PathBuf::new(),
            source,
        }
    }
}

impl TrackStore {
    /// Opens the tracking tables in the SQLite file `db` (creating and upgrading them) with
    /// artifacts under `artifact_dir`. The default experiment `0` always exists.
    pub fn open(db: &Path, artifact_dir: &Path) -> Result<Self> {
        Self::open_with_artifact_base(db, artifact_dir, None)
    }

    /// Like [`open`](Self::open), but new experiments keep their artifacts under `base` (an
    /// object-store URL such as `s3://bucket/mlruns`) when one is given. Experiments already made
    /// keep their location.
    pub fn open_with_artifact_base(
        db: &Path,
        artifact_dir: &Path,
        base: Option<String>,
    ) -> Result<Self> {
        let mut writer = connect(db).map_err(|e| with_path(e, db))?;
        migrate(&mut writer).map_err(|e| with_path(e, db))?;
        let store = Self {
            path: db.to_path_buf(),
            artifacts: ArtifactRoot::new(artifact_dir),
            artifact_base: base.filter(|b| !b.trim().is_empty()),
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
        };
        store.ensure_default_experiment()?;
        Ok(store)
    }

    /// The SQLite file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The artifact folder.
    pub fn artifacts(&self) -> &ArtifactRoot {
        &self.artifacts
    }

    /// Where new experiments keep their artifacts when not in the artifact folder.
    pub fn artifact_base(&self) -> Option<&str> {
        self.artifact_base.as_deref()
    }

    /// Runs `f` in one immediate (write-locking) transaction, committed when it returns `Ok`.
    pub(crate) fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.writer();
        let run = |conn: &mut Connection| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let out = f(&tx)?;
            tx.commit()?;
            Ok(out)
        };
        run(&mut conn).map_err(|e| with_path(e, &self.path))
    }

    /// Runs `f` on a reader connection (a consistent snapshot per statement).
    pub(crate) fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = match self.readers.lock().unwrap_or_else(|p| p.into_inner()).pop() {
            Some(c) => c,
            None => connect(&self.path).map_err(|e| with_path(e, &self.path))?,
        };
        let out = f(&conn).map_err(|e| with_path(e, &self.path));
        let mut readers = self.readers.lock().unwrap_or_else(|p| p.into_inner());
        if readers.len() < 8 {
            readers.push(conn);
        }
        out
    }

    fn writer(&self) -> MutexGuard<'_, Connection> {
        self.writer.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn connect(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(Duration::from_secs(30))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

fn migrate(conn: &mut Connection) -> Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute_batch("CREATE TABLE IF NOT EXISTS track_schema (version INTEGER NOT NULL)")?;
    let found: i64 = tx.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM track_schema",
        [],
        |r| r.get(0),
    )?;
    if found > MIGRATIONS.len() as i64 {
        return Err(TrackError::invalid(format!(
            "the tracking tables are version {found}, newer than this Assay reads ({}): update Assay",
            MIGRATIONS.len()
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        tx.execute_batch(sql)?;
        tx.execute(
            "INSERT INTO track_schema (version) VALUES (?1)",
            [i as i64 + 1],
        )?;
        tracing::info!(version = i + 1, "tracking tables migrated");
    }
    tx.commit()?;
    Ok(())
}

fn with_path(e: TrackError, path: &Path) -> TrackError {
    match e {
        TrackError::Store { path: p, source } if p.as_os_str().is_empty() => TrackError::Store {
            path: path.to_path_buf(),
            source,
        },
        other => other,
    }
}

/// Milliseconds since the epoch, now.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
