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

#[test]
fn latin1_and_utf16_files_read_like_their_utf8_original() {
    let s = Sandbox::new();
    assert!(s.run(&["init", "proj"]).status.success());
    let penguins = std::fs::read_to_string(assay_tests::shared_data().join("tabular/penguins.csv"))
        .expect("penguins");
    let text = penguins
        .replace("Torgersen", "Torgersen-Øya")
        .replace("Biscoe", "Île Biscoe")
        .replace("Dream", "Rêve");
    let latin1: Vec<u8> = text
        .chars()
        .map(|c| u8::try_from(u32::from(c)).expect("a Latin-1 character"))
        .collect();
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let dir = s.path().join("proj/data");
    std::fs::create_dir_all(&dir).expect("data folder");
    let mut pages = Vec::new();
    for (name, bytes, encoding) in [
        ("utf8", text.as_bytes().to_vec(), "utf8"),
        ("latin1", latin1, "latin1"),
        ("utf16", utf16, "utf16"),
    ] {
        let path = dir.join(format!("{name}.csv"));
        std::fs::write(&path, bytes).expect("write");
        let added = api(
            &s,
            "add_dataset",
            json!({ "path": path.display().to_string(), "name": name }),
        );
        assert!(added.status.success(), "{}", stderr(&added));
        let schema = json(&api(&s, "dataset_schema", json!({ "name": name })));
        assert_eq!(schema["csv"]["encoding"], encoding, "{name}: {schema}");
        assert_eq!(schema["rows"], 344, "{name}");
        let page = json(&api(
            &s,
            "dataset_page",
            json!({ "dataset": name, "offset": 0, "limit": 400 }),
        ));
        pages.push(page["rows"].clone());
    }
    assert!(
        pages[0].to_string().contains("Île Biscoe"),
        "the accents survive"
    );
    assert_eq!(pages[1], pages[0], "Latin-1 reads as the UTF-8 original");
    assert_eq!(pages[2], pages[0], "UTF-16 reads as the UTF-8 original");
}
