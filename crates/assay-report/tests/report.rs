//! Reports made from real profiles: the HTML is standalone and complete, its size does not
//! grow with the rows, the JSON round-trips and matches the committed schema, PNGs decode.

use std::path::{Path, PathBuf};

use assay_data::{Source, scan};
use assay_profile::{Profile, ProfileOptions, compare, profile};
use assay_report::{ChartSize, ProfileReport, json_schema, profile_charts, profile_html};
use polars::prelude::*;

fn penguins() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo/data/penguins.csv")
}

fn open(path: &Path) -> LazyFrame {
    scan(&Source::from_path(&path.display().to_string()).expect("format"))
        .expect("scan")
        .0
}

fn run(lf: LazyFrame) -> Profile {
    profile(lf, &ProfileOptions::default(), &mut |_| true).expect("profile")
}

fn penguins_report() -> ProfileReport {
    ProfileReport::new(penguins().display().to_string(), run(open(&penguins())))
}

#[test]
fn html_is_standalone_and_shows_every_column_alert_and_chart() {
    let report = penguins_report();
    let html = profile_html(&report).expect("html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script"), "no JavaScript");
    for reference in ["src=\"http", "href=\"http", "url(http", "@import"] {
        assert!(
            !html.contains(reference),
            "no external requests ({reference})"
        );
    }
    for c in &report.profile.columns {
        assert!(
            html.contains(&format!("id=\"column-{}\"", c.name)),
            "{}",
            c.name
        );
    }
    for a in &report.profile.alerts {
        let message = a.message.replace('\'', "&#39;").replace('"', "&quot;");
        assert!(html.contains(&message), "alert {}", a.message);
    }
    let charts = profile_charts(&report);
    assert_eq!(
        html.matches("<svg ").count(),
        charts.len(),
        "every chart is inline SVG"
    );
    assert!(charts.iter().any(|c| c.id == "column-bill_length_mm"));
    assert!(charts.iter().any(|c| c.id == "correlation-pearson"));
    assert!(charts.iter().any(|c| c.id == "missing-by-column"));
    // Two penguins miss every measurement: the values shown are the profile's.
    assert!(html.contains("Adelie"), "top values of species");
    assert!(html.contains(">344<"), "row count");
}

#[test]
fn html_size_does_not_grow_with_rows() {
    let dir = tempfile::tempdir().expect("tmp");
    let small = run(open(&penguins()));
    let mut big = open(&penguins()).collect().expect("read");
    let once = big.clone();
    for _ in 0..29 {
        big.vstack_mut(&once).expect("stack");
    }
    let path = dir.path().join("penguins_x30.parquet");
    let mut file = std::fs::File::create(&path).expect("create");
    ParquetWriter::new(&mut file)
        .finish(&mut big)
        .expect("write");
    let large = run(open(&path));
    assert_eq!(large.table.rows, 344 * 30);

    let a = profile_html(&ProfileReport::new("small", small))
        .expect("html")
        .len();
    let b = profile_html(&ProfileReport::new("large", large))
        .expect("html")
        .len();
    let ratio = b as f64 / a as f64;
    assert!(
        (0.8..1.25).contains(&ratio),
        "30x the rows changed the report from {a} to {b} bytes"
    );
}

#[test]
fn drift_section_compares_two_data_sets() {
    let lf = open(&penguins());
    let adelie = lf.clone().filter(col("species").eq(lit("Adelie")));
    let others = lf.filter(col("species").neq(lit("Adelie")));
    let drift = compare(adelie.clone(), others, &mut |_, _| true).expect("compare");
    let report = ProfileReport::new("adelie", run(adelie)).with_drift("others", drift.clone());
    let html = profile_html(&report).expect("html");
    assert!(html.contains("id=\"drift\""));
    assert!(html.contains(&format!("{} of {}", drift.drifted, drift.columns.len())));
    assert!(drift.drifted > 0, "species differ in size");
    let drift_charts = profile_charts(&report)
        .into_iter()
        .filter(|c| c.id.starts_with("drift-"))
        .count();
    assert_eq!(drift_charts, drift.columns.len());
}

#[test]
fn json_round_trips() {
    let report = penguins_report();
    let json = report.to_json().expect("json");
    let back: ProfileReport = serde_json::from_str(&json).expect("parse");
    assert_eq!(back.profile.columns.len(), report.profile.columns.len());
    let again: serde_json::Value =
        serde_json::from_str(&back.to_json().expect("json")).expect("value");
    let first: serde_json::Value = serde_json::from_str(&json).expect("value");
    assert_same(&first, &again, "$");
    let value: serde_json::Value = serde_json::from_str(&json).expect("value");
    assert_eq!(value["schema_version"], 1);
    assert_eq!(value["profile"]["table"]["rows"], 344);
}

/// Equal documents, numbers to 1e-12 relative (JSON text is not always read back bit-exact).
fn assert_same(a: &serde_json::Value, b: &serde_json::Value, at: &str) {
    use serde_json::Value::*;
    match (a, b) {
        (Number(x), Number(y)) => {
            let (x, y) = (x.as_f64().expect("f64"), y.as_f64().expect("f64"));
            assert!(
                (x - y).abs() <= 1e-12 * x.abs().max(1.0),
                "{at}: {x} != {y}"
            );
        }
        (Array(x), Array(y)) => {
            assert_eq!(x.len(), y.len(), "{at}");
            for (i, (x, y)) in x.iter().zip(y).enumerate() {
                assert_same(x, y, &format!("{at}[{i}]"));
            }
        }
        (Object(x), Object(y)) => {
            assert_eq!(x.len(), y.len(), "{at}");
            for (k, v) in x {
                assert_same(v, y.get(k).expect("key"), &format!("{at}.{k}"));
            }
        }
        _ => assert_eq!(a, b, "{at}"),
    }
}

#[test]
fn png_charts_decode_at_the_requested_size() {
    let report = penguins_report();
    for named in profile_charts(&report) {
        let bytes = named
            .chart
            .to_png(ChartSize::new(400, 240))
            .unwrap_or_else(|e| panic!("{}: {e}", named.id));
        let info = png::Decoder::new(std::io::Cursor::new(bytes))
            .read_info()
            .expect("png")
            .info()
            .clone();
        assert_eq!((info.width, info.height), (400, 240), "{}", named.id);
    }
}

/// The published schema (docs/schema/profile-report.schema.json) is the one the types
/// produce; `cargo xtask gen-types` rewrites it.
#[test]
fn committed_schema_is_current() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/schema/profile-report.schema.json");
    let schema = serde_json::to_string_pretty(&json_schema()).expect("schema") + "\n";
    if std::env::var_os("ASSAY_UPDATE_BINDINGS").is_some() {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, &schema).expect("write schema");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == schema,
        "{} is stale: run `cargo xtask gen-types`",
        path.display()
    );
    let value: serde_json::Value = serde_json::from_str(&schema).expect("json");
    let fields = value["properties"].as_object().expect("properties");
    for f in [
        "schema_version",
        "title",
        "source",
        "generated_at",
        "profile",
        "drift",
    ] {
        assert!(fields.contains_key(f), "{f}");
    }
    assert!(
        schema.contains("Missing share (0..1)."),
        "field documentation is carried into the schema"
    );
}
