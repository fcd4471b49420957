use std::path::{Path, PathBuf};
use std::sync::RwLock;

use crate::manifest::{self, validate_name};
use crate::{
    ConnectionSpec, DatasetSpec, Manifest, ProjectError, ProjectLayout, Store, write_atomic,
};

/// An open project: its folder, its manifest (as last read or written) and its store.
#[derive(Debug)]
pub struct Project {
    layout: ProjectLayout,
    manifest: RwLock<Manifest>,
    store: Store,
}

/// Where a data set's file stands on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatasetStatus {
    /// A local file that exists, with its size.
    Present {
        /// Size in bytes.
        bytes: u64,
    },
    /// A local file that is missing.
    Missing,
    /// A remote object (not checked here).
    Remote,
}

impl Project {
    /// Makes `root` a project: writes `assay.toml`, creates `rules/`, `reports/` and `.assay/`.
    /// Refuses a folder that already has an `assay.toml`; leaves any other files alone.
    pub fn create(root: &Path, name: &str) -> Result<Self, ProjectError> {
        validate_name("project name", name)?;
        std::fs::create_dir_all(root).map_err(|e| ProjectError::io(root, e))?;
        let layout = ProjectLayout::new(root);
        if layout.manifest().exists() {
            return Err(ProjectError::AlreadyAProject {
                path: root.to_path_buf(),
            });
        }
        for dir in [layout.rules(), layout.reports()] {
            std::fs::create_dir_all(&dir).map_err(|e| ProjectError::io(&dir, e))?;
        }
        let text = format!(
            "# Assay project manifest: data sets, connections and settings.\n{}",
            Manifest::new(name).to_toml()
        );
        write_atomic(&layout.manifest(), text.as_bytes())?;
        tracing::info!(project = %root.display(), "project created");
        Self::open(root)
    }

    /// Writes `bytes` to `path` (inside the project) atomically, creating its folder first:
    /// `rules/` and `reports/` are missing from a git clone, as git keeps no empty folders.
    pub fn write_file(&self, path: &Path, bytes: &[u8]) -> Result<(), ProjectError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| ProjectError::io(dir, e))?;
        }
        write_atomic(path, bytes)
    }

    /// Opens an existing project folder. Reads `assay.toml`, prepares `.assay/` and migrates
    /// the store; never rewrites the manifest.
    pub fn open(root: &Path) -> Result<Self, ProjectError> {
        if !root.is_dir() {
            return Err(ProjectError::NotFound {
                path: root.to_path_buf(),
            });
        }
        let root = std::fs::canonicalize(root).map_err(|e| ProjectError::io(root, e))?;
        let layout = ProjectLayout::new(&root);
        let manifest = read_manifest(&layout.manifest())?;
        prepare_app_dir(&layout)?;
        let store = Store::open(&layout.store())?;
        tracing::info!(project = %root.display(), "project opened");
        Ok(Self {
            layout,
            manifest: RwLock::new(manifest),
            store,
        })
    }

    /// The folder layout.
    pub fn layout(&self) -> &ProjectLayout {
        &self.layout
    }

    /// The project folder.
    pub fn root(&self) -> &Path {
        self.layout.root()
    }

    /// A copy of the manifest as last read or written.
    pub fn manifest(&self) -> Manifest {
        self.manifest
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Resolves a data set's path against the project folder (URLs are returned unchanged).
    pub fn resolve(&self, spec: &DatasetSpec) -> PathBuf {
        let p = Path::new(&spec.path);
        if p.is_absolute() || spec.is_remote() {
            p.to_path_buf()
        } else {
            self.root().join(p)
        }
    }

    /// Whether a data set's file is there.
    pub fn dataset_status(&self, spec: &DatasetSpec) -> DatasetStatus {
        if spec.is_remote() {
            return DatasetStatus::Remote;
        }
        match std::fs::metadata(self.resolve(spec)) {
            Ok(m) if m.is_file() => DatasetStatus::Present { bytes: m.len() },
            _ => DatasetStatus::Missing,
        }
    }

    /// Adds a data set to `assay.toml` (atomically, keeping the user's comments). Files inside
    /// the project folder are recorded by relative path.
    pub fn add_dataset(&self, mut spec: DatasetSpec) -> Result<Manifest, ProjectError> {
        validate_name("data set name", &spec.name)?;
        if !spec.is_remote() {
            let p = Path::new(&spec.path);
            if let Ok(rel) = p.strip_prefix(self.root()) {
                spec.path = rel.to_string_lossy().into_owned();
            }
        }
        if self.manifest().datasets.iter().any(|d| d.name == spec.name) {
            return Err(ProjectError::DatasetExists { name: spec.name });
        }
        self.edit_manifest(|text| manifest::append_dataset(text, &spec))
    }

    /// Removes a data set from `assay.toml`; its file is not touched.
    pub fn remove_dataset(&self, name: &str) -> Result<Manifest, ProjectError> {
        if !self.manifest().datasets.iter().any(|d| d.name == name) {
            return Err(ProjectError::UnknownDataset {
                name: name.to_string(),
            });
        }
        self.edit_manifest(|text| manifest::remove_dataset(text, name))
    }

    /// Sets (or clears) how a CSV/TSV data set is read, in `assay.toml`.
    pub fn set_dataset_csv(
        &self,
        name: &str,
        csv: Option<&crate::CsvSettings>,
    ) -> Result<Manifest, ProjectError> {
        if !self.manifest().datasets.iter().any(|d| d.name == name) {
            return Err(ProjectError::UnknownDataset {
                name: name.to_string(),
            });
        }
        self.edit_manifest(|text| manifest::set_dataset_csv(text, name, csv))
    }

    /// Adds a connection to `assay.toml`, or replaces the one with the same name (atomically,
    /// keeping the user's comments). Secrets are never written here.
    pub fn put_connection(&self, spec: &ConnectionSpec) -> Result<Manifest, ProjectError> {
        validate_name("connection name", &spec.name)?;
        self.edit_manifest(|text| manifest::put_connection(text, spec))
    }

    /// Removes a connection from `assay.toml`. Refused while a data set still reads through it.
    pub fn remove_connection(&self, name: &str) -> Result<Manifest, ProjectError> {
        self.edit_manifest(|text| manifest::remove_connection(text, name))
    }

    /// Re-reads the manifest from disk, applies `edit` to its text, validates the result and
    /// writes it atomically. A manifest that fails validation is never written.
    fn edit_manifest(
        &self,
        edit: impl FnOnce(&str) -> Result<String, String>,
    ) -> Result<Manifest, ProjectError> {
        let path = self.layout.manifest();
        let mut guard = self.manifest.write().unwrap_or_else(|p| p.into_inner());
        let text = std::fs::read_to_string(&path).map_err(|e| ProjectError::io(&path, e))?;
        Manifest::parse(&path, &text)?;
        let edited = edit(&text).map_err(|message| ProjectError::CorruptManifest {
            path: path.clone(),
            line: None,
            column: None,
            message,
        })?;
        let manifest = Manifest::parse(&path, &edited)?;
        write_atomic(&path, edited.as_bytes())?;
        *guard = manifest.clone();
        Ok(manifest)
    }
}

fn read_manifest(path: &Path) -> Result<Manifest, ProjectError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(ProjectError::NotAProject {
                path: path.parent().unwrap_or(path).to_path_buf(),
            });
        }
        Err(e) => return Err(ProjectError::io(path, e)),
    };
    Manifest::parse(path, &text)
}

fn prepare_app_dir(layout: &ProjectLayout) -> Result<(), ProjectError> {
    for dir in [layout.app_dir(), layout.artifacts(), layout.cache()] {
        std::fs::create_dir_all(&dir).map_err(|e| ProjectError::io(&dir, e))?;
    }
    let ignore = layout.app_dir().join(".gitignore");
    if !ignore.exists() {
        write_atomic(
            &ignore,
            b"# Assay's own data (store, artifacts, caches): not for version control.\n*\n",
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_then_open_then_edit() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("proj");
        let p = Project::create(&root, "Penguins").expect("create");
        assert!(root.join("assay.toml").is_file() && root.join("rules").is_dir());
        assert!(p.layout().store().is_file());
        std::fs::write(root.join("penguins.csv"), "a,b\n1,2\n").expect("data");
        let spec = DatasetSpec {
            name: "penguins".into(),
            path: p.root().join("penguins.csv").to_string_lossy().into_owned(),
            format: None,
            description: None,
            csv: None,
            connection: None,
        };
        let m = p.add_dataset(spec.clone()).expect("add");
        assert_eq!(m.datasets[0].path, "penguins.csv");
        assert_eq!(
            p.dataset_status(&m.datasets[0]),
            DatasetStatus::Present { bytes: 8 }
        );
        assert!(matches!(
            p.add_dataset(spec),
            Err(ProjectError::DatasetExists { .. })
        ));
        drop(p);
        let p = Project::open(&root).expect("reopen");
        assert_eq!(p.manifest().project.name, "Penguins");
        assert_eq!(p.manifest().datasets.len(), 1);
        p.remove_dataset("penguins").expect("remove");
        assert!(root.join("penguins.csv").exists());
    }

    #[test]
    fn plain_folder_and_double_init_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("notes.txt"), "mine").expect("write");
        let err = Project::open(dir.path()).expect_err("not a project");
        assert!(matches!(err, ProjectError::NotAProject { .. }), "{err}");
        assert!(!dir.path().join(".assay").exists());
        Project::create(dir.path(), "x").expect("create");
        let manifest = std::fs::read(dir.path().join("assay.toml")).expect("read");
        let err = Project::create(dir.path(), "y").expect_err("twice");
        assert!(matches!(err, ProjectError::AlreadyAProject { .. }));
        assert_eq!(
            std::fs::read(dir.path().join("assay.toml")).expect("read"),
            manifest
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("notes.txt")).expect("r"),
            "mine"
        );
    }

    #[test]
    fn corrupt_manifest_is_reported_and_not_rewritten() {
        let dir = tempfile::tempdir().expect("tempdir");
        let bad = "format = 1\n[project\nname = 'x'\n";
        std::fs::write(dir.path().join("assay.toml"), bad).expect("write");
        let err = Project::open(dir.path()).expect_err("corrupt");
        assert!(err.to_string().contains("assay.toml line 2"), "{err}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("assay.toml")).expect("read"),
            bad
        );
    }
}
