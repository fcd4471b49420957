//! Drift between a reference table (e.g. train, January) and a current one (test, February):
//! a test per column (Kolmogorov-Smirnov for numbers, chi-squared for categories) for small
//! samples, distances (Wasserstein, Jensen-Shannon, PSI) that stay meaningful for large ones.

use std::collections::HashMap;

use assay_data::{ColumnKind, schema_of};
use polars::prelude::*;

use crate::ProfileError;
use crate::model::{ColumnDrift, DriftReport, ValueCount};
use crate::stats::{chi_squared, histogram, jensen_shannon, ks_two_sample, psi, wasserstein};

const BINS: usize = 20;
const MAX_CATEGORIES: usize = 50;
/// Up to this many rows on either side, drift is decided by the test's p-value.
const SMALL: usize = 1_000;
const P_DRIFT: f64 = 0.05;
const JS_DRIFT: f64 = 0.1;

/// Compares every column the two tables share. `progress(done, total)` returning `false` cancels.
pub fn compare(
    mut reference: LazyFrame,
    mut current: LazyFrame,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<DriftReport, ProfileError> {
    let rs = schema_of(&mut reference, "reading the reference schema")?;
    let cs = schema_of(&mut current, "reading the current schema")?;
    let common: Vec<_> = rs
        .iter()
        .filter(|c| cs.iter().any(|d| d.name == c.name))
        .collect();
    let mut columns = Vec::with_capacity(common.len());
    for (i, c) in common.iter().enumerate() {
        if !progress(i, common.len()) {
            return Err(ProfileError::Cancelled);
        }
        let a = load(&reference, &c.name)?;
        let b = load(&current, &c.name)?;
        let kind = c.kind;
        let drift = match kind {
            ColumnKind::Numeric | ColumnKind::Temporal => numeric_drift(&c.name, kind, &a, &b)?,
            _ => categorical_drift(&c.name, kind, &a, &b)?,
        };
        columns.push(drift);
    }
    Ok(DriftReport {
        reference_rows: assay_data::row_count(reference)?,
        current_rows: assay_data::row_count(current)?,
        drifted: columns.iter().filter(|c| c.drifted).count() as u32,
        columns,
        only_in_reference: rs
            .iter()
            .filter(|c| !cs.iter().any(|d| d.name == c.name))
            .map(|c| c.name.clone())
            .collect(),
        only_in_current: cs
            .iter()
            .filter(|c| !rs.iter().any(|d| d.name == c.name))
            .map(|c| c.name.clone())
            .collect(),
    })
}

fn load(lf: &LazyFrame, name: &str) -> PolarsResult<Series> {
    let df = lf.clone().select([col(name)]).collect()?;
    Ok(df.column(name)?.as_materialized_series().clone())
}

fn missing_fraction(s: &Series) -> f64 {
    crate::accum::fraction(s.null_count() as u64, s.len() as u64)
}

fn finite_sorted(s: &Series, kind: ColumnKind) -> PolarsResult<Vec<f64>> {
    let s = if kind == ColumnKind::Temporal {
        s.cast(&DataType::Datetime(TimeUnit::Milliseconds, None))?
            .cast(&DataType::Int64)?
    } else {
        s.clone()
    };
    let f = s.cast(&DataType::Float64)?;
    let mut v: Vec<f64> = f
        .f64()?
        .iter()
        .flatten()
        .filter(|x| x.is_finite())
        .collect();
    v.sort_unstable_by(f64::total_cmp);
    Ok(v)
}

fn numeric_drift(
    name: &str,
    kind: ColumnKind,
    a: &Series,
    b: &Series,
) -> PolarsResult<ColumnDrift> {
    let (x, y) = (finite_sorted(a, kind)?, finite_sorted(b, kind)?);
    let lo = x
        .first()
        .copied()
        .unwrap_or(0.0)
        .min(y.first().copied().unwrap_or(0.0));
    let hi = x
        .last()
        .copied()
        .unwrap_or(0.0)
        .max(y.last().copied().unwrap_or(0.0));
    let (edges, ca) = histogram(&x, lo, hi, BINS);
    let (_, cb) = histogram(&y, lo, hi, BINS);
    let ks = ks_two_sample(&x, &y);
    let js = jensen_shannon(&ca, &cb);
    let labels: Vec<String> = edges.windows(2).map(|w| format!("{:.4}", w[0])).collect();
    let drifted = decide(x.len().min(y.len()), ks.map(|k| k.1), js);
    Ok(ColumnDrift {
        column: name.to_string(),
        kind,
        test: "ks".into(),
        statistic: ks.map(|k| k.0),
        p_value: ks.map(|k| k.1),
        wasserstein: wasserstein(&x, &y),
        jensen_shannon: js,
        psi: psi(&ca, &cb),
        drifted,
        reference: counts(&labels, &ca),
        current: counts(&labels, &cb),
        missing_fraction: [missing_fraction(a), missing_fraction(b)],
    })
}

fn decide(n: usize, p: Option<f64>, js: Option<f64>) -> bool {
    if n <= SMALL {
        p.is_some_and(|p| p < P_DRIFT)
    } else {
        js.is_some_and(|d| d > JS_DRIFT)
    }
}

fn counts(labels: &[String], c: &[u64]) -> Vec<ValueCount> {
    labels
        .iter()
        .zip(c)
        .map(|(l, n)| ValueCount {
            value: l.clone(),
            count: *n,
        })
        .collect()
}

fn category_counts(s: &Series) -> PolarsResult<HashMap<String, u64>> {
    let t = s.cast(&DataType::String)?;
    let mut m = HashMap::new();
    for v in t.str()?.iter().flatten() {
        *m.entry(v.to_string()).or_insert(0) += 1;
    }
    Ok(m)
}

fn categorical_drift(
    name: &str,
    kind: ColumnKind,
    a: &Series,
    b: &Series,
) -> PolarsResult<ColumnDrift> {
    let (ma, mb) = (category_counts(a)?, category_counts(b)?);
    let mut cats: Vec<(&String, u64)> = ma
        .keys()
        .chain(mb.keys())
        .map(|k| {
            (
                k,
                ma.get(k).copied().unwrap_or(0) + mb.get(k).copied().unwrap_or(0),
            )
        })
        .collect();
    cats.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(y.0)));
    cats.dedup_by(|x, y| x.0 == y.0);
    let kept: Vec<String> = cats
        .iter()
        .take(MAX_CATEGORIES)
        .map(|c| c.0.clone())
        .collect();
    let tally = |m: &HashMap<String, u64>| {
        let mut v: Vec<u64> = kept
            .iter()
            .map(|k| m.get(k).copied().unwrap_or(0))
            .collect();
        let total: u64 = m.values().sum();
        v.push(total - v.iter().sum::<u64>());
        v
    };
    let (ca, cb) = (tally(&ma), tally(&mb));
    let mut labels = kept.clone();
    labels.push("(other)".into());
    let chi = chi_squared(&ca, &cb);
    let js = jensen_shannon(&ca, &cb);
    let n = (ma.values().sum::<u64>()).min(mb.values().sum::<u64>()) as usize;
    Ok(ColumnDrift {
        column: name.to_string(),
        kind,
        test: "chi_squared".into(),
        statistic: chi.map(|c| c.0),
        p_value: chi.map(|c| c.1),
        wasserstein: None,
        jensen_shannon: js,
        psi: psi(&ca, &cb),
        drifted: decide(n, chi.map(|c| c.1), js),
        reference: counts(&labels, &ca),
        current: counts(&labels, &cb),
        missing_fraction: [missing_fraction(a), missing_fraction(b)],
    })
}
