//! From a typed [`Check`] to a [`Plan`]: the polars expression(s) the engine evaluates in its one
//! pass. Each rule family lives in its own file under `rules/`; this file dispatches and holds
//! the column look-ups they share. Compiling checks the rule against the data's schema, so a
//! missing column or a wrong type becomes a message for that rule alone.

mod completeness;
mod custom;
mod freshness;
mod history;
mod referential;
mod schema;
mod stats;
mod text;
mod uniqueness;
mod values;

use polars::prelude::*;

use crate::result::Observed;
use crate::suite::{Check, Period, Range};

pub(crate) use freshness::parse_timestamp;
pub use history::{HistoryOutcome, evaluate_history};

/// Opens another data set by name (for `references` rules). The error is shown on the rule.
pub type Resolver<'a> = dyn Fn(&str) -> Result<LazyFrame, String> + 'a;

/// What compiling a rule needs to know.
pub(crate) struct Ctx<'a> {
    /// The checked data.
    pub data: &'a LazyFrame,
    /// Its schema.
    pub schema: &'a Schema,
    /// Its name, for messages.
    pub dataset: &'a str,
    /// Opens other data sets.
    pub resolve: &'a Resolver<'a>,
}

/// How the engine evaluates one rule.
pub(crate) enum Plan {
    /// A row-level rule: `fails` is true on each failing row; `columns` are shown in samples.
    Rows {
        /// True where the row fails (never null).
        fails: Expr,
        /// Columns shown for failing rows.
        columns: Vec<String>,
        /// What a failing row is, e.g. "dep_time is null".
        what: String,
    },
    /// A row-level rule whose cheap `fails` may over-report (hash collisions): when it reports
    /// failing rows, the engine recounts them with `exact` in a pass of its own.
    Candidates {
        /// True on every failing row, and possibly on a few more.
        fails: Expr,
        /// True exactly on the failing rows.
        exact: Expr,
        /// Columns shown for failing rows.
        columns: Vec<String>,
        /// What a failing row is.
        what: String,
    },
    /// An aggregate: one number from the pass, compared with a range.
    Value {
        /// The statistic (cast to f64).
        value: Expr,
        /// Allowed values.
        range: Range,
        /// What it is, e.g. "mean of dep_delay".
        what: String,
    },
    /// The latest timestamp of a column (as text), compared with now.
    Latest {
        /// The maximum, as text.
        value: Expr,
        /// Allowed age.
        max_age: Period,
        /// The column.
        column: String,
    },
    /// Decided from the schema alone.
    Decided {
        /// Whether it passed.
        passed: bool,
        /// What was seen.
        observed: Observed,
        /// One sentence.
        message: String,
    },
    /// A change of a metric against its history (decided after the pass).
    Change {
        /// `row_count` or a rule id.
        of: String,
        /// Allowed change, percent.
        max_percent: f64,
        /// Past runs in the baseline.
        runs: u32,
    },
}

/// Compiles `check` against the data in `ctx`.
pub(crate) fn compile(check: &Check, ctx: &Ctx) -> Result<Plan, String> {
    let plan = match check {
        Check::NotNull { column } => completeness::not_null(ctx, column)?,
        Check::MissingFraction { column, range } => completeness::missing(ctx, column, *range)?,
        Check::Unique { columns } => uniqueness::unique(ctx, columns)?,
        Check::UniqueFraction { column, range } => uniqueness::fraction(ctx, column, *range)?,
        Check::Between { column, range } => values::between(ctx, column, *range)?,
        Check::InSet { column, values } => values::in_set(ctx, column, values, true)?,
        Check::NotInSet { column, values } => values::in_set(ctx, column, values, false)?,
        Check::Pair { left, op, right } => values::pair(ctx, left, *op, right)?,
        Check::Regex { column, pattern } => text::regex(ctx, column, pattern)?,
        Check::Length { column, range } => text::length(ctx, column, *range)?,
        Check::Type { column, is } => schema::type_is(ctx, column, is)?,
        Check::RowCount { range } => schema::row_count(*range),
        Check::Stat {
            stat,
            column,
            range,
        } => stats::stat(ctx, *stat, column, *range)?,
        Check::Freshness { column, max_age } => freshness::latest(ctx, column, *max_age)?,
        Check::References {
            column,
            dataset,
            ref_column,
        } => referential::references(ctx, column, dataset, ref_column)?,
        Check::Expression { sql } => custom::expression(ctx, sql)?,
        Check::Change {
            of,
            max_percent,
            runs,
        } => Plan::Change {
            of: of.clone(),
            max_percent: *max_percent,
            runs: *runs,
        },
    };
    verify(ctx, &plan)?;
    Ok(plan)
}

/// Resolves the plan's expressions against the schema (no data read), so that type errors are
/// caught for this rule before the shared pass.
fn verify(ctx: &Ctx, plan: &Plan) -> Result<(), String> {
    let expr = match plan {
        Plan::Rows { fails, .. } | Plan::Candidates { exact: fails, .. } => fails.clone(),
        Plan::Value { value, .. } | Plan::Latest { value, .. } => value.clone(),
        Plan::Decided { .. } | Plan::Change { .. } => return Ok(()),
    };
    let mut probe = ctx.data.clone().select([expr.alias("__probe")]);
    let schema = probe
        .collect_schema()
        .map_err(|e| first_line(&e.to_string()))?;
    if matches!(plan, Plan::Rows { .. } | Plan::Candidates { .. })
        && let Some(dtype) = schema.get("__probe")
        && !dtype.is_bool()
    {
        return Err(format!("the condition is {dtype}, not true/false"));
    }
    Ok(())
}

impl Plan {
    /// The exact row-level plan behind a [`Plan::Candidates`].
    pub(crate) fn exact(&self) -> Option<Plan> {
        match self {
            Plan::Candidates {
                exact,
                columns,
                what,
                ..
            } => Some(Plan::Rows {
                fails: exact.clone(),
                columns: columns.clone(),
                what: what.clone(),
            }),
            _ => None,
        }
    }
}

/// The first line of an engine message (polars appends plan dumps).
pub(crate) fn first_line(message: &str) -> String {
    message
        .lines()
        .next()
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// The column's type, or a message naming the data set's columns.
pub(crate) fn column<'a>(ctx: &'a Ctx, name: &str) -> Result<&'a DataType, String> {
    ctx.schema.get(name).ok_or_else(|| {
        let names: Vec<&str> = ctx.schema.iter_names().map(|n| n.as_str()).collect();
        let close = names
            .iter()
            .filter(|n| n.len() > 2)
            .min_by_key(|n| distance(&n.to_lowercase(), &name.to_lowercase()))
            .filter(|n| distance(&n.to_lowercase(), &name.to_lowercase()) <= 2);
        match close {
            Some(c) => format!(
                "no column `{name}` in `{}` (did you mean `{c}`?)",
                ctx.dataset
            ),
            None => format!(
                "no column `{name}` in `{}` (its columns: {})",
                ctx.dataset,
                names.join(", ")
            ),
        }
    })
}

/// Levenshtein distance (for "did you mean" hints).
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = (up + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = up;
        }
    }
    row[b.len()]
}

/// The column as f64, or a message when it is not numeric.
pub(crate) fn numeric(ctx: &Ctx, name: &str) -> Result<Expr, String> {
    let dtype = column(ctx, name)?;
    if dtype.is_primitive_numeric() {
        Ok(col(name).cast(DataType::Float64))
    } else {
        Err(format!("column `{name}` is {dtype}, not numeric"))
    }
}

/// The column as text, or a message when it is not text.
pub(crate) fn text(ctx: &Ctx, name: &str) -> Result<Expr, String> {
    let dtype = column(ctx, name)?;
    if dtype.is_string() {
        Ok(col(name))
    } else if dtype.is_categorical() || dtype.is_enum() {
        Ok(col(name).cast(DataType::String))
    } else {
        Err(format!("column `{name}` is {dtype}, not text"))
    }
}

/// True where `x` lies outside `range` (null where `x` is null).
pub(crate) fn outside(x: Expr, range: Range) -> Expr {
    let below = range.min.map(|m| {
        if range.min_exclusive {
            x.clone().lt_eq(lit(m))
        } else {
            x.clone().lt(lit(m))
        }
    });
    let above = range.max.map(|m| {
        if range.max_exclusive {
            x.clone().gt_eq(lit(m))
        } else {
            x.clone().gt(lit(m))
        }
    });
    match (below, above) {
        (Some(b), Some(a)) => b.or(a),
        (Some(b), None) => b,
        (None, Some(a)) => a,
        (None, None) => lit(false),
    }
}
