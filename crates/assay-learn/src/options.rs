//! Which model to train and its settings. JSON shape: `{"kind": "random_forest", "n_trees": 200}`;
//! every omitted field takes its default, which follows scikit-learn unless noted.

use serde::{Deserialize, Serialize};

use crate::error::{LearnError, Result};

/// A model and its settings, tagged by `kind` in JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ModelOptions {
    /// Multinomial logistic regression (classification).
    LogisticRegression(LogisticRegressionOptions),
    /// One CART tree (classification or regression, from the target).
    DecisionTree(DecisionTreeOptions),
    /// A random forest of CART trees (classification or regression, from the target).
    RandomForest(RandomForestOptions),
    /// Linear regression with L1 and L2 penalties.
    ElasticNet(ElasticNetOptions),
    /// K-means clustering (no target).
    #[serde(rename = "kmeans")]
    KMeans(KMeansOptions),
}

impl ModelOptions {
    /// The stable snake_case name (the JSON `kind`).
    pub fn kind(&self) -> &'static str {
        match self {
            ModelOptions::LogisticRegression(_) => "logistic_regression",
            ModelOptions::DecisionTree(_) => "decision_tree",
            ModelOptions::RandomForest(_) => "random_forest",
            ModelOptions::ElasticNet(_) => "elastic_net",
            ModelOptions::KMeans(_) => "kmeans",
        }
    }

    /// The options as flat `name = value` strings, for logging a run's parameters
    /// (`kind` first, then each field; unset optional fields are omitted).
    pub fn params(&self) -> Vec<(String, String)> {
        let mut out = vec![("kind".to_string(), self.kind().to_string())];
        if let Ok(serde_json::Value::Object(map)) = serde_json::to_value(self) {
            for (k, v) in map {
                if k == "kind" || v.is_null() {
                    continue;
                }
                let text = match v {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                };
                out.push((k, text));
            }
        }
        out
    }

    /// Checks every field's range.
    pub fn validate(&self) -> Result<()> {
        match self {
            ModelOptions::LogisticRegression(o) => {
                positive("c", o.c)?;
                at_least("max_iter", o.max_iter, 1)?;
                non_negative("tol", o.tol)
            }
            ModelOptions::DecisionTree(o) => o.tree().validate(),
            ModelOptions::RandomForest(o) => {
                at_least("n_trees", o.n_trees, 1)?;
                if let Some(m) = o.max_features {
                    m.validate()?;
                }
                o.tree().validate()
            }
            ModelOptions::ElasticNet(o) => {
                non_negative("alpha", o.alpha)?;
                if !(0.0..=1.0).contains(&o.l1_ratio) {
                    return Err(invalid("l1_ratio", "must be between 0 and 1"));
                }
                at_least("max_iter", o.max_iter, 1)?;
                non_negative("tol", o.tol)
            }
            ModelOptions::KMeans(o) => {
                at_least("k", o.k, 1)?;
                at_least("max_iter", o.max_iter, 1)?;
                at_least("n_init", o.n_init, 1)?;
                non_negative("tol", o.tol)
            }
        }
    }
}

/// Multinomial (softmax) logistic regression with an L2 penalty, fitted by L-BFGS on
/// standardised features (the scaler is part of the model). With two classes it is the
/// usual binomial model (one coefficient vector), as in scikit-learn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogisticRegressionOptions {
    /// Inverse regularisation strength (scikit-learn's `C`): the penalty is
    /// `||W||² / (2 C)` beside the summed log loss. Default 1.
    pub c: f64,
    /// Most L-BFGS iterations. Default 1000 (scikit-learn: 100, which often stops early).
    pub max_iter: usize,
    /// Stop when the largest gradient entry of the mean objective is at most this.
    /// Default 1e-6 (scikit-learn: 1e-4); well converged and still fast.
    pub tol: f64,
}

impl Default for LogisticRegressionOptions {
    fn default() -> Self {
        LogisticRegressionOptions {
            c: 1.0,
            max_iter: 1000,
            tol: 1e-6,
        }
    }
}

/// How a tree measures node impurity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    /// Gini impurity (classification; the default there).
    Gini,
    /// Shannon entropy in bits (classification).
    Entropy,
    /// Mean squared error (regression; the only and default choice there).
    SquaredError,
}

/// How many features a forest's tree considers at each split.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MaxFeatures {
    /// `max(1, floor(sqrt(features)))`, as scikit-learn.
    Sqrt,
    /// `max(1, floor(log2(features)))`.
    Log2,
    /// Every feature.
    All,
    /// A fixed number (capped at the number of features).
    Count(usize),
    /// A fraction of the features, `max(1, floor(fraction * features))`.
    Fraction(f64),
}

impl MaxFeatures {
    /// Features to consider out of `d`.
    pub fn resolve(self, d: usize) -> usize {
        let n = match self {
            MaxFeatures::Sqrt => (d as f64).sqrt().floor() as usize,
            MaxFeatures::Log2 => (d as f64).log2().floor() as usize,
            MaxFeatures::All => d,
            MaxFeatures::Count(c) => c,
            MaxFeatures::Fraction(f) => (f * d as f64).floor() as usize,
        };
        n.clamp(1, d.max(1))
    }

    fn validate(self) -> Result<()> {
        match self {
            MaxFeatures::Count(0) => Err(invalid("max_features", "count must be at least 1")),
            MaxFeatures::Fraction(f) if !(f > 0.0 && f <= 1.0) => Err(invalid(
                "max_features",
                "fraction must be above 0 and at most 1",
            )),
            _ => Ok(()),
        }
    }
}

/// One CART tree: binary splits `x[feature] <= threshold` chosen by the largest impurity
/// decrease, thresholds halfway between neighbouring distinct values (as scikit-learn).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DecisionTreeOptions {
    /// Impurity measure. Default: `gini` for class labels, `squared_error` for numbers.
    pub criterion: Option<Criterion>,
    /// Deepest level (the root is depth 0). Default: unlimited.
    pub max_depth: Option<usize>,
    /// Fewest rows a node needs to be split. Default 2.
    pub min_samples_split: usize,
    /// Fewest rows in each child of a split. Default 1.
    pub min_samples_leaf: usize,
}

impl Default for DecisionTreeOptions {
    fn default() -> Self {
        DecisionTreeOptions {
            criterion: None,
            max_depth: None,
            min_samples_split: 2,
            min_samples_leaf: 1,
        }
    }
}

impl DecisionTreeOptions {
    fn tree(&self) -> TreeShape {
        TreeShape {
            max_depth: self.max_depth,
            min_samples_split: self.min_samples_split,
            min_samples_leaf: self.min_samples_leaf,
        }
    }
}

/// A random forest: `n_trees` CART trees, each on a bootstrap sample, each split choosing
/// among a random subset of features; classes by averaged probabilities, numbers by the mean.
/// Trees are built in parallel; the result depends only on the seed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RandomForestOptions {
    /// Trees. Default 100.
    pub n_trees: usize,
    /// Impurity measure. Default: `gini` for class labels, `squared_error` for numbers.
    pub criterion: Option<Criterion>,
    /// Deepest level of each tree. Default: unlimited.
    pub max_depth: Option<usize>,
    /// Fewest rows a node needs to be split. Default 2.
    pub min_samples_split: usize,
    /// Fewest rows in each child of a split. Default 1.
    pub min_samples_leaf: usize,
    /// Features considered per split. Default: `sqrt` for class labels, `all` for numbers
    /// (as scikit-learn's classifier and regressor).
    pub max_features: Option<MaxFeatures>,
    /// Train each tree on a bootstrap sample (else on every row). Default true.
    pub bootstrap: bool,
}

impl Default for RandomForestOptions {
    fn default() -> Self {
        RandomForestOptions {
            n_trees: 100,
            criterion: None,
            max_depth: None,
            min_samples_split: 2,
            min_samples_leaf: 1,
            max_features: None,
            bootstrap: true,
        }
    }
}

impl RandomForestOptions {
    fn tree(&self) -> TreeShape {
        TreeShape {
            max_depth: self.max_depth,
            min_samples_split: self.min_samples_split,
            min_samples_leaf: self.min_samples_leaf,
        }
    }
}

/// Elastic net: least squares with the penalty
/// `alpha * l1_ratio * |w|₁ + alpha * (1 - l1_ratio) / 2 * |w|²` beside `|y - Xw - b|² / (2 n)`
/// (scikit-learn's objective), fitted by cyclic coordinate descent on standardised features
/// (the scaler is part of the model; the penalty therefore treats every feature alike).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ElasticNetOptions {
    /// Penalty strength. Default 1.
    pub alpha: f64,
    /// Share of the L1 penalty, 0 (ridge) to 1 (lasso). Default 0.5.
    pub l1_ratio: f64,
    /// Most passes over the features. Default 1000.
    pub max_iter: usize,
    /// Stop when the duality gap is at most `tol * |y - mean(y)|²`. Default 1e-4.
    pub tol: f64,
}

impl Default for ElasticNetOptions {
    fn default() -> Self {
        ElasticNetOptions {
            alpha: 1.0,
            l1_ratio: 0.5,
            max_iter: 1000,
            tol: 1e-4,
        }
    }
}

/// K-means (Lloyd's algorithm) from greedy k-means++ starts; the best of `n_init` starts by
/// inertia is kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KMeansOptions {
    /// Clusters. Default 8.
    pub k: usize,
    /// Most Lloyd iterations per start. Default 300.
    pub max_iter: usize,
    /// Stop when the centres move less than `tol` times the mean feature variance (summed
    /// squared shifts). Default 1e-4.
    pub tol: f64,
    /// Starts (best kept). Default 10 (scikit-learn's `"auto"` means 1 for k-means++; 10 is
    /// its former default and cheap here).
    pub n_init: usize,
    /// Standardise features inside the model first. Default true (scikit-learn has no such
    /// option; without it a feature in grams outweighs one in millimetres).
    pub standardize: bool,
}

impl Default for KMeansOptions {
    fn default() -> Self {
        KMeansOptions {
            k: 8,
            max_iter: 300,
            tol: 1e-4,
            n_init: 10,
            standardize: true,
        }
    }
}

/// The size limits shared by trees and forests.
pub(crate) struct TreeShape {
    pub max_depth: Option<usize>,
    pub min_samples_split: usize,
    pub min_samples_leaf: usize,
}

impl TreeShape {
    fn validate(&self) -> Result<()> {
        if let Some(d) = self.max_depth {
            at_least("max_depth", d, 1)?;
        }
        at_least("min_samples_split", self.min_samples_split, 2)?;
        at_least("min_samples_leaf", self.min_samples_leaf, 1)
    }
}

fn invalid(field: &'static str, message: &str) -> LearnError {
    LearnError::InvalidOption {
        field,
        message: message.to_string(),
    }
}

fn positive(field: &'static str, v: f64) -> Result<()> {
    if v.is_finite() && v > 0.0 {
        Ok(())
    } else {
        Err(invalid(
            field,
            &format!("must be a positive number, got {v}"),
        ))
    }
}

fn non_negative(field: &'static str, v: f64) -> Result<()> {
    if v.is_finite() && v >= 0.0 {
        Ok(())
    } else {
        Err(invalid(field, &format!("must be zero or more, got {v}")))
    }
}

fn at_least(field: &'static str, v: usize, min: usize) -> Result<()> {
    if v >= min {
        Ok(())
    } else {
        Err(invalid(field, &format!("must be at least {min}, got {v}")))
    }
}
