//! MLflow's limits on names, keys and values, so that what its server refuses is refused here
//! with the same message shape.

use crate::error::{Result, TrackError};
use crate::model::KeyValue;

/// Longest metric, parameter or tag key.
pub const MAX_KEY_LENGTH: usize = 250;
/// Longest parameter value.
pub const MAX_PARAM_VALUE_LENGTH: usize = 6000;
/// Longest tag value.
pub const MAX_TAG_VALUE_LENGTH: usize = 8000;
/// Longest experiment or model name.
pub const MAX_NAME_LENGTH: usize = 500;

/// A metric, parameter or tag key: non-empty, at most 250 characters, made of letters, digits,
/// `_ - . / :` and spaces, not absolute and without `..` (keys become artifact-like paths).
pub fn key(what: &str, key: &str) -> Result<()> {
    if key.is_empty() {
        return Err(TrackError::invalid(format!("{what} key must not be empty")));
    }
    if key.chars().count() > MAX_KEY_LENGTH {
        return Err(TrackError::invalid(format!(
            "{what} key '{}...' is longer than {MAX_KEY_LENGTH} characters",
            key.chars().take(40).collect::<String>()
        )));
    }
    let ok_char = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | ' ' | ':');
    if !key.chars().all(ok_char) || key.starts_with('/') || key.split('/').any(|p| p == "..") {
        return Err(TrackError::invalid(format!(
            "invalid {what} key '{key}': use letters, digits, underscores, dashes, periods, spaces, colons and slashes, not starting with '/' and without '..'"
        )));
    }
    Ok(())
}

/// A parameter.
pub fn param(p: &KeyValue) -> Result<()> {
    key("param", &p.key)?;
    if p.value.chars().count() > MAX_PARAM_VALUE_LENGTH {
        return Err(TrackError::invalid(format!(
            "param '{}' value is longer than {MAX_PARAM_VALUE_LENGTH} characters",
            p.key
        )));
    }
    Ok(())
}

/// A tag.
pub fn tag(t: &KeyValue) -> Result<()> {
    key("tag", &t.key)?;
    if t.value.chars().count() > MAX_TAG_VALUE_LENGTH {
        return Err(TrackError::invalid(format!(
            "tag '{}' value is longer than {MAX_TAG_VALUE_LENGTH} characters",
            t.key
        )));
    }
    Ok(())
}

/// An experiment or model name.
pub fn name(what: &str, name: &str) -> Result<()> {
    if name.trim().is_empty() {
        return Err(TrackError::invalid(format!("{what} must not be empty")));
    }
    if name.chars().count() > MAX_NAME_LENGTH {
        return Err(TrackError::invalid(format!(
            "{what} is longer than {MAX_NAME_LENGTH} characters"
        )));
    }
    if name.contains('\0') {
        return Err(TrackError::invalid(format!("{what} must not contain NUL")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_follow_mlflow_rules() {
        for good in ["acc", "val/loss", "a b", "epoch:1", "τ-sweep_2.x"] {
            assert!(key("metric", good).is_ok(), "{good}");
        }
        for bad in ["", "/abs", "a/../b", "semi;colon", &"k".repeat(251)] {
            assert!(key("metric", bad).is_err(), "{bad}");
        }
        assert!(param(&KeyValue::new("p", "v".repeat(6001))).is_err());
        assert!(tag(&KeyValue::new("t", "v".repeat(8000))).is_ok());
    }
}
