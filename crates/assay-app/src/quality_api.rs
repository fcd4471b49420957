//! Quality checks outside the UI: a rule suite file run against its data set, with names
//! resolved through the project the suite lives in (the CLI's `assay check`).

use std::path::{Path, PathBuf};

use assay_data::Source;
use assay_project::Project;
use assay_quality::{QualityError, RunOptions, SuiteResult};
use polars::prelude::LazyFrame;

use crate::ApiError;

impl From<QualityError> for ApiError {
    fn from(e: QualityError) -> Self {
        match e {
            QualityError::Cancelled => ApiError::cancelled(),
            other => ApiError::invalid(other.to_string()),
        }
    }
}

/// Runs the suite in `suite_path` against `data` (a file), or else the data set the suite
/// names: a data set of the project that holds the suite, or a path relative to the suite.
pub fn check_file(suite_path: &Path, data: Option<&str>) -> Result<SuiteResult, ApiError> {
    let suite = assay_quality::load_suite(suite_path)?;
    let project = project_of(suite_path);
    let base = suite_path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let resolve = |name: &str| lazy(project.as_ref(), &base, name);
    let frame = match data {
        Some(path) => lazy(None, Path::new("."), path),
        None => resolve(&suite.dataset),
    }
    .map_err(|message| {
        ApiError::invalid(format!(
            "{}: data set `{}`: {message}",
            suite.file, suite.dataset
        ))
    })?;
    let resolver = |name: &str| resolve(name);
    Ok(assay_quality::run(
        &suite,
        frame,
        &resolver,
        &RunOptions::default(),
        &|_| true,
    )?)
}

/// The project folder above `path`, if any.
fn project_of(path: &Path) -> Option<Project> {
    let start = std::fs::canonicalize(path).ok()?;
    start
        .ancestors()
        .skip(1)
        .find(|dir| dir.join("assay.toml").is_file())
        .and_then(|dir| Project::open(dir).ok())
}

fn lazy(project: Option<&Project>, base: &Path, name: &str) -> Result<LazyFrame, String> {
    let location = project
        .and_then(|p| {
            let spec = p.manifest().datasets.into_iter().find(|d| d.name == name)?;
            Some(p.resolve(&spec))
        })
        .unwrap_or_else(|| relative(base, name));
    let location = location.display().to_string();
    let source = Source::from_path(&location).ok_or_else(|| {
        format!("`{name}` is neither a data set of the project nor a data file ({location})")
    })?;
    if !Path::new(&location).exists() && !location.contains("://") {
        return Err(format!("file not found: {location}"));
    }
    assay_data::scan(&source)
        .map(|(lf, _)| lf)
        .map_err(|e| e.to_string())
}

fn relative(base: &Path, name: &str) -> PathBuf {
    let p = Path::new(name);
    if p.is_absolute() || name.contains("://") || p.exists() {
        p.to_path_buf()
    } else {
        base.join(p)
    }
}
