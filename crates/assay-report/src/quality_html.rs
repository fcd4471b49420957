//! A quality run as one standalone HTML page: totals, one row per rule, failing-row samples.

use std::fmt::Write;

use assay_quality::{Observed, RuleResult, Status, SuiteResult};

use crate::format::{count, escape, number, percent};

const STYLE: &str = include_str!("report.css");

/// Renders a suite result as a self-contained HTML document (no scripts, no requests).
pub fn quality_html(r: &SuiteResult) -> String {
    let mut html = String::with_capacity(64 * 1024);
    let title = format!("Quality of {}", r.dataset);
    let t = &r.totals;
    let _ = write!(
        html,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <style>{STYLE}</style></head><body><header><h1>{title}</h1><p class=\"meta\">\
         <code>{file}</code> · {rows} rows · started {at} · {ms} ms</p></header><main>\
         <section id=\"overview\"><div class=\"cards\">{cards}</div></section>\
         <section id=\"rules\"><h2>Rules</h2><div class=\"scroll\"><table class=\"data\">\
         <tr><th>status</th><th>line</th><th>rule</th><th>severity</th><th>observed</th>\
         <th>failing rows</th><th>message</th></tr>",
        title = escape(&title),
        file = escape(&r.file),
        rows = count(r.rows as i64),
        at = escape(&r.started_at),
        ms = number(r.elapsed_ms.round()),
        cards = [
            ("Passed", t.passed),
            ("Failed", t.failed),
            ("Warned", t.warned),
            ("Errors", t.errors),
            ("Skipped", t.skipped),
        ]
        .iter()
        .map(|(l, n)| format!(
            "<div class=\"card\"><div class=\"label\">{l}</div><div class=\"value\">{n}</div></div>"
        ))
        .collect::<String>(),
    );
    for rule in &r.rules {
        rule_row(&mut html, rule);
    }
    html.push_str("</table></div></section><section id=\"samples\"><h2>Failing rows</h2>");
    for rule in r
        .rules
        .iter()
        .filter(|r| r.sample.as_ref().is_some_and(|s| !s.rows.is_empty()))
    {
        sample(&mut html, rule);
    }
    html.push_str("</section></main></body></html>");
    html
}

fn status_label(s: Status) -> (&'static str, &'static str) {
    match s {
        Status::Passed => ("passed", "unique"),
        Status::Failed => ("failed", "missing"),
        Status::Warned => ("warned", "zeros"),
        Status::Error => ("error", "empty"),
        Status::Skipped => ("skipped", "constant"),
    }
}

fn rule_row(html: &mut String, rule: &RuleResult) {
    let (label, class) = status_label(rule.status);
    let observed = match &rule.observed {
        Some(Observed::Number(v)) => number(*v),
        Some(Observed::Text(t)) => t.clone(),
        None => "–".into(),
    };
    let failing = match (rule.failing_count, rule.failing_fraction) {
        (Some(n), Some(f)) => format!("{} ({})", count(n as i64), percent(f)),
        _ => "–".into(),
    };
    let severity = serde_json::to_value(rule.severity)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let _ = write!(
        html,
        "<tr><td><span class=\"badge {class}\">{label}</span></td><td>{}</td><td><code>{}</code></td>\
         <td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        rule.line,
        escape(&rule.id),
        escape(&severity),
        escape(&observed),
        escape(&failing),
        escape(&rule.message),
    );
}

fn sample(html: &mut String, rule: &RuleResult) {
    let Some(s) = &rule.sample else { return };
    let _ = write!(
        html,
        "<details><summary><code>{}</code> (line {})</summary><div class=\"scroll\"><table class=\"data\"><tr><th>row</th>",
        escape(&rule.id),
        rule.line
    );
    for c in &s.columns {
        let _ = write!(html, "<th>{}</th>", escape(c));
    }
    html.push_str("</tr>");
    for row in &s.rows {
        let _ = write!(html, "<tr><td>{}</td>", count(row.row as i64));
        for v in &row.values {
            let text = match v {
                serde_json::Value::Null => "∅".to_string(),
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let _ = write!(html, "<td>{}</td>", escape(&text));
        }
        html.push_str("</tr>");
    }
    html.push_str("</table></div></details>");
}
