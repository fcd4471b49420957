//! Remote MLflow: a real `mlflow server` (PyPI, the virtualenv `.ci/setup` makes) on 127.0.0.1
//! with runs logged by the real client; Assay browses it, imports runs and a model version
//! (twice: no duplicates), pushes a run logged into `assay serve`, and reports a server that is
//! down or is not MLflow clearly, leaving nothing half-written.

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use assay_tests::emulators::free_port;
use assay_tests::{Sandbox, json, mlflow_python, stderr, stdout, workspace};
use serde_json::Value;

const TEXT: &str = "Grüße aus Zürich, 数据质量 ✓, naïve café\n";

/// A real `mlflow server` with a SQLite store and proxied artifacts, stopped on drop.
struct MlflowServer {
    child: Child,
    url: String,
}

impl MlflowServer {
    fn start(dir: &Path) -> Self {
        let port = free_port();
        let bin = mlflow_python().with_file_name("mlflow");
        let mut command = Command::new(bin);
        command
            .args(["server", "--host", "127.0.0.1", "--port", &port.to_string()])
            .arg("--backend-store-uri")
            .arg(format!("sqlite:///{}", dir.join("mlflow.db").display()))
            .arg("--artifacts-destination")
            .arg(dir.join("artifacts"))
            .args(["--workers", "1"])
            .env("GIT_PYTHON_REFRESH", "quiet")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let child = command.spawn().expect("mlflow server starts");
        let server = Self {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(90);
        while Instant::now() < deadline {
            if ureq::get(&format!("{}/version", server.url)).call().is_ok() {
                return server;
            }
            std::thread::sleep(Duration::from_millis(300));
        }
        panic!("mlflow server did not answer on {}", server.url);
    }
}

impl Drop for MlflowServer {
    fn drop(&mut self) {
        // The server runs uvicorn workers in its process group: stop them all. The `--` matters:
        // procps-ng 4.0.2 reads `kill -TERM -12345` as `kill(-1, SIGTERM)`, i.e. every process
        // of the user.
        #[cfg(unix)]
        let _ = Command::new("kill")
            .args(["-s", "TERM", "--", &format!("-{}", self.child.id())])
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn python(script: &str, tracking: &str, args: &[&str]) -> Value {
    let out = Command::new(mlflow_python())
        .arg(workspace().join("tests/mlflow").join(script))
        .args(args)
        .env("MLFLOW_TRACKING_URI", tracking)
        .env("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
        .env("GIT_PYTHON_REFRESH", "quiet")
        .output()
        .expect("python runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{script} failed\n{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(text.lines().last().expect("a summary line")).expect("summary JSON")
}

fn assay(s: &Sandbox, args: &[&str]) -> Output {
    s.assay()
        .env("ASSAY_SECRET_STORE", "file")
        .args(args)
        .output()
        .expect("assay runs")
}

fn ok(o: Output) -> Output {
    assert!(
        o.status.success(),
        "assay failed\n{}\n{}",
        stdout(&o),
        stderr(&o)
    );
    o
}

fn api(s: &Sandbox, method: &str, params: Value) -> Value {
    json(&ok(assay(
        s,
        &["api", "-p", "proj", method, &params.to_string()],
    )))
}

fn connect(s: &Sandbox, name: &str, url: &str) {
    api(
        s,
        "save_connection",
        serde_json::json!({ "name": name, "kind": "mlflow", "url": url }),
    );
}

fn store(s: &Sandbox) -> rusqlite::Connection {
    rusqlite::Connection::open(s.path().join("proj/.assay/store.sqlite")).expect("store")
}

fn count(db: &rusqlite::Connection, sql: &str) -> i64 {
    db.query_row(sql, [], |r| r.get(0)).expect("count")
}

/// (step, value, timestamp) of a local metric, in step order.
fn local_history(db: &rusqlite::Connection, run: &str, key: &str) -> Vec<(i64, f64, i64)> {
    let mut stmt = db
        .prepare("SELECT step, value, timestamp FROM metric WHERE run_id = ?1 AND key = ?2 ORDER BY step, timestamp")
        .expect("prepare");
    stmt.query_map([run, key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}

fn remote_history(read: &Value, run: &str, key: &str) -> Vec<(i64, f64, i64)> {
    read[run]["history"][key]
        .as_array()
        .expect("history")
        .iter()
        .map(|p| {
            (
                p[0].as_i64().expect("step"),
                p[1].as_f64().expect("value"),
                p[2].as_i64().expect("timestamp"),
            )
        })
        .collect()
}

fn import(s: &Sandbox, args: &[&str]) -> Value {
    let mut all = vec!["--format", "json", "mlflow", "import", "-p", "proj"];
    all.extend_from_slice(args);
    json(&ok(assay(s, &all)))
}

#[test]
fn runs_and_versions_travel_between_assay_and_a_real_mlflow_server() {
    let s = Sandbox::new();
    let remote_dir = tempfile::tempdir().expect("dir");
    let server = MlflowServer::start(remote_dir.path());
    let logged = python("remote_log.py", &server.url, &["remote-exp", "2", "churn"]);
    let remote_runs: Vec<&str> = logged["runs"]
        .as_array()
        .expect("runs")
        .iter()
        .map(|r| r.as_str().expect("id"))
        .collect();
    let read = python("remote_read.py", &server.url, &remote_runs);

    ok(assay(&s, &["init", "proj"]));
    connect(&s, "remote", &server.url);
    let experiments = api(
        &s,
        "remote_mlflow_experiments",
        serde_json::json!({ "connection": "remote" }),
    );
    assert!(
        experiments["server_version"]
            .as_str()
            .expect("version")
            .starts_with("3.")
    );
    let exp = experiments["experiments"]
        .as_array()
        .expect("experiments")
        .iter()
        .find(|e| e["name"] == "remote-exp")
        .expect("remote-exp listed");
    let page = api(
        &s,
        "remote_mlflow_runs",
        serde_json::json!({
            "connection": "remote", "experiment_ids": [exp["experiment_id"]],
            "filter": "params.model = 'forest'", "order_by": ["attributes.start_time ASC"],
            "max_results": 1,
        }),
    );
    assert_eq!(page["runs"].as_array().expect("runs").len(), 1);
    assert_eq!(page["runs"][0]["info"]["run_id"], remote_runs[0]);
    assert!(page["next_page_token"].is_string(), "a second page");
    let models = api(
        &s,
        "remote_mlflow_models",
        serde_json::json!({ "connection": "remote" }),
    );
    assert_eq!(models[0]["model"]["name"], "churn");
    assert_eq!(models[0]["versions"][0]["version"], "1");

    let imported = import(
        &s,
        &[
            "--connection",
            "remote",
            "--run",
            remote_runs[0],
            "--run",
            remote_runs[1],
            "--model",
            "churn:1",
        ],
    );
    let db = store(&s);
    for (i, remote) in remote_runs.iter().enumerate() {
        let local = imported["runs"][i]["to_run_id"].as_str().expect("local id");
        assert_eq!(imported["runs"][i]["already_there"], false);
        assert_eq!(
            local_history(&db, local, "loss"),
            remote_history(&read, remote, "loss"),
            "the whole loss history"
        );
        let run = api(&s, "get_run", serde_json::json!({ "run_id": local }));
        for (key, value) in read[*remote]["params"].as_object().expect("params") {
            let p = run["data"]["params"].as_array().expect("params");
            assert!(
                p.iter()
                    .any(|kv| kv["key"] == *key && kv["value"] == *value),
                "{key}"
            );
        }
        let tag = |k: &str| {
            run["data"]["tags"]
                .as_array()
                .expect("tags")
                .iter()
                .find(|t| t["key"] == k)
                .map(|t| t["value"].clone())
        };
        assert_eq!(tag("team"), Some(Value::from("données")));
        let origin = tag("assay.imported_from").expect("provenance");
        assert!(origin.as_str().expect("text").starts_with(&server.url));
        assert!(origin.as_str().expect("text").ends_with(remote));
        assert_eq!(run["info"]["status"], "FINISHED");
        let exp_id = run["info"]["experiment_id"].as_str().expect("exp");
        let notes = s.path().join(format!(
            "proj/.assay/artifacts/{exp_id}/{local}/artifacts/notes/résumé.txt"
        ));
        assert_eq!(std::fs::read_to_string(&notes).expect("artifact"), TEXT);
        assert_eq!(
            read[*remote]["text"].as_str().expect("remote text"),
            TEXT,
            "same bytes on both sides"
        );
    }
    let local_first = imported["runs"][0]["to_run_id"]
        .as_str()
        .expect("id")
        .to_string();
    let (source, version_run): (String, String) = db
        .query_row(
            "SELECT source, run_id FROM model_version WHERE name = 'churn'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("the version is registered");
    assert_eq!(version_run, local_first);
    let alias: (String, i64) = db
        .query_row(
            "SELECT alias, version FROM model_alias WHERE name = 'churn'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("the alias came along");
    assert_eq!(alias, ("champion".to_string(), 1));
    assert!(
        source.ends_with(&format!("{local_first}/artifacts/model")),
        "{source}"
    );

    let again = import(
        &s,
        &[
            "--connection",
            "remote",
            "--run",
            remote_runs[0],
            "--run",
            remote_runs[1],
            "--model",
            "churn:1",
        ],
    );
    assert_eq!(again["runs"][0]["already_there"], true);
    assert_eq!(again["model_versions"][0]["already_there"], true);
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM run"),
        2,
        "no duplicate runs"
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM model_version"), 1);

    // A run logged into `assay serve` by the real client, pushed to the MLflow server.
    let local_run = {
        let assay_server = s.serve(&["--project", "proj"]);
        let local = python(
            "remote_log.py",
            &assay_server.url,
            &["local-exp", "1", "local-model"],
        );
        local["runs"][0].as_str().expect("id").to_string()
    };
    let local_read = {
        let assay_server = s.serve(&["--project", "proj"]);
        python("remote_read.py", &assay_server.url, &[&local_run])
    };
    let pushed = json(&ok(assay(
        &s,
        &[
            "--format",
            "json",
            "mlflow",
            "push",
            "-p",
            "proj",
            "--connection",
            "remote",
            "--run",
            &local_run,
            "--model",
            "local-model:1",
            "--experiment",
            "from-assay",
        ],
    )));
    let remote_id = pushed["runs"][0]["to_run_id"].as_str().expect("remote id");
    let champion: Value = ureq::get(&format!(
        "{}/api/2.0/mlflow/registered-models/alias?name=local-model&alias=champion",
        server.url
    ))
    .call()
    .expect("the alias exists on the server")
    .body_mut()
    .read_json()
    .expect("JSON");
    assert_eq!(
        champion["model_version"]["version"], pushed["model_versions"][0]["to_version"],
        "the alias points at the pushed version"
    );
    let back = python("remote_read.py", &server.url, &[remote_id]);
    let back = &back[remote_id];
    assert_eq!(back["experiment"], "from-assay");
    assert_eq!(
        back["history"], local_read[&local_run]["history"],
        "every point"
    );
    assert_eq!(back["params"], local_read[&local_run]["params"]);
    assert_eq!(back["text"], TEXT, "the artifact arrived");
    assert!(
        back["tags"]["assay.pushed_from"]
            .as_str()
            .expect("provenance")
            .ends_with(&local_run)
    );
    let twice = json(&ok(assay(
        &s,
        &[
            "--format",
            "json",
            "mlflow",
            "push",
            "-p",
            "proj",
            "--connection",
            "remote",
            "--run",
            &local_run,
            "--experiment",
            "from-assay",
        ],
    )));
    assert_eq!(twice["runs"][0]["already_there"], true);
    assert_eq!(twice["runs"][0]["to_run_id"], remote_id);
}

#[test]
fn a_server_that_is_down_or_not_mlflow_is_reported_and_nothing_is_written() {
    let s = Sandbox::new();
    ok(assay(&s, &["init", "proj"]));
    let down = format!("http://127.0.0.1:{}", free_port());
    connect(&s, "down", &down);
    let started = Instant::now();
    let out = assay(
        &s,
        &[
            "mlflow",
            "import",
            "-p",
            "proj",
            "--connection",
            "down",
            "--run",
            "abc",
        ],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let message = stderr(&out);
    assert!(
        message.contains(&down) && message.contains("unreachable"),
        "{message}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "fails within seconds"
    );
    let browse = assay(
        &s,
        &[
            "api",
            "-p",
            "proj",
            "remote_mlflow_experiments",
            r#"{"connection": "down"}"#,
        ],
    );
    assert!(!browse.status.success());
    assert!(
        stderr(&browse).contains("unreachable"),
        "{}",
        stderr(&browse)
    );
    let db = store(&s);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM run"), 0, "no run written");
    let artifacts = s.path().join("proj/.assay/artifacts");
    let leftovers = std::fs::read_dir(&artifacts)
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(leftovers, 0, "no staged files left behind");

    // Something that answers HTTP but is not MLflow: a plain file server.
    let port = free_port();
    let mut web = Command::new("python3")
        .args([
            "-m",
            "http.server",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
        ])
        .current_dir(s.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("http.server starts");
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(20);
    while ureq::get(&url).call().is_err() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    connect(&s, "web", &url);
    let out = assay(
        &s,
        &[
            "mlflow",
            "import",
            "-p",
            "proj",
            "--connection",
            "web",
            "--run",
            "abc",
        ],
    );
    let _ = web.kill();
    let _ = web.wait();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is not an MLflow tracking server"),
        "{}",
        stderr(&out)
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM run"), 0);
}
