//! Bad input is a clear error, never a panic.

use assay_learn::{
    ElasticNetOptions, KMeansOptions, LearnError, ModelOptions, SplitOptions, Target, TrainedModel,
    metrics, train, train_test_split,
};
use ndarray::{Array1, Array2, array};

fn labels(v: &[&str]) -> Target {
    Target::Classes(v.iter().map(|s| s.to_string()).collect())
}

fn small() -> (Array2<f64>, Target) {
    let x = array![
        [1.0, 2.0],
        [2.0, 1.0],
        [3.0, 4.0],
        [4.0, 3.0],
        [5.0, 6.0],
        [6.0, 5.0]
    ];
    (x, labels(&["a", "a", "a", "b", "b", "b"]))
}

fn every_kind() -> Vec<ModelOptions> {
    vec![
        ModelOptions::LogisticRegression(Default::default()),
        ModelOptions::DecisionTree(Default::default()),
        ModelOptions::RandomForest(Default::default()),
        ModelOptions::ElasticNet(Default::default()),
        ModelOptions::KMeans(KMeansOptions {
            k: 2,
            ..Default::default()
        }),
    ]
}

#[test]
fn empty_data_is_an_error_for_every_model() {
    for opts in every_kind() {
        let err =
            train(&opts, &Array2::zeros((0, 3)), &Target::Classes(vec![]), 0).expect_err("no rows");
        assert!(
            matches!(err, LearnError::Empty { .. }),
            "{}: {err}",
            opts.kind()
        );
        let err = train(
            &opts,
            &Array2::zeros((4, 0)),
            &labels(&["a", "b", "a", "b"]),
            0,
        )
        .expect_err("no columns");
        assert!(
            matches!(err, LearnError::NoFeatures),
            "{}: {err}",
            opts.kind()
        );
    }
}

#[test]
fn nan_and_infinity_name_the_column_and_row() {
    let (mut x, y) = small();
    x[[3, 1]] = f64::NAN;
    for opts in every_kind() {
        let err = train(&opts, &x, &y, 0).expect_err("NaN");
        let msg = err.to_string();
        assert!(
            matches!(
                err,
                LearnError::NonFinite {
                    column: 1,
                    row: 3,
                    ..
                }
            ),
            "{}: {msg}",
            opts.kind()
        );
        assert!(
            msg.contains("feature column 1") && msg.contains("row 3"),
            "{msg}"
        );
    }
    let (mut x, y) = small();
    x[[0, 0]] = f64::NEG_INFINITY;
    let err = train(&ModelOptions::DecisionTree(Default::default()), &x, &y, 0).expect_err("inf");
    assert!(err.to_string().contains("-inf"), "{err}");

    // At prediction time the message names the feature.
    let (x, y) = small();
    let model = train(
        &ModelOptions::LogisticRegression(Default::default()),
        &x,
        &y,
        0,
    )
    .expect("trains")
    .with_feature_names(vec!["height".into(), "width".into()])
    .expect("names");
    let mut bad = x.clone();
    bad[[2, 1]] = f64::NAN;
    let err = model.predict(&bad).expect_err("NaN");
    assert!(err.to_string().contains("`width`"), "{err}");

    // A NaN regression target.
    let y = Target::Values(array![1.0, 2.0, f64::NAN, 4.0, 5.0, 6.0]);
    let err =
        train(&ModelOptions::ElasticNet(Default::default()), &x, &y, 0).expect_err("NaN target");
    assert!(
        matches!(err, LearnError::NonFiniteTarget { row: 2, .. }),
        "{err}"
    );
}

#[test]
fn one_class_is_an_error() {
    let (x, _) = small();
    let y = labels(&["a"; 6]);
    for opts in [
        ModelOptions::LogisticRegression(Default::default()),
        ModelOptions::DecisionTree(Default::default()),
        ModelOptions::RandomForest(Default::default()),
    ] {
        let err = train(&opts, &x, &y, 0).expect_err("one class");
        assert!(
            err.to_string().contains("single class (`a`)"),
            "{}: {err}",
            opts.kind()
        );
    }
}

#[test]
fn k_above_the_rows_is_an_error() {
    let (x, _) = small();
    let opts = ModelOptions::KMeans(KMeansOptions {
        k: 7,
        ..Default::default()
    });
    let err = train(&opts, &x, &Target::None, 0).expect_err("k > rows");
    assert!(
        err.to_string()
            .contains("k = 7 needs at least 7 rows, got 6"),
        "{err}"
    );
    // k equal to the rows, and duplicate rows, are fine.
    let dup = Array2::from_elem((4, 2), 1.0);
    let opts = ModelOptions::KMeans(KMeansOptions {
        k: 4,
        ..Default::default()
    });
    train(&opts, &dup, &Target::None, 0).expect("k = rows with identical rows");
}

#[test]
fn mismatched_lengths_and_wrong_targets_are_errors() {
    let (x, _) = small();
    let err = train(
        &ModelOptions::DecisionTree(Default::default()),
        &x,
        &labels(&["a", "b", "a"]),
        0,
    )
    .expect_err("3 labels for 6 rows");
    assert!(
        matches!(
            err,
            LearnError::LengthMismatch {
                left: 6,
                right: 3,
                ..
            }
        ),
        "{err}"
    );
    let err = train(
        &ModelOptions::LogisticRegression(Default::default()),
        &x,
        &Target::Values(Array1::zeros(6)),
        0,
    )
    .expect_err("numbers for a classifier");
    assert_eq!(
        err.to_string(),
        "logistic_regression needs class labels as the target, got numbers"
    );
    let err = train(
        &ModelOptions::ElasticNet(Default::default()),
        &x,
        &labels(&["a"; 6]),
        0,
    )
    .expect_err("labels for a regressor");
    assert!(matches!(err, LearnError::WrongTarget { .. }), "{err}");
    let err = train(
        &ModelOptions::RandomForest(Default::default()),
        &x,
        &Target::None,
        0,
    )
    .expect_err("no target");
    assert!(matches!(err, LearnError::WrongTarget { .. }), "{err}");

    // Predicting with the wrong number of columns.
    let (x, y) = small();
    let model = train(&ModelOptions::DecisionTree(Default::default()), &x, &y, 0).expect("trains");
    let err = model
        .predict(&Array2::zeros((2, 3)))
        .expect_err("3 columns");
    assert!(
        matches!(
            err,
            LearnError::FeatureCount {
                expected: 2,
                got: 3
            }
        ),
        "{err}"
    );
    let reg = train(
        &ModelOptions::ElasticNet(Default::default()),
        &x,
        &Target::Values(array![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]),
        0,
    )
    .expect("trains");
    let err = reg.predict_proba(&x).expect_err("not a classifier");
    assert!(matches!(err, LearnError::NotAClassifier { .. }), "{err}");
    assert!(model.clone().with_feature_names(vec!["a".into()]).is_err());
}

#[test]
fn options_out_of_range_are_errors() {
    let (x, y) = small();
    let cases = [
        (r#"{"kind": "logistic_regression", "c": 0}"#, "c"),
        (
            r#"{"kind": "decision_tree", "min_samples_split": 1}"#,
            "min_samples_split",
        ),
        (r#"{"kind": "random_forest", "n_trees": 0}"#, "n_trees"),
        (
            r#"{"kind": "random_forest", "max_features": {"fraction": 1.5}}"#,
            "max_features",
        ),
        (r#"{"kind": "elastic_net", "l1_ratio": 2}"#, "l1_ratio"),
        (r#"{"kind": "kmeans", "n_init": 0}"#, "n_init"),
        (
            r#"{"kind": "decision_tree", "criterion": "squared_error"}"#,
            "criterion",
        ),
    ];
    for (json, field) in cases {
        let opts: ModelOptions = serde_json::from_str(json).expect("parses");
        let err = train(&opts, &x, &y, 0).expect_err(json);
        assert!(
            matches!(&err, LearnError::InvalidOption { field: f, .. } if *f == field),
            "{json}: {err}"
        );
    }
    let err = train(
        &ModelOptions::ElasticNet(ElasticNetOptions {
            alpha: f64::NAN,
            ..Default::default()
        }),
        &x,
        &Target::Values(Array1::zeros(6)),
        0,
    )
    .expect_err("NaN alpha");
    assert!(err.to_string().contains("alpha"), "{err}");
}

#[test]
fn damaged_or_newer_artifacts_are_errors() {
    let (x, y) = small();
    let model = train(&ModelOptions::DecisionTree(Default::default()), &x, &y, 0).expect("trains");
    let json = model.to_json().expect("json");

    let newer = json.replacen("\"format_version\":1", "\"format_version\":99", 1);
    let err = TrainedModel::from_json(&newer).expect_err("newer");
    assert!(
        matches!(
            err,
            LearnError::UnsupportedVersion {
                found: 99,
                supported: 1
            }
        ),
        "{err}"
    );
    // A child pointing back at the root would loop forever; a feature out of range would
    // index out of bounds.
    let looping = json.replacen("\"left\":[-1", "\"left\":[0", 1);
    assert_ne!(looping, json, "{json}");
    let err = TrainedModel::from_json(&looping).expect_err("loop");
    assert!(err.to_string().contains("invalid"), "{err}");
    let far = json.replacen("\"feature\":[", "\"feature\":[7", 1);
    assert!(TrainedModel::from_json(&far).is_err());
    assert!(TrainedModel::from_json("{}").is_err());
    assert!(TrainedModel::from_json("not json").is_err());
    let no_classes = json.replacen("\"classes\":[\"a\",\"b\"]", "\"classes\":[\"a\"]", 1);
    assert_ne!(no_classes, json);
    assert!(TrainedModel::from_json(&no_classes).is_err());
}

#[test]
fn splits_and_metrics_reject_bad_input() {
    let y = labels(&["a", "b", "a", "b"]);
    for f in [0.0, 1.0, -0.5, f64::NAN] {
        let opts = SplitOptions {
            test_fraction: f,
            ..Default::default()
        };
        assert!(train_test_split(4, &y, &opts, 0).is_err(), "fraction {f}");
    }
    assert!(train_test_split(5, &y, &SplitOptions::default(), 0).is_err());
    assert!(train_test_split(1, &Target::None, &SplitOptions::default(), 0).is_err());
    assert!(metrics::accuracy(&[1, 2, 3], &[1, 2]).is_err());
    assert!(metrics::r2(&[], &[]).is_err());
    assert!(metrics::confusion_matrix(&[0, 5], &[0, 1], 2).is_err());
    assert!(metrics::roc_auc(&[false, false], &[0.2, 0.3]).is_err());
    // A class with one row stays in training.
    let y = labels(&["a", "a", "a", "a", "a", "a", "a", "b"]);
    let s = train_test_split(8, &y, &SplitOptions::default(), 3).expect("split");
    assert!(s.train.contains(&7), "{s:?}");
}
