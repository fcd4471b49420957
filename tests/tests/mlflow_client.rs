//! The real `mlflow` Python client (PyPI, in the virtualenv `.ci/setup` makes) logging into
//! `assay serve` on 127.0.0.1: fluent logging, a scikit-learn model registered and loaded back by
//! alias, searches, metric histories, non-ASCII artifacts and MLflow's error codes.

use std::path::PathBuf;
use std::process::Command;

use assay_tests::{Sandbox, shared_data, workspace};

/// The virtualenv's Python with mlflow, scikit-learn and pandas.
fn mlflow_python() -> PathBuf {
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

#[test]
fn the_mlflow_client_logs_registers_and_loads_models_through_assay() {
    let s = Sandbox::new();
    assert!(s.run(&["init", "proj"]).status.success());
    let server = s.serve(&["--project", "proj"]);
    let out = Command::new(mlflow_python())
        .arg(workspace().join("tests/mlflow/client_flow.py"))
        .arg(shared_data().join("tabular/penguins.csv"))
        .current_dir(s.path())
        .env("MLFLOW_TRACKING_URI", &server.url)
        .env("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
        .env("MLFLOW_HTTP_REQUEST_TIMEOUT", "60")
        .env("GIT_PYTHON_REFRESH", "quiet")
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "client flow failed\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
    );
    let summary: serde_json::Value =
        serde_json::from_str(stdout.lines().last().expect("a summary line")).expect("summary JSON");
    let exp = summary["experiment_id"].as_str().expect("experiment id");
    let run = summary["best_run"].as_str().expect("run id");

    let project = s.path().join("proj");
    let notes = project.join(format!(
        ".assay/artifacts/{exp}/{run}/artifacts/notes/résumé.txt"
    ));
    let text = std::fs::read_to_string(&notes).expect("artifact on disk");
    assert!(text.starts_with("Grüße aus Zürich"), "{text}");
    for escaped in [
        s.path().join("escaped.txt"),
        project.join("escaped.txt"),
        project.join(".assay/escaped.txt"),
    ] {
        assert!(!escaped.exists(), "{} was written", escaped.display());
    }

    let db = rusqlite::Connection::open(project.join(".assay/store.sqlite")).expect("store");
    let points: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM metric WHERE run_id = ?1 AND key = 'loss'",
            [run],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(points, 50, "every logged point is stored");
    let champion: i64 = db
        .query_row(
            "SELECT version FROM model_alias WHERE name = 'penguin-classifier' AND alias = 'champion'",
            [],
            |r| r.get(0),
        )
        .expect("alias row");
    assert_eq!(
        champion.to_string(),
        summary["champion_version"].as_str().expect("version")
    );
}
