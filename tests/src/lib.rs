//! Helpers for Assay's end-to-end tests: run the real `assay` binary in an isolated home
//! (its own config and data folders) and talk to a real `assay serve` on 127.0.0.1.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Once;

pub mod emulators;
pub mod proxy;

/// The `assay` binary: `ASSAY_BIN` when set (CI builds it once up front), else built on
/// first use with the same target selection as the workspace build (`-p assay-cli` alone would
/// unify features differently and rebuild polars).
pub fn assay_bin() -> PathBuf {
    if let Some(bin) = std::env::var_os("ASSAY_BIN") {
        return PathBuf::from(bin);
    }
    static BUILD: Once = Once::new();
    BUILD.call_once(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--quiet", "--workspace", "--all-targets"])
            .current_dir(workspace())
            .status()
            .expect("cargo build starts");
        assert!(
            status.success(),
            "cargo build --workspace --all-targets failed"
        );
    });
    let deps = std::env::current_exe().expect("test exe path");
    let debug = deps.parent().and_then(Path::parent).expect("target/debug");
    debug.join("assay")
}

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

/// The shared real data sets (`../shared/data` beside the clone).
pub fn shared_data() -> PathBuf {
    workspace().join("../shared/data")
}

/// The virtualenv's Python with mlflow, scikit-learn and pandas (`ASSAY_MLFLOW_PYTHON`
/// overrides; `.ci/setup` makes it).
pub fn mlflow_python() -> PathBuf {
    let python = std::env::var_os("ASSAY_MLFLOW_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/cache/assay/mlflow-venv/bin/python"));
    assert!(
        python.exists(),
        "{} is missing: run `bash .ci/setup` (it creates the mlflow virtualenv) or set ASSAY_MLFLOW_PYTHON",
        python.display()
    );
    python
}

/// A throwaway home for one test: config and data folders, and room for projects.
pub struct Sandbox {
    dir: tempfile::TempDir,
}

impl Default for Sandbox {
    fn default() -> Self {
        Self::new()
    }
}

impl Sandbox {
    /// A fresh sandbox.
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    /// The sandbox folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// An `assay` command isolated in this sandbox, with no standard input.
    pub fn assay(&self) -> Command {
        let mut c = Command::new(assay_bin());
        c.env("ASSAY_CONFIG_DIR", self.path().join("config"))
            .env("ASSAY_DATA_DIR", self.path().join("data"))
            .env_remove("ASSAY_LOG")
            .env_remove("ASSAY_ADDR")
            .env_remove("ASSAY_TOKEN")
            .stdin(Stdio::null())
            .current_dir(self.path());
        c
    }

    /// Runs `assay ARGS` to completion.
    pub fn run(&self, args: &[&str]) -> Output {
        self.assay().args(args).output().expect("assay runs")
    }

    /// Runs `assay api -p PROJECT METHOD PARAMS` (secrets in the sandbox's file, never the
    /// machine's keychain).
    pub fn api(&self, project: &str, method: &str, params: &serde_json::Value) -> Output {
        self.assay()
            .env("ASSAY_SECRET_STORE", "file")
            .args(["api", "-p", project, method, &params.to_string()])
            .output()
            .expect("assay runs")
    }

    /// Like [`api`](Self::api), asserting success, with the result as JSON.
    pub fn api_ok(
        &self,
        project: &str,
        method: &str,
        params: &serde_json::Value,
    ) -> serde_json::Value {
        let out = self.api(project, method, params);
        assert!(
            out.status.success(),
            "{method} failed\n{}\n{}",
            stdout(&out),
            stderr(&out)
        );
        json(&out)
    }

    /// Starts `assay serve ARGS --addr 127.0.0.1:0` and waits for its "listening" line.
    pub fn serve(&self, args: &[&str]) -> Server {
        let mut cmd = self.assay();
        cmd.arg("serve").args(args).args(["--addr", "127.0.0.1:0"]);
        Server::start(cmd)
    }
}

/// A running `assay serve`, stopped on drop.
pub struct Server {
    child: Child,
    /// Base URL, e.g. `http://127.0.0.1:40123`.
    pub url: String,
}

impl Server {
    /// Starts `cmd` (an `assay serve`) and waits for its "listening" line. An unspecified
    /// address (0.0.0.0) in the URL is replaced by 127.0.0.1.
    pub fn start(mut cmd: Command) -> Self {
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("assay serve starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read the listening line");
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {line:?}"))
            .replace("://0.0.0.0:", "://127.0.0.1:");
        Server { child, url }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Standard output as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Standard output parsed as JSON.
pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", stdout(o)))
}
