//! A client of remote MLflow tracking servers (MLflow 2.x and 3.x): experiments, runs, metric
//! histories, artifacts and the model registry over MLflow's REST API, with bearer or basic
//! authentication, time limits and retries with backoff where a retry is safe.

mod calls;
mod client;
mod error;
mod wire;

use assay_project::{ConnectionKind, ConnectionSpec};

pub use calls::{Batch, batches};
pub use client::{CONNECT_TIMEOUT, MlflowAuth, MlflowClient, REQUEST_TIMEOUT, VERSION_TIMEOUT};
pub use error::MlflowError;

use crate::RemoteError;
use crate::connection::secret_key;
use crate::secrets::Secrets;

/// The client of an `mlflow` connection: a stored `token` means bearer authentication, else a
/// user name with a stored `password` means basic authentication.
pub fn client_for(spec: &ConnectionSpec, secrets: &Secrets) -> Result<MlflowClient, RemoteError> {
    let invalid = |message: String| RemoteError::Invalid {
        name: spec.name.clone(),
        field: None,
        message,
    };
    if spec.kind != ConnectionKind::Mlflow {
        return Err(invalid("this is not an MLflow connection".into()));
    }
    let secret = |field: &str| -> Result<Option<String>, RemoteError> {
        Ok(secrets
            .get(&secret_key(spec, field))?
            .map(|(v, _)| v)
            .filter(|v| !v.is_empty()))
    };
    let auth = match (secret("token")?, spec.username.as_deref()) {
        (Some(token), _) => MlflowAuth::Bearer(token),
        (None, Some(user)) if !user.is_empty() => MlflowAuth::Basic {
            username: user.to_string(),
            password: secret("password")?.unwrap_or_default(),
        },
        _ => MlflowAuth::None,
    };
    MlflowClient::new(&spec.url, auth).map_err(|e| invalid(e.to_string()))
}
