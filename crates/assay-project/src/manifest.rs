use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::ProjectError;

/// The manifest format this build writes and the newest it reads.
pub const MANIFEST_FORMAT: u32 = 1;

/// The parsed `assay.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Manifest format version; newer than [`MANIFEST_FORMAT`] is refused.
    pub format: u32,
    /// Name and description.
    pub project: ProjectMeta,
    /// Project-wide settings.
    #[serde(default)]
    pub settings: Settings,
    /// Data sets, in the order the user added them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub datasets: Vec<DatasetSpec>,
    /// Remote connections (object stores, MLflow servers, Assay servers); secrets live elsewhere.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub connections: Vec<ConnectionSpec>,
}

/// The `[project]` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectMeta {
    /// Display name.
    pub name: String,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// The `[settings]` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Rows fetched per page in the data browser.
    pub page_rows: u32,
    /// Rows above which distinct counts are estimated (HyperLogLog) instead of exact.
    pub exact_distinct_limit: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            page_rows: 500,
            exact_distinct_limit: 10_000_000,
        }
    }
}

/// One `[[datasets]]` entry: a named file or URL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatasetSpec {
    /// Unique name within the project.
    pub name: String,
    /// A path relative to the project folder, an absolute path, or a URL (s3://, gs://, az://, https://).
    pub path: String,
    /// File format; inferred from the extension when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl DatasetSpec {
    /// Whether `path` names a remote object rather than a local file.
    pub fn is_remote(&self) -> bool {
        self.path.contains("://")
    }

    /// The explicit format, else the one the file extension implies.
    pub fn effective_format(&self) -> Option<String> {
        self.format
            .clone()
            .or_else(|| format_from_extension(&self.path).map(str::to_string))
    }
}

/// The data format a file name implies: csv, tsv, parquet, json, ndjson or arrow.
pub fn format_from_extension(path: &str) -> Option<&'static str> {
    let name = path.rsplit(['/', '\\']).next()?.to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let ext = name.rsplit_once('.')?.1;
    Some(match ext {
        "csv" => "csv",
        "tsv" | "tab" => "tsv",
        "parquet" | "pq" => "parquet",
        "json" => "json",
        "ndjson" | "jsonl" => "ndjson",
        "arrow" | "ipc" | "feather" => "arrow",
        _ => return None,
    })
}

/// Kinds of remote connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ConnectionKind {
    /// Amazon S3 or S3-compatible store.
    S3,
    /// Google Cloud Storage.
    Gcs,
    /// Azure Blob Storage.
    Azure,
    /// Plain HTTP(S).
    Http,
    /// An MLflow tracking server.
    Mlflow,
    /// Another `assay serve`.
    Assay,
}

/// One `[[connections]]` entry. Holds no secrets: those stay in the OS keychain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectionSpec {
    /// Unique name within the project.
    pub name: String,
    /// What it connects to.
    pub kind: ConnectionKind,
    /// Base URL (bucket, container or server).
    pub url: String,
}

impl Manifest {
    /// A new manifest for a project called `name`.
    pub fn new(name: &str) -> Self {
        Self {
            format: MANIFEST_FORMAT,
            project: ProjectMeta {
                name: name.to_string(),
                description: None,
            },
            settings: Settings::default(),
            datasets: Vec::new(),
            connections: Vec::new(),
        }
    }

    /// Parses and validates manifest text read from `path` (used in error messages).
    pub fn parse(path: &Path, text: &str) -> Result<Self, ProjectError> {
        let manifest: Manifest = toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map(|s| line_col(text, s.start))
                .map_or((None, None), |(l, c)| (Some(l), Some(c)));
            ProjectError::CorruptManifest {
                path: path.to_path_buf(),
                line,
                column,
                message: e.message().to_string(),
            }
        })?;
        manifest.validate(path)?;
        Ok(manifest)
    }

    fn validate(&self, path: &Path) -> Result<(), ProjectError> {
        let corrupt = |message: String| ProjectError::CorruptManifest {
            path: path.to_path_buf(),
            line: None,
            column: None,
            message,
        };
        if self.format > MANIFEST_FORMAT {
            return Err(corrupt(format!(
                "manifest format {} was written by a newer Assay (this one reads up to {MANIFEST_FORMAT})",
                self.format
            )));
        }
        let mut seen = std::collections::HashSet::new();
        for d in &self.datasets {
            validate_name("data set name", &d.name)?;
            if !seen.insert(d.name.as_str()) {
                return Err(corrupt(format!("data set '{}' is listed twice", d.name)));
            }
        }
        Ok(())
    }

    /// Renders a fresh manifest as TOML.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_else(|e| format!("# serialisation failed: {e}\n"))
    }
}

/// Checks that a user-given name is usable as a key and a file name.
pub(crate) fn validate_name(what: &'static str, value: &str) -> Result<(), ProjectError> {
    let reason = if value.trim().is_empty() {
        Some("must not be empty")
    } else if value.len() > 128 {
        Some("must be at most 128 characters")
    } else if value
        .chars()
        .any(|c| c.is_control() || "/\\:*?\"<>|".contains(c))
    {
        Some("must not contain / \\ : * ? \" < > | or control characters")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(ProjectError::InvalidName {
            what,
            value: value.to_string(),
            reason,
        }),
        None => Ok(()),
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Appends a `[[datasets]]` table to manifest text, keeping the user's comments and layout.
pub(crate) fn append_dataset(text: &str, spec: &DatasetSpec) -> Result<String, String> {
    use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, value};
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| e.to_string())?;
    let mut table = Table::new();
    table["name"] = value(spec.name.as_str());
    table["path"] = value(spec.path.as_str());
    if let Some(f) = &spec.format {
        table["format"] = value(f.as_str());
    }
    if let Some(d) = &spec.description {
        table["description"] = value(d.as_str());
    }
    match doc.get_mut("datasets") {
        Some(Item::ArrayOfTables(a)) => a.push(table),
        Some(Item::Value(v)) if v.as_array().is_some_and(|a| a.is_empty()) => {
            let mut a = ArrayOfTables::new();
            a.push(table);
            doc.insert("datasets", Item::ArrayOfTables(a));
        }
        Some(_) => return Err("'datasets' must be an array of tables ([[datasets]])".into()),
        None => {
            let mut a = ArrayOfTables::new();
            a.push(table);
            doc.insert("datasets", Item::ArrayOfTables(a));
        }
    }
    Ok(doc.to_string())
}

/// Removes the `[[datasets]]` table called `name`, keeping everything else as written.
pub(crate) fn remove_dataset(text: &str, name: &str) -> Result<String, String> {
    use toml_edit::{DocumentMut, Item};
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| e.to_string())?;
    if let Some(Item::ArrayOfTables(a)) = doc.get_mut("datasets") {
        a.retain(|t| t.get("name").and_then(|v| v.as_str()) != Some(name));
    }
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"# my project
format = 1

[project]
name = "Flights"

[[datasets]]
name = "flights"  # the big one
path = "data/flights.parquet"
"#;

    #[test]
    fn parses_and_round_trips() {
        let m = Manifest::parse(Path::new("assay.toml"), GOOD).expect("valid");
        assert_eq!(m.project.name, "Flights");
        assert_eq!(m.datasets[0].path, "data/flights.parquet");
        assert_eq!(m.settings, Settings::default());
        let again = Manifest::parse(Path::new("x"), &m.to_toml()).expect("round trip");
        assert_eq!(again, m);
    }

    #[test]
    fn syntax_error_names_file_and_line() {
        let text = "format = 1\n[project]\nname = \"x\n";
        let err = Manifest::parse(Path::new("/p/assay.toml"), text).expect_err("bad");
        let msg = err.to_string();
        assert!(msg.starts_with("/p/assay.toml line 3"), "{msg}");
    }

    #[test]
    fn unknown_field_and_newer_format_are_refused() {
        let typo = GOOD.replace("path =", "pth =");
        let err = Manifest::parse(Path::new("a.toml"), &typo).expect_err("typo");
        assert!(err.to_string().contains("line 9"), "{err}");
        let newer = GOOD.replace("format = 1", "format = 99");
        let err = Manifest::parse(Path::new("a.toml"), &newer).expect_err("newer");
        assert!(err.to_string().contains("newer Assay"), "{err}");
    }

    #[test]
    fn edits_keep_comments() {
        let spec = DatasetSpec {
            name: "airports".into(),
            path: "data/airports.parquet".into(),
            format: None,
            description: None,
        };
        let added = append_dataset(GOOD, &spec).expect("append");
        assert!(added.contains("# my project") && added.contains("# the big one"));
        let m = Manifest::parse(Path::new("a"), &added).expect("valid");
        assert_eq!(m.datasets.len(), 2);
        let removed = remove_dataset(&added, "flights").expect("remove");
        let m = Manifest::parse(Path::new("a"), &removed).expect("valid");
        assert_eq!(m.datasets.len(), 1);
        assert_eq!(m.datasets[0].name, "airports");
    }

    #[test]
    fn formats_follow_extensions() {
        assert_eq!(format_from_extension("data/a.CSV"), Some("csv"));
        assert_eq!(
            format_from_extension("s3://b/x/events.jsonl"),
            Some("ndjson")
        );
        assert_eq!(format_from_extension("x.tsv.gz"), Some("tsv"));
        assert_eq!(format_from_extension("README"), None);
    }

    #[test]
    fn bad_names_are_refused() {
        assert!(validate_name("data set name", "").is_err());
        assert!(validate_name("data set name", "a/b").is_err());
        assert!(validate_name("data set name", "flights 2013").is_ok());
    }
}
