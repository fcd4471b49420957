//! Connections: save and remove them (secrets to the keychain), test them, browse and preview
//! object stores, read remote data sets, upload reports and artifacts.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use assay_data::{DataError, RemoteAccess, Source};
use assay_project::{ConnectionKind, ConnectionSpec, DatasetSpec, Project};
use assay_remote::connection::{self, is_object_store, secret_fields};
use assay_remote::{RemoteError, SecretMode, Secrets, StoredIn};

use crate::data_api::blocking;
use crate::dto::*;
use crate::{ApiError, Assay, ErrorCode, JobContext};

static SECRETS: RwLock<Option<Arc<Secrets>>> = RwLock::new(None);

/// Makes `<config>/secrets.toml` the fallback secret file of this process.
pub(crate) fn install_secrets(config_dir: &Path) {
    let secrets = Arc::new(Secrets::new(
        config_dir.join("secrets.toml"),
        SecretMode::from_env(),
    ));
    *SECRETS.write().unwrap_or_else(|p| p.into_inner()) = Some(secrets);
}

/// The secret store of this process.
pub(crate) fn secrets() -> Result<Arc<Secrets>, ApiError> {
    SECRETS
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
        .ok_or_else(|| ApiError::new(ErrorCode::Internal, "the secret store is not set up"))
}

impl From<RemoteError> for ApiError {
    fn from(e: RemoteError) -> Self {
        let message = e.to_string();
        match e {
            RemoteError::Data(d) => d.into(),
            RemoteError::Project(p) => p.into(),
            RemoteError::UnknownConnection { name } => {
                ApiError::not_found(message).with_details(serde_json::json!({ "connection": name }))
            }
            RemoteError::UnknownSecret { field, .. } => {
                ApiError::invalid(message).with_details(serde_json::json!({ "field": field }))
            }
            RemoteError::Invalid { name, field, .. } => ApiError::invalid(message)
                .with_details(serde_json::json!({ "connection": name, "field": field })),
            RemoteError::Keychain(_) | RemoteError::SecretsFile { .. } => {
                ApiError::new(ErrorCode::Io, message)
            }
        }
    }
}

/// The settings and secrets that read a remote data set; local files need none.
pub(crate) fn access_for(
    project: &Project,
    spec: &DatasetSpec,
) -> Result<Option<RemoteAccess>, ApiError> {
    if !spec.is_remote() {
        return Ok(None);
    }
    let cache = project.layout().cache().join("remote");
    let manifest = project.manifest();
    let access = match connection::for_dataset(spec, &manifest.connections)? {
        Some(c) => connection::access(c, &*secrets()?)?,
        None => RemoteAccess::default(),
    };
    Ok(Some(access.with_cache_dir(cache)))
}

fn kind_dto(kind: ConnectionKind) -> ConnectionKindDto {
    match kind {
        ConnectionKind::S3 => ConnectionKindDto::S3,
        ConnectionKind::Gcs => ConnectionKindDto::Gcs,
        ConnectionKind::Azure => ConnectionKindDto::Azure,
        ConnectionKind::Http => ConnectionKindDto::Http,
        ConnectionKind::Mlflow => ConnectionKindDto::Mlflow,
        ConnectionKind::Assay => ConnectionKindDto::Assay,
    }
}

fn kind_of(dto: ConnectionKindDto) -> ConnectionKind {
    match dto {
        ConnectionKindDto::S3 => ConnectionKind::S3,
        ConnectionKindDto::Gcs => ConnectionKind::Gcs,
        ConnectionKindDto::Azure => ConnectionKind::Azure,
        ConnectionKindDto::Http => ConnectionKind::Http,
        ConnectionKindDto::Mlflow => ConnectionKind::Mlflow,
        ConnectionKindDto::Assay => ConnectionKind::Assay,
    }
}

fn non_empty(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

fn spec_of(req: &SaveConnectionRequest) -> ConnectionSpec {
    ConnectionSpec {
        name: req.name.trim().to_string(),
        kind: kind_of(req.kind),
        url: req.url.trim().to_string(),
        endpoint: non_empty(req.endpoint.clone()),
        region: non_empty(req.region.clone()),
        path_style: req.path_style.unwrap_or(false),
        account: non_empty(req.account.clone()),
        username: non_empty(req.username.clone()),
    }
}

/// The connection called `name`.
pub(crate) fn find(project: &Project, name: &str) -> Result<ConnectionSpec, ApiError> {
    project
        .manifest()
        .connections
        .into_iter()
        .find(|c| c.name == name)
        .ok_or_else(|| {
            RemoteError::UnknownConnection {
                name: name.to_string(),
            }
            .into()
        })
}

fn details(spec: &ConnectionSpec, secrets: &Secrets) -> Result<ConnectionDetails, ApiError> {
    let stored = connection::stored_secrets(spec, secrets)?;
    Ok(ConnectionDetails {
        name: spec.name.clone(),
        kind: kind_dto(spec.kind),
        url: spec.url.clone(),
        endpoint: spec.endpoint.clone(),
        region: spec.region.clone(),
        path_style: spec.path_style,
        account: spec.account.clone(),
        username: spec.username.clone(),
        secret_fields: secret_fields(spec.kind)
            .iter()
            .map(|s| s.to_string())
            .collect(),
        secrets: stored
            .into_iter()
            .map(|(field, place)| SecretStatus {
                field: field.to_string(),
                place: match place {
                    StoredIn::Keychain => SecretPlace::Keychain,
                    StoredIn::File => SecretPlace::File,
                },
            })
            .collect(),
        secrets_file: secrets.file().display().to_string(),
    })
}

fn object_store(project: &Project, name: &str) -> Result<(ConnectionSpec, RemoteAccess), ApiError> {
    let spec = find(project, name)?;
    if !is_object_store(spec.kind) {
        return Err(ApiError::invalid(format!(
            "connection '{name}' is a server, not an object store"
        )));
    }
    let access = connection::access(&spec, &*secrets()?)?
        .with_cache_dir(project.layout().cache().join("remote"));
    Ok((spec, access))
}

fn entry_info(spec: &ConnectionSpec, e: assay_data::RemoteEntry) -> RemoteEntryInfo {
    let url = connection::url_of(spec, &e.path);
    RemoteEntryInfo {
        format: (!e.is_dir)
            .then(|| assay_project::format_from_extension(&e.path).map(str::to_string))
            .flatten(),
        url,
        path: e.path,
        is_dir: e.is_dir,
        bytes: e.bytes,
        modified: e.modified,
    }
}

/// The project files under `path` (a file or a folder), confined to the project folder.
fn project_files(project: &Project, path: &str) -> Result<Vec<(PathBuf, String)>, ApiError> {
    let root = project.root();
    let full = root.join(path);
    let inside = full
        .canonicalize()
        .map_err(|e| ApiError::from_io(&e, &format!("reading {}", full.display())))?;
    let base = root
        .canonicalize()
        .map_err(|e| ApiError::from_io(&e, "reading the project folder"))?;
    if !inside.starts_with(&base) {
        return Err(ApiError::invalid(format!(
            "'{path}' is outside the project folder"
        )));
    }
    let mut out = Vec::new();
    collect_files(&inside, &inside, &mut out)?;
    Ok(out)
}

fn collect_files(top: &Path, at: &Path, out: &mut Vec<(PathBuf, String)>) -> Result<(), ApiError> {
    if at.is_file() {
        let name = if at == top {
            top.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        } else {
            let parent = top
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let rel = at
                .strip_prefix(top)
                .unwrap_or(at)
                .to_string_lossy()
                .replace('\\', "/");
            format!("{parent}/{rel}")
        };
        out.push((at.to_path_buf(), name));
        return Ok(());
    }
    let entries = std::fs::read_dir(at)
        .map_err(|e| ApiError::from_io(&e, &format!("listing {}", at.display())))?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        collect_files(top, &p, out)?;
    }
    Ok(())
}

fn upload_all(
    files: &[(PathBuf, String)],
    base: &str,
    access: &RemoteAccess,
    ctx: &JobContext,
) -> Result<UploadResult, ApiError> {
    let total: u64 = files
        .iter()
        .map(|(f, _)| std::fs::metadata(f).map_or(0, |m| m.len()))
        .sum();
    let mut done = 0u64;
    let mut urls = Vec::with_capacity(files.len());
    for (file, name) in files {
        let url = format!("{}/{name}", base.trim_end_matches('/'));
        let before = done;
        let sent =
            assay_data::remote::block_on(assay_data::remote::upload(file, &url, access, |sent| {
                ctx.progress(Progress {
                    done: (before + sent) as f64,
                    total: Some(total as f64),
                    unit: "bytes".into(),
                    message: format!("uploading {name}"),
                });
                !ctx.is_cancelled()
            }))
            .map_err(|e| match e {
                DataError::Remote { ref message, .. } if message == "upload cancelled" => {
                    ApiError::cancelled()
                }
                other => other.into(),
            })?;
        done += sent;
        urls.push(url);
    }
    Ok(UploadResult { urls, bytes: done })
}

impl Assay {
    /// Every connection of the project, with which secrets are stored (never their values).
    pub async fn list_connections(&self, _: NoParams) -> Result<Vec<ConnectionDetails>, ApiError> {
        let project = self.project()?;
        let secrets = secrets()?;
        blocking(move || {
            project
                .manifest()
                .connections
                .iter()
                .map(|c| details(c, &secrets))
                .collect()
        })
        .await
    }

    /// Creates or replaces a connection; secrets go to the keychain, never to `assay.toml`.
    pub async fn save_connection(
        &self,
        req: SaveConnectionRequest,
    ) -> Result<ConnectionDetails, ApiError> {
        let project = self.project()?;
        let secrets = secrets()?;
        let spec = spec_of(&req);
        connection::validate(&spec)?;
        for field in req.secrets.keys() {
            connection::check_secret_field(spec.kind, field)?;
        }
        let previous = project
            .manifest()
            .connections
            .into_iter()
            .find(|c| c.name == spec.name);
        let writer = project.clone();
        let out = blocking(move || {
            if let Some(old) = previous.filter(|o| o.url != spec.url || o.kind != spec.kind) {
                move_secrets(&old, &spec, &secrets)?;
            }
            for (field, value) in &req.secrets {
                let key = connection::secret_key(&spec, field);
                if value.is_empty() {
                    secrets.delete(&key)?;
                } else {
                    secrets.set(&key, value)?;
                }
            }
            writer.put_connection(&spec)?;
            details(&spec, &secrets)
        })
        .await?;
        self.refreshed(&project);
        Ok(out)
    }

    /// Removes a connection and forgets its secrets. Refused while a data set reads through it.
    pub async fn remove_connection(&self, req: ConnectionRef) -> Result<ProjectInfo, ApiError> {
        let project = self.project()?;
        let spec = find(&project, &req.name)?;
        let manifest = project.manifest();
        if let Some(d) = manifest.datasets.iter().find(|d| {
            connection::for_dataset(d, &manifest.connections)
                .ok()
                .flatten()
                .is_some_and(|c| c.name == spec.name)
        }) {
            return Err(ApiError::invalid(format!(
                "data set '{}' reads through connection '{}': remove it first",
                d.name, spec.name
            )));
        }
        let secrets = secrets()?;
        let writer = project.clone();
        blocking(move || {
            for field in secret_fields(spec.kind) {
                secrets.delete(&connection::secret_key(&spec, field))?;
            }
            writer.remove_connection(&spec.name)?;
            Ok(())
        })
        .await?;
        Ok(self.refreshed(&project))
    }

    /// Checks an object-store connection: lists its root (an HTTP connection, which cannot be
    /// listed, must answer for its URL).
    pub async fn test_connection(&self, req: ConnectionRef) -> Result<ConnectionTest, ApiError> {
        let project = self.project()?;
        let (spec, access) = object_store(&project, &req.name)?;
        let outcome = if spec.kind == ConnectionKind::Http {
            assay_data::remote::fingerprint(&spec.url, &access)
                .await
                .map(|(_, bytes)| format!("{} answers ({bytes} bytes)", spec.url))
        } else {
            assay_data::remote::list(&spec.url, &access)
                .await
                .map(|entries| format!("connected: {} entries under {}", entries.len(), spec.url))
        };
        Ok(match outcome {
            Ok(message) => ConnectionTest { ok: true, message },
            Err(e) => ConnectionTest {
                ok: false,
                message: e.to_string(),
            },
        })
    }

    /// Lists the folders and objects under a prefix of an object-store connection.
    pub async fn browse_connection(&self, req: BrowseRequest) -> Result<BrowseResult, ApiError> {
        let project = self.project()?;
        let (spec, access) = object_store(&project, &req.connection)?;
        let url = match req
            .prefix
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            Some(prefix) => connection::url_of(&spec, prefix),
            None => spec.url.clone(),
        };
        let entries = assay_data::remote::list(&url, &access).await?;
        Ok(BrowseResult {
            entries: entries.into_iter().map(|e| entry_info(&spec, e)).collect(),
            url,
        })
    }

    /// The first rows of a remote file (read lazily: columnar formats fetch only what they show).
    pub async fn preview_remote(
        &self,
        req: PreviewRemoteRequest,
    ) -> Result<assay_data::Page, ApiError> {
        let project = self.project()?;
        let (_, access) = object_store(&project, &req.connection)?;
        let rows = req.rows.unwrap_or(50).clamp(1, 1000);
        blocking(move || {
            let format = assay_data::DataFormat::from_path(&req.url).ok_or_else(|| {
                ApiError::invalid(format!(
                    "cannot tell the format of '{}' from its name",
                    req.url
                ))
            })?;
            let source = Source {
                location: req.url.clone(),
                format,
                csv: None,
                overrides: None,
                access: Some(access),
            };
            let (lf, _) = assay_data::scan(&source)?;
            let query = assay_data::PageQuery {
                offset: 0,
                limit: rows,
                sort: Vec::new(),
                filters: Vec::new(),
                search: None,
            };
            Ok(assay_data::page(lf, &query)?)
        })
        .await
    }

    /// Starts uploading a project file or folder to an object store; the job's result is an
    /// UploadResult. A failed or cancelled upload leaves no partial object.
    pub async fn start_upload(&self, req: UploadRequest) -> Result<JobRef, ApiError> {
        let project = self.project()?;
        let (spec, access) = object_store(&project, &req.connection)?;
        let files = project_files(&project, &req.path)?;
        let base = match req
            .prefix
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            Some(prefix) => connection::url_of(&spec, prefix),
            None => spec.url.clone(),
        };
        let title = format!("Upload {} to {}", req.path, base);
        let info = self.jobs().spawn("upload", &title, None, move |ctx| {
            upload_all(&files, &base, &access, ctx)
        });
        Ok(JobRef { id: info.id })
    }
}

/// Carries secrets over when a connection's URL or kind changes (their key includes the URL).
fn move_secrets(
    old: &ConnectionSpec,
    new: &ConnectionSpec,
    secrets: &Secrets,
) -> Result<(), ApiError> {
    for field in secret_fields(old.kind) {
        let key = connection::secret_key(old, field);
        if let Some((value, _)) = secrets.get(&key)? {
            if secret_fields(new.kind).contains(field) {
                secrets.set(&connection::secret_key(new, field), &value)?;
            }
            secrets.delete(&key)?;
        }
    }
    Ok(())
}
