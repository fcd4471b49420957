use std::path::{Path, PathBuf};

/// Everything that can go wrong with a project folder, each variant naming the file involved.
#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    /// The folder does not exist.
    #[error("folder not found: {}", path.display())]
    NotFound {
        /// The missing folder.
        path: PathBuf,
    },
    /// The folder exists but holds no `assay.toml`.
    #[error("not an Assay project (no assay.toml): {}", path.display())]
    NotAProject {
        /// The folder that was opened.
        path: PathBuf,
    },
    /// `assay init` on a folder that is already a project.
    #[error("already an Assay project (assay.toml exists): {}", path.display())]
    AlreadyAProject {
        /// The existing project folder.
        path: PathBuf,
    },
    /// `assay.toml` could not be parsed or holds invalid values.
    #[error("{}{}: {message}", path.display(), location(*line, *column))]
    CorruptManifest {
        /// The manifest file.
        path: PathBuf,
        /// 1-based line of the problem, when known.
        line: Option<usize>,
        /// 1-based column of the problem, when known.
        column: Option<usize>,
        /// What is wrong.
        message: String,
    },
    /// The store was written by a newer Assay; opening it could lose data.
    #[error(
        "{} has store schema version {found}, this Assay supports up to {supported}: upgrade Assay to open this project",
        path.display()
    )]
    StoreTooNew {
        /// The store file.
        path: PathBuf,
        /// Schema version found in the file.
        found: i64,
        /// Newest schema version this build knows.
        supported: i64,
    },
    /// SQLite reported an error.
    #[error("{}: store error: {source}", path.display())]
    Store {
        /// The store file.
        path: PathBuf,
        /// The SQLite error.
        #[source]
        source: rusqlite::Error,
    },
    /// No permission to read or write a file or folder.
    #[error("permission denied: {}", path.display())]
    PermissionDenied {
        /// The file or folder.
        path: PathBuf,
    },
    /// Any other I/O error.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A data set with this name is already in the manifest.
    #[error("a data set named '{name}' already exists")]
    DatasetExists {
        /// The duplicate name.
        name: String,
    },
    /// No data set with this name in the manifest.
    #[error("no data set named '{name}' in this project")]
    UnknownDataset {
        /// The name asked for.
        name: String,
    },
    /// A name that cannot be used (empty, or with characters unsafe in file names).
    #[error("invalid {what} '{value}': {reason}")]
    InvalidName {
        /// What kind of name ("project name", "data set name").
        what: &'static str,
        /// The rejected value.
        value: String,
        /// Why it was rejected.
        reason: &'static str,
    },
}

fn location(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(" line {l}, column {c}"),
        (Some(l), None) => format!(" line {l}"),
        _ => String::new(),
    }
}

impl ProjectError {
    /// Maps an I/O error on `path`, singling out missing files and permission problems.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        let path = path.to_path_buf();
        match source.kind() {
            std::io::ErrorKind::PermissionDenied => Self::PermissionDenied { path },
            std::io::ErrorKind::NotFound => Self::NotFound { path },
            _ => Self::Io { path, source },
        }
    }

    pub(crate) fn store(path: &Path, source: rusqlite::Error) -> Self {
        Self::Store {
            path: path.to_path_buf(),
            source,
        }
    }
}
