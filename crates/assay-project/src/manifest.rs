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
    /// Where new experiments keep their run artifacts: an object-store URL such as
    /// `s3://bucket/mlruns` (read and written through the project's connections). Default: the
    /// project's `.assay/artifacts/` folder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub artifact_root: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            page_rows: 500,
            exact_distinct_limit: 10_000_000,
            artifact_root: None,
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
    /// How to read a CSV/TSV file where detection gets it wrong (`[datasets.csv]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csv: Option<CsvSettings>,
    /// The connection whose settings and secrets read a remote path; by default the connection
    /// whose URL is the longest prefix of the path, else the environment's credentials.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection: Option<String>,
}

/// Dialect settings of a delimited text data set that replace what detection finds; fields
/// left out are still detected.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsvSettings {
    /// Field separator: one ASCII character (`"\t"` for tabs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<String>,
    /// Quote character: one ASCII character, or `""` for none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// Whether the first line holds column names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_header: Option<bool>,
    /// Cell texts that mean "missing".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub null_values: Option<Vec<String>>,
    /// `utf8` (strict), `utf8_lossy`, `latin1` (Windows-1252) or `utf16`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
}

impl CsvSettings {
    /// Why these settings cannot be used, if they cannot.
    pub fn problem(&self) -> Option<String> {
        let one_ascii = |s: &str| s.len() == 1 && s.is_ascii();
        if let Some(d) = &self.delimiter
            && !one_ascii(d)
        {
            return Some(format!(
                "the delimiter must be one ASCII character, not '{d}'"
            ));
        }
        if let Some(q) = &self.quote
            && !(q.is_empty() || one_ascii(q))
        {
            return Some(format!(
                "the quote must be one ASCII character or empty, not '{q}'"
            ));
        }
        if let Some(e) = &self.encoding
            && !matches!(e.as_str(), "utf8" | "utf8_lossy" | "latin1" | "utf16")
        {
            return Some(format!(
                "the encoding must be utf8, utf8_lossy, latin1 or utf16, not '{e}'"
            ));
        }
        None
    }
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

/// Whether `url` names a location in an object store (not a local path or a web page).
pub fn is_object_store_url(url: &str) -> bool {
    [
        "s3://", "s3a://", "gs://", "az://", "azure://", "abfs://", "abfss://",
    ]
    .iter()
    .any(|scheme| url.starts_with(scheme) && url.len() > scheme.len())
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ConnectionKind {
    /// Amazon S3 or S3-compatible store.
    #[default]
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
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectionSpec {
    /// Unique name within the project.
    pub name: String,
    /// What it connects to.
    pub kind: ConnectionKind,
    /// Base URL: `s3://bucket[/prefix]`, `gs://bucket`, `az://container`, `https://host/path`, or
    /// a server's `http(s)://host:port`.
    pub url: String,
    /// Service endpoint for S3-compatible stores, emulators and sovereign clouds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// Region (S3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Path-style requests (`endpoint/bucket/key`) instead of virtual-hosted style (S3).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub path_style: bool,
    /// Storage account (Azure).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// User name for basic authentication (MLflow).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
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
        if let Some(root) = &self.settings.artifact_root
            && !is_object_store_url(root)
        {
            return Err(corrupt(format!(
                "settings.artifact_root '{root}' must be an object-store URL (s3://, gs://, az://, abfss://); leave it out to keep artifacts in .assay/artifacts"
            )));
        }
        let mut seen = std::collections::HashSet::new();
        for c in &self.connections {
            validate_name("connection name", &c.name)?;
            if !seen.insert(c.name.as_str()) {
                return Err(corrupt(format!("connection '{}' is listed twice", c.name)));
            }
        }
        let mut seen = std::collections::HashSet::new();
        for d in &self.datasets {
            validate_name("data set name", &d.name)?;
            if !seen.insert(d.name.as_str()) {
                return Err(corrupt(format!("data set '{}' is listed twice", d.name)));
            }
            if let Some(problem) = d.csv.as_ref().and_then(CsvSettings::problem) {
                return Err(corrupt(format!("data set '{}': {problem}", d.name)));
            }
            if let Some(c) = &d.connection
                && !self.connections.iter().any(|x| &x.name == c)
            {
                return Err(corrupt(format!(
                    "data set '{}' names connection '{c}', which is not in [[connections]]",
                    d.name
                )));
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
    use toml_edit::{DocumentMut, Table, value};
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
    if let Some(c) = &spec.connection {
        table["connection"] = value(c.as_str());
    }
    tables_mut(&mut doc, "datasets")?.push(table);
    Ok(doc.to_string())
}

fn tables_mut<'d>(
    doc: &'d mut toml_edit::DocumentMut,
    key: &str,
) -> Result<&'d mut toml_edit::ArrayOfTables, String> {
    use toml_edit::{ArrayOfTables, Item};
    let replace = match doc.get(key) {
        Some(Item::ArrayOfTables(_)) => false,
        Some(Item::Value(v)) if v.as_array().is_some_and(|a| a.is_empty()) => true,
        Some(_) => return Err(format!("'{key}' must be an array of tables ([[{key}]])")),
        None => true,
    };
    if replace {
        doc.insert(key, Item::ArrayOfTables(ArrayOfTables::new()));
    }
    match doc.get_mut(key) {
        Some(Item::ArrayOfTables(a)) => Ok(a),
        _ => Err(format!("'{key}' must be an array of tables ([[{key}]])")),
    }
}

/// Adds a `[[connections]]` table, or replaces the one with the same name in place, keeping
/// the user's comments and layout.
pub(crate) fn put_connection(text: &str, spec: &ConnectionSpec) -> Result<String, String> {
    use toml_edit::{DocumentMut, Table, value};
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| e.to_string())?;
    let mut table = Table::new();
    table["name"] = value(spec.name.as_str());
    table["kind"] = value(kind_name(spec.kind));
    table["url"] = value(spec.url.as_str());
    let optional = [
        ("endpoint", &spec.endpoint),
        ("region", &spec.region),
        ("account", &spec.account),
        ("username", &spec.username),
    ];
    for (key, v) in optional {
        if let Some(v) = v {
            table[key] = value(v.as_str());
        }
    }
    if spec.path_style {
        table["path_style"] = value(true);
    }
    let tables = tables_mut(&mut doc, "connections")?;
    let existing = tables
        .iter_mut()
        .find(|t| t.get("name").and_then(|v| v.as_str()) == Some(spec.name.as_str()));
    match existing {
        Some(t) => {
            let decor = t.decor().clone();
            *t = table;
            *t.decor_mut() = decor;
        }
        None => tables.push(table),
    }
    Ok(doc.to_string())
}

/// Removes the `[[connections]]` table called `name`.
pub(crate) fn remove_connection(text: &str, name: &str) -> Result<String, String> {
    use toml_edit::{DocumentMut, Item};
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| e.to_string())?;
    if let Some(Item::ArrayOfTables(a)) = doc.get_mut("connections") {
        a.retain(|t| t.get("name").and_then(|v| v.as_str()) != Some(name));
    }
    Ok(doc.to_string())
}

/// The manifest's name for a connection kind.
pub fn kind_name(kind: ConnectionKind) -> &'static str {
    match kind {
        ConnectionKind::S3 => "s3",
        ConnectionKind::Gcs => "gcs",
        ConnectionKind::Azure => "azure",
        ConnectionKind::Http => "http",
        ConnectionKind::Mlflow => "mlflow",
        ConnectionKind::Assay => "assay",
    }
}

/// Sets (or, with `None`, removes) the `[datasets.csv]` settings of the data set `name`.
pub(crate) fn set_dataset_csv(
    text: &str,
    name: &str,
    csv: Option<&CsvSettings>,
) -> Result<String, String> {
    use toml_edit::{Array, DocumentMut, Item, Table, value};
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| e.to_string())?;
    let Some(Item::ArrayOfTables(datasets)) = doc.get_mut("datasets") else {
        return Err(format!("no data set named '{name}'"));
    };
    let entry = datasets
        .iter_mut()
        .find(|t| t.get("name").and_then(|v| v.as_str()) == Some(name))
        .ok_or_else(|| format!("no data set named '{name}'"))?;
    entry.remove("csv");
    if let Some(csv) = csv {
        let mut table = Table::new();
        if let Some(d) = &csv.delimiter {
            table["delimiter"] = value(d.as_str());
        }
        if let Some(q) = &csv.quote {
            table["quote"] = value(q.as_str());
        }
        if let Some(h) = csv.has_header {
            table["has_header"] = value(h);
        }
        if let Some(n) = &csv.null_values {
            table["null_values"] = value(n.iter().map(String::as_str).collect::<Array>());
        }
        if let Some(e) = &csv.encoding {
            table["encoding"] = value(e.as_str());
        }
        entry.insert("csv", Item::Table(table));
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
            csv: None,
            connection: None,
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
    fn connections_are_put_replaced_and_removed() {
        let mut spec = ConnectionSpec {
            name: "lake".into(),
            kind: ConnectionKind::S3,
            url: "s3://bucket".into(),
            endpoint: Some("http://127.0.0.1:9000".into()),
            path_style: true,
            ..Default::default()
        };
        let added = put_connection(GOOD, &spec).expect("put");
        let m = Manifest::parse(Path::new("a"), &added).expect("valid");
        assert_eq!(m.connections, vec![spec.clone()]);
        spec.region = Some("eu-west-1".into());
        let replaced = put_connection(&added, &spec).expect("replace");
        let m = Manifest::parse(Path::new("a"), &replaced).expect("valid");
        assert_eq!(m.connections, vec![spec]);
        assert!(replaced.contains("# the big one"));
        let removed = remove_connection(&replaced, "lake").expect("remove");
        let m = Manifest::parse(Path::new("a"), &removed).expect("valid");
        assert!(m.connections.is_empty());
    }

    #[test]
    fn csv_settings_are_set_kept_and_cleared() {
        let csv = CsvSettings {
            delimiter: Some(";".into()),
            quote: Some(String::new()),
            null_values: Some(vec!["NA".into(), "-".into()]),
            ..Default::default()
        };
        let set = set_dataset_csv(GOOD, "flights", Some(&csv)).expect("set");
        assert!(set.contains("# the big one"), "{set}");
        let m = Manifest::parse(Path::new("a"), &set).expect("valid");
        assert_eq!(m.datasets[0].csv.as_ref(), Some(&csv));
        let cleared = set_dataset_csv(&set, "flights", None).expect("clear");
        let m = Manifest::parse(Path::new("a"), &cleared).expect("valid");
        assert_eq!(m.datasets[0].csv, None);
        let bad = set.replace("delimiter = \";\"", "delimiter = \";;\"");
        let err = Manifest::parse(Path::new("a"), &bad).expect_err("two-character delimiter");
        assert!(err.to_string().contains("one ASCII character"), "{err}");
    }

    #[test]
    fn a_data_set_must_name_a_known_connection() {
        let text = format!("{GOOD}connection = \"nope\"\n");
        let err = Manifest::parse(Path::new("a"), &text).expect_err("unknown connection");
        assert!(err.to_string().contains("connection 'nope'"), "{err}");
    }

    #[test]
    fn the_artifact_root_must_be_an_object_store_url() {
        let with = |root: &str| {
            let text = GOOD.replace(
                "[[datasets]]",
                &format!("[settings]\nartifact_root = \"{root}\"\n\n[[datasets]]"),
            );
            Manifest::parse(Path::new("a"), &text)
        };
        let m = with("s3://lake/mlruns").expect("an S3 root");
        assert_eq!(
            m.settings.artifact_root.as_deref(),
            Some("s3://lake/mlruns")
        );
        for bad in ["/tmp/artifacts", "https://example.com/x", "s3://"] {
            let err = with(bad).expect_err(bad);
            assert!(err.to_string().contains("settings.artifact_root"), "{err}");
        }
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
