//! Semantic hints of a column (id-like, categorical, e-mail, URL, dates or numbers as text).

use assay_data::ColumnKind;
use polars::prelude::DataType;

use crate::ProfileOptions;
use crate::model::*;

/// Hints from a column's profile, its type and its first present text values.
pub(crate) fn hints(
    p: &ColumnProfile,
    dtype: &DataType,
    sample: &[String],
    opts: &ProfileOptions,
) -> Vec<SemanticHint> {
    let mut out = Vec::new();
    let integer_or_text = dtype.is_integer() || p.kind == ColumnKind::Text;
    if integer_or_text && p.count > 1 && p.distinct == p.count && p.missing == 0 {
        out.push(SemanticHint::IdLike);
    }
    if matches!(
        p.kind,
        ColumnKind::Text | ColumnKind::Boolean | ColumnKind::Numeric
    ) && p.distinct >= 1
        && p.distinct <= opts.thresholds.high_cardinality
        && p.distinct_fraction <= opts.thresholds.categorical_fraction
        && (p.kind != ColumnKind::Numeric || dtype.is_integer())
    {
        out.push(SemanticHint::Categorical);
    }
    if p.kind == ColumnKind::Text {
        let share = |f: fn(&str) -> bool| {
            !sample.is_empty()
                && sample.iter().filter(|v| f(v.as_str())).count() as f64
                    >= 0.9 * sample.len() as f64
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
