//! Object-store connections against real emulators on 127.0.0.1, started and stopped here: S3
//! (moto's server), Google Cloud Storage (gcp-storage-emulator) and Azure Blob Storage (Azurite).
//! Each round trip uploads project files through Assay, browses them, reads a Parquet and a CSV
//! data set lazily from the store, profiles them, and uploads a report. Faults: refused
//! credentials, a missing bucket, a server that is down.

use std::path::PathBuf;
use std::process::Output;
use std::time::{Duration, Instant};

use assay_tests::emulators::{
    AZURITE_KEY, azurite, create_azure_container, create_s3_bucket, endpoint, free_port, gcs, moto,
};
use assay_tests::{Sandbox, shared_data, stderr};
use serde_json::{Value, json};

/// A project with the flights Parquet and the penguins CSV under `data/`.
fn project(s: &Sandbox) -> PathBuf {
    assert!(s.run(&["init", "proj"]).status.success());
    let data = s.path().join("proj/data");
    std::fs::create_dir_all(&data).expect("data folder");
    for f in [
        "tabular/nycflights13_flights.parquet",
        "tabular/penguins.csv",
    ] {
        let from = shared_data().join(f);
        let name = from.file_name().expect("file name").to_owned();
        std::fs::copy(&from, data.join(name)).expect("copy the data");
    }
    s.path().join("proj")
}

fn api(s: &Sandbox, method: &str, params: Value) -> Output {
    s.api("proj", method, &params)
}

fn ok(s: &Sandbox, method: &str, params: Value) -> Value {
    s.api_ok("proj", method, &params)
}

fn round_trip(s: &Sandbox, connection: Value) {
    let name = connection["name"].as_str().expect("name").to_string();
    let saved = ok(s, "save_connection", connection);
    let manifest = std::fs::read_to_string(s.path().join("proj/assay.toml")).expect("manifest");
    for secret in saved["secrets"].as_array().expect("secrets") {
        assert_eq!(secret["place"], "file", "{secret}");
    }
    assert!(
        !manifest.contains(AZURITE_KEY) && !manifest.contains("s3cr3t"),
        "{manifest}"
    );

    let test = ok(s, "test_connection", json!({ "name": name }));
    assert_eq!(test["ok"], true, "{test}");

    let uploaded = ok(
        s,
        "start_upload",
        json!({ "connection": name, "path": "data", "prefix": "raw" }),
    );
    let urls: Vec<&str> = uploaded["urls"]
        .as_array()
        .expect("urls")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(urls.len(), 2, "{uploaded}");
    let local_bytes: u64 = ["nycflights13_flights.parquet", "penguins.csv"]
        .iter()
        .map(|f| {
            std::fs::metadata(s.path().join("proj/data").join(f))
                .expect("meta")
                .len()
        })
        .sum();
    assert_eq!(uploaded["bytes"].as_u64(), Some(local_bytes));

    let listed = ok(
        s,
        "browse_connection",
        json!({ "connection": name, "prefix": "raw/data" }),
    );
    let entries = listed["entries"].as_array().expect("entries");
    let url_of = |suffix: &str| {
        entries
            .iter()
            .find(|e| e["url"].as_str().is_some_and(|u| u.ends_with(suffix)))
            .unwrap_or_else(|| panic!("{suffix} not listed: {listed}"))["url"]
            .as_str()
            .expect("url")
            .to_string()
    };
    let parquet = url_of("nycflights13_flights.parquet");
    let csv = url_of("penguins.csv");

    let preview = ok(
        s,
        "preview_remote",
        json!({ "connection": name, "url": parquet, "rows": 5 }),
    );
    assert_eq!(preview["rows"].as_array().map(Vec::len), Some(5));
    assert_eq!(preview["total_rows"], 336_776);

    for (dataset, url, rows) in [("flights", &parquet, 336_776), ("penguins", &csv, 344)] {
        ok(
            s,
            "add_dataset",
            json!({ "path": url, "name": dataset, "connection": name }),
        );
        let schema = ok(s, "dataset_schema", json!({ "name": dataset }));
        assert_eq!(schema["rows"], rows, "{dataset}: {schema}");
        let profile = ok(s, "start_profile", json!({ "dataset": dataset }));
        assert_eq!(profile["rows"], rows, "{dataset}: {profile}");
        let again = ok(s, "start_profile", json!({ "dataset": dataset }));
        assert_eq!(
            again["cached"], true,
            "the unchanged object's profile is reused: {again}"
        );
    }

    let report = ok(
        s,
        "start_export_report",
        json!({ "dataset": "penguins", "format": "html" }),
    );
    let relative = report["relative_path"].as_str().expect("report path");
    ok(
        s,
        "start_upload",
        json!({ "connection": name, "path": relative, "prefix": "reports" }),
    );
    let reports = ok(
        s,
        "browse_connection",
        json!({ "connection": name, "prefix": "reports" }),
    );
    let listed_report = reports["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .find(|e| e["path"].as_str().is_some_and(|p| p.ends_with(".html")))
        .unwrap_or_else(|| panic!("report not listed: {reports}"));
    assert_eq!(listed_report["bytes"], report["bytes"]);

    let cache = s.path().join("proj/.assay/cache/remote");
    let partial = std::fs::read_dir(&cache)
        .map(|d| {
            d.flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "partial"))
                .count()
        })
        .unwrap_or(0);
    assert_eq!(
        partial,
        0,
        "no partial downloads are left in {}",
        cache.display()
    );
}

#[test]
fn s3_round_trip_and_faults_against_moto() {
    let s = Sandbox::new();
    project(&s);
    let moto = moto();
    create_s3_bucket(&moto, "lake");
    round_trip(
        &s,
        json!({
            "name": "lake", "kind": "s3", "url": "s3://lake", "endpoint": endpoint(&moto),
            "region": "us-east-1", "path_style": true,
            "secrets": { "access_key_id": "AKIATEST", "secret_access_key": "s3cr3t" }
        }),
    );

    ok(
        &s,
        "save_connection",
        json!({
            "name": "missing", "kind": "s3", "url": "s3://no-such-bucket", "endpoint": endpoint(&moto),
            "region": "us-east-1", "path_style": true,
            "secrets": { "access_key_id": "AKIATEST", "secret_access_key": "s3cr3t" }
        }),
    );
    let missing = ok(&s, "test_connection", json!({ "name": "missing" }));
    assert_eq!(missing["ok"], false);
    assert!(
        missing["message"]
            .as_str()
            .is_some_and(|m| m.contains("does not exist")),
        "{missing}"
    );

    let down_port = free_port();
    ok(
        &s,
        "save_connection",
        json!({
            "name": "down", "kind": "s3", "url": "s3://lake", "endpoint": format!("http://127.0.0.1:{down_port}"),
            "region": "us-east-1", "path_style": true,
            "secrets": { "access_key_id": "AKIATEST", "secret_access_key": "s3cr3t" }
        }),
    );
    let started = Instant::now();
    let down = ok(&s, "test_connection", json!({ "name": "down" }));
    assert_eq!(down["ok"], false);
    assert!(
        down["message"]
            .as_str()
            .is_some_and(|m| m.contains("cannot reach")),
        "{down}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "a down server fails fast, not after {:?}",
        started.elapsed()
    );

    let refused = api(&s, "remove_connection", json!({ "name": "lake" }));
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("reads through connection 'lake'"),
        "{}",
        stderr(&refused)
    );
}

#[test]
fn gcs_round_trip_against_gcp_storage_emulator() {
    let s = Sandbox::new();
    project(&s);
    let emulator = gcs("lake");
    round_trip(
        &s,
        json!({ "name": "gcs", "kind": "gcs", "url": "gs://lake", "endpoint": endpoint(&emulator) }),
    );
}

#[test]
fn azure_round_trip_and_refused_key_against_azurite() {
    let s = Sandbox::new();
    project(&s);
    let azurite = azurite(s.path());
    create_azure_container(&azurite, "lake");
    let account_url = format!("{}/devstoreaccount1", endpoint(&azurite));
    round_trip(
        &s,
        json!({
            "name": "blob", "kind": "azure", "url": "az://lake", "account": "devstoreaccount1",
            "endpoint": account_url, "secrets": { "access_key": AZURITE_KEY }
        }),
    );

    let wrong_key = AZURITE_KEY.replace("Eby8", "Xby8");
    ok(
        &s,
        "save_connection",
        json!({
            "name": "blob", "kind": "azure", "url": "az://lake", "account": "devstoreaccount1",
            "endpoint": account_url, "secrets": { "access_key": wrong_key }
        }),
    );
    let refused = ok(&s, "test_connection", json!({ "name": "blob" }));
    assert_eq!(refused["ok"], false);
    assert!(
        refused["message"]
            .as_str()
            .is_some_and(|m| m.contains("credentials were refused")),
        "{refused}"
    );
    let unreadable = api(&s, "dataset_schema", json!({ "name": "flights" }));
    assert!(!unreadable.status.success());
    assert!(
        stderr(&unreadable).contains("az://lake/raw/data/nycflights13_flights.parquet"),
        "{}",
        stderr(&unreadable)
    );
}
