//! Run artifacts kept in an object store (moto's S3 server on 127.0.0.1): with
//! `settings.artifact_root = "s3://…"` new experiments put their artifacts there. The real
//! `mlflow` client uploads to the bucket itself (as it does against an MLflow server with an S3
//! artifact root); Assay lists and previews those files through the project's connection, and its
//! own training writes the model there, scores from it and registers it.

use std::process::Command;

use assay_tests::emulators::{create_s3_bucket, endpoint, moto};
use assay_tests::{Sandbox, mlflow_python, stderr};
use serde_json::{Value, json};

const CLIENT: &str = r#"
import json, mlflow
mlflow.set_experiment("lake-exp")
with mlflow.start_run(run_name="s3") as run:
    mlflow.log_param("alpha", 0.5)
    mlflow.log_metric("rmse", 1.25)
    mlflow.log_text("Grüße aus Zürich ✓\n", "notes/résumé.txt")
    mlflow.log_dict({"layers": [3, 2]}, "config.json")
print(json.dumps({"run_id": run.info.run_id, "experiment_id": run.info.experiment_id,
                  "artifact_uri": run.info.artifact_uri}))
"#;

fn set_artifact_root(s: &Sandbox, url: &str) {
    let path = s.path().join("proj/assay.toml");
    let text = std::fs::read_to_string(&path).expect("manifest");
    let text = text.replacen(
        "[settings]\n",
        &format!("[settings]\nartifact_root = \"{url}\"\n"),
        1,
    );
    assert!(text.contains("artifact_root"), "{text}");
    std::fs::write(&path, text).expect("manifest written");
}

fn paths(listing: &Value) -> Vec<(String, bool)> {
    listing["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().expect("path").to_string(),
                f["is_dir"] == true,
            )
        })
        .collect()
}

#[test]
fn run_artifacts_live_in_an_s3_bucket_for_the_mlflow_client_and_the_app() {
    let s = Sandbox::new();
    assert!(s.run(&["init", "proj", "--demo"]).status.success());
    let moto = moto();
    create_s3_bucket(&moto, "lake");
    s.api_ok(
        "proj",
        "save_connection",
        &json!({
            "name": "lake", "kind": "s3", "url": "s3://lake", "endpoint": endpoint(&moto),
            "region": "us-east-1", "path_style": true,
            "secrets": { "access_key_id": "AKIATEST", "secret_access_key": "s3cr3t" }
        }),
    );
    set_artifact_root(&s, "s3://lake/mlruns");

    let server = s.serve(&["--project", "proj"]);
    let out = Command::new(mlflow_python())
        .args(["-c", CLIENT])
        .current_dir(s.path())
        .env("MLFLOW_TRACKING_URI", &server.url)
        .env("MLFLOW_S3_ENDPOINT_URL", endpoint(&moto))
        .env("AWS_ACCESS_KEY_ID", "AKIATEST")
        .env("AWS_SECRET_ACCESS_KEY", "s3cr3t")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
        .env("GIT_PYTHON_REFRESH", "quiet")
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "the mlflow client failed\n{}",
        stderr(&out)
    );
    let logged: Value = serde_json::from_slice(
        out.stdout
            .split(|b| *b == b'\n')
            .rfind(|l| !l.is_empty())
            .expect("a summary line"),
    )
    .expect("summary JSON");
    let run_id = logged["run_id"].as_str().expect("run id");
    let exp = logged["experiment_id"].as_str().expect("experiment id");
    assert_eq!(
        logged["artifact_uri"],
        format!("s3://lake/mlruns/{exp}/{run_id}/artifacts"),
        "new experiments get the project's artifact root"
    );

    let listing = |path: &str| {
        paths(&s.api_ok(
            "proj",
            "run_artifacts",
            &json!({ "run_id": run_id, "path": path }),
        ))
    };
    assert_eq!(
        listing(""),
        [
            ("notes".to_string(), true),
            ("config.json".to_string(), false)
        ]
    );
    assert_eq!(listing("notes"), [("notes/résumé.txt".to_string(), false)]);
    let preview = s.api_ok(
        "proj",
        "preview_artifact",
        &json!({ "run_id": run_id, "path": "notes/résumé.txt" }),
    );
    assert!(
        preview["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("Grüße aus Zürich ✓")),
        "{preview}"
    );
    let served = ureq::get(&format!(
        "{}/api/runs/{run_id}/artifacts/notes/r%C3%A9sum%C3%A9.txt",
        server.url
    ))
    .call()
    .expect("assay serve streams the file from the bucket")
    .body_mut()
    .read_to_string()
    .expect("text");
    assert_eq!(served, "Grüße aus Zürich ✓\n");
    let zipped = ureq::get(&format!(
        "{}/api/runs/{run_id}/archive?path=notes",
        server.url
    ))
    .call()
    .expect("assay serve zips the folder from the bucket")
    .body_mut()
    .read_to_vec()
    .expect("bytes");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zipped)).expect("a zip file");
    let mut note = String::new();
    std::io::Read::read_to_string(
        &mut zip
            .by_name("notes/résumé.txt")
            .expect("the note, by its UTF-8 name"),
        &mut note,
    )
    .expect("inflate");
    assert_eq!(note, "Grüße aus Zürich ✓\n");
    let missing = ureq::get(&format!(
        "{}/api/runs/{run_id}/artifacts/nothing.txt",
        server.url
    ))
    .call();
    assert!(
        matches!(missing, Err(ureq::Error::StatusCode(404))),
        "{missing:?}"
    );
    let escape = s.api(
        "proj",
        "preview_artifact",
        &json!({ "run_id": run_id, "path": "../../secret.txt" }),
    );
    assert!(
        !escape.status.success() && stderr(&escape).contains("inside the artifact root"),
        "{}",
        stderr(&escape)
    );
    assert!(
        !s.path()
            .join(format!("proj/.assay/artifacts/{exp}/{run_id}"))
            .exists(),
        "nothing of the run is kept in the local artifact folder"
    );

    let trained = s.api_ok(
        "proj",
        "start_train",
        &json!({
            "dataset": "penguins", "target": "species",
            "features": ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"],
            "model": { "kind": "decision_tree" }, "seed": 3, "experiment": "lake-exp",
            "register_as": "lake-tree"
        }),
    );
    let trained_run = trained["run_id"].as_str().expect("run id");
    assert!(
        trained["model_version"]["source"].as_str().is_some_and(
            |src| src == format!("s3://lake/mlruns/{exp}/{trained_run}/artifacts/model")
        ),
        "{trained}"
    );
    let model_files = s.api_ok(
        "proj",
        "browse_connection",
        &json!({ "connection": "lake", "prefix": format!("mlruns/{exp}/{trained_run}/artifacts/model") }),
    );
    assert!(
        model_files["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .any(|e| e["path"]
                .as_str()
                .is_some_and(|p| p.ends_with("model.json"))),
        "the trained model is in the bucket: {model_files}"
    );
    let saved = s.api_ok(
        "proj",
        "start_save_artifacts",
        &json!({ "run_id": trained_run, "path": "model", "dest": "saved" }),
    );
    let local_model = s.path().join("proj/saved/model/model.json");
    assert_eq!(
        saved["target"],
        local_model.parent().expect("folder").display().to_string()
    );
    assert!(
        std::fs::read_to_string(&local_model).is_ok_and(|m| m.contains("decision_tree")),
        "the model saved from the bucket: {saved}"
    );
    let saved_note = s.api_ok(
        "proj",
        "start_save_artifacts",
        &json!({ "run_id": run_id, "path": "notes/résumé.txt", "dest": "saved" }),
    );
    assert_eq!(saved_note["bytes"], "Grüße aus Zürich ✓\n".len());
    let scored = s.api_ok(
        "proj",
        "score_dataset",
        &json!({ "run_id": trained_run, "dataset": "penguins" }),
    );
    assert!(scored["bytes"].as_u64().is_some_and(|b| b > 0), "{scored}");
    let registered = s.api_ok(
        "proj",
        "register_model",
        &json!({ "run_id": trained_run, "artifact_path": "model", "name": "lake-tree" }),
    );
    assert_eq!(registered["version"], "2", "{registered}");
    let missing = s.api(
        "proj",
        "register_model",
        &json!({ "run_id": run_id, "artifact_path": "model", "name": "lake-tree" }),
    );
    assert!(
        !missing.status.success() && stderr(&missing).contains("no artifact folder 'model'"),
        "{}",
        stderr(&missing)
    );
}
