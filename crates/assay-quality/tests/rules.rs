//! Every rule kind on the real nycflights13 data, its failing count (or statistic) checked
//! against an independent computation in plain Rust over the raw column values.

#[path = "support/helpers.rs"]
mod helpers;

use std::collections::{HashMap, HashSet};

use assay_quality::{Observed, RunOptions, Status, run};
use chrono::{TimeZone, Utc};
use helpers::*;

fn count<T>(values: &[T], fails: impl Fn(&T) -> bool) -> u64 {
    values.iter().filter(|v| fails(v)).count() as u64
}

#[test]
fn not_null_counts_the_8255_missing_departure_times() {
    let r = check_flights("dataset: flights\nrules:\n  - not_null: dep_time\n");
    let x = rule(&r, "not_null:dep_time");
    let raw = floats(&flights_df(), "dep_time");
    assert_eq!(count(&raw, Option::is_none), 8_255);
    assert_eq!(x.failing_count, Some(8_255));
    assert_eq!(x.status, Status::Failed);
    assert_eq!(r.rows, 336_776);
    let frac = x.failing_fraction.expect("fraction");
    assert!((frac - 8_255.0 / 336_776.0).abs() < 1e-12);
    // The sample holds the first failing rows, with their row numbers, in table order.
    let sample = x.sample.as_ref().expect("sample");
    assert_eq!(sample.columns, vec!["dep_time".to_string()]);
    assert_eq!(sample.rows.len(), 10);
    let first: Vec<u64> = raw
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_none())
        .map(|(i, _)| i as u64)
        .take(10)
        .collect();
    let got: Vec<u64> = sample.rows.iter().map(|r| r.row).collect();
    assert_eq!(got, first);
    assert!(
        sample
            .rows
            .iter()
            .all(|r| r.values == vec![serde_json::Value::Null])
    );
}

#[test]
fn references_count_flights_to_airports_missing_from_the_airports_table() {
    let r = check_flights(
        "dataset: flights\nrules:\n  - references: {column: dest, dataset: airports, ref_column: faa}\n",
    );
    let x = rule(&r, "references:dest->airports.faa");
    let faa: HashSet<String> = texts(
        &open(&shared("nycflights13_airports.parquet"))
            .collect()
            .expect("airports"),
        "faa",
    )
    .into_iter()
    .flatten()
    .collect();
    let dest = texts(&flights_df(), "dest");
    let expected = count(&dest, |d| d.as_ref().is_some_and(|d| !faa.contains(d)));
    assert!(expected > 0, "some destinations are not in airports");
    assert_eq!(x.failing_count, Some(expected));
    assert_eq!(expected, 7_602);
    let sample = x.sample.as_ref().expect("sample");
    for row in &sample.rows {
        let d = dest[row.row as usize].as_deref().expect("dest");
        assert!(!faa.contains(d));
        assert_eq!(row.values, vec![serde_json::json!(d)]);
    }
}

#[test]
fn value_rules_match_plain_rust_counts() {
    let df = flights_df();
    let r = check_flights(
        r#"dataset: flights
rules:
  - between: {column: dep_delay, min: -10, max: 60}
  - between: {column: dep_delay, min: 0, max: 60, min_exclusive: true, max_exclusive: true}
  - in_set: {column: origin, values: [EWR, JFK]}
  - not_in_set: {column: carrier, values: [UA, AA]}
  - pair: {left: sched_arr_time, op: ">", right: sched_dep_time}
  - pair: {left: arr_time, op: "<=", right: sched_arr_time}
  - expression: "arr_delay > 100 OR dest = 'IAH'"
"#,
    );
    let delay = floats(&df, "dep_delay");
    assert_eq!(
        rule(&r, "between:dep_delay").failing_count,
        Some(count(&delay, |v| v.is_some_and(|v| !(-10.0..=60.0).contains(&v))))
    );
    assert_eq!(
        rule(&r, "between:dep_delay#2").failing_count,
        Some(count(&delay, |v| v.is_some_and(|v| v <= 0.0 || v >= 60.0)))
    );
    let origin = texts(&df, "origin");
    assert_eq!(
        rule(&r, "in_set:origin").failing_count,
        Some(count(&origin, |v| v.as_deref() == Some("LGA")))
    );
    let carrier = texts(&df, "carrier");
    assert_eq!(
        rule(&r, "not_in_set:carrier").failing_count,
        Some(count(&carrier, |v| matches!(
            v.as_deref(),
            Some("UA" | "AA")
        )))
    );
    let (sa, sd) = (floats(&df, "sched_arr_time"), floats(&df, "sched_dep_time"));
    let pairs: Vec<(Option<f64>, Option<f64>)> = sa.into_iter().zip(sd).collect();
    let overnight = count(
        &pairs,
        |(a, d)| matches!((a, d), (Some(a), Some(d)) if a <= d),
    );
    let pair = rule(&r, "pair:sched_arr_time>sched_dep_time");
    assert_eq!(pair.status, Status::Failed);
    assert_eq!(pair.failing_count, Some(overnight));
    assert_eq!(overnight, 6_078);
    let (at, sat) = (floats(&df, "arr_time"), floats(&df, "sched_arr_time"));
    let pairs: Vec<(Option<f64>, Option<f64>)> = at.into_iter().zip(sat).collect();
    assert_eq!(
        rule(&r, "pair:arr_time<=sched_arr_time").failing_count,
        Some(count(
            &pairs,
            |(a, s)| matches!((a, s), (Some(a), Some(s)) if a > s)
        ))
    );
    let arr = floats(&df, "arr_delay");
    let dest = texts(&df, "dest");
    let expr_fail = arr
        .iter()
        .zip(&dest)
        .filter(|(a, d)| match a {
            Some(a) => !(*a > 100.0 || d.as_deref() == Some("IAH")),
            None => false,
        })
        .count() as u64;
    assert_eq!(
        rule(&r, "expression:arr_delay > 100 OR dest = 'IAH'").failing_count,
        Some(expr_fail)
    );
}

#[test]
fn text_rules_match_plain_rust_counts() {
    let df = flights_df();
    let r = check_flights(
        r#"dataset: flights
rules:
  - regex: {column: tailnum, pattern: "^N[0-9]{3}[A-Z]{2}$"}
  - length: {column: tailnum, min: 6}
  - unique: [carrier, flight, year, month, day, origin]
  - unique: tailnum
"#,
    );
    let tail = texts(&df, "tailnum");
    let re = regex::Regex::new("^N[0-9]{3}[A-Z]{2}$").expect("regex");
    assert_eq!(
        rule(&r, "regex:tailnum").failing_count,
        Some(count(&tail, |v| v
            .as_deref()
            .is_some_and(|v| !re.is_match(v))))
    );
    assert_eq!(
        rule(&r, "length:tailnum").failing_count,
        Some(count(&tail, |v| v
            .as_deref()
            .is_some_and(|v| v.chars().count() < 6)))
    );
    let cols = ["carrier", "flight", "year", "month", "day", "origin"];
    let keys: Vec<String> = (0..df.height())
        .map(|i| {
            cols.iter()
                .map(|c| df.column(c).expect("c").get(i).expect("v").to_string())
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect();
    let mut seen: HashMap<&str, u64> = HashMap::new();
    for k in &keys {
        *seen.entry(k).or_default() += 1;
    }
    let dup_rows: u64 = seen.values().filter(|&&n| n > 1).sum();
    assert_eq!(
        rule(&r, "unique:carrier,flight,year,month,day,origin").failing_count,
        Some(dup_rows)
    );
    let mut tails: HashMap<&str, u64> = HashMap::new();
    for t in tail.iter().flatten() {
        *tails.entry(t).or_default() += 1;
    }
    let repeated: u64 = tails.values().filter(|&&n| n > 1).sum();
    assert_eq!(rule(&r, "unique:tailnum").failing_count, Some(repeated));
}

fn observed(r: &assay_quality::SuiteResult, id: &str) -> f64 {
    rule(r, id)
        .observed
        .as_ref()
        .and_then(Observed::as_f64)
        .unwrap_or(f64::NAN)
}

#[test]
fn aggregate_rules_match_plain_rust_statistics() {
    let df = flights_df();
    let r = check_flights(
        r#"dataset: flights
rules:
  - row_count: {min: 300000, max: 400000}
  - mean: {column: dep_delay, min: 0, max: 10}
  - min: {column: dep_delay, min: -50}
  - max: {column: air_time, max: 700}
  - median: {column: distance, min: 500, max: 1500}
  - stddev: {column: arr_delay, min: 0, max: 100}
  - sum: {column: distance, min: 0}
  - quantile: {column: air_time, q: 0.9, max: 400}
  - missing_fraction: {column: arr_delay, max: 0.05}
  - unique_fraction: {column: tailnum, max: 0.5}
  - type: {column: dep_delay, is: float}
  - type: {column: year, is: string}
"#,
    );
    let delay: Vec<f64> = floats(&df, "dep_delay").into_iter().flatten().collect();
    let mean = delay.iter().sum::<f64>() / delay.len() as f64;
    assert!((observed(&r, "mean:dep_delay") - mean).abs() < 1e-9);
    assert_eq!(
        rule(&r, "mean:dep_delay").status,
        Status::Failed,
        "12.64 > 10"
    );
    assert_eq!(observed(&r, "row_count"), 336_776.0);
    assert_eq!(rule(&r, "row_count").status, Status::Passed);
    assert_eq!(observed(&r, "min:dep_delay"), -43.0);
    assert_eq!(observed(&r, "max:air_time"), 695.0);
    assert_eq!(observed(&r, "median:distance"), 872.0);
    let arr: Vec<f64> = floats(&df, "arr_delay").into_iter().flatten().collect();
    let m = arr.iter().sum::<f64>() / arr.len() as f64;
    let sd = (arr.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (arr.len() - 1) as f64).sqrt();
    assert!((observed(&r, "stddev:arr_delay") - sd).abs() < 1e-9);
    let dist: f64 = floats(&df, "distance").into_iter().flatten().sum();
    assert_eq!(observed(&r, "sum:distance"), dist);
    let mut air: Vec<f64> = floats(&df, "air_time").into_iter().flatten().collect();
    air.sort_by(f64::total_cmp);
    let pos = 0.9 * (air.len() - 1) as f64;
    let q = air[pos.floor() as usize]
        + (air[pos.ceil() as usize] - air[pos.floor() as usize]) * pos.fract();
    assert!((observed(&r, "quantile:air_time@0.9") - q).abs() < 1e-9);
    let missing = floats(&df, "arr_delay")
        .iter()
        .filter(|v| v.is_none())
        .count() as f64;
    assert!((observed(&r, "missing_fraction:arr_delay") - missing / 336_776.0).abs() < 1e-12);
    let tails = texts(&df, "tailnum");
    let present: Vec<&String> = tails.iter().flatten().collect();
    let distinct: HashSet<&&String> = present.iter().collect();
    let share = distinct.len() as f64 / present.len() as f64;
    assert!((observed(&r, "unique_fraction:tailnum") - share).abs() < 1e-12);
    assert_eq!(rule(&r, "type:dep_delay").status, Status::Passed);
    assert_eq!(rule(&r, "type:year").status, Status::Failed);
    assert_eq!(
        rule(&r, "type:year").observed,
        Some(Observed::Text("i64".into()))
    );
}

#[test]
fn freshness_compares_the_latest_timestamp_with_now() {
    let suite = suite(
        "dataset: flights\nrules:\n  - freshness: {column: time_hour, max_age: 2d}\n  - freshness: {column: time_hour, max_age: 12h}\n",
    );
    let options = RunOptions {
        now: Some(
            Utc.with_ymd_and_hms(2014, 1, 2, 0, 0, 0)
                .single()
                .expect("now"),
        ),
        ..RunOptions::default()
    };
    let r = run(&suite, flights(), &resolve, &options, &|_| true).expect("run");
    // The latest time_hour is 2014-01-01T04:00:00Z: 20 hours before "now".
    assert_eq!(rule(&r, "freshness:time_hour").status, Status::Passed);
    assert_eq!(rule(&r, "freshness:time_hour#2").status, Status::Failed);
    assert_eq!(
        rule(&r, "freshness:time_hour").observed,
        Some(Observed::Text("2014-01-01T04:00:00Z".into()))
    );
}

#[test]
fn the_twenty_rule_suite_runs_in_one_pass_with_expected_outcomes() {
    let suite = assay_quality::load_suite(&fixture("flights_20.yaml")).expect("suite");
    assert_eq!(suite.rules.len(), 20);
    assert!(suite.invalid.is_empty());
    let r = run(&suite, flights(), &resolve, &RunOptions::default(), &|_| {
        true
    })
    .expect("run");
    assert_eq!(r.rules.len(), 20);
    let dep = rule(&r, "not_null:dep_time");
    assert_eq!(dep.failing_count, Some(8_255));
    assert_eq!(dep.status, Status::Passed, "97.55% present >= mostly 0.97");
    assert_eq!(rule(&r, "regex:tailnum").status, Status::Warned);
    assert_eq!(rule(&r, "regex:tailnum").failing_count, Some(4));
    assert_eq!(rule(&r, "arrives after it departs").status, Status::Failed);
    assert_eq!(r.totals.failed, 1);
    assert_eq!(r.totals.warned, 1);
    assert_eq!(r.totals.errors, 0);
    assert_eq!(r.exit_code(), 1);
    assert!(r.rules.windows(2).all(|w| w[0].line < w[1].line));
    assert_eq!(rule(&r, "not_null:dep_time").line, 6);
}
