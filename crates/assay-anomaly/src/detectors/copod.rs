//! COPOD (Li et al. 2020, as PyOD): per feature, the larger of the skewness-chosen tail's
//! -log probability and the mean of both tails' -log probabilities, summed over features.

use crate::AnomalyError;
use crate::ctl::Ctl;
use crate::detectors::par_rows;
use crate::input::Input;
use crate::tails::Tails;

/// COPOD scores.
pub(crate) fn score(input: &Input, ctl: Ctl) -> Result<Vec<f64>, AnomalyError> {
    let tails = Tails::fit(&input.raw);
    ctl.report(0.3)?;
    par_rows(&input.raw, ctl.part(0.3, 1.0), |_, row| {
        (0..tails.features())
            .map(|j| {
                let (left, right) = tails.surprise(j, row[j]);
                let skewed = match tails.skew(j) {
                    s if s < 0.0 => left,
                    s if s > 0.0 => right,
                    _ => left + right,
                };
                skewed.max((left + right) / 2.0)
            })
            .sum()
    })
}
