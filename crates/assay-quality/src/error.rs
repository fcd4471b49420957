/// Why a suite could not be read, run, imported or exported. Messages name the file and,
/// where there is one, the line and the rule.
#[derive(Debug, thiserror::Error)]
pub enum QualityError {
    /// The file is not valid YAML (or JSON, for imports).
    #[error("{file}:{line}:{column}: {what} syntax error{}: {message}", near.as_ref().map(|r| format!(" in rule `{r}`")).unwrap_or_default())]
    Syntax {
        /// The file.
        file: String,
        /// 1-based line (0 when unknown).
        line: u64,
        /// 1-based column (0 when unknown).
        column: u64,
        /// `YAML` or `JSON`.
        what: &'static str,
        /// The rule the error is in, when it can be told.
        near: Option<String>,
        /// The parser's message.
        message: String,
    },
    /// The file is valid YAML but not a suite (e.g. no `dataset`, `rules` not a list).
    #[error("{file}:{line}: {message}")]
    Shape {
        /// The file.
        file: String,
        /// 1-based line (0 when unknown).
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// The suite file could not be read.
    #[error("{file}: cannot read it: {message}")]
    Io {
        /// The file.
        file: String,
        /// The OS message.
        message: String,
    },
    /// The checked data set could not be opened or read.
    #[error("{file}: data set `{dataset}`: {message}")]
    Data {
        /// The suite file.
        file: String,
        /// The data set.
        dataset: String,
        /// What went wrong.
        message: String,
    },
    /// The caller cancelled the run.
    #[error("cancelled")]
    Cancelled,
}

impl QualityError {
    /// Whether the error is about the suite itself (bad YAML, wrong shape) rather than the data.
    pub fn is_suite_error(&self) -> bool {
        matches!(
            self,
            Self::Syntax { .. } | Self::Shape { .. } | Self::Io { .. }
        )
    }
}
