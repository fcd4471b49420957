//! CART trees: the builder (exact splits on sorted values, Gini / entropy / squared error)
//! and the flat, serialisable tree it produces.

use ndarray::{Array2, ArrayView1, ArrayView2};
use rand::RngExt;
use rand_pcg::Pcg64Mcg;
use serde::{Deserialize, Serialize};

use crate::ctl::Ctl;
use crate::error::{LearnError, Result};
use crate::options::Criterion;

/// A fitted tree as flat arrays. Internal node `i` sends a row left when
/// `x[feature[i]] <= threshold[i]`; a child reference `c >= 0` is internal node `c`, `c < 0`
/// is leaf `-c - 1`. The root is internal node 0, or leaf 0 when there is no internal node.
/// Leaf `l` predicts `values[l * outputs .. (l + 1) * outputs]`: class probabilities, or
/// the mean of the target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlatTree {
    /// Values per leaf: the number of classes, or 1 for regression.
    pub outputs: usize,
    /// Split feature per internal node.
    pub feature: Vec<u32>,
    /// Split threshold per internal node.
    pub threshold: Vec<f64>,
    /// Left child per internal node.
    pub left: Vec<i32>,
    /// Right child per internal node.
    pub right: Vec<i32>,
    /// Leaf values, `outputs` per leaf.
    pub values: Vec<f64>,
}

impl FlatTree {
    /// Leaves in the tree.
    pub fn n_leaves(&self) -> usize {
        self.values.len() / self.outputs.max(1)
    }

    /// Internal (split) nodes in the tree.
    pub fn n_splits(&self) -> usize {
        self.feature.len()
    }

    /// The depth (0 for a single leaf).
    pub fn depth(&self) -> usize {
        if self.feature.is_empty() {
            return 0;
        }
        // Children always have larger indices than their parent, so one forward pass works.
        let mut depth = vec![0usize; self.feature.len()];
        let mut max = 0;
        for i in 0..self.feature.len() {
            for c in [self.left[i], self.right[i]] {
                let dc = depth[i] + 1;
                max = max.max(dc);
                if c >= 0 {
                    depth[c as usize] = dc;
                }
            }
        }
        max
    }

    /// The leaf values for one row.
    pub(crate) fn leaf(&self, row: ArrayView1<'_, f64>) -> &[f64] {
        let mut node: i32 = if self.feature.is_empty() { -1 } else { 0 };
        while node >= 0 {
            let i = node as usize;
            node = if row[self.feature[i] as usize] <= self.threshold[i] {
                self.left[i]
            } else {
                self.right[i]
            };
        }
        let l = (-node - 1) as usize;
        &self.values[l * self.outputs..(l + 1) * self.outputs]
    }

    /// Checks the structure so that prediction cannot index out of range or loop.
    pub(crate) fn check(&self, n_features: usize, outputs: usize) -> Result<()> {
        let bad = |m: &str| Err(LearnError::Artifact(format!("tree: {m}")));
        if self.outputs != outputs || outputs == 0 {
            return bad("wrong number of outputs");
        }
        let k = self.feature.len();
        if self.threshold.len() != k || self.left.len() != k || self.right.len() != k {
            return bad("node arrays differ in length");
        }
        if self.values.is_empty() || !self.values.len().is_multiple_of(outputs) {
            return bad("leaf values do not fill whole leaves");
        }
        if self
            .values
            .iter()
            .chain(&self.threshold)
            .any(|v| !v.is_finite())
        {
            return bad("non-finite threshold or leaf value");
        }
        let leaves = (self.values.len() / outputs) as i64;
        for i in 0..k {
            if self.feature[i] as usize >= n_features {
                return bad("split on a feature out of range");
            }
            for c in [self.left[i], self.right[i]] {
                let c = i64::from(c);
                if (c >= 0 && (c <= i as i64 || c >= k as i64)) || (c < 0 && -c > leaves) {
                    return bad("child reference out of range");
                }
            }
        }
        Ok(())
    }
}

/// The target a tree is grown on.
#[derive(Clone, Copy)]
pub(crate) enum TreeTarget<'a> {
    /// Class indices and the number of classes.
    Classes(&'a [usize], usize),
    /// Numbers.
    Values(&'a [f64]),
}

/// Settings resolved for one tree.
#[derive(Clone, Copy)]
pub(crate) struct TreeParams {
    pub criterion: Criterion,
    pub max_depth: Option<usize>,
    pub min_samples_split: usize,
    pub min_samples_leaf: usize,
    /// Features tried per split (all of them for a single tree).
    pub max_features: usize,
}

/// A fitted tree and its (unnormalised) impurity decrease per feature.
pub(crate) struct Grown {
    pub tree: FlatTree,
    pub importances: Vec<f64>,
}

/// Grows a tree on the rows `rows` (repeats allowed, as in a bootstrap sample) of
/// `cols` (features x rows, so a feature's values are contiguous).
pub(crate) fn grow(
    cols: &ArrayView2<'_, f64>,
    target: TreeTarget<'_>,
    mut rows: Vec<usize>,
    params: &TreeParams,
    rng: &mut Pcg64Mcg,
    ctl: &Ctl<'_>,
) -> Result<Grown> {
    let d = cols.nrows();
    let outputs = match target {
        TreeTarget::Classes(_, k) => k,
        TreeTarget::Values(_) => 1,
    };
    let mut tree = FlatTree {
        outputs,
        feature: Vec::new(),
        threshold: Vec::new(),
        left: Vec::new(),
        right: Vec::new(),
        values: Vec::new(),
    };
    let mut importances = vec![0.0; d];
    let mut scratch = Scratch::new(outputs, rows.len());
    // (start, end, depth, parent internal node and side) of nodes still to build.
    let mut stack: Vec<Pending> = vec![(0, rows.len(), 0, None)];
    let mut features: Vec<usize> = (0..d).collect();
    while let Some((start, end, depth, parent)) = stack.pop() {
        if tree.feature.len() % 64 == 63 {
            ctl.check()?;
        }
        let node_rows = &mut rows[start..end];
        let stats = NodeStats::of(target, node_rows);
        let n = node_rows.len();
        let can_split = params.max_depth.is_none_or(|m| depth < m)
            && n >= params.min_samples_split
            && n >= 2 * params.min_samples_leaf
            && stats.impurity(params.criterion) > 1e-12;
        let split = if can_split {
            best_split(
                cols,
                target,
                node_rows,
                params,
                &stats,
                &mut features,
                rng,
                &mut scratch,
            )
        } else {
            None
        };
        let reference = match split {
            None => {
                let leaf = tree.values.len() / outputs;
                stats.write_value(&mut tree.values);
                -(leaf as i32) - 1
            }
            Some(s) => {
                // Partition the node's rows: left side first.
                let f = s.feature;
                let mut mid = 0;
                for i in 0..n {
                    if cols[[f, node_rows[i]]] <= s.threshold {
                        node_rows.swap(i, mid);
                        mid += 1;
                    }
                }
                let left_stats = NodeStats::of(target, &node_rows[..mid]);
                let right_stats = NodeStats::of(target, &node_rows[mid..]);
                let c = params.criterion;
                importances[f] += n as f64 * stats.impurity(c)
                    - mid as f64 * left_stats.impurity(c)
                    - (n - mid) as f64 * right_stats.impurity(c);
                let id = tree.feature.len();
                tree.feature.push(f as u32);
                tree.threshold.push(s.threshold);
                tree.left.push(0);
                tree.right.push(0);
                // Right pushed first so the left subtree is built (and numbered) first.
                stack.push((start + mid, end, depth + 1, Some((id, false))));
                stack.push((start, start + mid, depth + 1, Some((id, true))));
                id as i32
            }
        };
        if let Some((p, is_left)) = parent {
            if is_left {
                tree.left[p] = reference;
            } else {
                tree.right[p] = reference;
            }
        }
    }
    Ok(Grown { tree, importances })
}

/// A node still to build: its rows `start..end`, its depth, and its parent (internal node,
/// and whether this is the left child).
type Pending = (usize, usize, usize, Option<(usize, bool)>);

struct Split {
    feature: usize,
    threshold: f64,
}

/// Reusable buffers for the split search.
struct Scratch {
    order: Vec<(f64, usize)>,
    left: Vec<f64>,
    right: Vec<f64>,
}

impl Scratch {
    fn new(outputs: usize, rows: usize) -> Scratch {
        Scratch {
            order: Vec::with_capacity(rows),
            left: vec![0.0; outputs],
            right: vec![0.0; outputs],
        }
    }
}

/// Class counts or sums of a node.
struct NodeStats {
    n: f64,
    counts: Vec<f64>,
    sum: f64,
    sum_sq: f64,
}

impl NodeStats {
    fn of(target: TreeTarget<'_>, rows: &[usize]) -> NodeStats {
        let mut s = NodeStats {
            n: rows.len() as f64,
            counts: Vec::new(),
            sum: 0.0,
            sum_sq: 0.0,
        };
        match target {
            TreeTarget::Classes(y, k) => {
                s.counts = vec![0.0; k];
                for &r in rows {
                    s.counts[y[r]] += 1.0;
                }
            }
            TreeTarget::Values(y) => {
                for &r in rows {
                    s.sum += y[r];
                    s.sum_sq += y[r] * y[r];
                }
            }
        }
        s
    }

    fn impurity(&self, c: Criterion) -> f64 {
        if self.n <= 0.0 {
            return 0.0;
        }
        match c {
            Criterion::Gini => {
                1.0 - self
                    .counts
                    .iter()
                    .map(|v| (v / self.n).powi(2))
                    .sum::<f64>()
            }
            Criterion::Entropy => -self
                .counts
                .iter()
                .filter(|&&v| v > 0.0)
                .map(|v| {
                    let p = v / self.n;
                    p * p.log2()
                })
                .sum::<f64>(),
            Criterion::SquaredError => {
                let m = self.sum / self.n;
                (self.sum_sq / self.n - m * m).max(0.0)
            }
        }
    }

    fn write_value(&self, out: &mut Vec<f64>) {
        if self.counts.is_empty() {
            out.push(self.sum / self.n.max(1.0));
        } else {
            out.extend(self.counts.iter().map(|c| c / self.n.max(1.0)));
        }
    }
}

/// The best split of a node over (a random subset of) the features, or `None` when every
/// candidate feature is constant in the node or no split leaves `min_samples_leaf` rows on
/// both sides. As scikit-learn, the search visits features in random order until it has seen
/// `max_features` non-constant ones (and goes on past that until a valid split is found).
#[allow(clippy::too_many_arguments)]
fn best_split(
    cols: &ArrayView2<'_, f64>,
    target: TreeTarget<'_>,
    rows: &[usize],
    params: &TreeParams,
    stats: &NodeStats,
    features: &mut [usize],
    rng: &mut Pcg64Mcg,
    scratch: &mut Scratch,
) -> Option<Split> {
    let d = features.len();
    let n = rows.len();
    let msl = params.min_samples_leaf;
    let mut best: Option<(f64, Split)> = None;
    let mut visited = 0;
    for pos in 0..d {
        if visited >= params.max_features && best.is_some() {
            break;
        }
        if params.max_features < d {
            // Partial Fisher-Yates: a random feature among those not yet tried.
            let pick = rng.random_range(pos..d);
            features.swap(pos, pick);
        }
        let f = features[pos];
        let col = cols.row(f);
        scratch.order.clear();
        scratch.order.extend(rows.iter().map(|&r| (col[r], r)));
        scratch
            .order
            .sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let (lo, hi) = match (scratch.order.first(), scratch.order.last()) {
            (Some(a), Some(b)) => (a.0, b.0),
            _ => continue,
        };
        if hi <= lo + FEATURE_THRESHOLD {
            continue; // constant in this node
        }
        visited += 1;
        let found = match target {
            TreeTarget::Classes(y, _) => scan_classes(y, stats, params.criterion, msl, scratch),
            TreeTarget::Values(y) => scan_values(y, stats, msl, &scratch.order),
        };
        let Some((proxy, i)) = found else { continue };
        if best.as_ref().is_none_or(|(b, _)| proxy > *b) {
            let (a, b) = (scratch.order[i].0, scratch.order[i + 1].0);
            let mut threshold = a / 2.0 + b / 2.0;
            if threshold >= b || !threshold.is_finite() {
                threshold = a;
            }
            best = Some((
                proxy,
                Split {
                    feature: f,
                    threshold,
                },
            ));
        }
    }
    debug_assert!(n >= 2 * msl);
    best.map(|(_, s)| s)
}

/// Values closer than this are not split apart (scikit-learn's `FEATURE_THRESHOLD`).
const FEATURE_THRESHOLD: f64 = 1e-7;

/// Best class split over sorted rows: the position `i` (left = `0..=i`) maximising the
/// impurity proxy, and that proxy.
fn scan_classes(
    y: &[usize],
    stats: &NodeStats,
    criterion: Criterion,
    msl: usize,
    scratch: &mut Scratch,
) -> Option<(f64, usize)> {
    let Scratch { order, left, right } = scratch;
    let n = order.len();
    left.iter_mut().for_each(|v| *v = 0.0);
    right.copy_from_slice(&stats.counts);
    let xlogx = |v: f64| if v > 0.0 { v * v.ln() } else { 0.0 };
    // Running sums: Gini uses sum of squared counts, entropy sum of c ln c.
    let (mut sl, mut sr) = match criterion {
        Criterion::Entropy => (0.0, right.iter().map(|&c| xlogx(c)).sum::<f64>()),
        _ => (0.0, right.iter().map(|c| c * c).sum::<f64>()),
    };
    let mut best: Option<(f64, usize)> = None;
    for i in 0..n - 1 {
        let c = y[order[i].1];
        let (l, r) = (left[c], right[c]);
        match criterion {
            Criterion::Entropy => {
                sl += xlogx(l + 1.0) - xlogx(l);
                sr += xlogx(r - 1.0) - xlogx(r);
            }
            _ => {
                sl += 2.0 * l + 1.0;
                sr += -2.0 * r + 1.0;
            }
        }
        left[c] = l + 1.0;
        right[c] = r - 1.0;
        let nl = i + 1;
        let nr = n - nl;
        if nl < msl || nr < msl || order[i + 1].0 <= order[i].0 + FEATURE_THRESHOLD {
            continue;
        }
        let (nlf, nrf) = (nl as f64, nr as f64);
        // Larger is better: minus the children's weighted impurity (up to constants).
        let proxy = match criterion {
            Criterion::Entropy => sl - xlogx(nlf) + sr - xlogx(nrf),
            _ => sl / nlf + sr / nrf,
        };
        if best.is_none_or(|(b, _)| proxy > b) {
            best = Some((proxy, i));
        }
    }
    best
}

/// Best regression split over sorted rows (squared error).
fn scan_values(
    y: &[f64],
    stats: &NodeStats,
    msl: usize,
    order: &[(f64, usize)],
) -> Option<(f64, usize)> {
    let n = order.len();
    let mut sl = 0.0;
    let mut best: Option<(f64, usize)> = None;
    for i in 0..n - 1 {
        sl += y[order[i].1];
        let nl = i + 1;
        let nr = n - nl;
        if nl < msl || nr < msl || order[i + 1].0 <= order[i].0 + FEATURE_THRESHOLD {
            continue;
        }
        let sr = stats.sum - sl;
        let proxy = sl * sl / nl as f64 + sr * sr / nr as f64;
        if best.is_none_or(|(b, _)| proxy > b) {
            best = Some((proxy, i));
        }
    }
    best
}

/// `x` (rows x features) as features x rows in standard layout.
pub(crate) fn by_feature(x: &ArrayView2<'_, f64>) -> Array2<f64> {
    x.t().as_standard_layout().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::rng;

    fn params(max_depth: Option<usize>) -> TreeParams {
        TreeParams {
            criterion: Criterion::Gini,
            max_depth,
            min_samples_split: 2,
            min_samples_leaf: 1,
            max_features: 2,
        }
    }

    #[test]
    fn xor_is_learned_exactly() {
        let x = ndarray::array![[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]];
        let y = [0, 1, 1, 0];
        let cols = by_feature(&x.view());
        let g = grow(
            &cols.view(),
            TreeTarget::Classes(&y, 2),
            (0..4).collect(),
            &params(None),
            &mut rng(0, 0),
            &Ctl::new(&crate::ctl::no_progress, &Default::default()),
        )
        .expect("not cancelled");
        g.tree.check(2, 2).expect("valid tree");
        for (i, row) in x.rows().into_iter().enumerate() {
            let p = g.tree.leaf(row);
            assert_eq!(p[y[i]], 1.0, "row {i}: {p:?}");
        }
        assert_eq!(g.tree.depth(), 2);
    }

    #[test]
    fn depth_limit_and_midpoint_thresholds() {
        let x = ndarray::array![[1.0], [2.0], [3.0], [10.0]];
        let y = [0.0, 0.0, 0.0, 8.0];
        let cols = by_feature(&x.view());
        let g = grow(
            &cols.view(),
            TreeTarget::Values(&y),
            (0..4).collect(),
            &params(Some(1)),
            &mut rng(0, 0),
            &Ctl::new(&crate::ctl::no_progress, &Default::default()),
        )
        .expect("not cancelled");
        assert_eq!(g.tree.threshold, vec![6.5]);
        assert_eq!(g.tree.values, vec![0.0, 8.0]);
        assert_eq!(g.tree.depth(), 1);
    }
}
