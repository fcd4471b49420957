//! The default detector: several fast, complementary detectors, each score turned into a
//! robust z-score (median and 1.4826 MAD of that detector's scores) and averaged. Unlike rank
//! averaging this keeps how *far* out a row is, so one detector that is sure outvotes two that
//! shrug; unlike plain z-scores it is not dragged by the very outliers it is looking for.

use crate::Method;
use crate::stats::{mean_std, median};

/// The default members: distance to a small reference sample (kNN), a density model (GMM)
/// and the correlation structure (PCA). Chosen among all 2-4 member subsets of the detectors
/// by mean ROC-AUC over the 30 ADBench sets, one configuration for all, no labels used
/// (see the crate docs for the bench); all three are linear in the rows.
pub const DEFAULT_MEMBERS: [Method; 3] = [Method::Knn, Method::Gmm, Method::Pca];

/// Robust z-scores are capped here so a single detector cannot decide alone.
const CAP: f64 = 1e6;

/// Combines member scores (each higher = more anomalous) into one score per row.
pub(crate) fn combine(members: &[Vec<f64>]) -> Vec<f64> {
    let n = members.first().map_or(0, Vec::len);
    let mut out = vec![0.0; n];
    for scores in members {
        let (centre, scale) = robust_centre(scores);
        for (o, s) in out.iter_mut().zip(scores) {
            *o += ((s - centre) / scale).clamp(-CAP, CAP);
        }
    }
    let k = members.len().max(1) as f64;
    out.iter_mut().for_each(|o| *o /= k);
    out
}

/// Median and 1.4826 MAD (the standard deviation, then 1, when the MAD is zero).
fn robust_centre(scores: &[f64]) -> (f64, f64) {
    let mut v = scores.to_vec();
    let med = median(&mut v);
    let mut dev: Vec<f64> = scores.iter().map(|s| (s - med).abs()).collect();
    let mad = median(&mut dev) * 1.4826;
    let scale = if mad > 0.0 {
        mad
    } else {
        mean_std(ndarray::ArrayView1::from(scores)).1
    };
    (med, if scale > 0.0 { scale } else { 1.0 })
}
