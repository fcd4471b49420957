//! One column's profile, computed from the column materialised alone (memory: one column).

use std::collections::BTreeMap;

use assay_data::{ColumnKind, kind_of};
use polars::prelude::*;

use crate::model::*;
use crate::stats::{histogram, moments, quantile_sorted};
use crate::{ProfileError, ProfileOptions};

/// Profiles `s` (a whole column of the table).
pub fn profile_column(s: &Series, opts: &ProfileOptions) -> Result<ColumnProfile, ProfileError> {
    let rows = s.len() as u64;
    let kind = kind_of(s.dtype());
    let nan = if s.dtype().is_float() {
        s.is_nan().map(|m| m.sum().unwrap_or(0) as u64).unwrap_or(0)
    } else {
        0
    };
    let missing = s.null_count() as u64 + nan;
    let count = rows - missing;
    let counts = value_counts(s)?;
    let distinct = counts.len() as u64;
    let unique = counts.iter().filter(|v| v.count == 1).count() as u64;
    let mut top_values = counts;
    top_values.truncate(opts.top_values as usize);
    let numeric = (kind == ColumnKind::Numeric)
        .then(|| numeric_stats(s, opts.bins as usize))
        .transpose()?;
    let text = (kind == ColumnKind::Text)
        .then(|| text_stats(s, opts.bins as usize))
        .transpose()?;
    let temporal = (kind == ColumnKind::Temporal)
        .then(|| temporal_stats(s))
        .transpose()?;
    let mut profile = ColumnProfile {
        name: s.name().to_string(),
        dtype: s.dtype().to_string(),
        kind,
        hints: Vec::new(),
        count,
        missing,
        missing_fraction: fraction(missing, rows),
        distinct,
        distinct_approximate: false,
        distinct_fraction: fraction(distinct, count),
        unique,
        memory_bytes: s.estimated_size() as u64,
        top_values,
        numeric,
        text,
        temporal,
    };
    profile.hints = hints(&profile, s, opts);
    Ok(profile)
}

pub(crate) fn fraction(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// Present values and their counts, most frequent first (ties by value text).
fn value_counts(s: &Series) -> Result<Vec<ValueCount>, ProfileError> {
    let name = s.name().clone();
    let mut present = s.drop_nulls();
    if present.dtype().is_float() {
        present = present.filter(&present.is_not_nan()?)?;
    }
    let df = DataFrame::new(present.len(), vec![present.into_column()])?
        .lazy()
        .group_by([col(name.clone())])
        .agg([len().alias("__n")])
        .sort(
            ["__n"],
            SortMultipleOptions::default().with_order_descending(true),
        )
        .collect()?;
    let values = df.column(&name)?.cast(&DataType::String)?;
    let values = values.str()?;
    let n = df.column("__n")?.cast(&DataType::UInt64)?;
    let n = n.u64()?;
    let mut out: Vec<ValueCount> = values
        .iter()
        .zip(n.iter())
        .map(|(v, c)| ValueCount {
            value: v.unwrap_or_default().to_string(),
            count: c.unwrap_or_default(),
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    Ok(out)
}

fn numeric_stats(s: &Series, bins: usize) -> Result<NumericStats, ProfileError> {
    let f = s.cast(&DataType::Float64)?;
    let mut values = Vec::with_capacity(f.len());
    let (mut infinite, mut zeros, mut negatives) = (0u64, 0u64, 0u64);
    for v in f.f64()?.iter().flatten() {
        if v.is_nan() {
            continue;
        }
        if v.is_infinite() {
            infinite += 1;
            if v < 0.0 {
                negatives += 1;
            }
            continue;
        }
        if v == 0.0 {
            zeros += 1;
        } else if v < 0.0 {
            negatives += 1;
        }
        values.push(v);
    }
    let monotonicity = monotonicity(&values);
    let m = moments(&values);
    let mut sorted = values;
    sorted.sort_unstable_by(f64::total_cmp);
    let q = |p| quantile_sorted(&sorted, p);
    let (min, max) = (sorted.first().copied(), sorted.last().copied());
    let median = q(0.5);
    let mad = median.and_then(|med| {
        let mut dev: Vec<f64> = sorted.iter().map(|v| (v - med).abs()).collect();
        dev.sort_unstable_by(f64::total_cmp);
        quantile_sorted(&dev, 0.5)
    });
    let (edges, counts) = match (min, max) {
        (Some(lo), Some(hi)) => histogram(&sorted, lo, hi, bins),
        _ => (Vec::new(), Vec::new()),
    };
    let mean = m.map(|m| m.mean);
    let std = m.and_then(|m| m.variance).map(f64::sqrt);
    Ok(NumericStats {
        min,
        max,
        range: min.zip(max).map(|(a, b)| b - a),
        mean,
        std,
        variance: m.and_then(|m| m.variance),
        sum: (!sorted.is_empty()).then(|| sorted.iter().sum()),
        p05: q(0.05),
        p25: q(0.25),
        p50: median,
        p75: q(0.75),
        p95: q(0.95),
        iqr: q(0.75).zip(q(0.25)).map(|(a, b)| a - b),
        mad,
        cv: mean.zip(std).and_then(|(m, s)| (m != 0.0).then(|| s / m)),
        skewness: m.and_then(|m| m.skewness),
        kurtosis: m.and_then(|m| m.kurtosis),
        zeros,
        negatives,
        infinite,
        monotonicity,
        histogram: Histogram { edges, counts },
    })
}

fn monotonicity(values: &[f64]) -> Monotonicity {
    if values.len() < 2 {
        return Monotonicity::None;
    }
    let pairs = || values.windows(2);
    if pairs().all(|w| w[1] > w[0]) {
        Monotonicity::StrictlyIncreasing
    } else if pairs().all(|w| w[1] >= w[0]) {
        Monotonicity::Increasing
    } else if pairs().all(|w| w[1] < w[0]) {
        Monotonicity::StrictlyDecreasing
    } else if pairs().all(|w| w[1] <= w[0]) {
        Monotonicity::Decreasing
    } else {
        Monotonicity::None
    }
}

fn text_stats(s: &Series, bins: usize) -> Result<TextStats, ProfileError> {
    let t = s.cast(&DataType::String)?;
    let mut lengths = Vec::with_capacity(t.len());
    let mut classes: BTreeMap<String, u64> = BTreeMap::new();
    let mut empty = 0u64;
    for v in t.str()?.iter().flatten() {
        let mut n = 0u64;
        for c in v.chars() {
            n += 1;
            let class = if c.is_alphabetic() {
                if c.is_uppercase() {
                    *classes.entry("uppercase".into()).or_default() += 1;
                } else if c.is_lowercase() {
                    *classes.entry("lowercase".into()).or_default() += 1;
                }
                "letter"
            } else if c.is_numeric() {
                "digit"
            } else if c.is_whitespace() {
                "space"
            } else if c.is_ascii_punctuation() || is_unicode_punct(c) {
                "punctuation"
            } else {
                "other"
            };
            *classes.entry(class.into()).or_default() += 1;
        }
        if n == 0 {
            empty += 1;
        }
        lengths.push(n as f64);
    }
    let mean_length = if lengths.is_empty() {
        0.0
    } else {
        lengths.iter().sum::<f64>() / lengths.len() as f64
    };
    lengths.sort_unstable_by(f64::total_cmp);
    let (min, max) = (
        lengths.first().copied().unwrap_or(0.0),
        lengths.last().copied().unwrap_or(0.0),
    );
    let (edges, counts) = if lengths.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        let bins = bins.min((max - min) as usize + 1);
        histogram(&lengths, min, max, bins)
    };
    Ok(TextStats {
        min_length: min as u64,
        max_length: max as u64,
        mean_length,
        median_length: quantile_sorted(&lengths, 0.5).unwrap_or(0.0),
        length_histogram: Histogram { edges, counts },
        char_classes: classes,
        empty,
    })
}

fn is_unicode_punct(c: char) -> bool {
    matches!(c, '\u{2010}'..='\u{2027}' | '\u{3000}'..='\u{303F}' | '¡' | '¿' | '«' | '»')
}

fn temporal_stats(s: &Series) -> Result<TemporalStats, ProfileError> {
    let ms = s
        .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))?
        .cast(&DataType::Int64)?;
    let values: Vec<i64> = ms.i64()?.iter().flatten().collect();
    let (min, max) = (values.iter().min().copied(), values.iter().max().copied());
    let span_days = min.zip(max).map(|(a, b)| (b - a) as f64 / 86_400_000.0);
    let period = match span_days {
        Some(d) if d > 3.0 * 365.0 => "year",
        Some(d) if d > 90.0 => "month",
        Some(d) if d > 3.0 => "day",
        _ => "hour",
    };
    let format = match period {
        "year" => "%Y",
        "month" => "%Y-%m",
        "day" => "%Y-%m-%d",
        _ => "%Y-%m-%d %H:00",
    };
    let mut buckets: BTreeMap<String, u64> = BTreeMap::new();
    for v in &values {
        *buckets.entry(format_ms(*v, format)).or_default() += 1;
    }
    let iso = |v: i64| format_ms(v, "%Y-%m-%dT%H:%M:%S%.3f");
    Ok(TemporalStats {
        min: min.map(iso),
        max: max.map(iso),
        range_days: span_days,
        period: period.to_string(),
        histogram: buckets
            .into_iter()
            .map(|(value, count)| ValueCount { value, count })
            .collect(),
    })
}

fn format_ms(ms: i64, format: &str) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| d.format(format).to_string())
        .unwrap_or_else(|| ms.to_string())
}

fn hints(p: &ColumnProfile, s: &Series, opts: &ProfileOptions) -> Vec<SemanticHint> {
    let mut out = Vec::new();
    let integer_or_text = s.dtype().is_integer() || p.kind == ColumnKind::Text;
    if integer_or_text && p.count > 1 && p.distinct == p.count && p.missing == 0 {
        out.push(SemanticHint::IdLike);
    }
    if matches!(
        p.kind,
        ColumnKind::Text | ColumnKind::Boolean | ColumnKind::Numeric
    ) && p.distinct >= 1
        && p.distinct <= opts.thresholds.high_cardinality
        && p.distinct_fraction <= opts.thresholds.categorical_fraction
        && (p.kind != ColumnKind::Numeric || s.dtype().is_integer())
    {
        out.push(SemanticHint::Categorical);
    }
    if p.kind == ColumnKind::Text
        && let Ok(t) = s.str()
    {
        let sample: Vec<&str> = t.iter().flatten().take(1000).collect();
        let share = |f: fn(&str) -> bool| {
            !sample.is_empty()
                && sample.iter().filter(|v| f(v)).count() as f64 >= 0.9 * sample.len() as f64
        };
        if share(is_email) {
            out.push(SemanticHint::Email);
        }
        if share(is_url) {
            out.push(SemanticHint::Url);
        }
        if share(is_date_like) {
            out.push(SemanticHint::DateLike);
        }
        if share(|v| v.trim().parse::<f64>().is_ok()) {
            out.push(SemanticHint::NumericText);
        }
    }
    out
}

fn is_email(v: &str) -> bool {
    let v = v.trim();
    match v.split_once('@') {
        Some((user, domain)) => {
            !user.is_empty() && domain.contains('.') && !domain.starts_with('.') && !v.contains(' ')
        }
        None => false,
    }
}

fn is_url(v: &str) -> bool {
    let v = v.trim().to_ascii_lowercase();
    (v.starts_with("http://") || v.starts_with("https://") || v.starts_with("ftp://"))
        && v.len() > 8
}

/// `YYYY-MM-DD`, `YYYY/MM/DD`, `DD/MM/YYYY`, `MM-DD-YYYY`, optionally with a time.
fn is_date_like(v: &str) -> bool {
    let d: Vec<char> = v.trim().chars().take(10).collect();
    if d.len() < 8 {
        return false;
    }
    let digit = |i: usize| d.get(i).is_some_and(char::is_ascii_digit);
    let sep = |i: usize| d.get(i).is_some_and(|c| matches!(c, '-' | '/' | '.'));
    (d.len() == 10
        && (0..4).all(digit)
        && sep(4)
        && digit(5)
        && digit(6)
        && sep(7)
        && digit(8)
        && digit(9))
        || (d.len() == 10
            && digit(0)
            && digit(1)
            && sep(2)
            && digit(3)
            && digit(4)
            && sep(5)
            && (6..10).all(digit))
}
