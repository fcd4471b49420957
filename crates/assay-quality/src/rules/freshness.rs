//! Freshness: the latest timestamp of a column is at most `max_age` before now. The column is a
//! date, a datetime or ISO 8601 text; the age is computed in Rust from the maximum.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use polars::prelude::*;

use super::{Ctx, Plan, column};
use crate::suite::Period;

/// `freshness: {column, max_age}`.
pub(crate) fn latest(ctx: &Ctx, name: &str, max_age: Period) -> Result<Plan, String> {
    let dtype = column(ctx, name)?;
    let temporal = matches!(dtype, DataType::Date | DataType::Datetime(_, _));
    if !(temporal || dtype.is_string()) {
        return Err(format!(
            "column `{name}` is {dtype}, not a date, datetime or ISO 8601 text"
        ));
    }
    Ok(Plan::Latest {
        value: col(name).max().cast(DataType::String),
        max_age,
        column: name.to_string(),
    })
}

/// Reads a timestamp as the engine prints it or as ISO 8601 text (UTC when no offset).
pub(crate) fn parse_timestamp(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for f in [
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f %Z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(s, f) {
            return Some(t.with_timezone(&Utc));
        }
    }
    for f in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Some(t.and_utc());
        }
    }
    let day = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    Some(day.and_hms_opt(0, 0, 0)?.and_utc())
}
