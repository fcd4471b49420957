//! Running a suite: compile every rule against the data's schema (a bad rule becomes an `error`
//! result, the others still run), evaluate them all in one pass (plus one anti-join per
//! `references` rule), then judge each measure against its rule.

use std::collections::BTreeMap;
use std::time::Instant;

use chrono::{DateTime, Utc};
use polars::prelude::*;

use crate::QualityError;
use crate::pass::{Measure, evaluate};
use crate::result::{Observed, RuleResult, Status, SuiteResult, Totals};
use crate::rules::{Ctx, Plan, Resolver, compile, evaluate_history, first_line};
use crate::suite::{Diagnostic, Rule, Severity, Suite, number};

/// Knobs of a run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Failing rows kept per rule.
    pub sample_rows: usize,
    /// "Now" for freshness rules (default: the clock).
    pub now: Option<DateTime<Utc>>,
    /// Past observed values per rule id (oldest first), for `change` rules.
    pub history: BTreeMap<String, Vec<f64>>,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            sample_rows: 10,
            now: None,
            history: BTreeMap::new(),
        }
    }
}

/// A compiled rule and the time its compilation took (an anti-join for `references`).
struct Compiled<'a> {
    rule: &'a Rule,
    plan: Result<Plan, String>,
    ms: f64,
}

/// Runs `suite` over `data`. `resolve` opens other data sets named by `references` rules;
/// `progress` receives 0..1 between phases and cancels the run by returning `false`.
/// Fails only when the data cannot be read at all or the run is cancelled; everything that is
/// wrong with a single rule is reported on that rule.
pub fn run(
    suite: &Suite,
    mut data: LazyFrame,
    resolve: &Resolver,
    options: &RunOptions,
    progress: &dyn Fn(f64) -> bool,
) -> Result<SuiteResult, QualityError> {
    let started = Instant::now();
    let started_at = Utc::now();
    let data_error = |message: String| QualityError::Data {
        file: suite.file.clone(),
        dataset: suite.dataset.clone(),
        message,
    };
    let schema = data
        .collect_schema()
        .map_err(|e| data_error(first_line(&e.to_string())))?;
    tick(progress, 0.0)?;
    let ctx = Ctx {
        data: &data,
        schema: &schema,
        dataset: &suite.dataset,
        resolve,
    };
    let mut compiled = Vec::with_capacity(suite.rules.len());
    for (i, rule) in suite.rules.iter().enumerate() {
        let t = Instant::now();
        let plan = compile(&rule.check, &ctx);
        compiled.push(Compiled {
            rule,
            plan,
            ms: millis(t),
        });
        tick(
            progress,
            0.3 * (i + 1) as f64 / suite.rules.len().max(1) as f64,
        )?;
    }
    let t = Instant::now();
    let (rows, measures) = measure_all(&data, &compiled, options.sample_rows)
        .map_err(|e| data_error(first_line(&e.to_string())))?;
    let pass_ms = millis(t);
    tick(progress, 0.9)?;
    let now = options.now.unwrap_or_else(Utc::now);
    let mut results: Vec<RuleResult> = compiled
        .iter()
        .zip(measures)
        .map(|(c, m)| judge(c, m, rows, pass_ms, now))
        .collect();
    judge_changes(&mut results, &compiled, rows, &options.history);
    results.extend(suite.invalid.iter().map(invalid_result));
    results.sort_by_key(|r| r.line);
    tick(progress, 1.0)?;
    Ok(SuiteResult {
        file: suite.file.clone(),
        dataset: suite.dataset.clone(),
        started_at: started_at.to_rfc3339(),
        rows,
        totals: Totals::of(&results),
        rules: results,
        elapsed_ms: millis(started),
    })
}

fn tick(progress: &dyn Fn(f64) -> bool, at: f64) -> Result<(), QualityError> {
    if progress(at) {
        Ok(())
    } else {
        Err(QualityError::Cancelled)
    }
}

fn millis(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

/// One pass over all compiled plans; when it fails (a runtime error in one rule), each plan is
/// evaluated alone so the failure lands on its rule only.
fn measure_all(
    data: &LazyFrame,
    compiled: &[Compiled],
    sample_rows: usize,
) -> PolarsResult<(u64, Vec<Result<Measure, String>>)> {
    let plans: Vec<&Plan> = compiled
        .iter()
        .filter_map(|c| c.plan.as_ref().ok())
        .collect();
    let shared = evaluate(data, &plans, sample_rows);
    let (rows, mut shared) = match shared {
        Ok((rows, measures)) => (rows, Some(measures.into_iter())),
        Err(e) => {
            tracing::warn!("shared pass failed, evaluating rules one by one: {e}");
            (evaluate(data, &[], 0)?.0, None)
        }
    };
    let alone = |plan: &Plan| {
        evaluate(data, &[plan], sample_rows)
            .map_err(|e| first_line(&e.to_string()))
            .and_then(|(_, mut m)| m.pop().ok_or_else(|| "not evaluated".to_string()))
    };
    let measures = compiled
        .iter()
        .map(|c| {
            let measure = match (&c.plan, shared.as_mut()) {
                (Err(message), _) => Err(message.clone()),
                (Ok(_), Some(it)) => it.next().ok_or_else(|| "not evaluated".to_string()),
                (Ok(plan), None) => alone(plan),
            };
            // Candidates that report failing rows are recounted exactly in a pass of their own.
            let flagged = matches!(&measure, Ok(Measure::Rows { failing, .. }) if *failing > 0);
            match c.plan.as_ref().ok().and_then(Plan::exact) {
                Some(exact) if flagged => alone(&exact),
                _ => measure,
            }
        })
        .collect();
    Ok((rows, measures))
}

/// A result for `rule` with nothing measured yet.
fn blank(rule: &Rule, status: Status, elapsed_ms: f64, message: String) -> RuleResult {
    RuleResult {
        id: rule.id.clone(),
        name: rule.name.clone(),
        line: rule.line,
        kind: rule.check.key().to_string(),
        columns: rule.check.columns(),
        severity: rule.severity,
        status,
        observed: None,
        failing_count: None,
        failing_fraction: None,
        sample: None,
        elapsed_ms,
        message,
    }
}

fn verdict(holds: bool, severity: Severity) -> Status {
    match (holds, severity) {
        (true, _) => Status::Passed,
        (false, Severity::Error) => Status::Failed,
        (false, Severity::Warn) => Status::Warned,
    }
}

fn judge(
    c: &Compiled,
    m: Result<Measure, String>,
    rows: u64,
    pass_ms: f64,
    now: DateTime<Utc>,
) -> RuleResult {
    let elapsed = c.ms + pass_ms;
    let (plan, measure) = match (&c.plan, m) {
        (Ok(plan), Ok(m)) => (plan, m),
        (Err(e), _) => return blank(c.rule, Status::Error, elapsed, e.clone()),
        (Ok(_), Err(e)) => return blank(c.rule, Status::Error, elapsed, e),
    };
    let mut r = blank(c.rule, Status::Passed, elapsed, String::new());
    match (plan, measure) {
        (
            Plan::Rows { what, .. } | Plan::Candidates { what, .. },
            Measure::Rows { failing, sample },
        ) => {
            judge_rows(&mut r, c.rule.mostly, rows, failing, what);
            if failing > 0 {
                r.sample = Some(sample);
            }
        }
        (Plan::Value { range, what, .. }, Measure::Value(v)) => {
            let holds = v.is_some_and(|x| range.contains(x));
            r.status = verdict(holds, r.severity);
            r.observed = v.map(Observed::Number);
            r.message = match v {
                Some(x) => format!("{what} is {}, expected in {}", shown(x), range.describe()),
                None => format!(
                    "{what} is undefined (no values), expected in {}",
                    range.describe()
                ),
            };
        }
        (
            Plan::Latest {
                max_age, column, ..
            },
            Measure::Latest(v),
        ) => {
            judge_latest(&mut r, v, column, max_age.seconds, now);
        }
        (
            Plan::Decided {
                passed,
                observed,
                message,
            },
            _,
        ) => {
            r.status = verdict(*passed, r.severity);
            r.observed = Some(observed.clone());
            r.message = message.clone();
        }
        (Plan::Change { .. }, _) => r.status = Status::Skipped,
        _ => {
            r.status = Status::Error;
            r.message = "internal: the measure does not fit the rule".into();
        }
    }
    r
}

fn judge_rows(r: &mut RuleResult, mostly: Option<f64>, rows: u64, failing: u64, what: &str) {
    let fraction = if rows == 0 {
        0.0
    } else {
        failing as f64 / rows as f64
    };
    let passing = 1.0 - fraction;
    let holds = match mostly {
        Some(m) => passing + 1e-12 >= m,
        None => failing == 0,
    };
    r.status = verdict(holds, r.severity);
    r.observed = Some(Observed::Number(passing));
    r.failing_count = Some(failing);
    r.failing_fraction = Some(fraction);
    let mut message = if failing == 0 {
        format!("all {} rows pass", thousands(rows))
    } else {
        format!(
            "{} of {} rows ({:.2}%) fail: {what}",
            thousands(failing),
            thousands(rows),
            fraction * 100.0
        )
    };
    if let Some(m) = mostly {
        let verb = if holds { "at least" } else { "below" };
        message.push_str(&format!(
            "; {:.2}% pass, {verb} the required {}%",
            passing * 100.0,
            number(m * 100.0)
        ));
    }
    r.message = message;
}

fn judge_latest(
    r: &mut RuleResult,
    v: Option<String>,
    column: &str,
    max_age: u64,
    now: DateTime<Utc>,
) {
    let Some(text) = v else {
        r.status = verdict(false, r.severity);
        r.message = format!("{column} has no values");
        return;
    };
    r.observed = Some(Observed::Text(text.clone()));
    let Some(at) = crate::rules::parse_timestamp(&text) else {
        r.status = Status::Error;
        r.message = format!("the latest {column}, `{text}`, is not a date or time");
        return;
    };
    let age = (now - at).num_seconds();
    let holds = age <= i64::try_from(max_age).unwrap_or(i64::MAX);
    r.status = verdict(holds, r.severity);
    r.message = format!(
        "latest {column} is {text}, {} old; allowed {}",
        age_text(age),
        crate::suite::Period { seconds: max_age }.describe()
    );
}

fn age_text(seconds: i64) -> String {
    let s = seconds.abs() as f64;
    let sign = if seconds < 0 { "-" } else { "" };
    if s >= 86_400.0 {
        format!("{sign}{:.1} days", s / 86_400.0)
    } else if s >= 3_600.0 {
        format!("{sign}{:.1} hours", s / 3_600.0)
    } else {
        format!("{sign}{s} seconds")
    }
}

/// Decides `change` rules once every other rule has its observed value.
fn judge_changes(
    results: &mut [RuleResult],
    compiled: &[Compiled],
    rows: u64,
    history: &BTreeMap<String, Vec<f64>>,
) {
    for (i, c) in compiled.iter().enumerate() {
        let Ok(Plan::Change {
            of,
            max_percent,
            runs,
        }) = &c.plan
        else {
            continue;
        };
        let current = if of == "row_count" {
            Some(rows as f64)
        } else {
            results
                .iter()
                .find(|r| &r.id == of)
                .and_then(|r| r.observed.as_ref().and_then(Observed::as_f64))
        };
        let Some(r) = results.get(i) else { continue };
        let mut r = r.clone();
        match current {
            None => {
                r.status = Status::Error;
                r.message = format!(
                    "`{of}` is neither `row_count` nor a rule of this suite with a numeric observed value"
                );
            }
            Some(x) => {
                let past = history.get(&r.id).map(Vec::as_slice).unwrap_or_default();
                let o = evaluate_history(x, past, *runs, *max_percent);
                r.status = if o.runs_used == 0 {
                    Status::Skipped
                } else {
                    verdict(o.passed, r.severity)
                };
                r.observed = Some(Observed::Number(x));
                r.message = o.message;
            }
        }
        results[i] = r;
    }
}

fn invalid_result(d: &Diagnostic) -> RuleResult {
    RuleResult {
        id: d.rule.clone(),
        name: None,
        line: d.line,
        kind: d.rule.split(':').next().unwrap_or_default().to_string(),
        columns: Vec::new(),
        severity: Severity::Error,
        status: Status::Error,
        observed: None,
        failing_count: None,
        failing_fraction: None,
        sample: None,
        elapsed_ms: 0.0,
        message: d.message.clone(),
    }
}

/// A statistic for a message: up to 6 significant decimals.
fn shown(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        let sign = if x < 0.0 { "-" } else { "" };
        format!("{sign}{}", thousands(x.abs() as u64))
    } else {
        let s = format!("{x:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// `336776` as `336,776`.
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}
