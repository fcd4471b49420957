//! The tasks behind `cargo xtask ...`: each is a sequence of commands that stops at the first
//! failure and says which step failed.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// A `cargo` command (the one running us).
/// `cargo`, without the package variables `cargo run` sets for xtask (`CARGO_MANIFEST_DIR`,
/// `CARGO_PKG_*`, ...). Build scripts that watch them (ring's does) would otherwise rerun, and
/// everything above them (rustls, reqwest, object_store, all of polars) would rebuild on every
/// switch between `cargo xtask ...` and a plain `cargo build`.
pub fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    for (key, _) in std::env::vars_os() {
        if let Some(k) = key.to_str()
            && (k.starts_with("CARGO_PKG_")
                || k.starts_with("CARGO_BIN_")
                || matches!(
                    k,
                    "CARGO_MANIFEST_DIR"
                        | "CARGO_MANIFEST_PATH"
                        | "CARGO_CRATE_NAME"
                        | "CARGO_PRIMARY_PACKAGE"
                ))
        {
            cmd.env_remove(k);
        }
    }
    cmd
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

fn step(name: &str, cmd: &mut Command) -> Result<()> {
    println!("\n==> {name}");
    let status = cmd
        .current_dir_if_unset(root())
        .status()
        .with_context(|| format!("{name}: could not start {cmd:?}"))?;
    if !status.success() {
        bail!("{name} failed ({status})");
    }
    Ok(())
}

trait CurrentDir {
    fn current_dir_if_unset(&mut self, dir: PathBuf) -> &mut Self;
}

impl CurrentDir for Command {
    fn current_dir_if_unset(&mut self, dir: PathBuf) -> &mut Self {
        if self.get_current_dir().is_none() {
            self.current_dir(dir);
        }
        self
    }
}

fn npm(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new("npm");
    c.args(args).current_dir(dir);
    c
}

fn npm_install(dir: &Path) -> Result<()> {
    let name = format!("npm ci ({})", dir.display());
    step(
        &name,
        npm(dir, &["ci", "--no-audit", "--no-fund"]).arg("--loglevel=error"),
    )
}

/// Installs the UI's packages and builds it into ui/dist.
pub fn ui() -> Result<()> {
    let ui = root().join("ui");
    npm_install(&ui)?;
    step("build the UI", &mut npm(&ui, &["run", "build"]))
}

/// Builds everything and starts the desktop app; `--demo` is the default project.
pub fn run(args: &[String]) -> Result<()> {
    ui()?;
    build_all()?;
    let bin = target_dir().join("debug/assay-desktop");
    let mut cmd = Command::new(&bin);
    if args.is_empty() {
        cmd.arg("--demo");
    } else {
        cmd.args(args);
    }
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        println!("no display found: starting under xvfb-run");
        let mut x = Command::new("xvfb-run");
        x.arg("-a").arg(&bin).args(cmd.get_args());
        cmd = x;
    }
    step("run Assay", &mut cmd)
}

/// Writes ui/src/api/types.gen.ts from the Rust API types: the drift test of assay-app
/// rewrites the file instead of comparing when ASSAY_UPDATE_BINDINGS is set. (Running it as a
/// test keeps xtask itself free of the engine, so it builds in seconds.)
pub fn gen_types() -> Result<()> {
    step(
        "generate ui/src/api/types.gen.ts",
        cargo()
            .args(WORKSPACE_TESTS)
            .args([
                "-E",
                "test(committed_bindings_are_current) | test(committed_schema_is_current)",
            ])
            .env("ASSAY_UPDATE_BINDINGS", "1"),
    )
}

/// One package selection for every build, so that features unify the same way and the
/// engine is compiled once.
const WORKSPACE_TESTS: &[&str] = &["nextest", "run", "--workspace", "--no-fail-fast"];

/// Every check CI runs, in order of cost.
pub fn test() -> Result<()> {
    step(
        "cargo fmt --check",
        cargo().args(["fmt", "--all", "--", "--check"]),
    )?;
    crate::layers::check()?;
    ui()?;
    let ui = root().join("ui");
    step("UI type check", &mut npm(&ui, &["run", "typecheck"]))?;
    step("UI unit tests (vitest)", &mut npm(&ui, &["test"]))?;
    step(
        "cargo clippy",
        cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    build_all()?;
    step(
        "Rust tests (incl. TypeScript drift check)",
        cargo()
            .args(WORKSPACE_TESTS)
            .env("ASSAY_BIN", target_dir().join("debug/assay")),
    )?;
    run_e2e()
}

fn build_all() -> Result<()> {
    step(
        "build the workspace (binaries and tests)",
        cargo().args(["build", "--workspace", "--all-targets"]),
    )
}

/// End-to-end: the built UI in headless Chromium against `assay serve`, then the real desktop
/// binary through WebDriver under Xvfb.
pub fn e2e() -> Result<()> {
    ui()?;
    build_all()?;
    run_e2e()
}

fn run_e2e() -> Result<()> {
    let e2e = root().join("tests/e2e");
    npm_install(&e2e)?;
    let bin = target_dir().join("debug");
    let env = |c: &mut Command| {
        c.env("ASSAY_BIN", bin.join("assay"))
            .env("ASSAY_DESKTOP_BIN", bin.join("assay-desktop"))
            .env("ASSAY_UI_DIR", root().join("ui/dist"));
    };
    for (script, what) in [
        ("browser.mjs", "browser end-to-end (Chromium + assay serve)"),
        ("quality.mjs", "quality panel end-to-end (Chromium)"),
        ("anomaly.mjs", "anomaly panel end-to-end (Chromium)"),
        (
            "tracking.mjs",
            "experiments and models panels end-to-end (Chromium)",
        ),
        (
            "connections.mjs",
            "connections panel end-to-end (Chromium + S3 emulator)",
        ),
        ("remote.mjs", "a token-protected server in Chromium"),
    ] {
        let mut node = Command::new("node");
        node.arg(script).current_dir(&e2e);
        env(&mut node);
        step(what, &mut node)?;
    }
    ensure_tauri_driver()?;
    let mut desktop = Command::new("xvfb-run");
    desktop
        .args(["-a", "-s", "-screen 0 1400x900x24", "node", "desktop.mjs"])
        .current_dir(&e2e);
    env(&mut desktop);
    step("desktop end-to-end (WebDriver + Xvfb)", &mut desktop)
}

fn ensure_tauri_driver() -> Result<()> {
    if Command::new("tauri-driver").arg("--help").output().is_ok() {
        return Ok(());
    }
    step(
        "install tauri-driver",
        cargo().args(["install", "tauri-driver", "--locked", "--version", "^2"]),
    )
}

/// Profile benchmark against the peers, in one run on this machine (release build; the peers
/// live in a virtualenv outside the clone). `--big` also profiles flights x30 (~10M rows) as
/// Parquet and CSV, generated once into `$ASSAY_BENCH_BIG` (default `/var/cache/assay/big`).
pub fn bench(args: &[String]) -> Result<()> {
    let python = bench_python()?;
    match args.first().map(String::as_str) {
        Some("--quality") => return bench_quality(&python, &args[1..]),
        Some("--anomaly") => return bench_anomaly(&python, &args[1..]),
        Some("--track") => return bench_track(&args[1..]),
        _ => {}
    }
    step(
        "build assay (release)",
        cargo().args(["build", "--release", "-p", "assay-cli"]),
    )?;
    let data = root().join("../shared/data/tabular/nycflights13_flights.parquet");
    let mut cmd = Command::new(&python);
    cmd.arg(root().join("xtask/bench/profile_peers.py"))
        .arg(target_dir().join("release/assay"))
        .arg(&data)
        .args(args);
    step("profile benchmark", &mut cmd)
}

/// Rule suite of flights against Great Expectations and pandera-polars.
fn bench_quality(python: &Path, args: &[String]) -> Result<()> {
    step(
        "build the check bench (release)",
        cargo().args([
            "build",
            "--release",
            "-p",
            "assay-quality",
            "--example",
            "check_bench",
        ]),
    )?;
    let mut cmd = Command::new(python);
    cmd.arg(root().join("xtask/bench/quality_peers.py"))
        .arg(target_dir().join("release/examples/check_bench"))
        .arg(root().join("../shared/data/tabular/nycflights13_flights.parquet"))
        .arg(root().join("crates/assay-quality/tests/fixtures/flights_20.yaml"))
        .args(args);
    step("quality benchmark", &mut cmd)
}

/// Metric ingest of `assay serve` against a real `mlflow server` (8 threads of 1000-point
/// batches, every point read back), and the first page of a 10,000-run table.
fn bench_track(args: &[String]) -> Result<()> {
    step(
        "build assay (release)",
        cargo().args(["build", "--release", "-p", "assay-cli"]),
    )?;
    let venv = PathBuf::from(
        std::env::var("ASSAY_MLFLOW_VENV")
            .unwrap_or_else(|_| "/var/cache/assay/mlflow-venv".into()),
    );
    let mut cmd = Command::new(venv.join("bin/python"));
    cmd.arg(root().join("xtask/bench/track_peers.py"))
        .arg(target_dir().join("release/assay"))
        .args(args);
    step("tracking benchmark", &mut cmd)
}

/// Every detector on the 30 ADBench sets against scikit-learn and PyOD.
fn bench_anomaly(python: &Path, args: &[String]) -> Result<()> {
    let mut cmd = Command::new(python);
    cmd.arg(root().join("xtask/bench/anomaly_peers.py"))
        .arg(root().join("../shared/data/anomaly"))
        .args(args)
        .env("CARGO_TARGET_DIR", target_dir());
    step("anomaly benchmark", &mut cmd)
}

/// The peers' virtualenv, created and filled on first use.
fn bench_python() -> Result<PathBuf> {
    let venv = PathBuf::from(
        std::env::var("ASSAY_BENCH_VENV").unwrap_or_else(|_| "/var/cache/assay/bench-venv".into()),
    );
    let python = venv.join("bin/python");
    if !python.exists() {
        step(
            "create the peers' virtualenv",
            Command::new("python3").arg("-m").arg("venv").arg(&venv),
        )?;
    }
    step(
        "install the peers (ydata-profiling, Great Expectations, pandera, scikit-learn, PyOD)",
        Command::new(&python).args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "ydata-profiling",
            "polars",
            "pandas",
            "pyarrow",
            "great_expectations",
            "pandera[polars]",
            "scikit-learn",
            "pyod",
        ]),
    )?;
    Ok(python)
}
