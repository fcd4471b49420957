//! Referential integrity: every present value of a column exists in another data set's column
//! (`flights.dest -> airports.faa`). One anti-join of the distinct values finds the missing
//! keys; the shared pass then counts and samples the rows that hold them.

use polars::prelude::*;

use super::{Ctx, Plan, column, first_line};

/// `references: {column, dataset, ref_column}`.
pub(crate) fn references(
    ctx: &Ctx,
    name: &str,
    dataset: &str,
    ref_column: &str,
) -> Result<Plan, String> {
    let here = column(ctx, name)?.clone();
    let mut other =
        (ctx.resolve)(dataset).map_err(|e| format!("cannot open data set `{dataset}`: {e}"))?;
    let schema = other.collect_schema().map_err(|e| {
        format!(
            "cannot read data set `{dataset}`: {}",
            first_line(&e.to_string())
        )
    })?;
    let there = schema
        .get(ref_column)
        .ok_or_else(|| format!("no column `{ref_column}` in `{dataset}`"))?;
    let comparable = (here.is_primitive_numeric() && there.is_primitive_numeric())
        || assay_data::kind_of(&here) == assay_data::kind_of(there);
    if !comparable {
        return Err(format!(
            "`{name}` ({here}) cannot be compared with `{dataset}.{ref_column}` ({there})"
        ));
    }
    let missing = missing_keys(ctx.data, name, other, ref_column, &here)?;
    Ok(Plan::Rows {
        fails: col(name).is_in(lit(missing).implode(false), false),
        columns: vec![name.to_string()],
        what: format!("{name} not in {dataset}.{ref_column}"),
    })
}

/// The distinct present values of `name` that `ref_column` of `other` lacks.
fn missing_keys(
    data: &LazyFrame,
    name: &str,
    other: LazyFrame,
    ref_column: &str,
    dtype: &DataType,
) -> Result<Series, String> {
    let keys = data
        .clone()
        .select([col(name)])
        .drop_nulls(None)
        .unique(None, UniqueKeepStrategy::Any);
    let known = other
        .select([col(ref_column).cast(dtype.clone()).alias(name)])
        .drop_nulls(None)
        .unique(None, UniqueKeepStrategy::Any);
    let df = keys
        .join(
            known,
            [col(name)],
            [col(name)],
            JoinArgs::new(JoinType::Anti),
        )
        .collect()
        .map_err(|e| format!("the anti-join failed: {}", first_line(&e.to_string())))?;
    df.column(name)
        .map(|c| c.as_materialized_series().clone())
        .map_err(|e| first_line(&e.to_string()))
}
