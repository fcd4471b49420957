//! Assay's outlier detection: which rows of a table are unusual, why, and how well the scores
//! match known labels.
//!
//! [`detect`] prepares a feature matrix from a polars `LazyFrame` (chosen columns; categories
//! one-hot or frequency encoded; missing values by [`MissingPolicy`]; constant and all-missing
//! columns dropped with a note; above `max_rows` a seeded uniform row sample), runs a
//! [`Method`] and returns a [`Detection`]: per-row scores (higher = more anomalous) and their
//! 0..1 rescaling, each ensemble member's scores, suggested thresholds, explanations of the top
//! rows, a 2-D PCA projection and, with a label column, an [`Evaluation`] (ROC-AUC, average
//! precision, precision@k, ROC curve). The [`Explainer`] it also returns explains any row.
//!
//! Detectors (one file each under `src/detectors/`, all on `ndarray`, parallel with rayon,
//! deterministic for a seed): Isolation Forest, LOF, kNN distance, HBOS, ECOD, COPOD, PCA,
//! robust z-score (MAD), IQR fences, DBSCAN noise distance and a Gaussian mixture. The default
//! is the [`ensemble`] of kNN, GMM and PCA (robust z-score average). No
//! linfa crate is used: linfa 0.8 pins ndarray 0.16 and rand 0.8 (a second copy of each beside
//! polars' rand 0.10) and brings about 55 crates (sprs, ndarray-stats, linfa-nn, ...) for three
//! small algorithms (DBSCAN, a diagonal GMM, a Jacobi eigen-solver for PCA), written here in a
//! few hundred lines instead.
//!
//! Size policy: rows above `max_rows` (2,000,000) are sampled; LOF and DBSCAN compare every row
//! with a seeded sample of `max_fit_rows` (1,024) reference rows, kNN with 256 of them, PCA fits on at most 10 x `max_fit_rows`
//! rows and the GMM on 5 x `max_fit_rows`; every scored row gets a
//! score.
//!
//! Bench (every detector on the 30 ADBench sets beside scikit-learn and PyOD, same run):
//!
//! ```text
//! /var/cache/assay/bench-venv/bin/python xtask/bench/anomaly_peers.py ../shared/data/anomaly
//! # or the Rust side alone:
//! cargo run --release -p assay-anomaly --example adbench -- [--methods ensemble,isolation_forest] ../shared/data/anomaly
//! ```

mod ctl;
mod detect;
mod detectors;
pub mod ensemble;
mod error;
mod evaluate;
mod explain;
mod input;
mod linalg;
mod matrix;
pub mod model;
mod neighbors;
mod options;
mod projection;
mod sample;
mod stats;
mod tails;
mod thresholds;

pub use ctl::{ProgressHook, no_progress};
pub use detect::detect;
pub use error::AnomalyError;
pub use evaluate::{evaluate, roc_auc};
pub use explain::Explainer;
pub use model::{
    Detection, Direction, Encoding, Evaluation, Feature, FeatureContribution, MemberScores,
    Projection, RocPoint, RowExplanation, Threshold, ThresholdRule,
};
pub use options::{DetectOptions, Method, MissingPolicy};
