//! Great Expectations 1.x expectation suites (JSON): import the expectations we share, export
//! ours. Whatever has no counterpart is listed in `not_converted` with the reason, never
//! dropped silently. Our rules' names, severities and exact types travel in each
//! expectation's `meta` so a round trip restores them.

use serde_json::{Map, Value, json};

use crate::parse::literal;
use crate::suite::{Check, CmpOp, Literal, Range, Rule, Severity, Stat, Suite, TypeName};
use crate::{Exported, Imported, NotConverted, QualityError};

/// Arguments every expectation may carry without changing what it checks.
const HARMLESS: [&str; 6] = [
    "column",
    "mostly",
    "result_format",
    "catch_exceptions",
    "include_config",
    "meta",
];

/// Reads a GX 1.x suite (`{"name", "expectations": [{"type", "kwargs", "meta", "severity"}]}`).
/// The data set is `meta.assay.dataset` when present, else the suite's name.
pub fn import(json: &str, file: &str) -> Result<Imported, QualityError> {
    let doc: Value = serde_json::from_str(json).map_err(|e| QualityError::Syntax {
        file: file.to_string(),
        line: e.line() as u64,
        column: e.column() as u64,
        what: "JSON",
        near: None,
        message: e.to_string(),
    })?;
    let shape = |message: &str| QualityError::Shape {
        file: file.to_string(),
        line: 0,
        message: message.to_string(),
    };
    let expectations = doc
        .get("expectations")
        .and_then(Value::as_array)
        .ok_or_else(|| shape("not a Great Expectations suite: no `expectations` list"))?;
    let name = doc.get("name").and_then(Value::as_str).unwrap_or("dataset");
    let dataset = doc
        .pointer("/meta/assay/dataset")
        .and_then(Value::as_str)
        .unwrap_or(name);
    let mut rules = Vec::new();
    let mut not_converted = Vec::new();
    for (i, e) in expectations.iter().enumerate() {
        let what = e
            .get("type")
            .or_else(|| e.get("expectation_type"))
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string();
        match import_one(e, &what) {
            Ok(mut converted) => rules.append(&mut converted),
            Err(reason) => not_converted.push(NotConverted {
                at: format!("expectations[{i}]"),
                what,
                reason,
            }),
        }
    }
    let suite = Suite {
        file: file.to_string(),
        dataset: dataset.to_string(),
        description: doc
            .pointer("/meta/assay/description")
            .and_then(Value::as_str)
            .map(str::to_string),
        rules,
        invalid: Vec::new(),
    };
    Ok(Imported {
        suite: crate::parse::with_unique_ids(suite),
        not_converted,
    })
}

fn import_one(e: &Value, what: &str) -> Result<Vec<Rule>, String> {
    let empty = Map::new();
    let kwargs = e.get("kwargs").and_then(Value::as_object).unwrap_or(&empty);
    let meta = e.get("meta").and_then(Value::as_object).unwrap_or(&empty);
    let checks = checks_of(what, kwargs, meta)?;
    let mostly = kwargs.get("mostly").and_then(Value::as_f64);
    let severity = match e.get("severity").and_then(Value::as_str) {
        Some("warning" | "info") => Severity::Warn,
        _ => Severity::Error,
    };
    let name = meta
        .get("assay_name")
        .and_then(Value::as_str)
        .map(str::to_string);
    Ok(checks
        .into_iter()
        .map(|check| Rule {
            id: name.clone().unwrap_or_else(|| check.default_id()),
            name: name.clone(),
            line: 0,
            severity,
            mostly: mostly.filter(|_| check.is_row_level()),
            check,
        })
        .collect())
}

/// Rejects arguments that would change the meaning (`row_condition`, ...).
fn only(kwargs: &Map<String, Value>, allowed: &[&str]) -> Result<(), String> {
    match kwargs
        .keys()
        .find(|k| !HARMLESS.contains(&k.as_str()) && !allowed.contains(&k.as_str()))
    {
        Some(k) => Err(format!("argument `{k}` has no Assay counterpart")),
        None => Ok(()),
    }
}

fn text(kwargs: &Map<String, Value>, key: &str) -> Result<String, String> {
    kwargs
        .get(key)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| format!("`{key}` is missing or not text"))
}

fn range(kwargs: &Map<String, Value>) -> Result<Range, String> {
    let bound = |k: &str| match kwargs.get(k) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v.as_f64().map(Some).ok_or_else(|| {
            format!("`{k}` is not a number (dates and parameters are not converted)")
        }),
    };
    let r = Range {
        min: bound("min_value")?,
        max: bound("max_value")?,
        min_exclusive: kwargs
            .get("strict_min")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        max_exclusive: kwargs
            .get("strict_max")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    };
    if r.min.is_none() && r.max.is_none() {
        return Err("neither `min_value` nor `max_value` is set".into());
    }
    Ok(r)
}

const RANGE_ARGS: [&str; 4] = ["min_value", "max_value", "strict_min", "strict_max"];

fn checks_of(
    what: &str,
    kwargs: &Map<String, Value>,
    meta: &Map<String, Value>,
) -> Result<Vec<Check>, String> {
    let column = || text(kwargs, "column");
    let stat = |s: Stat| -> Result<Vec<Check>, String> {
        only(kwargs, &RANGE_ARGS)?;
        Ok(vec![Check::Stat {
            stat: s,
            column: column()?,
            range: range(kwargs)?,
        }])
    };
    let one = |c: Check| Ok(vec![c]);
    match what {
        "expect_column_values_to_not_be_null" => {
            only(kwargs, &[])?;
            one(Check::NotNull { column: column()? })
        }
        "expect_column_values_to_be_unique" => {
            only(kwargs, &[])?;
            one(Check::Unique {
                columns: vec![column()?],
            })
        }
        "expect_compound_columns_to_be_unique" => {
            only(kwargs, &["column_list", "ignore_row_if"])?;
            let columns: Vec<String> = kwargs
                .get("column_list")
                .and_then(|v| serde_json::from_value(v.clone()).ok())
                .ok_or("`column_list` is missing or not a list of names")?;
            one(Check::Unique { columns })
        }
        "expect_column_values_to_be_between" => {
            only(kwargs, &RANGE_ARGS)?;
            one(Check::Between {
                column: column()?,
                range: range(kwargs)?,
            })
        }
        "expect_column_values_to_be_in_set" | "expect_column_values_to_not_be_in_set" => {
            only(kwargs, &["value_set"])?;
            let values = kwargs
                .get("value_set")
                .and_then(Value::as_array)
                .ok_or("`value_set` is missing or not a list")?
                .iter()
                .map(literal)
                .collect::<Result<Vec<_>, _>>()?;
            let column = column()?;
            one(if what.contains("_not_") {
                Check::NotInSet { column, values }
            } else {
                Check::InSet { column, values }
            })
        }
        "expect_column_values_to_match_regex" => {
            only(kwargs, &["regex"])?;
            let pattern = text(kwargs, "regex")?;
            regex::Regex::new(&pattern).map_err(|e| format!("invalid regex: {e}"))?;
            one(Check::Regex {
                column: column()?,
                pattern,
            })
        }
        "expect_column_value_lengths_to_be_between" => {
            only(kwargs, &["min_value", "max_value"])?;
            one(Check::Length {
                column: column()?,
                range: range(kwargs)?,
            })
        }
        "expect_column_values_to_be_of_type" => {
            only(kwargs, &["type_"])?;
            let is = match meta.get("assay_type").and_then(Value::as_str) {
                Some(ours) => TypeName::parse(ours),
                None => type_from_gx(&text(kwargs, "type_")?)?,
            };
            one(Check::Type {
                column: column()?,
                is,
            })
        }
        "expect_table_row_count_to_be_between" => {
            only(kwargs, &["min_value", "max_value"])?;
            one(Check::RowCount {
                range: range(kwargs)?,
            })
        }
        "expect_column_mean_to_be_between" => stat(Stat::Mean),
        "expect_column_min_to_be_between" => stat(Stat::Min),
        "expect_column_max_to_be_between" => stat(Stat::Max),
        "expect_column_median_to_be_between" => stat(Stat::Median),
        "expect_column_stdev_to_be_between" => stat(Stat::Stddev),
        "expect_column_sum_to_be_between" => stat(Stat::Sum),
        "expect_column_quantile_values_to_be_between" => quantiles(kwargs),
        "expect_column_proportion_of_unique_values_to_be_between" => {
            only(kwargs, &RANGE_ARGS)?;
            one(Check::UniqueFraction {
                column: column()?,
                range: range(kwargs)?,
            })
        }
        "expect_column_proportion_of_non_null_values_to_be_between" => {
            only(kwargs, &RANGE_ARGS)?;
            let r = range(kwargs)?;
            one(Check::MissingFraction {
                column: column()?,
                range: Range {
                    min: r.max.map(complement),
                    max: r.min.map(complement),
                    min_exclusive: r.max_exclusive,
                    max_exclusive: r.min_exclusive,
                },
            })
        }
        "expect_column_pair_values_a_to_be_greater_than_b" => {
            only(
                kwargs,
                &["column_A", "column_B", "or_equal", "ignore_row_if"],
            )?;
            let or_equal = kwargs
                .get("or_equal")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            one(Check::Pair {
                left: text(kwargs, "column_A")?,
                op: if or_equal { CmpOp::Ge } else { CmpOp::Gt },
                right: text(kwargs, "column_B")?,
            })
        }
        "expect_column_pair_values_to_be_equal" => {
            only(kwargs, &["column_A", "column_B", "ignore_row_if"])?;
            one(Check::Pair {
                left: text(kwargs, "column_A")?,
                op: CmpOp::Eq,
                right: text(kwargs, "column_B")?,
            })
        }
        "unexpected_rows_expectation" => {
            only(kwargs, &["unexpected_rows_query"])?;
            one(Check::Expression {
                sql: predicate_of_query(&text(kwargs, "unexpected_rows_query")?)?,
            })
        }
        other => Err(format!("`{other}` has no Assay rule")),
    }
}

/// `1 - x`, rounded to 12 decimals so that shares survive a round trip (0.05 stays 0.05).
fn complement(x: f64) -> f64 {
    ((1.0 - x) * 1e12).round() / 1e12
}

fn quantiles(kwargs: &Map<String, Value>) -> Result<Vec<Check>, String> {
    only(kwargs, &["quantile_ranges", "allow_relative_error"])?;
    let column = text(kwargs, "column")?;
    let q = kwargs
        .get("quantile_ranges")
        .ok_or("`quantile_ranges` is missing")?;
    let qs: Vec<f64> = q
        .get("quantiles")
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .ok_or("`quantile_ranges.quantiles` is not a list of numbers")?;
    let ranges: Vec<[Option<f64>; 2]> = q
        .get("value_ranges")
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .ok_or("`quantile_ranges.value_ranges` is not a list of [min, max] pairs")?;
    if qs.len() != ranges.len() {
        return Err("`quantiles` and `value_ranges` differ in length".into());
    }
    Ok(qs
        .into_iter()
        .zip(ranges)
        .map(|(q, [min, max])| Check::Stat {
            stat: Stat::Quantile(q),
            column: column.clone(),
            range: Range::closed(min, max),
        })
        .collect())
}

/// Our type for a GX (pandas/numpy/python) type name.
fn type_from_gx(t: &str) -> Result<TypeName, String> {
    let l = t.to_ascii_lowercase();
    Ok(if l.starts_with("int") || l.starts_with("uint") {
        TypeName::Integer
    } else if l.starts_with("float") || l == "double" {
        TypeName::Float
    } else if matches!(
        l.as_str(),
        "str" | "string" | "object" | "stringdtype" | "varchar" | "text"
    ) {
        TypeName::String
    } else if l.starts_with("bool") {
        TypeName::Boolean
    } else if l.starts_with("datetime") || l.starts_with("timestamp") {
        TypeName::Datetime
    } else if l == "date" {
        TypeName::Date
    } else {
        return Err(format!("type `{t}` has no Assay counterpart"));
    })
}

/// `SELECT * FROM {batch} WHERE <bad rows>` as the predicate good rows satisfy.
fn predicate_of_query(query: &str) -> Result<String, String> {
    let re = regex::Regex::new(r"(?is)^\s*select\s+\*\s+from\s+\{batch\}\s+where\s+(.+?)\s*;?\s*$")
        .map_err(|e| e.to_string())?;
    let bad = re
        .captures(query)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().trim().to_string())
        .ok_or("only `SELECT * FROM {batch} WHERE <condition>` queries convert")?;
    Ok(strip_not(&bad).unwrap_or_else(|| format!("NOT ({bad})")))
}

/// `X` when `s` is exactly `NOT (X)`.
pub(crate) fn strip_not(s: &str) -> Option<String> {
    let s = s.trim();
    let rest = s.get(..3).filter(|p| p.eq_ignore_ascii_case("not"))?;
    let inner = s.get(rest.len()..)?.trim_start();
    let body = inner.strip_prefix('(')?.strip_suffix(')')?;
    let mut depth = 0i32;
    for c in body.chars() {
        depth += match c {
            '(' => 1,
            ')' => -1,
            _ => 0,
        };
        if depth < 0 {
            return None;
        }
    }
    (depth == 0).then(|| body.trim().to_string())
}

/// Writes `suite` as a GX 1.x suite (JSON). Rules GX cannot express are listed, not written.
pub fn export(suite: &Suite) -> Exported {
    let mut expectations = Vec::new();
    let mut not_converted = Vec::new();
    for rule in &suite.rules {
        match expectation(rule) {
            Ok(e) => expectations.push(e),
            Err(reason) => not_converted.push(NotConverted {
                at: format!("{}:{}", suite.file, rule.line),
                what: rule.id.clone(),
                reason,
            }),
        }
    }
    let doc = json!({
        "name": suite.dataset,
        "expectations": expectations,
        "meta": {"assay": {"dataset": suite.dataset, "file": suite.file, "description": suite.description}},
        "notes": suite.description,
    });
    Exported {
        text: serde_json::to_string_pretty(&doc).unwrap_or_default(),
        not_converted,
    }
}

fn expectation(rule: &Rule) -> Result<Value, String> {
    let (kind, mut kwargs, mut meta) = kwargs_of(&rule.check)?;
    if let Some(m) = rule.mostly {
        kwargs.insert("mostly".into(), json!(m));
    }
    if let Some(n) = &rule.name {
        meta.insert("assay_name".into(), json!(n));
    }
    let severity = match rule.severity {
        Severity::Error => "critical",
        Severity::Warn => "warning",
    };
    Ok(json!({"type": kind, "kwargs": kwargs, "meta": meta, "severity": severity}))
}

type Parts = (&'static str, Map<String, Value>, Map<String, Value>);

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

fn with_range(mut m: Map<String, Value>, r: &Range) -> Map<String, Value> {
    m.insert("min_value".into(), json!(r.min));
    m.insert("max_value".into(), json!(r.max));
    if r.min_exclusive {
        m.insert("strict_min".into(), json!(true));
    }
    if r.max_exclusive {
        m.insert("strict_max".into(), json!(true));
    }
    m
}

fn set(values: &[Literal]) -> Value {
    json!(
        values
            .iter()
            .map(|v| serde_json::to_value(v).unwrap_or(Value::Null))
            .collect::<Vec<_>>()
    )
}

fn kwargs_of(check: &Check) -> Result<Parts, String> {
    let none = Map::new;
    let c = |column: &str| obj(json!({ "column": column }));
    Ok(match check {
        Check::NotNull { column } => ("expect_column_values_to_not_be_null", c(column), none()),
        Check::Unique { columns } => match columns.as_slice() {
            [one] => ("expect_column_values_to_be_unique", c(one), none()),
            many => (
                "expect_compound_columns_to_be_unique",
                obj(json!({ "column_list": many })),
                none(),
            ),
        },
        Check::Between { column, range } => (
            "expect_column_values_to_be_between",
            with_range(c(column), range),
            none(),
        ),
        Check::InSet { column, values } => {
            let mut m = c(column);
            m.insert("value_set".into(), set(values));
            ("expect_column_values_to_be_in_set", m, none())
        }
        Check::NotInSet { column, values } => {
            let mut m = c(column);
            m.insert("value_set".into(), set(values));
            ("expect_column_values_to_not_be_in_set", m, none())
        }
        Check::Regex { column, pattern } => {
            let mut m = c(column);
            m.insert("regex".into(), json!(pattern));
            ("expect_column_values_to_match_regex", m, none())
        }
        Check::Length { column, range } => {
            if range.min_exclusive || range.max_exclusive {
                return Err("GX length bounds are inclusive".into());
            }
            (
                "expect_column_value_lengths_to_be_between",
                with_range(c(column), range),
                none(),
            )
        }
        Check::Type { column, is } => {
            let mut m = c(column);
            m.insert("type_".into(), json!(type_to_gx(is)));
            (
                "expect_column_values_to_be_of_type",
                m,
                obj(json!({ "assay_type": is.label() })),
            )
        }
        Check::RowCount { range } => {
            if range.min_exclusive || range.max_exclusive {
                return Err("GX row count bounds are inclusive".into());
            }
            (
                "expect_table_row_count_to_be_between",
                with_range(none(), range),
                none(),
            )
        }
        Check::Stat {
            stat,
            column,
            range,
        } => stat_kwargs(*stat, column, range),
        Check::MissingFraction { column, range } => {
            let present = Range {
                min: range.max.map(complement),
                max: range.min.map(complement),
                min_exclusive: range.max_exclusive,
                max_exclusive: range.min_exclusive,
            };
            (
                "expect_column_proportion_of_non_null_values_to_be_between",
                with_range(c(column), &present),
                none(),
            )
        }
        Check::UniqueFraction { column, range } => (
            "expect_column_proportion_of_unique_values_to_be_between",
            with_range(c(column), range),
            none(),
        ),
        Check::Pair { left, op, right } => pair_kwargs(left, *op, right)?,
        Check::Expression { sql } => (
            "unexpected_rows_expectation",
            obj(
                json!({ "unexpected_rows_query": format!("SELECT * FROM {{batch}} WHERE NOT ({sql})") }),
            ),
            none(),
        ),
        Check::Freshness { .. } => {
            return Err("GX has no freshness expectation relative to now".into());
        }
        Check::References { .. } => {
            return Err("GX has no cross-data-set (referential) expectation".into());
        }
        Check::Change { .. } => return Err("GX keeps no metric history to compare with".into()),
    })
}

fn stat_kwargs(stat: Stat, column: &str, range: &Range) -> Parts {
    let c = obj(json!({ "column": column }));
    let kind = match stat {
        Stat::Mean => "expect_column_mean_to_be_between",
        Stat::Min => "expect_column_min_to_be_between",
        Stat::Max => "expect_column_max_to_be_between",
        Stat::Median => "expect_column_median_to_be_between",
        Stat::Stddev => "expect_column_stdev_to_be_between",
        Stat::Sum => "expect_column_sum_to_be_between",
        Stat::Quantile(q) => {
            let mut m = c;
            m.insert(
                "quantile_ranges".into(),
                json!({"quantiles": [q], "value_ranges": [[range.min, range.max]]}),
            );
            return ("expect_column_quantile_values_to_be_between", m, Map::new());
        }
    };
    (kind, with_range(c, range), Map::new())
}

fn pair_kwargs(left: &str, op: CmpOp, right: &str) -> Result<Parts, String> {
    let (a, b, or_equal) = match op {
        CmpOp::Gt => (left, right, false),
        CmpOp::Ge => (left, right, true),
        CmpOp::Lt => (right, left, false),
        CmpOp::Le => (right, left, true),
        CmpOp::Eq => {
            return Ok((
                "expect_column_pair_values_to_be_equal",
                obj(
                    json!({"column_A": left, "column_B": right, "ignore_row_if": "either_value_is_missing"}),
                ),
                Map::new(),
            ));
        }
        CmpOp::Ne => return Err("GX has no column-pair inequality expectation".into()),
    };
    Ok((
        "expect_column_pair_values_a_to_be_greater_than_b",
        obj(
            json!({"column_A": a, "column_B": b, "or_equal": or_equal, "ignore_row_if": "either_value_is_missing"}),
        ),
        Map::new(),
    ))
}

fn type_to_gx(is: &TypeName) -> &str {
    match is {
        TypeName::Integer => "int64",
        TypeName::Float | TypeName::Numeric => "float64",
        TypeName::String => "str",
        TypeName::Boolean => "bool",
        TypeName::Date => "date",
        TypeName::Datetime => "datetime64[ns]",
        TypeName::Exact(s) => s,
    }
}
