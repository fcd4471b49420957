//! Experiment tracking and the model registry for the open project: the project's
//! [`TrackStore`] (opened on first use, shared by the app's API and the MLflow-compatible routes).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use assay_track::{TrackError, TrackStore};

use crate::{ApiError, Assay, ErrorCode};

/// The tracking store of the project open now, opened once per project.
#[derive(Debug, Default)]
pub(crate) struct TrackingCache {
    open: Mutex<Option<(PathBuf, Arc<TrackStore>)>>,
}

impl Assay {
    /// The open project's tracking store (experiments, runs, registry, artifacts).
    pub fn tracking(&self) -> Result<Arc<TrackStore>, ApiError> {
        let project = self.project()?;
        let mut open = self
            .tracking_cache()
            .open
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some((root, store)) = open.as_ref()
            && root == project.root()
        {
            return Ok(Arc::clone(store));
        }
        let layout = project.layout();
        let store = Arc::new(TrackStore::open(&layout.store(), &layout.artifacts())?);
        *open = Some((project.root().to_path_buf(), Arc::clone(&store)));
        Ok(store)
    }
}

impl From<TrackError> for ApiError {
    fn from(e: TrackError) -> Self {
        let code = match &e {
            TrackError::NotFound { .. } => ErrorCode::NotFound,
            TrackError::AlreadyExists { .. } => ErrorCode::AlreadyExists,
            TrackError::InvalidParameter(_) => ErrorCode::InvalidInput,
            TrackError::Store { .. } | TrackError::Io { .. } => ErrorCode::Io,
        };
        ApiError::new(code, e.to_string())
    }
}
