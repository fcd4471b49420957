//! Training and applying models: [`train`], the serialisable [`TrainedModel`] and its
//! [`Prediction`]s.

use ndarray::{Array1, Array2, ArrayView2};
use serde::{Deserialize, Serialize};

use crate::ctl::{Ctl, ProgressHook, no_progress};
use crate::data::{Target, check_features, encode_labels};
use crate::error::{LearnError, Result};
use crate::forest::{fit_forest, forest_values, normalise};
use crate::kmeans::{KMeansModel, fit_kmeans};
use crate::linear::{ElasticNetModel, LogisticModel, fit_elastic_net, fit_logistic};
use crate::options::{Criterion, MaxFeatures, ModelOptions};
use crate::tree::{FlatTree, TreeParams, TreeTarget, by_feature, grow};

/// The artifact format this build writes (and the newest it reads).
pub const FORMAT_VERSION: u32 = 1;

/// What a model predicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Task {
    /// Class labels (and class probabilities).
    Classification,
    /// Numbers.
    Regression,
    /// Cluster ids.
    Clustering,
}

/// A fitted tree (classification or regression, per [`TrainedModel::task`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TreeModel {
    /// The tree.
    pub tree: FlatTree,
}

/// A fitted random forest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForestModel {
    /// The trees.
    pub trees: Vec<FlatTree>,
}

/// The fitted parameters of one model kind, tagged by `kind` in JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Model {
    /// Logistic regression.
    LogisticRegression(LogisticModel),
    /// A decision tree.
    DecisionTree(TreeModel),
    /// A random forest.
    RandomForest(ForestModel),
    /// An elastic net.
    ElasticNet(ElasticNetModel),
    /// K-means.
    #[serde(rename = "kmeans")]
    KMeans(KMeansModel),
}

/// What a model says about each row.
#[derive(Debug, Clone, PartialEq)]
pub enum Prediction {
    /// A class label per row (classifiers).
    Classes(Vec<String>),
    /// A number per row (regressors).
    Values(Array1<f64>),
    /// A cluster id (`0..k`) per row (k-means).
    Clusters(Vec<usize>),
}

impl Prediction {
    /// Rows predicted.
    pub fn len(&self) -> usize {
        match self {
            Prediction::Classes(v) => v.len(),
            Prediction::Values(v) => v.len(),
            Prediction::Clusters(v) => v.len(),
        }
    }

    /// True when no row was predicted.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A trained model with everything needed to apply it again: the options and seed it was
/// trained with, feature names (the columns to pick from a data set to score, in order),
/// class labels, feature importances and notes. Serialises to JSON as the artifact the app
/// stores (`format_version`, trees as flat arrays); reading it back checks its structure,
/// so a damaged artifact is an error rather than a crash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "Unchecked")]
pub struct TrainedModel {
    format_version: u32,
    task: Task,
    options: ModelOptions,
    seed: u64,
    feature_names: Vec<String>,
    classes: Option<Vec<String>>,
    n_train_rows: usize,
    feature_importances: Option<Vec<f64>>,
    notes: Vec<String>,
    model: Model,
}

/// [`TrainedModel`] as read, before its structure is checked.
#[derive(Deserialize)]
struct Unchecked {
    format_version: u32,
    task: Task,
    options: ModelOptions,
    seed: u64,
    feature_names: Vec<String>,
    classes: Option<Vec<String>>,
    n_train_rows: usize,
    feature_importances: Option<Vec<f64>>,
    #[serde(default)]
    notes: Vec<String>,
    model: Model,
}

impl TryFrom<Unchecked> for TrainedModel {
    type Error = LearnError;

    fn try_from(u: Unchecked) -> Result<Self> {
        let m = TrainedModel {
            format_version: u.format_version,
            task: u.task,
            options: u.options,
            seed: u.seed,
            feature_names: u.feature_names,
            classes: u.classes,
            n_train_rows: u.n_train_rows,
            feature_importances: u.feature_importances,
            notes: u.notes,
            model: u.model,
        };
        m.check()?;
        Ok(m)
    }
}

impl TrainedModel {
    /// The model kind (`logistic_regression`, `decision_tree`, ...).
    pub fn kind(&self) -> &'static str {
        self.options.kind()
    }

    /// What the model predicts.
    pub fn task(&self) -> Task {
        self.task
    }

    /// The options it was trained with.
    pub fn options(&self) -> &ModelOptions {
        &self.options
    }

    /// The seed it was trained with.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The artifact format version.
    pub fn format_version(&self) -> u32 {
        self.format_version
    }

    /// The feature names, in the column order [`TrainedModel::predict`] expects
    /// (`x0`, `x1`, ... unless set with [`TrainedModel::with_feature_names`]).
    pub fn feature_names(&self) -> &[String] {
        &self.feature_names
    }

    /// Features the model expects.
    pub fn n_features(&self) -> usize {
        self.feature_names.len()
    }

    /// The class labels (sorted; the columns of [`TrainedModel::predict_proba`]), for
    /// classifiers.
    pub fn classes(&self) -> Option<&[String]> {
        self.classes.as_deref()
    }

    /// Training rows.
    pub fn n_train_rows(&self) -> usize {
        self.n_train_rows
    }

    /// Per-feature importances, where defined: trees and forests the normalised total
    /// impurity decrease (summing to 1, as scikit-learn's `feature_importances_`); linear
    /// models |coefficient| on the standardised scale (mean over classes for multinomial
    /// logistic regression). `None` for k-means.
    pub fn feature_importances(&self) -> Option<&[f64]> {
        self.feature_importances.as_deref()
    }

    /// Remarks from training worth showing (e.g. the optimiser stopped before converging).
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// The fitted parameters.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Names the features (one per column, in order).
    pub fn with_feature_names(mut self, names: Vec<String>) -> Result<Self> {
        if names.len() != self.feature_names.len() {
            return Err(LearnError::LengthMismatch {
                what: "feature names vs model features",
                left: names.len(),
                right: self.feature_names.len(),
            });
        }
        self.feature_names = names;
        Ok(self)
    }

    /// Predicts each row of `x` (rows x the model's features, finite values): class labels,
    /// numbers or cluster ids.
    pub fn predict(&self, x: &Array2<f64>) -> Result<Prediction> {
        let xv = self.check_input(x)?;
        Ok(match self.task {
            Task::Classification => {
                let p = self.proba_unchecked(&xv);
                let classes = self.classes.as_deref().unwrap_or_default();
                Prediction::Classes(
                    argmax_rows(&p)
                        .into_iter()
                        .map(|c| classes.get(c).cloned().unwrap_or_default())
                        .collect(),
                )
            }
            Task::Regression => Prediction::Values(match &self.model {
                Model::ElasticNet(m) => m.predict(&xv),
                Model::DecisionTree(t) => forest_values(std::slice::from_ref(&t.tree), &xv, 1)
                    .column(0)
                    .to_owned(),
                Model::RandomForest(f) => forest_values(&f.trees, &xv, 1).column(0).to_owned(),
                _ => Array1::zeros(xv.nrows()),
            }),
            Task::Clustering => match &self.model {
                Model::KMeans(k) => Prediction::Clusters(k.assign(&k.space(&xv)).0),
                _ => Prediction::Clusters(vec![0; xv.nrows()]),
            },
        })
    }

    /// Class probabilities (rows x classes, columns in [`TrainedModel::classes`] order), for
    /// classifiers.
    pub fn predict_proba(&self, x: &Array2<f64>) -> Result<Array2<f64>> {
        if self.task != Task::Classification {
            return Err(LearnError::NotAClassifier { model: self.kind() });
        }
        let xv = self.check_input(x)?;
        Ok(self.proba_unchecked(&xv))
    }

    /// The artifact as compact JSON.
    pub fn to_json(&self) -> Result<String> {
        Ok(serde_json::to_string(self)?)
    }

    /// Reads an artifact written by [`TrainedModel::to_json`] (this or an older format
    /// version), checking its structure.
    pub fn from_json(json: &str) -> Result<Self> {
        let value: serde_json::Value = serde_json::from_str(json)?;
        let version = value.get("format_version").and_then(|v| v.as_u64());
        match version {
            None => {
                return Err(LearnError::Artifact(
                    "no `format_version`: not an Assay model artifact".into(),
                ));
            }
            Some(v) if v > u64::from(FORMAT_VERSION) => {
                return Err(LearnError::UnsupportedVersion {
                    found: u32::try_from(v).unwrap_or(u32::MAX),
                    supported: FORMAT_VERSION,
                });
            }
            Some(_) => {}
        }
        Ok(serde_json::from_value(value)?)
    }

    fn check_input<'a>(&self, x: &'a Array2<f64>) -> Result<ArrayView2<'a, f64>> {
        if x.ncols() != self.n_features() {
            return Err(LearnError::FeatureCount {
                expected: self.n_features(),
                got: x.ncols(),
            });
        }
        let xv = x.view();
        check_features(&xv, Some(&self.feature_names))?;
        Ok(xv)
    }

    fn proba_unchecked(&self, x: &ArrayView2<'_, f64>) -> Array2<f64> {
        let k = self.classes.as_ref().map_or(0, Vec::len);
        match &self.model {
            Model::LogisticRegression(m) => m.predict_proba(x),
            Model::DecisionTree(t) => forest_values(std::slice::from_ref(&t.tree), x, k),
            Model::RandomForest(f) => forest_values(&f.trees, x, k),
            _ => Array2::zeros((x.nrows(), k)),
        }
    }

    /// Structural checks, so that applying the model cannot panic.
    fn check(&self) -> Result<()> {
        if self.format_version > FORMAT_VERSION {
            return Err(LearnError::UnsupportedVersion {
                found: self.format_version,
                supported: FORMAT_VERSION,
            });
        }
        let d = self.feature_names.len();
        if d == 0 {
            return Err(LearnError::Artifact("no features".into()));
        }
        let n_classes = self.classes.as_ref().map_or(0, Vec::len);
        let bad = |m: &str| Err(LearnError::Artifact(m.to_string()));
        match (self.task, n_classes) {
            (Task::Classification, k) if k < 2 => {
                return bad("a classifier needs at least two classes");
            }
            (Task::Regression | Task::Clustering, k) if k > 0 => {
                return bad("only classifiers have class labels");
            }
            _ => {}
        }
        if self
            .feature_importances
            .as_ref()
            .is_some_and(|imp| imp.len() != d)
        {
            return bad("feature importances do not match the features");
        }
        let outputs = if self.task == Task::Classification {
            n_classes
        } else {
            1
        };
        match (&self.model, self.task) {
            (Model::LogisticRegression(m), Task::Classification) => m.check(d, n_classes),
            (Model::ElasticNet(m), Task::Regression) => m.check(d),
            (Model::DecisionTree(t), Task::Classification | Task::Regression) => {
                t.tree.check(d, outputs)
            }
            (Model::RandomForest(f), Task::Classification | Task::Regression) => {
                if f.trees.is_empty() {
                    return bad("a forest without trees");
                }
                f.trees.iter().try_for_each(|t| t.check(d, outputs))
            }
            (Model::KMeans(m), Task::Clustering) => m.check(d),
            _ => bad("the model does not fit the task"),
        }
    }
}

/// Index of the largest value per row (ties: the lowest index).
pub(crate) fn argmax_rows(p: &Array2<f64>) -> Vec<usize> {
    p.rows()
        .into_iter()
        .map(|row| {
            let mut best = 0;
            for (j, &v) in row.iter().enumerate() {
                if v > row[best] {
                    best = j;
                }
            }
            best
        })
        .collect()
}

/// Trains the model `options` describes on features `x` (rows x features, finite values)
/// and target `y` (class labels for logistic regression, numbers for the elastic net,
/// either for trees and forests, ignored by k-means). `seed` drives every random choice
/// (forest bootstraps and feature draws, k-means starts): the same inputs and seed give the
/// same model, whatever the number of threads.
pub fn train(
    options: &ModelOptions,
    x: &Array2<f64>,
    y: &Target,
    seed: u64,
) -> Result<TrainedModel> {
    let cancelled = std::sync::atomic::AtomicBool::new(false);
    train_ctl(options, x, y, seed, &Ctl::new(&no_progress, &cancelled))
}

/// [`train`] with a progress hook: it receives the fraction done (optimiser iterations,
/// trees, k-means starts) and returns `false` to cancel ([`LearnError::Cancelled`]).
pub fn train_with_progress(
    options: &ModelOptions,
    x: &Array2<f64>,
    y: &Target,
    seed: u64,
    progress: ProgressHook<'_>,
) -> Result<TrainedModel> {
    let cancelled = std::sync::atomic::AtomicBool::new(false);
    let ctl = Ctl::new(progress, &cancelled);
    let model = train_ctl(options, x, y, seed, &ctl)?;
    ctl.report(1.0)?;
    Ok(model)
}

pub(crate) fn train_ctl(
    options: &ModelOptions,
    x: &Array2<f64>,
    y: &Target,
    seed: u64,
    ctl: &Ctl<'_>,
) -> Result<TrainedModel> {
    options.validate()?;
    let xv = x.view();
    check_features(&xv, None)?;
    let (n, d) = xv.dim();
    let checked_len = y
        .len()
        .filter(|_| !matches!(options, ModelOptions::KMeans(_)));
    if let Some(len) = checked_len.filter(|&len| len != n) {
        return Err(LearnError::LengthMismatch {
            what: "feature rows vs target values",
            left: n,
            right: len,
        });
    }
    let mut notes = Vec::new();
    let (task, classes, model, importances) = match options {
        ModelOptions::LogisticRegression(o) => {
            let (classes, idx) = classes_of(options, y)?;
            let m = fit_logistic(&xv, &idx, classes.len(), o, ctl)?;
            if !m.converged {
                notes.push(format!(
                    "logistic regression stopped after {} iterations before reaching tol = {}; raise max_iter or lower c",
                    m.n_iter, o.tol
                ));
            }
            let imp = m.importances();
            (
                Task::Classification,
                Some(classes),
                Model::LogisticRegression(m),
                Some(imp),
            )
        }
        ModelOptions::ElasticNet(o) => {
            let values = values_of(options, y)?;
            let m = fit_elastic_net(&xv, values, o, ctl)?;
            if !m.converged {
                notes.push(format!(
                    "the elastic net stopped after {} passes before reaching tol = {}; raise max_iter",
                    m.n_iter, o.tol
                ));
            }
            let imp = m.importances();
            (Task::Regression, None, Model::ElasticNet(m), Some(imp))
        }
        ModelOptions::DecisionTree(o) => {
            let cols = by_feature(&xv);
            let (params, task, classes, idx, values) = tree_setup(
                options,
                y,
                o.criterion,
                None,
                o.max_depth,
                o.min_samples_split,
                o.min_samples_leaf,
                d,
            )?;
            let target = match (&idx, &values) {
                (Some(idx), _) => TreeTarget::Classes(idx, classes.as_ref().map_or(0, Vec::len)),
                (None, Some(v)) => TreeTarget::Values(v),
                (None, None) => return Err(wrong_target(options, "class labels or numbers", y)),
            };
            let g = grow(
                &cols.view(),
                target,
                (0..n).collect(),
                &params,
                &mut crate::data::rng(seed, 0),
                ctl,
            )?;
            let imp = normalise(g.importances);
            (
                task,
                classes,
                Model::DecisionTree(TreeModel { tree: g.tree }),
                Some(imp),
            )
        }
        ModelOptions::RandomForest(o) => {
            let (params, task, classes, idx, values) = tree_setup(
                options,
                y,
                o.criterion,
                Some(o.max_features),
                o.max_depth,
                o.min_samples_split,
                o.min_samples_leaf,
                d,
            )?;
            let target = match (&idx, &values) {
                (Some(idx), _) => TreeTarget::Classes(idx, classes.as_ref().map_or(0, Vec::len)),
                (None, Some(v)) => TreeTarget::Values(v),
                (None, None) => return Err(wrong_target(options, "class labels or numbers", y)),
            };
            let (trees, imp) = fit_forest(&xv, target, &params, o.n_trees, o.bootstrap, seed, ctl)?;
            (
                task,
                classes,
                Model::RandomForest(ForestModel { trees }),
                Some(imp),
            )
        }
        ModelOptions::KMeans(o) => {
            if o.k > n {
                return Err(LearnError::TooFewRows {
                    what: format!("k-means with k = {}", o.k),
                    min: o.k,
                    rows: n,
                });
            }
            let m = fit_kmeans(&xv, o, seed, ctl)?;
            (Task::Clustering, None, Model::KMeans(m), None)
        }
    };
    let model = TrainedModel {
        format_version: FORMAT_VERSION,
        task,
        options: options.clone(),
        seed,
        feature_names: (0..d).map(|j| format!("x{j}")).collect(),
        classes,
        n_train_rows: n,
        feature_importances: importances,
        notes,
        model,
    };
    model.check()?;
    Ok(model)
}

fn wrong_target(options: &ModelOptions, expected: &'static str, y: &Target) -> LearnError {
    LearnError::WrongTarget {
        model: options.kind(),
        expected,
        got: y.kind_name(),
    }
}

/// Sorted classes and each row's class index; at least two classes.
fn classes_of(options: &ModelOptions, y: &Target) -> Result<(Vec<String>, Vec<usize>)> {
    let Target::Classes(labels) = y else {
        return Err(wrong_target(options, "class labels", y));
    };
    let (classes, idx) = encode_labels(labels);
    if classes.len() < 2 {
        return Err(LearnError::OneClass {
            class: classes.first().cloned().unwrap_or_default(),
        });
    }
    Ok((classes, idx))
}

/// Finite numbers.
fn values_of<'a>(options: &ModelOptions, y: &'a Target) -> Result<&'a Array1<f64>> {
    let Target::Values(v) = y else {
        return Err(wrong_target(options, "numbers", y));
    };
    if let Some((row, &value)) = v.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(LearnError::NonFiniteTarget { row, value });
    }
    Ok(v)
}

type TreeSetup = (
    TreeParams,
    Task,
    Option<Vec<String>>,
    Option<Vec<usize>>,
    Option<Vec<f64>>,
);

/// Resolves a tree's criterion and max_features for the target, and encodes the target.
#[allow(clippy::too_many_arguments)]
fn tree_setup(
    options: &ModelOptions,
    y: &Target,
    criterion: Option<Criterion>,
    max_features: Option<Option<MaxFeatures>>,
    max_depth: Option<usize>,
    min_samples_split: usize,
    min_samples_leaf: usize,
    d: usize,
) -> Result<TreeSetup> {
    let classify = match y {
        Target::Classes(_) => true,
        Target::Values(_) => false,
        Target::None => return Err(wrong_target(options, "class labels or numbers", y)),
    };
    let criterion = match (criterion, classify) {
        (None, true) => Criterion::Gini,
        (None, false) => Criterion::SquaredError,
        (Some(Criterion::SquaredError), true) => {
            return Err(LearnError::InvalidOption {
                field: "criterion",
                message: "`squared_error` is for numeric targets; use `gini` or `entropy` for class labels".into(),
            });
        }
        (Some(c @ (Criterion::Gini | Criterion::Entropy)), false) => {
            return Err(LearnError::InvalidOption {
                field: "criterion",
                message: format!(
                    "`{}` is for class labels; numeric targets use `squared_error`",
                    if c == Criterion::Gini {
                        "gini"
                    } else {
                        "entropy"
                    }
                ),
            });
        }
        (Some(c), _) => c,
    };
    let max_features = match max_features {
        None => d,
        Some(Some(m)) => m.resolve(d),
        Some(None) if classify => MaxFeatures::Sqrt.resolve(d),
        Some(None) => d,
    };
    let params = TreeParams {
        criterion,
        max_depth,
        min_samples_split,
        min_samples_leaf,
        max_features,
    };
    if classify {
        let (classes, idx) = classes_of(options, y)?;
        Ok((params, Task::Classification, Some(classes), Some(idx), None))
    } else {
        let v = values_of(options, y)?;
        Ok((params, Task::Regression, None, None, Some(v.to_vec())))
    }
}
