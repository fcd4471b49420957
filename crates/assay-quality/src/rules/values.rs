//! Value rules: `between`, `in_set` / `not_in_set` and `pair` (a comparison of two columns).
//! Missing values never fail these (use `not_null` for that).

use polars::prelude::*;

use super::text::text_flags;
use super::{Ctx, Plan, column, numeric, outside};
use crate::suite::{CmpOp, Literal, Range};

/// `between: {column, min, max, min_exclusive, max_exclusive}`.
pub(crate) fn between(ctx: &Ctx, name: &str, range: Range) -> Result<Plan, String> {
    let x = numeric(ctx, name)?;
    let fails = match integer_bounds(column(ctx, name)?, range) {
        Some((below, above)) => outside_integer(col(name), below, above),
        None => outside(x, range),
    };
    Ok(Plan::Rows {
        fails: fails.fill_null(false),
        columns: vec![name.to_string()],
        what: format!("{name} outside {}", range.describe()),
    })
}

/// For a 32- or 64-bit integer column and whole bounds: the column's own literals for "fails
/// below" and "fails above" (exclusive bounds moved by one), so the column is compared without
/// a cast to f64. `None` otherwise.
fn integer_bounds(dtype: &DataType, range: Range) -> Option<(Option<Expr>, Option<Expr>)> {
    let limit = match dtype {
        DataType::Int64 => 9_007_199_254_740_992.0, // 2^53: every whole f64 below is exact
        DataType::Int32 => f64::from(i32::MAX) - 1.0,
        _ => return None,
    };
    let whole = |m: f64| (m.fract() == 0.0 && m.abs() < limit).then_some(m as i64);
    let typed = |v: i64| match dtype {
        DataType::Int32 => lit(v as i32),
        _ => lit(v),
    };
    // x fails below when x < min (x <= min when exclusive, i.e. x < min + 1).
    let below = match range.min {
        Some(m) => Some(typed(whole(m)? + i64::from(range.min_exclusive))),
        None => None,
    };
    let above = match range.max {
        Some(m) => Some(typed(whole(m)? - i64::from(range.max_exclusive))),
        None => None,
    };
    Some((below, above))
}

/// True where `x` is below `below` or above `above` (null where `x` is null).
fn outside_integer(x: Expr, below: Option<Expr>, above: Option<Expr>) -> Expr {
    match (
        below.map(|b| x.clone().lt(b)),
        above.map(|a| x.clone().gt(a)),
    ) {
        (Some(b), Some(a)) => b.or(a),
        (Some(b), None) => b,
        (None, Some(a)) => a,
        (None, None) => lit(false),
    }
}

/// The set as a series of one type, or a message when the values mix kinds.
fn set_series(values: &[Literal]) -> Result<Series, String> {
    let all = |f: fn(&Literal) -> bool| values.iter().all(f);
    if all(|v| matches!(v, Literal::Text(_))) {
        let v: Vec<&str> = values
            .iter()
            .filter_map(|v| match v {
                Literal::Text(s) => Some(s.as_str()),
                _ => None,
            })
            .collect();
        Ok(Series::new("set".into(), v))
    } else if all(|v| matches!(v, Literal::Bool(_))) {
        let v: Vec<bool> = values
            .iter()
            .filter_map(|v| match v {
                Literal::Bool(b) => Some(*b),
                _ => None,
            })
            .collect();
        Ok(Series::new("set".into(), v))
    } else if all(|v| matches!(v, Literal::Int(_) | Literal::Float(_))) {
        let v: Vec<f64> = values
            .iter()
            .filter_map(|v| match v {
                Literal::Int(i) => Some(*i as f64),
                Literal::Float(x) => Some(*x),
                _ => None,
            })
            .collect();
        Ok(Series::new("set".into(), v))
    } else {
        Err("the values mix text, numbers and booleans; use one kind".into())
    }
}

/// The column cast to the set's type, or a message when they cannot be compared.
fn comparable(ctx: &Ctx, name: &str, set: &Series) -> Result<Expr, String> {
    let dtype = column(ctx, name)?;
    let ok = match set.dtype() {
        DataType::String => dtype.is_string() || dtype.is_categorical() || dtype.is_enum(),
        DataType::Boolean => dtype.is_bool(),
        _ => dtype.is_primitive_numeric(),
    };
    if ok {
        Ok(col(name).cast(set.dtype().clone()))
    } else {
        Err(format!(
            "column `{name}` is {dtype} but the values are {}",
            set.dtype()
        ))
    }
}

/// `in_set` (`inside`) or `not_in_set`: `{column, values: [...]}`.
pub(crate) fn in_set(
    ctx: &Ctx,
    name: &str,
    values: &[Literal],
    inside: bool,
) -> Result<Plan, String> {
    let set = set_series(values)?;
    let x = comparable(ctx, name, &set)?;
    let shown: Vec<String> = values.iter().take(5).map(|v| v.to_string()).collect();
    let more = if values.len() > 5 { ", ..." } else { "" };
    let what = if inside { "not in" } else { "in" };
    let fails = if set.dtype().is_string() {
        // Text: one set look-up per distinct value.
        let members: PlHashSet<String> = set
            .str()
            .map_err(|e| e.to_string())?
            .iter()
            .flatten()
            .map(str::to_string)
            .collect();
        text_flags(x, move |s| members.contains(s) != inside, true)
    } else {
        let member = x.is_in(lit(set).implode(false), false);
        let fails = if inside { member.not() } else { member };
        fails.and(col(name).is_not_null()).fill_null(false)
    };
    Ok(Plan::Rows {
        fails,
        columns: vec![name.to_string()],
        what: format!("{name} {what} {{{}{more}}}", shown.join(", ")),
    })
}

/// `pair: {left, op, right}`: fails where both are present and the comparison is false.
pub(crate) fn pair(ctx: &Ctx, left: &str, op: CmpOp, right: &str) -> Result<Plan, String> {
    let (l, r) = (column(ctx, left)?, column(ctx, right)?);
    let same_kind = (l.is_primitive_numeric() && r.is_primitive_numeric())
        || assay_data::kind_of(l) == assay_data::kind_of(r);
    if !same_kind {
        return Err(format!(
            "columns `{left}` ({l}) and `{right}` ({r}) cannot be compared"
        ));
    }
    let (a, b) = (col(left), col(right));
    let holds = match op {
        CmpOp::Gt => a.gt(b),
        CmpOp::Ge => a.gt_eq(b),
        CmpOp::Lt => a.lt(b),
        CmpOp::Le => a.lt_eq(b),
        CmpOp::Eq => a.eq(b),
        CmpOp::Ne => a.neq(b),
    };
    Ok(Plan::Rows {
        fails: holds.not().fill_null(false),
        columns: vec![left.to_string(), right.to_string()],
        what: format!("not {left} {} {right}", op.symbol()),
    })
}
