//! Assay's in-app training: supervised and clustering models on `ndarray`, train/test splits,
//! metrics, and JSON model artifacts.
//!
//! The app turns a data set into a feature matrix (`Array2<f64>`, rows x features, finite
//! values) and a [`Target`] (class labels, numbers, or none), then calls [`train`] with
//! [`ModelOptions`] (JSON: `{"kind": "random_forest", "n_trees": 200}`) and a seed, or
//! [`train_and_evaluate`] for the whole flow (seeded, optionally stratified
//! [`train_test_split`], training, [`Metrics`] on both parts). The [`TrainedModel`] predicts
//! ([`TrainedModel::predict`], [`TrainedModel::predict_proba`]), reports
//! [`TrainedModel::feature_importances`], and round-trips through JSON
//! ([`TrainedModel::to_json`], [`TrainedModel::from_json`]): that is the artifact a run
//! stores, with the options, seed, feature names, class labels and a format version.
//! [`train_with_progress`] and [`train_and_evaluate`] take a [`ProgressHook`] (fraction done;
//! return `false` to cancel), for the app's jobs.
//!
//! Models (defaults follow scikit-learn unless an option's doc says otherwise):
//!
//! - logistic regression: multinomial softmax (binomial for two classes), L2 penalty `C`,
//!   L-BFGS on standardised features (the scaler is part of the model);
//! - decision tree: CART, Gini / entropy for classes, squared error for numbers, exact splits
//!   at midpoints between distinct values; stored as flat arrays;
//! - random forest: bootstrap samples, `sqrt` features per split for classes (all for
//!   numbers), trees grown in parallel with rayon from per-tree seeded generators, so the
//!   forest depends only on the seed;
//! - elastic net: coordinate descent on standardised features with scikit-learn's objective
//!   and duality-gap stopping rule;
//! - k-means: greedy k-means++ starts (seeded, in parallel), Lloyd iterations, best of
//!   `n_init`; standardises first by default.
//!
//! No linfa: linfa 0.8 pins ndarray 0.16 and rand 0.8 (second copies beside the workspace's
//! ndarray 0.17 and rand 0.10); these five models take a few hundred lines each here.
//! Input problems (no rows, NaN or infinite values, one class, `k` above the rows, lengths
//! that differ) are [`LearnError`]s, never panics.

mod ctl;
mod data;
mod error;
mod evaluate;
mod forest;
mod kmeans;
mod linear;
pub mod metrics;
mod model;
mod options;
mod split;
mod tree;

pub use ctl::{ProgressHook, no_progress};
pub use data::{Scaler, Target, select_rows};
pub use error::{LearnError, Result};
pub use evaluate::{
    ClassificationMetrics, ClusteringMetrics, Evaluated, Metrics, RegressionMetrics,
    SILHOUETTE_MAX_ROWS, evaluate, train_and_evaluate,
};
pub use kmeans::KMeansModel;
pub use linear::{ElasticNetModel, LogisticModel};
pub use model::{
    FORMAT_VERSION, ForestModel, Model, Prediction, Task, TrainedModel, TreeModel, train,
    train_with_progress,
};
pub use options::{
    Criterion, DecisionTreeOptions, ElasticNetOptions, KMeansOptions, LogisticRegressionOptions,
    MaxFeatures, ModelOptions, RandomForestOptions,
};
pub use split::{Split, SplitOptions, train_test_split};
pub use tree::FlatTree;
