//! Artifact files under one root folder (`.assay/artifacts/` of the project): relative paths
//! are checked so that nothing is read or written outside the root, and every write is atomic
//! (a temporary file in the target folder, fsynced, then renamed).

use std::fs;
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Result, TrackError};

/// The URI scheme of artifacts kept under the project's artifact root and served by
/// `assay serve` (`mlflow-artifacts:/1/<run>/artifacts`).
pub const ARTIFACT_SCHEME: &str = "mlflow-artifacts:";

/// The path under the artifact root of a `mlflow-artifacts:` URI (with or without a host), or
/// `None` for other schemes (e.g. an experiment created with an `s3://` location).
pub fn artifact_path(uri: &str) -> Option<String> {
    let rest = uri.strip_prefix(ARTIFACT_SCHEME)?;
    let rest = match rest.strip_prefix("//") {
        Some(with_host) => with_host.split_once('/').map_or("", |(_, p)| p),
        None => rest,
    };
    Some(rest.trim_matches('/').to_string())
}

/// A relative artifact path with `/` separators and no `.` parts, refusing `..`, absolute
/// paths, backslashes and NUL, so that it stays inside whatever root it is joined to.
pub fn checked_relative(relative: &str) -> Result<String> {
    let clean = relative.trim_matches('/');
    if clean.contains('\\') || clean.contains('\0') {
        return Err(TrackError::invalid(format!(
            "invalid artifact path '{relative}': backslashes and NUL are not allowed"
        )));
    }
    let mut parts = Vec::new();
    for part in Path::new(clean).components() {
        match part {
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            Component::CurDir => {}
            _ => {
                return Err(TrackError::invalid(format!(
                    "invalid artifact path '{relative}': it must stay inside the artifact root (no '..')"
                )));
            }
        }
    }
    Ok(parts.join("/"))
}

/// A file or folder in an artifact listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FileInfo {
    /// Path relative to the listed location, with `/` separators.
    pub path: String,
    /// A folder.
    pub is_dir: bool,
    /// Size in bytes (files only).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_size: Option<u64>,
}

/// The folder all artifacts live in.
#[derive(Debug, Clone)]
pub struct ArtifactRoot {
    root: PathBuf,
}

impl ArtifactRoot {
    /// Artifacts under `root` (created on first write).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// The root folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The file system path of a relative artifact path (see [`checked_relative`]).
    pub fn resolve(&self, relative: &str) -> Result<PathBuf> {
        let clean = checked_relative(relative)?;
        Ok(clean
            .split('/')
            .filter(|p| !p.is_empty())
            .fold(self.root.clone(), |p, part| p.join(part)))
    }

    /// Writes `content` to `relative` atomically, creating folders; returns the bytes written.
    pub fn put(&self, relative: &str, mut content: impl Read) -> Result<u64> {
        let target = self.resolve(relative)?;
        if relative.trim_matches('/').is_empty() {
            return Err(TrackError::invalid("an artifact upload needs a file path"));
        }
        let dir = target.parent().unwrap_or(&self.root).to_path_buf();
        fs::create_dir_all(&dir).map_err(|e| TrackError::io(&dir, e))?;
        if target.is_dir() {
            return Err(TrackError::invalid(format!(
                "artifact path '{relative}' is a folder"
            )));
        }
        let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(|e| TrackError::io(&dir, e))?;
        let written =
            std::io::copy(&mut content, &mut tmp).map_err(|e| TrackError::io(&target, e))?;
        tmp.flush().map_err(|e| TrackError::io(&target, e))?;
        tmp.as_file()
            .sync_all()
            .map_err(|e| TrackError::io(&target, e))?;
        tmp.persist(&target)
            .map_err(|e| TrackError::io(&target, e.error))?;
        Ok(written)
    }

    /// Opens a stored file.
    pub fn open(&self, relative: &str) -> Result<(fs::File, u64)> {
        let path = self.resolve(relative)?;
        if path.is_dir() {
            return Err(TrackError::invalid(format!(
                "artifact '{relative}' is a folder"
            )));
        }
        let file = fs::File::open(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => TrackError::not_found("artifact", relative),
            _ => TrackError::io(&path, e),
        })?;
        let len = file.metadata().map_err(|e| TrackError::io(&path, e))?.len();
        Ok((file, len))
    }

    /// The entries directly under `relative` (paths relative to `base`), folders first; empty
    /// when it does not exist. Temporary files of writes in progress are not listed.
    pub fn list(&self, relative: &str, base: &str) -> Result<Vec<FileInfo>> {
        let dir = self.resolve(relative)?;
        let base_dir = self.resolve(base)?;
        let Ok(entries) = fs::read_dir(&dir) else {
            return Ok(Vec::new());
        };
        let mut files = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| TrackError::io(&dir, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(".tmp") {
                continue;
            }
            let meta = entry
                .metadata()
                .map_err(|e| TrackError::io(entry.path(), e))?;
            let path = entry.path();
            let rel = path.strip_prefix(&base_dir).unwrap_or(&path);
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            files.push(FileInfo {
                path: rel,
                is_dir: meta.is_dir(),
                file_size: meta.is_file().then_some(meta.len()),
            });
        }
        files.sort_by(|a, b| b.is_dir.cmp(&a.is_dir).then(a.path.cmp(&b.path)));
        Ok(files)
    }

    /// Deletes a file or folder tree; missing is fine.
    pub fn delete(&self, relative: &str) -> Result<()> {
        let path = self.resolve(relative)?;
        if path == self.root {
            return Err(TrackError::invalid("refusing to delete the artifact root"));
        }
        let result = if path.is_dir() {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
        match result {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(TrackError::io(&path, e)),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_root() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = ArtifactRoot::new(dir.path().join("artifacts"));
        for bad in ["../x", "a/../../x", "a\\b", "/a/../../b"] {
            assert!(root.resolve(bad).is_err(), "{bad}");
            assert!(root.put(bad, &b"x"[..]).is_err(), "{bad}");
        }
        assert_eq!(
            root.resolve("/1/run/artifacts/a.txt").expect("ok"),
            dir.path().join("artifacts/1/run/artifacts/a.txt")
        );
        assert!(!dir.path().join("x").exists());
    }

    #[test]
    fn writes_lists_and_reads_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = ArtifactRoot::new(dir.path());
        let text = "Grüße, 数据 ✓\n";
        assert_eq!(
            root.put("1/r/artifacts/notes/é.txt", text.as_bytes())
                .expect("put"),
            text.len() as u64
        );
        root.put("1/r/artifacts/model.pkl", &[0u8, 1, 2][..])
            .expect("put");
        let listed = root.list("1/r/artifacts", "1/r/artifacts").expect("list");
        assert_eq!(
            listed,
            vec![
                FileInfo {
                    path: "notes".into(),
                    is_dir: true,
                    file_size: None
                },
                FileInfo {
                    path: "model.pkl".into(),
                    is_dir: false,
                    file_size: Some(3)
                },
            ]
        );
        let nested = root
            .list("1/r/artifacts/notes", "1/r/artifacts")
            .expect("list");
        assert_eq!(nested[0].path, "notes/é.txt");
        let (mut f, len) = root.open("1/r/artifacts/notes/é.txt").expect("open");
        let mut back = String::new();
        f.read_to_string(&mut back).expect("read");
        assert_eq!((back.as_str(), len), (text, text.len() as u64));
        assert!(matches!(
            root.open("1/r/missing"),
            Err(TrackError::NotFound { .. })
        ));
        assert!(root.list("nothing/here", "").expect("empty").is_empty());
    }
}
