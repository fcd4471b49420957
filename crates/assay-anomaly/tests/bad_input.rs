//! Bad input gives a clear error or a sensible result, never a panic.

mod common;

use assay_anomaly::{AnomalyError, DetectOptions, Method, MissingPolicy, detect, no_progress};
use polars::prelude::*;

fn run(df: DataFrame, opts: &DetectOptions) -> Result<assay_anomaly::Detection, AnomalyError> {
    detect(df.lazy(), opts, &no_progress).map(|(d, _)| d)
}

fn base() -> (Vec<f64>, Vec<f64>) {
    let mut s = common::Stream::new(3);
    let a: Vec<f64> = (0..200).map(|_| s.normal()).collect();
    let b: Vec<f64> = (0..200).map(|_| s.normal()).collect();
    (a, b)
}

#[test]
fn constant_and_all_null_columns_are_dropped_with_a_note() {
    let (a, b) = base();
    let df = df!(
        "a" => a, "b" => b,
        "k" => vec![5.0; 200],
        "n" => vec![None::<f64>; 200],
    )
    .expect("frame");
    let det = run(df, &DetectOptions::default()).expect("runs on the rest");
    let names: Vec<&str> = det.features.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["a", "b"]);
    assert!(
        det.notes.iter().any(|n| n.contains("`k`: constant")),
        "{:?}",
        det.notes
    );
    assert!(
        det.notes
            .iter()
            .any(|n| n.contains("`n`: all values missing")),
        "{:?}",
        det.notes
    );
}

#[test]
fn only_constant_columns_is_a_clear_error() {
    let df = df!("k" => vec![1.0; 50], "j" => vec![2i64; 50]).expect("frame");
    let err = run(df, &DetectOptions::default()).expect_err("nothing to detect on");
    let msg = err.to_string();
    assert!(matches!(err, AnomalyError::NoUsableColumns { .. }));
    assert!(
        msg.contains("`k`: constant") && msg.contains("`j`: constant"),
        "{msg}"
    );
}

#[test]
fn nan_inf_and_nulls_follow_the_missing_policy() {
    let (mut a, b) = base();
    a[3] = f64::NAN;
    a[4] = f64::INFINITY;
    a[5] = f64::NEG_INFINITY;
    let df = df!("a" => a, "b" => b).expect("frame");
    let det = run(df.clone(), &DetectOptions::default()).expect("imputes");
    assert_eq!(det.features[0].imputed, 3);
    assert!(det.scores.iter().all(|s| s.is_finite()));
    let drop = DetectOptions {
        missing: MissingPolicy::DropRows,
        ..DetectOptions::default()
    };
    let det = run(df.clone(), &drop).expect("drops rows");
    assert_eq!(det.scores.len(), 197);
    assert!(!det.row_index.contains(&3));
    let strict = DetectOptions {
        missing: MissingPolicy::Error,
        ..DetectOptions::default()
    };
    let err = run(df, &strict).expect_err("refuses");
    assert!(
        err.to_string().contains("column `a` has 3 missing"),
        "{err}"
    );
}

#[test]
fn one_row_is_a_clear_error() {
    let df = df!("a" => [1.0], "b" => [2.0]).expect("frame");
    let err = run(df, &DetectOptions::default()).expect_err("too few rows");
    assert!(
        matches!(err, AnomalyError::TooFewRows { rows: 1, .. }),
        "{err}"
    );
    let empty = df!("a" => Vec::<f64>::new()).expect("frame");
    assert!(matches!(
        run(empty, &DetectOptions::default()),
        Err(AnomalyError::TooFewRows { rows: 0, .. })
    ));
}

#[test]
fn more_columns_than_rows_still_scores_every_detector() {
    let mut s = common::Stream::new(11);
    let columns: Vec<Column> = (0..40)
        .map(|j| {
            Column::new(
                format!("x{j}").into(),
                (0..8).map(|_| s.normal()).collect::<Vec<f64>>(),
            )
        })
        .collect();
    let df = DataFrame::new_infer_height(columns).expect("frame");
    for method in std::iter::once(Method::Ensemble).chain(Method::SINGLES) {
        let opts = DetectOptions {
            method,
            ..DetectOptions::default()
        };
        let det = run(df.clone(), &opts).unwrap_or_else(|e| panic!("{}: {e}", method.name()));
        assert_eq!(det.scores.len(), 8, "{}", method.name());
        assert!(
            det.scores.iter().all(|v| v.is_finite()),
            "{}: {:?}",
            method.name(),
            det.scores
        );
    }
}

#[test]
fn no_numeric_columns_and_unknown_columns_are_named() {
    let df = df!("s" => ["a", "b", "c", "d"]).expect("frame");
    let err = run(df.clone(), &DetectOptions::default()).expect_err("no numbers");
    assert!(
        err.to_string().contains("no numeric or boolean columns"),
        "{err}"
    );
    let opts = DetectOptions {
        columns: vec!["nope".into()],
        ..DetectOptions::default()
    };
    let err = run(df, &opts).expect_err("unknown");
    assert!(
        err.to_string()
            .contains("column `nope` is not in the table"),
        "{err}"
    );
}

#[test]
fn categorical_columns_are_encoded() {
    let (a, _) = base();
    let colour: Vec<&str> = (0..200)
        .map(|i| {
            if i == 7 {
                "purple"
            } else if i % 2 == 0 {
                "red"
            } else {
                "blue"
            }
        })
        .collect();
    let id: Vec<String> = (0..200).map(|i| format!("id{}", i % 30)).collect();
    let df = df!("a" => a, "colour" => colour, "id" => id).expect("frame");
    let opts = DetectOptions {
        method: Method::Ecod,
        columns: vec!["a".into(), "colour".into(), "id".into()],
        ..DetectOptions::default()
    };
    let det = run(df, &opts).expect("encodes");
    let names: Vec<&str> = det.features.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "a",
            "colour=blue",
            "colour=purple",
            "colour=red",
            "id (frequency)"
        ]
    );
    // The single purple row is the rarest.
    let best = (0..200).max_by(|&x, &y| det.scores[x].total_cmp(&det.scores[y]));
    assert_eq!(best, Some(7));
}

#[test]
fn sampling_above_max_rows_and_cancellation() {
    let (a, b) = base();
    let df = df!("a" => a, "b" => b).expect("frame");
    let opts = DetectOptions {
        max_rows: 50,
        ..DetectOptions::default()
    };
    let det = run(df.clone(), &opts).expect("samples");
    assert_eq!(det.scores.len(), 50);
    assert_eq!(det.table_rows, 200);
    assert!(det.notes.iter().any(|n| n.contains("sample of 50 rows")));
    let stop = |f: f64| f < 0.5;
    let err = detect(df.lazy(), &DetectOptions::default(), &stop)
        .map(|_| ())
        .expect_err("cancelled");
    assert!(matches!(err, AnomalyError::Cancelled));
}
