//! `assay check SUITE [--data PATH] [--format human|json|junit|html] [--out FILE]`: exit 0 when
//! every error-level rule passes, 1 when one fails, 2 on a bad suite or unreadable data.

use std::path::Path;

use assay_app::ApiError;
use assay_quality::{Status, SuiteResult};

use crate::output::{Format, count};

/// Runs the suite and prints or writes the result; returns the exit code.
pub fn run(
    format: Format,
    suite: &Path,
    data: Option<&str>,
    out: Option<&Path>,
) -> Result<u8, ApiError> {
    let result = assay_app::check_file(suite, data)?;
    let text = match format {
        Format::Human => human(&result),
        Format::Json => serde_json::to_string_pretty(&result)
            .map_err(|e| ApiError::new(assay_app::ErrorCode::Internal, e.to_string()))?,
        Format::Junit => assay_quality::to_junit(&result),
        Format::Html => assay_report::quality_html(&result),
    };
    match out {
        Some(path) => {
            assay_project::write_atomic(path, text.as_bytes()).map_err(ApiError::from)?;
            if format == Format::Human {
                println!("wrote {}", path.display());
            }
        }
        None => println!("{}", text.trim_end()),
    }
    Ok(result.exit_code().clamp(0, 2) as u8)
}

fn human(r: &SuiteResult) -> String {
    let mut lines = vec![format!(
        "{}: {} rules on {} rows of {} in {} ms",
        r.file,
        r.rules.len(),
        count(r.rows),
        r.dataset,
        r.elapsed_ms.round()
    )];
    for rule in &r.rules {
        let mark = match rule.status {
            Status::Passed => "ok  ",
            Status::Failed => "FAIL",
            Status::Warned => "warn",
            Status::Error => "ERR ",
            Status::Skipped => "skip",
        };
        lines.push(format!(
            "  {mark} line {:<4} {:<36} {}",
            rule.line, rule.id, rule.message
        ));
    }
    let t = &r.totals;
    lines.push(format!(
        "{} passed, {} failed, {} warned, {} errors",
        t.passed, t.failed, t.warned, t.errors
    ));
    lines.join("\n")
}
