use std::path::PathBuf;

/// What went wrong in the tracking store. The variants follow MLflow's error codes so that
/// the MLflow-compatible face can answer with the code its client expects.
#[derive(Debug, thiserror::Error)]
pub enum TrackError {
    /// An experiment, run, model, version, alias or artifact that does not exist.
    #[error("{what} '{id}' does not exist")]
    NotFound {
        /// What was looked for, e.g. `run`.
        what: &'static str,
        /// Its id or name.
        id: String,
    },
    /// Something with that name exists already.
    #[error("{what} '{id}' already exists")]
    AlreadyExists {
        /// What was created, e.g. `registered model`.
        what: &'static str,
        /// Its id or name.
        id: String,
    },
    /// A value the store refuses, e.g. a changed parameter, a bad filter or an oversized batch.
    #[error("{0}")]
    InvalidParameter(String),
    /// The SQLite store failed.
    #[error("tracking store {path}: {source}")]
    Store {
        /// The store file.
        path: PathBuf,
        /// The SQLite error.
        #[source]
        source: rusqlite::Error,
    },
    /// Reading or writing an artifact failed.
    #[error("artifact {path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
}

impl TrackError {
    pub(crate) fn not_found(what: &'static str, id: impl Into<String>) -> Self {
        Self::NotFound {
            what,
            id: id.into(),
        }
    }

    pub(crate) fn exists(what: &'static str, id: impl Into<String>) -> Self {
        Self::AlreadyExists {
            what,
            id: id.into(),
        }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::InvalidParameter(message.into())
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}

/// Results of the tracking store.
pub type Result<T, E = TrackError> = std::result::Result<T, E>;
