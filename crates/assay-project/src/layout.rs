use std::path::{Path, PathBuf};

/// Where each part of a project lives inside its folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectLayout {
    root: PathBuf,
}

impl ProjectLayout {
    /// The layout of the project rooted at `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }
    /// The project folder.
    pub fn root(&self) -> &Path {
        &self.root
    }
    /// `assay.toml`.
    pub fn manifest(&self) -> PathBuf {
        self.root.join("assay.toml")
    }
    /// `.assay/`, the app's own data (store, artifacts, caches).
    pub fn app_dir(&self) -> PathBuf {
        self.root.join(".assay")
    }
    /// `.assay/store.sqlite`.
    pub fn store(&self) -> PathBuf {
        self.app_dir().join("store.sqlite")
    }
    /// `.assay/artifacts/`.
    pub fn artifacts(&self) -> PathBuf {
        self.app_dir().join("artifacts")
    }
    /// `.assay/anomaly/`: the per-row scores of stored detections.
    pub fn anomaly_runs(&self) -> PathBuf {
        self.app_dir().join("anomaly")
    }
    /// `.assay/cache/`.
    pub fn cache(&self) -> PathBuf {
        self.app_dir().join("cache")
    }
    /// `rules/`, the quality rule suites (YAML).
    pub fn rules(&self) -> PathBuf {
        self.root.join("rules")
    }
    /// `reports/`, exported reports.
    pub fn reports(&self) -> PathBuf {
        self.root.join("reports")
    }
}
