//! A model version's lineage: version -> run -> the data sets it read -> their profiles and
//! quality checks in this project. This is where the panels of the loop meet.

use assay_project::Project;
use assay_track::{Run, TrackStore};

use crate::ApiError;
use crate::dto::*;

/// The lineage of one model version.
pub(crate) fn lineage(
    store: &TrackStore,
    project: &Project,
    suites: Vec<SuiteInfo>,
    req: &ModelVersionRef,
) -> Result<ModelLineage, ApiError> {
    let version = store.get_model_version(&req.name, &req.version)?;
    let run = (!version.run_id.is_empty())
        .then(|| store.get_run(&version.run_id).ok())
        .flatten();
    let experiment = run
        .as_ref()
        .and_then(|r| store.get_experiment(&r.info.experiment_id).ok())
        .map(|e| e.name);
    let datasets = run
        .as_ref()
        .map(|r| datasets_of(project, r, &suites))
        .unwrap_or_default();
    let quality = datasets
        .iter()
        .flat_map(|d| d.suites.iter().filter_map(|s| s.last_run.clone()))
        .collect();
    Ok(ModelLineage {
        version,
        run,
        experiment,
        datasets,
        quality,
    })
}

fn datasets_of(project: &Project, run: &Run, suites: &[SuiteInfo]) -> Vec<DatasetLineage> {
    let manifest = project.manifest();
    run.inputs
        .dataset_inputs
        .iter()
        .map(|input| {
            let d = &input.dataset;
            let known = manifest.datasets.iter().find(|spec| {
                spec.name == d.name || (!d.source.is_empty() && d.source.contains(&spec.path))
            });
            let project_dataset = known.map(|spec| spec.name.clone());
            let profile = project_dataset
                .as_deref()
                .and_then(|name| profile_summary(project, name));
            let suites = project_dataset
                .as_deref()
                .map(|name| {
                    suites
                        .iter()
                        .filter(|s| s.dataset.as_deref() == Some(name))
                        .cloned()
                        .collect()
                })
                .unwrap_or_default();
            DatasetLineage {
                name: d.name.clone(),
                digest: d.digest.clone(),
                source: d.source.clone(),
                context: input
                    .tags
                    .iter()
                    .find(|t| t.key == "mlflow.data.context")
                    .map(|t| t.value.clone()),
                project_dataset,
                profile,
                suites,
            }
        })
        .collect()
}

fn profile_summary(project: &Project, dataset: &str) -> Option<ProfileSummary> {
    let stored = project.store().latest_profile(dataset).ok()??;
    let profile: assay_profile::Profile = serde_json::from_str(&stored.document).ok()?;
    Some(ProfileSummary {
        dataset: dataset.to_string(),
        fingerprint: stored.fingerprint,
        rows: profile.table.rows,
        columns: profile.table.columns,
        alerts: profile.alerts.len() as u32,
        elapsed_ms: profile.run.elapsed_ms,
        cached: true,
    })
}
