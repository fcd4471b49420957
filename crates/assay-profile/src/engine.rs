//! The profile of a whole table. Columns are read one at a time (projection pushdown keeps
//! memory to one column), and everything that needs several columns (duplicates, correlations,
//! the missingness matrix, samples) is gathered along the way from that same column pass.

use std::collections::HashMap;
use std::time::Instant;

use assay_data::{ColumnKind, ColumnSchema, row_count, rows_of, schema_of};
use polars::prelude::*;

use crate::ProfileError;
use crate::alerts::alerts;
use crate::column::{fraction, profile_column};
use crate::correlate::{CategoricalSample, NumericSample, categorical_matrix, numeric_matrices};
use crate::model::*;
use crate::sample::{sample_indices, spaced_indices};

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

/// Profiles the table behind `lf`. `progress` is called before each step; returning `false`
/// cancels.
pub fn profile(
    mut lf: LazyFrame,
    opts: &ProfileOptions,
    progress: &mut dyn FnMut(&Step) -> bool,
) -> Result<Profile, ProfileError> {
    let started = Instant::now();
    let schema = schema_of(&mut lf, "reading the schema")?;
    let rows = row_count(lf.clone())?;
    let mut pass = ColumnPass::new(rows, opts);
    let mut columns = Vec::with_capacity(schema.len());
    for (i, c) in schema.iter().enumerate() {
        let step = Step::Column {
            done: i,
            total: schema.len(),
            name: c.name.clone(),
        };
        if !progress(&step) {
            return Err(ProfileError::Cancelled);
        }
        let df = lf.clone().select([col(c.name.as_str())]).collect()?;
        let s = df.column(c.name.as_str())?.as_materialized_series().clone();
        let p = profile_column(&s, opts)?;
        pass.add(&s, &p, i == 0)?;
        columns.push(p);
    }
    if !progress(&Step::Table) {
        return Err(ProfileError::Cancelled);
    }
    let duplicates = pass.duplicates(&lf)?;
    let correlations = Correlations {
        sample_rows: pass.corr_rows.len() as u64,
        numeric: numeric_matrices(&pass.numeric, opts.kendall_sample as usize),
        categorical: categorical_matrix(&pass.categorical),
    };
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

/// What the column pass gathers for table-level results.
struct ColumnPass {
    rows: u64,
    hashes: Vec<u64>,
    corr_rows: Vec<u64>,
    matrix_rows: Vec<u64>,
    random_rows: Vec<u64>,
    sample_rows: u64,
    numeric: Vec<NumericSample>,
    categorical: Vec<CategoricalSample>,
    matrix: Vec<Vec<bool>>,
    head: Vec<Column>,
    tail: Vec<Column>,
    random: Vec<Column>,
}

fn idx(rows: &[u64]) -> IdxCa {
    IdxCa::from_vec("idx".into(), rows.iter().map(|&r| r as IdxSize).collect())
}

impl ColumnPass {
    fn new(rows: u64, opts: &ProfileOptions) -> Self {
        let sample_rows = u64::from(opts.sample_rows);
        Self {
            rows,
            hashes: Vec::new(),
            corr_rows: sample_indices(rows, opts.correlation_sample, SEED),
            matrix_rows: spaced_indices(rows, MATRIX_ROWS),
            random_rows: sample_indices(rows, sample_rows, SEED ^ 1),
            sample_rows,
            numeric: Vec::new(),
            categorical: Vec::new(),
            matrix: Vec::new(),
            head: Vec::new(),
            tail: Vec::new(),
            random: Vec::new(),
        }
    }

    fn add(&mut self, s: &Series, p: &ColumnProfile, first: bool) -> PolarsResult<()> {
        let state = PlSeedableRandomStateQuality::seed_from_u64(SEED);
        if first {
            s.vec_hash(state, &mut self.hashes)?;
        } else {
            s.vec_hash_combine(state, &mut self.hashes)?;
        }
        let missing = missing_mask(s)?;
        self.matrix.push(
            self.matrix_rows
                .iter()
                .map(|&r| missing[r as usize])
                .collect(),
        );
        let k = self.sample_rows.min(self.rows) as usize;
        self.head.push(s.head(Some(k)).into_column());
        self.tail.push(s.tail(Some(k)).into_column());
        self.random
            .push(s.take(&idx(&self.random_rows))?.into_column());
        let distinct_ok = p.distinct >= 2 && p.distinct <= CATEGORICAL_MAX_DISTINCT;
        if p.kind == ColumnKind::Numeric && p.distinct >= 2 {
            let picked = s.take(&idx(&self.corr_rows))?.cast(&DataType::Float64)?;
            let values = picked
                .f64()?
                .iter()
                .map(|v| v.unwrap_or(f64::NAN))
                .collect();
            self.numeric.push(NumericSample {
                name: p.name.clone(),
                values,
            });
        }
        if matches!(p.kind, ColumnKind::Text | ColumnKind::Boolean) && distinct_ok {
            let picked = s.take(&idx(&self.corr_rows))?.cast(&DataType::String)?;
            let values = picked
                .str()?
                .iter()
                .map(|v| v.map(str::to_string))
                .collect();
            self.categorical.push(CategoricalSample {
                name: p.name.clone(),
                values,
            });
        }
        Ok(())
    }

    fn duplicates(&self, lf: &LazyFrame) -> Result<Duplicates, ProfileError> {
        let mut seen: HashMap<u64, (u64, u64)> = HashMap::with_capacity(self.hashes.len());
        for (row, h) in self.hashes.iter().enumerate() {
            seen.entry(*h).or_insert((0, row as u64)).0 += 1;
        }
        let count = self.rows - seen.len() as u64;
        let mut repeated: Vec<(u64, u64)> = seen.into_values().filter(|(n, _)| *n > 1).collect();
        repeated.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut examples = Vec::new();
        for (n, row) in repeated.into_iter().take(DUPLICATE_EXAMPLES) {
            let df = lf.clone().slice(row as i64, 1).collect()?;
            if let Some(cells) = rows_of(&df).into_iter().next() {
                examples.push(DuplicateExample {
                    row: cells,
                    count: n,
                });
            }
        }
        Ok(Duplicates { count, examples })
    }

    fn samples(&self, schema: &[ColumnSchema]) -> PolarsResult<Samples> {
        let frame = |cols: &[Column]| -> PolarsResult<Vec<Vec<serde_json::Value>>> {
            let height = cols.first().map_or(0, Column::len);
            Ok(rows_of(&DataFrame::new(height, cols.to_vec())?))
        };
        Ok(Samples {
            columns: schema.iter().map(|c| c.name.clone()).collect(),
            head: frame(&self.head)?,
            tail: frame(&self.tail)?,
            random: frame(&self.random)?,
        })
    }
}

fn missing_mask(s: &Series) -> PolarsResult<Vec<bool>> {
    let nulls = s.is_null();
    let mask: Vec<bool> = if s.dtype().is_float() {
        let nan = s.is_nan()?;
        nulls
            .iter()
            .zip(nan.iter())
            .map(|(a, b)| a.unwrap_or(false) || b.unwrap_or(false))
            .collect()
    } else {
        nulls.iter().map(|a| a.unwrap_or(false)).collect()
    };
    Ok(mask)
}
