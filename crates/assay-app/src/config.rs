//! Where Assay keeps its own files, and its configuration: `config.toml` in the config folder,
//! overridden by `ASSAY_*` environment variables.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::ApiError;

/// Assay's own folders (not a project's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppDirs {
    /// Configuration and the recent-projects list (`ASSAY_CONFIG_DIR` overrides).
    pub config: PathBuf,
    /// Logs and the demo project (`ASSAY_DATA_DIR` overrides).
    pub data: PathBuf,
}

impl AppDirs {
    /// The OS's folders for Assay (XDG on Linux), with environment overrides.
    pub fn discover() -> Result<Self, ApiError> {
        let os = directories::ProjectDirs::from("dev", "assay", "assay");
        let pick = |var: &str, os_dir: Option<&Path>| {
            std::env::var_os(var)
                .map(PathBuf::from)
                .or_else(|| os_dir.map(Path::to_path_buf))
                .ok_or_else(|| {
                    ApiError::invalid(format!(
                        "cannot find a home folder for Assay's files: set {var}"
                    ))
                })
        };
        Ok(Self {
            config: pick("ASSAY_CONFIG_DIR", os.as_ref().map(|d| d.config_dir()))?,
            data: pick("ASSAY_DATA_DIR", os.as_ref().map(|d| d.data_dir()))?,
        })
    }

    /// Both folders under one root (tests, portable installs).
    pub fn under(root: &Path) -> Self {
        Self {
            config: root.join("config"),
            data: root.join("data"),
        }
    }

    /// `config.toml`.
    pub fn config_file(&self) -> PathBuf {
        self.config.join("config.toml")
    }
    /// The recent-projects list.
    pub fn recent_file(&self) -> PathBuf {
        self.config.join("recent.json")
    }
    /// Folder of the JSON log files.
    pub fn log_dir(&self) -> PathBuf {
        self.data.join("logs")
    }
    /// Where the demo project is installed.
    pub fn demo_dir(&self) -> PathBuf {
        self.data.join("demo")
    }
}

/// Settings of Assay itself (not of a project).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AppConfig {
    /// Log filter for the console and the log view, e.g. `info` or `assay_app=debug` (`ASSAY_LOG`).
    pub log_level: String,
    /// Write the JSON log file in the data folder (`ASSAY_LOG_FILE=0` turns it off).
    pub log_file: bool,
    /// Address `assay serve` binds to by default (`ASSAY_ADDR`).
    pub server_addr: String,
    /// Console log lines as text or as JSON objects (`ASSAY_LOG_FORMAT=json`).
    pub log_format: LogFormat,
    /// Export traces to this OpenTelemetry collector (OTLP over HTTP, e.g.
    /// `http://127.0.0.1:4318`; `ASSAY_OTLP_ENDPOINT`). The standard `OTEL_EXPORTER_OTLP_ENDPOINT`
    /// turns export on too.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub otlp_endpoint: Option<String>,
}

/// How the console shows log records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One readable line per record.
    #[default]
    Text,
    /// One JSON object per line, with the fields of the record and its spans.
    Json,
}

impl Default for AppConfig {
    fn default() -> Self {
        Self {
            log_level: "info".into(),
            log_file: true,
            server_addr: "127.0.0.1:7878".into(),
            log_format: LogFormat::Text,
            otlp_endpoint: None,
        }
    }
}

impl AppConfig {
    /// Reads `config.toml` (defaults when absent), then applies environment overrides.
    pub fn load(dirs: &AppDirs) -> Result<Self, ApiError> {
        let path = dirs.config_file();
        let mut config = match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str(&text).map_err(|e| {
                ApiError::invalid(format!("{}: {}", path.display(), e.message()))
                    .with_details(serde_json::json!({ "path": path }))
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Self::default(),
            Err(e) => return Err(ApiError::invalid(format!("{}: {e}", path.display()))),
        };
        config.apply_env(|k| std::env::var(k).ok());
        Ok(config)
    }

    fn apply_env(&mut self, var: impl Fn(&str) -> Option<String>) {
        if let Some(v) = var("ASSAY_LOG") {
            self.log_level = v;
        }
        if let Some(v) = var("ASSAY_LOG_FILE") {
            self.log_file = !matches!(v.as_str(), "0" | "false" | "off" | "no");
        }
        if let Some(v) = var("ASSAY_ADDR") {
            self.server_addr = v;
        }
        if let Some(v) = var("ASSAY_OTLP_ENDPOINT") {
            self.otlp_endpoint = Some(v).filter(|v| !v.trim().is_empty());
        }
        match var("ASSAY_LOG_FORMAT").as_deref() {
            Some("json") => self.log_format = LogFormat::Json,
            Some("text") => self.log_format = LogFormat::Text,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_then_env_overrides() {
        let dir = tempfile::tempdir().expect("tempdir");
        let dirs = AppDirs::under(dir.path());
        assert_eq!(
            AppConfig::load(&dirs).expect("defaults"),
            AppConfig::default()
        );
        std::fs::create_dir_all(&dirs.config).expect("mkdir");
        std::fs::write(
            dirs.config_file(),
            "log_level = \"debug\"\nlog_file = false\n",
        )
        .expect("write");
        let mut c = AppConfig::load(&dirs).expect("load");
        assert_eq!((c.log_level.as_str(), c.log_file), ("debug", false));
        c.apply_env(|k| match k {
            "ASSAY_ADDR" => Some("127.0.0.1:9999".to_string()),
            "ASSAY_LOG_FORMAT" => Some("json".to_string()),
            _ => None,
        });
        assert_eq!(c.server_addr, "127.0.0.1:9999");
        assert_eq!(c.log_format, LogFormat::Json);
    }

    #[test]
    fn bad_config_names_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let dirs = AppDirs::under(dir.path());
        std::fs::create_dir_all(&dirs.config).expect("mkdir");
        std::fs::write(dirs.config_file(), "log_levl = 1\n").expect("write");
        let err = AppConfig::load(&dirs).expect_err("typo");
        assert!(err.message.contains("config.toml"), "{}", err.message);
    }
}
