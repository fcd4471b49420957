//! Around the engine: suggestions from a real profile, Great Expectations and SodaCL import and
//! export (round trips and the "not converted" report), JUnit XML.

#[path = "support/helpers.rs"]
mod helpers;

use std::path::Path;

use assay_profile::{ProfileOptions, profile};
use assay_quality::{
    Check, RunOptions, Status, SuggestOptions, Suite, gx, parse_suite, run, soda, suggest,
    to_junit, to_yaml,
};
use helpers::*;

fn strip(s: &Suite) -> Vec<(String, Option<f64>, assay_quality::Severity, Check)> {
    s.rules
        .iter()
        .map(|r| (r.id.clone(), r.mostly, r.severity, r.check.clone()))
        .collect()
}

fn penguins() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../assets/demo/data/penguins.csv")
        .display()
        .to_string()
}

#[test]
fn suggestions_from_a_profile_round_trip_and_pass_on_their_data() {
    for path in [penguins(), shared("nycflights13_flights.parquet")] {
        let p = profile(open(&path), &ProfileOptions::default(), &mut |_| true).expect("profile");
        let (suite, reasons) = suggest(&p, "data", "rules/data.yaml", &SuggestOptions::default());
        assert!(suite.rules.len() >= p.columns.len(), "{path}");
        assert_eq!(reasons.len(), suite.rules.len());
        let text = to_yaml(&suite, &reasons);
        let again = parse_suite(&text, "rules/data.yaml").expect("suggested YAML parses");
        assert!(again.invalid.is_empty(), "{:#?}\n{text}", again.invalid);
        assert_eq!(strip(&suite), strip(&again), "{text}");
        let r = run(
            &again,
            open(&path),
            &resolve,
            &RunOptions::default(),
            &|_| true,
        )
        .expect("run");
        let bad: Vec<_> = r
            .rules
            .iter()
            .filter(|x| x.status != Status::Passed)
            .collect();
        assert!(bad.is_empty(), "{path}: {bad:#?}\n{text}");
    }
}

#[test]
fn penguin_suggestions_are_the_deequ_kinds() {
    let p = profile(open(&penguins()), &ProfileOptions::default(), &mut |_| true).expect("profile");
    let (suite, _) = suggest(
        &p,
        "penguins",
        "rules/penguins.yaml",
        &SuggestOptions::default(),
    );
    let ids: Vec<&str> = suite.rules.iter().map(|r| r.id.as_str()).collect();
    for id in [
        "row_count",
        "not_null:species",
        "in_set:species",
        "in_set:island",
        "between:bill_length_mm",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    let bill = suite
        .rules
        .iter()
        .find(|r| r.id == "not_null:bill_length_mm")
        .expect("rule");
    assert_eq!(bill.mostly, Some(0.99), "2 of 344 missing");
}

#[test]
fn great_expectations_round_trip_and_report_what_was_not_converted() {
    let mut original = assay_quality::load_suite(&fixture("flights_20.yaml")).expect("suite");
    original.rules.extend(
        suite(
            "dataset: flights\nrules:\n  - references: {column: dest, dataset: airports, ref_column: faa}\n  - freshness: {column: time_hour, max_age: 1d}\n  - quantile: {column: air_time, q: 0.9, max: 400}\n  - missing_fraction: {column: arr_delay, max: 0.05}\n  - unique_fraction: {column: tailnum, min: 0.001}\n",
        )
        .rules,
    );
    let exported = gx::export(&original);
    let doc: serde_json::Value = serde_json::from_str(&exported.text).expect("json");
    assert_eq!(doc["expectations"].as_array().map(Vec::len), Some(23));
    let lost: Vec<&str> = exported
        .not_converted
        .iter()
        .map(|n| n.what.as_str())
        .collect();
    assert_eq!(
        lost,
        ["references:dest->airports.faa", "freshness:time_hour"]
    );
    let imported = gx::import(&exported.text, "flights.json").expect("import");
    assert!(
        imported.not_converted.is_empty(),
        "{:#?}",
        imported.not_converted
    );
    assert_eq!(imported.suite.dataset, "flights");
    let kept: Vec<_> = strip(&original)
        .into_iter()
        .filter(|(id, ..)| !lost.contains(&id.as_str()))
        .collect();
    assert_eq!(kept, strip(&imported.suite));
}

#[test]
fn great_expectations_import_lists_unsupported_expectations() {
    let json = r#"{
  "name": "flights_suite",
  "expectations": [
    {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "dep_time", "mostly": 0.9}, "severity": "warning"},
    {"type": "expect_column_values_to_be_between", "kwargs": {"column": "month", "min_value": 1, "max_value": 12, "row_condition": "origin == 'JFK'"}},
    {"type": "expect_column_kl_divergence_to_be_less_than", "kwargs": {"column": "dep_delay"}},
    {"type": "expect_column_values_to_be_of_type", "kwargs": {"column": "dep_delay", "type_": "float64"}},
    {"type": "unexpected_rows_expectation", "kwargs": {"unexpected_rows_query": "SELECT * FROM {batch} WHERE arr_delay >= 1500"}},
    {"type": "expect_column_quantile_values_to_be_between", "kwargs": {"column": "air_time", "quantile_ranges": {"quantiles": [0.25, 0.75], "value_ranges": [[0, 100], [100, 300]]}}}
  ]
}"#;
    let imported = gx::import(json, "gx/flights.json").expect("import");
    let s = &imported.suite;
    assert_eq!(s.dataset, "flights_suite");
    assert_eq!(s.rules.len(), 5);
    assert_eq!(s.rules[0].mostly, Some(0.9));
    assert_eq!(s.rules[0].severity, assay_quality::Severity::Warn);
    assert!(
        matches!(&s.rules[2].check, Check::Expression { sql } if sql == "NOT (arr_delay >= 1500)")
    );
    let reasons: Vec<(String, String)> = imported
        .not_converted
        .iter()
        .map(|n| (n.at.clone(), n.reason.clone()))
        .collect();
    assert_eq!(reasons.len(), 2, "{reasons:#?}");
    assert_eq!(reasons[0].0, "expectations[1]");
    assert!(reasons[0].1.contains("row_condition"), "{reasons:#?}");
    assert!(reasons[1].1.contains("has no Assay rule"), "{reasons:#?}");
    let bad = gx::import("{\"expectations\": [", "gx/broken.json").expect_err("syntax");
    assert!(bad.to_string().starts_with("gx/broken.json:1:"), "{bad}");
}

#[test]
fn soda_round_trip_and_report_what_was_not_converted() {
    let mut original = assay_quality::load_suite(&fixture("flights_20.yaml")).expect("suite");
    original.rules.extend(
        suite(
            "dataset: flights\nrules:\n  - references: {column: dest, dataset: airports, ref_column: faa}\n  - freshness: {column: time_hour, max_age: 1d}\n  - missing_fraction: {column: arr_delay, max: 0.05}\n  - unique_fraction: {column: tailnum, min: 0.001}\n  - not_in_set: {column: carrier, values: [XX]}\n    severity: warn\n",
        )
        .rules,
    );
    let exported = soda::export(&original);
    let lost: Vec<&str> = exported
        .not_converted
        .iter()
        .map(|n| n.what.as_str())
        .collect();
    assert_eq!(
        lost,
        ["unique_fraction:tailnum"],
        "{:#?}",
        exported.not_converted
    );
    assert!(
        exported.text.starts_with("checks for flights:\n"),
        "{}",
        exported.text
    );
    assert!(
        exported
            .text
            .contains("  - missing_percent(dep_time):\n      warn: when > 3%\n"),
        "{}",
        exported.text
    );
    let imported = soda::import(&exported.text, "soda/checks.yml").expect("import");
    assert!(
        imported.not_converted.is_empty(),
        "{:#?}\n{}",
        imported.not_converted,
        exported.text
    );
    // `missing_fraction <= 5%` and `not_null` with `mostly: 0.95` are the same Soda check.
    let kept: Vec<_> = strip(&original)
        .into_iter()
        .filter(|(id, ..)| !lost.contains(&id.as_str()))
        .map(|(id, m, sev, check)| match check {
            Check::MissingFraction { column, range } if range.min.is_none() => (
                format!("not_null:{column}"),
                range.max.map(|x| 1.0 - x),
                sev,
                Check::NotNull { column },
            ),
            other => (id, m, sev, normalise(other)),
        })
        .collect();
    let back: Vec<_> = strip(&imported.suite)
        .into_iter()
        .map(|(id, m, sev, check)| (id, m, sev, normalise(check)))
        .collect();
    assert_eq!(kept, back, "{}", exported.text);
    assert!(imported.suite.rules.iter().all(|r| r.line > 1));
}

/// A pair and an expression both travel through Soda as `failed rows` conditions.
fn normalise(check: Check) -> Check {
    match check {
        Check::Pair { left, op, right } => Check::Expression {
            sql: format!("{left} {} {right}", op.symbol()),
        },
        other => other,
    }
}

#[test]
fn soda_import_lists_unsupported_checks() {
    let yaml = r#"checks for flights:
  - row_count > 0
  - missing_count(dep_time) = 0:
      name: departures recorded
  - duplicate_count(flight, carrier) = 0
  - invalid_count(origin) = 0:
      valid values: [EWR, JFK, LGA]
  - avg(dep_delay) between 0 and 30
  - anomaly detection for row_count
  - missing_count(tailnum):
      warn: when > 10
  - values in (dest) must exist in airports (faa)
  - freshness(time_hour) < 1d12h
  - change avg last 7 for row_count < 50
automated monitoring:
  datasets: [include %]
"#;
    let imported = soda::import(yaml, "soda/checks.yml").expect("import");
    let ids: Vec<&str> = imported.suite.rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "row_count",
            "departures recorded",
            "unique:flight,carrier",
            "in_set:origin",
            "mean:dep_delay",
            "references:dest->airports.faa",
            "freshness:time_hour"
        ]
    );
    assert!(
        matches!(&imported.suite.rules[6].check, Check::Freshness { max_age, .. } if max_age.seconds == 129_600)
    );
    assert_eq!(imported.suite.rules[1].line, 3);
    let lost: Vec<(&str, &str)> = imported
        .not_converted
        .iter()
        .map(|n| (n.at.as_str(), n.what.as_str()))
        .collect();
    assert_eq!(
        lost,
        [
            ("line 9", "anomaly detection for row_count"),
            ("line 10", "missing_count(tailnum)"),
            ("line 14", "change avg last 7 for row_count < 50"),
            ("line 15", "automated monitoring"),
        ]
    );
}

#[test]
fn junit_output_is_well_formed_and_counts_match() {
    let mut suite = assay_quality::load_suite(&fixture("flights_20.yaml")).expect("suite");
    suite.invalid.push(assay_quality::Diagnostic {
        file: suite.file.clone(),
        line: 99,
        rule: "bogus".into(),
        message: "unknown rule `bogus` <&>".into(),
    });
    let r = run(&suite, flights(), &resolve, &RunOptions::default(), &|_| {
        true
    })
    .expect("run");
    let xml = to_junit(&r);
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut cases, mut failures, mut errors, mut depth) = (0, 0, 0, 0i32);
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Start(e) => {
                depth += 1;
                match e.name().as_ref() {
                    b"testcase" => cases += 1,
                    b"failure" => failures += 1,
                    b"error" => errors += 1,
                    _ => {}
                }
            }
            quick_xml::events::Event::Empty(e) if e.name().as_ref() == b"testcase" => cases += 1,
            quick_xml::events::Event::End(_) => depth -= 1,
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(depth, 0);
    assert_eq!(cases, 21);
    assert_eq!((failures, errors), (1, 1));
    assert!(
        xml.contains("tests=\"21\" failures=\"1\" errors=\"1\""),
        "{xml}"
    );
    assert!(xml.contains("unknown rule `bogus` &lt;&amp;&gt;"), "{xml}");
}
