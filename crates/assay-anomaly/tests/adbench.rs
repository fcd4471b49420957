//! ROC-AUC floors on a few shared ADBench sets (floors a little below what the detectors
//! measure, so a regression fails). Labels are used only to evaluate.

mod common;

use assay_anomaly::{DetectOptions, Method, detect, no_progress};

fn auc(set: &str, method: Method) -> f64 {
    let opts = DetectOptions {
        method,
        label: Some("label".into()),
        explain_top: 0,
        projection_points: 0,
        ..DetectOptions::default()
    };
    let (det, _) = detect(common::adbench(set), &opts, &no_progress).expect("detects");
    det.evaluation.expect("labelled").roc_auc
}

#[test]
fn breastw_floors() {
    for (method, floor) in [
        (Method::Ensemble, 0.96),
        (Method::IsolationForest, 0.97),
        (Method::Ecod, 0.97),
        (Method::Copod, 0.97),
        (Method::Hbos, 0.95),
        (Method::Knn, 0.95),
    ] {
        let a = auc("breastw", method);
        assert!(a >= floor, "breastw {}: {a} < {floor}", method.name());
    }
}

#[test]
fn cardio_floors() {
    for (method, floor) in [
        (Method::Ensemble, 0.86),
        (Method::Knn, 0.84),
        (Method::IsolationForest, 0.90),
        (Method::Ecod, 0.90),
        (Method::Pca, 0.85),
    ] {
        let a = auc("cardio", method);
        assert!(a >= floor, "cardio {}: {a} < {floor}", method.name());
    }
}

#[test]
fn thyroid_floors() {
    for (method, floor) in [
        (Method::Ensemble, 0.96),
        (Method::Knn, 0.97),
        (Method::Gmm, 0.94),
        (Method::IsolationForest, 0.95),
        (Method::Ecod, 0.95),
        (Method::Mad, 0.90),
    ] {
        let a = auc("thyroid", method);
        assert!(a >= floor, "thyroid {}: {a} < {floor}", method.name());
    }
}
