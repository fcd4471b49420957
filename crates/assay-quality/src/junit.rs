//! JUnit XML for CI: one `<testsuite>` per suite run, one `<testcase>` per rule. A failed
//! error-level rule is a `<failure>` (with the first failing rows), an invalid rule an
//! `<error>`, a skipped rule `<skipped>`; a failed warn-level rule passes and says so in
//! `<system-out>`.

use std::fmt::Write;

use crate::result::{RuleResult, Status, SuiteResult};

/// The result as a JUnit XML document.
pub fn to_junit(result: &SuiteResult) -> String {
    let t = &result.totals;
    let tests = result.rules.len();
    let secs = result.elapsed_ms / 1e3;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"assay check\" tests=\"{tests}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{secs:.3}\">",
        t.failed, t.errors, t.skipped
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{secs:.3}\" timestamp=\"{}\">",
        esc(&result.file),
        t.failed,
        t.errors,
        t.skipped,
        esc(&result.started_at)
    );
    let _ = writeln!(
        out,
        "    <properties>\n      <property name=\"dataset\" value=\"{}\"/>\n      <property name=\"rows\" value=\"{}\"/>\n    </properties>",
        esc(&result.dataset),
        result.rows
    );
    for rule in &result.rules {
        testcase(&mut out, result, rule);
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

fn testcase(out: &mut String, result: &SuiteResult, r: &RuleResult) {
    let _ = write!(
        out,
        "    <testcase name=\"{}\" classname=\"{}.{}\" file=\"{}\" line=\"{}\" time=\"{:.3}\"",
        esc(&r.id),
        esc(&result.dataset),
        esc(&r.kind),
        esc(&result.file),
        r.line,
        r.elapsed_ms / 1e3
    );
    let at = format!("{}:{}: {}", result.file, r.line, r.message);
    match r.status {
        Status::Passed => out.push_str("/>\n"),
        Status::Failed => {
            let _ = writeln!(
                out,
                ">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>",
                esc(&r.message),
                esc(&r.kind),
                esc(&format!("{at}{}", sample_text(r)))
            );
        }
        Status::Warned => {
            let _ = writeln!(
                out,
                ">\n      <system-out>{}</system-out>\n    </testcase>",
                esc(&format!("WARNING {at}{}", sample_text(r)))
            );
        }
        Status::Error => {
            let _ = writeln!(
                out,
                ">\n      <error message=\"{}\" type=\"invalid_rule\">{}</error>\n    </testcase>",
                esc(&r.message),
                esc(&at)
            );
        }
        Status::Skipped => {
            let _ = writeln!(
                out,
                ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                esc(&r.message)
            );
        }
    }
}

/// The failing-row sample as text lines: `row 12: dep_time=null`.
fn sample_text(r: &RuleResult) -> String {
    let Some(s) = &r.sample else {
        return String::new();
    };
    let mut text = String::from("\nfirst failing rows:");
    for row in &s.rows {
        let cells: Vec<String> = s
            .columns
            .iter()
            .zip(&row.values)
            .map(|(c, v)| format!("{c}={v}"))
            .collect();
        let _ = write!(text, "\n  row {}: {}", row.row, cells.join(", "));
    }
    text
}

/// Escapes text for XML attributes and content; drops characters XML 1.0 forbids.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}
