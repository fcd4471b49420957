//! The recent-projects list, kept as JSON in the config folder.

use std::path::Path;

use chrono::Utc;

use crate::dto::RecentProject;

const MAX_RECENT: usize = 20;

/// Reads the list; a missing or unreadable file is an empty list (it is a convenience, and is
/// rewritten on the next open).
pub fn load(file: &Path) -> Vec<RecentProject> {
    std::fs::read(file)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

/// Moves `path` to the front of the list and saves it atomically.
pub fn remember(file: &Path, path: &Path, name: &str) -> std::io::Result<Vec<RecentProject>> {
    let path_str = path.to_string_lossy().into_owned();
    let mut list = load(file);
    list.retain(|r| r.path != path_str);
    list.insert(
        0,
        RecentProject {
            path: path_str,
            name: name.to_string(),
            opened_at: Utc::now(),
        },
    );
    list.truncate(MAX_RECENT);
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let json = serde_json::to_vec_pretty(&list).map_err(std::io::Error::other)?;
    assay_project::write_atomic(file, &json).map_err(std::io::Error::other)?;
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_recent_first_without_duplicates() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("cfg/recent.json");
        remember(&file, Path::new("/a"), "A").expect("a");
        remember(&file, Path::new("/b"), "B").expect("b");
        let list = remember(&file, Path::new("/a"), "A2").expect("a again");
        let names: Vec<_> = list.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["A2", "B"]);
        assert_eq!(load(&file), list);
    }
}
