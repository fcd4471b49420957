//! Scoring a trained model on labelled rows, and the whole in-app flow: split, train,
//! evaluate.

use ndarray::{Array2, Axis};
use serde::{Deserialize, Serialize};

use crate::ctl::{Ctl, ProgressHook};
use crate::data::{Target, select_rows};
use crate::error::{LearnError, Result};
use crate::metrics;
use crate::model::{Model, Prediction, Task, TrainedModel, argmax_rows, train_ctl};
use crate::options::ModelOptions;
use crate::split::{Split, SplitOptions, train_test_split};

/// Rows in the silhouette sample (a seeded sample above this).
pub const SILHOUETTE_MAX_ROWS: usize = 5_000;

/// Classification metrics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassificationMetrics {
    /// Rows scored.
    pub rows: usize,
    /// Share of correct labels.
    pub accuracy: f64,
    /// Unweighted mean per-class F1.
    pub f1_macro: f64,
    /// Mean negative log-likelihood of the true labels.
    pub log_loss: f64,
    /// Area under the ROC curve, for two classes (the second label positive) when both are
    /// present.
    pub roc_auc: Option<f64>,
    /// Labels of the confusion matrix rows and columns: the model's classes, then any label
    /// seen only in the evaluated rows.
    pub labels: Vec<String>,
    /// Counts `[true][predicted]`.
    pub confusion: Vec<Vec<u64>>,
}

/// Regression metrics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegressionMetrics {
    /// Rows scored.
    pub rows: usize,
    /// Root mean squared error.
    pub rmse: f64,
    /// Mean absolute error.
    pub mae: f64,
    /// Coefficient of determination.
    pub r2: f64,
}

/// Clustering metrics (in the model's space: standardised when the model standardises).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusteringMetrics {
    /// Rows scored.
    pub rows: usize,
    /// Sum of squared distances to the nearest centre.
    pub inertia: f64,
    /// Mean silhouette on a seeded sample of at most [`SILHOUETTE_MAX_ROWS`] rows (`None`
    /// when undefined: fewer than two clusters among the rows).
    pub silhouette: Option<f64>,
    /// Rows per cluster.
    pub cluster_sizes: Vec<usize>,
}

/// A model's metrics on some rows, tagged by `task` in JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "task", rename_all = "snake_case")]
pub enum Metrics {
    /// For classifiers.
    Classification(ClassificationMetrics),
    /// For regressors.
    Regression(RegressionMetrics),
    /// For k-means.
    Clustering(ClusteringMetrics),
}

impl Metrics {
    /// The scalar metrics as `(name, value)`, for logging to a run (`accuracy`, `f1_macro`,
    /// `log_loss`, `roc_auc`; `rmse`, `mae`, `r2`; `inertia`, `silhouette`). Undefined ones
    /// are left out.
    pub fn scalars(&self) -> Vec<(&'static str, f64)> {
        match self {
            Metrics::Classification(m) => {
                let mut v = vec![
                    ("accuracy", m.accuracy),
                    ("f1_macro", m.f1_macro),
                    ("log_loss", m.log_loss),
                ];
                v.extend(m.roc_auc.map(|a| ("roc_auc", a)));
                v
            }
            Metrics::Regression(m) => vec![("rmse", m.rmse), ("mae", m.mae), ("r2", m.r2)],
            Metrics::Clustering(m) => {
                let mut v = vec![("inertia", m.inertia)];
                v.extend(m.silhouette.map(|s| ("silhouette", s)));
                v
            }
        }
    }
}

/// Scores `model` on rows `x` with truth `y` (class labels for classifiers, numbers for
/// regressors, anything for k-means). `seed` picks the silhouette sample.
pub fn evaluate(model: &TrainedModel, x: &Array2<f64>, y: &Target, seed: u64) -> Result<Metrics> {
    if let Some(len) = y
        .len()
        .filter(|&l| l != x.nrows() && model.task() != Task::Clustering)
    {
        return Err(LearnError::LengthMismatch {
            what: "feature rows vs target values",
            left: x.nrows(),
            right: len,
        });
    }
    match model.task() {
        Task::Classification => {
            let Target::Classes(truth) = y else {
                return Err(LearnError::WrongTarget {
                    model: model.kind(),
                    expected: "class labels",
                    got: y.kind_name(),
                });
            };
            let proba = model.predict_proba(x)?;
            let mut labels: Vec<String> = model.classes().unwrap_or_default().to_vec();
            let known = labels.len();
            let mut unseen: Vec<String> = truth
                .iter()
                .filter(|t| !labels[..known].contains(t))
                .cloned()
                .collect();
            unseen.sort_unstable();
            unseen.dedup();
            labels.extend(unseen);
            let index = |l: &String| labels.iter().position(|c| c == l).unwrap_or(0);
            let t: Vec<usize> = truth.iter().map(index).collect();
            let pred = argmax_rows(&proba);
            let mut wide = Array2::zeros((proba.nrows(), labels.len()));
            for ((i, j), &v) in proba.indexed_iter() {
                wide[[i, j]] = v;
            }
            let roc_auc = if known == 2 && labels.len() == 2 {
                let positive: Vec<bool> = t.iter().map(|&c| c == 1).collect();
                let scores = proba.column(1).to_vec();
                metrics::roc_auc(&positive, &scores).ok()
            } else {
                None
            };
            Ok(Metrics::Classification(ClassificationMetrics {
                rows: t.len(),
                accuracy: metrics::accuracy(&t, &pred)?,
                f1_macro: metrics::macro_f1(&t, &pred, labels.len())?,
                log_loss: metrics::log_loss(&t, &wide.view())?,
                roc_auc,
                confusion: metrics::confusion_matrix(&t, &pred, labels.len())?,
                labels,
            }))
        }
        Task::Regression => {
            let Target::Values(truth) = y else {
                return Err(LearnError::WrongTarget {
                    model: model.kind(),
                    expected: "numbers",
                    got: y.kind_name(),
                });
            };
            if let Some((row, &value)) = truth.iter().enumerate().find(|(_, v)| !v.is_finite()) {
                return Err(LearnError::NonFiniteTarget { row, value });
            }
            let Prediction::Values(p) = model.predict(x)? else {
                return Err(LearnError::Artifact(
                    "a regressor predicted no numbers".into(),
                ));
            };
            let (t, p) = (truth.to_vec(), p.to_vec());
            Ok(Metrics::Regression(RegressionMetrics {
                rows: t.len(),
                rmse: metrics::rmse(&t, &p)?,
                mae: metrics::mae(&t, &p)?,
                r2: metrics::r2(&t, &p)?,
            }))
        }
        Task::Clustering => {
            let Model::KMeans(k) = model.model() else {
                return Err(LearnError::Artifact(
                    "a clustering model that is not k-means".into(),
                ));
            };
            // Validates the shape and values.
            model.predict(x)?;
            let xs = k.space(&x.view());
            let (labels, dist) = k.assign(&xs);
            let mut sizes = vec![0usize; k.k()];
            for &l in &labels {
                sizes[l] += 1;
            }
            Ok(Metrics::Clustering(ClusteringMetrics {
                rows: labels.len(),
                inertia: dist.iter().sum(),
                silhouette: metrics::silhouette(&xs.view(), &labels, SILHOUETTE_MAX_ROWS, seed)?,
                cluster_sizes: sizes,
            }))
        }
    }
}

/// A trained model with its split and its metrics on both parts.
#[derive(Debug, Clone)]
pub struct Evaluated {
    /// The model, trained on the training rows.
    pub model: TrainedModel,
    /// The rows of each part.
    pub split: Split,
    /// Metrics on the training rows.
    pub train_metrics: Metrics,
    /// Metrics on the held-out test rows.
    pub test_metrics: Metrics,
}

/// The in-app flow in one call: a seeded train/test split (stratified for class labels when
/// asked), training on the training rows, metrics on both parts. `progress` receives the
/// fraction done and returns `false` to cancel (pass [`crate::no_progress`] for none).
pub fn train_and_evaluate(
    options: &ModelOptions,
    x: &Array2<f64>,
    y: &Target,
    split: &SplitOptions,
    seed: u64,
    progress: ProgressHook<'_>,
) -> Result<Evaluated> {
    let cancelled = std::sync::atomic::AtomicBool::new(false);
    let ctl = Ctl::new(progress, &cancelled);
    let split = train_test_split(x.nrows(), y, split, seed)?;
    let (x_train, x_test) = (select_rows(x, &split.train)?, select_rows(x, &split.test)?);
    let (y_train, y_test) = (y.select(&split.train)?, y.select(&split.test)?);
    let model = train_ctl(options, &x_train, &y_train, seed, &ctl.part(0.0, 0.9))?;
    ctl.report(0.9)?;
    let train_metrics = evaluate(&model, &x_train, &y_train, seed)?;
    ctl.report(0.95)?;
    let test_metrics = evaluate(&model, &x_test, &y_test, seed)?;
    ctl.report(1.0)?;
    debug_assert_eq!(x_train.len_of(Axis(0)), split.train.len());
    Ok(Evaluated {
        model,
        split,
        train_metrics,
        test_metrics,
    })
}
