//! The report document: what `--format json` writes and the HTML report renders.

use assay_profile::{DriftReport, Profile};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A profile of one data set, optionally compared with a second one.
///
/// Field names are stable; additions bump `schema_version`'s minor meaning only (new optional
/// fields), removals or renames bump it. The JSON Schema is in `docs/schema/profile-report.schema.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ProfileReport {
    /// Version of this document's layout.
    pub schema_version: u32,
    /// What the report is about, shown as its heading.
    pub title: String,
    /// The file, URL or data set name that was profiled.
    pub source: String,
    /// When the report was made (RFC 3339, UTC).
    pub generated_at: String,
    /// The profile.
    pub profile: Profile,
    /// The data set the drift section compares against `source`, if any.
    pub compared_with: Option<String>,
    /// Per-column drift of `compared_with` against `source`.
    pub drift: Option<DriftReport>,
}

impl ProfileReport {
    /// The current document layout version.
    pub const SCHEMA_VERSION: u32 = 1;

    /// A report on `profile` of `source`, made now.
    pub fn new(source: impl Into<String>, profile: Profile) -> Self {
        let source = source.into();
        Self {
            schema_version: Self::SCHEMA_VERSION,
            title: format!("Profile of {}", file_name(&source)),
            source,
            generated_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            profile,
            compared_with: None,
            drift: None,
        }
    }

    /// Adds a drift comparison against `other`.
    pub fn with_drift(mut self, other: impl Into<String>, drift: DriftReport) -> Self {
        self.compared_with = Some(other.into());
        self.drift = Some(drift);
        self
    }

    /// The document as pretty-printed JSON.
    pub fn to_json(&self) -> Result<String, crate::ReportError> {
        Ok(serde_json::to_string_pretty(self)?)
    }
}

fn file_name(source: &str) -> &str {
    source
        .rsplit(['/', '\\'])
        .find(|s| !s.is_empty())
        .unwrap_or(source)
}

/// The JSON Schema (draft 2020-12) of [`ProfileReport`], with every field's documentation.
pub fn json_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(ProfileReport)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_use_the_file_name() {
        assert_eq!(
            file_name("s3://bucket/dir/flights.parquet"),
            "flights.parquet"
        );
        assert_eq!(file_name("flights"), "flights");
        assert_eq!(file_name("C:\\data\\a.csv"), "a.csv");
    }
}
