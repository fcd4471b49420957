//! The detectors, one file each, and what they share: running one by [`Method`], and scoring
//! rows in parallel chunks with progress and cancellation.

pub(crate) mod copod;
pub(crate) mod dbscan;
pub(crate) mod ecod;
pub(crate) mod gmm;
pub(crate) mod hbos;
pub(crate) mod iforest;
pub(crate) mod iqr;
pub(crate) mod knn;
pub(crate) mod lof;
pub(crate) mod mad;
pub(crate) mod pca;

use ndarray::{Array2, ArrayView1};
use rayon::prelude::*;

use crate::ctl::{Ctl, Ticker};
use crate::input::Input;
use crate::{AnomalyError, Method};

/// Rows per parallel chunk.
const CHUNK: usize = 4096;

/// Runs one detector; higher scores are more anomalous.
pub(crate) fn run(method: Method, input: &Input, ctl: Ctl) -> Result<Vec<f64>, AnomalyError> {
    let scores = match method {
        Method::IsolationForest => iforest::score(input, ctl),
        Method::Lof => lof::score(input, ctl),
        Method::Knn => knn::score(input, ctl),
        Method::Hbos => hbos::score(input, ctl),
        Method::Ecod => ecod::score(input, ctl),
        Method::Copod => copod::score(input, ctl),
        Method::Pca => pca::score(input, ctl),
        Method::Mad => mad::score(input, ctl),
        Method::Iqr => iqr::score(input, ctl),
        Method::Dbscan => dbscan::score(input, ctl),
        Method::Gmm => gmm::score(input, ctl),
        Method::Ensemble => {
            return Err(AnomalyError::InvalidOption {
                field: "members".into(),
                message: "an ensemble cannot be a member of an ensemble".into(),
            });
        }
    }?;
    // A detector never returns NaN to the caller: undefined scores count as least anomalous.
    Ok(scores
        .into_iter()
        .map(|s| if s.is_nan() { f64::MIN } else { s })
        .collect())
}

/// Scores every row of `x` with `f`, in parallel chunks, reporting progress.
pub(crate) fn par_rows<F>(x: &Array2<f64>, ctl: Ctl, f: F) -> Result<Vec<f64>, AnomalyError>
where
    F: Fn(usize, ArrayView1<f64>) -> f64 + Sync,
{
    let n = x.nrows();
    let mut out = vec![0.0; n];
    let ticker = Ticker::new(ctl, n.div_ceil(CHUNK));
    out.par_chunks_mut(CHUNK)
        .enumerate()
        .try_for_each(|(c, chunk)| {
            ticker.check()?;
            for (k, v) in chunk.iter_mut().enumerate() {
                let i = c * CHUNK + k;
                *v = f(i, x.row(i));
            }
            ticker.tick()
        })?;
    Ok(out)
}
