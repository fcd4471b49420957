//! Where run artifacts are kept: in the project's artifact folder (`mlflow-artifacts:` URIs,
//! served to MLflow clients by `assay serve`) or, as with MLflow's `s3://` experiment locations,
//! in an object store (`s3://`, `gs://`, `az://`, `abfss://`) reached through the project's
//! connections. The app's artifact views, in-app training and MLflow import/push work on both.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use assay_data::RemoteAccess;
use assay_data::remote;
use assay_project::{ConnectionSpec, Project, is_object_store_url};
use assay_remote::Secrets;
use assay_remote::connection;
use assay_track::{ArtifactRoot, FileInfo, TrackStore, artifact_path, checked_relative};

use crate::connections_api::secrets;
use crate::dto::{Progress, SavedArtifacts};
use crate::jobs::JobContext;
use crate::{ApiError, Assay, ErrorCode};

impl Assay {
    /// Every artifact location of the open project.
    pub(crate) fn artifact_stores(&self, store: &TrackStore) -> Result<ArtifactStores, ApiError> {
        ArtifactStores::of(&*self.project()?, store)
    }

    /// What it takes to reach the artifact folder of any run of the open project.
    pub(crate) fn run_artifact_dirs(&self) -> Result<RunArtifactDirs, ApiError> {
        let store = self.tracking()?;
        let stores = self.artifact_stores(&store)?;
        Ok(RunArtifactDirs { store, stores })
    }
}

/// The runs' artifact folders, wherever each run keeps them (call from blocking code: finding
/// a run's artifact URI reads the store).
pub(crate) struct RunArtifactDirs {
    store: Arc<TrackStore>,
    stores: ArtifactStores,
}

impl RunArtifactDirs {
    /// The run's artifact URI, e.g. `mlflow-artifacts:/1/<run>/artifacts` or `s3://…`.
    pub(crate) fn uri(&self, run_id: &str) -> Result<String, ApiError> {
        Ok(self.store.run_artifact_uri(run_id)?)
    }

    /// The run's artifact folder.
    pub(crate) fn of(&self, run_id: &str) -> Result<ArtifactDir, ApiError> {
        self.at(&self.uri(run_id)?)
    }

    /// The artifact folder at `uri` (a run's artifact URI).
    pub(crate) fn at(&self, uri: &str) -> Result<ArtifactDir, ApiError> {
        self.stores.dir(uri)
    }
}

/// What it takes to reach any artifact URI of one project.
#[derive(Clone)]
pub(crate) struct ArtifactStores {
    root: ArtifactRoot,
    connections: Vec<ConnectionSpec>,
    secrets: Arc<Secrets>,
    cache: PathBuf,
}

impl ArtifactStores {
    /// The project's artifact folder and object-store connections.
    pub(crate) fn of(project: &Project, store: &TrackStore) -> Result<Self, ApiError> {
        Ok(Self {
            root: store.artifacts().clone(),
            connections: project.manifest().connections.clone(),
            secrets: secrets()?,
            cache: project.layout().cache().join("artifacts"),
        })
    }

    /// The artifacts under `uri`: a run's artifact URI or a folder inside it.
    pub(crate) fn dir(&self, uri: &str) -> Result<ArtifactDir, ApiError> {
        if let Some(base) = artifact_path(uri) {
            return Ok(ArtifactDir::Local {
                root: self.root.clone(),
                base,
            });
        }
        if !is_object_store_url(uri) {
            return Err(ApiError::invalid(format!(
                "artifacts at '{uri}' are neither in this project nor in an object store (s3://, gs://, az://)"
            )));
        }
        let access = match connection::for_url(uri, &self.connections) {
            Some(c) => connection::access(c, &self.secrets)?,
            None => RemoteAccess::default(),
        };
        Ok(ArtifactDir::Remote {
            base: uri.trim_end_matches('/').to_string(),
            access: access.with_cache_dir(self.cache.clone()),
        })
    }
}

/// One folder of artifacts.
pub(crate) enum ArtifactDir {
    /// Under the project's artifact folder, at the relative path `base`.
    Local { root: ArtifactRoot, base: String },
    /// In an object store, under the URL `base`.
    Remote { base: String, access: RemoteAccess },
}

impl ArtifactDir {
    /// The files and folders directly inside `sub`, with paths relative to this folder,
    /// folders first.
    pub(crate) fn list(&self, sub: &str) -> Result<Vec<FileInfo>, ApiError> {
        let sub = checked_relative(sub)?;
        match self {
            Self::Local { root, base } => Ok(root.list(&join(base, &sub), base)?),
            Self::Remote { base, access } => {
                let prefix = remote::object_name(base)?;
                let listed = remote::block_on(remote::list(&join(base, &sub), access))?;
                let mut files: Vec<FileInfo> = listed
                    .into_iter()
                    .map(|e| FileInfo {
                        path: relative_to(&prefix, &e.path),
                        is_dir: e.is_dir,
                        file_size: (!e.is_dir).then_some(e.bytes),
                    })
                    .collect();
                files.sort_by(|a, b| b.is_dir.cmp(&a.is_dir).then(a.path.cmp(&b.path)));
                Ok(files)
            }
        }
    }

    /// A local copy of the file `sub`: the file itself, or a cached download (once per version).
    pub(crate) fn local_file(&self, sub: &str) -> Result<PathBuf, ApiError> {
        let sub = checked_relative(sub)?;
        match self {
            Self::Local { root, base } => Ok(root.resolve(&join(base, &sub))?),
            Self::Remote { base, access } => Ok(remote::block_on(remote::fetch_to_cache(
                &join(base, &sub),
                access,
            ))?),
        }
    }

    /// Whether `sub` is a folder with something in it.
    pub(crate) fn is_folder(&self, sub: &str) -> Result<bool, ApiError> {
        match self {
            Self::Local { root, base } => {
                Ok(root.resolve(&join(base, &checked_relative(sub)?))?.is_dir())
            }
            Self::Remote { .. } => Ok(!self.list(sub)?.is_empty()),
        }
    }

    /// Writes `bytes` to the file `sub` (atomically: a local temp file and rename, or one
    /// object-store upload that is aborted on failure).
    pub(crate) fn put(&self, sub: &str, bytes: &[u8]) -> Result<(), ApiError> {
        let sub = checked_relative(sub)?;
        match self {
            Self::Local { root, base } => {
                root.put(&join(base, &sub), bytes)?;
                Ok(())
            }
            Self::Remote { base, access } => {
                let staged = tempfile::NamedTempFile::new()
                    .map_err(|e| ApiError::from_io(&e, "staging an artifact"))?;
                std::fs::write(staged.path(), bytes)
                    .map_err(|e| ApiError::from_io(&e, &staged.path().display().to_string()))?;
                upload(staged.path(), &join(base, &sub), access)
            }
        }
    }

    /// Moves the content of a local folder here: a rename within the artifact folder, or an
    /// upload of every file (each whole or not at all; after a failure the files sent before it
    /// stay, under a run id that is never recorded).
    pub(crate) fn place(&self, staged: &Path) -> Result<(), ApiError> {
        match self {
            Self::Local { root, base } => {
                let target = root.resolve(base)?;
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent)
                        .map_err(|e| ApiError::from_io(&e, &parent.display().to_string()))?;
                }
                std::fs::rename(staged, &target)
                    .map_err(|e| ApiError::from_io(&e, &target.display().to_string()))
            }
            Self::Remote { base, access } => {
                for (file, rel) in walk(staged) {
                    upload(&file, &join(base, &rel), access)?;
                }
                Ok(())
            }
        }
    }

    /// Every file in this folder and below: a local copy and its path relative to the folder.
    pub(crate) fn files(&self) -> Result<Vec<(PathBuf, String)>, ApiError> {
        match self {
            Self::Local { root, base } => Ok(walk(&root.resolve(base)?)),
            Self::Remote { .. } => self
                .paths()?
                .into_iter()
                .map(|p| Ok((self.local_file(&p)?, p)))
                .collect(),
        }
    }

    /// The paths of every file in this folder and below, relative to it, sorted.
    fn paths(&self) -> Result<Vec<String>, ApiError> {
        if let Self::Local { root, base } = self {
            return Ok(walk(&root.resolve(base)?)
                .into_iter()
                .map(|(_, p)| p)
                .collect());
        }
        let mut out = Vec::new();
        let mut folders = vec![String::new()];
        while let Some(folder) = folders.pop() {
            for entry in self.list(&folder)? {
                if entry.is_dir {
                    folders.push(entry.path);
                } else {
                    out.push(entry.path);
                }
            }
        }
        out.sort();
        Ok(out)
    }

    /// The folder `sub` inside this one.
    fn sub_dir(&self, sub: &str) -> Result<Self, ApiError> {
        let sub = checked_relative(sub)?;
        Ok(match self {
            Self::Local { root, base } => Self::Local {
                root: root.clone(),
                base: join(base, &sub),
            },
            Self::Remote { base, access } => Self::Remote {
                base: join(base, &sub),
                access: access.clone(),
            },
        })
    }

    /// A zip archive of the folder `sub`, with its files under `top/` (made in a temporary file
    /// that is deleted when dropped).
    pub(crate) fn zip(&self, sub: &str, top: &str) -> Result<tempfile::NamedTempFile, ApiError> {
        let files = self.sub_dir(sub)?.files()?;
        if files.is_empty() {
            return Err(ApiError::not_found(if sub.is_empty() {
                "there are no artifacts".to_string()
            } else {
                format!("there is no artifact folder '{sub}'")
            }));
        }
        let out = tempfile::NamedTempFile::new()
            .map_err(|e| ApiError::from_io(&e, "making an archive"))?;
        let mut writer = zip::ZipWriter::new(out);
        for (file, rel) in &files {
            let size = std::fs::metadata(file).map_or(0, |m| m.len());
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .large_file(size >= u64::from(u32::MAX));
            writer
                .start_file(format!("{top}/{rel}"), options)
                .map_err(zip_error)?;
            let mut input = std::fs::File::open(file)
                .map_err(|e| ApiError::from_io(&e, &file.display().to_string()))?;
            std::io::copy(&mut input, &mut writer).map_err(|e| ApiError::from_io(&e, rel))?;
        }
        writer.finish().map_err(zip_error)
    }

    /// Copies the file or folder `sub` to `target`, a path on this machine that must not exist
    /// yet (its folder is made if need be): whole or not at all (files are gathered next to
    /// `target` and moved into place).
    pub(crate) fn save(
        &self,
        sub: &str,
        target: &Path,
        ctx: &JobContext,
    ) -> Result<SavedArtifacts, ApiError> {
        let shown = target.display().to_string();
        let parent = target
            .parent()
            .ok_or_else(|| ApiError::invalid(format!("no folder to save into at '{shown}'")))?;
        std::fs::create_dir_all(parent)
            .map_err(|e| ApiError::from_io(&e, &parent.display().to_string()))?;
        if target.exists() {
            return Err(already_there(&shown));
        }
        let staging = tempfile::Builder::new()
            .prefix(".assay-save")
            .tempdir_in(parent)
            .map_err(|e| ApiError::from_io(&e, &parent.display().to_string()))?;
        let folder = self.is_folder(sub)?;
        if !folder && sub.is_empty() {
            return Err(ApiError::not_found("there are no artifacts to save"));
        }
        let (source, names) = if folder {
            let dir = self.sub_dir(sub)?;
            let names = dir.paths()?;
            (dir, names)
        } else {
            (self.sub_dir("")?, vec![checked_relative(sub)?])
        };
        let mut bytes = 0;
        for (i, name) in names.iter().enumerate() {
            ctx.check_cancelled()?;
            ctx.progress(Progress {
                done: i as f64,
                total: Some(names.len() as f64),
                unit: "files".into(),
                message: format!("saving {name}"),
            });
            let into = staging.path().join(name);
            if let Some(dir) = into.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| ApiError::from_io(&e, &dir.display().to_string()))?;
            }
            let file = source.local_file(name)?;
            if !file.is_file() {
                return Err(ApiError::not_found(format!(
                    "there is no artifact '{name}'"
                )));
            }
            bytes += std::fs::copy(&file, &into)
                .map_err(|e| ApiError::from_io(&e, &into.display().to_string()))?;
        }
        let from = if folder {
            staging.path().to_path_buf()
        } else {
            staging.path().join(&names[0])
        };
        place_new(&from, target, folder)?;
        Ok(SavedArtifacts {
            target: shown,
            files: names.len() as u32,
            bytes,
        })
    }
}

/// Moves the staged `from` to `to`, never over something already there: a file is hard-linked
/// (which fails when `to` exists), a folder renamed (which fails when `to` has content).
fn place_new(from: &Path, to: &Path, folder: bool) -> Result<(), ApiError> {
    let shown = to.display().to_string();
    let placed = if folder {
        std::fs::rename(from, to)
    } else {
        std::fs::hard_link(from, to)
    };
    placed.map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists | std::io::ErrorKind::DirectoryNotEmpty => {
            already_there(&shown)
        }
        _ => ApiError::from_io(&e, &shown),
    })
}

fn zip_error(e: zip::result::ZipError) -> ApiError {
    ApiError::new(ErrorCode::Io, format!("writing the archive: {e}"))
}

fn already_there(shown: &str) -> ApiError {
    ApiError::new(
        ErrorCode::AlreadyExists,
        format!("'{shown}' already exists: choose another folder, nothing was overwritten"),
    )
}

fn upload(file: &Path, url: &str, access: &RemoteAccess) -> Result<(), ApiError> {
    remote::block_on(remote::upload(file, url, access, |_| true))?;
    Ok(())
}

/// The files under a local folder (temporary files of writes in progress left out), with
/// their `/`-separated paths relative to it, sorted.
fn walk(root: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut dirs = vec![root.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_name().to_string_lossy().starts_with(".tmp") {
                continue;
            }
            if path.is_dir() {
                dirs.push(path);
            } else if let Ok(inner) = path.strip_prefix(root) {
                let rel = inner
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push((path.clone(), rel));
            }
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    out
}

/// `path` (as listed by the store) relative to the folder `prefix`.
fn relative_to(prefix: &str, path: &str) -> String {
    let prefix = prefix.trim_end_matches('/');
    path.strip_prefix(prefix)
        .map_or(path, |rest| rest.trim_start_matches('/'))
        .trim_end_matches('/')
        .to_string()
}

fn join(base: &str, sub: &str) -> String {
    if sub.is_empty() {
        base.to_string()
    } else {
        format!("{}/{sub}", base.trim_end_matches('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_paths_are_relative_to_the_folder() {
        assert_eq!(
            relative_to("mlruns/1/r/artifacts", "mlruns/1/r/artifacts/model/"),
            "model"
        );
        assert_eq!(
            relative_to("mlruns/1/r/artifacts/", "mlruns/1/r/artifacts/notes/é.txt"),
            "notes/é.txt"
        );
        assert_eq!(join("s3://b/x/", "a.txt"), "s3://b/x/a.txt");
        assert_eq!(join("s3://b/x", ""), "s3://b/x");
    }

    #[test]
    fn staged_files_and_folders_never_replace_what_is_there() {
        let dir = tempfile::tempdir().expect("tempdir");
        let at = |p: &str| dir.path().join(p);
        std::fs::write(at("staged.json"), "new").expect("write");
        std::fs::write(at("model.json"), "mine").expect("write");
        let err = place_new(&at("staged.json"), &at("model.json"), false).expect_err("refused");
        assert_eq!(err.code, ErrorCode::AlreadyExists, "{err:?}");
        assert_eq!(
            std::fs::read_to_string(at("model.json")).expect("read"),
            "mine"
        );

        std::fs::create_dir_all(at("staged/sub")).expect("mkdir");
        std::fs::create_dir_all(at("model")).expect("mkdir");
        std::fs::write(at("model/notes.txt"), "mine").expect("write");
        let err = place_new(&at("staged"), &at("model"), true).expect_err("refused");
        assert_eq!(err.code, ErrorCode::AlreadyExists, "{err:?}");
        assert_eq!(
            std::fs::read_to_string(at("model/notes.txt")).expect("read"),
            "mine"
        );

        place_new(&at("staged"), &at("fresh"), true).expect("a new name is free");
        assert!(at("fresh/sub").is_dir() && !at("staged").exists());
    }

    #[test]
    fn a_local_folder_is_walked_without_temp_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("model")).expect("mkdir");
        std::fs::write(dir.path().join("model/MLmodel"), "x").expect("write");
        std::fs::write(dir.path().join("notes.txt"), "y").expect("write");
        std::fs::write(dir.path().join(".tmpabc"), "z").expect("write");
        let rels: Vec<String> = walk(dir.path()).into_iter().map(|(_, r)| r).collect();
        assert_eq!(rels, ["model/MLmodel", "notes.txt"]);
    }
}
