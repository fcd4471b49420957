//! Assay's data quality rules. A rule suite is a YAML file (`rules/<name>.yaml`) bound to a
//! data set; [`parse_suite`] types it (a bad rule becomes a [`Diagnostic`] naming file, line
//! and rule, the others are kept), [`run`] compiles every rule to polars expressions and
//! evaluates them in one lazy pass over the data (plus one anti-join per `references` rule),
//! returning per-rule results with observed values, failing counts and failing-row samples.
//! Around that: suggestions from a profile ([`suggest`]), history checks
//! ([`evaluate_history`]), JUnit XML ([`to_junit`]), and Great Expectations / SodaCL import
//! and export ([`gx`], [`soda`]).
//!
//! The suite schema (every rule takes optional `name`, `severity: error|warn` and, for
//! row-level rules, `mostly: 0..1`):
//!
//! ```yaml
//! dataset: flights                 # data set name in the project, or a path
//! description: On-time data of NYC flights
//! rules:
//!   - not_null: dep_time           # row-level: a missing value (null, NaN) fails
//!     severity: warn
//!     mostly: 0.97
//!   - unique: [year, month, day, carrier, flight, origin, sched_dep_time]
//!   - between: {column: month, min: 1, max: 12}     # min_exclusive / max_exclusive: true
//!   - in_set: {column: origin, values: [EWR, JFK, LGA]}
//!   - not_in_set: {column: carrier, values: [XX]}
//!   - regex: {column: tailnum, pattern: "^N[0-9A-Z]+$"}   # search; anchor with ^ $
//!   - length: {column: carrier, min: 2, max: 2}
//!   - type: {column: dep_delay, is: float}          # integer float numeric string boolean date datetime, or i64/f64/str...
//!   - row_count: {min: 300000}
//!   - mean: {column: dep_delay, min: 0, max: 30}    # also min max median stddev sum
//!   - quantile: {column: air_time, q: 0.95, max: 400}
//!   - missing_fraction: {column: arr_delay, max: 0.05}
//!   - unique_fraction: {column: tailnum, min: 0.01}
//!   - freshness: {column: time_hour, max_age: 1d}   # s m h d w
//!   - references: {column: dest, dataset: airports, ref_column: faa}
//!   - pair: {left: sched_arr_time, op: ">", right: sched_dep_time}
//!   - expression: "arr_delay < 1500"                # polars SQL predicate; null passes
//!   - change: {of: row_count, max_percent: 10, runs: 5}  # vs the mean of the last runs
//! ```

mod engine;
mod error;
pub mod gx;
mod junit;
mod parse;
mod pass;
mod result;
mod rules;
pub mod soda;
mod suggest;
mod suite;
mod yaml;

pub use engine::{RunOptions, run};
pub use error::QualityError;
pub use junit::to_junit;
pub use parse::{RULE_KINDS, load_suite, parse_suite};
pub use result::{FailingSample, Observed, RuleResult, SampleRow, Status, SuiteResult, Totals};
pub use rules::{HistoryOutcome, Resolver, evaluate_history};
pub use suggest::{SuggestOptions, Suggestion, suggest};
pub use suite::{
    Check, CmpOp, Diagnostic, Literal, Period, Range, Rule, Severity, Stat, Suite, TypeName,
};
pub use yaml::to_yaml;

/// What an import or export could not carry over, one entry per rule or expectation.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct NotConverted {
    /// Where it is: `line 12` of the source, or the rule id / expectation index.
    pub at: String,
    /// What it is (the expectation type, the SodaCL check, our rule kind).
    pub what: String,
    /// Why it was not converted (or what was lost).
    pub reason: String,
}

/// A suite read from another tool's format, and what was left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The rules that were converted.
    pub suite: Suite,
    /// Everything else, with reasons.
    pub not_converted: Vec<NotConverted>,
}

/// A suite written in another tool's format, and what was left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Exported {
    /// The file's text (JSON for GX, YAML for SodaCL).
    pub text: String,
    /// Rules that could not be expressed, with reasons.
    pub not_converted: Vec<NotConverted>,
}
