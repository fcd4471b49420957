//! Per-column accumulators. Each sees its column chunk by chunk, in row order, and keeps only
//! what its statistics need: numbers and dates as exact value counts (a hash table while the
//! values are few, a sorted spill of 8 bytes a value beyond), text as a table of distinct values,
//! lengths and character classes as running counts. Statistics come from the value counts at
//! the end, so a low-cardinality column costs a hash lookup a row and no sort.
//!
//! Distinct counts: numbers and dates are always exact (their values are counted or sorted for
//! the quantiles anyway). Text is exact up to `exact_distinct_limit` rows; in a larger table a
//! text column's table of values stops growing at `TEXT_TABLE_CAP` distinct values (or the
//! limit, if smaller), and from then on a HyperLogLog sketch counts the distinct values: the
//! profile marks `distinct_approximate`, `unique` is scaled from the share of values seen once
//! among the tracked ones, and the top values keep exact counts of the tracked values.

use std::collections::BTreeMap;
use std::hash::BuildHasher;

use assay_data::{ColumnKind, kind_of};
use polars::prelude::*;

use crate::hll::Hll;
use crate::model::*;
use crate::stats::{Weighted, radix_sort};

/// Keys kept in a numeric column's hash table before further values spill to a sorted list.
const KEY_TABLE_CAP: usize = 1 << 16;
/// Distinct text values tracked exactly in a table larger than `exact_distinct_limit` rows.
const TEXT_TABLE_CAP: u64 = 1 << 16;
/// Present text values kept for the semantic hints (e-mail, URL, ...).
const HINT_SAMPLE: usize = 1000;
const SEED: u64 = 0x5EED_D15C;

/// Exact counts of 64-bit keys.
#[derive(Default)]
struct KeyCounts {
    table: PlHashMap<u64, u64>,
    spill: Vec<u64>,
}

impl KeyCounts {
    #[inline]
    fn add(&mut self, key: u64) {
        if let Some(c) = self.table.get_mut(&key) {
            *c += 1;
        } else if self.spill.is_empty() && self.table.len() < KEY_TABLE_CAP {
            self.table.insert(key, 1);
        } else {
            self.spill.push(key);
        }
    }

    /// Adds `n` occurrences of `key`.
    fn add_n(&mut self, key: u64, n: u64) {
        if let Some(c) = self.table.get_mut(&key) {
            *c += n;
        } else if self.spill.is_empty() && self.table.len() < KEY_TABLE_CAP {
            self.table.insert(key, n);
        } else {
            self.spill.extend(std::iter::repeat_n(key, n as usize));
        }
    }

    /// Distinct keys, ascending, with their counts.
    fn finish(self) -> (Vec<u64>, Vec<u64>) {
        let Self { table, mut spill } = self;
        if spill.is_empty() {
            let mut pairs: Vec<(u64, u64)> = table.into_iter().collect();
            pairs.sort_unstable_by_key(|p| p.0);
            return pairs.into_iter().unzip();
        }
        // Table keys and spilled keys are disjoint: add each table key once, sort, count runs,
        // then put the table's counts back.
        spill.extend(table.keys().copied());
        radix_sort(&mut spill);
        let mut counts: Vec<u64> = Vec::new();
        let mut d = 0usize;
        for i in 0..spill.len() {
            if d > 0 && spill[d - 1] == spill[i] {
                counts[d - 1] += 1;
            } else {
                spill[d] = spill[i];
                counts.push(1);
                d += 1;
            }
        }
        spill.truncate(d);
        spill.shrink_to_fit();
        for (k, c) in spill.iter().zip(counts.iter_mut()) {
            if let Some(t) = table.get(k) {
                *c += t - 1;
            }
        }
        (spill, counts)
    }
}

/// An order-preserving key of a float (-0.0 counts as 0.0).
#[inline]
fn float_key(v: f64) -> u64 {
    let v = if v == 0.0 { 0.0 } else { v };
    let b = v.to_bits();
    if b >> 63 == 1 { !b } else { b | (1 << 63) }
}

#[inline]
fn float_of(k: u64) -> f64 {
    f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
}

#[inline]
fn int_key(v: i64) -> u64 {
    (v as u64) ^ (1 << 63)
}

#[inline]
fn int_of(k: u64) -> i64 {
    (k ^ (1 << 63)) as i64
}

/// Row-order monotonicity of the finite values seen so far.
struct Mono {
    prev: Option<f64>,
    n: u64,
    up_strict: bool,
    up: bool,
    down_strict: bool,
    down: bool,
}

impl Mono {
    fn new() -> Self {
        Self {
            prev: None,
            n: 0,
            up_strict: true,
            up: true,
            down_strict: true,
            down: true,
        }
    }

    #[inline]
    fn push(&mut self, v: f64) {
        if !(self.up || self.down) {
            return;
        }
        if let Some(p) = self.prev {
            self.up_strict &= v > p;
            self.up &= v >= p;
            self.down_strict &= v < p;
            self.down &= v <= p;
        }
        self.prev = Some(v);
        self.n += 1;
    }

    fn result(&self) -> Monotonicity {
        if !(self.up || self.down) || self.n < 2 {
            Monotonicity::None
        } else if self.up_strict {
            Monotonicity::StrictlyIncreasing
        } else if self.up {
            Monotonicity::Increasing
        } else if self.down_strict {
            Monotonicity::StrictlyDecreasing
        } else if self.down {
            Monotonicity::Decreasing
        } else {
            Monotonicity::None
        }
    }
}

/// What a column accumulates, by kind.
enum Body {
    Numeric(NumericAcc),
    Temporal(KeyCounts),
    Text(TextAcc),
    Other(TextAcc),
}

/// One column's accumulator.
pub struct ColumnAcc {
    name: String,
    dtype: DataType,
    kind: ColumnKind,
    rows: u64,
    nulls: u64,
    memory_bytes: u64,
    body: Body,
}

struct NumericAcc {
    /// Integers keep exact integer keys; floats (and u64) go through f64.
    int: bool,
    keys: KeyCounts,
    nan: u64,
    zeros: u64,
    negatives: u64,
    infinite: u64,
    mono: Mono,
}

struct TextAcc {
    text_stats: bool,
    limit: usize,
    table: PlHashMap<String, u64>,
    hll: Option<Hll>,
    hint_sample: Vec<String>,
    lengths: BTreeMap<u64, u64>,
    classes: [u64; 7],
    empty: u64,
    castable: bool,
}

const CLASS_NAMES: [&str; 7] = [
    "letter",
    "digit",
    "space",
    "punctuation",
    "other",
    "uppercase",
    "lowercase",
];

impl ColumnAcc {
    /// An empty accumulator for a column of `dtype` in a table of `rows` rows.
    pub fn new(name: &str, dtype: &DataType, rows: u64, opts: &ProfileOptions) -> Self {
        let kind = kind_of(dtype);
        let limit = if rows <= opts.exact_distinct_limit {
            usize::MAX
        } else {
            usize::try_from(opts.exact_distinct_limit.min(TEXT_TABLE_CAP)).unwrap_or(usize::MAX)
        };
        let text = |text_stats| TextAcc {
            text_stats,
            limit,
            table: PlHashMap::default(),
            hll: None,
            hint_sample: Vec::new(),
            lengths: BTreeMap::new(),
            classes: [0; 7],
            empty: 0,
            castable: true,
        };
        let body = match kind {
            ColumnKind::Numeric => Body::Numeric(NumericAcc {
                int: dtype.is_integer() && *dtype != DataType::UInt64,
                keys: KeyCounts::default(),
                nan: 0,
                zeros: 0,
                negatives: 0,
                infinite: 0,
                mono: Mono::new(),
            }),
            ColumnKind::Temporal => Body::Temporal(KeyCounts::default()),
            ColumnKind::Text => Body::Text(text(true)),
            _ => Body::Other(text(false)),
        };
        Self {
            name: name.to_string(),
            dtype: dtype.clone(),
            kind,
            rows: 0,
            nulls: 0,
            memory_bytes: 0,
            body,
        }
    }

    /// Distinct text values so far, if this is a text or boolean column counted exactly.
    pub fn exact_levels(&self) -> Option<usize> {
        match &self.body {
            Body::Text(t) | Body::Other(t) if t.hll.is_none() => Some(t.table.len()),
            _ => None,
        }
    }

    /// Adds the next chunk of the column.
    pub fn update(&mut self, c: &Column) -> PolarsResult<()> {
        let s = c.as_materialized_series();
        self.rows += s.len() as u64;
        self.nulls += s.null_count() as u64;
        self.memory_bytes += s.estimated_size() as u64;
        match &mut self.body {
            Body::Numeric(n) => n.update(s),
            Body::Temporal(k) => {
                let phys = s.to_physical_repr().cast(&DataType::Int64)?;
                for v in phys.i64()?.iter().flatten() {
                    k.add(int_key(v));
                }
                Ok(())
            }
            Body::Text(t) | Body::Other(t) => t.update(s),
        }
    }

    /// The column's profile.
    pub fn finish(mut self, opts: &ProfileOptions) -> PolarsResult<ColumnProfile> {
        let k = opts.top_values as usize;
        let hint_sample = match &mut self.body {
            Body::Text(t) => std::mem::take(&mut t.hint_sample),
            _ => Vec::new(),
        };
        let (missing_extra, distinct, approx, unique, top_values, numeric, text, temporal) =
            match self.body {
                Body::Numeric(n) => {
                    let extra = n.nan;
                    let (keys, counts) = n.keys.finish();
                    let top = top_numeric(&keys, &counts, n.int, &self.dtype, k)?;
                    let unique = counts.iter().filter(|c| **c == 1).count() as u64;
                    let distinct = keys.len() as u64;
                    let stats = numeric_stats(
                        &keys,
                        counts,
                        n.int,
                        opts.bins as usize,
                        (n.zeros, n.negatives, n.infinite),
                        n.mono.result(),
                    );
                    (extra, distinct, false, unique, top, Some(stats), None, None)
                }
                Body::Temporal(kc) => {
                    let (keys, counts) = kc.finish();
                    let unique = counts.iter().filter(|c| **c == 1).count() as u64;
                    let values = Series::new(
                        "v".into(),
                        keys.iter().map(|k| int_of(*k)).collect::<Vec<i64>>(),
                    )
                    .cast(&self.dtype)?;
                    let top = top_by(&counts, k);
                    let labels = values.take(&idx(&top))?.cast(&DataType::String)?;
                    let top_values = value_counts(labels.str()?, top.iter().map(|i| counts[*i]));
                    let stats = temporal_stats(&values, &counts)?;
                    (
                        0,
                        keys.len() as u64,
                        false,
                        unique,
                        top_values,
                        None,
                        None,
                        Some(stats),
                    )
                }
                Body::Text(t) | Body::Other(t) => {
                    let (distinct, approx, unique, top) = t.counts(k);
                    let stats = t.text_stats.then(|| t.stats(opts.bins as usize));
                    (0, distinct, approx, unique, top, None, stats, None)
                }
            };
        let missing = self.nulls + missing_extra;
        let count = self.rows - missing;
        let mut profile = ColumnProfile {
            name: self.name,
            dtype: self.dtype.to_string(),
            kind: self.kind,
            hints: Vec::new(),
            count,
            missing,
            missing_fraction: fraction(missing, self.rows),
            distinct,
            distinct_approximate: approx,
            distinct_fraction: fraction(distinct, count),
            unique,
            memory_bytes: self.memory_bytes,
            top_values,
            numeric,
            text,
            temporal,
        };
        profile.hints = crate::column::hints(&profile, &self.dtype, &hint_sample, opts);
        Ok(profile)
    }
}

pub(crate) fn fraction(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

fn idx(rows: &[usize]) -> IdxCa {
    IdxCa::from_vec("idx".into(), rows.iter().map(|&r| r as IdxSize).collect())
}

/// Positions of the `k` largest counts, ties in position order (the values are sorted).
fn top_by(counts: &[u64], k: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..counts.len()).collect();
    let cmp = |a: &usize, b: &usize| counts[*b].cmp(&counts[*a]).then(a.cmp(b));
    if order.len() > k && k > 0 {
        order.select_nth_unstable_by(k - 1, cmp);
        order.truncate(k);
    }
    order.sort_unstable_by(cmp);
    order.truncate(k);
    order
}

fn value_counts(labels: &StringChunked, counts: impl Iterator<Item = u64>) -> Vec<ValueCount> {
    labels
        .iter()
        .zip(counts)
        .map(|(v, count)| ValueCount {
            value: v.unwrap_or_default().to_string(),
            count,
        })
        .collect()
}

/// Most frequent numbers first; ties in numeric order. Labels are the engine's text of the
/// value in the column's own type.
fn top_numeric(
    keys: &[u64],
    counts: &[u64],
    int: bool,
    dtype: &DataType,
    k: usize,
) -> PolarsResult<Vec<ValueCount>> {
    let top = top_by(counts, k);
    let values = if int {
        Series::new(
            "v".into(),
            top.iter().map(|i| int_of(keys[*i])).collect::<Vec<i64>>(),
        )
    } else {
        Series::new(
            "v".into(),
            top.iter().map(|i| float_of(keys[*i])).collect::<Vec<f64>>(),
        )
    };
    let labels = values.cast(dtype)?.cast(&DataType::String)?;
    Ok(value_counts(labels.str()?, top.iter().map(|i| counts[*i])))
}

/// Calls `f` with each present value of `ca`, in row order.
#[inline]
fn for_each_present<T: PolarsNumericType>(ca: &ChunkedArray<T>, mut f: impl FnMut(T::Native)) {
    let dense = ca.null_count() == 0;
    for arr in ca.downcast_iter() {
        if dense {
            arr.values().iter().for_each(|v| f(*v));
        } else {
            arr.iter().flatten().for_each(|v| f(*v));
        }
    }
}

/// Integer ranges up to this wide are counted in an array, not a hash table.
const DENSE_RANGE: i64 = 1 << 16;

impl NumericAcc {
    fn update(&mut self, s: &Series) -> PolarsResult<()> {
        if self.int {
            let c = s.cast(&DataType::Int64)?;
            let ca = c.i64()?;
            if let (Some(lo), Some(hi)) = (ca.min(), ca.max())
                && hi.checked_sub(lo).is_some_and(|w| w < DENSE_RANGE)
            {
                let mut dense = vec![0u64; (hi - lo + 1) as usize];
                for_each_present(ca, |v| dense[(v - lo) as usize] += 1);
                for (i, n) in dense.iter().enumerate() {
                    if *n > 0 {
                        let v = lo + i as i64;
                        if v == 0 {
                            self.zeros += n;
                        } else if v < 0 {
                            self.negatives += n;
                        }
                        self.keys.add_n(int_key(v), *n);
                    }
                }
                let mono = &mut self.mono;
                for arr in ca.downcast_iter() {
                    for v in arr.iter().flatten() {
                        if !(mono.up || mono.down) {
                            break;
                        }
                        mono.push(*v as f64);
                    }
                }
                return Ok(());
            }
            let (zeros, negatives, mono, keys) = (
                &mut self.zeros,
                &mut self.negatives,
                &mut self.mono,
                &mut self.keys,
            );
            for_each_present(ca, |v| {
                if v == 0 {
                    *zeros += 1;
                } else if v < 0 {
                    *negatives += 1;
                }
                mono.push(v as f64);
                keys.add(int_key(v));
            });
        } else {
            let c = s.cast(&DataType::Float64)?;
            let NumericAcc {
                keys,
                nan,
                zeros,
                negatives,
                infinite,
                mono,
                ..
            } = self;
            for_each_present(c.f64()?, |v| {
                if v.is_nan() {
                    *nan += 1;
                    return;
                }
                if v.is_infinite() {
                    *infinite += 1;
                    if v < 0.0 {
                        *negatives += 1;
                    }
                } else {
                    if v == 0.0 {
                        *zeros += 1;
                    } else if v < 0.0 {
                        *negatives += 1;
                    }
                    mono.push(v);
                }
                keys.add(float_key(v));
            });
        }
        Ok(())
    }
}

fn numeric_stats(
    keys: &[u64],
    counts: Vec<u64>,
    int: bool,
    bins: usize,
    (zeros, negatives, infinite): (u64, u64, u64),
    monotonicity: Monotonicity,
) -> NumericStats {
    let mut values: Vec<f64> = keys
        .iter()
        .map(|k| if int { int_of(*k) as f64 } else { float_of(*k) })
        .collect();
    let mut counts = counts;
    // Infinities sort to the ends; the statistics are over finite values.
    let lo = values.iter().take_while(|v| v.is_infinite()).count();
    let hi = values.len() - values.iter().rev().take_while(|v| v.is_infinite()).count();
    let (lo, hi) = (lo.min(hi), hi);
    values.truncate(hi);
    values.drain(..lo);
    counts.truncate(hi);
    counts.drain(..lo);
    let w = Weighted::new(values, counts);
    let m = w.moments();
    let q = |p| w.quantile(p);
    let (min, max) = (w.values.first().copied(), w.values.last().copied());
    let median = q(0.5);
    let mad = median.and_then(|med| w.median_deviation(med));
    let (edges, hist) = w.histogram(bins);
    let mean = m.map(|m| m.mean);
    let std = m.and_then(|m| m.variance).map(f64::sqrt);
    NumericStats {
        min,
        max,
        range: min.zip(max).map(|(a, b)| b - a),
        mean,
        std,
        variance: m.and_then(|m| m.variance),
        sum: (!w.is_empty()).then(|| w.sum()),
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
        histogram: Histogram {
            edges,
            counts: hist,
        },
    }
}

/// Time range and per-period counts from the distinct values (in time order) and their counts.
fn temporal_stats(values: &Series, counts: &[u64]) -> PolarsResult<TemporalStats> {
    let ms = values
        .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))?
        .cast(&DataType::Int64)?;
    let ms: Vec<Option<i64>> = ms.i64()?.iter().collect();
    let present: Vec<(i64, u64)> = ms
        .iter()
        .zip(counts)
        .filter_map(|(m, c)| m.map(|m| (m, *c)))
        .collect();
    let min = present.iter().map(|p| p.0).min();
    let max = present.iter().map(|p| p.0).max();
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
    let bucket = |v: i64| -> i64 {
        match period {
            "hour" => v.div_euclid(3_600_000),
            "day" => v.div_euclid(86_400_000),
            _ => {
                use chrono::Datelike;
                chrono::DateTime::from_timestamp_millis(v).map_or(v, |d| {
                    let y = i64::from(d.year());
                    if period == "year" {
                        y
                    } else {
                        y * 12 + i64::from(d.month0())
                    }
                })
            }
        }
    };
    let mut buckets: BTreeMap<String, u64> = BTreeMap::new();
    let mut current: Option<(i64, i64, u64)> = None; // (bucket, a value in it, count)
    let flush = |b: Option<(i64, i64, u64)>, buckets: &mut BTreeMap<String, u64>| {
        if let Some((_, v, n)) = b {
            *buckets.entry(format_ms(v, format)).or_default() += n;
        }
    };
    for (v, c) in &present {
        let b = bucket(*v);
        match &mut current {
            Some((cb, _, n)) if *cb == b => *n += c,
            _ => {
                flush(current.take(), &mut buckets);
                current = Some((b, *v, *c));
            }
        }
    }
    flush(current, &mut buckets);
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

impl TextAcc {
    fn update(&mut self, s: &Series) -> PolarsResult<()> {
        let Ok(t) = s.cast(&DataType::String) else {
            self.castable = false;
            return Ok(());
        };
        let t = t.str()?;
        let mut local: PlHashMap<&str, u64> = PlHashMap::default();
        for v in t.iter().flatten() {
            *local.entry(v).or_default() += 1;
            if self.text_stats && self.hint_sample.len() < HINT_SAMPLE {
                self.hint_sample.push(v.to_string());
            }
        }
        let state = PlSeedableRandomStateQuality::seed_from_u64(SEED);
        for (v, n) in local {
            if self.text_stats {
                self.measure(v, n);
            }
            if let Some(c) = self.table.get_mut(v) {
                *c += n;
            } else if self.hll.is_none() && self.table.len() < self.limit {
                self.table.insert(v.to_string(), n);
            } else {
                let hll = self.hll.get_or_insert_with(|| {
                    let mut h = Hll::new();
                    for k in self.table.keys() {
                        h.add(state.hash_one(k.as_str()));
                    }
                    h
                });
                hll.add(state.hash_one(v));
            }
        }
        Ok(())
    }

    /// Length and character classes of `n` occurrences of `v`.
    fn measure(&mut self, v: &str, n: u64) {
        let mut len = 0u64;
        let c = &mut self.classes;
        for ch in v.chars() {
            len += 1;
            if ch.is_alphabetic() {
                if ch.is_uppercase() {
                    c[5] += n;
                } else if ch.is_lowercase() {
                    c[6] += n;
                }
                c[0] += n;
            } else if ch.is_numeric() {
                c[1] += n;
            } else if ch.is_whitespace() {
                c[2] += n;
            } else if ch.is_ascii_punctuation() || is_unicode_punct(ch) {
                c[3] += n;
            } else {
                c[4] += n;
            }
        }
        if len == 0 {
            self.empty += n;
        }
        *self.lengths.entry(len).or_default() += n;
    }

    /// Distinct, whether estimated, values seen once, and the most frequent values (ties by text).
    fn counts(&self, k: usize) -> (u64, bool, u64, Vec<ValueCount>) {
        if !self.castable {
            return (0, false, 0, Vec::new());
        }
        let mut entries: Vec<(&String, u64)> = self.table.iter().map(|(v, c)| (v, *c)).collect();
        let cmp = |a: &(&String, u64), b: &(&String, u64)| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0));
        let singles = entries.iter().filter(|e| e.1 == 1).count() as u64;
        let tracked = entries.len() as u64;
        if entries.len() > k && k > 0 {
            entries.select_nth_unstable_by(k - 1, cmp);
            entries.truncate(k);
        }
        entries.sort_unstable_by(cmp);
        entries.truncate(k);
        let top = entries
            .into_iter()
            .map(|(v, count)| ValueCount {
                value: v.clone(),
                count,
            })
            .collect();
        match &self.hll {
            None => (tracked, false, singles, top),
            Some(h) => {
                // Estimated: the distinct count by the sketch; values seen once scaled from the
                // share of singletons among the values counted exactly.
                let distinct = h.estimate().max(tracked);
                let unique = (singles as f64 / tracked.max(1) as f64 * distinct as f64).round();
                (distinct, true, unique as u64, top)
            }
        }
    }

    fn stats(&self, bins: usize) -> TextStats {
        let w = Weighted::new(
            self.lengths.keys().map(|l| *l as f64).collect(),
            self.lengths.values().copied().collect(),
        );
        let n = w.len();
        let mean_length = if n == 0 { 0.0 } else { w.sum() / n as f64 };
        let (min, max) = (
            w.values.first().copied().unwrap_or(0.0),
            w.values.last().copied().unwrap_or(0.0),
        );
        let (edges, counts) = if n == 0 {
            (Vec::new(), Vec::new())
        } else {
            w.histogram(bins.min((max - min) as usize + 1))
        };
        TextStats {
            min_length: min as u64,
            max_length: max as u64,
            mean_length,
            median_length: w.quantile(0.5).unwrap_or(0.0),
            length_histogram: Histogram { edges, counts },
            char_classes: CLASS_NAMES
                .iter()
                .zip(self.classes)
                .filter(|(_, n)| *n > 0)
                .map(|(name, n)| (name.to_string(), n))
                .collect(),
            empty: self.empty,
        }
    }
}

fn is_unicode_punct(c: char) -> bool {
    matches!(c, '\u{2010}'..='\u{2027}' | '\u{3000}'..='\u{303F}' | '¡' | '¿' | '«' | '»')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_keep_order_and_spill_counts_exactly() {
        let xs = [
            -3.5,
            -0.0,
            0.0,
            1e-300,
            2.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        let mut keys: Vec<u64> = xs.iter().map(|v| float_key(*v)).collect();
        keys.sort_unstable();
        let back: Vec<f64> = keys.iter().map(|k| float_of(*k)).collect();
        assert_eq!(
            back,
            [
                f64::NEG_INFINITY,
                -3.5,
                0.0,
                0.0,
                1e-300,
                2.0,
                f64::INFINITY
            ]
        );
        assert!(int_key(-5) < int_key(3) && int_of(int_key(i64::MIN)) == i64::MIN);

        let mut kc = KeyCounts::default();
        let n = KEY_TABLE_CAP as u64 * 3;
        for i in 0..n {
            kc.add(i % (KEY_TABLE_CAP as u64 * 2));
        }
        let (keys, counts) = kc.finish();
        assert_eq!(keys.len(), KEY_TABLE_CAP * 2);
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(counts.iter().sum::<u64>(), n);
        assert_eq!(counts[0], 2);
        assert_eq!(counts[KEY_TABLE_CAP * 2 - 1], 1);
    }
}
