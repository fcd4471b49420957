/// Why a remote operation failed. Every variant names the connection, URL or file involved.
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    /// No connection of that name in the project.
    #[error("no connection named '{name}'")]
    UnknownConnection {
        /// The name asked for.
        name: String,
    },
    /// A secret field that this kind of connection does not use.
    #[error("a {kind} connection has no secret '{field}' (it uses: {allowed})")]
    UnknownSecret {
        /// The connection kind.
        kind: &'static str,
        /// The field given.
        field: String,
        /// The fields it does use.
        allowed: String,
    },
    /// A connection setting is missing or malformed.
    #[error("connection '{name}': {message}")]
    Invalid {
        /// The connection.
        name: String,
        /// The setting at fault (`url`, `endpoint`, `account`, ...), when one is.
        field: Option<&'static str>,
        /// What is wrong.
        message: String,
    },
    /// The OS keychain failed (other than "not running", which falls back to the file).
    #[error("keychain: {0}")]
    Keychain(String),
    /// The secrets file could not be read or written.
    #[error("{path}: {message}")]
    SecretsFile {
        /// The file.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// Reading or writing a remote location failed.
    #[error(transparent)]
    Data(#[from] assay_data::DataError),
    /// The project's manifest could not be changed.
    #[error(transparent)]
    Project(#[from] assay_project::ProjectError),
}
