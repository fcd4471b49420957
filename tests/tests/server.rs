//! `assay serve` on 127.0.0.1 driven over HTTP as the browser UI and scripts drive it.

use std::io::{BufRead, BufReader};
use std::time::{Duration, Instant};

use assay_tests::Sandbox;
use serde_json::{Value, json};

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

fn call(agent: &ureq::Agent, base: &str, method: &str, params: Value) -> (u16, Value) {
    let mut resp = agent
        .post(&format!("{base}/api/{method}"))
        .send_json(params)
        .expect("request");
    let status = resp.status().as_u16();
    (status, resp.body_mut().read_json().expect("JSON body"))
}

#[test]
fn api_over_http_with_typed_errors() {
    let s = Sandbox::new();
    assert!(s.run(&["init", "demo", "--demo"]).status.success());
    let server = s.serve(&["--project", "demo"]);
    let a = agent();

    let (status, project) = call(&a, &server.url, "current_project", json!({}));
    assert_eq!(status, 200);
    assert_eq!(project["name"], "Assay demo");
    assert_eq!(project["datasets"][0]["name"], "penguins");

    let (status, err) = call(&a, &server.url, "no_such_method", json!({}));
    assert_eq!(
        (status, err["code"].as_str()),
        (404, Some("unknown_method"))
    );

    let (status, err) = call(&a, &server.url, "open_project", json!({ "path": 42 }));
    assert_eq!((status, err["code"].as_str()), (400, Some("invalid_input")));
    assert!(
        err["message"]
            .as_str()
            .expect("msg")
            .contains("open_project")
    );

    let plain = s.path().join("plain");
    std::fs::create_dir(&plain).expect("mkdir");
    let (status, err) = call(&a, &server.url, "open_project", json!({ "path": plain }));
    assert_eq!((status, err["code"].as_str()), (400, Some("not_a_project")));
    assert_eq!(err["details"]["path"], plain.display().to_string());

    let mut resp = a
        .post(&format!("{}/api/open_project", server.url))
        .content_type("application/json")
        .send("{\"path\": ")
        .expect("request");
    assert_eq!(resp.status().as_u16(), 400);
    let err: Value = resp.body_mut().read_json().expect("json");
    assert!(
        err["message"]
            .as_str()
            .expect("msg")
            .contains("not valid JSON")
    );

    let mut health = a
        .get(&format!("{}/api/health", server.url))
        .call()
        .expect("health");
    let health: Value = health.body_mut().read_json().expect("json");
    assert_eq!(health["status"], "ok");
}

#[test]
fn a_job_runs_reports_events_and_lands_in_the_store() {
    let s = Sandbox::new();
    assert!(s.run(&["init", "demo", "--demo"]).status.success());
    let server = s.serve(&["--project", "demo"]);
    let a = agent();

    let mut events = a
        .get(&format!("{}/api/events", server.url))
        .call()
        .expect("events");
    let (status, job) = call(&a, &server.url, "start_fingerprint", json!({}));
    assert_eq!(status, 200);
    let id = job["id"].as_str().expect("id").to_string();

    let deadline = Instant::now() + Duration::from_secs(30);
    let finished = loop {
        let (_, info) = call(&a, &server.url, "get_job", json!({ "id": id }));
        if info["state"]["state"] != "running" {
            break info;
        }
        assert!(Instant::now() < deadline, "job did not finish: {info}");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(finished["state"]["state"], "succeeded", "{finished}");
    let result = finished["state"]["result"].as_array().expect("result");
    assert_eq!(result.len(), 4);

    let reader = BufReader::new(events.body_mut().as_reader());
    let mut saw_job_end = false;
    for line in reader.lines() {
        let line = line.expect("line");
        if let Some(data) = line.strip_prefix("data:") {
            let ev: Value = serde_json::from_str(data.trim()).expect("event JSON");
            if ev["type"] == "job"
                && ev["job"]["id"] == id.as_str()
                && ev["job"]["state"]["state"] == "succeeded"
            {
                saw_job_end = true;
                break;
            }
        }
    }
    assert!(saw_job_end);

    let (_, jobs) = call(&a, &server.url, "list_jobs", json!(null));
    assert_eq!(jobs[0]["id"], id.as_str());
    drop(server);
    let store =
        rusqlite::Connection::open(s.path().join("demo/.assay/store.sqlite")).expect("store");
    let state: String = store
        .query_row("SELECT state FROM job WHERE id = ?1", [&id], |r| r.get(0))
        .expect("job row");
    assert_eq!(state, "succeeded");
}

#[test]
fn serves_the_built_ui_when_given() {
    let s = Sandbox::new();
    let ui = s.path().join("ui");
    std::fs::create_dir_all(ui.join("assets")).expect("mkdir");
    std::fs::write(
        ui.join("index.html"),
        "<!doctype html><div id=root>assay-ui</div>",
    )
    .expect("w");
    std::fs::write(ui.join("assets/app.js"), "console.log(1)").expect("w");
    let server = s.serve(&["--ui", ui.to_str().expect("utf8")]);
    let a = agent();
    let mut page = a.get(&format!("{}/", server.url)).call().expect("index");
    assert!(
        page.body_mut()
            .read_to_string()
            .expect("text")
            .contains("assay-ui")
    );
    let mut deep = a
        .get(&format!("{}/projects/x", server.url))
        .call()
        .expect("spa route");
    assert!(
        deep.body_mut()
            .read_to_string()
            .expect("text")
            .contains("assay-ui")
    );
    let mut js = a
        .get(&format!("{}/assets/app.js", server.url))
        .call()
        .expect("asset");
    assert_eq!(
        js.body_mut().read_to_string().expect("text"),
        "console.log(1)"
    );
}

fn wait_job(a: &ureq::Agent, base: &str, id: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let (_, info) = call(a, base, "get_job", json!({ "id": id }));
        if info["state"]["state"] != "running" {
            return info;
        }
        assert!(Instant::now() < deadline, "job did not finish: {info}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn browse_query_profile_and_compare_the_demo_data() {
    let s = Sandbox::new();
    assert!(s.run(&["init", "demo", "--demo"]).status.success());
    let server = s.serve(&["--project", "demo"]);
    let a = agent();

    let (status, schema) = call(
        &a,
        &server.url,
        "dataset_schema",
        json!({ "name": "flights" }),
    );
    assert_eq!(status, 200, "{schema}");
    assert_eq!(schema["rows"], 27_004);
    assert_eq!(schema["format"], "parquet");

    let (_, page) = call(
        &a,
        &server.url,
        "dataset_page",
        json!({ "dataset": "flights", "offset": 0, "limit": 3,
                "sort": [{ "column": "dep_delay", "descending": true }],
                "filters": [{ "column": "origin", "op": "eq", "value": "JFK" }] }),
    );
    assert_eq!(page["rows"].as_array().expect("rows").len(), 3);
    let (_, cancelled) = call(
        &a,
        &server.url,
        "dataset_page",
        json!({ "dataset": "flights", "filters": [{ "column": "dep_time", "op": "is_null" }] }),
    );
    assert_eq!(
        cancelled["total_rows"], 521,
        "January 2013 had 521 cancelled departures"
    );

    let (status, sql) = call(
        &a,
        &server.url,
        "sql_query",
        json!({ "sql": "SELECT f.dest, a.name FROM flights f JOIN airports a ON f.dest = a.faa WHERE f.dest = 'LAX' LIMIT 1" }),
    );
    assert_eq!(status, 200, "{sql}");
    assert_eq!(sql["rows"][0][1], "Los Angeles Intl");

    let (_, job) = call(
        &a,
        &server.url,
        "start_profile",
        json!({ "dataset": "flights" }),
    );
    let done = wait_job(&a, &server.url, job["id"].as_str().expect("id"));
    assert_eq!(done["state"]["state"], "succeeded", "{done}");
    assert_eq!(done["state"]["result"]["cached"], false);
    let (_, stored) = call(&a, &server.url, "get_profile", json!({ "name": "flights" }));
    assert_eq!(stored["profile"]["table"]["rows"], 27_004);
    assert_eq!(stored["current"], true);
    let (_, job) = call(
        &a,
        &server.url,
        "start_profile",
        json!({ "dataset": "flights" }),
    );
    let again = wait_job(&a, &server.url, job["id"].as_str().expect("id"));
    assert_eq!(again["state"]["result"]["cached"], true, "{again}");

    let (_, job) = call(
        &a,
        &server.url,
        "start_compare",
        json!({ "reference": "penguins", "current": "penguins" }),
    );
    let cmp = wait_job(&a, &server.url, job["id"].as_str().expect("id"));
    assert_eq!(cmp["state"]["result"]["drifted"], 0, "{cmp}");

    // Export reuses the stored profile and writes into the project's reports/.
    for (format, compare) in [("html", Value::Null), ("json", json!("penguins"))] {
        let (status, job) = call(
            &a,
            &server.url,
            "start_export_report",
            json!({ "dataset": "penguins", "compare": compare, "format": format }),
        );
        assert_eq!(status, 200, "{job}");
        let done = wait_job(&a, &server.url, job["id"].as_str().expect("id"));
        assert_eq!(done["state"]["state"], "succeeded", "{done}");
        let result = &done["state"]["result"];
        let path = std::path::PathBuf::from(result["path"].as_str().expect("path"));
        assert!(path.starts_with(s.path().join("demo/reports")), "{path:?}");
        let text = std::fs::read_to_string(&path).expect("report written");
        assert_eq!(result["bytes"], text.len());
        if format == "html" {
            assert_eq!(result["relative_path"], "reports/penguins-profile.html");
            assert!(text.contains("id=\"column-bill_length_mm\"") && !text.contains("<script"));
        } else {
            assert_eq!(result["relative_path"], "reports/penguins-vs-penguins.json");
            let doc: Value = serde_json::from_str(&text).expect("json");
            assert_eq!(doc["profile"]["table"]["rows"], 344);
            assert_eq!(doc["drift"]["drifted"], 0);
        }
    }
    let (status, err) = call(
        &a,
        &server.url,
        "start_export_report",
        json!({ "dataset": "nope", "format": "html" }),
    );
    assert_eq!(status, 404, "{err}");

    let (status, err) = call(
        &a,
        &server.url,
        "dataset_page",
        json!({ "dataset": "flights", "sort": [{ "column": "nope" }] }),
    );
    assert_eq!((status, err["code"].as_str()), (400, Some("invalid_input")));
    assert!(err["message"].as_str().expect("msg").contains("nope"));
}

#[test]
fn quality_suites_are_edited_run_and_tracked_over_http() {
    let s = Sandbox::new();
    assert!(s.run(&["init", "demo", "--demo"]).status.success());
    let server = s.serve(&["--project", "demo"]);
    let (a, url) = (agent(), server.url.as_str());

    let (_, suites) = call(&a, url, "list_suites", json!({}));
    assert_eq!(suites[0]["file"], "rules/flights.yaml", "{suites}");
    assert_eq!(suites[0]["dataset"], "flights");
    assert_eq!(suites[0]["problems"], 0);

    // A bad rule is reported with its line; the rest of the suite still parses.
    let text = "dataset: flights\nrules:\n  - not_null: dep_time\n  - no_such_rule: x\n  - row_count: {min: 1}\n  - change: {of: row_count, max_percent: 5}\n";
    let (_, doc) = call(
        &a,
        url,
        "check_suite_text",
        json!({ "file": "rules/f2.yaml", "text": text }),
    );
    assert_eq!(doc["diagnostics"][0]["line"], 4, "{doc}");
    assert_eq!(doc["suite"]["rules"].as_array().map(Vec::len), Some(3));
    let (status, err) = call(
        &a,
        url,
        "save_suite",
        json!({ "file": "../assay.toml", "text": text }),
    );
    assert_eq!((status, err["code"].as_str()), (400, Some("invalid_input")));

    let clean = text.replace("  - no_such_rule: x\n", "");
    let (status, _) = call(
        &a,
        url,
        "save_suite",
        json!({ "file": "rules/f2.yaml", "text": clean }),
    );
    assert_eq!(status, 200);
    assert_eq!(
        std::fs::read_to_string(s.path().join("demo/rules/f2.yaml")).expect("saved"),
        clean
    );

    let run = |file: &str| {
        let (_, job) = call(&a, url, "start_quality_run", json!({ "file": file }));
        let done = wait_job(&a, url, job["id"].as_str().expect("id"));
        assert_eq!(done["state"]["state"], "succeeded", "{done}");
        done["state"]["result"].clone()
    };
    let first = run("rules/f2.yaml");
    let rules = first["result"]["rules"].as_array().expect("rules").clone();
    // 521 cancelled departures in January 2013 have no dep_time.
    assert_eq!(rules[0]["failing_count"], 521);
    assert_eq!(
        rules[0]["sample"]["rows"].as_array().map(Vec::len),
        Some(25)
    );
    assert_eq!(rules[2]["status"], "skipped", "no history yet");
    let second = run("rules/f2.yaml");
    assert_eq!(second["result"]["rules"][2]["status"], "passed");

    let (_, history) = call(
        &a,
        url,
        "quality_history",
        json!({ "file": "rules/f2.yaml" }),
    );
    assert_eq!(history["runs"].as_array().map(Vec::len), Some(2));
    let trend = history["rules"]
        .as_array()
        .expect("trends")
        .iter()
        .find(|t| t["rule"] == "row_count")
        .expect("row count trend")
        .clone();
    assert_eq!(trend["points"][1]["observed"], 27004.0);

    let id = second["summary"]["id"].as_str().expect("run id");
    let (_, stored) = call(&a, url, "get_quality_run", json!({ "id": id }));
    assert_eq!(stored, second);
    // A git clone has no empty reports/ folder: exports create it.
    std::fs::remove_dir_all(s.path().join("demo/reports")).expect("rm reports");
    let (_, report) = call(&a, url, "export_quality_report", json!({ "id": id }));
    assert_eq!(report["relative_path"], "reports/f2-check.html");
    let page =
        std::fs::read_to_string(s.path().join("demo/reports/f2-check.html")).expect("report");
    assert!(page.contains("not_null") && !page.contains("<script"));

    // Suggestions never take an existing file's name; GX round trip keeps shared rules.
    let (_, job) = call(&a, url, "start_suggest_suite", json!({ "name": "flights" }));
    let done = wait_job(&a, url, job["id"].as_str().expect("id"));
    let suggested = &done["state"]["result"];
    assert_eq!(
        suggested["document"]["file"], "rules/flights-2.yaml",
        "{done}"
    );
    assert!(suggested["suggestions"].as_array().expect("list").len() > 10);
    assert_eq!(suggested["document"]["diagnostics"], json!([]));

    let (_, gx) = call(
        &a,
        url,
        "export_suite",
        json!({ "file": "rules/f2.yaml", "format": "gx" }),
    );
    assert_eq!(gx["file_name"], "f2.gx.json");
    let (_, back) = call(
        &a,
        url,
        "import_suite",
        json!({ "format": "gx", "text": gx["text"], "source_name": "f2.gx.json", "dataset": "flights" }),
    );
    assert_eq!(back["document"]["file"], "rules/f2-2.yaml", "{back}");
    let kinds: Vec<String> = back["document"]["suite"]["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .filter_map(|r| r["check"].as_object()?.keys().next().cloned())
        .collect();
    assert!(kinds.contains(&"not_null".to_string()), "{kinds:?}");
}

#[test]
fn anomaly_detections_are_explored_explained_exported_and_kept() {
    let s = Sandbox::new();
    assert!(s.run(&["init", "demo", "--demo"]).status.success());
    let data = assay_tests::shared_data().join("anomaly/breastw.parquet");
    let run_id;
    let flagged;
    {
        let server = s.serve(&["--project", "demo"]);
        let (a, url) = (agent(), server.url.as_str());
        let (status, _) = call(
            &a,
            url,
            "add_dataset",
            json!({ "path": data, "name": "breastw" }),
        );
        assert_eq!(status, 200);
        let (_, job) = call(
            &a,
            url,
            "start_detect",
            json!({ "dataset": "breastw", "options": { "label": "label" } }),
        );
        let done = wait_job(&a, url, job["id"].as_str().expect("id"));
        assert_eq!(done["state"]["state"], "succeeded", "{done}");
        let run = done["state"]["result"].clone();
        run_id = run["summary"]["id"].as_str().expect("id").to_string();
        let auc = run["summary"]["roc_auc"].as_f64().expect("auc");
        assert!(auc > 0.9, "breastw is easy: {auc}");
        let binned: u64 = run["histogram"]["counts"]
            .as_array()
            .expect("counts")
            .iter()
            .filter_map(Value::as_u64)
            .sum();
        assert_eq!(binned, 683);
        assert_eq!(
            run["projection_scores"].as_array().map(Vec::len),
            run["projection"]["x"].as_array().map(Vec::len)
        );
        let cut = &run["thresholds"][0];
        flagged = cut["flagged"].as_u64().expect("flagged");
        let (_, page) = call(
            &a,
            url,
            "anomaly_rows",
            json!({ "id": run_id, "threshold": cut["value"], "limit": 5 }),
        );
        assert_eq!(page["total_rows"].as_u64(), Some(flagged), "{page}");
        let names: Vec<&str> = page["columns"]
            .as_array()
            .expect("columns")
            .iter()
            .filter_map(|c| c["name"].as_str())
            .collect();
        assert!(names.starts_with(&["row", "anomaly_score"]) && names.contains(&"label"));
        let score = |i: usize| page["rows"][i][1].as_f64().expect("score");
        assert!(score(0) >= score(1) && score(1) >= score(4));

        let (_, out) = call(
            &a,
            url,
            "export_anomalies",
            json!({ "id": run_id, "threshold": cut["value"], "format": "csv" }),
        );
        let csv = std::fs::read_to_string(out["path"].as_str().expect("path")).expect("csv");
        assert!(
            csv.lines()
                .next()
                .expect("header")
                .contains("anomaly_score")
        );
        assert_eq!(csv.lines().count() as u64, flagged + 1);
    }
    // A new session explains rows of the stored detection (rebuilt from its options and seed).
    let server = s.serve(&["--project", "demo"]);
    let (a, url) = (agent(), server.url.as_str());
    let (_, runs) = call(
        &a,
        url,
        "list_anomaly_runs",
        json!({ "dataset": "breastw" }),
    );
    assert_eq!(runs[0]["id"], run_id.as_str());
    let (_, run) = call(&a, url, "get_anomaly_run", json!({ "id": run_id }));
    let top = &run["top"][0];
    let (status, why) = call(
        &a,
        url,
        "explain_row",
        json!({ "id": run_id, "row": top["row"] }),
    );
    assert_eq!(status, 200, "{why}");
    assert_eq!(why["score"], top["score"]);
    assert_eq!(why["contributions"], top["contributions"]);
    let (status, err) = call(&a, url, "explain_row", json!({ "id": "nope", "row": 0 }));
    assert_eq!((status, err["code"].as_str()), (404, Some("not_found")));
    assert!(flagged > 0);
}

#[test]
fn training_logs_a_run_registers_it_and_scores_another_data_set() {
    let s = Sandbox::new();
    assert!(s.run(&["init", "demo", "--demo"]).status.success());
    let server = s.serve(&["--project", "demo"]);
    let a = agent();
    let features = [
        "bill_length_mm",
        "bill_depth_mm",
        "flipper_length_mm",
        "body_mass_g",
    ];

    let (status, job) = call(
        &a,
        &server.url,
        "start_train",
        json!({
            "dataset": "penguins", "target": "species", "features": features,
            "model": { "kind": "random_forest", "n_trees": 60 },
            "seed": 7, "experiment": "penguins", "run_name": "rf-60", "register_as": "penguin-rf"
        }),
    );
    assert_eq!(status, 200, "{job}");
    let info = wait_job(&a, &server.url, job["id"].as_str().expect("job id"));
    assert_eq!(info["state"]["state"], "succeeded", "{info}");
    let result = &info["state"]["result"];
    let accuracy = result["test_metrics"]
        .as_array()
        .expect("metrics")
        .iter()
        .find(|m| m["name"] == "accuracy")
        .and_then(|m| m["value"].as_f64())
        .expect("accuracy");
    assert!(accuracy > 0.9, "{result}");
    assert_eq!(result["task"], "classification");
    assert_eq!(result["labels"].as_array().expect("labels").len(), 3);
    assert_eq!(result["model_version"]["version"], "1");
    let run_id = result["run_id"].as_str().expect("run id").to_string();

    let (_, run) = call(&a, &server.url, "get_run", json!({ "run_id": run_id }));
    assert_eq!(run["info"]["status"], "FINISHED");
    assert_eq!(run["info"]["run_name"], "rf-60");
    let params: Vec<&str> = run["data"]["params"]
        .as_array()
        .expect("params")
        .iter()
        .filter_map(|p| p["key"].as_str())
        .collect();
    assert!(
        params.contains(&"n_trees") && params.contains(&"features"),
        "{params:?}"
    );
    assert_eq!(
        run["inputs"]["dataset_inputs"][0]["dataset"]["name"],
        "penguins"
    );

    let (_, lineage) = call(
        &a,
        &server.url,
        "model_lineage",
        json!({ "name": "penguin-rf", "version": "1" }),
    );
    assert_eq!(lineage["run"]["info"]["run_id"], run_id.as_str());
    assert_eq!(lineage["experiment"], "penguins");
    assert_eq!(lineage["datasets"][0]["project_dataset"], "penguins");

    let (_, preview) = call(
        &a,
        &server.url,
        "preview_artifact",
        json!({ "run_id": run_id, "path": "model/model.json" }),
    );
    assert_eq!(preview["kind"], "text", "{preview}");
    assert!(
        preview["text"]
            .as_str()
            .expect("text")
            .contains("random_forest")
    );
    saved_artifacts_are_whole_and_never_overwrite(&a, &server.url, &run_id);
    artifact_folders_download_as_zip(&a, &server.url, &run_id);

    let (status, scored) = call(
        &a,
        &server.url,
        "score_dataset",
        json!({ "run_id": run_id, "dataset": "penguins" }),
    );
    assert_eq!(status, 200, "{scored}");
    let csv = std::fs::read_to_string(scored["path"].as_str().expect("path")).expect("scored csv");
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let (species, prediction) = (
        header
            .iter()
            .position(|h| *h == "species")
            .expect("species column"),
        header
            .iter()
            .position(|h| *h == "prediction")
            .expect("prediction column"),
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 344, "every row is kept");
    let scored_rows: Vec<&Vec<&str>> = rows.iter().filter(|r| !r[prediction].is_empty()).collect();
    assert_eq!(
        scored_rows.len(),
        342,
        "the two rows without measurements get no prediction"
    );
    let right = scored_rows
        .iter()
        .filter(|r| r[species] == r[prediction])
        .count();
    assert!(right as f64 / scored_rows.len() as f64 > 0.95, "{right}");

    let (status, err) = call(
        &a,
        &server.url,
        "start_train",
        json!({ "dataset": "penguins", "target": "species", "features": ["island"], "model": { "kind": "decision_tree" } }),
    );
    let info = if status == 200 {
        wait_job(&a, &server.url, err["id"].as_str().expect("id"))
    } else {
        err
    };
    assert!(
        info.to_string().contains("pick numeric or boolean columns"),
        "{info}"
    );
    let (status, err) = call(
        &a,
        &server.url,
        "start_train",
        json!({ "dataset": "penguins", "target": "species", "features": features, "model": { "kind": "elastic_net" } }),
    );
    let info = if status == 200 {
        wait_job(&a, &server.url, err["id"].as_str().expect("id"))
    } else {
        err
    };
    assert!(
        info.to_string().contains("elastic net predicts numbers"),
        "{info}"
    );
}

/// Saves a trained run's model folder and one file into a local folder, as the desktop app's
/// "Save to folder…" does, and checks that a second save refuses to overwrite the first.
fn saved_artifacts_are_whole_and_never_overwrite(a: &ureq::Agent, url: &str, run_id: &str) {
    let folder = tempfile::tempdir().expect("tempdir");
    let dest = folder.path().to_str().expect("UTF-8 temp path");
    let save = |path: &str| {
        let (status, job) = call(
            a,
            url,
            "start_save_artifacts",
            json!({ "run_id": run_id, "path": path, "dest": dest }),
        );
        assert_eq!(status, 200, "{job}");
        wait_job(a, url, job["id"].as_str().expect("job id"))
    };
    let (_, listed) = call(
        a,
        url,
        "run_artifacts",
        json!({ "run_id": run_id, "path": "model" }),
    );
    let files = listed["files"].as_array().expect("files");
    let listed_bytes: u64 = files.iter().filter_map(|f| f["file_size"].as_u64()).sum();

    let info = save("model");
    assert_eq!(info["state"]["state"], "succeeded", "{info}");
    let saved = &info["state"]["result"];
    assert_eq!(
        saved["target"],
        folder.path().join("model").display().to_string()
    );
    assert_eq!(saved["files"], files.len(), "{saved}");
    assert_eq!(saved["bytes"], listed_bytes, "{saved}");
    let model = std::fs::read_to_string(folder.path().join("model/model.json")).expect("copy");
    assert!(model.contains("random_forest"));

    std::fs::write(folder.path().join("model/notes.txt"), "mine").expect("user file");
    let again = save("model");
    assert_eq!(again["state"]["state"], "failed", "{again}");
    assert!(again.to_string().contains("already exists"), "{again}");
    assert_eq!(
        std::fs::read_to_string(folder.path().join("model/notes.txt")).expect("kept"),
        "mine"
    );

    let one = save("model/model.json");
    assert_eq!(one["state"]["result"]["files"], 1, "{one}");
    assert_eq!(
        std::fs::read_to_string(folder.path().join("model.json")).expect("file copy"),
        model
    );
    let missing = save("model/nothing.bin");
    assert!(
        missing
            .to_string()
            .contains("there is no artifact 'model/nothing.bin'"),
        "{missing}"
    );
    let mut names: Vec<String> = std::fs::read_dir(folder.path())
        .expect("read dest")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["model", "model.json"], "no staging folder is left");
}

/// A browser's "download model/ as .zip": every file of the folder, byte for byte, under `model/`.
fn artifact_folders_download_as_zip(a: &ureq::Agent, url: &str, run_id: &str) {
    let get = |path: &str| {
        let mut resp = a.get(&format!("{url}{path}")).call().expect("request");
        let status = resp.status().as_u16();
        let disposition = resp
            .headers()
            .get("content-disposition")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let body = resp.body_mut().read_to_vec().expect("body");
        (status, disposition, body)
    };
    let (status, disposition, body) = get(&format!("/api/runs/{run_id}/archive?path=model"));
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    assert!(
        disposition.contains("filename=\"model.zip\""),
        "{disposition}"
    );
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(body)).expect("a zip file");
    let names: Vec<String> = zip
        .file_names()
        .map(|n| n.expect("entry name").into_owned())
        .collect();
    assert_eq!(names, ["model/model.json"]);
    let mut inside = Vec::new();
    std::io::Read::read_to_end(
        &mut zip.by_name("model/model.json").expect("entry"),
        &mut inside,
    )
    .expect("inflate");
    let (_, _, direct) = get(&format!("/api/runs/{run_id}/artifacts/model/model.json"));
    assert_eq!(inside, direct, "the archived file is the artifact itself");

    let (status, _, body) = get(&format!("/api/runs/{run_id}/archive?path=nothing"));
    assert_eq!(status, 404, "{}", String::from_utf8_lossy(&body));
    assert!(String::from_utf8_lossy(&body).contains("there is no artifact folder 'nothing'"));
    let (status, _, _) = get(&format!("/api/runs/{run_id}/archive?path=../../etc"));
    assert_eq!(status, 400, "a path out of the artifacts is refused");
}
