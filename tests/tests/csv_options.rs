//! CSV read options: overrides in `[datasets.csv]` change how a data set is read, are checked on
//! the file before they are saved, and "detect again" removes them.

use assay_tests::{Sandbox, json, stderr};
use serde_json::{Value, json};

fn api(s: &Sandbox, method: &str, params: Value) -> std::process::Output {
    s.assay()
        .args(["api", "-p", "proj", method, &params.to_string()])
        .output()
        .expect("assay runs")
}

fn columns(v: &Value) -> usize {
    v["columns"].as_array().map_or(0, Vec::len)
}

#[test]
fn read_options_override_detection_and_are_checked_before_saving() {
    let s = Sandbox::new();
    assert!(s.run(&["init", "proj"]).status.success());
    let rows: String = (0..50)
        .map(|i| {
            format!(
                "{i};item {i};{}\n",
                if i % 10 == 0 {
                    "NA".to_string()
                } else {
                    format!("{}.5", i)
                }
            )
        })
        .collect();
    std::fs::write(
        s.path().join("proj/sales.csv"),
        format!("id;name;price\n{rows}"),
    )
    .expect("write");
    let added = api(
        &s,
        "add_dataset",
        json!({ "path": s.path().join("proj/sales.csv").display().to_string() }),
    );
    assert!(added.status.success(), "{}", stderr(&added));

    let detected = json(&api(&s, "dataset_schema", json!({ "name": "sales" })));
    assert_eq!(columns(&detected), 3, "{detected}");
    assert_eq!(detected["csv"]["delimiter"], ";");

    let as_commas = api(
        &s,
        "set_dataset_options",
        json!({ "name": "sales", "csv": { "delimiter": "," } }),
    );
    assert!(as_commas.status.success(), "{}", stderr(&as_commas));
    assert_eq!(
        columns(&json(&as_commas)),
        1,
        "a comma delimiter reads each line as one field"
    );
    let manifest = std::fs::read_to_string(s.path().join("proj/assay.toml")).expect("manifest");
    assert!(
        manifest.contains("[datasets.csv]") && manifest.contains("delimiter = \",\""),
        "{manifest}"
    );

    let with_nulls = json(&api(
        &s,
        "set_dataset_options",
        json!({ "name": "sales", "csv": { "delimiter": ";", "null_values": ["NA"] } }),
    ));
    let price = with_nulls["columns"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["name"] == "price"))
        .expect("price column");
    assert_eq!(
        price["kind"], "numeric",
        "NA marks missing values, so price is numeric: {price}"
    );

    let before = std::fs::read_to_string(s.path().join("proj/assay.toml")).expect("manifest");
    let bad = api(
        &s,
        "set_dataset_options",
        json!({ "name": "sales", "csv": { "delimiter": ";;" } }),
    );
    assert!(!bad.status.success());
    assert!(
        stderr(&bad).contains("one ASCII character"),
        "{}",
        stderr(&bad)
    );
    let after = std::fs::read_to_string(s.path().join("proj/assay.toml")).expect("manifest");
    assert_eq!(before, after, "a refused setting changes nothing");

    let again = json(&api(&s, "set_dataset_options", json!({ "name": "sales" })));
    assert_eq!(columns(&again), 3);
    let manifest = std::fs::read_to_string(s.path().join("proj/assay.toml")).expect("manifest");
    assert!(!manifest.contains("[datasets.csv]"), "{manifest}");
}
