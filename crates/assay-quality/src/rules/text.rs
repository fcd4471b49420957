//! Text rules: `regex` (search semantics, as Great Expectations; anchor with `^...$`) and
//! `length` (in characters). Missing values never fail these.
//!
//! Both run as one fused function over the strings instead of a chain of polars expressions:
//! a regex is matched once per distinct value (text columns repeat a lot), a length is counted
//! and compared without intermediate columns.

use polars::prelude::*;
use regex::Regex;

use super::{Ctx, Plan, text};
use crate::suite::Range;

/// Distinct values remembered per column chunk before matching continues uncached.
const CACHE_LIMIT: usize = 1 << 16;

/// `regex: {column, pattern}`. The pattern was validated when the suite was parsed.
pub(crate) fn regex(ctx: &Ctx, name: &str, pattern: &str) -> Result<Plan, String> {
    let x = text(ctx, name)?;
    let re = Regex::new(pattern).map_err(|e| format!("invalid regex `{pattern}`: {e}"))?;
    Ok(Plan::Rows {
        fails: text_flags(x, move |s| !re.is_match(s), true),
        columns: vec![name.to_string()],
        what: format!("{name} does not match /{pattern}/"),
    })
}

/// `length: {column, min, max}`.
pub(crate) fn length(ctx: &Ctx, name: &str, range: Range) -> Result<Plan, String> {
    let x = text(ctx, name)?;
    Ok(Plan::Rows {
        fails: text_flags(x, move |s| !range.contains(s.chars().count() as f64), false),
        columns: vec![name.to_string()],
        what: format!("length of {name} outside {}", range.describe()),
    })
}

/// `fails` applied to every present string of `x` (false where missing); with `cached`, once
/// per distinct value.
pub(crate) fn text_flags<F>(x: Expr, fails: F, cached: bool) -> Expr
where
    F: Fn(&str) -> bool + Send + Sync + 'static,
{
    x.map(
        move |c: Column| {
            let strings = c.str()?;
            let flags = if cached {
                flag_distinct(strings, &fails)
            } else {
                strings
                    .iter()
                    .map(|v| v.is_some_and(&fails))
                    .collect::<Vec<bool>>()
            };
            Ok(BooleanChunked::from_slice(c.name().clone(), &flags).into_column())
        },
        |_, field| Ok(Field::new(field.name().clone(), DataType::Boolean)),
    )
}

/// `fails` per string, evaluated once per distinct value (up to [`CACHE_LIMIT`] values). Short
/// strings (up to 12 bytes) are stored inline in their 16-byte view, zero-padded, so the view
/// itself is the cache key; longer ones are keyed by their text.
fn flag_distinct(strings: &StringChunked, fails: &dyn Fn(&str) -> bool) -> Vec<bool> {
    let mut short: PlHashMap<u128, bool> = PlHashMap::new();
    let mut long: PlHashMap<&str, bool> = PlHashMap::new();
    let mut flags = Vec::with_capacity(strings.len());
    for arr in strings.downcast_iter() {
        for (value, view) in arr.iter().zip(arr.views().iter()) {
            let hit = match value {
                None => false,
                Some(s) if view.is_inline() => lookup(&mut short, view.as_u128(), || fails(s)),
                Some(s) => lookup(&mut long, s, || fails(s)),
            };
            flags.push(hit);
        }
    }
    flags
}

/// The cached answer for `key`, computed (and remembered while the cache has room) on a miss.
fn lookup<K: std::hash::Hash + Eq>(
    cache: &mut PlHashMap<K, bool>,
    key: K,
    compute: impl FnOnce() -> bool,
) -> bool {
    if let Some(&hit) = cache.get(&key) {
        return hit;
    }
    let hit = compute();
    if cache.len() < CACHE_LIMIT {
        cache.insert(key, hit);
    }
    hit
}
