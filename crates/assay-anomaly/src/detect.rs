//! One detection end to end: prepare the matrix, run the detector(s), combine, suggest
//! thresholds, explain the top rows, project, and evaluate against labels when given.

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use polars::prelude::LazyFrame;
use rayon::prelude::*;

use crate::ctl::{Ctl, ProgressHook};
use crate::detectors;
use crate::ensemble::{DEFAULT_MEMBERS, combine};
use crate::evaluate::{evaluate, roc_auc};
use crate::explain::Explainer;
use crate::input::Input;
use crate::matrix::{MIN_ROWS, Prepared, prepare};
use crate::model::{Detection, MemberScores, RowExplanation};
use crate::projection::project;
use crate::thresholds::suggest;
use crate::{AnomalyError, DetectOptions, Method};

/// Scores every row of `lf` (or of a seeded sample above `max_rows`) with `opts.method`.
///
/// Returns the result and an [`Explainer`] for any scored row. `progress` receives the fraction
/// done and cancels the run by returning `false` (the call then fails with
/// [`AnomalyError::Cancelled`]).
pub fn detect(
    lf: LazyFrame,
    opts: &DetectOptions,
    progress: ProgressHook,
) -> Result<(Detection, Explainer), AnomalyError> {
    let started = Instant::now();
    let members = validate(opts)?;
    let cancelled = AtomicBool::new(false);
    let ctl = Ctl::new(progress, &cancelled);
    ctl.report(0.0)?;
    let prepared = prepare(lf, opts)?;
    ctl.report(0.1)?;
    let Prepared {
        x,
        features,
        row_index,
        table_rows,
        labels,
        mut notes,
    } = prepared;
    notes.extend(features.iter().filter(|f| f.imputed > 0).map(|f| {
        format!(
            "`{}`: {} missing values replaced by the median",
            f.name, f.imputed
        )
    }));
    let input = Input::new(x, opts.seed, opts.max_fit_rows as usize);
    // A single detector's own ROC-AUC is the evaluation's, computed once below.
    let member_labels = labels
        .as_deref()
        .filter(|_| opts.method == Method::Ensemble);
    let mut member_scores = run_members(&input, &members, ctl.part(0.1, 0.9), member_labels)?;
    let scores = if opts.method == Method::Ensemble {
        combine(
            &member_scores
                .iter()
                .map(|m| m.scores.clone())
                .collect::<Vec<_>>(),
        )
    } else {
        member_scores
            .first()
            .map(|m| m.scores.clone())
            .unwrap_or_default()
    };
    let explainer = Explainer::new(input.raw, &features, row_index.clone());
    let top = explain_top(&explainer, &scores, &row_index, opts.explain_top as usize);
    let projection = project(
        explainer_matrix(&explainer),
        &scores,
        &row_index,
        opts.projection_points as usize,
        opts.seed,
    );
    ctl.report(0.98)?;
    let evaluation = match &labels {
        Some(l) => Some(evaluate(&scores, l)?),
        None => None,
    };
    if let (Some(e), [only]) = (&evaluation, member_scores.as_mut_slice())
        && opts.method != Method::Ensemble
    {
        only.roc_auc = Some(e.roc_auc);
    }
    let detection = Detection {
        method: opts.method,
        table_rows,
        normalized: min_max(&scores),
        thresholds: suggest(&scores),
        row_index,
        scores,
        members: member_scores,
        features,
        notes,
        top,
        projection,
        evaluation,
        seconds: started.elapsed().as_secs_f64(),
    };
    ctl.report(1.0)?;
    Ok((detection, explainer))
}

/// The detectors to run, after checking the options.
fn validate(opts: &DetectOptions) -> Result<Vec<Method>, AnomalyError> {
    if (opts.max_rows as usize) < MIN_ROWS {
        return Err(AnomalyError::InvalidOption {
            field: "max_rows".into(),
            message: format!("must be at least {MIN_ROWS}"),
        });
    }
    if opts.max_fit_rows < 10 {
        return Err(AnomalyError::InvalidOption {
            field: "max_fit_rows".into(),
            message: "must be at least 10".into(),
        });
    }
    if opts.method != Method::Ensemble {
        return Ok(vec![opts.method]);
    }
    if opts.members.contains(&Method::Ensemble) {
        return Err(AnomalyError::InvalidOption {
            field: "members".into(),
            message: "an ensemble cannot be a member of an ensemble".into(),
        });
    }
    Ok(if opts.members.is_empty() {
        DEFAULT_MEMBERS.to_vec()
    } else {
        opts.members.clone()
    })
}

/// Runs each member in turn (each one is parallel inside).
fn run_members(
    input: &Input,
    members: &[Method],
    ctl: Ctl,
    labels: Option<&[bool]>,
) -> Result<Vec<MemberScores>, AnomalyError> {
    let k = members.len().max(1) as f64;
    members
        .iter()
        .enumerate()
        .map(|(i, &method)| {
            let started = Instant::now();
            let scores = detectors::run(method, input, ctl.part(i as f64 / k, (i + 1) as f64 / k))?;
            Ok(MemberScores {
                method,
                roc_auc: None,
                seconds: started.elapsed().as_secs_f64(),
                scores,
            })
        })
        .collect::<Result<Vec<_>, AnomalyError>>()
        .map(|mut scored| {
            // Each member's ROC-AUC, all at once (one sort each).
            if let Some(l) = labels {
                scored
                    .par_iter_mut()
                    .for_each(|m| m.roc_auc = roc_auc(&m.scores, l));
            }
            scored
        })
}

fn explainer_matrix(e: &Explainer) -> &ndarray::Array2<f64> {
    e.matrix()
}

/// Explanations of the `k` highest-scoring rows, highest first.
fn explain_top(e: &Explainer, scores: &[f64], row_index: &[u64], k: usize) -> Vec<RowExplanation> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    let k = k.min(order.len());
    if k == 0 {
        return Vec::new();
    }
    order.select_nth_unstable_by(k - 1, |&a, &b| scores[b].total_cmp(&scores[a]));
    order.truncate(k);
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    order
        .into_iter()
        .map(|p| RowExplanation {
            row: row_index[p],
            score: scores[p],
            contributions: e.explain_position(p),
        })
        .collect()
}

/// Scores rescaled to 0..1 (all 0 when they are all equal).
fn min_max(scores: &[f64]) -> Vec<f64> {
    let lo = scores.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let range = hi - lo;
    scores
        .iter()
        .map(|s| if range > 0.0 { (s - lo) / range } else { 0.0 })
        .collect()
}
