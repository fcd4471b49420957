//! The demo project shipped inside the binary (assets/demo), installed into the data folder on
//! first use so that a new user sees real data at once and the repository stays clean.

use std::path::Path;

use assay_project::{ProjectError, write_atomic};

const FILES: &[(&str, &[u8])] = &[
    (
        "assay.toml",
        include_bytes!("../../../assets/demo/assay.toml"),
    ),
    (
        "README.md",
        include_bytes!("../../../assets/demo/README.md"),
    ),
    (
        "rules/flights.yaml",
        include_bytes!("../../../assets/demo/rules/flights.yaml"),
    ),
    (
        "data/penguins.csv",
        include_bytes!("../../../assets/demo/data/penguins.csv"),
    ),
    (
        "data/flights_2013_01.parquet",
        include_bytes!("../../../assets/demo/data/flights_2013_01.parquet"),
    ),
    (
        "data/airports.parquet",
        include_bytes!("../../../assets/demo/data/airports.parquet"),
    ),
    (
        "data/airlines.parquet",
        include_bytes!("../../../assets/demo/data/airlines.parquet"),
    ),
];

/// Writes the demo project into `dir` unless a project is already there (a user's edits to an
/// installed demo are kept). Missing data files of an installed demo are restored.
pub fn install(dir: &Path) -> Result<(), ProjectError> {
    let fresh = !dir.join("assay.toml").exists();
    for (name, bytes) in FILES {
        let path = dir.join(name);
        if !fresh && path.exists() {
            continue;
        }
        if *name == "assay.toml" && !fresh {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| ProjectError::io(parent, e))?;
        }
        write_atomic(&path, bytes)?;
    }
    for sub in ["rules", "reports"] {
        let p = dir.join(sub);
        std::fs::create_dir_all(&p).map_err(|e| ProjectError::io(&p, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn installs_once_and_keeps_user_edits() {
        let dir = tempfile::tempdir().expect("tempdir");
        install(dir.path()).expect("install");
        let p = assay_project::Project::open(dir.path()).expect("open demo");
        let names: Vec<_> = p.manifest().datasets.into_iter().map(|d| d.name).collect();
        assert_eq!(names, ["penguins", "flights", "airports", "airlines"]);
        let manifest = dir.path().join("assay.toml");
        std::fs::write(
            &manifest,
            "# edited\nformat = 1\n[project]\nname = \"Mine\"\n",
        )
        .expect("edit");
        std::fs::remove_file(dir.path().join("data/penguins.csv")).expect("rm");
        install(dir.path()).expect("again");
        assert!(
            std::fs::read_to_string(&manifest)
                .expect("read")
                .starts_with("# edited")
        );
        assert!(dir.path().join("data/penguins.csv").exists());
    }
}
