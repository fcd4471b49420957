//! Writing a suite as YAML: one rule per item, arguments in a flow mapping on the rule's line,
//! so that a diff of a suite file shows one changed line per changed rule. What this writes,
//! [`crate::parse_suite`] reads back to the same rules.

use std::fmt::Write;

use crate::suggest::Suggestion;
use crate::suite::{Check, Literal, Range, Rule, Severity, Stat, Suite, number};

/// The suite as YAML text. `notes` add a `# reason` comment above their rule (e.g. why a rule
/// was suggested); pass `&[]` for none.
pub fn to_yaml(suite: &Suite, notes: &[Suggestion]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "dataset: {}", scalar(&suite.dataset));
    if let Some(d) = &suite.description {
        let _ = writeln!(out, "description: {}", scalar(d));
    }
    out.push_str("rules:\n");
    for rule in &suite.rules {
        for note in notes.iter().filter(|n| n.rule == rule.id) {
            let _ = writeln!(out, "  # {}", note.reason.replace('\n', " "));
        }
        write_rule(&mut out, rule);
    }
    out
}

fn write_rule(out: &mut String, rule: &Rule) {
    let _ = writeln!(out, "  - {}: {}", rule.check.key(), arguments(&rule.check));
    if let Some(name) = &rule.name {
        let _ = writeln!(out, "    name: {}", scalar(name));
    }
    if rule.severity == Severity::Warn {
        out.push_str("    severity: warn\n");
    }
    if let Some(m) = rule.mostly {
        let _ = writeln!(out, "    mostly: {}", number(m));
    }
}

/// The rule's arguments: a bare scalar where the schema allows one, else a flow mapping.
fn arguments(check: &Check) -> String {
    let map = |pairs: Vec<(&str, String)>| {
        let inner: Vec<String> = pairs
            .into_iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect();
        format!("{{{}}}", inner.join(", "))
    };
    let col = |c: &str| ("column", scalar(c));
    match check {
        Check::NotNull { column } => scalar(column),
        Check::Unique { columns } => match columns.as_slice() {
            [one] => scalar(one),
            many => list(many.iter().map(|c| scalar(c))),
        },
        Check::Between { column, range }
        | Check::Length { column, range }
        | Check::MissingFraction { column, range }
        | Check::UniqueFraction { column, range } => map(with_range(vec![col(column)], range)),
        Check::RowCount { range } => map(with_range(Vec::new(), range)),
        Check::Stat {
            stat,
            column,
            range,
        } => {
            let mut pairs = vec![col(column)];
            if let Stat::Quantile(q) = stat {
                pairs.push(("q", number(*q)));
            }
            map(with_range(pairs, range))
        }
        Check::InSet { column, values } | Check::NotInSet { column, values } => map(vec![
            col(column),
            ("values", list(values.iter().map(literal))),
        ]),
        Check::Regex { column, pattern } => map(vec![col(column), ("pattern", quoted(pattern))]),
        Check::Type { column, is } => map(vec![col(column), ("is", scalar(is.label()))]),
        Check::Freshness { column, max_age } => {
            map(vec![col(column), ("max_age", max_age.describe())])
        }
        Check::References {
            column,
            dataset,
            ref_column,
        } => map(vec![
            col(column),
            ("dataset", scalar(dataset)),
            ("ref_column", scalar(ref_column)),
        ]),
        Check::Pair { left, op, right } => map(vec![
            ("left", scalar(left)),
            ("op", quoted(op.symbol())),
            ("right", scalar(right)),
        ]),
        Check::Expression { sql } => quoted(sql),
        Check::Change {
            of,
            max_percent,
            runs,
        } => map(vec![
            ("of", scalar(of)),
            ("max_percent", number(*max_percent)),
            ("runs", runs.to_string()),
        ]),
    }
}

fn with_range<'a>(mut pairs: Vec<(&'a str, String)>, r: &Range) -> Vec<(&'a str, String)> {
    if let Some(m) = r.min {
        pairs.push(("min", number(m)));
    }
    if let Some(m) = r.max {
        pairs.push(("max", number(m)));
    }
    if r.min_exclusive {
        pairs.push(("min_exclusive", "true".into()));
    }
    if r.max_exclusive {
        pairs.push(("max_exclusive", "true".into()));
    }
    pairs
}

fn list(items: impl Iterator<Item = String>) -> String {
    format!("[{}]", items.collect::<Vec<_>>().join(", "))
}

fn literal(v: &Literal) -> String {
    match v {
        Literal::Text(s) => scalar(s),
        other => other.to_string(),
    }
}

/// Text as a plain YAML scalar when that reads back as the same text, else double-quoted.
pub(crate) fn scalar(s: &str) -> String {
    let plain = s
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '/')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./".contains(c))
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
        );
    if plain { s.to_string() } else { quoted(s) }
}

/// Text as a double-quoted YAML scalar (JSON string escapes are valid YAML).
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
}
