//! Why a call to a remote MLflow server failed, each variant naming the server.

/// A failed call to a remote MLflow server. Every variant names the server's URL.
#[derive(Debug, thiserror::Error)]
pub enum MlflowError {
    /// The server did not answer: refused, unreachable or a broken connection.
    #[error("MLflow server {url} is unreachable: {message}")]
    Unreachable {
        /// The server.
        url: String,
        /// What the network said.
        message: String,
    },
    /// The server took longer than the time limit.
    #[error("MLflow server {url} did not answer within {seconds} s")]
    Timeout {
        /// The server.
        url: String,
        /// The limit that ran out.
        seconds: u64,
    },
    /// The server refused the credentials.
    #[error(
        "MLflow server {url} refused the credentials (HTTP {status}): check the connection's token or user name and password"
    )]
    Unauthorized {
        /// The server.
        url: String,
        /// 401 or 403.
        status: u16,
    },
    /// The server answered with MLflow's `{error_code, message}`.
    #[error("MLflow server {url}: {code}: {message}")]
    Server {
        /// The server.
        url: String,
        /// The HTTP status.
        status: u16,
        /// MLflow's error code, e.g. `RESOURCE_DOES_NOT_EXIST`.
        code: String,
        /// MLflow's message.
        message: String,
    },
    /// Something answered that is not an MLflow tracking server.
    #[error("{url} is not an MLflow tracking server: {message}")]
    NotMlflow {
        /// The URL.
        url: String,
        /// What it answered instead.
        message: String,
    },
    /// An MLflow server of a major version this client does not speak.
    #[error("MLflow server {url} runs MLflow {version}; Assay works with MLflow 2.x and 3.x")]
    UnsupportedVersion {
        /// The server.
        url: String,
        /// The version it reported.
        version: String,
    },
    /// A local file could not be read or written.
    #[error("{path}: {message}")]
    Io {
        /// The local file.
        path: String,
        /// The OS error.
        message: String,
    },
    /// The connection settings cannot make a client (e.g. a malformed URL).
    #[error("MLflow connection to {url}: {message}")]
    Config {
        /// The URL.
        url: String,
        /// What is wrong.
        message: String,
    },
}

impl MlflowError {
    /// Whether retrying the same request may succeed.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Unreachable { .. } => true,
            // A connection that could not be made in time; a slow answer is not asked again.
            Self::Timeout { seconds, .. } => *seconds == super::CONNECT_TIMEOUT.as_secs(),
            Self::Server { status, .. } => matches!(status, 429 | 502 | 503 | 504),
            _ => false,
        }
    }

    /// Whether this is MLflow's "does not exist".
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::Server { code, .. } if code == "RESOURCE_DOES_NOT_EXIST")
    }

    /// Whether this is MLflow's "already exists".
    pub fn is_already_exists(&self) -> bool {
        matches!(self, Self::Server { code, .. } if code == "RESOURCE_ALREADY_EXISTS")
    }

    pub(crate) fn io(path: &std::path::Path, e: impl std::fmt::Display) -> Self {
        Self::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        }
    }
}
