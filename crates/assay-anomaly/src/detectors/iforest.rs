//! Isolation Forest (Liu, Ting & Zhou 2008), as scikit-learn: 100 trees, each grown on 256 rows
//! drawn without replacement, random feature (among those not constant in the node), uniform
//! random threshold, depth limit ceil(log2 256) = 8; a row's score is 2^(-E[h(x)] / c(256)),
//! where h adds c(leaf size) at the leaf.
//!
//! Speed: each tree is stored as a complete binary tree of the depth limit (early leaves become
//! pass-through nodes with an infinite threshold) in one flat array of (threshold, feature)
//! nodes, so scoring is a branch-free walk of exactly `depth` steps. Rows are walked in groups
//! of [`LANES`] in lockstep (independent load chains instead of one latency-bound chain), over
//! blocks of rows small enough to stay in cache while every tree passes over them; trees are
//! grown and blocks scored in parallel.

use ndarray::Array2;
use rand::RngExt;
use rayon::prelude::*;

use crate::AnomalyError;
use crate::ctl::{Ctl, Ticker};
use crate::input::Input;
use crate::sample::{rng, sample_positions};

/// Trees in the forest.
pub(crate) const TREES: usize = 100;
/// Rows per tree.
pub(crate) const SUBSAMPLE: usize = 256;
/// Rows scored between progress reports.
const CHUNK: usize = 8192;
/// Rows walked down a tree together.
const LANES: usize = 8;
/// Feature values (f64) per block of rows that every tree walks before the next block.
const BLOCK_VALUES: usize = 16_384;

/// An internal node: go right when the row's `feature` exceeds `threshold`.
#[derive(Clone, Copy)]
struct Node {
    threshold: f64,
    feature: u32,
}

/// Slots of a tree's node and leaf arrays: a depth of at most log2(SUBSAMPLE) = 8 levels has at
/// most 255 internal nodes and 256 bottom slots. Fixed-size arrays indexed modulo their size
/// need no bounds checks in the walk.
const SLOTS: usize = SUBSAMPLE;

/// One tree as a complete binary tree (heap layout).
struct Tree {
    /// Internal nodes in heap order (the first `internal` slots are used).
    nodes: Box<[Node; SLOTS]>,
    /// Path length (depth + c(size)) of each bottom-level slot.
    leaf: Box<[f64; SLOTS]>,
    /// Internal nodes: 2^depth - 1.
    internal: usize,
}

/// Isolation Forest scores on the unscaled features (the method is scale-free per feature).
pub(crate) fn score(input: &Input, ctl: Ctl) -> Result<Vec<f64>, AnomalyError> {
    let x = &input.raw;
    let psi = SUBSAMPLE.min(x.nrows());
    let depth = (psi as f64).log2().ceil().max(1.0) as usize;
    let trees: Vec<Tree> = (0..TREES)
        .into_par_iter()
        .map(|t| {
            let mut rows = sample_positions(x.nrows(), psi, input.seed, 1 + t as u64);
            grow(
                x,
                &mut rows,
                depth,
                input.seed ^ (t as u64).wrapping_mul(0x2545_F491),
            )
        })
        .collect();
    ctl.report(0.1)?;
    let norm = average_path(psi);
    walk_all(x, &trees, depth, ctl.part(0.1, 1.0))
        .map(|h| h.into_iter().map(|e| 2f64.powf(-e / norm)).collect())
}

/// c(n): the average path length of an unsuccessful search in a binary search tree of n keys.
pub(crate) fn average_path(n: usize) -> f64 {
    match n {
        0 | 1 => 0.0,
        2 => 1.0,
        _ => {
            let n = n as f64;
            2.0 * ((n - 1.0).ln() + 0.577_215_664_901_532_9) - 2.0 * (n - 1.0) / n
        }
    }
}

/// Grows one tree on `rows`.
fn grow(x: &Array2<f64>, rows: &mut [usize], depth: usize, seed: u64) -> Tree {
    let internal = (1usize << depth) - 1;
    let pass = Node {
        threshold: f64::INFINITY,
        feature: 0,
    };
    let mut tree = Tree {
        nodes: Box::new([pass; SLOTS]),
        leaf: Box::new([0.0; SLOTS]),
        internal,
    };
    let mut r = rng(seed, 0x1F);
    split(x, rows, 0, 0, depth, &mut tree, &mut r);
    tree
}

/// Splits node `node` (at `level`) holding `rows`, or makes it a leaf.
fn split(
    x: &Array2<f64>,
    rows: &mut [usize],
    node: usize,
    level: usize,
    depth: usize,
    tree: &mut Tree,
    r: &mut rand_pcg::Pcg64Mcg,
) {
    let choice = if level < depth && rows.len() > 1 {
        pick_split(x, rows, r)
    } else {
        None
    };
    let Some((f, t)) = choice else {
        // Pass-through nodes below go left: the leftmost bottom slot holds the path length.
        let slot = ((node + 1) << (depth - level)) - 1 - tree.internal;
        tree.leaf[slot] = level as f64 + average_path(rows.len());
        return;
    };
    tree.nodes[node] = Node {
        threshold: t,
        feature: f as u32,
    };
    let mid = partition(rows, |&i| x[[i, f]] <= t);
    let (left, right) = rows.split_at_mut(mid);
    split(x, left, 2 * node + 1, level + 1, depth, tree, r);
    split(x, right, 2 * node + 2, level + 1, depth, tree, r);
}

/// A random feature among those not constant in `rows`, and a uniform threshold in [min, max).
fn pick_split(x: &Array2<f64>, rows: &[usize], r: &mut rand_pcg::Pcg64Mcg) -> Option<(usize, f64)> {
    let d = x.ncols();
    let mut lo = vec![f64::INFINITY; d];
    let mut hi = vec![f64::NEG_INFINITY; d];
    for &i in rows {
        for (j, &v) in x.row(i).iter().enumerate() {
            lo[j] = lo[j].min(v);
            hi[j] = hi[j].max(v);
        }
    }
    let open: Vec<usize> = (0..d).filter(|&j| hi[j] > lo[j]).collect();
    if open.is_empty() {
        return None;
    }
    let f = open[r.random_range(0..open.len())];
    let t = lo[f] + (hi[f] - lo[f]) * r.random::<f64>();
    Some((f, if t >= hi[f] { lo[f] } else { t }))
}

/// Moves the rows satisfying `left` to the front; returns how many there are.
fn partition(rows: &mut [usize], left: impl Fn(&usize) -> bool) -> usize {
    let mut mid = 0;
    for i in 0..rows.len() {
        if left(&rows[i]) {
            rows.swap(i, mid);
            mid += 1;
        }
    }
    mid
}

/// Mean path length of every row over the trees, in parallel chunks.
fn walk_all(
    x: &Array2<f64>,
    trees: &[Tree],
    depth: usize,
    ctl: Ctl,
) -> Result<Vec<f64>, AnomalyError> {
    let n = x.nrows();
    let d = x.ncols();
    let data = x.as_slice().ok_or_else(|| AnomalyError::InvalidOption {
        field: "matrix".into(),
        message: "not in standard layout".into(),
    })?;
    let mut out = vec![0.0; n];
    let ticker = Ticker::new(ctl, n.div_ceil(CHUNK));
    let block = (BLOCK_VALUES / d.max(1)).clamp(LANES, CHUNK);
    out.par_chunks_mut(CHUNK)
        .enumerate()
        .try_for_each(|(c, chunk)| {
            ticker.check()?;
            let start = c * CHUNK;
            for (b, part) in chunk.chunks_mut(block).enumerate() {
                let rows = &data[(start + b * block) * d..];
                for tree in trees {
                    walk_block(rows, d, tree, depth, part);
                }
            }
            let scale = 1.0 / trees.len() as f64;
            chunk.iter_mut().for_each(|v| *v *= scale);
            ticker.tick()
        })?;
    Ok(out)
}

/// Adds one tree's path length to each row of a block: [`LANES`] rows at a time in lockstep,
/// then the rest one by one.
fn walk_block(rows: &[f64], d: usize, tree: &Tree, depth: usize, acc: &mut [f64]) {
    let internal = tree.internal;
    let done = acc.len() - acc.len() % LANES;
    let groups = acc.chunks_exact_mut(LANES);
    for (g, group) in groups.enumerate() {
        let base = &rows[g * LANES * d..];
        let mut node = [0usize; LANES];
        for _ in 0..depth {
            for (lane, n) in node.iter_mut().enumerate() {
                let Node { threshold, feature } = tree.nodes[*n % SLOTS];
                let go_right = base[lane * d + feature as usize] > threshold;
                *n = 2 * *n + 1 + usize::from(go_right);
            }
        }
        for (a, n) in group.iter_mut().zip(node) {
            *a += tree.leaf[(n - internal) % SLOTS];
        }
    }
    for (r, a) in acc.iter_mut().enumerate().skip(done) {
        let row = &rows[r * d..(r + 1) * d];
        let mut n = 0usize;
        for _ in 0..depth {
            let Node { threshold, feature } = tree.nodes[n % SLOTS];
            n = 2 * n + 1 + usize::from(row[feature as usize] > threshold);
        }
        *a += tree.leaf[(n - internal) % SLOTS];
    }
}
