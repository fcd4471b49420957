//! Import: runs and model versions of a remote MLflow server copied into the project, each run
//! written whole or not at all and never twice.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assay_track::{
    ImportedRun, LifecycleStage, Metric, ModelVersion, NewModelVersion, Run, TrackError,
    TrackStore, artifact_path,
};

use super::{Copied, IMPORTED_FROM, Transfer, io_error, moved_source, progress, with_provenance};
use crate::ApiError;
use crate::dto::*;

/// Copies runs and model versions from a remote MLflow server into the project.
pub(super) struct Importer<'a> {
    pub(super) t: Transfer<'a>,
}

impl Importer<'_> {
    pub(super) fn run(
        mut self,
        req: &MlflowImportRequest,
    ) -> Result<MlflowTransferResult, ApiError> {
        self.t.rt.block_on(self.t.client.check_version())?;
        let total = req.run_ids.len() + req.model_versions.len();
        let mut out = MlflowTransferResult {
            url: self.t.client.url().to_string(),
            runs: Vec::new(),
            model_versions: Vec::new(),
        };
        for (i, id) in req.run_ids.iter().enumerate() {
            self.t.ctx.check_cancelled()?;
            progress(self.t.ctx, i, total, format!("importing run {id}"));
            out.runs.push(self.import_run(id)?);
        }
        for (i, v) in req.model_versions.iter().enumerate() {
            self.t.ctx.check_cancelled()?;
            let message = format!("importing {} version {}", v.name, v.version);
            progress(self.t.ctx, req.run_ids.len() + i, total, message);
            out.model_versions.push(self.import_version(v)?);
        }
        progress(self.t.ctx, total, total, "imported".into());
        Ok(out)
    }

    fn provenance(&self, run: &Run) -> String {
        format!(
            "{}/#/experiments/{}/runs/{}",
            self.t.client.url(),
            run.info.experiment_id,
            run.info.run_id
        )
    }

    fn import_run(&mut self, remote_id: &str) -> Result<TransferredRun, ApiError> {
        let remote = self.t.rt.block_on(self.t.client.get_run(remote_id))?;
        let origin = self.provenance(&remote);
        if let Some(local) = self.t.store.runs_with_tag(IMPORTED_FROM, &origin)?.first() {
            let run = self.t.store.get_run(local)?;
            self.remember(&remote, &run);
            return Ok(TransferredRun {
                from_run_id: remote_id.to_string(),
                to_run_id: run.info.run_id,
                experiment: self.t.store.get_experiment(&run.info.experiment_id)?.name,
                already_there: true,
            });
        }
        let experiment = self
            .t
            .rt
            .block_on(self.t.client.get_experiment(&remote.info.experiment_id))?
            .name;
        let experiment_id = local_experiment(&self.t.store, &experiment)?;
        let metrics = self.histories(&remote)?;
        let staged = self.stage_run_artifacts(&remote)?;
        let tags = with_provenance(&remote.data.tags, IMPORTED_FROM, &origin, &[]);
        let imported = ImportedRun {
            experiment_id,
            run_name: remote.info.run_name.clone(),
            user_id: remote.info.user_id.clone(),
            status: remote.info.status,
            start_time: remote.info.start_time,
            end_time: remote.info.end_time,
            params: remote.data.params.clone(),
            tags,
            metrics,
            inputs: remote.inputs.dataset_inputs.clone(),
        };
        let stores = &self.t.stores;
        let run = self.t.store.import_run(&imported, |uri| {
            stores
                .dir(uri)
                .and_then(|dir| dir.place(staged.path()))
                .map_err(|e| TrackError::InvalidParameter(e.message))
        })?;
        self.remember(&remote, &run);
        Ok(TransferredRun {
            from_run_id: remote_id.to_string(),
            to_run_id: run.info.run_id,
            experiment,
            already_there: false,
        })
    }

    fn remember(&mut self, remote: &Run, local: &Run) {
        self.t.runs.insert(
            remote.info.run_id.clone(),
            Copied {
                from_uri: remote.info.artifact_uri.clone(),
                to_id: local.info.run_id.clone(),
                to_uri: local.info.artifact_uri.clone(),
            },
        );
    }

    /// Every point of every metric of a remote run.
    fn histories(&self, remote: &Run) -> Result<Vec<Metric>, ApiError> {
        let keys: BTreeSet<&str> = remote.data.metrics.iter().map(|m| m.key.as_str()).collect();
        let mut all = Vec::new();
        for key in keys {
            self.t.ctx.check_cancelled()?;
            let id = &remote.info.run_id;
            all.extend(self.t.rt.block_on(self.t.client.metric_history(id, key))?);
        }
        Ok(all)
    }

    /// Downloads a run's artifacts into a hidden folder of the artifact root.
    fn stage_run_artifacts(&self, remote: &Run) -> Result<tempfile::TempDir, ApiError> {
        let staged = staging_dir(self.t.store.artifacts().root())?;
        let files = self
            .t
            .rt
            .block_on(self.t.client.run_artifact_files(&remote.info.run_id, ""))?;
        let inside = assay_track::ArtifactRoot::new(staged.path());
        for f in files {
            self.t.ctx.check_cancelled()?;
            let dest = inside.resolve(&f.path)?;
            self.t.rt.block_on(self.t.client.download_run_artifact(
                &remote.info,
                &f.path,
                &dest,
            ))?;
        }
        Ok(staged)
    }

    fn import_version(&mut self, v: &MlflowVersionRef) -> Result<TransferredVersion, ApiError> {
        let remote = self
            .t
            .rt
            .block_on(self.t.client.get_model_version(&v.name, &v.version))?;
        let origin = format!(
            "{}/#/models/{}/versions/{}",
            self.t.client.url(),
            v.name,
            v.version
        );
        let done = |to: &ModelVersion, already_there| TransferredVersion {
            name: v.name.clone(),
            from_version: v.version.clone(),
            to_version: to.version.clone(),
            already_there,
        };
        if let Some(local) = self
            .t
            .store
            .model_versions_with_tag(IMPORTED_FROM, &origin)?
            .first()
        {
            self.point_aliases(&remote, &local.version)?;
            return Ok(done(local, true));
        }
        let run = match remote.run_id.as_str() {
            "" => None,
            id => {
                self.import_run(id)?;
                self.t.runs.get(id).cloned()
            }
        };
        let uri = self.t.rt.block_on(
            self.t
                .client
                .model_version_download_uri(&v.name, &v.version),
        )?;
        let (source, placed) = match run.as_ref().and_then(|r| moved_source(&uri, r)) {
            Some(source) => (source, None),
            None => self.copy_model_files(&uri)?,
        };
        let created = self.register(&remote, source, run.map(|r| r.to_id), &origin);
        if created.is_err()
            && let Some(dir) = placed
        {
            let _ = std::fs::remove_dir_all(dir);
        }
        let created = created?;
        self.point_aliases(&remote, &created.version)?;
        Ok(done(&created, false))
    }

    /// Points the local model's aliases named on the remote version (`@champion`) at `version`.
    fn point_aliases(&self, remote: &ModelVersion, version: &str) -> Result<(), ApiError> {
        for alias in &remote.aliases {
            self.t.store.set_model_alias(&remote.name, alias, version)?;
        }
        Ok(())
    }

    /// Copies model files kept outside any run (e.g. an MLflow 3 logged model) into the
    /// artifact root; returns their new URI and folder.
    fn copy_model_files(&self, uri: &str) -> Result<(String, Option<PathBuf>), ApiError> {
        let remote_path = artifact_path(uri).ok_or_else(|| {
            ApiError::invalid(format!(
                "the model's files are at '{uri}', outside the server's proxied artifact store: Assay cannot download them"
            ))
        })?;
        let staged = staging_dir(self.t.store.artifacts().root())?;
        let inside = assay_track::ArtifactRoot::new(staged.path());
        let files = self
            .t
            .rt
            .block_on(self.t.client.proxied_files(&remote_path))?;
        for f in files {
            self.t.ctx.check_cancelled()?;
            let dest = inside.resolve(&f.path)?;
            let from = format!("{}/{}", remote_path.trim_end_matches('/'), f.path);
            self.t
                .rt
                .block_on(self.t.client.download_proxied(&from, &dest))?;
        }
        let local = format!(
            "{}/models/imported-{}/artifacts",
            assay_track::ARTIFACT_SCHEME,
            uuid::Uuid::new_v4().simple()
        );
        self.t.stores.dir(&local)?.place(staged.path())?;
        let dir = self
            .t
            .store
            .artifacts()
            .resolve(&artifact_path(&local).unwrap_or_default())?;
        Ok((local, Some(dir)))
    }

    fn register(
        &self,
        remote: &ModelVersion,
        source: String,
        run_id: Option<String>,
        origin: &str,
    ) -> Result<ModelVersion, ApiError> {
        if let Err(TrackError::NotFound { .. }) = self.t.store.get_registered_model(&remote.name) {
            let model = self
                .t
                .rt
                .block_on(self.t.client.get_registered_model(&remote.name))?;
            let (tags, description) = model.map(|m| (m.tags, m.description)).unwrap_or_default();
            self.t
                .store
                .create_registered_model(&remote.name, &tags, Some(&description))?;
        }
        let tags = with_provenance(&remote.tags, IMPORTED_FROM, origin, &[]);
        Ok(self.t.store.create_model_version(&NewModelVersion {
            name: remote.name.clone(),
            source,
            run_id,
            tags,
            run_link: None,
            description: Some(remote.description.clone()),
            model_id: None,
            user_id: Some(remote.user_id.clone()),
        })?)
    }
}

/// A hidden folder in the artifact root (same file system, so placing is a rename), removed
/// when dropped unless its content was moved away.
fn staging_dir(root: &Path) -> Result<tempfile::TempDir, ApiError> {
    std::fs::create_dir_all(root).map_err(|e| io_error(root, e))?;
    tempfile::Builder::new()
        .prefix(".tmp-import-")
        .tempdir_in(root)
        .map_err(|e| io_error(root, e))
}

/// The id of the live local experiment called `name`, created when missing.
fn local_experiment(store: &TrackStore, name: &str) -> Result<String, ApiError> {
    match store.get_experiment_by_name(name) {
        Ok(e) if e.lifecycle_stage == LifecycleStage::Active => Ok(e.experiment_id),
        Ok(_) => Err(ApiError::invalid(format!(
            "the local experiment '{name}' is deleted: restore it to import into it"
        ))),
        Err(TrackError::NotFound { .. }) => Ok(store.create_experiment(name, None, &[])?),
        Err(e) => Err(e.into()),
    }
}
