/// Why a data source could not be read or queried. Every variant names the file or query.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    /// The file does not exist.
    #[error("file not found: {path}")]
    NotFound {
        /// The path asked for.
        path: String,
    },
    /// The file has no bytes (or only a header, where rows are required).
    #[error("{path}: the file is empty")]
    Empty {
        /// The file.
        path: String,
    },
    /// The format could not be told or is not supported.
    #[error("{path}: {message}")]
    Format {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// The file's content is malformed.
    #[error("{path}{}: {message}", line.map(|l| format!(" line {l}")).unwrap_or_default())]
    Malformed {
        /// The file.
        path: String,
        /// 1-based line, for text formats, when known.
        line: Option<u64>,
        /// What is wrong.
        message: String,
    },
    /// A column named in a request does not exist.
    #[error("no column named '{column}'")]
    UnknownColumn {
        /// The column asked for.
        column: String,
    },
    /// A remote store or server failed or refused the request.
    #[error("{url}: {message}")]
    Remote {
        /// The URL asked for.
        url: String,
        /// What went wrong.
        message: String,
    },
    /// A request parameter is invalid.
    #[error("{0}")]
    Invalid(String),
    /// A SQL query failed.
    #[error("SQL: {0}")]
    Sql(String),
    /// The engine failed for another reason.
    #[error("{context}: {message}")]
    Engine {
        /// What was being done.
        context: String,
        /// polars' message.
        message: String,
    },
}

impl DataError {
    /// The same error with every mention of the file `from` replaced by `to` (a URL read
    /// through a local copy).
    pub fn renamed(self, from: &str, to: &str) -> Self {
        let swap = |p: String| {
            if p == from {
                to.to_string()
            } else {
                p.replace(from, to)
            }
        };
        match self {
            Self::NotFound { path } => Self::NotFound { path: swap(path) },
            Self::Empty { path } => Self::Empty { path: swap(path) },
            Self::Format { path, message } => Self::Format {
                path: swap(path),
                message: swap(message),
            },
            Self::Malformed {
                path,
                line,
                message,
            } => Self::Malformed {
                path: swap(path),
                line,
                message: swap(message),
            },
            other => other,
        }
    }

    /// Wraps a polars error with what was being done.
    pub fn engine(context: impl Into<String>, e: impl std::fmt::Display) -> Self {
        Self::Engine {
            context: context.into(),
            message: e.to_string(),
        }
    }
}
