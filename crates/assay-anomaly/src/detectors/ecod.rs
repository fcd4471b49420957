//! ECOD (Li et al. 2022, as PyOD): for each feature the -log of the left and right empirical
//! tail probabilities; a row's score sums, over features, the larger of the two (the tail the
//! skewness points to, or both when the feature is symmetric).

use crate::AnomalyError;
use crate::ctl::Ctl;
use crate::detectors::par_rows;
use crate::input::Input;
use crate::tails::Tails;

/// ECOD scores.
pub(crate) fn score(input: &Input, ctl: Ctl) -> Result<Vec<f64>, AnomalyError> {
    let tails = Tails::fit(&input.raw);
    ctl.report(0.3)?;
    par_rows(&input.raw, ctl.part(0.3, 1.0), |_, row| {
        (0..tails.features())
            .map(|j| feature_score(&tails, j, row[j]))
            .sum()
    })
}

/// One feature's share of the ECOD score.
pub(crate) fn feature_score(tails: &Tails, j: usize, v: f64) -> f64 {
    let (left, right) = tails.surprise(j, v);
    let skewed = match tails.skew(j) {
        s if s < 0.0 => left,
        s if s > 0.0 => right,
        _ => left + right,
    };
    skewed.max(left).max(right)
}
