//! Developer tasks, one command each:
//!
//! - `cargo xtask run`: build the UI and the desktop app, start it on the demo project
//! - `cargo xtask test`: every check CI runs (fmt, clippy, layers, Rust tests, UI tests, end to end)
//! - `cargo xtask gen-types`: regenerate the UI's TypeScript API types from the Rust types
//! - `cargo xtask check-layers`: domain crates must not depend on adapters (tauri, axum, ...)
//! - `cargo xtask ui`: install the UI's npm packages and build it
//! - `cargo xtask e2e`: the end-to-end tests (browser against `assay serve`, desktop via WebDriver)
//! - `cargo xtask bench [--big] [--runs N]`: profile speed and memory against ydata-profiling and
//!   polars describe; `--big` adds flights x30 (10M rows) as Parquet and CSV (wall time, peak RSS);
//!   `bench --quality`: the 20-rule flights suite against Great Expectations and pandera-polars;
//!   `bench --anomaly`: every detector on the 30 ADBench sets against scikit-learn and PyOD;
//!   `bench --track`: metric ingest against a real `mlflow server`, and a 10,000-run table

mod layers;
mod tasks;

use anyhow::{Result, bail};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest = &args[args.len().min(1)..];
    match args.first().map(String::as_str) {
        Some("run") => tasks::run(rest),
        Some("test") => tasks::test(),
        Some("gen-types") => tasks::gen_types(),
        Some("check-layers") => layers::check(),
        Some("ui") => tasks::ui(),
        Some("e2e") => tasks::e2e(),
        Some("bench") => tasks::bench(rest),
        other => bail!(
            "unknown task {:?}: use run | test | gen-types | check-layers | ui | e2e | bench",
            other.unwrap_or("")
        ),
    }
}
