//! Reading a suite file. The YAML is parsed with `serde-saphyr`, which keeps the line of every
//! rule (`Spanned`); each rule is then typed on its own, so one bad rule becomes a
//! [`Diagnostic`] naming file, line and rule while the others are kept.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use serde_saphyr::Spanned;

use crate::QualityError;
use crate::suite::{
    Check, CmpOp, Diagnostic, Literal, Period, Range, Rule, Severity, Stat, Suite, TypeName,
};

/// Keys a rule item may carry besides its kind.
const META: [&str; 4] = ["name", "severity", "mostly", "description"];

/// Every rule kind a suite may use.
pub const RULE_KINDS: [&str; 23] = [
    "not_null",
    "unique",
    "between",
    "in_set",
    "not_in_set",
    "regex",
    "length",
    "type",
    "row_count",
    "mean",
    "min",
    "max",
    "median",
    "stddev",
    "sum",
    "quantile",
    "missing_fraction",
    "unique_fraction",
    "freshness",
    "references",
    "pair",
    "expression",
    "change",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSuite {
    dataset: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    rules: Vec<Spanned<Value>>,
}

/// Reads and parses the suite file at `path`.
pub fn load_suite(path: &Path) -> Result<Suite, QualityError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| QualityError::Io {
        file: file.clone(),
        message: e.to_string(),
    })?;
    parse_suite(&text, &file)
}

/// Parses suite text; `file` names it in messages. Fails only when the text is not YAML or not
/// a suite at all; a bad rule is kept in [`Suite::invalid`] and the rest is returned.
pub fn parse_suite(text: &str, file: &str) -> Result<Suite, QualityError> {
    let raw: RawSuite = serde_saphyr::from_str(text).map_err(|e| yaml_error(text, file, &e))?;
    let mut rules = Vec::new();
    let mut invalid = Vec::new();
    let mut ids = BTreeSet::new();
    for item in raw.rules {
        let line = u32::try_from(item.referenced.line()).unwrap_or(u32::MAX);
        match parse_rule(&item.value, line) {
            Ok(mut rule) => {
                rule.id = unique_id(&mut ids, &rule.id);
                rules.push(rule);
            }
            Err((rule, message)) => invalid.push(Diagnostic {
                file: file.to_string(),
                line,
                rule,
                message,
            }),
        }
    }
    Ok(Suite {
        file: file.to_string(),
        dataset: raw.dataset,
        description: raw.description,
        rules,
        invalid,
    })
}

/// The suite with every rule id made unique (`id#2`, ...), for suites built in code.
pub(crate) fn with_unique_ids(mut suite: Suite) -> Suite {
    let mut ids = BTreeSet::new();
    for rule in &mut suite.rules {
        rule.id = unique_id(&mut ids, &rule.id);
    }
    suite
}

/// `id`, or `id#2`, `id#3`, ... when taken.
fn unique_id(ids: &mut BTreeSet<String>, id: &str) -> String {
    let mut candidate = id.to_string();
    let mut n = 1;
    while ids.contains(&candidate) {
        n += 1;
        candidate = format!("{id}#{n}");
    }
    ids.insert(candidate.clone());
    candidate
}

fn yaml_error(text: &str, file: &str, e: &serde_saphyr::Error) -> QualityError {
    let (line, column) = e
        .location()
        .map(|l| (l.line(), l.column()))
        .unwrap_or_default();
    let message = first_sentence(&e.without_snippet().to_string());
    // An unclosed `{`/`[` is reported where the next item starts: blame the item before it.
    let upto = if message.contains("flow") {
        line.saturating_sub(1)
    } else {
        line
    };
    QualityError::Syntax {
        file: file.to_string(),
        line,
        column,
        what: "YAML",
        near: rule_at(text, upto),
        message,
    }
}

fn first_sentence(message: &str) -> String {
    message
        .lines()
        .next()
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// The kind of the rule item that contains `line` (the nearest `- kind:` above it, under
/// `rules:`), for messages about broken YAML.
fn rule_at(text: &str, line: u64) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let upto = usize::try_from(line).ok()?.min(lines.len());
    let rules_at = lines
        .iter()
        .position(|l| l.trim_start().starts_with("rules:"))?;
    lines[rules_at..upto].iter().rev().find_map(|l| {
        let item = l.trim_start().strip_prefix('-')?.trim_start();
        let key = item.split(':').next()?.trim();
        (!key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            .then(|| key.to_string())
    })
}

type RuleError = (String, String);

/// Types one rule item; on error returns the rule's name (or kind) and the message.
fn parse_rule(item: &Value, line: u32) -> Result<Rule, RuleError> {
    let Value::Object(map) = item else {
        return Err((
            "?".into(),
            "a rule is a mapping such as `not_null: column` or `between: {column: x, min: 0}`"
                .into(),
        ));
    };
    let name = match map.get("name") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(("?".into(), "`name` must be text".into())),
    };
    let first_key = map.keys().find(|k| !META.contains(&k.as_str())).cloned();
    let (key, args) =
        kind_of(map).map_err(|m| (name.clone().or(first_key).unwrap_or_else(|| "?".into()), m))?;
    let label = name.clone().unwrap_or_else(|| key.to_string());
    let fail = |m: String| (label.clone(), m);
    let check = parse_check(key, args).map_err(fail)?;
    let severity = severity(map.get("severity")).map_err(fail)?;
    let mostly = mostly(map.get("mostly"), &check).map_err(fail)?;
    Ok(Rule {
        id: name.clone().unwrap_or_else(|| check.default_id()),
        name,
        line,
        severity,
        mostly,
        check,
    })
}

/// The one kind key of a rule item and its arguments.
fn kind_of(map: &Map<String, Value>) -> Result<(&str, &Value), String> {
    let kinds: Vec<(&String, &Value)> = map
        .iter()
        .filter(|(k, _)| !META.contains(&k.as_str()))
        .collect();
    if let Some((unknown, _)) = kinds
        .iter()
        .find(|(k, _)| !RULE_KINDS.contains(&k.as_str()))
    {
        return Err(format!(
            "unknown rule `{unknown}` (known: {})",
            RULE_KINDS.join(", ")
        ));
    }
    match kinds.as_slice() {
        [(k, v)] => Ok((k.as_str(), v)),
        [] => Err("the item names no rule (e.g. `not_null: column`)".into()),
        many => Err(format!(
            "one rule per item; this one has {}",
            many.iter()
                .map(|(k, _)| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(" and ")
        )),
    }
}

fn severity(v: Option<&Value>) -> Result<Severity, String> {
    match v.and_then(Value::as_str) {
        None if v.is_none() => Ok(Severity::Error),
        Some("error") => Ok(Severity::Error),
        Some("warn" | "warning") => Ok(Severity::Warn),
        _ => Err("`severity` is `error` or `warn`".into()),
    }
}

fn mostly(v: Option<&Value>, check: &Check) -> Result<Option<f64>, String> {
    let Some(v) = v else { return Ok(None) };
    if !check.is_row_level() {
        return Err(format!(
            "`mostly` applies to row-level rules only, not `{}`",
            check.key()
        ));
    }
    match v.as_f64() {
        Some(m) if (0.0..=1.0).contains(&m) => Ok(Some(m)),
        _ => Err("`mostly` is a fraction between 0 and 1 (e.g. 0.97)".into()),
    }
}

/// Arguments typed by serde (unknown fields and wrong types named in the message).
fn args<T: DeserializeOwned>(v: &Value) -> Result<T, String> {
    serde_json::from_value(v.clone()).map_err(|e| e.to_string())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnArgs {
    column: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RangeArgs {
    #[serde(default)]
    column: Option<String>,
    #[serde(default)]
    q: Option<f64>,
    #[serde(default)]
    min: Option<f64>,
    #[serde(default)]
    max: Option<f64>,
    #[serde(default)]
    min_exclusive: bool,
    #[serde(default)]
    max_exclusive: bool,
}

impl RangeArgs {
    fn range(&self) -> Result<Range, String> {
        let range = Range {
            min: self.min,
            max: self.max,
            min_exclusive: self.min_exclusive,
            max_exclusive: self.max_exclusive,
        };
        match (range.min, range.max) {
            (None, None) => Err("give `min`, `max` or both".into()),
            (Some(a), Some(b)) if a > b => Err(format!("`min` ({a}) is above `max` ({b})")),
            (Some(a), _) | (_, Some(a)) if !a.is_finite() => Err("bounds must be finite".into()),
            _ => Ok(range),
        }
    }

    fn column(&self) -> Result<String, String> {
        self.column
            .clone()
            .ok_or_else(|| "missing field `column`".into())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SetArgs {
    column: String,
    values: Vec<Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegexArgs {
    column: String,
    pattern: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TypeArgs {
    column: String,
    is: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FreshnessArgs {
    column: String,
    max_age: Value,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReferenceArgs {
    column: String,
    dataset: String,
    #[serde(default)]
    ref_column: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PairArgs {
    left: String,
    op: String,
    right: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChangeArgs {
    of: String,
    max_percent: f64,
    #[serde(default = "five")]
    runs: u32,
}

fn five() -> u32 {
    5
}

/// A column given as `rule: column` or `rule: {column: ...}`.
fn one_column(v: &Value) -> Result<String, String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        _ => Ok(args::<ColumnArgs>(v)?.column),
    }
}

fn parse_check(key: &str, v: &Value) -> Result<Check, String> {
    Ok(match key {
        "not_null" => Check::NotNull {
            column: one_column(v)?,
        },
        "unique" => Check::Unique {
            columns: columns(v)?,
        },
        "between" | "length" | "missing_fraction" | "unique_fraction" | "row_count" => {
            ranged(key, v)?
        }
        "mean" | "min" | "max" | "median" | "stddev" | "sum" | "quantile" => stat(key, v)?,
        "in_set" | "not_in_set" => set(key, v)?,
        "regex" => {
            let a: RegexArgs = args(v)?;
            regex::Regex::new(&a.pattern).map_err(|e| {
                format!("invalid regex `{}`: {}", a.pattern, compact(&e.to_string()))
            })?;
            Check::Regex {
                column: a.column,
                pattern: a.pattern,
            }
        }
        "type" => {
            let a: TypeArgs = args(v)?;
            Check::Type {
                column: a.column,
                is: TypeName::parse(&a.is),
            }
        }
        "freshness" => freshness(v)?,
        "references" => {
            let a: ReferenceArgs = args(v)?;
            Check::References {
                ref_column: a.ref_column.unwrap_or_else(|| a.column.clone()),
                column: a.column,
                dataset: a.dataset,
            }
        }
        "pair" => {
            let a: PairArgs = args(v)?;
            let op = CmpOp::parse(&a.op)
                .ok_or_else(|| format!("`op` is one of > >= < <= = !=, not `{}`", a.op))?;
            Check::Pair {
                left: a.left,
                op,
                right: a.right,
            }
        }
        "expression" => expression(v)?,
        "change" => {
            let a: ChangeArgs = args(v)?;
            if !(a.max_percent.is_finite() && a.max_percent >= 0.0) {
                return Err("`max_percent` is a number of percent, 0 or more".into());
            }
            Check::Change {
                of: a.of,
                max_percent: a.max_percent,
                runs: a.runs.max(1),
            }
        }
        other => return Err(format!("unknown rule `{other}`")),
    })
}

/// The regex crate's multi-line message on one line.
fn compact(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn columns(v: &Value) -> Result<Vec<String>, String> {
    let list = match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(_) => args::<Vec<String>>(v)?,
        Value::Object(m) if m.contains_key("columns") => {
            #[derive(Deserialize)]
            #[serde(deny_unknown_fields)]
            struct Columns {
                columns: Vec<String>,
            }
            args::<Columns>(v)?.columns
        }
        _ => vec![one_column(v)?],
    };
    if list.is_empty() {
        return Err("name at least one column".into());
    }
    Ok(list)
}

fn ranged(key: &str, v: &Value) -> Result<Check, String> {
    let a: RangeArgs = args(v)?;
    if a.q.is_some() {
        return Err("`q` belongs to `quantile` rules".into());
    }
    let range = a.range()?;
    Ok(match key {
        "row_count" => {
            if a.column.is_some() {
                return Err("`row_count` takes no column".into());
            }
            Check::RowCount { range }
        }
        "between" => Check::Between {
            column: a.column()?,
            range,
        },
        "length" => Check::Length {
            column: a.column()?,
            range,
        },
        "missing_fraction" => Check::MissingFraction {
            column: a.column()?,
            range,
        },
        _ => Check::UniqueFraction {
            column: a.column()?,
            range,
        },
    })
}

fn stat(key: &str, v: &Value) -> Result<Check, String> {
    let a: RangeArgs = args(v)?;
    let stat = match key {
        "mean" => Stat::Mean,
        "min" => Stat::Min,
        "max" => Stat::Max,
        "median" => Stat::Median,
        "stddev" => Stat::Stddev,
        "sum" => Stat::Sum,
        _ => match a.q {
            Some(q) if (0.0..=1.0).contains(&q) => Stat::Quantile(q),
            _ => return Err("`quantile` needs `q` between 0 and 1".into()),
        },
    };
    if a.q.is_some() && !matches!(stat, Stat::Quantile(_)) {
        return Err("`q` belongs to `quantile` rules".into());
    }
    Ok(Check::Stat {
        stat,
        column: a.column()?,
        range: a.range()?,
    })
}

fn set(key: &str, v: &Value) -> Result<Check, String> {
    let a: SetArgs = args(v)?;
    if a.values.is_empty() {
        return Err("`values` is empty".into());
    }
    let values = a
        .values
        .iter()
        .map(literal)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(if key == "in_set" {
        Check::InSet {
            column: a.column,
            values,
        }
    } else {
        Check::NotInSet {
            column: a.column,
            values,
        }
    })
}

/// A set member: text, a number or a boolean.
pub(crate) fn literal(v: &Value) -> Result<Literal, String> {
    Ok(match v {
        Value::Bool(b) => Literal::Bool(*b),
        Value::String(s) => Literal::Text(s.clone()),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Literal::Int(i),
            None => Literal::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        other => {
            return Err(format!(
                "a set value is text, a number or a boolean, not {other}"
            ));
        }
    })
}

fn freshness(v: &Value) -> Result<Check, String> {
    let a: FreshnessArgs = args(v)?;
    let text = match &a.max_age {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let max_age = Period::parse(&text).ok_or_else(|| {
        format!("`max_age` is a number and a unit (s, m, h, d, w), e.g. `36h`; not `{text}`")
    })?;
    Ok(Check::Freshness {
        column: a.column,
        max_age,
    })
}

fn expression(v: &Value) -> Result<Check, String> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Sql {
        sql: String,
    }
    let sql = match v {
        Value::String(s) => s.clone(),
        _ => args::<Sql>(v)?.sql,
    };
    if sql.trim().is_empty() {
        return Err("the expression is empty".into());
    }
    Ok(Check::Expression { sql })
}
