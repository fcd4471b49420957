//! `assay profile FILE [--compare FILE2] [--out report.html|report.json] [--charts DIR]`.

use std::io::IsTerminal;
use std::path::Path;

use assay_app::ApiError;
use assay_app::dto::ReportFormat;
use assay_profile::ProfileOptions;
use assay_profile::model::{ColumnProfile, Profile};
use assay_report::{ChartSize, ProfileReport, profile_charts};

use crate::output::{self, Format, emit};

/// Profiles `file` (and compares it with `compare`), printing or writing the report.
pub fn run(
    format: Format,
    file: &str,
    compare: Option<&str>,
    out: Option<&Path>,
    charts: Option<&Path>,
) -> Result<(), ApiError> {
    let bar = (format == Format::Human && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "profiling {msg:24} [{bar:32}] {pos}/{len} columns",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let profile = assay_app::profile_file(
        file,
        &ProfileOptions::default(),
        &mut |done, total, name| {
            if let Some(bar) = &bar
                && done != usize::MAX
            {
                bar.set_length(total as u64);
                bar.set_position(done as u64);
                bar.set_message(name.to_string());
            }
            true
        },
    )?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let drift = compare
        .map(|c| assay_app::compare_files(file, c))
        .transpose()?;
    let mut report = ProfileReport::new(file, profile.clone());
    if let (Some(other), Some(d)) = (compare, drift.clone()) {
        report = report.with_drift(other, d);
    }
    if let Some(dir) = charts {
        write_charts(&report, dir, format)?;
    }
    if let Some(path) = out {
        let text = assay_app::render_report(&report, report_format(path))?;
        assay_project::write_atomic(path, text.as_bytes()).map_err(ApiError::from)?;
        if format == Format::Human {
            println!("wrote {}", path.display());
        }
        return Ok(());
    }
    emit(format, &report, |_| {
        print_profile(file, &profile, drift.as_ref())
    });
    Ok(())
}

/// HTML for `.html`/`.htm`, JSON otherwise.
fn report_format(path: &Path) -> ReportFormat {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
    {
        Some(e) if e == "html" || e == "htm" => ReportFormat::Html,
        _ => ReportFormat::Json,
    }
}

/// Every chart of the report as a PNG in `dir`.
fn write_charts(report: &ProfileReport, dir: &Path, format: Format) -> Result<(), ApiError> {
    let io = |e: std::io::Error| {
        ApiError::new(assay_app::ErrorCode::Io, format!("{}: {e}", dir.display()))
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    let charts = profile_charts(report);
    for named in &charts {
        let png = named
            .chart
            .to_png(ChartSize::new(800, 420))
            .map_err(|e| ApiError::new(assay_app::ErrorCode::Internal, e.to_string()))?;
        assay_project::write_atomic(&dir.join(format!("{}.png", named.id)), &png)
            .map_err(ApiError::from)?;
    }
    if format == Format::Human {
        println!("wrote {} charts to {}", charts.len(), dir.display());
    }
    Ok(())
}

fn print_profile(file: &str, p: &Profile, drift: Option<&assay_profile::DriftReport>) {
    let t = &p.table;
    println!(
        "{file}: {} rows x {} columns, {} missing cells ({:.1}%), {} duplicate rows, profiled in {} ms",
        t.rows,
        t.columns,
        t.missing_cells,
        t.missing_cells_fraction * 100.0,
        t.duplicate_rows,
        p.run.elapsed_ms
    );
    println!(
        "\n{:<20} {:<9} {:>8} {:>9}  summary",
        "column", "kind", "missing", "distinct"
    );
    for c in &p.columns {
        println!(
            "{:<20} {:<9} {:>7.1}% {:>9}  {}",
            c.name,
            format!("{:?}", c.kind).to_lowercase(),
            c.missing_fraction * 100.0,
            c.distinct,
            column_summary(c)
        );
    }
    if !p.alerts.is_empty() {
        println!("\nalerts:");
        for a in &p.alerts {
            println!("  - {}", a.message);
        }
    }
    if let Some(d) = drift {
        println!(
            "\ndrift: {} of {} columns drifted",
            d.drifted,
            d.columns.len()
        );
        for c in &d.columns {
            println!(
                "  {:<20} {:<11} p={:<10} JS={:<8} {}",
                c.column,
                c.test,
                c.p_value.map(|p| format!("{p:.3e}")).unwrap_or_default(),
                c.jensen_shannon
                    .map(|j| format!("{j:.3}"))
                    .unwrap_or_default(),
                if c.drifted { "DRIFTED" } else { "" }
            );
        }
    }
}

fn column_summary(c: &ColumnProfile) -> String {
    if let Some(n) = &c.numeric {
        let f = |v: Option<f64>| v.map(|v| format!("{v:.4}")).unwrap_or_else(|| "-".into());
        return format!(
            "min {} mean {} max {} std {}",
            f(n.min),
            f(n.mean),
            f(n.max),
            f(n.std)
        );
    }
    if let Some(t) = &c.temporal {
        return format!(
            "{} .. {}",
            t.min.as_deref().unwrap_or("-"),
            t.max.as_deref().unwrap_or("-")
        );
    }
    let top: Vec<String> = c
        .top_values
        .iter()
        .take(3)
        .map(|v| format!("{} ({})", v.value, output::count(v.count)))
        .collect();
    top.join(", ")
}
