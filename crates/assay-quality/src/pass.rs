//! The shared pass: every compiled rule's fail flags, counts, failing-row samples and aggregates
//! in one lazy `select` over one scan. Row-level rules first become boolean columns (computed
//! once), then each contributes its fail count and the first N failing row numbers and cells
//! (`filter` + `head` + `implode`), so samples need no second pass.

use assay_data::any_to_json;
use polars::prelude::*;

use crate::result::{FailingSample, SampleRow};
use crate::rules::Plan;

/// What the pass measured for one plan.
pub(crate) enum Measure {
    /// A row-level rule.
    Rows {
        /// Failing rows.
        failing: u64,
        /// The first failing rows.
        sample: FailingSample,
    },
    /// An aggregate (None when undefined, e.g. the mean of no values).
    Value(Option<f64>),
    /// A maximum as text.
    Latest(Option<String>),
    /// Nothing measured (decided without data).
    Nothing,
}

const ROW: &str = "__assay_row";

/// Evaluates `plans` over `data` in one pass: the row count and one [`Measure`] per plan.
pub(crate) fn evaluate(
    data: &LazyFrame,
    plans: &[&Plan],
    sample_rows: usize,
) -> PolarsResult<(u64, Vec<Measure>)> {
    let mut flags = Vec::new();
    let mut aggs = vec![len().alias("__rows")];
    for (k, plan) in plans.iter().enumerate() {
        match plan {
            Plan::Rows { fails, columns, .. } | Plan::Candidates { fails, columns, .. } => {
                let x = col(format!("__x{k}"));
                flags.push(fails.clone().alias(format!("__x{k}")));
                aggs.push(x.clone().sum().alias(format!("__f{k}")));
                aggs.push(sampled(col(ROW), &x, sample_rows).alias(format!("__r{k}")));
                for (j, c) in columns.iter().enumerate() {
                    aggs.push(
                        sampled(col(c.as_str()), &x, sample_rows).alias(format!("__s{k}_{j}")),
                    );
                }
            }
            Plan::Value { value, .. } => {
                aggs.push(
                    value
                        .clone()
                        .cast(DataType::Float64)
                        .alias(format!("__v{k}")),
                );
            }
            Plan::Latest { value, .. } => aggs.push(value.clone().alias(format!("__v{k}"))),
            Plan::Decided { .. } | Plan::Change { .. } => {}
        }
    }
    let mut lf = data.clone();
    if !flags.is_empty() {
        lf = lf.with_row_index(ROW, None).with_columns(flags);
    }
    let df = lf.select(aggs).collect()?;
    let rows = scalar_u64(&df, "__rows")?;
    let measures = plans
        .iter()
        .enumerate()
        .map(|(k, plan)| read(&df, k, plan))
        .collect::<PolarsResult<Vec<_>>>()?;
    Ok((rows, measures))
}

/// The first `n` values of `x` where `fails`, as a one-row list.
fn sampled(x: Expr, fails: &Expr, n: usize) -> Expr {
    x.filter(fails.clone()).head(Some(n)).implode(false)
}

fn read(df: &DataFrame, k: usize, plan: &Plan) -> PolarsResult<Measure> {
    Ok(match plan {
        Plan::Rows { columns, .. } | Plan::Candidates { columns, .. } => {
            let failing = scalar_u64(df, &format!("__f{k}"))?;
            let rows: Vec<u64> = listed(df, &format!("__r{k}"))?
                .iter()
                .map(|v| v.extract::<u64>().unwrap_or_default())
                .collect();
            let mut cells: Vec<Vec<serde_json::Value>> = vec![Vec::new(); rows.len()];
            for j in 0..columns.len() {
                for (i, v) in listed(df, &format!("__s{k}_{j}"))?.iter().enumerate() {
                    if let Some(row) = cells.get_mut(i) {
                        row.push(any_to_json(v));
                    }
                }
            }
            let rows = rows
                .into_iter()
                .zip(cells)
                .map(|(row, values)| SampleRow { row, values })
                .collect();
            Measure::Rows {
                failing,
                sample: FailingSample {
                    columns: columns.clone(),
                    rows,
                },
            }
        }
        Plan::Value { .. } => {
            Measure::Value(df.column(&format!("__v{k}"))?.get(0)?.extract::<f64>())
        }
        Plan::Latest { .. } => Measure::Latest(match df.column(&format!("__v{k}"))?.get(0)? {
            AnyValue::Null => None,
            v => Some(v.str_value().to_string()),
        }),
        Plan::Decided { .. } | Plan::Change { .. } => Measure::Nothing,
    })
}

fn scalar_u64(df: &DataFrame, name: &str) -> PolarsResult<u64> {
    Ok(df
        .column(name)?
        .get(0)?
        .extract::<u64>()
        .unwrap_or_default())
}

/// The values of the one-row list column `name`.
fn listed(df: &DataFrame, name: &str) -> PolarsResult<Vec<AnyValue<'static>>> {
    let column = df.column(name)?.as_materialized_series().clone();
    let Some(inner) = column.list()?.get_as_series(0) else {
        return Ok(Vec::new());
    };
    (0..inner.len())
        .map(|i| inner.get(i).map(|v| v.into_static()))
        .collect()
}
