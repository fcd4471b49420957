//! The profile of a whole table in one pass over its rows: every column's accumulator sees each
//! chunk of rows, and everything that needs several columns (duplicates, correlations, the
//! missingness matrix, samples) is gathered from the same chunks.

use std::sync::Mutex;
use std::time::Instant;

use assay_data::{ColumnKind, ColumnSchema, row_count, rows_of, schema_of};
use polars::prelude::*;
use rayon::prelude::*;

use crate::ProfileError;
use crate::accum::{ColumnAcc, fraction};
use crate::alerts::alerts;
use crate::correlate::{CategoricalSample, NumericSample, categorical_matrix, numeric_matrices};
use crate::model::*;
use crate::sample::{sample_indices, spaced_indices};
use crate::stats::radix_sort;

/// Where a profile is.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Profiling column `done + 1` of `total`.
    Column {
        /// Columns finished.
        done: usize,
        /// Columns in all.
        total: usize,
        /// The column now.
        name: String,
    },
    /// Table-level work (duplicates, correlations, alerts).
    Table,
}

const SEED: u64 = 0x5EED_A55A;
const MATRIX_ROWS: u64 = 200;
const DUPLICATE_EXAMPLES: usize = 5;
const CATEGORICAL_MAX_DISTINCT: u64 = 50;
/// Tables estimated below this size are read in one collect; larger ones stream in chunks.
const IN_MEMORY_BYTES: u64 = 256 << 20;
/// Rows hashed together for the duplicate count.
const HASH_BLOCK: usize = 1 << 15;
/// Rows a streamed chunk holds.
const CHUNK_ROWS: usize = 1 << 18;

/// Profiles the table behind `lf` in one pass over its rows. Small tables are read in one
/// collect; larger ones stream through polars' streaming engine in chunks of rows, each
/// column's statistics accumulating chunk by chunk (memory: a chunk plus the accumulators).
/// `progress` is called before the pass and before each column's statistics are finished;
/// returning `false` cancels.
pub fn profile(
    lf: LazyFrame,
    opts: &ProfileOptions,
    progress: &mut dyn FnMut(&Step) -> bool,
) -> Result<Profile, ProfileError> {
    profile_with(lf, opts, progress, IN_MEMORY_BYTES, CHUNK_ROWS)
}

fn profile_with(
    mut lf: LazyFrame,
    opts: &ProfileOptions,
    progress: &mut dyn FnMut(&Step) -> bool,
    in_memory_bytes: u64,
    chunk_rows: usize,
) -> Result<Profile, ProfileError> {
    let started = Instant::now();
    let schema = schema_of(&mut lf, "reading the schema")?;
    let dtypes = lf.collect_schema()?;
    let rows = row_count(lf.clone())?;
    tracing::debug!(
        ms = started.elapsed().as_millis() as u64,
        rows,
        "profile: schema and row count"
    );
    let step = |done: usize| Step::Column {
        done,
        total: schema.len(),
        name: schema.get(done).map(|c| c.name.clone()).unwrap_or_default(),
    };
    if !progress(&step(0)) {
        return Err(ProfileError::Cancelled);
    }
    let mut pass = ColumnPass::new(rows, &dtypes, opts);
    let width: u64 = dtypes.iter_values().map(bytes_per_value).sum();
    let t = Instant::now();
    if rows.saturating_mul(width) <= in_memory_bytes {
        let df = lf.clone().collect()?;
        tracing::debug!(ms = t.elapsed().as_millis() as u64, "profile: read");
        pass.add(&df)?;
    } else {
        pass = stream(lf.clone(), pass, chunk_rows)?;
    }
    tracing::debug!(ms = t.elapsed().as_millis() as u64, "profile: column pass");
    let t = Instant::now();
    let ColumnPass {
        accs,
        numeric,
        categorical,
        ..
    } = &mut pass;
    let mut columns = Vec::with_capacity(accs.len());
    for (i, acc) in std::mem::take(accs).into_iter().enumerate() {
        if i > 0 && !progress(&step(i)) {
            return Err(ProfileError::Cancelled);
        }
        columns.push(acc.finish(opts)?);
    }
    tracing::debug!(
        ms = t.elapsed().as_millis() as u64,
        "profile: column statistics"
    );
    if !progress(&Step::Table) {
        return Err(ProfileError::Cancelled);
    }
    let t = Instant::now();
    let numeric: Vec<NumericSample> = numeric
        .iter_mut()
        .zip(&columns)
        .filter_map(|(values, c)| {
            let values = values.take()?;
            (c.kind == ColumnKind::Numeric && c.distinct >= 2).then(|| NumericSample {
                name: c.name.clone(),
                values,
            })
        })
        .collect();
    let categorical: Vec<CategoricalSample> = categorical
        .iter_mut()
        .zip(&columns)
        .filter_map(|(sample, c)| {
            let sample = sample.take()?;
            (c.distinct >= 2 && c.distinct <= CATEGORICAL_MAX_DISTINCT && !c.distinct_approximate)
                .then(|| CategoricalSample {
                    name: c.name.clone(),
                    levels: sample.levels.len(),
                    codes: sample.codes,
                })
        })
        .collect();
    let correlations = Correlations {
        sample_rows: pass.corr_rows.len() as u64,
        numeric: numeric_matrices(&numeric, opts.kendall_sample as usize),
        categorical: categorical_matrix(&categorical),
    };
    tracing::debug!(ms = t.elapsed().as_millis() as u64, "profile: correlations");
    let t = Instant::now();
    let duplicates = pass.duplicates(&lf)?;
    tracing::debug!(ms = t.elapsed().as_millis() as u64, "profile: duplicates");
    let table = table_stats(rows, &schema, &columns, duplicates.count);
    let alerts = alerts(&table, &columns, &correlations, &opts.thresholds);
    Ok(Profile {
        schema_version: 1,
        missing: Missingness {
            per_column: columns
                .iter()
                .map(|c| ValueCount {
                    value: c.name.clone(),
                    count: c.missing,
                })
                .collect(),
            matrix: transpose(&pass.matrix, pass.matrix_rows.len()),
            matrix_rows: pass.matrix_rows.clone(),
        },
        samples: pass.samples(&schema)?,
        table,
        columns,
        correlations,
        duplicates,
        alerts,
        run: RunInfo {
            elapsed_ms: started.elapsed().as_millis() as u64,
            engine: format!("assay {}", env!("CARGO_PKG_VERSION")),
            options: opts.clone(),
        },
    })
}

/// Runs the pass over `lf` in chunks through the streaming engine.
fn stream(lf: LazyFrame, pass: ColumnPass, chunk_rows: usize) -> Result<ColumnPass, ProfileError> {
    let shared = Arc::new(Mutex::new(Some(pass)));
    let sink = Arc::clone(&shared);
    let callback = PlanCallback::new(move |df: DataFrame| {
        let mut guard = sink
            .lock()
            .map_err(|_| polars_err!(ComputeError: "profile pass poisoned"))?;
        match guard.as_mut() {
            Some(pass) => pass.add(&df).map(|()| false),
            None => Ok(true),
        }
    });
    lf.sink_batches(callback, true, std::num::NonZeroUsize::new(chunk_rows))?
        .collect_with_engine(Engine::Streaming)?;
    let pass = shared
        .lock()
        .ok()
        .and_then(|mut g| g.take())
        .ok_or_else(|| polars_err!(ComputeError: "profile pass lost"))?;
    Ok(pass)
}

/// A rough in-memory width of one value of `dtype`, bytes.
fn bytes_per_value(dtype: &DataType) -> u64 {
    match dtype {
        DataType::Boolean | DataType::Int8 | DataType::UInt8 => 1,
        DataType::Int16 | DataType::UInt16 => 2,
        DataType::Int32 | DataType::UInt32 | DataType::Float32 | DataType::Date => 4,
        d if d.is_primitive_numeric() || d.is_temporal() => 8,
        _ => 32,
    }
}

fn table_stats(
    rows: u64,
    schema: &[ColumnSchema],
    columns: &[ColumnProfile],
    dups: u64,
) -> TableStats {
    let missing_cells: u64 = columns.iter().map(|c| c.missing).sum();
    let mut kinds = std::collections::BTreeMap::new();
    for c in schema {
        let k = serde_json::to_value(c.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        *kinds.entry(k).or_insert(0) += 1;
    }
    TableStats {
        rows,
        columns: schema.len() as u32,
        missing_cells,
        missing_cells_fraction: fraction(missing_cells, rows * schema.len() as u64),
        duplicate_rows: dups,
        duplicate_rows_fraction: fraction(dups, rows),
        memory_bytes: columns.iter().map(|c| c.memory_bytes).sum(),
        kinds,
    }
}

fn transpose(by_column: &[Vec<bool>], rows: usize) -> Vec<Vec<bool>> {
    (0..rows)
        .map(|r| by_column.iter().map(|c| c[r]).collect())
        .collect()
}

/// A categorical column's sampled values as codes, while it has few distinct values.
struct CodedSample {
    levels: PlHashMap<String, u32>,
    codes: Vec<u32>,
}

/// What the pass over the rows gathers: the columns' accumulators and, for table-level results,
/// row hashes, the missingness matrix, samples and the correlation sample.
struct ColumnPass {
    offset: u64,
    accs: Vec<ColumnAcc>,
    hashes: Vec<u64>,
    corr_rows: Vec<u64>,
    matrix_rows: Vec<u64>,
    random_rows: Vec<u64>,
    sample_rows: usize,
    /// Per column: the sampled values of a numeric column.
    numeric: Vec<Option<Vec<f64>>>,
    /// Per column: the sampled codes of a text or boolean column with few distinct values.
    categorical: Vec<Option<CodedSample>>,
    /// Per column: missing at the matrix rows.
    matrix: Vec<Vec<bool>>,
    head: Option<DataFrame>,
    tail: Option<DataFrame>,
    random: Option<DataFrame>,
}

fn idx(rows: &[u64], offset: u64) -> IdxCa {
    IdxCa::from_vec(
        "idx".into(),
        rows.iter().map(|&r| (r - offset) as IdxSize).collect(),
    )
}

/// The part of sorted `rows` in `lo..hi`.
fn within(rows: &[u64], lo: u64, hi: u64) -> &[u64] {
    let a = rows.partition_point(|&r| r < lo);
    let b = rows.partition_point(|&r| r < hi);
    &rows[a..b]
}

fn sample_numeric(values: &mut Vec<f64>, s: &Series, picked: &IdxCa) -> PolarsResult<()> {
    let s = s.take(picked)?.cast(&DataType::Float64)?;
    values.extend(s.f64()?.iter().map(|v| match v {
        Some(v) if v.is_finite() => v,
        _ => f64::NAN,
    }));
    Ok(())
}

fn sample_categorical(sample: &mut CodedSample, s: &Series, picked: &IdxCa) -> PolarsResult<()> {
    let s = s.take(picked)?.cast(&DataType::String)?;
    for v in s.str()?.iter() {
        let code = match v {
            None => u32::MAX,
            Some(v) => match sample.levels.get(v) {
                Some(c) => *c,
                None => {
                    let c = sample.levels.len() as u32;
                    sample.levels.insert(v.to_string(), c);
                    c
                }
            },
        };
        sample.codes.push(code);
    }
    Ok(())
}

fn append(into: &mut Option<DataFrame>, df: DataFrame) -> PolarsResult<()> {
    match into {
        Some(acc) => {
            acc.vstack_mut(&df)?;
        }
        None => *into = Some(df),
    }
    Ok(())
}

impl ColumnPass {
    fn new(rows: u64, schema: &Schema, opts: &ProfileOptions) -> Self {
        let sample_rows = u64::from(opts.sample_rows);
        let kinds: Vec<ColumnKind> = schema.iter_values().map(assay_data::kind_of).collect();
        Self {
            offset: 0,
            accs: schema
                .iter()
                .map(|(name, dtype)| ColumnAcc::new(name.as_str(), dtype, rows, opts))
                .collect(),
            hashes: Vec::with_capacity(rows as usize),
            corr_rows: sample_indices(rows, opts.correlation_sample, SEED),
            matrix_rows: spaced_indices(rows, MATRIX_ROWS),
            random_rows: sample_indices(rows, sample_rows, SEED ^ 1),
            sample_rows: sample_rows.min(rows) as usize,
            numeric: kinds
                .iter()
                .map(|k| (*k == ColumnKind::Numeric).then(Vec::new))
                .collect(),
            categorical: kinds
                .iter()
                .map(|k| {
                    matches!(k, ColumnKind::Text | ColumnKind::Boolean).then(|| CodedSample {
                        levels: PlHashMap::default(),
                        codes: Vec::new(),
                    })
                })
                .collect(),
            matrix: vec![Vec::new(); schema.len()],
            head: None,
            tail: None,
            random: None,
        }
    }

    /// Adds the next chunk of rows: each column (in parallel) feeds its accumulator, hashes its
    /// values for the row hashes and gives its values at the sampled rows.
    fn add(&mut self, df: &DataFrame) -> PolarsResult<()> {
        let (lo, hi) = (self.offset, self.offset + df.height() as u64);
        let cols = df.columns();
        let t = Instant::now();
        let picked = idx(within(&self.corr_rows, lo, hi), lo);
        let state = PlSeedableRandomStateQuality::seed_from_u64(SEED);
        self.accs
            .par_iter_mut()
            .zip(self.numeric.par_iter_mut())
            .zip(self.categorical.par_iter_mut())
            .zip(cols.par_iter())
            .map(|(((acc, numeric), categorical), c)| {
                acc.update(c)?;
                let s = c.as_materialized_series();
                if let Some(values) = numeric {
                    sample_numeric(values, s, &picked)?;
                }
                let few = acc
                    .exact_levels()
                    .is_some_and(|n| n as u64 <= CATEGORICAL_MAX_DISTINCT);
                if !few {
                    *categorical = None;
                }
                if let Some(sample) = categorical {
                    sample_categorical(sample, s, &picked)?;
                }
                Ok(())
            })
            .collect::<PolarsResult<()>>()?;
        tracing::trace!(
            us = t.elapsed().as_micros() as u64,
            "profile: columns of a chunk"
        );
        // Row hashes by blocks of rows in parallel (a block's hashes stay small).
        let height = df.height();
        let blocks: Vec<Vec<u64>> = (0..height)
            .step_by(HASH_BLOCK)
            .collect::<Vec<_>>()
            .par_iter()
            .map(|&start| {
                let len = HASH_BLOCK.min(height - start);
                let mut rows = Vec::with_capacity(len);
                for (j, c) in cols.iter().enumerate() {
                    let s = c.as_materialized_series().slice(start as i64, len);
                    if j == 0 {
                        s.vec_hash(state.clone(), &mut rows)?;
                    } else {
                        s.vec_hash_combine(state.clone(), &mut rows)?;
                    }
                }
                Ok(rows)
            })
            .collect::<PolarsResult<_>>()?;
        for b in blocks {
            self.hashes.extend_from_slice(&b);
        }

        let at = within(&self.matrix_rows, lo, hi);
        for (j, c) in cols.iter().enumerate() {
            for &r in at {
                let missing = match c.get((r - lo) as usize)? {
                    AnyValue::Null => true,
                    AnyValue::Float64(v) => v.is_nan(),
                    AnyValue::Float32(v) => v.is_nan(),
                    _ => false,
                };
                self.matrix[j].push(missing);
            }
        }

        let have = self.head.as_ref().map_or(0, DataFrame::height);
        if have < self.sample_rows {
            append(&mut self.head, df.head(Some(self.sample_rows - have)))?;
        }
        let mut tail = self.tail.take();
        append(&mut tail, df.tail(Some(self.sample_rows)))?;
        self.tail = tail.map(|t| t.tail(Some(self.sample_rows)));
        let picked = within(&self.random_rows, lo, hi);
        if !picked.is_empty() {
            append(&mut self.random, df.take(&idx(picked, lo))?)?;
        }
        self.offset = hi;
        tracing::trace!(us = t.elapsed().as_micros() as u64, "profile: chunk done");
        Ok(())
    }

    /// Repeated rows from the row hashes: sorted, so memory stays at two hashes a row.
    fn duplicates(&self, lf: &LazyFrame) -> Result<Duplicates, ProfileError> {
        let mut sorted = self.hashes.clone();
        radix_sort(&mut sorted);
        let mut distinct = 0u64;
        let mut repeated: Vec<(u64, u64)> = Vec::new(); // (hash, count)
        let mut i = 0;
        while i < sorted.len() {
            let mut j = i + 1;
            while j < sorted.len() && sorted[j] == sorted[i] {
                j += 1;
            }
            distinct += 1;
            if j - i > 1 {
                repeated.push((sorted[i], (j - i) as u64));
            }
            i = j;
        }
        drop(sorted);
        let count = self.hashes.len() as u64 - distinct;
        // The most repeated rows, ties by first occurrence.
        repeated.sort_unstable_by_key(|r| std::cmp::Reverse(r.1));
        let cut = repeated
            .get(DUPLICATE_EXAMPLES.saturating_sub(1))
            .map_or(0, |r| r.1);
        let wanted: PlHashMap<u64, u64> = repeated
            .iter()
            .take_while(|r| r.1 >= cut)
            .copied()
            .collect();
        let above = repeated.iter().filter(|r| r.1 > cut).count();
        let mut found: Vec<(u64, u64)> = Vec::new(); // (count, first row)
        let mut seen: PlHashMap<u64, ()> = PlHashMap::default();
        let (mut got_above, mut got_at) = (0usize, 0usize);
        for (row, h) in self.hashes.iter().enumerate() {
            if got_above == above && got_above + got_at >= DUPLICATE_EXAMPLES {
                break;
            }
            if let Some(&n) = wanted.get(h)
                && seen.insert(*h, ()).is_none()
            {
                if n > cut {
                    got_above += 1;
                } else if got_above + got_at >= DUPLICATE_EXAMPLES {
                    continue;
                } else {
                    got_at += 1;
                }
                found.push((n, row as u64));
            }
        }
        found.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        found.truncate(DUPLICATE_EXAMPLES);
        // The example rows: one read when they are close together (one slice), else one each.
        let (first, last) = (
            found.iter().map(|f| f.1).min().unwrap_or(0),
            found.iter().map(|f| f.1).max().unwrap_or(0),
        );
        let near = last - first < 100_000;
        let block = if near && !found.is_empty() {
            Some(
                lf.clone()
                    .slice(first as i64, (last - first + 1) as IdxSize)
                    .collect()?,
            )
        } else {
            None
        };
        let mut examples = Vec::new();
        for (n, row) in found {
            let cells = match &block {
                Some(df) => rows_of(&df.slice((row - first) as i64, 1))
                    .into_iter()
                    .next(),
                None => rows_of(&lf.clone().slice(row as i64, 1).collect()?)
                    .into_iter()
                    .next(),
            };
            if let Some(cells) = cells {
                examples.push(DuplicateExample {
                    row: cells,
                    count: n,
                });
            }
        }
        Ok(Duplicates { count, examples })
    }

    fn samples(&self, schema: &[ColumnSchema]) -> PolarsResult<Samples> {
        let frame = |df: &Option<DataFrame>| df.as_ref().map(rows_of).unwrap_or_default();
        Ok(Samples {
            columns: schema.iter().map(|c| c.name.clone()).collect(),
            head: frame(&self.head),
            tail: frame(&self.tail),
            random: frame(&self.random),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::SplitMix64;

    /// A table with nulls, NaN, infinities, ties, text, booleans and dates.
    fn table(n: usize) -> LazyFrame {
        let mut rng = SplitMix64::new(9);
        let mut pick = |k: u64| rng.below(k);
        let ints: Vec<Option<i64>> = (0..n)
            .map(|_| (pick(10) > 0).then(|| pick(500) as i64 - 100))
            .collect();
        let floats: Vec<Option<f64>> = (0..n)
            .map(|_| match pick(100) {
                0 => None,
                1 => Some(f64::NAN),
                2 => Some(f64::INFINITY),
                _ => Some(pick(1_000_000) as f64 / 7.0),
            })
            .collect();
        let text: Vec<Option<String>> = (0..n)
            .map(|_| (pick(20) > 0).then(|| format!("v{}", pick(30))))
            .collect();
        let flags: Vec<Option<bool>> = (0..n).map(|_| Some(pick(3) == 0)).collect();
        let days: Vec<i32> = (0..n).map(|_| 15_000 + pick(400) as i32).collect();
        let rows: Vec<i64> = (0..n as i64).map(|i| i % 1000).collect();
        let cols = vec![
            Column::new("int".into(), ints),
            Column::new("float".into(), floats),
            Column::new("text".into(), text),
            Column::new("flag".into(), flags),
            Column::new("day".into(), days)
                .cast(&DataType::Date)
                .expect("date"),
            Column::new("repeat".into(), rows),
        ];
        DataFrame::new(n, cols).expect("frame").lazy()
    }

    #[test]
    fn streamed_chunks_give_the_in_memory_profile() {
        let opts = ProfileOptions::default();
        let whole = profile_with(table(30_000), &opts, &mut |_| true, u64::MAX, CHUNK_ROWS)
            .expect("in memory");
        let chunked =
            profile_with(table(30_000), &opts, &mut |_| true, 0, 4_096).expect("streamed");
        assert_eq!(whole.table.rows, 30_000);
        assert_eq!(whole.table.duplicate_rows, chunked.table.duplicate_rows);
        for (a, b) in whole.columns.iter().zip(&chunked.columns) {
            let mut b = b.clone();
            b.memory_bytes = a.memory_bytes;
            assert_eq!(*a, b, "column {}", a.name);
        }
        assert_eq!(whole.correlations, chunked.correlations);
        assert_eq!(whole.missing, chunked.missing);
        assert_eq!(whole.samples, chunked.samples);
        assert_eq!(whole.duplicates, chunked.duplicates);
        assert_eq!(whole.alerts, chunked.alerts);
    }
}
