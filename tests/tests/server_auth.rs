//! `assay serve` with tokens, as a shared server runs: every route but the health check and the
//! UI files refused without the token (401) and answered with it, HTTP Basic with the token as
//! password, `?token=` on the event stream, the audit log naming who changed what, `/metrics`,
//! CORS preflights, the refusal to listen beyond loopback without a token, and the real `mlflow`
//! client with `MLFLOW_TRACKING_TOKEN`. Every server binds 127.0.0.1 (or 0.0.0.0, reached
//! through 127.0.0.1) and is stopped by the test.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use assay_tests::{Sandbox, Server, mlflow_python};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

const ALICE: &str = "alice-0123456789abcdef";
const CI: &str = "ci-fedcba9876543210xyz";

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

/// `POST /api/{method}` with an optional `Authorization` header: status and JSON body.
fn call(base: &str, auth: Option<&str>, method: &str, params: Value) -> (u16, Value) {
    let mut request = agent().post(&format!("{base}/api/{method}"));
    if let Some(a) = auth {
        request = request.header("Authorization", a);
    }
    let mut resp = request.send_json(params).expect("request");
    let status = resp.status().as_u16();
    (status, resp.body_mut().read_json().unwrap_or(Value::Null))
}

/// `GET path` with an optional `Authorization` header: status and body text.
fn get(base: &str, auth: Option<&str>, path: &str) -> (u16, String) {
    let mut request = agent().get(&format!("{base}{path}"));
    if let Some(a) = auth {
        request = request.header("Authorization", a);
    }
    let mut resp = request.call().expect("request");
    let status = resp.status().as_u16();
    (status, resp.body_mut().read_to_string().unwrap_or_default())
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

fn basic(user: &str, password: &str) -> String {
    let pair = format!("{user}:{password}");
    format!("Basic {}", STANDARD.encode(pair))
}

/// A sandbox with the demo project, a token file (`alice`, `ci`) and a one-page UI folder.
fn secured() -> (Sandbox, Server) {
    let s = Sandbox::new();
    assert!(s.run(&["init", "demo", "--demo"]).status.success());
    std::fs::write(
        s.path().join("tokens.txt"),
        format!("# who:token\nalice:{ALICE}\nci:{CI}\n"),
    )
    .expect("token file");
    let ui = s.path().join("ui");
    std::fs::create_dir(&ui).expect("mkdir");
    std::fs::write(ui.join("index.html"), "<html>Assay</html>").expect("index");
    let server = s.serve(&[
        "--project",
        "demo",
        "--token-file",
        "tokens.txt",
        "--ui",
        "ui",
    ]);
    (s, server)
}

fn audit_lines(project: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(project.join(".assay/audit.log")).unwrap_or_default();
    text.lines()
        .map(|l| serde_json::from_str(l).expect("audit line is JSON"))
        .collect()
}

#[test]
fn a_token_is_refused_or_accepted_on_every_route() {
    let (_s, server) = secured();
    let url = server.url.as_str();

    assert_eq!(get(url, None, "/api/health").0, 200);
    assert_eq!(get(url, None, "/").0, 200, "the UI files need no token");

    let mut resp = agent()
        .post(&format!("{url}/api/current_project"))
        .send_json(json!({}))
        .expect("request");
    assert_eq!(resp.status().as_u16(), 401);
    let challenge = resp.headers().get("www-authenticate").expect("challenge");
    assert!(challenge.to_str().expect("ascii").starts_with("Bearer"));
    let body: Value = resp.body_mut().read_json().expect("json");
    assert_eq!(body["code"], "unauthorized");

    let wrong = bearer("not-the-token-at-all-0000");
    assert_eq!(call(url, Some(&wrong), "current_project", json!({})).0, 401);
    let (status, project) = call(url, Some(&bearer(ALICE)), "current_project", json!({}));
    assert_eq!(
        (status, project["name"].as_str()),
        (200, Some("Assay demo"))
    );
    assert_eq!(
        call(url, Some(&basic("maria", CI)), "current_project", json!({})).0,
        200
    );
    assert_eq!(
        call(
            url,
            Some(&basic("maria", "wrong")),
            "current_project",
            json!({})
        )
        .0,
        401
    );

    let search = "/api/2.0/mlflow/experiments/search?max_results=5";
    assert_eq!(get(url, None, search).0, 401);
    assert_eq!(get(url, Some(&bearer(CI)), search).0, 200);
    let ajax = "/ajax-api/2.0/mlflow-artifacts/artifacts?path=x";
    assert_eq!(get(url, None, ajax).0, 401);

    assert_eq!(get(url, None, "/api/events").0, 401);
    let events = agent()
        .get(&format!("{url}/api/events?token={ALICE}"))
        .call()
        .expect("events");
    assert_eq!(events.status().as_u16(), 200, "EventSource passes ?token=");
    drop(events);
    let query_elsewhere = format!("/api/2.0/mlflow/experiments/search?token={ALICE}");
    assert_eq!(
        get(url, None, &query_elsewhere).0,
        401,
        "?token= is for events only"
    );
}

#[test]
fn metrics_count_requests_and_need_the_token() {
    let (_s, server) = secured();
    let url = server.url.as_str();
    call(url, None, "current_project", json!({}));
    call(url, Some(&bearer(ALICE)), "current_project", json!({}));
    call(url, Some(&bearer(ALICE)), "start_fingerprint", json!({}));

    assert_eq!(get(url, None, "/metrics").0, 401);
    let (status, text) = get(url, Some(&bearer(ALICE)), "/metrics");
    assert_eq!(status, 200);
    for line in [
        r#"assay_http_requests_total{route="/api/current_project",method="POST",status="401"} 1"#,
        r#"assay_http_requests_total{route="/api/current_project",method="POST",status="200"} 1"#,
        r#"assay_http_requests_total{route="/metrics",method="GET",status="401"} 1"#,
        r#"assay_jobs_started_total{kind="fingerprint"} 1"#,
    ] {
        assert!(text.lines().any(|l| l == line), "missing {line}\n{text}");
    }
    assert!(text.contains(
        r#"assay_http_request_duration_seconds_bucket{route="/api/current_project",le="+Inf"} 2"#
    ));
    assert!(text.contains("assay_build_info{version="));
    assert!(text.contains("# TYPE assay_jobs_running gauge"));
}

#[test]
fn the_audit_log_names_who_changed_what() {
    let (s, server) = secured();
    let url = server.url.as_str();
    let (status, _) = call(
        url,
        Some(&bearer(ALICE)),
        "create_experiment",
        json!({ "name": "audited" }),
    );
    assert_eq!(status, 200);
    let (status, _) = call(
        url,
        Some(&basic("maria", CI)),
        "create_experiment",
        json!({ "name": "audited" }),
    );
    assert_eq!(status, 409, "a second experiment of that name is refused");
    call(url, Some(&bearer(ALICE)), "list_experiments", json!({}));
    call(
        url,
        None,
        "create_experiment",
        json!({ "name": "anonymous" }),
    );

    let lines = audit_lines(&s.path().join("demo"));
    assert_eq!(
        lines.len(),
        2,
        "reads and refused requests are not audited: {lines:?}"
    );
    let first = &lines[0];
    assert_eq!(first["who"], "alice");
    assert_eq!(first["token"], "alice");
    assert_eq!(first["path"], "/api/create_experiment");
    assert_eq!(first["method"], "POST");
    assert_eq!(first["status"], 200);
    assert_eq!(first["targets"]["name"], "audited");
    assert!(
        first["remote"]
            .as_str()
            .expect("remote")
            .starts_with("127.0.0.1:")
    );
    assert!(first["time"].as_str().expect("time").ends_with('Z'));
    assert_eq!(
        (lines[1]["who"].as_str(), lines[1]["token"].as_str()),
        (Some("maria"), Some("ci"))
    );
    assert_eq!(lines[1]["status"], 409);

    let out = s.run(&["audit", "--project", "demo", "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed: Vec<Value> = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(printed, lines);
    let out = s.run(&["audit", "--project", "demo", "--since", "2999-01-01"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "no audit entries"
    );
}

#[test]
fn cors_preflights_are_answered() {
    let (_s, server) = secured();
    let preflight = |origin: &str| {
        agent()
            .options(&format!("{}/api/current_project", server.url))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header(
                "Access-Control-Request-Headers",
                "authorization,content-type",
            )
            .call()
            .expect("preflight")
    };
    let resp = preflight("http://tauri.localhost");
    assert_eq!(resp.status().as_u16(), 200);
    let header = |name: &str| {
        resp.headers()
            .get(name)
            .map(|v| v.to_str().expect("ascii").to_ascii_lowercase())
    };
    assert_eq!(header("access-control-allow-origin").as_deref(), Some("*"));
    let allowed = header("access-control-allow-headers").expect("allow-headers");
    assert!(allowed.contains("authorization") && allowed.contains("content-type"));

    let s = Sandbox::new();
    let open = s.serve(&[]);
    let origin_of = |origin: &str| {
        let resp = agent()
            .options(&format!("{}/api/current_project", open.url))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .call()
            .expect("preflight");
        resp.headers()
            .get("access-control-allow-origin")
            .map(|v| v.to_str().expect("ascii").to_string())
    };
    assert_eq!(
        origin_of("http://localhost:5173").as_deref(),
        Some("http://localhost:5173")
    );
    assert_eq!(
        origin_of("https://evil.example"),
        None,
        "without a token only local pages"
    );
}

/// Waits for a process that should exit by itself.
fn exits(mut cmd: Command) -> Output {
    let mut child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("starts");
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the process did not exit");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().expect("output")
}

#[test]
fn beyond_loopback_a_token_is_required() {
    let s = Sandbox::new();
    let mut cmd = s.assay();
    cmd.args(["serve", "--addr", "0.0.0.0:0"]);
    let out = exits(cmd);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("refusing to listen on 0.0.0.0:0 without a token")
            && err.contains("--token-file")
            && err.contains("ASSAY_TOKEN"),
        "{err}"
    );

    let mut cmd = s.assay();
    cmd.args(["serve", "--addr", "0.0.0.0:0"])
        .env("ASSAY_TOKEN", "short");
    let out = exits(cmd);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("fewer than 16 characters"));

    let mut cmd = s.assay();
    cmd.args(["serve", "--addr", "0.0.0.0:0"])
        .env("ASSAY_TOKEN", ALICE);
    let server = Server::start(cmd);
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );
    assert_eq!(call(&server.url, None, "app_info", json!({})).0, 401);
    let (status, info) = call(&server.url, Some(&bearer(ALICE)), "app_info", json!({}));
    assert_eq!(status, 200);
    assert!(info["version"].is_string());
}

const LOG_A_RUN: &str = r#"
import mlflow
mlflow.set_experiment("secured")
with mlflow.start_run() as run:
    mlflow.log_param("alpha", 0.5)
    mlflow.log_metric("rmse", 0.25, step=1)
    mlflow.log_text("ok", "notes/ok.txt")
print(run.info.run_id)
"#;

fn log_a_run(s: &Sandbox, url: &str, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(mlflow_python());
    cmd.args(["-c", LOG_A_RUN])
        .current_dir(s.path())
        .env("MLFLOW_TRACKING_URI", url)
        .env("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
        .env("MLFLOW_HTTP_REQUEST_TIMEOUT", "60")
        .env("GIT_PYTHON_REFRESH", "quiet")
        .env_remove("MLFLOW_TRACKING_TOKEN")
        .env_remove("MLFLOW_TRACKING_USERNAME")
        .env_remove("MLFLOW_TRACKING_PASSWORD");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("python runs")
}

#[test]
fn the_mlflow_client_needs_the_token() {
    let (s, server) = secured();
    let refused = log_a_run(&s, &server.url, &[]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success(), "logged without a token");
    assert!(
        stderr.contains("401") || stderr.contains("UNAUTHENTICATED"),
        "{stderr}"
    );

    let with_token = log_a_run(&s, &server.url, &[("MLFLOW_TRACKING_TOKEN", CI)]);
    assert!(
        with_token.status.success(),
        "{}",
        String::from_utf8_lossy(&with_token.stderr)
    );
    let stdout = String::from_utf8_lossy(&with_token.stdout).to_string();
    let run = stdout.lines().last().unwrap_or_default().trim().to_string();
    let with_basic = log_a_run(
        &s,
        &server.url,
        &[
            ("MLFLOW_TRACKING_USERNAME", "maria"),
            ("MLFLOW_TRACKING_PASSWORD", ALICE),
        ],
    );
    assert!(
        with_basic.status.success(),
        "{}",
        String::from_utf8_lossy(&with_basic.stderr)
    );

    let project = s.path().join("demo");
    let lines = audit_lines(&project);
    let by = |who: &str| {
        lines
            .iter()
            .filter(|l| l["who"] == who)
            .map(|l| l["path"].as_str().unwrap_or_default().to_string())
            .collect::<Vec<_>>()
    };
    let ci = by("ci");
    assert!(
        ci.iter().any(|p| p == "/api/2.0/mlflow/runs/create"),
        "{ci:?}"
    );
    assert!(
        ci.iter().any(|p| p.ends_with("notes/ok.txt")),
        "the artifact upload: {ci:?}"
    );
    assert!(
        by("maria").iter().any(
            |p| p == "/api/2.0/mlflow/runs/log-metric" || p == "/api/2.0/mlflow/runs/log-batch"
        )
    );
    assert!(
        lines.iter().any(|l| l["targets"]["run_id"] == run.as_str()),
        "a line names the run {run}"
    );
    assert!(
        lines
            .iter()
            .all(|l| !l["path"].as_str().unwrap_or_default().ends_with("/search"))
    );
}
