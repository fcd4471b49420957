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
    let ref_norms: Vec<f64> = reference.rows().into_iter().map(|r| r.dot(&r)).collect();
    let ref_t = reference.t();
    dist.par_chunks_mut(CHUNK * k)
        .zip(index.par_chunks_mut(CHUNK * k))
        .enumerate()
        .try_for_each(|(c, (dchunk, ichunk))| {
            ticker.check()?;
            let start = c * CHUNK;
            let block = queries.slice_axis(Axis(0), Slice::from(start..(start + CHUNK).min(n)));
            // |q - r|^2 = |q|^2 + |r|^2 - 2 q.r, the dot products as one matrix product.
            let gram = block.dot(&ref_t);
            for (q, (d, ix)) in dchunk.chunks_mut(k).zip(ichunk.chunks_mut(k)).enumerate() {
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
