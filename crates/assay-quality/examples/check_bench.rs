//! Benchmark: runs a rule suite over a data file N times (open the file lazily, run every rule
//! in one pass, collect failing-row samples) and prints the median wall time. Used by
//! `xtask/bench/quality_peers.py`.
//!
//! Usage: `check_bench SUITE DATA [RUNS]`; other data sets named by `references` rules are
//! looked up as `<name>.parquet` next to DATA, with or without the `nycflights13_` prefix.

/// The allocator the shipped binaries (`assay`, `assay-desktop`) use, so the bench measures
/// what users run.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::error::Error;
use std::path::{Path, PathBuf};
use std::time::Instant;

use assay_data::{Source, scan};
use assay_quality::{RunOptions, load_suite, run};
use polars::prelude::LazyFrame;

fn open(path: &str) -> Result<LazyFrame, String> {
    let source = Source::from_path(path).ok_or_else(|| format!("{path}: unknown format"))?;
    scan(&source).map(|(lf, _)| lf).map_err(|e| e.to_string())
}

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(suite), Some(data)) = (args.first(), args.get(1)) else {
        return Err("usage: check_bench SUITE DATA [RUNS]".into());
    };
    let runs: usize = args.get(2).map(|r| r.parse()).transpose()?.unwrap_or(5);
    let suite = load_suite(Path::new(suite))?;
    let dir = Path::new(data)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let resolve = |name: &str| {
        let candidates: Vec<PathBuf> = [
            format!("{name}.parquet"),
            format!("nycflights13_{name}.parquet"),
        ]
        .iter()
        .map(|f| dir.join(f))
        .collect();
        let found = candidates.iter().find(|p| p.exists()).ok_or("not found")?;
        open(&found.display().to_string())
    };
    let options = RunOptions {
        sample_rows: std::env::var("ASSAY_SAMPLE_ROWS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(10),
        ..RunOptions::default()
    };
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    let mut last_timing = None;
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let lf = open(data)?;
        let result = run(&suite, lf, &resolve, &options, &|_| true)?;
        times.push(t.elapsed().as_secs_f64());
        last_timing = Some(result.elapsed_ms);
        last = Some(result);
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    if let Some(r) = last {
        let t = r.totals;
        println!(
            "rules: {} passed: {} failed: {} warned: {} errors: {} rows: {}",
            r.rules.len(),
            t.passed,
            t.failed,
            t.warned,
            t.errors,
            r.rows
        );
        for rule in &r.rules {
            println!("  {:<8?} {:<45} {}", rule.status, rule.id, rule.message);
        }
    }
    if let Some(r) = &last_timing {
        println!("last run: {:.1} ms in the engine", r);
    }
    println!("runs: {}", times.len());
    println!("median_seconds: {median:.4}");
    Ok(())
}
