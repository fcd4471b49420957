//! From a table to the feature matrix the detectors see: select the columns, sample rows above
//! `max_rows`, cast numbers to f64, encode categories, apply the missing-value policy and drop
//! constant features, each step recorded as a note.

use std::collections::HashMap;

use assay_data::{ColumnKind, kind_of};
use ndarray::Array2;
use polars::prelude::*;

use crate::model::{Encoding, Feature};
use crate::sample::sample_positions;
use crate::{AnomalyError, DetectOptions, MissingPolicy};

/// Fewest rows a detection runs on.
pub(crate) const MIN_ROWS: usize = 3;

/// The prepared input of a detection.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    /// Rows x features, missing values already handled.
    pub x: Array2<f64>,
    /// One entry per matrix column.
    pub features: Vec<Feature>,
    /// The table row of each matrix row, ascending.
    pub row_index: Vec<u64>,
    /// Rows in the table.
    pub table_rows: u64,
    /// Labels per matrix row, when a label column was given.
    pub labels: Option<Vec<bool>>,
    /// What was done, in plain words.
    pub notes: Vec<String>,
}

/// A feature column before the matrix is built (NaN = missing).
struct Candidate {
    feature: Feature,
    values: Vec<f64>,
}

/// Builds the matrix for `opts` from `lf`.
pub(crate) fn prepare(lf: LazyFrame, opts: &DetectOptions) -> Result<Prepared, AnomalyError> {
    let mut lf = lf;
    let schema = lf.collect_schema()?;
    let columns = choose_columns(&schema, opts)?;
    let table_rows = assay_data::row_count(lf.clone())? as usize;
    let mut notes = Vec::new();
    let rows = sample_positions(table_rows, opts.max_rows as usize, opts.seed, 0);
    if rows.len() < table_rows {
        notes.push(format!(
            "{table_rows} rows: scored a seeded uniform sample of {} rows (max_rows)",
            rows.len()
        ));
    }
    let take = (rows.len() < table_rows).then(|| index_array(&rows));
    let frame = load_frame(&lf, &schema, &columns, opts.label.as_deref(), take.as_ref())?;
    let mut candidates = Vec::new();
    for (name, dtype) in &columns {
        let s = load(&frame, name)?;
        candidates.extend(encode(name, dtype, &s, opts.max_levels as usize)?);
    }
    let labels = match &opts.label {
        Some(label) => Some(load_labels(&frame, label, &mut notes)?),
        None => None,
    };
    let row_index: Vec<u64> = rows.iter().map(|&r| r as u64).collect();
    finish(
        candidates,
        row_index,
        labels,
        table_rows as u64,
        notes,
        opts.missing,
    )
}

/// The feature columns: the user's choice, or every numeric and boolean column but the label.
fn choose_columns(
    schema: &Schema,
    opts: &DetectOptions,
) -> Result<Vec<(String, DataType)>, AnomalyError> {
    if opts.columns.is_empty() {
        let picked: Vec<(String, DataType)> = schema
            .iter()
            .filter(|(name, _)| opts.label.as_deref() != Some(name.as_str()))
            .filter(|(_, dt)| matches!(kind_of(dt), ColumnKind::Numeric | ColumnKind::Boolean))
            .map(|(name, dt)| (name.to_string(), dt.clone()))
            .collect();
        if picked.is_empty() {
            return Err(AnomalyError::NoUsableColumns {
                reason: "the table has no numeric or boolean columns; choose categorical columns explicitly".into(),
            });
        }
        return Ok(picked);
    }
    opts.columns
        .iter()
        .map(|name| {
            let dt = schema
                .get(name.as_str())
                .ok_or_else(|| AnomalyError::UnknownColumn {
                    column: name.clone(),
                })?;
            if kind_of(dt) == ColumnKind::Other {
                return Err(AnomalyError::UnsupportedColumn {
                    column: name.clone(),
                    dtype: dt.to_string(),
                });
            }
            Ok((name.clone(), dt.clone()))
        })
        .collect()
}

fn index_array(rows: &[usize]) -> IdxCa {
    IdxCa::from_vec("idx".into(), rows.iter().map(|&r| r as IdxSize).collect())
}

/// The chosen columns and the label (when the table has it), read in one pass and restricted
/// to the sampled rows.
fn load_frame(
    lf: &LazyFrame,
    schema: &Schema,
    columns: &[(String, DataType)],
    label: Option<&str>,
    take: Option<&IdxCa>,
) -> Result<DataFrame, AnomalyError> {
    let mut names: Vec<&str> = Vec::with_capacity(columns.len() + 1);
    let wanted = columns.iter().map(|(n, _)| n.as_str());
    for name in wanted.chain(label.filter(|l| schema.get(l).is_some())) {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let df = lf
        .clone()
        .select(names.iter().map(|n| col(*n)).collect::<Vec<_>>())
        .collect()?;
    Ok(match take {
        Some(idx) => df.take(idx)?,
        None => df,
    })
}

/// One column of the loaded frame.
fn load(frame: &DataFrame, name: &str) -> Result<Series, AnomalyError> {
    Ok(frame.column(name)?.as_materialized_series().clone())
}

/// A column as f64 values, NaN for nulls and non-finite values.
fn as_f64(s: &Series) -> Result<Vec<f64>, AnomalyError> {
    let f = s.to_physical_repr().cast(&DataType::Float64)?;
    Ok(f.f64()?
        .iter()
        .map(|v| v.filter(|x| x.is_finite()).unwrap_or(f64::NAN))
        .collect())
}

/// The features one column becomes.
fn encode(
    name: &str,
    dtype: &DataType,
    s: &Series,
    max_levels: usize,
) -> Result<Vec<Candidate>, AnomalyError> {
    let encoding = match kind_of(dtype) {
        ColumnKind::Numeric | ColumnKind::Temporal => Encoding::Numeric,
        ColumnKind::Boolean => Encoding::Boolean,
        ColumnKind::Text => return encode_categorical(name, s, max_levels),
        ColumnKind::Other => {
            return Err(AnomalyError::UnsupportedColumn {
                column: name.into(),
                dtype: dtype.to_string(),
            });
        }
    };
    Ok(vec![Candidate {
        feature: feature(name.into(), name, encoding),
        values: as_f64(s)?,
    }])
}

fn feature(name: String, column: &str, encoding: Encoding) -> Feature {
    Feature {
        name,
        column: column.into(),
        encoding,
        imputed: 0,
    }
}

/// One-hot up to `max_levels` levels (missing is a level), else the level's frequency.
fn encode_categorical(
    name: &str,
    s: &Series,
    max_levels: usize,
) -> Result<Vec<Candidate>, AnomalyError> {
    let text = s.cast(&DataType::String)?;
    let values: Vec<Option<&str>> = text.str()?.iter().collect();
    let mut counts: HashMap<Option<&str>, usize> = HashMap::new();
    for v in &values {
        *counts.entry(*v).or_default() += 1;
    }
    let n = values.len().max(1) as f64;
    if counts.len() > max_levels {
        let freq = values.iter().map(|v| counts[v] as f64 / n).collect();
        return Ok(vec![Candidate {
            feature: feature(format!("{name} (frequency)"), name, Encoding::Frequency),
            values: freq,
        }]);
    }
    let mut levels: Vec<Option<&str>> = counts.keys().copied().collect();
    levels.sort();
    Ok(levels
        .into_iter()
        .map(|level| Candidate {
            feature: feature(
                format!("{name}={}", level.unwrap_or("(missing)")),
                name,
                Encoding::OneHot,
            ),
            values: values
                .iter()
                .map(|v| f64::from(u8::from(*v == level)))
                .collect(),
        })
        .collect())
}

/// The label column as booleans (> 0.5 or true = anomaly; missing = normal, noted).
fn load_labels(
    frame: &DataFrame,
    label: &str,
    notes: &mut Vec<String>,
) -> Result<Vec<bool>, AnomalyError> {
    let s = load(frame, label).map_err(|e| match e {
        AnomalyError::Engine(_) => AnomalyError::UnknownColumn {
            column: label.into(),
        },
        other => other,
    })?;
    if !matches!(
        kind_of(s.dtype()),
        ColumnKind::Numeric | ColumnKind::Boolean
    ) {
        return Err(AnomalyError::UnsupportedColumn {
            column: label.into(),
            dtype: s.dtype().to_string(),
        });
    }
    let values = as_f64(&s)?;
    let missing = values.iter().filter(|v| v.is_nan()).count();
    if missing > 0 {
        notes.push(format!(
            "label `{label}`: {missing} missing labels counted as normal"
        ));
    }
    Ok(values.iter().map(|&v| v > 0.5).collect())
}

/// Applies the missing-value policy, drops unusable features and builds the matrix.
fn finish(
    mut candidates: Vec<Candidate>,
    mut row_index: Vec<u64>,
    mut labels: Option<Vec<bool>>,
    table_rows: u64,
    mut notes: Vec<String>,
    policy: MissingPolicy,
) -> Result<Prepared, AnomalyError> {
    match policy {
        MissingPolicy::Error => refuse_missing(&candidates)?,
        MissingPolicy::DropRows => {
            drop_rows(&mut candidates, &mut row_index, &mut labels, &mut notes);
        }
        MissingPolicy::Median => {}
    }
    if row_index.len() < MIN_ROWS {
        return Err(AnomalyError::TooFewRows {
            rows: row_index.len(),
            min: MIN_ROWS,
        });
    }
    let mut dropped = Vec::new();
    candidates.retain_mut(|c| keep(c, &mut dropped));
    notes.extend(dropped.iter().map(|d| format!("dropped {d}")));
    if candidates.is_empty() {
        return Err(AnomalyError::NoUsableColumns {
            reason: dropped.join("; "),
        });
    }
    let x = to_matrix(&candidates, row_index.len());
    Ok(Prepared {
        x,
        features: candidates.into_iter().map(|c| c.feature).collect(),
        row_index,
        table_rows,
        labels,
        notes,
    })
}

fn refuse_missing(candidates: &[Candidate]) -> Result<(), AnomalyError> {
    for c in candidates {
        let count = c.values.iter().filter(|v| v.is_nan()).count();
        if count > 0 {
            return Err(AnomalyError::MissingValues {
                column: c.feature.column.clone(),
                count,
            });
        }
    }
    Ok(())
}

fn drop_rows(
    candidates: &mut [Candidate],
    row_index: &mut Vec<u64>,
    labels: &mut Option<Vec<bool>>,
    notes: &mut Vec<String>,
) {
    let keep: Vec<bool> = (0..row_index.len())
        .map(|r| candidates.iter().all(|c| !c.values[r].is_nan()))
        .collect();
    let dropped = keep.iter().filter(|k| !**k).count();
    if dropped == 0 {
        return;
    }
    notes.push(format!(
        "left out {dropped} rows with missing values (policy drop_rows)"
    ));
    for c in candidates.iter_mut() {
        retain_rows(&mut c.values, &keep);
    }
    retain_rows(row_index, &keep);
    if let Some(l) = labels.as_mut() {
        retain_rows(l, &keep);
    }
}

/// Keeps the elements whose `keep` flag is set.
fn retain_rows<T>(v: &mut Vec<T>, keep: &[bool]) {
    let mut i = 0;
    v.retain(|_| {
        i += 1;
        keep[i - 1]
    });
}

/// Imputes the median; false (with a reason) for all-missing or constant features.
fn keep(c: &mut Candidate, dropped: &mut Vec<String>) -> bool {
    let mut finite: Vec<f64> = c.values.iter().copied().filter(|v| !v.is_nan()).collect();
    if finite.is_empty() {
        dropped.push(format!("`{}`: all values missing", c.feature.name));
        return false;
    }
    let missing = c.values.len() - finite.len();
    if missing > 0 {
        let median = crate::stats::median(&mut finite);
        c.values
            .iter_mut()
            .filter(|v| v.is_nan())
            .for_each(|v| *v = median);
        c.feature.imputed = missing as u64;
    }
    let first = c.values[0];
    if c.values.iter().all(|&v| v == first) {
        dropped.push(format!("`{}`: constant", c.feature.name));
        return false;
    }
    true
}

fn to_matrix(candidates: &[Candidate], rows: usize) -> Array2<f64> {
    let d = candidates.len();
    Array2::from_shape_fn((rows, d), |(r, j)| candidates[j].values[r])
}

#[cfg(test)]
mod tests {
    use polars::prelude::*;

    use super::prepare;
    use crate::{AnomalyError, DetectOptions};

    fn frame() -> LazyFrame {
        df!(
            "a" => [1.0, 2.0, 3.0, 4.0, 5.0],
            "b" => [5.0, 3.0, 4.0, 1.0, 2.0],
            "label" => [0, 0, 1, 0, 0],
        )
        .expect("frame")
        .lazy()
    }

    #[test]
    fn features_and_labels_come_from_one_read() {
        let opts = DetectOptions {
            label: Some("label".into()),
            columns: vec!["a".into(), "b".into(), "a".into()],
            ..DetectOptions::default()
        };
        let p = prepare(frame(), &opts).expect("prepared");
        assert_eq!(p.x.dim(), (5, 3));
        assert_eq!(p.labels, Some(vec![false, false, true, false, false]));
    }

    #[test]
    fn an_unknown_label_is_named() {
        let opts = DetectOptions {
            label: Some("nope".into()),
            ..DetectOptions::default()
        };
        assert!(matches!(
            prepare(frame(), &opts),
            Err(AnomalyError::UnknownColumn { column }) if column == "nope"
        ));
    }
}
