//! Shared helpers of the integration tests: the shared data folder, scans and a resolver.

#![allow(dead_code, clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use assay_data::{Source, scan};
use assay_quality::{RuleResult, RunOptions, Suite, SuiteResult, parse_suite, run};
use polars::prelude::*;

/// `shared/data/tabular/<name>` (works in /work/main, a worktree and CI).
pub fn shared(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/tabular")
        .join(name)
        .display()
        .to_string()
}

/// A fixture file of this crate.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Opens a data file lazily.
pub fn open(path: &str) -> LazyFrame {
    scan(&Source::from_path(path).expect("format"))
        .expect("scan")
        .0
}

/// The flights table.
pub fn flights() -> LazyFrame {
    open(&shared("nycflights13_flights.parquet"))
}

/// The flights table, loaded.
pub fn flights_df() -> DataFrame {
    flights().collect().expect("flights")
}

/// Resolves `airports`, `planes`, ... to the shared nycflights13 files.
pub fn resolve(name: &str) -> Result<LazyFrame, String> {
    let path = shared(&format!("nycflights13_{name}.parquet"));
    if Path::new(&path).exists() {
        Ok(open(&path))
    } else {
        Err(format!("no data set named `{name}`"))
    }
}

/// Parses suite text (panics on a syntax error).
pub fn suite(text: &str) -> Suite {
    parse_suite(text, "rules/test.yaml").expect("suite")
}

/// Runs suite text over flights.
pub fn check_flights(text: &str) -> SuiteResult {
    run(
        &suite(text),
        flights(),
        &resolve,
        &RunOptions::default(),
        &|_| true,
    )
    .expect("run")
}

/// The result of the rule with this id.
pub fn rule<'a>(r: &'a SuiteResult, id: &str) -> &'a RuleResult {
    r.rules.iter().find(|x| x.id == id).unwrap_or_else(|| {
        panic!(
            "no rule {id} in {:#?}",
            r.rules.iter().map(|x| &x.id).collect::<Vec<_>>()
        )
    })
}

/// Values of a float column as options, in row order.
pub fn floats(df: &DataFrame, name: &str) -> Vec<Option<f64>> {
    df.column(name)
        .expect("column")
        .cast(&DataType::Float64)
        .expect("cast")
        .f64()
        .expect("f64")
        .iter()
        .collect()
}

/// Values of a text column as options, in row order.
pub fn texts(df: &DataFrame, name: &str) -> Vec<Option<String>> {
    df.column(name)
        .expect("column")
        .str()
        .expect("str")
        .iter()
        .map(|v| v.map(str::to_string))
        .collect()
}
