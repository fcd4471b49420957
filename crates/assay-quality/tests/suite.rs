//! Suite files: parsing, bad input (YAML syntax, unknown rules, missing columns, wrong types,
//! bad regexes) with file/line/rule in every message while the other rules still run,
//! `mostly` and severity semantics, history checks, YAML round trips, cancellation.

#[path = "support/helpers.rs"]
mod helpers;

use std::collections::BTreeMap;

use assay_quality::{
    QualityError, RunOptions, Status, evaluate_history, parse_suite, run, to_yaml,
};
use helpers::*;

#[test]
fn yaml_syntax_errors_name_file_line_and_rule() {
    let text = "dataset: flights\nrules:\n  - not_null: dep_time\n  - between: {column: month, min: 1, max: 12\n  - unique: flight\n";
    let err = parse_suite(text, "rules/flights.yaml").expect_err("broken flow mapping");
    let message = err.to_string();
    assert!(err.is_suite_error());
    let QualityError::Syntax { line, near, .. } = &err else {
        panic!("not a syntax error: {err:?}");
    };
    assert!((4..=5).contains(line), "line {line}: {message}");
    assert_eq!(near.as_deref(), Some("between"), "{message}");
    assert!(message.starts_with("rules/flights.yaml:"), "{message}");
    assert!(message.contains("rule `between`"), "{message}");

    let tabs = "dataset: flights\nrules:\n\t- not_null: x\n";
    let err = parse_suite(tabs, "rules/t.yaml").expect_err("tab indentation");
    assert!(err.to_string().starts_with("rules/t.yaml:3"), "{err}");
}

#[test]
fn a_suite_without_dataset_or_with_unknown_keys_is_refused() {
    let err = parse_suite("rules: []\n", "rules/a.yaml").expect_err("no dataset");
    assert!(err.to_string().contains("dataset"), "{err}");
    let err = parse_suite("dataset: x\nrulez: []\n", "rules/a.yaml").expect_err("typo");
    let message = err.to_string();
    assert!(
        message.contains("rulez") && message.starts_with("rules/a.yaml:2"),
        "{message}"
    );
}

#[test]
fn bad_rules_become_errors_naming_line_and_rule_while_the_others_run() {
    let text = r#"dataset: flights
rules:
  - not_null: dep_time
  - not_nul: carrier
  - between: {column: montth, min: 1, max: 12}
  - regex: {column: tailnum, pattern: "^N[0-9"}
  - mean: {column: carrier, min: 0, max: 1}
  - between: {column: month, min: "one", max: 12}
  - in_set: {column: origin, values: [EWR, JFK, LGA]}
  - expression: "no_such_column > 3"
  - references: {column: dest, dataset: nowhere, ref_column: faa}
  - pair: {left: carrier, op: ">", right: month}
  - not_null: carrier
    mostly: 1.5
  - row_count: {min: 1}
    mostly: 0.5
"#;
    let suite = parse_suite(text, "rules/flights.yaml").expect("the suite is otherwise valid");
    let invalid: Vec<String> = suite.invalid.iter().map(ToString::to_string).collect();
    assert_eq!(suite.invalid.len(), 5, "{invalid:#?}");
    assert!(
        invalid[0].starts_with("rules/flights.yaml:4: rule `not_nul`: unknown rule `not_nul`"),
        "{invalid:#?}"
    );
    assert!(
        invalid[1].starts_with("rules/flights.yaml:6: rule `regex`: invalid regex"),
        "{invalid:#?}"
    );
    assert!(
        invalid[2].starts_with("rules/flights.yaml:8: rule `between`"),
        "{invalid:#?}"
    );
    assert!(invalid[2].contains("invalid type"), "{invalid:#?}");
    assert!(
        invalid[3].starts_with("rules/flights.yaml:13: rule `not_null`: `mostly`"),
        "{invalid:#?}"
    );
    assert!(
        invalid[4].contains(":15: rule `row_count`: `mostly` applies to row-level rules only"),
        "{invalid:#?}"
    );

    let r = run(&suite, flights(), &resolve, &RunOptions::default(), &|_| {
        true
    })
    .expect("run");
    assert_eq!(r.rules.len(), 12);
    let by_line = |line: u32| r.rules.iter().find(|x| x.line == line).expect("line");
    assert_eq!(
        by_line(3).failing_count,
        Some(8_255),
        "valid rules still ran"
    );
    assert_eq!(by_line(9).status, Status::Passed, "valid rules still ran");
    for (line, words) in [
        (4, "unknown rule"),
        (5, "no column `montth` in `flights` (did you mean `month`?)"),
        (6, "invalid regex"),
        (7, "column `carrier` is str, not numeric"),
        (10, "no_such_column"),
        (11, "cannot open data set `nowhere`"),
        (12, "cannot be compared"),
    ] {
        let x = by_line(line);
        assert_eq!(x.status, Status::Error, "line {line}: {x:?}");
        assert!(x.message.contains(words), "line {line}: {}", x.message);
    }
    assert_eq!(r.exit_code(), 2);
    assert_eq!(r.totals.errors, 10);
}

#[test]
fn mostly_is_the_share_of_rows_that_must_pass() {
    // 8,255 of 336,776 departure times are missing: 97.549% present.
    let r = check_flights(
        "dataset: flights\nrules:\n  - not_null: dep_time\n    mostly: 0.975\n  - not_null: dep_time\n    mostly: 0.976\n  - not_null: dep_time\n",
    );
    let ids = [
        "not_null:dep_time",
        "not_null:dep_time#2",
        "not_null:dep_time#3",
    ];
    let statuses: Vec<Status> = ids.iter().map(|id| rule(&r, id).status).collect();
    assert_eq!(statuses, [Status::Passed, Status::Failed, Status::Failed]);
    for id in ids {
        assert_eq!(rule(&r, id).failing_count, Some(8_255));
    }
    let present = 1.0 - 8_255.0 / 336_776.0;
    assert_eq!(
        rule(&r, ids[0]).observed.as_ref().and_then(|o| o.as_f64()),
        Some(present)
    );
    assert!(
        rule(&r, ids[1])
            .message
            .contains("below the required 97.6%"),
        "{}",
        rule(&r, ids[1]).message
    );
}

#[test]
fn warn_severity_reports_without_failing_the_suite() {
    let r = check_flights(
        "dataset: flights\nrules:\n  - not_null: dep_time\n    severity: warn\n  - not_null: carrier\n",
    );
    assert_eq!(rule(&r, "not_null:dep_time").status, Status::Warned);
    assert_eq!(r.totals.warned, 1);
    assert!(r.passed());
    assert_eq!(r.exit_code(), 0);
    let r = check_flights("dataset: flights\nrules:\n  - not_null: dep_time\n");
    assert!(!r.passed());
    assert_eq!(r.exit_code(), 1);
}

#[test]
fn history_checks_compare_with_the_last_runs() {
    let o = evaluate_history(110.0, &[1.0, 100.0, 100.0, 100.0], 3, 5.0);
    assert!(!o.passed);
    assert_eq!(o.baseline, Some(100.0));
    assert_eq!(o.runs_used, 3);
    assert!((o.change_percent.expect("change") - 10.0).abs() < 1e-12);
    assert!(evaluate_history(104.0, &[100.0], 5, 5.0).passed);
    let none = evaluate_history(5.0, &[], 5, 5.0);
    assert!(none.passed && none.runs_used == 0);
    assert!(!evaluate_history(1.0, &[0.0], 5, 50.0).passed);

    let suite = suite(
        "dataset: flights\nrules:\n  - change: {of: row_count, max_percent: 10, runs: 3}\n  - mean: {column: dep_delay, min: 0, max: 30}\n  - change: {of: mean:dep_delay, max_percent: 1}\n  - change: {of: nothing, max_percent: 1}\n",
    );
    let mut history = BTreeMap::new();
    history.insert("change:row_count".to_string(), vec![400_000.0, 400_000.0]);
    history.insert("change:mean:dep_delay".to_string(), vec![12.6]);
    let options = RunOptions {
        history,
        ..RunOptions::default()
    };
    let r = run(&suite, flights(), &resolve, &options, &|_| true).expect("run");
    let rows = rule(&r, "change:row_count");
    assert_eq!(rows.status, Status::Failed, "{}", rows.message);
    assert!(rows.message.contains("-15.81%"), "{}", rows.message);
    assert_eq!(rule(&r, "change:mean:dep_delay").status, Status::Passed);
    assert_eq!(rule(&r, "change:nothing").status, Status::Error);
    let r = run(&suite, flights(), &resolve, &RunOptions::default(), &|_| {
        true
    })
    .expect("run");
    assert_eq!(rule(&r, "change:row_count").status, Status::Skipped);
}

#[test]
fn suites_round_trip_through_yaml() {
    let original = assay_quality::load_suite(&fixture("flights_20.yaml")).expect("suite");
    let text = to_yaml(&original, &[]);
    let again = parse_suite(&text, &original.file).expect("reparse");
    let strip = |s: &assay_quality::Suite| {
        s.rules
            .iter()
            .map(|r| {
                (
                    r.id.clone(),
                    r.name.clone(),
                    r.severity,
                    r.mostly,
                    r.check.clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(&original), strip(&again), "{text}");
    assert_eq!(again.dataset, "flights");
    assert!(
        text.contains("  - between: {column: month, min: 1, max: 12}\n"),
        "{text}"
    );
}

#[test]
fn a_cancelled_run_stops() {
    let suite = suite("dataset: flights\nrules:\n  - not_null: dep_time\n");
    let err = run(&suite, flights(), &resolve, &RunOptions::default(), &|at| {
        at < 0.5
    })
    .expect_err("cancelled");
    assert!(matches!(err, QualityError::Cancelled));
}

#[test]
fn unreadable_data_is_an_error_naming_the_suite_and_data_set() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("broken.parquet");
    std::fs::write(&path, b"not parquet at all").expect("write");
    let lf = polars::prelude::LazyFrame::scan_parquet(
        polars::prelude::PlRefPath::new(path.display().to_string().as_str()),
        Default::default(),
    );
    let suite = suite("dataset: broken\nrules:\n  - not_null: x\n");
    if let Ok(lf) = lf {
        let err =
            run(&suite, lf, &resolve, &RunOptions::default(), &|_| true).expect_err("unreadable");
        assert!(matches!(err, QualityError::Data { .. }));
        assert!(
            err.to_string()
                .starts_with("rules/test.yaml: data set `broken`"),
            "{err}"
        );
    }
}
