//! How results and errors are printed, and which exit code an error gives.

use std::process::ExitCode;

use assay_app::{ApiError, ErrorCode};
use serde::Serialize;

/// Output style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Readable text.
    Human,
    /// One JSON document on stdout.
    Json,
    /// JUnit XML (`assay check` only).
    Junit,
    /// A standalone HTML report (`assay check` only).
    Html,
}

impl Format {
    /// Whether only `assay check` can write this format.
    pub fn check_only(self) -> bool {
        matches!(self, Format::Junit | Format::Html)
    }
}

/// Prints `value` as JSON, or runs `human` to print it as text.
pub fn emit<T: Serialize>(format: Format, value: &T, human: impl FnOnce(&T)) {
    match format {
        Format::Json => match serde_json::to_string_pretty(value) {
            Ok(s) => println!("{s}"),
            Err(e) => eprintln!("error: cannot render JSON: {e}"),
        },
        Format::Human | Format::Junit | Format::Html => human(value),
    }
}

/// Reports an error (one line, or JSON) and picks the exit code.
pub fn fail(format: Format, error: &ApiError) -> ExitCode {
    match format {
        Format::Json => emit(format, &serde_json::json!({ "error": error }), |_| ()),
        Format::Human | Format::Junit | Format::Html => eprintln!("error: {}", error.message),
    }
    ExitCode::from(exit_code(error.code))
}

fn exit_code(code: ErrorCode) -> u8 {
    match code {
        ErrorCode::Cancelled => 130,
        ErrorCode::Io | ErrorCode::Internal | ErrorCode::PermissionDenied => 3,
        _ => 2,
    }
}

/// Human-readable byte count.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1000.0 && unit < UNITS.len() - 1 {
        v /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

/// A count with thousands separators.
pub fn count(n: u64) -> String {
    assay_report::format::count(i64::try_from(n).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_and_bytes() {
        assert_eq!(exit_code(ErrorCode::NotAProject), 2);
        assert_eq!(exit_code(ErrorCode::Io), 3);
        assert_eq!(exit_code(ErrorCode::Cancelled), 130);
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(436_291), "436.3 KB");
        assert_eq!(count(58_665), "58,665");
        assert_eq!(count(336_776_000), "336,776,000");
    }
}
