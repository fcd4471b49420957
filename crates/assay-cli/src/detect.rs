//! `assay detect FILE [--columns a,b] [--method ensemble|iforest|...] [--label COL] [--out scores.parquet]`.

use std::path::Path;

use assay_anomaly::{DetectOptions, Detection, Method};
use assay_app::ApiError;

use crate::output::{Format, emit};

/// What `assay detect` was asked.
pub struct DetectArgs<'a> {
    /// The data file.
    pub file: &'a str,
    /// Columns to use (empty: every numeric and boolean column but the label).
    pub columns: Vec<String>,
    /// Detector name.
    pub method: &'a str,
    /// Ground-truth column (1/true = anomaly) for ROC-AUC.
    pub label: Option<String>,
    /// Seed.
    pub seed: u64,
    /// Where to write the rows with their scores.
    pub out: Option<&'a Path>,
}

/// Scores the file, prints a summary (AUC with a label), writes the scores if asked.
pub fn run(format: Format, args: DetectArgs) -> Result<(), ApiError> {
    let method = Method::parse(args.method).ok_or_else(|| {
        let names: Vec<&str> = std::iter::once(Method::Ensemble)
            .chain(Method::SINGLES)
            .map(Method::name)
            .collect();
        ApiError::invalid(format!(
            "unknown method '{}': use one of {}",
            args.method,
            names.join(", ")
        ))
    })?;
    let options = DetectOptions {
        method,
        columns: args.columns,
        label: args.label,
        seed: args.seed,
        ..DetectOptions::default()
    };
    let detection = assay_app::detect_file(args.file, &options)?;
    let written = args
        .out
        .map(|out| assay_app::write_scores(args.file, &detection, out).map(|n| (out, n)))
        .transpose()?;
    let summary = serde_json::json!({
        "file": args.file,
        "method": detection.method,
        "table_rows": detection.table_rows,
        "scored_rows": detection.scores.len(),
        "features": detection.features,
        "notes": detection.notes,
        "thresholds": detection.thresholds,
        "members": detection.members.iter().map(|m| serde_json::json!({
            "method": m.method, "seconds": m.seconds, "roc_auc": m.roc_auc,
        })).collect::<Vec<_>>(),
        "evaluation": detection.evaluation,
        "top": detection.top,
        "seconds": detection.seconds,
        "scores_file": written.map(|(p, _)| p.display().to_string()),
    });
    emit(format, &summary, |_| print(&detection, args.file, written));
    Ok(())
}

fn print(d: &Detection, file: &str, written: Option<(&Path, u64)>) {
    println!(
        "{file}: {} of {} rows scored by {} on {} features in {:.2} s",
        d.scores.len(),
        d.table_rows,
        d.method.name(),
        d.features.len(),
        d.seconds
    );
    for note in &d.notes {
        println!("  note: {note}");
    }
    if let Some(e) = &d.evaluation {
        println!(
            "ROC-AUC {:.4}  average precision {:.4}  precision@{} {:.4}",
            e.roc_auc, e.average_precision, e.k, e.precision_at_k
        );
    }
    println!("suggested thresholds:");
    for t in &d.thresholds {
        println!(
            "  {:<28} score >= {:<12.6} flags {} rows",
            t.label, t.value, t.flagged
        );
    }
    println!("most unusual rows:");
    for r in d.top.iter().take(5) {
        let why: Vec<String> = r
            .contributions
            .iter()
            .take(3)
            .map(|c| format!("{}={} ({:.0}%)", c.feature, c.value, c.share * 100.0))
            .collect();
        println!(
            "  row {:<8} score {:<10.4} {}",
            r.row,
            r.score,
            why.join(", ")
        );
    }
    if let Some((path, n)) = written {
        println!("wrote {n} rows with anomaly_score to {}", path.display());
    }
}
