//! `assay audit [--project P] [--since TIME]`: the project's audit log (who changed what
//! through `assay serve`), oldest first, as text or `--format json`.

use std::path::Path;

use assay_app::{ApiError, ErrorCode};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;

use crate::output::{Format, emit};

/// Prints the audit entries of the project in `project` at or after `since`.
pub fn run(format: Format, project: &Path, since: Option<&str>) -> Result<(), ApiError> {
    if !project.join("assay.toml").is_file() {
        return Err(ApiError::new(
            ErrorCode::NotAProject,
            format!("{} is not an Assay project", project.display()),
        ));
    }
    let since = since.map(parse_since).transpose()?;
    let path = assay_server::audit::log_path(project);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => {
            return Err(ApiError::from_io(
                &e,
                &format!("reading {}", path.display()),
            ));
        }
    };
    let entries: Vec<Value> = text
        .lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .filter(|entry| since.is_none_or(|s| time_of(entry).is_some_and(|t| t >= s)))
        .collect();
    emit(format, &entries, |entries| print(entries));
    Ok(())
}

/// RFC 3339 (`2026-11-26T04:00:00Z`) or a date (`2026-11-26`, from midnight UTC).
fn parse_since(text: &str) -> Result<DateTime<Utc>, ApiError> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
        .ok_or_else(|| {
            ApiError::invalid(format!(
                "--since '{text}': give a date (2026-11-26) or an RFC 3339 time (2026-11-26T04:00:00Z)"
            ))
        })
}

fn time_of(entry: &Value) -> Option<DateTime<Utc>> {
    let text = entry.get("time")?.as_str()?;
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn print(entries: &[Value]) {
    if entries.is_empty() {
        println!("no audit entries");
    }
    let text = |e: &Value, key: &str| e[key].as_str().unwrap_or("?").to_string();
    for e in entries {
        let targets = e["targets"].as_object().map_or_else(String::new, |t| {
            let pairs: Vec<_> = t.iter().map(|(k, v)| format!("{k}={v}")).collect();
            pairs.join(" ")
        });
        println!(
            "{}  {:<12} {:<15} {} {:<6} {}  {}",
            text(e, "time"),
            text(e, "who"),
            text(e, "remote"),
            e["status"],
            text(e, "method"),
            text(e, "path"),
            targets
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_takes_dates_and_times() {
        let day = parse_since("2026-11-26").expect("date");
        assert_eq!(day.to_rfc3339(), "2026-11-26T00:00:00+00:00");
        let t = parse_since("2026-11-26T05:00:00+01:00").expect("time");
        assert_eq!(t.to_rfc3339(), "2026-11-26T04:00:00+00:00");
        assert!(parse_since("yesterday").is_err());
    }
}
