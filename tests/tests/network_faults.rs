//! A network that fails mid-transfer, between Assay and a real S3 server (moto on 127.0.0.1):
//! an upload cut for good fails with a clear message and leaves no object; a download cut for
//! good fails the same way and leaves nothing in the local cache; a single cut is retried and
//! the transfer completes.

use std::io::Write;
use std::path::Path;

use assay_tests::Sandbox;
use assay_tests::emulators::{Emulator, create_s3_bucket, endpoint, moto};
use assay_tests::proxy::{Cut, Proxy};
use assay_tests::stderr;
use serde_json::{Value, json};

const MB: u64 = 1 << 20;

/// A CSV of about `mb` megabytes under the project's data folder.
fn big_csv(project: &Path, mb: u64) -> u64 {
    let dir = project.join("data");
    std::fs::create_dir_all(&dir).expect("data folder");
    let path = dir.join("big.csv");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    writeln!(out, "id,group,value,note").expect("write");
    let mut i = 0u64;
    while out.get_ref().metadata().expect("meta").len() < mb * MB {
        for _ in 0..10_000 {
            writeln!(
                out,
                "{i},g{},{}.{},row number {i}",
                i % 17,
                i * 7 % 1000,
                i % 10
            )
            .expect("write");
            i += 1;
        }
        out.flush().expect("flush");
    }
    std::fs::metadata(&path).expect("meta").len()
}

fn connection(name: &str, endpoint: &str) -> Value {
    json!({
        "name": name, "kind": "s3", "url": "s3://lake", "endpoint": endpoint,
        "region": "us-east-1", "path_style": true,
        "secrets": { "access_key_id": "AKIATEST", "secret_access_key": "s3cr3t" }
    })
}

fn listed(s: &Sandbox, prefix: &str) -> Vec<(String, u64)> {
    let found = s.api_ok(
        "proj",
        "browse_connection",
        &json!({ "connection": "direct", "prefix": prefix }),
    );
    found["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| {
            (
                e["path"].as_str().expect("path").to_string(),
                e["bytes"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

/// The CLI's `error:` line (log lines come before it).
fn error_line(out: &std::process::Output) -> String {
    stderr(out)
        .lines()
        .find(|l| l.starts_with("error:"))
        .unwrap_or_default()
        .to_string()
}

fn setup() -> (Sandbox, Emulator, u64) {
    let s = Sandbox::new();
    assert!(s.run(&["init", "proj"]).status.success());
    let size = big_csv(&s.path().join("proj"), 24);
    let moto = moto();
    create_s3_bucket(&moto, "lake");
    s.api_ok(
        "proj",
        "save_connection",
        &connection("direct", &endpoint(&moto)),
    );
    (s, moto, size)
}

/// A proxy in front of moto that cuts as told, and the connection `flaky` through it.
fn flaky(s: &Sandbox, moto: &Emulator, cut: Cut) -> Proxy {
    let proxy = Proxy::start(moto.port, cut);
    s.api_ok(
        "proj",
        "save_connection",
        &connection("flaky", &proxy.url()),
    );
    proxy
}

fn cut_up_after(bytes: u64, once: bool) -> Cut {
    Cut {
        after_up: Some(bytes),
        after_down: None,
        once,
    }
}

#[test]
fn an_upload_cut_for_good_fails_clearly_and_leaves_no_object() {
    let (s, moto, _) = setup();
    let proxy = flaky(&s, &moto, cut_up_after(10 * MB, false));
    let out = s.api(
        "proj",
        "start_upload",
        &json!({ "connection": "flaky", "path": "data/big.csv", "prefix": "cut" }),
    );
    assert!(!out.status.success() && proxy.tripped(), "{}", stderr(&out));
    let error = error_line(&out);
    assert!(
        error.contains("s3://lake/cut/big.csv")
            && error.contains("connection to the server was lost"),
        "one clear line naming the object: {error}"
    );
    assert!(
        listed(&s, "cut").is_empty(),
        "no object, whole or partial, is left"
    );
}

#[test]
fn one_dropped_connection_during_an_upload_is_retried() {
    let (s, moto, size) = setup();
    let proxy = flaky(&s, &moto, cut_up_after(10 * MB, true));
    let done = s.api_ok(
        "proj",
        "start_upload",
        &json!({ "connection": "flaky", "path": "data/big.csv", "prefix": "retried" }),
    );
    assert!(proxy.tripped(), "the proxy cut one transfer");
    assert_eq!(done["bytes"].as_u64(), Some(size));
    assert_eq!(
        listed(&s, "retried"),
        [("retried/big.csv".to_string(), size)]
    );
}

#[test]
fn a_download_cut_for_good_fails_clearly_and_caches_nothing() {
    let (s, moto, _) = setup();
    s.api_ok(
        "proj",
        "start_upload",
        &json!({ "connection": "direct", "path": "data/big.csv", "prefix": "raw" }),
    );
    let proxy = flaky(
        &s,
        &moto,
        Cut {
            after_up: None,
            after_down: Some(5 * MB),
            once: false,
        },
    );
    s.api_ok(
        "proj",
        "add_dataset",
        &json!({ "path": "s3://lake/raw/big.csv", "name": "big", "connection": "flaky" }),
    );
    let out = s.api("proj", "dataset_schema", &json!({ "name": "big" }));
    assert!(!out.status.success() && proxy.tripped(), "{}", stderr(&out));
    let error = error_line(&out);
    assert!(
        error.contains("s3://lake/raw/big.csv")
            && error.contains("connection to the server was lost"),
        "one clear line naming the object: {error}"
    );
    let cache = s.path().join("proj/.assay/cache/remote");
    let left: Vec<_> = std::fs::read_dir(&cache)
        .map(|d| d.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(
        left.is_empty(),
        "nothing half-written in the cache: {left:?}"
    );
}
