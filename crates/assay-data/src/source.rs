use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A file format Assay reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum DataFormat {
    /// Comma (or other) separated values.
    Csv,
    /// Tab separated values.
    Tsv,
    /// Apache Parquet.
    Parquet,
    /// A JSON array of objects.
    Json,
    /// One JSON object per line.
    Ndjson,
    /// Arrow IPC (Feather v2).
    Arrow,
}

impl DataFormat {
    /// Parses a format name (`csv`, `tsv`, `parquet`, `json`, `ndjson`/`jsonl`, `arrow`/`ipc`/`feather`).
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name.to_ascii_lowercase().as_str() {
            "csv" => Self::Csv,
            "tsv" | "tab" => Self::Tsv,
            "parquet" | "pq" => Self::Parquet,
            "json" => Self::Json,
            "ndjson" | "jsonl" => Self::Ndjson,
            "arrow" | "ipc" | "feather" => Self::Arrow,
            _ => return None,
        })
    }

    /// The format a file name implies.
    pub fn from_path(path: &str) -> Option<Self> {
        let name = path.rsplit(['/', '\\']).next()?.to_ascii_lowercase();
        let name = name.strip_suffix(".gz").unwrap_or(&name);
        Self::parse(name.rsplit_once('.')?.1)
    }

    /// Whether the format is delimited text.
    pub fn is_delimited(self) -> bool {
        matches!(self, Self::Csv | Self::Tsv)
    }
}

/// How text bytes are decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CsvEncodingChoice {
    /// Strict UTF-8: invalid bytes are an error naming the line.
    #[default]
    Utf8,
    /// UTF-8, invalid bytes replaced by U+FFFD.
    Utf8Lossy,
    /// Latin-1 as Windows-1252 (each byte one character), decoded to UTF-8 before reading.
    Latin1,
    /// UTF-16, little or big endian by its byte-order mark, decoded to UTF-8 before reading.
    Utf16,
}

/// How to read a delimited text file. Detected by [`crate::sniff_csv`]; every field can be
/// overridden by the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CsvOptions {
    /// Field separator (one ASCII character).
    pub delimiter: char,
    /// Quote character, or none.
    pub quote: Option<char>,
    /// Whether the first line holds column names.
    pub has_header: bool,
    /// Cell texts that mean "missing" (besides the empty cell).
    pub null_values: Vec<String>,
    /// Text decoding.
    pub encoding: CsvEncodingChoice,
}

impl Default for CsvOptions {
    fn default() -> Self {
        Self {
            delimiter: ',',
            quote: Some('"'),
            has_header: true,
            null_values: Vec::new(),
            encoding: CsvEncodingChoice::Utf8,
        }
    }
}

/// Dialect settings that replace what sniffing detects; fields left out are still detected.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct CsvOverrides {
    /// Field separator: one ASCII character.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<String>,
    /// Quote character: one ASCII character, or empty for none.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// Whether the first line holds column names.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_header: Option<bool>,
    /// Cell texts that mean "missing".
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub null_values: Option<Vec<String>>,
    /// Text decoding.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<CsvEncodingChoice>,
}

impl CsvOverrides {
    /// Replaces the detected fields that these settings name.
    pub fn apply(&self, options: &mut CsvOptions) -> Result<(), crate::DataError> {
        let one = |s: &str, what: &str| {
            let mut chars = s.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if c.is_ascii() => Ok(c),
                _ => Err(crate::DataError::Invalid(format!(
                    "the {what} must be one ASCII character, not '{s}'"
                ))),
            }
        };
        if let Some(d) = &self.delimiter {
            options.delimiter = one(d, "delimiter")?;
        }
        if let Some(q) = &self.quote {
            options.quote = if q.is_empty() {
                None
            } else {
                Some(one(q, "quote")?)
            };
        }
        if let Some(h) = self.has_header {
            options.has_header = h;
        }
        if let Some(n) = &self.null_values {
            options.null_values = n.clone();
        }
        if let Some(e) = self.encoding {
            options.encoding = e;
        }
        Ok(())
    }
}

/// A table to read: where it is, its format and, for delimited text, how to parse it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Source {
    /// A local path or a URL.
    pub location: String,
    /// The format.
    pub format: DataFormat,
    /// Parsing options for CSV/TSV; sniffed when absent.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csv: Option<CsvOptions>,
    /// Settings that replace what sniffing detects (when `csv` is absent).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overrides: Option<CsvOverrides>,
    /// Settings and credentials for a remote location; never serialised.
    #[ts(skip)]
    #[serde(skip)]
    pub access: Option<crate::RemoteAccess>,
}

impl Source {
    /// A source whose format follows from its file extension.
    pub fn from_path(location: &str) -> Option<Self> {
        Some(Self {
            location: location.to_string(),
            format: DataFormat::from_path(location)?,
            csv: None,
            overrides: None,
            access: None,
        })
    }
}
