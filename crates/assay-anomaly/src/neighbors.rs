//! Exact k-nearest neighbours of every row among a seeded reference sample (Euclidean, on the
//! robustly scaled features). Brute force in parallel chunks, the dot products of a chunk with
//! the reference as one matrix product: O(rows x reference x features), which the reference
//! cap keeps linear in the rows.

use ndarray::{Array2, Axis, Slice};
use rayon::prelude::*;

use crate::AnomalyError;
use crate::ctl::{Ctl, Ticker};

/// Rows per parallel chunk.
const CHUNK: usize = 1024;
/// Up to this many features, the search prunes along one sorted feature.
const PRUNED_MAX_FEATURES: usize = 6;
/// Up to this many features, distances to the whole reference are summed directly (a matrix
/// product of all pairs pays off above).
const DIRECT_MAX_FEATURES: usize = 16;

/// The `k` nearest reference points of each query, nearest first.
pub(crate) struct Neighbors {
    /// Neighbours per query.
    pub k: usize,
    /// Distances, `k` per query.
    pub dist: Vec<f64>,
    /// Reference positions, `k` per query.
    pub index: Vec<u32>,
}

impl Neighbors {
    /// Distances of query `i`.
    pub(crate) fn dist(&self, i: usize) -> &[f64] {
        &self.dist[i * self.k..(i + 1) * self.k]
    }

    /// Reference positions of query `i`.
    pub(crate) fn index(&self, i: usize) -> &[u32] {
        &self.index[i * self.k..(i + 1) * self.k]
    }
}

/// The rows of `x` at `rows`, as a matrix (standard layout).
pub(crate) fn gather(x: &Array2<f64>, rows: &[usize]) -> Array2<f64> {
    Array2::from_shape_fn((rows.len(), x.ncols()), |(i, j)| x[[rows[i], j]])
}

/// The `k` nearest rows of `reference` to every row of `queries`; `same(i)` names the
/// reference position that *is* query `i` (skipped), if any. `k` is capped at what exists.
pub(crate) fn search(
    queries: &Array2<f64>,
    reference: &Array2<f64>,
    same: &(dyn Fn(usize) -> Option<usize> + Sync),
    k: usize,
    ctl: Ctl,
) -> Result<Neighbors, AnomalyError> {
    let n = queries.nrows();
    let k = k.min(reference.nrows().saturating_sub(1)).max(1);
    let mut dist = vec![0.0; n * k];
    let mut index = vec![0u32; n * k];
    let ticker = Ticker::new(ctl, n.div_ceil(CHUNK));
    let d = queries.ncols();
    let pruned = (d <= PRUNED_MAX_FEATURES).then(|| Sorted::new(reference));
    let direct = (d <= DIRECT_MAX_FEATURES).then(|| by_feature(reference));
    let ref_norms: Vec<f64> = reference.rows().into_iter().map(|r| r.dot(&r)).collect();
    let ref_t = reference.t();
    dist.par_chunks_mut(CHUNK * k)
        .zip(index.par_chunks_mut(CHUNK * k))
        .enumerate()
        .try_for_each(|(c, (dchunk, ichunk))| {
            ticker.check()?;
            let start = c * CHUNK;
            let block = queries.slice_axis(Axis(0), Slice::from(start..(start + CHUNK).min(n)));
            let pairs = dchunk.chunks_mut(k).zip(ichunk.chunks_mut(k)).enumerate();
            if let Some(sorted) = &pruned {
                for (q, (d, ix)) in pairs {
                    sorted.nearest(block.row(q), same(start + q), d, ix);
                }
                return ticker.tick();
            }
            if let Some(columns) = &direct {
                // Squared differences summed feature by feature over the whole reference
                // (contiguous, vectorised), no matrix product.
                let mut squared = vec![0.0; reference.nrows()];
                for (q, (d, ix)) in pairs {
                    squared_distances(block.row(q), columns, &mut squared);
                    nearest(squared.iter().copied(), same(start + q), d, ix);
                }
                return ticker.tick();
            }
            // |q - r|^2 = |q|^2 + |r|^2 - 2 q.r, the dot products as one matrix product.
            let gram = block.dot(&ref_t);
            for (q, (d, ix)) in pairs {
                let row = block.row(q);
                let qn = row.dot(&row);
                let skip = same(start + q);
                let products = gram.row(q);
                let squared = products
                    .iter()
                    .zip(&ref_norms)
                    .map(|(g, rn)| (qn + rn - 2.0 * g).max(0.0));
                nearest(squared, skip, d, ix);
            }
            ticker.tick()
        })?;
    Ok(Neighbors { k, dist, index })
}

/// The reference sorted along its widest feature, for an exact search in few dimensions that
/// only visits rows whose distance along that feature alone can still beat the k-th nearest.
struct Sorted {
    /// The feature sorted on.
    axis: usize,
    /// Each row's value of that feature, ascending.
    keys: Vec<f64>,
    /// Each sorted row's position in the reference.
    order: Vec<u32>,
    /// The rows in sorted order, row-major.
    rows: Vec<f64>,
    /// Features.
    d: usize,
}

impl Sorted {
    fn new(reference: &Array2<f64>) -> Self {
        let (m, d) = reference.dim();
        let spread = |j: usize| {
            let c = reference.column(j);
            let lo = c.iter().copied().fold(f64::INFINITY, f64::min);
            c.iter().copied().fold(f64::NEG_INFINITY, f64::max) - lo
        };
        let axis = (0..d)
            .max_by(|&a, &b| spread(a).total_cmp(&spread(b)))
            .unwrap_or(0);
        let mut order: Vec<u32> = (0..m as u32).collect();
        order.sort_by(|&a, &b| {
            reference[[a as usize, axis]].total_cmp(&reference[[b as usize, axis]])
        });
        let keys = order
            .iter()
            .map(|&r| reference[[r as usize, axis]])
            .collect();
        let rows = order
            .iter()
            .flat_map(|&r| reference.row(r as usize).to_vec())
            .collect();
        Sorted {
            axis,
            keys,
            order,
            rows,
            d,
        }
    }

    /// The `d.len()` nearest reference rows to `q` (skipping reference position `skip`), the
    /// same as a full scan keeping the smallest (distance, position): distances and positions
    /// into `d` and `ix`.
    fn nearest(
        &self,
        q: ndarray::ArrayView1<f64>,
        skip: Option<usize>,
        d: &mut [f64],
        ix: &mut [u32],
    ) {
        let k = d.len();
        d.fill(f64::INFINITY);
        ix.fill(u32::MAX);
        let key = q[self.axis];
        let m = self.keys.len();
        let mut right = self.keys.partition_point(|&v| v < key);
        let mut left = right;
        while left > 0 || right < m {
            let gap = |s: usize| (self.keys[s] - key) * (self.keys[s] - key);
            let (lgap, rgap) = (
                if left > 0 {
                    gap(left - 1)
                } else {
                    f64::INFINITY
                },
                if right < m { gap(right) } else { f64::INFINITY },
            );
            // Along one feature the distance only grows outwards: stop when neither side can win.
            if lgap.min(rgap) > d[k - 1] {
                break;
            }
            let s = if lgap <= rgap {
                left -= 1;
                left
            } else {
                right += 1;
                right - 1
            };
            let j = self.order[s];
            if skip == Some(j as usize) {
                continue;
            }
            let row = &self.rows[s * self.d..(s + 1) * self.d];
            let mut squared = 0.0;
            for (&a, &b) in q.iter().zip(row) {
                squared += (a - b) * (a - b);
            }
            offer(d, ix, squared, j);
        }
        d.iter_mut().for_each(|v| *v = v.sqrt());
        ix.iter_mut()
            .filter(|i| **i == u32::MAX)
            .for_each(|i| *i = 0);
    }
}

/// The reference's columns, each contiguous: `[feature][reference row]`.
fn by_feature(reference: &Array2<f64>) -> Vec<Vec<f64>> {
    reference
        .columns()
        .into_iter()
        .map(|c| c.to_vec())
        .collect()
}

/// Squared distances from `row` to every reference row, into `out`.
fn squared_distances(row: ndarray::ArrayView1<f64>, columns: &[Vec<f64>], out: &mut [f64]) {
    out.fill(0.0);
    for (&v, column) in row.iter().zip(columns) {
        for (o, &r) in out.iter_mut().zip(column) {
            let diff = v - r;
            *o += diff * diff;
        }
    }
}

/// Inserts `(s, j)` into the sorted buffers when it is among the smallest (distance, position).
fn offer(d: &mut [f64], ix: &mut [u32], s: f64, j: u32) {
    let k = d.len();
    if s > d[k - 1] || (s == d[k - 1] && j >= ix[k - 1]) {
        return;
    }
    let mut p = k - 1;
    while p > 0 && (d[p - 1] > s || (d[p - 1] == s && ix[p - 1] > j)) {
        d[p] = d[p - 1];
        ix[p] = ix[p - 1];
        p -= 1;
    }
    d[p] = s;
    ix[p] = j;
}

/// Fills `d`/`ix` with the smallest squared distances (insertion into a sorted buffer), then
/// takes square roots.
fn nearest(squared: impl Iterator<Item = f64>, skip: Option<usize>, d: &mut [f64], ix: &mut [u32]) {
    let k = d.len();
    d.fill(f64::INFINITY);
    ix.fill(0);
    for (j, s) in squared.enumerate() {
        if s >= d[k - 1] || skip == Some(j) {
            continue;
        }
        let mut p = k - 1;
        while p > 0 && d[p - 1] > s {
            d[p] = d[p - 1];
            ix[p] = ix[p - 1];
            p -= 1;
        }
        d[p] = s;
        ix[p] = j as u32;
    }
    d.iter_mut().for_each(|v| *v = v.sqrt());
}

/// For a query row `i` of the full data, its position in the sorted reference `rows`.
pub(crate) fn position_in(rows: &[usize], i: usize) -> Option<usize> {
    rows.binary_search(&i).ok()
}

#[cfg(test)]
mod tests {
    use ndarray::Array2;

    use super::{Sorted, by_feature, nearest, squared_distances};

    /// Values on a coarse grid, so that equal distances (ties) occur.
    fn grid(rows: usize, d: usize, seed: u64) -> Array2<f64> {
        let mut x = seed;
        Array2::from_shape_fn((rows, d), |_| {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            ((x >> 40) % 7) as f64
        })
    }

    #[test]
    fn pruned_search_equals_the_full_scan_with_ties() {
        let reference = grid(60, 3, 1);
        let queries = grid(200, 3, 2);
        let sorted = Sorted::new(&reference);
        let columns = by_feature(&reference);
        let mut squared = vec![0.0; reference.nrows()];
        for (q, row) in queries.rows().into_iter().enumerate() {
            let skip = (q % 3 == 0).then_some(q % 60);
            let (mut d1, mut i1) = (vec![0.0; 5], vec![0u32; 5]);
            let (mut d2, mut i2) = (vec![0.0; 5], vec![0u32; 5]);
            sorted.nearest(row, skip, &mut d1, &mut i1);
            squared_distances(row, &columns, &mut squared);
            nearest(squared.iter().copied(), skip, &mut d2, &mut i2);
            assert_eq!((d1, i1), (d2, i2), "query {q}");
        }
    }
}
