//! The outcome of running a suite: one [`RuleResult`] per rule, totals and timings. These types
//! are what the UI shows, the project store keeps (serde JSON) and `assay check` prints.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::suite::Severity;

/// The outcome of one suite run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SuiteResult {
    /// The suite file.
    pub file: String,
    /// The data set checked.
    pub dataset: String,
    /// When the run started (RFC 3339, UTC).
    pub started_at: String,
    /// Rows of the data set.
    #[ts(type = "number")]
    pub rows: u64,
    /// One result per rule, in suite order (rules that could not be parsed included).
    pub rules: Vec<RuleResult>,
    /// Counts per status.
    pub totals: Totals,
    /// Wall time of the whole run, milliseconds.
    pub elapsed_ms: f64,
}

impl SuiteResult {
    /// Whether every error-level rule passed and no rule was invalid.
    pub fn passed(&self) -> bool {
        self.totals.failed == 0 && self.totals.errors == 0
    }

    /// The exit code of `assay check`: 0 when all error-level rules pass, 1 when one fails,
    /// 2 when a rule is invalid (bad suite: unknown rule, missing column, ...).
    pub fn exit_code(&self) -> i32 {
        if self.totals.errors > 0 {
            2
        } else if self.totals.failed > 0 {
            1
        } else {
            0
        }
    }
}

/// Rules per status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct Totals {
    /// Rules that passed.
    pub passed: u32,
    /// Error-level rules that failed.
    pub failed: u32,
    /// Warn-level rules that failed.
    pub warned: u32,
    /// Rules that could not be evaluated.
    pub errors: u32,
    /// Rules skipped (e.g. a history check without history).
    pub skipped: u32,
}

impl Totals {
    /// Counts the statuses of `rules`.
    pub fn of(rules: &[RuleResult]) -> Self {
        let mut t = Self::default();
        for r in rules {
            match r.status {
                Status::Passed => t.passed += 1,
                Status::Failed => t.failed += 1,
                Status::Warned => t.warned += 1,
                Status::Error => t.errors += 1,
                Status::Skipped => t.skipped += 1,
            }
        }
        t
    }
}

/// How a rule came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The rule holds.
    Passed,
    /// An error-level rule does not hold.
    Failed,
    /// A warn-level rule does not hold.
    Warned,
    /// The rule could not be evaluated (invalid rule, missing column, wrong type, ...).
    Error,
    /// Not evaluated (nothing to compare with yet).
    Skipped,
}

/// A measured value: a number (statistic, count, share) or text (a type, a timestamp).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(untagged)]
pub enum Observed {
    /// A number.
    Number(f64),
    /// Text.
    Text(String),
}

impl Observed {
    /// The number, if it is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Self::Number(x) => Some(*x),
            Self::Text(_) => None,
        }
    }
}

/// The outcome of one rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RuleResult {
    /// The rule's stable id (history is keyed by it).
    pub id: String,
    /// The user's name for it.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// 1-based line in the suite file.
    pub line: u32,
    /// The rule kind (`not_null`, `between`, ...).
    pub kind: String,
    /// Columns it reads.
    pub columns: Vec<String>,
    /// What a failure means.
    pub severity: Severity,
    /// The outcome.
    pub status: Status,
    /// What was measured: for row-level rules the share of rows that pass (what `mostly` is
    /// compared with); for aggregates the statistic; for `type` the column type; for
    /// `freshness` the latest timestamp; for `change` the current metric.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed: Option<Observed>,
    /// Failing rows (row-level rules).
    #[ts(optional, type = "number")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failing_count: Option<u64>,
    /// Failing rows as a share of all rows (row-level rules).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failing_fraction: Option<f64>,
    /// The first failing rows (row-level rules that failed).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample: Option<FailingSample>,
    /// Time of the work this rule ran in, milliseconds. Rules evaluated in the shared pass
    /// report that pass's time; `references` adds its own anti-join.
    pub elapsed_ms: f64,
    /// One readable sentence.
    pub message: String,
}

/// The first failing rows of a rule, with their 0-based row numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FailingSample {
    /// Column names of `values`.
    pub columns: Vec<String>,
    /// Rows, in table order.
    pub rows: Vec<SampleRow>,
}

/// One failing row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SampleRow {
    /// 0-based row number in the data set.
    #[ts(type = "number")]
    pub row: u64,
    /// The cells of the sampled columns.
    pub values: Vec<serde_json::Value>,
}
