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
/// itself is the cache key: first in a small direct-mapped table, then in a hash map; longer
/// strings are keyed by their text.
fn flag_distinct(strings: &StringChunked, fails: &dyn Fn(&str) -> bool) -> Vec<bool> {
    let mut recent_keys = vec![u128::MAX; RECENT];
    let mut recent_hits = vec![false; RECENT];
    let mut short: PlHashMap<u128, bool> = PlHashMap::new();
    let mut long: PlHashMap<&str, bool> = PlHashMap::new();
    let mut flags = Vec::with_capacity(strings.len());
    let no_nulls = strings.null_count() == 0;
    for arr in strings.downcast_iter() {
        // Without nulls only the views are read; a string is looked at on a cache miss.
        let valid: Vec<bool> = if no_nulls {
            Vec::new()
        } else {
            arr.iter().map(|v| v.is_some()).collect()
        };
        let present = arr
            .views()
            .iter()
            .enumerate()
            .map(|(i, view)| (no_nulls || valid[i]).then_some(view));
        for (i, view) in present.enumerate() {
            let hit = match view {
                None => false,
                Some(view) if view.is_inline() => {
                    let key = view.as_u128();
                    let slot = recent_slot(key);
                    if recent_keys[slot] != key {
                        recent_keys[slot] = key;
                        recent_hits[slot] = lookup(&mut short, key, || fails(arr.value(i)));
                    }
                    recent_hits[slot]
                }
                Some(_) => {
                    let s = arr.value(i);
                    lookup(&mut long, s, || fails(s))
                }
            };
            flags.push(hit);
        }
    }
    flags
}

/// Slots of the direct-mapped table in front of the short-string cache.
const RECENT: usize = 1 << 14;

/// The direct-mapped slot of an inline view (no inline view equals `u128::MAX`: its length
/// field would exceed 12).
fn recent_slot(key: u128) -> usize {
    let folded = (key as u64) ^ ((key >> 64) as u64);
    (folded.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 50) as usize % RECENT
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

#[cfg(test)]
mod tests {
    use polars::prelude::*;

    use super::flag_distinct;

    #[test]
    fn cached_flags_equal_direct_evaluation() {
        // Short (inline) and long strings, repeats, nulls and more distinct values than slots.
        let values: Vec<Option<String>> = (0..40_000)
            .map(|i| match i % 7 {
                0 => None,
                1 => Some(format!("a long value past twelve bytes {}", i % 50)),
                _ => Some(format!("N{}", (i * 7_919) % 20_011)),
            })
            .collect();
        let strings =
            StringChunked::from_iter_options("x".into(), values.iter().map(|v| v.as_deref()));
        let fails = |s: &str| s.len().is_multiple_of(3) || s.ends_with('7');
        let expected: Vec<bool> = values
            .iter()
            .map(|v| v.as_deref().is_some_and(fails))
            .collect();
        assert_eq!(flag_distinct(&strings, &fails), expected);
        assert!(expected.iter().any(|&f| f) && expected.iter().any(|&f| !f));
    }
}
