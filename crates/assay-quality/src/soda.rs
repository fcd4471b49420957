//! SodaCL checks files (YAML): import the checks we share, export ours. Whatever has no
//! counterpart is listed in `not_converted` with the reason, never dropped silently.
//!
//! Converted: `row_count`, `missing_count(c) = 0`, `missing_percent(c)`, `duplicate_count(..) = 0`,
//! `invalid_count(c) = 0` / `invalid_percent(c)` with `valid values`, `invalid values`,
//! `valid regex`, `valid min/max`, `valid length`, `valid min/max length`;
//! `avg/min/max/sum/stddev(c)`, `percentile(c, q)`, `freshness(c)`, `values in (c) must exist in
//! ds (c)`, `failed rows` with `fail condition`, `schema` with `when wrong column type`;
//! `name`, and a lone `warn:` threshold as severity warn.

use std::fmt::Write;

use serde_json::{Map, Value};

use crate::gx::strip_not;
use crate::parse::literal;
use crate::suite::{Check, Literal, Period, Range, Rule, Severity, Stat, Suite, TypeName, number};
use crate::yaml::scalar;
use crate::{Exported, Imported, NotConverted, QualityError};

/// Reads a SodaCL checks file. The first `checks for <dataset>` section sets the data set;
/// checks of other sections are converted too (their data set is noted as not converted).
pub fn import(yaml: &str, file: &str) -> Result<Imported, QualityError> {
    let doc: Map<String, Value> = serde_saphyr::from_str(yaml).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or_default();
        QualityError::Syntax {
            file: file.to_string(),
            line,
            column,
            what: "YAML",
            near: None,
            message: e.without_snippet().to_string(),
        }
    })?;
    let mut dataset = None;
    let mut rules = Vec::new();
    let mut not_converted = Vec::new();
    let mut lines = LineFinder::new(yaml);
    for (key, value) in &doc {
        let Some(name) = key.strip_prefix("checks for ") else {
            not_converted.push(NotConverted {
                at: format!("line {}", lines.find(key)),
                what: key.clone(),
                reason: "only `checks for <dataset>` sections convert".into(),
            });
            continue;
        };
        let name = name.trim().to_string();
        if dataset.as_ref().is_some_and(|d| d != &name) {
            not_converted.push(NotConverted {
                at: format!("line {}", lines.find(key)),
                what: key.clone(),
                reason: format!("a suite checks one data set; `{name}` is another"),
            });
            continue;
        }
        dataset.get_or_insert(name);
        for item in value.as_array().map(Vec::as_slice).unwrap_or_default() {
            let (text, config) = split_item(item);
            let line = lines.find(&text);
            match check_item(&text, config) {
                Ok(mut converted) => {
                    for r in &mut converted {
                        r.line = line;
                    }
                    rules.append(&mut converted);
                }
                Err(reason) => not_converted.push(NotConverted {
                    at: format!("line {line}"),
                    what: text,
                    reason,
                }),
            }
        }
    }
    not_converted.sort_by_key(|n| n.at.trim_start_matches("line ").parse::<u32>().unwrap_or(0));
    let suite = Suite {
        file: file.to_string(),
        dataset: dataset.unwrap_or_else(|| "dataset".into()),
        description: None,
        rules,
        invalid: Vec::new(),
    };
    Ok(Imported {
        suite: crate::parse::with_unique_ids(suite),
        not_converted,
    })
}

/// Finds the line of each check text, searching forward from the last one found.
struct LineFinder<'a> {
    lines: Vec<&'a str>,
    next: usize,
}

impl<'a> LineFinder<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            lines: text.lines().collect(),
            next: 0,
        }
    }

    fn find(&mut self, needle: &str) -> u32 {
        let hit = (self.next..self.lines.len())
            .chain(0..self.next)
            .find(|&i| self.lines.get(i).is_some_and(|l| l.contains(needle)));
        match hit {
            Some(i) => {
                self.next = i + 1;
                u32::try_from(i + 1).unwrap_or(u32::MAX)
            }
            None => 0,
        }
    }
}

/// A check item's text and its configuration (empty for a plain string item).
fn split_item(item: &Value) -> (String, Map<String, Value>) {
    match item {
        Value::String(s) => (s.clone(), Map::new()),
        Value::Object(m) if m.len() == 1 => match m.iter().next() {
            Some((k, Value::Object(c))) => (k.clone(), c.clone()),
            Some((k, _)) => (k.clone(), Map::new()),
            None => (String::new(), Map::new()),
        },
        other => (other.to_string(), Map::new()),
    }
}

/// A parsed `metric(args) <condition>`.
struct Parsed {
    metric: String,
    args: Vec<String>,
    condition: Condition,
}

enum Condition {
    Compare(String, f64, bool),
    Between(f64, f64),
    None,
}

fn parse_text(text: &str) -> Result<Parsed, String> {
    let re = regex::Regex::new(
        r"(?i)^\s*([a-z_]+)\s*(?:\(([^)]*)\))?\s*(?:(<=|>=|!=|=|<|>)\s*(-?[0-9.]+)\s*(%)?|between\s+(-?[0-9.]+)\s*%?\s+and\s+(-?[0-9.]+)\s*%?)?\s*$",
    )
    .map_err(|e| e.to_string())?;
    let c = re
        .captures(text)
        .ok_or("not a `metric(column) <op> <threshold>` check Assay reads")?;
    let num = |i: usize| -> Result<Option<f64>, String> {
        c.get(i)
            .map(|m| m.as_str().parse::<f64>().map_err(|e| e.to_string()))
            .transpose()
    };
    let condition = match (c.get(3), num(4)?, num(6)?, num(7)?) {
        (Some(op), Some(x), _, _) => Condition::Compare(op.as_str().into(), x, c.get(5).is_some()),
        (_, _, Some(a), Some(b)) => Condition::Between(a, b),
        _ => Condition::None,
    };
    Ok(Parsed {
        metric: c
            .get(1)
            .map(|m| m.as_str().to_ascii_lowercase())
            .unwrap_or_default(),
        args: c
            .get(2)
            .map(|m| {
                m.as_str()
                    .split(',')
                    .map(|a| a.trim().to_string())
                    .filter(|a| !a.is_empty())
                    .collect()
            })
            .unwrap_or_default(),
        condition,
    })
}

/// The range a condition allows (`< 5` → `(-∞, 5)`); `scale` divides (percent → share).
fn range_of(condition: &Condition, scale: f64) -> Result<Range, String> {
    Ok(match condition {
        Condition::Between(a, b) => Range::closed(Some(a / scale), Some(b / scale)),
        Condition::Compare(op, x, _) => {
            let x = x / scale;
            let mut r = Range::default();
            match op.as_str() {
                "<" => (r.max, r.max_exclusive) = (Some(x), true),
                "<=" => r.max = Some(x),
                ">" => (r.min, r.min_exclusive) = (Some(x), true),
                ">=" => r.min = Some(x),
                "=" => (r.min, r.max) = (Some(x), Some(x)),
                _ => return Err("`!=` thresholds have no Assay counterpart".into()),
            }
            r
        }
        Condition::None => return Err("the check has no threshold".into()),
    })
}

fn is_zero(condition: &Condition) -> bool {
    match condition {
        Condition::Compare(op, x, _) => {
            ((op == "=" || op == "<=") && *x == 0.0) || (op == "<" && *x == 1.0)
        }
        _ => false,
    }
}

/// `<= p%`: the share of rows that may fail, as `mostly`.
fn mostly_of(condition: &Condition) -> Option<f64> {
    match condition {
        Condition::Compare(op, p, true) if op == "<=" => {
            Some(((1.0 - p / 100.0) * 1e9).round() / 1e9)
        }
        _ => None,
    }
}

fn check_item(text: &str, config: Map<String, Value>) -> Result<Vec<Rule>, String> {
    let (text, severity, config) = alert_form(text, config)?;
    let name = config
        .get("name")
        .and_then(Value::as_str)
        .map(str::to_string);
    let checks = checks_of(&text, &config)?;
    Ok(checks
        .into_iter()
        .map(|(check, mostly)| Rule {
            id: name.clone().unwrap_or_else(|| check.default_id()),
            name: name.clone(),
            line: 0,
            severity,
            mostly,
            check,
        })
        .collect())
}

/// Folds the `warn: when ...` / `fail: when ...` form into the check text.
fn alert_form(
    text: &str,
    mut config: Map<String, Value>,
) -> Result<(String, Severity, Map<String, Value>), String> {
    let mut clause = |key: &str| -> Option<String> {
        let when = config
            .get(key)?
            .as_str()?
            .trim()
            .strip_prefix("when ")?
            .to_string();
        config.remove(key);
        Some(when)
    };
    let warn = clause("warn");
    let fail = clause("fail");
    let (when, severity) = match (fail, warn) {
        (Some(f), _) => (f, Severity::Error),
        (None, Some(w)) => (w, Severity::Warn),
        (None, None) => return Ok((text.to_string(), Severity::Error, config)),
    };
    let negated =
        negate(&when).ok_or_else(|| format!("the alert `when {when}` has no Assay counterpart"))?;
    Ok((format!("{text} {negated}"), severity, config))
}

/// The condition under which a check passes, given the one under which it alerts.
fn negate(when: &str) -> Option<String> {
    let w = when.trim();
    if let Some(rest) = w.strip_prefix("not between ") {
        return Some(format!("between {rest}"));
    }
    for (op, not) in [
        (">=", "<"),
        ("<=", ">"),
        ("!=", "="),
        (">", "<="),
        ("<", ">="),
        ("=", "!="),
    ] {
        if let Some(rest) = w.strip_prefix(op) {
            return Some(format!("{not} {}", rest.trim()));
        }
    }
    None
}

type Converted = Vec<(Check, Option<f64>)>;

fn checks_of(text: &str, config: &Map<String, Value>) -> Result<Converted, String> {
    let t = text.trim();
    if t == "failed rows" {
        return failed_rows(config);
    }
    if t == "schema" {
        return schema(config);
    }
    if let Some(rest) = t.strip_prefix("values in") {
        return reference(rest);
    }
    if let Some(converted) = freshness_text(t) {
        return converted;
    }
    let p = parse_text(t)?;
    if let Some(k) = config
        .keys()
        .find(|k| !is_validity_key(k) && k.as_str() != "name")
    {
        return Err(format!("configuration `{k}` has no Assay counterpart"));
    }
    let column = || match p.args.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(format!("`{}` needs exactly one column", p.metric)),
    };
    let stat = |s: Stat| -> Result<Converted, String> {
        Ok(vec![(
            Check::Stat {
                stat: s,
                column: column()?,
                range: range_of(&p.condition, 1.0)?,
            },
            None,
        )])
    };
    match p.metric.as_str() {
        "row_count" => Ok(vec![(
            Check::RowCount {
                range: range_of(&p.condition, 1.0)?,
            },
            None,
        )]),
        "missing_count" if is_zero(&p.condition) => {
            Ok(vec![(Check::NotNull { column: column()? }, None)])
        }
        "missing_count" => Err("only `missing_count(c) = 0` converts; use missing_percent".into()),
        "missing_percent" => Ok(vec![match mostly_of(&p.condition) {
            Some(m) => (Check::NotNull { column: column()? }, Some(m)),
            None => (
                Check::MissingFraction {
                    column: column()?,
                    range: range_of(&p.condition, 100.0)?,
                },
                None,
            ),
        }]),
        "duplicate_count" if is_zero(&p.condition) && !p.args.is_empty() => Ok(vec![(
            Check::Unique {
                columns: p.args.clone(),
            },
            None,
        )]),
        "invalid_count" if is_zero(&p.condition) => validity(&column()?, config, None),
        "invalid_percent" => match mostly_of(&p.condition) {
            Some(m) => validity(&column()?, config, Some(m)),
            None => Err("only `invalid_percent(c) <= p%` converts".into()),
        },
        "avg" => stat(Stat::Mean),
        "min" => stat(Stat::Min),
        "max" => stat(Stat::Max),
        "sum" => stat(Stat::Sum),
        "stddev" | "stddev_samp" => stat(Stat::Stddev),
        "percentile" => match p.args.as_slice() {
            [c, q] => {
                let q: f64 = q.parse().map_err(|_| format!("`{q}` is not a fraction"))?;
                let stat = if q == 0.5 {
                    Stat::Median
                } else {
                    Stat::Quantile(q)
                };
                Ok(vec![(
                    Check::Stat {
                        stat,
                        column: c.clone(),
                        range: range_of(&p.condition, 1.0)?,
                    },
                    None,
                )])
            }
            _ => Err("`percentile` takes a column and a fraction".into()),
        },
        other => Err(format!(
            "`{other}` has no Assay counterpart (or not with this threshold)"
        )),
    }
}

fn is_validity_key(k: &str) -> bool {
    matches!(
        k,
        "valid values"
            | "invalid values"
            | "valid regex"
            | "valid format"
            | "valid min"
            | "valid max"
            | "valid length"
            | "valid min length"
            | "valid max length"
    )
}

fn validity(
    column: &str,
    config: &Map<String, Value>,
    mostly: Option<f64>,
) -> Result<Converted, String> {
    let num = |k: &str| config.get(k).and_then(Value::as_f64);
    let list = |k: &str| -> Result<Vec<Literal>, String> {
        config
            .get(k)
            .and_then(Value::as_array)
            .ok_or(format!("`{k}` is not a list"))?
            .iter()
            .map(literal)
            .collect()
    };
    let col = column.to_string();
    let mut out = Vec::new();
    if config.contains_key("valid values") {
        out.push(Check::InSet {
            column: col.clone(),
            values: list("valid values")?,
        });
    }
    if config.contains_key("invalid values") {
        out.push(Check::NotInSet {
            column: col.clone(),
            values: list("invalid values")?,
        });
    }
    if let Some(pattern) = config.get("valid regex").and_then(Value::as_str) {
        regex::Regex::new(pattern).map_err(|e| format!("invalid regex: {e}"))?;
        out.push(Check::Regex {
            column: col.clone(),
            pattern: pattern.to_string(),
        });
    }
    if config.contains_key("valid format") {
        return Err("`valid format` names are Soda's own; use `valid regex`".into());
    }
    if num("valid min").is_some() || num("valid max").is_some() {
        out.push(Check::Between {
            column: col.clone(),
            range: Range::closed(num("valid min"), num("valid max")),
        });
    }
    let (lo, hi) = match num("valid length") {
        Some(n) => (Some(n), Some(n)),
        None => (num("valid min length"), num("valid max length")),
    };
    if lo.is_some() || hi.is_some() {
        out.push(Check::Length {
            column: col,
            range: Range::closed(lo, hi),
        });
    }
    if out.is_empty() {
        return Err("no validity configuration (valid values, valid regex, valid min, ...)".into());
    }
    Ok(out.into_iter().map(|c| (c, mostly)).collect())
}

/// `freshness(c) < 1d` (parsed before the numeric grammar, since the age has units).
fn freshness_text(text: &str) -> Option<Result<Converted, String>> {
    let re = regex::Regex::new(
        r"(?i)^\s*freshness\s*\(\s*([^)]+?)\s*\)\s*(<=|<)\s*((?:[0-9]+[smhdw])+)\s*$",
    )
    .ok()?;
    let c = re.captures(text)?;
    let column = c.get(1)?.as_str().to_string();
    let mut seconds = 0u64;
    let parts = regex::Regex::new(r"([0-9]+)([smhdw])").ok()?;
    for p in parts.captures_iter(c.get(3)?.as_str()) {
        seconds += Period::parse(p.get(0)?.as_str())?.seconds;
    }
    if seconds == 0 {
        return Some(Err("the freshness age is zero".into()));
    }
    Some(Ok(vec![(
        Check::Freshness {
            column,
            max_age: Period { seconds },
        },
        None,
    )]))
}

fn reference(rest: &str) -> Result<Converted, String> {
    let re = regex::Regex::new(
        r"^\s*\(\s*([^),]+?)\s*\)\s+must exist in\s+([^\s(]+)\s*\(\s*([^),]+?)\s*\)\s*$",
    )
    .map_err(|e| e.to_string())?;
    let c = re
        .captures(rest)
        .ok_or("only single-column `values in (c) must exist in ds (c)` converts")?;
    let get = |i: usize| c.get(i).map(|m| m.as_str().to_string()).unwrap_or_default();
    Ok(vec![(
        Check::References {
            column: get(1),
            dataset: get(2),
            ref_column: get(3),
        },
        None,
    )])
}

fn failed_rows(config: &Map<String, Value>) -> Result<Converted, String> {
    let bad = config
        .get("fail condition")
        .and_then(Value::as_str)
        .ok_or("only `failed rows` with `fail condition` converts (not `fail query`)")?;
    let sql = strip_not(bad).unwrap_or_else(|| format!("NOT ({bad})"));
    Ok(vec![(Check::Expression { sql }, None)])
}

fn schema(config: &Map<String, Value>) -> Result<Converted, String> {
    let section = config
        .get("fail")
        .or_else(|| config.get("warn"))
        .and_then(Value::as_object)
        .ok_or("`schema` without `fail:` or `warn:`")?;
    if let Some(k) = section
        .keys()
        .find(|k| k.as_str() != "when wrong column type")
    {
        return Err(format!("schema `{k}` has no Assay counterpart"));
    }
    let types = section
        .get("when wrong column type")
        .and_then(Value::as_object)
        .ok_or("`when wrong column type` is not a mapping")?;
    Ok(types
        .iter()
        .map(|(c, t)| {
            (
                Check::Type {
                    column: c.clone(),
                    is: TypeName::parse(t.as_str().unwrap_or_default()),
                },
                None,
            )
        })
        .collect())
}

/// Writes `suite` as a SodaCL checks file. Rules Soda cannot express are listed, not written.
pub fn export(suite: &Suite) -> Exported {
    let mut out = format!("checks for {}:\n", scalar(&suite.dataset));
    let mut not_converted = Vec::new();
    for rule in &suite.rules {
        let at = format!("{}:{}", suite.file, rule.line);
        let (head, cond, mut config) = match soda_check(rule) {
            Ok(parts) => parts,
            Err(reason) => {
                not_converted.push(NotConverted {
                    at,
                    what: rule.id.clone(),
                    reason,
                });
                continue;
            }
        };
        let check = match (rule.severity, cond) {
            (Severity::Warn, Some(cond)) => {
                let alert = if cond == "= 0" {
                    "> 0".to_string()
                } else {
                    negate(&cond).unwrap_or(cond)
                };
                config.push(("warn".into(), format!("when {alert}")));
                head
            }
            (Severity::Warn, None) => {
                not_converted.push(NotConverted {
                    at,
                    what: rule.id.clone(),
                    reason: "severity warn exported as fail (Soda has no warn form for this check)"
                        .into(),
                });
                head
            }
            (Severity::Error, Some(cond)) => format!("{head} {cond}"),
            (Severity::Error, None) => head,
        };
        if let Some(n) = &rule.name {
            config.push(("name".into(), scalar(n)));
        }
        write_check(&mut out, &check, &config);
    }
    Exported {
        text: out,
        not_converted,
    }
}

fn write_check(out: &mut String, check: &str, config: &[(String, String)]) {
    if config.is_empty() {
        let _ = writeln!(out, "  - {check}");
        return;
    }
    let _ = writeln!(out, "  - {check}:");
    for (k, v) in config {
        let _ = writeln!(out, "      {k}: {v}");
    }
}

fn condition(r: &Range, scale: f64) -> Result<String, String> {
    let n = |x: f64| number(((x * scale) * 1e9).round() / 1e9);
    let pct = if scale == 100.0 { "%" } else { "" };
    Ok(match (r.min, r.max) {
        (Some(a), Some(b)) if a == b && !r.min_exclusive && !r.max_exclusive => {
            format!("= {}{pct}", n(a))
        }
        (Some(a), Some(b)) if !r.min_exclusive && !r.max_exclusive => {
            format!("between {}{pct} and {}{pct}", n(a), n(b))
        }
        (Some(_), Some(_)) => return Err("Soda has no half-open `between`".into()),
        (Some(a), None) => format!("{} {}{pct}", if r.min_exclusive { ">" } else { ">=" }, n(a)),
        (None, Some(b)) => format!("{} {}{pct}", if r.max_exclusive { "<" } else { "<=" }, n(b)),
        (None, None) => return Err("the range has no bound".into()),
    })
}

/// A Soda check: its head (`missing_count(c)`), its passing condition (`= 0`) when it has one,
/// and its configuration lines.
type SodaCheck = (String, Option<String>, Vec<(String, String)>);

fn literals(v: &[Literal]) -> String {
    let items: Vec<String> = v
        .iter()
        .map(|l| match l {
            Literal::Text(s) => scalar(s),
            o => o.to_string(),
        })
        .collect();
    format!("[{}]", items.join(", "))
}

fn percent(m: f64) -> String {
    number((((1.0 - m) * 100.0) * 1e9).round() / 1e9)
}

/// `invalid_count(c) = 0` (or `invalid_percent(c) <= p%` with `mostly`) with `config`.
fn validity_check(rule: &Rule, column: &str, config: Vec<(String, String)>) -> SodaCheck {
    match rule.mostly {
        Some(m) => (
            format!("invalid_percent({column})"),
            Some(format!("<= {}%", percent(m))),
            config,
        ),
        None => (
            format!("invalid_count({column})"),
            Some("= 0".into()),
            config,
        ),
    }
}

fn bounds(range: &Range, min: &str, max: &str) -> Result<Vec<(String, String)>, String> {
    if range.min_exclusive || range.max_exclusive {
        return Err("Soda's validity bounds are inclusive".into());
    }
    let mut config = Vec::new();
    if let Some(m) = range.min {
        config.push((min.to_string(), number(m)));
    }
    if let Some(m) = range.max {
        config.push((max.to_string(), number(m)));
    }
    Ok(config)
}

fn soda_check(rule: &Rule) -> Result<SodaCheck, String> {
    let mostly_unsupported = matches!(
        rule.check,
        Check::Unique { .. }
            | Check::References { .. }
            | Check::Expression { .. }
            | Check::Pair { .. }
    );
    if rule.mostly.is_some() && mostly_unsupported {
        return Err("Soda has no `mostly` for this check".into());
    }
    let plain = |head: String, cond: String| Ok((head, Some(cond), Vec::new()));
    match &rule.check {
        Check::NotNull { column } => match rule.mostly {
            Some(m) => plain(
                format!("missing_percent({column})"),
                format!("<= {}%", percent(m)),
            ),
            None => plain(format!("missing_count({column})"), "= 0".into()),
        },
        Check::Unique { columns } => plain(
            format!("duplicate_count({})", columns.join(", ")),
            "= 0".into(),
        ),
        Check::Between { column, range } => Ok(validity_check(
            rule,
            column,
            bounds(range, "valid min", "valid max")?,
        )),
        Check::InSet { column, values } => Ok(validity_check(
            rule,
            column,
            vec![("valid values".into(), literals(values))],
        )),
        Check::NotInSet { column, values } => Ok(validity_check(
            rule,
            column,
            vec![("invalid values".into(), literals(values))],
        )),
        Check::Regex { column, pattern } => Ok(validity_check(
            rule,
            column,
            vec![(
                "valid regex".into(),
                serde_json::to_string(pattern).unwrap_or_default(),
            )],
        )),
        Check::Length { column, range } => Ok(validity_check(
            rule,
            column,
            bounds(range, "valid min length", "valid max length")?,
        )),
        Check::RowCount { range } => plain("row_count".into(), condition(range, 1.0)?),
        Check::Stat {
            stat,
            column,
            range,
        } => {
            let head = match stat {
                Stat::Mean => format!("avg({column})"),
                Stat::Min => format!("min({column})"),
                Stat::Max => format!("max({column})"),
                Stat::Sum => format!("sum({column})"),
                Stat::Stddev => format!("stddev({column})"),
                Stat::Median => format!("percentile({column}, 0.5)"),
                Stat::Quantile(q) => format!("percentile({column}, {})", number(*q)),
            };
            plain(head, condition(range, 1.0)?)
        }
        Check::MissingFraction { column, range } => plain(
            format!("missing_percent({column})"),
            condition(range, 100.0)?,
        ),
        Check::Freshness { column, max_age } => plain(
            format!("freshness({column})"),
            format!("< {}", max_age.describe()),
        ),
        Check::References {
            column,
            dataset,
            ref_column,
        } => Ok((
            format!("values in ({column}) must exist in {dataset} ({ref_column})"),
            None,
            Vec::new(),
        )),
        Check::Pair { left, op, right } => Ok(failed(&format!("{left} {} {right}", op.symbol()))),
        Check::Expression { sql } => Ok(failed(sql)),
        Check::Type { column, is } => Ok((
            "schema".into(),
            None,
            vec![(
                "fail".into(),
                format!(
                    "{{when wrong column type: {{{column}: {}}}}}",
                    scalar(is.label())
                ),
            )],
        )),
        Check::UniqueFraction { .. } => Err("Soda has no share-of-distinct-values check".into()),
        Check::Change { .. } => {
            Err("Soda's change-over-time checks need Soda Cloud; not exported".into())
        }
    }
}

fn failed(sql: &str) -> SodaCheck {
    let condition = serde_json::to_string(&format!("NOT ({sql})")).unwrap_or_default();
    (
        "failed rows".into(),
        None,
        vec![("fail condition".into(), condition)],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negation_round_trips() {
        assert_eq!(negate("> 0").as_deref(), Some("<= 0"));
        assert_eq!(
            negate("not between 1 and 2").as_deref(),
            Some("between 1 and 2")
        );
    }
}
