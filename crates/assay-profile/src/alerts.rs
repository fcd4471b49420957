//! Alerts: ydata-profiling's list, from the computed statistics and configurable thresholds.

use assay_data::ColumnKind;

use crate::model::*;
use crate::stats::chi_squared;

fn alert(kind: AlertKind, column: Option<&str>, message: String, value: Option<f64>) -> Alert {
    Alert {
        kind,
        column: column.map(str::to_string),
        message,
        value,
    }
}

/// Every alert of a profile, table-level first, then per column in table order.
pub fn alerts(
    table: &TableStats,
    columns: &[ColumnProfile],
    correlations: &Correlations,
    t: &Thresholds,
) -> Vec<Alert> {
    let mut out = Vec::new();
    if table.duplicate_rows > 0 {
        out.push(alert(
            AlertKind::Duplicates,
            None,
            format!(
                "{} duplicate rows ({:.1}%)",
                table.duplicate_rows,
                table.duplicate_rows_fraction * 100.0
            ),
            Some(table.duplicate_rows_fraction),
        ));
    }
    for c in columns {
        column_alerts(c, table.rows, t, &mut out);
    }
    correlation_alerts(correlations, t, &mut out);
    out
}

fn column_alerts(c: &ColumnProfile, rows: u64, t: &Thresholds, out: &mut Vec<Alert>) {
    let name = Some(c.name.as_str());
    if c.count == 0 {
        out.push(alert(
            AlertKind::Empty,
            name,
            format!("{} has no values", c.name),
            None,
        ));
        return;
    }
    if c.distinct == 1 {
        let v = c.top_values.first().map(|v| v.value.as_str()).unwrap_or("");
        out.push(alert(
            AlertKind::Constant,
            name,
            format!("{} has the constant value \"{v}\"", c.name),
            None,
        ));
    }
    if c.missing_fraction > t.missing {
        out.push(alert(
            AlertKind::Missing,
            name,
            format!(
                "{} has {} missing values ({:.1}%)",
                c.name,
                c.missing,
                c.missing_fraction * 100.0
            ),
            Some(c.missing_fraction),
        ));
    }
    if c.distinct == c.count && c.count == rows && rows > 1 {
        out.push(alert(
            AlertKind::Unique,
            name,
            format!("{} has unique values", c.name),
            Some(1.0),
        ));
    } else if c.kind == ColumnKind::Text && c.distinct > t.high_cardinality {
        out.push(alert(
            AlertKind::HighCardinality,
            name,
            format!(
                "{} has a high cardinality: {} distinct values",
                c.name, c.distinct
            ),
            Some(c.distinct as f64),
        ));
    }
    if let Some(n) = &c.numeric {
        numeric_alerts(c, n, t, out);
    }
    if let Some(text) = &c.text
        && c.distinct > 1
        && text.min_length == text.max_length
    {
        out.push(alert(
            AlertKind::ConstantLength,
            name,
            format!("{} values all have length {}", c.name, text.min_length),
            Some(text.min_length as f64),
        ));
    }
    if c.hints.contains(&SemanticHint::DateLike) {
        out.push(alert(
            AlertKind::DateAsString,
            name,
            format!("{} holds dates stored as text", c.name),
            None,
        ));
    }
    if c.hints.contains(&SemanticHint::Categorical) && c.distinct > 1 {
        let imbalance = imbalance(&c.top_values, c.count, c.distinct);
        if imbalance > t.imbalance {
            out.push(alert(
                AlertKind::Imbalance,
                name,
                format!(
                    "{} is highly imbalanced ({:.0}%)",
                    c.name,
                    imbalance * 100.0
                ),
                Some(imbalance),
            ));
        }
    }
}

fn numeric_alerts(c: &ColumnProfile, n: &NumericStats, t: &Thresholds, out: &mut Vec<Alert>) {
    let name = Some(c.name.as_str());
    let zeros = crate::accum::fraction(n.zeros, c.count);
    if zeros > t.zeros {
        out.push(alert(
            AlertKind::Zeros,
            name,
            format!("{} has {} zeros ({:.1}%)", c.name, n.zeros, zeros * 100.0),
            Some(zeros),
        ));
    }
    if n.infinite > 0 {
        out.push(alert(
            AlertKind::Infinite,
            name,
            format!("{} has {} infinite values", c.name, n.infinite),
            Some(n.infinite as f64),
        ));
    }
    if let Some(s) = n.skewness.filter(|s| s.abs() > t.skewness) {
        out.push(alert(
            AlertKind::Skewed,
            name,
            format!("{} is highly skewed (γ1 = {s:.2})", c.name),
            Some(s),
        ));
    }
    if is_uniform(&n.histogram.counts) && c.distinct > 2 {
        out.push(alert(
            AlertKind::Uniform,
            name,
            format!("{} is uniformly distributed", c.name),
            None,
        ));
    }
}

/// ydata-profiling's test: a chi-squared test of the histogram against equal counts, p > 0.999.
fn is_uniform(counts: &[u64]) -> bool {
    let total: u64 = counts.iter().sum();
    if counts.len() < 3 || total < 30 {
        return false;
    }
    let expected: Vec<u64> = counts
        .iter()
        .enumerate()
        .map(|(i, _)| {
            total / counts.len() as u64 + u64::from((i as u64) < total % counts.len() as u64)
        })
        .collect();
    chi_squared(counts, &expected).is_some_and(|(_, p)| p > 0.999)
}

/// 1 - normalised Shannon entropy of the value distribution (0 balanced, 1 one value).
fn imbalance(top: &[ValueCount], count: u64, distinct: u64) -> f64 {
    if distinct < 2 || count == 0 {
        return 0.0;
    }
    let mut h = 0.0;
    let mut seen = 0u64;
    for v in top {
        let p = v.count as f64 / count as f64;
        h -= p * p.ln();
        seen += v.count;
    }
    let rest = distinct.saturating_sub(top.len() as u64);
    if rest > 0 && count > seen {
        let p = (count - seen) as f64 / count as f64 / rest as f64;
        h -= rest as f64 * p * p.ln();
    }
    1.0 - h / (distinct as f64).ln()
}

fn correlation_alerts(c: &Correlations, t: &Thresholds, out: &mut Vec<Alert>) {
    let matrices = c
        .numeric
        .iter()
        .filter(|m| m.method != "kendall")
        .chain(c.categorical.iter());
    let mut flagged = std::collections::BTreeSet::new();
    for m in matrices {
        for i in 0..m.columns.len() {
            for j in (i + 1)..m.columns.len() {
                if let Some(v) = m.values[i][j].filter(|v| v.abs() > t.high_correlation)
                    && flagged.insert((m.columns[i].clone(), m.columns[j].clone()))
                {
                    out.push(alert(
                        AlertKind::HighCorrelation,
                        Some(&m.columns[i]),
                        format!(
                            "{} is highly correlated with {} ({} {v:.2})",
                            m.columns[i], m.columns[j], m.method
                        ),
                        Some(v),
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniform_and_imbalance() {
        assert!(is_uniform(&[100, 101, 99, 100, 100]));
        assert!(!is_uniform(&[500, 10, 10, 10, 10]));
        let balanced = [
            ValueCount {
                value: "a".into(),
                count: 50,
            },
            ValueCount {
                value: "b".into(),
                count: 50,
            },
        ];
        assert!(imbalance(&balanced, 100, 2).abs() < 1e-12);
        let skewed = [
            ValueCount {
                value: "a".into(),
                count: 99,
            },
            ValueCount {
                value: "b".into(),
                count: 1,
            },
        ];
        assert!(imbalance(&skewed, 100, 2) > 0.9);
    }
}
