//! Exact k-nearest neighbours of every row among a seeded reference sample (Euclidean, on the
//! robustly scaled features). Brute force in parallel chunks: O(rows x reference x features),
//! which the reference cap keeps linear in the rows.

use ndarray::{Array2, ArrayView1};
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

/// The rows of `x` at `rows`, as a matrix.
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
    dist.par_chunks_mut(CHUNK * k)
        .zip(index.par_chunks_mut(CHUNK * k))
        .enumerate()
        .try_for_each(|(c, (dchunk, ichunk))| {
            ticker.check()?;
            for (q, (d, ix)) in dchunk.chunks_mut(k).zip(ichunk.chunks_mut(k)).enumerate() {
                let i = c * CHUNK + q;
                nearest(queries.row(i), reference, same(i), d, ix);
            }
            ticker.tick()
        })?;
    Ok(Neighbors { k, dist, index })
}

/// Fills `d`/`ix` with the nearest reference points of `q` (insertion into a sorted buffer).
fn nearest(
    q: ArrayView1<f64>,
    reference: &Array2<f64>,
    skip: Option<usize>,
    d: &mut [f64],
    ix: &mut [u32],
) {
    let k = d.len();
    d.fill(f64::INFINITY);
    ix.fill(0);
    let q: Vec<f64> = q.to_vec();
    for (j, r) in reference.rows().into_iter().enumerate() {
        if skip == Some(j) {
            continue;
        }
        let mut s = 0.0;
        for (a, b) in q.iter().zip(r.iter()) {
            s += (a - b) * (a - b);
        }
        if s < d[k - 1] {
            let mut p = k - 1;
            while p > 0 && d[p - 1] > s {
                d[p] = d[p - 1];
                ix[p] = ix[p - 1];
                p -= 1;
            }
            d[p] = s;
            ix[p] = j as u32;
        }
    }
    d.iter_mut().for_each(|v| *v = v.sqrt());
}

/// For a query row `i` of the full data, its position in the sorted reference `rows`.
pub(crate) fn position_in(rows: &[usize], i: usize) -> Option<usize> {
    rows.binary_search(&i).ok()
}
