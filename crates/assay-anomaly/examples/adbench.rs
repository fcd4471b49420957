//! Runs detectors on every ADBench set in a folder (`*.parquet` with `x0..xN` and `label`) and
//! prints per set and detector the ROC-AUC and seconds, the means and totals, and a final JSON
//! line (`{"sets": [...], "summary": {...}}`) for scripts.
//!
//! `cargo run --release -p assay-anomaly --example adbench -- [--methods a,b] [--seed N] DIR`

/// The allocator the shipped binaries (`assay`, `assay-desktop`) use, so the bench measures
/// what users run.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use assay_anomaly::{DetectOptions, Method, detect, no_progress};
use polars::prelude::*;

fn main() {
    if let Err(e) = run() {
        eprintln!("adbench: {e}");
        std::process::exit(1);
    }
}

struct Args {
    methods: Vec<Method>,
    seed: u64,
    dir: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let mut methods = vec![Method::Ensemble];
    methods.extend(Method::SINGLES);
    let (mut seed, mut dir) = (0, None);
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--methods" => {
                let list = it.next().ok_or("--methods needs a list")?;
                methods = list
                    .split(',')
                    .map(|m| Method::parse(m).ok_or(format!("unknown method {m}")))
                    .collect::<Result<_, _>>()?;
            }
            "--seed" => {
                seed = it
                    .next()
                    .and_then(|s| s.parse().ok())
                    .ok_or("--seed needs a number")?;
            }
            _ => dir = Some(PathBuf::from(a)),
        }
    }
    let dir = dir.ok_or("usage: adbench [--methods a,b] [--seed N] DIR")?;
    Ok(Args { methods, seed, dir })
}

fn sets(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "parquet"))
        .collect();
    files.sort();
    Ok(files)
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let mut per_method: BTreeMap<&str, (f64, f64, usize)> = BTreeMap::new();
    let mut rows_json = Vec::new();
    for path in sets(&args.dir)? {
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let df = LazyFrame::scan_parquet(
            PlRefPath::new(path.to_string_lossy().as_ref()),
            ScanArgsParquet::default(),
        )
        .and_then(|lf| lf.collect())
        .map_err(|e| format!("{name}: {e}"))?;
        for &method in &args.methods {
            let opts = DetectOptions {
                method,
                label: Some("label".into()),
                seed: args.seed,
                explain_top: 0,
                projection_points: 0,
                ..DetectOptions::default()
            };
            let t = Instant::now();
            let (det, _) = detect(df.clone().lazy(), &opts, &no_progress)
                .map_err(|e| format!("{name} {}: {e}", method.name()))?;
            let secs = t.elapsed().as_secs_f64();
            let auc = det.evaluation.map_or(f64::NAN, |e| e.roc_auc);
            println!(
                "{name:<12} {:<17} auc {auc:.4}  {secs:>8.3}s",
                method.name()
            );
            let e = per_method.entry(method.name()).or_default();
            e.0 += auc;
            e.1 += secs;
            e.2 += 1;
            rows_json.push(format!(
                r#"{{"set":"{name}","method":"{}","auc":{auc:.6},"seconds":{secs:.6}}}"#,
                method.name()
            ));
        }
    }
    println!("\n{:<17} {:>9} {:>10}", "method", "mean auc", "total s");
    let mut summary = Vec::new();
    for (m, (auc, secs, n)) in &per_method {
        let mean = auc / *n as f64;
        println!("{m:<17} {mean:>9.4} {secs:>10.3}");
        summary.push(format!(
            r#""{m}":{{"mean_auc":{mean:.6},"total_seconds":{secs:.6}}}"#
        ));
    }
    println!(
        r#"{{"sets":[{}],"summary":{{{}}}}}"#,
        rows_json.join(","),
        summary.join(",")
    );
    Ok(())
}
