//! The standalone HTML report: inline CSS and SVG, no scripts, no external requests.

use std::fmt::Write;

use assay_profile::DriftReport;
use assay_profile::model::{
    Alert, ColumnProfile, Duplicates, Monotonicity, NumericStats, Profile, TemporalStats,
    TextStats, ValueCount,
};

use crate::chart::{Chart, ChartSize};
use crate::document::ProfileReport;
use crate::format::{bytes, count, escape, number, opt, percent};
use crate::profile_charts::{NamedChart, column_chart, profile_charts};

const STYLE: &str = include_str!("report.css");
const COLUMN_CHART: ChartSize = ChartSize::new(440, 220);
const WIDE_CHART: ChartSize = ChartSize::new(760, 320);

/// Renders the report as one self-contained HTML document.
pub fn profile_html(report: &ProfileReport) -> Result<String, crate::ReportError> {
    let mut html = String::with_capacity(256 * 1024);
    let p = &report.profile;
    head(&mut html, report);
    overview(&mut html, p);
    alerts(&mut html, &p.alerts);
    html.push_str("<section id=\"columns\"><h2>Columns</h2>");
    for c in &p.columns {
        column(&mut html, c)?;
    }
    html.push_str("</section>");
    let charts = profile_charts(report);
    correlations(&mut html, report, &charts)?;
    missing(&mut html, &charts)?;
    duplicates(&mut html, &p.duplicates, &p.samples.columns);
    samples(&mut html, p);
    if let Some(d) = &report.drift {
        drift(&mut html, report, d, &charts)?;
    }
    footer(&mut html, p);
    Ok(html)
}

fn head(html: &mut String, r: &ProfileReport) {
    let title = escape(&r.title);
    let _ = write!(
        html,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"generator\" content=\"{engine}\"><title>{title}</title><style>{STYLE}</style></head><body>\
         <header><h1>{title}</h1><p class=\"meta\"><code>{source}</code> · generated {at} · \
         profiled in {ms} ms by {engine}</p><nav>{nav}</nav></header><main>",
        engine = escape(&r.profile.run.engine),
        source = escape(&r.source),
        at = escape(&r.generated_at),
        ms = count(r.profile.run.elapsed_ms as i64),
        nav = nav(r),
    );
}

fn nav(r: &ProfileReport) -> String {
    let mut links = vec![
        ("overview", "Overview"),
        ("alerts", "Alerts"),
        ("columns", "Columns"),
        ("correlations", "Correlations"),
        ("missing", "Missing values"),
        ("duplicates", "Duplicates"),
        ("samples", "Samples"),
    ];
    if r.drift.is_some() {
        links.push(("drift", "Drift"));
    }
    links
        .iter()
        .map(|(id, label)| format!("<a href=\"#{id}\">{label}</a>"))
        .collect::<Vec<_>>()
        .join("")
}

fn overview(html: &mut String, p: &Profile) {
    let t = &p.table;
    let kinds = t
        .kinds
        .iter()
        .map(|(k, n)| format!("{n} {k}"))
        .collect::<Vec<_>>()
        .join(", ");
    let cards = [
        ("Rows", count(t.rows as i64)),
        ("Columns", count(t.columns as i64)),
        (
            "Missing cells",
            format!(
                "{} ({})",
                count(t.missing_cells as i64),
                percent(t.missing_cells_fraction)
            ),
        ),
        (
            "Duplicate rows",
            format!(
                "{} ({})",
                count(t.duplicate_rows as i64),
                percent(t.duplicate_rows_fraction)
            ),
        ),
        ("In memory", bytes(t.memory_bytes)),
        ("Kinds", kinds),
    ];
    html.push_str("<section id=\"overview\"><h2>Overview</h2><div class=\"cards\">");
    for (label, value) in cards {
        let _ = write!(
            html,
            "<div class=\"card\"><div class=\"label\">{label}</div><div class=\"value\">{}</div></div>",
            escape(&value)
        );
    }
    html.push_str("</div></section>");
}

fn alerts(html: &mut String, alerts: &[Alert]) {
    let _ = write!(
        html,
        "<section id=\"alerts\"><h2>Alerts <span class=\"n\">{}</span></h2>",
        alerts.len()
    );
    if alerts.is_empty() {
        html.push_str("<p class=\"quiet\">Nothing stood out.</p></section>");
        return;
    }
    html.push_str("<ul class=\"alerts\">");
    for a in alerts {
        let kind = serde_json::to_value(a.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let _ = write!(
            html,
            "<li><span class=\"badge {kind}\">{}</span> {}</li>",
            escape(&kind.replace('_', " ")),
            escape(&a.message)
        );
    }
    html.push_str("</ul></section>");
}

fn column(html: &mut String, c: &ColumnProfile) -> Result<(), crate::ReportError> {
    let kind = serde_json::to_value(c.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let hints = c
        .hints
        .iter()
        .filter_map(|h| serde_json::to_value(h).ok())
        .filter_map(|v| v.as_str().map(|s| s.replace('_', " ")))
        .map(|h| format!("<span class=\"hint\">{}</span>", escape(&h)))
        .collect::<String>();
    let _ = write!(
        html,
        "<article class=\"column\" id=\"column-{id}\"><h3>{name} <span class=\"kind\">{kind}</span> \
         <span class=\"dtype\">{dtype}</span>{hints}</h3><div class=\"column-body\"><dl class=\"stats\">",
        id = escape(&c.name.replace(' ', "_")),
        name = escape(&c.name),
        dtype = escape(&c.dtype),
    );
    let distinct = if c.distinct_approximate {
        format!("≈{}", count(c.distinct as i64))
    } else {
        count(c.distinct as i64)
    };
    let mut rows = vec![
        ("Present", count(c.count as i64)),
        (
            "Missing",
            format!(
                "{} ({})",
                count(c.missing as i64),
                percent(c.missing_fraction)
            ),
        ),
        (
            "Distinct",
            format!("{distinct} ({})", percent(c.distinct_fraction)),
        ),
        ("Unique", count(c.unique as i64)),
        ("Memory", bytes(c.memory_bytes)),
    ];
    if let Some(n) = &c.numeric {
        rows.extend(numeric_rows(n));
    }
    if let Some(t) = &c.text {
        rows.extend(text_rows(t));
    }
    if let Some(t) = &c.temporal {
        rows.extend(temporal_rows(t));
    }
    for (label, value) in rows {
        let _ = write!(
            html,
            "<div><dt>{label}</dt><dd>{}</dd></div>",
            escape(&value)
        );
    }
    html.push_str("</dl><div class=\"chart\">");
    if let Some(chart) = column_chart(c) {
        html.push_str(&svg(&chart, COLUMN_CHART)?);
    }
    if c.numeric.is_none() && !c.top_values.is_empty() {
        value_table(html, &c.top_values, c.count);
    }
    html.push_str("</div></div></article>");
    Ok(())
}

fn numeric_rows(n: &NumericStats) -> Vec<(&'static str, String)> {
    let monotonic = match n.monotonicity {
        Monotonicity::StrictlyIncreasing => "strictly increasing",
        Monotonicity::Increasing => "increasing",
        Monotonicity::StrictlyDecreasing => "strictly decreasing",
        Monotonicity::Decreasing => "decreasing",
        Monotonicity::None => "no",
    };
    vec![
        ("Min", opt(n.min)),
        ("5%", opt(n.p05)),
        ("25%", opt(n.p25)),
        ("Median", opt(n.p50)),
        ("75%", opt(n.p75)),
        ("95%", opt(n.p95)),
        ("Max", opt(n.max)),
        ("Range", opt(n.range)),
        ("IQR", opt(n.iqr)),
        ("Mean", opt(n.mean)),
        ("Std", opt(n.std)),
        ("Variance", opt(n.variance)),
        ("Sum", opt(n.sum)),
        ("MAD", opt(n.mad)),
        ("CV", opt(n.cv)),
        ("Skewness", opt(n.skewness)),
        ("Kurtosis", opt(n.kurtosis)),
        ("Zeros", count(n.zeros as i64)),
        ("Negative", count(n.negatives as i64)),
        ("Infinite", count(n.infinite as i64)),
        ("Monotonic", monotonic.to_string()),
    ]
}

fn text_rows(t: &TextStats) -> Vec<(&'static str, String)> {
    let classes = t
        .char_classes
        .iter()
        .map(|(k, v)| format!("{k} {}", count(*v as i64)))
        .collect::<Vec<_>>()
        .join(", ");
    vec![
        (
            "Length",
            format!(
                "{}–{}, mean {}, median {}",
                t.min_length,
                t.max_length,
                number(t.mean_length),
                number(t.median_length)
            ),
        ),
        ("Empty", count(t.empty as i64)),
        ("Characters", classes),
    ]
}

fn temporal_rows(t: &TemporalStats) -> Vec<(&'static str, String)> {
    vec![
        ("First", t.min.clone().unwrap_or_else(|| "–".into())),
        ("Last", t.max.clone().unwrap_or_else(|| "–".into())),
        ("Span (days)", opt(t.range_days)),
    ]
}

fn value_table(html: &mut String, values: &[ValueCount], present: u64) {
    html.push_str("<table class=\"values\"><tr><th>Value</th><th>Rows</th><th>Share</th></tr>");
    for v in values {
        let _ = write!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&v.value),
            count(v.count as i64),
            percent(v.count as f64 / present.max(1) as f64)
        );
    }
    html.push_str("</table>");
}

/// Renders the charts whose id starts with `prefix` as figures; returns how many.
fn figures(
    html: &mut String,
    charts: &[NamedChart],
    prefix: &str,
    size: ChartSize,
) -> Result<usize, crate::ReportError> {
    let mut n = 0;
    for named in charts.iter().filter(|c| c.id.starts_with(prefix)) {
        html.push_str("<figure>");
        html.push_str(&svg(&named.chart, size)?);
        html.push_str("</figure>");
        n += 1;
    }
    Ok(n)
}

fn correlations(
    html: &mut String,
    r: &ProfileReport,
    charts: &[NamedChart],
) -> Result<(), crate::ReportError> {
    let c = &r.profile.correlations;
    let _ = write!(
        html,
        "<section id=\"correlations\"><h2>Correlations</h2><p class=\"quiet\">On {} sampled rows.</p><div class=\"grid\">",
        count(c.sample_rows as i64)
    );
    if figures(html, charts, "correlation-", ChartSize::new(520, 460))? == 0 {
        html.push_str("<p class=\"quiet\">Fewer than two columns to correlate.</p>");
    }
    html.push_str("</div></section>");
    Ok(())
}

fn missing(html: &mut String, charts: &[NamedChart]) -> Result<(), crate::ReportError> {
    html.push_str("<section id=\"missing\"><h2>Missing values</h2>");
    if figures(html, charts, "missing-", WIDE_CHART)? == 0 {
        html.push_str("<p class=\"quiet\">No value is missing.</p>");
    }
    html.push_str("</section>");
    Ok(())
}

fn duplicates(html: &mut String, d: &Duplicates, columns: &[String]) {
    let _ = write!(
        html,
        "<section id=\"duplicates\"><h2>Duplicate rows <span class=\"n\">{}</span></h2>",
        count(d.count as i64)
    );
    if d.examples.is_empty() {
        html.push_str("<p class=\"quiet\">Every row is distinct.</p></section>");
        return;
    }
    let rows: Vec<Vec<String>> = d
        .examples
        .iter()
        .map(|e| {
            let mut cells = vec![count(e.count as i64)];
            cells.extend(e.row.iter().map(cell));
            cells
        })
        .collect();
    let mut header = vec!["copies".to_string()];
    header.extend(columns.iter().cloned());
    table(html, &header, &rows);
    html.push_str("</section>");
}

fn samples(html: &mut String, p: &Profile) {
    html.push_str("<section id=\"samples\"><h2>Samples</h2>");
    let s = &p.samples;
    for (label, rows, open) in [
        ("First rows", &s.head, " open"),
        ("Last rows", &s.tail, ""),
        ("Random rows", &s.random, ""),
    ] {
        let _ = write!(html, "<details{open}><summary>{label}</summary>");
        let cells: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(cell).collect()).collect();
        table(html, &s.columns, &cells);
        html.push_str("</details>");
    }
    html.push_str("</section>");
}

fn drift(
    html: &mut String,
    r: &ProfileReport,
    d: &DriftReport,
    charts: &[NamedChart],
) -> Result<(), crate::ReportError> {
    let other = r.compared_with.as_deref().unwrap_or("the other data set");
    let _ = write!(
        html,
        "<section id=\"drift\"><h2>Drift <span class=\"n\">{} of {}</span></h2>\
         <p><code>{}</code> ({} rows) compared with this data set ({} rows).</p>",
        d.drifted,
        d.columns.len(),
        escape(other),
        count(d.current_rows as i64),
        count(d.reference_rows as i64),
    );
    for (label, cols) in [
        ("Only in this data set", &d.only_in_reference),
        ("Only in the other", &d.only_in_current),
    ] {
        if !cols.is_empty() {
            let _ = write!(html, "<p>{label}: {}</p>", escape(&cols.join(", ")));
        }
    }
    let header: Vec<String> = [
        "column",
        "test",
        "statistic",
        "p-value",
        "Wasserstein",
        "JS",
        "PSI",
        "missing",
        "drifted",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let rows: Vec<Vec<String>> = d
        .columns
        .iter()
        .map(|c| {
            vec![
                c.column.clone(),
                c.test.clone(),
                opt(c.statistic),
                opt(c.p_value),
                opt(c.wasserstein),
                opt(c.jensen_shannon),
                opt(c.psi),
                format!(
                    "{} → {}",
                    percent(c.missing_fraction[0]),
                    percent(c.missing_fraction[1])
                ),
                if c.drifted { "yes".into() } else { "no".into() },
            ]
        })
        .collect();
    table(html, &header, &rows);
    html.push_str("<div class=\"grid\">");
    figures(html, charts, "drift-", COLUMN_CHART)?;
    html.push_str("</div></section>");
    Ok(())
}

fn footer(html: &mut String, p: &Profile) {
    let options = serde_json::to_string_pretty(&p.run.options).unwrap_or_default();
    let _ = write!(
        html,
        "</main><footer><details><summary>Options</summary><pre>{}</pre></details>\
         <p>Made by {}. This file needs no network and no JavaScript.</p></footer></body></html>",
        escape(&options),
        escape(&p.run.engine)
    );
}

fn table(html: &mut String, header: &[String], rows: &[Vec<String>]) {
    html.push_str("<div class=\"scroll\"><table class=\"data\"><tr>");
    for h in header {
        let _ = write!(html, "<th>{}</th>", escape(h));
    }
    html.push_str("</tr>");
    for r in rows {
        html.push_str("<tr>");
        for c in r {
            let _ = write!(html, "<td>{}</td>", escape(c));
        }
        html.push_str("</tr>");
    }
    html.push_str("</table></div>");
}

fn cell(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "∅".into(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn svg(chart: &Chart, size: ChartSize) -> Result<String, crate::ReportError> {
    let svg = chart.to_svg(size)?;
    let label = escape(chart.title());
    Ok(svg.replacen(
        "<svg ",
        &format!("<svg role=\"img\" aria-label=\"{label}\" "),
        1,
    ))
}
