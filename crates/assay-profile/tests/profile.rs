//! The profile engine on real data, checked against known facts of the data sets and against
//! statistics computed here independently (plain Rust over the raw values).

use std::path::Path;

use assay_data::{ColumnKind, Source, scan};
use assay_profile::model::*;
use assay_profile::{ProfileOptions, compare, profile};
use polars::prelude::*;

fn shared(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/tabular")
        .join(name)
        .display()
        .to_string()
}

fn run(lf: LazyFrame) -> Profile {
    profile(lf, &ProfileOptions::default(), &mut |_| true).expect("profile")
}

fn open(path: &str) -> LazyFrame {
    scan(&Source::from_path(path).expect("format"))
        .expect("scan")
        .0
}

fn column<'a>(p: &'a Profile, name: &str) -> &'a ColumnProfile {
    p.columns.iter().find(|c| c.name == name).expect("column")
}

fn close(a: Option<f64>, b: f64, tol: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() <= tol * b.abs().max(1.0))
}

/// Mean, sample std and linear-interpolated median, computed the plain way.
fn reference_stats(values: &[f64]) -> (f64, f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let mut s = values.to_vec();
    s.sort_by(f64::total_cmp);
    let mid = (s.len() - 1) as f64 / 2.0;
    let median = (s[mid.floor() as usize] + s[mid.ceil() as usize]) / 2.0;
    (mean, var.sqrt(), median)
}

#[test]
fn penguins_against_raw_csv() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo/data/penguins.csv");
    let p = run(open(&path.display().to_string()));
    assert_eq!(p.table.rows, 344);
    assert_eq!(p.table.columns, 8);
    assert_eq!(p.table.duplicate_rows, 0);

    let text = std::fs::read_to_string(&path).expect("csv");
    let raw: Vec<f64> = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(2).and_then(|v| v.parse().ok()))
        .collect();
    let (mean, std, median) = reference_stats(&raw);
    let bill = column(&p, "bill_length_mm");
    let n = bill.numeric.as_ref().expect("numeric");
    assert_eq!((bill.count, bill.missing), (342, 2));
    assert!(close(n.mean, mean, 1e-12) && close(n.mean, 43.921_93, 1e-6));
    assert!(close(n.std, std, 1e-12) && close(n.std, 5.459_584, 1e-6));
    assert!(close(n.p50, median, 1e-12) && close(n.p50, 44.45, 1e-12));
    assert!(close(n.p25, 39.225, 1e-12) && close(n.p75, 48.5, 1e-12));
    assert_eq!((n.min, n.max), (Some(32.1), Some(59.6)));
    assert_eq!(n.histogram.counts.iter().sum::<u64>(), 342);
    assert_eq!(n.histogram.edges.first().copied(), n.min);
    assert_eq!(n.histogram.edges.last().copied(), n.max);

    let species = column(&p, "species");
    assert_eq!(species.kind, ColumnKind::Text);
    assert_eq!(species.distinct, 3);
    assert_eq!(
        species.top_values[0],
        ValueCount {
            value: "Adelie".into(),
            count: 152
        }
    );
    assert!(species.hints.contains(&SemanticHint::Categorical));
    let t = species.text.as_ref().expect("text");
    assert_eq!((t.min_length, t.max_length), (6, 9));
    assert_eq!(column(&p, "sex").missing, 11);
    let year = column(&p, "year").numeric.as_ref().expect("year");
    assert_eq!((year.min, year.max), (Some(2007.0), Some(2009.0)));

    let pearson = &p.correlations.numeric[0];
    assert_eq!(pearson.method, "pearson");
    let i = pearson
        .columns
        .iter()
        .position(|c| c == "flipper_length_mm")
        .expect("flipper");
    let j = pearson
        .columns
        .iter()
        .position(|c| c == "body_mass_g")
        .expect("mass");
    // cor(flipper_length_mm, body_mass_g, use = "complete.obs") = 0.8712018 (R)
    assert!(close(pearson.values[i][j], 0.871_201_8, 1e-6));
    assert!(
        p.alerts
            .iter()
            .any(|a| a.kind == AlertKind::Missing && a.column.as_deref() == Some("sex"))
            == (11.0 / 344.0 > 0.05)
    );
    assert_eq!(p.samples.head.len(), 10);
    assert_eq!(p.samples.head[0][0], serde_json::json!("Adelie"));
    assert_eq!(p.missing.matrix.len(), 200);
}

#[test]
fn flights_known_facts_and_alerts() {
    let p = run(open(&shared("nycflights13_flights.parquet")));
    assert_eq!(p.table.rows, 336_776);
    let dep_delay = column(&p, "dep_delay");
    assert_eq!(dep_delay.missing, 8_255);
    let n = dep_delay.numeric.as_ref().expect("numeric");
    // R: mean(dep_delay, na.rm = TRUE) = 12.63907, sd = 40.21006, median = -2
    assert!(close(n.mean, 12.639_07, 1e-6));
    assert!(close(n.std, 40.210_06, 1e-6));
    assert_eq!(
        (n.p50, n.min, n.max),
        (Some(-2.0), Some(-43.0), Some(1301.0))
    );
    assert_eq!(column(&p, "dep_time").missing, 8_255);
    let carrier = column(&p, "carrier");
    assert_eq!(carrier.distinct, 16);
    assert_eq!(
        carrier.top_values[0],
        ValueCount {
            value: "UA".into(),
            count: 58_665
        }
    );
    let has = |kind, col: &str| {
        p.alerts
            .iter()
            .any(|a| a.kind == kind && a.column.as_deref() == Some(col))
    };
    assert!(has(AlertKind::Constant, "year"));
    assert!(
        has(AlertKind::HighCorrelation, "dep_delay")
            || has(AlertKind::HighCorrelation, "arr_delay")
    );
    assert!(has(AlertKind::HighCardinality, "tailnum"));
    let kinds: Vec<&str> = p
        .correlations
        .numeric
        .iter()
        .map(|m| m.method.as_str())
        .collect();
    assert_eq!(kinds, ["pearson", "spearman", "kendall"]);
}

fn frame(cols: Vec<Column>) -> LazyFrame {
    let h = cols.first().map_or(0, Column::len);
    DataFrame::new(h, cols).expect("frame").lazy()
}

#[test]
fn duplicates_nan_inf_all_null_and_constant_length() {
    let lf = frame(vec![
        Column::new("a".into(), [1i64, 2, 1, 1, 3]),
        Column::new("b".into(), ["x", "y", "x", "x", "z"]),
        Column::new("f".into(), [1.5, f64::NAN, f64::INFINITY, 0.0, -2.0]),
        Column::new("n".into(), [None::<f64>, None, None, None, None]),
    ]);
    let p = run(lf);
    assert_eq!(p.table.duplicate_rows, 0, "rows differ in f");
    let f = column(&p, "f");
    assert_eq!((f.missing, f.count), (1, 4));
    let n = f.numeric.as_ref().expect("numeric");
    assert_eq!((n.infinite, n.zeros, n.negatives), (1, 1, 1));
    assert_eq!((n.min, n.max), (Some(-2.0), Some(1.5)));
    let null = column(&p, "n");
    assert_eq!((null.count, null.missing, null.distinct), (0, 5, 0));
    assert!(
        p.alerts
            .iter()
            .any(|a| a.kind == AlertKind::Empty && a.column.as_deref() == Some("n"))
    );
    assert!(
        p.alerts
            .iter()
            .any(|a| a.kind == AlertKind::ConstantLength && a.column.as_deref() == Some("b"))
    );

    let dups = frame(vec![
        Column::new("a".into(), [1i64, 2, 1, 1, 3]),
        Column::new("b".into(), ["x", "y", "x", "x", "z"]),
    ]);
    let p = run(dups);
    assert_eq!(p.table.duplicate_rows, 2);
    assert_eq!(p.duplicates.examples[0].count, 3);
    assert_eq!(
        p.duplicates.examples[0].row,
        vec![serde_json::json!(1), serde_json::json!("x")]
    );
    assert!(p.alerts.iter().any(|a| a.kind == AlertKind::Duplicates));
}

#[test]
fn empty_and_one_row_tables() {
    let p = run(frame(vec![Column::new("a".into(), Vec::<f64>::new())]));
    assert_eq!(p.table.rows, 0);
    assert_eq!(column(&p, "a").numeric.as_ref().expect("n").mean, None);
    let p = run(frame(vec![Column::new("a".into(), [42.0])]));
    let n = column(&p, "a").numeric.as_ref().expect("n");
    assert_eq!((n.mean, n.std, n.p50), (Some(42.0), None, Some(42.0)));
}

#[test]
fn mixed_type_csv_column_is_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("mixed.csv");
    std::fs::write(&path, "id,value\n1,10\n2,abc\n3,12.5\n").expect("write");
    let p = run(open(&path.display().to_string()));
    let v = column(&p, "value");
    assert_eq!(v.kind, ColumnKind::Text);
    assert_eq!(v.distinct, 3);
    assert!(column(&p, "id").hints.contains(&SemanticHint::IdLike));
}

#[test]
fn drift_between_months_and_none_against_itself() {
    let flights = open(&shared("nycflights13_flights.parquet"));
    let jan = flights.clone().filter(col("month").eq(lit(1)));
    let jul = flights.filter(col("month").eq(lit(7)));
    let report = compare(jan.clone(), jul, &mut |_, _| true).expect("compare");
    let month = report
        .columns
        .iter()
        .find(|c| c.column == "month")
        .expect("month");
    assert!(month.drifted);
    let same = compare(jan.clone(), jan, &mut |_, _| true).expect("compare");
    assert_eq!(same.drifted, 0);
    let carrier = same
        .columns
        .iter()
        .find(|c| c.column == "carrier")
        .expect("carrier");
    assert_eq!(carrier.test, "chi_squared");
    assert_eq!(carrier.jensen_shannon, Some(0.0));
}

#[test]
fn cancel_stops_the_profile() {
    let mut calls = 0;
    let r = profile(
        open(&shared("nycflights13_flights.parquet")),
        &ProfileOptions::default(),
        &mut |_| {
            calls += 1;
            calls < 3
        },
    );
    assert!(matches!(r, Err(assay_profile::ProfileError::Cancelled)));
}

fn small_again(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("s{}", i % 50)).collect()
}

#[test]
fn distinct_counts_are_estimated_above_the_limit_and_marked() {
    let n = 60_000usize;
    let ids: Vec<String> = (0..n).map(|i| format!("id-{}", i % 20_000)).collect();
    let small: Vec<&str> = (0..n).map(|i| ["a", "b", "c"][i % 3]).collect();
    let numbers: Vec<i64> = (0..n as i64).collect();
    let lf = frame(vec![
        Column::new("id".into(), ids),
        Column::new("small".into(), small),
        Column::new("n".into(), numbers),
    ]);
    let opts = ProfileOptions {
        exact_distinct_limit: 1_000,
        ..ProfileOptions::default()
    };
    let p = profile(lf.clone(), &opts, &mut |_| true).expect("profile");
    let id = column(&p, "id");
    assert!(id.distinct_approximate);
    let err = (id.distinct as f64 - 20_000.0).abs() / 20_000.0;
    assert!(err < 0.03, "estimate {}", id.distinct);
    assert_eq!(
        id.top_values[0].count, 3,
        "tracked values keep exact counts"
    );
    let small = column(&p, "small");
    assert!(!small.distinct_approximate);
    assert_eq!(small.distinct, 3);
    let numbers = column(&p, "n");
    assert!(!numbers.distinct_approximate);
    assert_eq!((numbers.distinct, numbers.unique), (n as u64, n as u64));
    // Below the limit everything is exact.
    let exact = run(lf);
    assert!(!column(&exact, "id").distinct_approximate);
    // Above the limit, a text column with few distinct values stays exact.
    let few = profile(
        frame(vec![Column::new("small".into(), small_again(n))]),
        &opts,
        &mut |_| true,
    )
    .expect("profile");
    assert!(!column(&few, "small").distinct_approximate);
    assert_eq!(column(&exact, "id").distinct, 20_000);
    assert_eq!(column(&exact, "id").unique, 0);
}

#[test]
fn correlations_say_they_use_a_sample() {
    let p = run(open(&shared("nycflights13_flights.parquet")));
    assert_eq!(p.correlations.sample_rows, 100_000);
    assert_eq!(p.run.options.correlation_sample, 100_000);
}
