//! Push: the project's runs and model versions copied to a remote MLflow server, each once.

use std::collections::BTreeSet;
use std::path::PathBuf;

use assay_track::{LifecycleStage, ModelVersion, Run};

use super::{Copied, PUSHED_FROM, Transfer, moved_source, progress, with_provenance};
use crate::dto::*;
use crate::{ApiError, ErrorCode};

/// Copies the project's runs and model versions to a remote MLflow server.
pub(super) struct Pusher<'a> {
    pub(super) t: Transfer<'a>,
    /// The tag value naming this project on the server.
    pub(super) origin: String,
}

impl Pusher<'_> {
    pub(super) fn run(mut self, req: &MlflowPushRequest) -> Result<MlflowTransferResult, ApiError> {
        self.t.rt.block_on(self.t.client.check_version())?;
        let mut run_ids = req.run_ids.clone();
        for v in &req.model_versions {
            let local = self.t.store.get_model_version(&v.name, &v.version)?;
            if local.run_id.is_empty() {
                return Err(ApiError::invalid(format!(
                    "{} version {} has no run: only versions logged by a run can be pushed",
                    v.name, v.version
                )));
            }
            if !run_ids.contains(&local.run_id) {
                run_ids.push(local.run_id);
            }
        }
        let experiment_id = self.remote_experiment(req.experiment.trim())?;
        let total = run_ids.len() + req.model_versions.len();
        let mut out = MlflowTransferResult {
            url: self.t.client.url().to_string(),
            runs: Vec::new(),
            model_versions: Vec::new(),
        };
        for (i, id) in run_ids.iter().enumerate() {
            self.t.ctx.check_cancelled()?;
            progress(self.t.ctx, i, total, format!("pushing run {id}"));
            let mut pushed = self.push_run(id, &experiment_id)?;
            pushed.experiment = req.experiment.trim().to_string();
            out.runs.push(pushed);
        }
        for (i, v) in req.model_versions.iter().enumerate() {
            self.t.ctx.check_cancelled()?;
            let message = format!("registering {} version {}", v.name, v.version);
            progress(self.t.ctx, run_ids.len() + i, total, message);
            out.model_versions.push(self.push_version(v)?);
        }
        progress(self.t.ctx, total, total, "pushed".into());
        Ok(out)
    }

    fn remote_experiment(&self, name: &str) -> Result<String, ApiError> {
        match self.t.rt.block_on(self.t.client.experiment_by_name(name))? {
            Some(e) if e.lifecycle_stage == LifecycleStage::Active => Ok(e.experiment_id),
            Some(_) => Err(ApiError::invalid(format!(
                "the remote experiment '{name}' is deleted: restore it on the server or pick another name"
            ))),
            None => Ok(self.t.rt.block_on(self.t.client.create_experiment(name))?),
        }
    }

    fn push_run(&mut self, id: &str, experiment_id: &str) -> Result<TransferredRun, ApiError> {
        let run = self.t.store.get_run(id)?;
        let origin = format!("{}/runs/{id}", self.origin);
        let filter = format!("tags.`{PUSHED_FROM}` = '{}'", origin.replace('\'', "\\'"));
        let found = self.t.rt.block_on(self.t.client.search_runs(
            &[experiment_id.to_string()],
            Some(&filter),
            &[],
            1,
            None,
        ))?;
        if let Some(remote) = found.items.into_iter().next() {
            self.remember(&run, &remote);
            return Ok(TransferredRun {
                from_run_id: id.to_string(),
                to_run_id: remote.info.run_id,
                experiment: String::new(),
                already_there: true,
            });
        }
        let tags = with_provenance(
            &run.data.tags,
            PUSHED_FROM,
            &origin,
            &[assay_track::RUN_NAME_TAG],
        );
        let remote = self.t.rt.block_on(self.t.client.create_run(
            experiment_id,
            &run.info.run_name,
            run.info.start_time,
            &tags,
        ))?;
        if let Err(e) = self.fill_run(&run, &remote) {
            // Best effort: a half-pushed run goes to the server's trash.
            let _ = self
                .t
                .rt
                .block_on(self.t.client.delete_run(&remote.info.run_id));
            return Err(e);
        }
        self.remember(&run, &remote);
        Ok(TransferredRun {
            from_run_id: id.to_string(),
            to_run_id: remote.info.run_id,
            experiment: String::new(),
            already_there: false,
        })
    }

    fn remember(&mut self, local: &Run, remote: &Run) {
        let copied = Copied {
            from_uri: local.info.artifact_uri.clone(),
            to_id: remote.info.run_id.clone(),
            to_uri: remote.info.artifact_uri.clone(),
        };
        self.t.runs.insert(local.info.run_id.clone(), copied);
    }

    /// Metric histories, parameters, inputs, artifacts, then the final status.
    fn fill_run(&self, run: &Run, remote: &Run) -> Result<(), ApiError> {
        let remote_id = &remote.info.run_id;
        let keys: BTreeSet<&str> = run.data.metrics.iter().map(|m| m.key.as_str()).collect();
        let mut metrics = Vec::new();
        for key in keys {
            let page = self
                .t
                .store
                .metric_history(&run.info.run_id, key, None, None)?;
            metrics.extend(page.items.into_iter().map(|mut m| {
                m.run_id = None;
                m
            }));
        }
        let ctx = self.t.ctx;
        self.t.rt.block_on(self.t.client.log_all(
            remote_id,
            &metrics,
            &run.data.params,
            &[],
            |_, _| !ctx.is_cancelled(),
        ))?;
        self.t.ctx.check_cancelled()?;
        self.t.rt.block_on(
            self.t
                .client
                .log_inputs(remote_id, &run.inputs.dataset_inputs),
        )?;
        for (file, rel) in self.local_artifacts(run)? {
            self.t.ctx.check_cancelled()?;
            self.t
                .rt
                .block_on(self.t.client.upload_run_artifact(&remote.info, &rel, &file))?;
        }
        self.t.rt.block_on(self.t.client.update_run(
            remote_id,
            run.info.status,
            run.info.end_time,
        ))?;
        Ok(())
    }

    /// A run's artifact files (local copies) and their paths relative to its artifact root.
    fn local_artifacts(&self, run: &Run) -> Result<Vec<(PathBuf, String)>, ApiError> {
        self.t.stores.dir(&run.info.artifact_uri)?.files()
    }

    fn push_version(&self, v: &MlflowVersionRef) -> Result<TransferredVersion, ApiError> {
        let local = self.t.store.get_model_version(&v.name, &v.version)?;
        let origin = format!("{}/models/{}/versions/{}", self.origin, v.name, v.version);
        let run = self.t.runs.get(&local.run_id).ok_or_else(|| {
            ApiError::new(ErrorCode::Internal, "the version's run was not pushed")
        })?;
        let source = moved_source(&local.source, run).ok_or_else(|| {
            ApiError::invalid(format!(
                "{} version {} keeps its files at '{}', outside its run's artifacts: only versions registered from a run's artifacts can be pushed",
                v.name, v.version, local.source
            ))
        })?;
        let done = |to: &ModelVersion, already_there| TransferredVersion {
            name: v.name.clone(),
            from_version: v.version.clone(),
            to_version: to.version.clone(),
            already_there,
        };
        let filter = format!("name = '{}'", v.name.replace('\'', "\\'"));
        let existing = self.t.rt.block_on(self.t.client.search_model_versions(
            Some(&filter),
            1000,
            None,
        ))?;
        if let Some(found) = existing.items.iter().find(|m| {
            m.tags
                .iter()
                .any(|t| t.key == PUSHED_FROM && t.value == origin)
        }) {
            self.point_remote_aliases(&local, &found.version)?;
            return Ok(done(found, true));
        }
        let model = self.t.store.get_registered_model(&v.name)?;
        self.t.rt.block_on(self.t.client.ensure_registered_model(
            &v.name,
            &model.description,
            &model.tags,
        ))?;
        let tags = with_provenance(&local.tags, PUSHED_FROM, &origin, &[]);
        let created = self.t.rt.block_on(self.t.client.create_model_version(
            &v.name,
            &source,
            &run.to_id,
            &local.description,
            &tags,
        ))?;
        self.point_remote_aliases(&local, &created.version)?;
        Ok(done(&created, false))
    }

    /// Points the remote model's aliases named on the local version at `version`.
    fn point_remote_aliases(&self, local: &ModelVersion, version: &str) -> Result<(), ApiError> {
        for alias in &local.aliases {
            self.t
                .rt
                .block_on(self.t.client.set_model_alias(&local.name, alias, version))?;
        }
        Ok(())
    }
}
