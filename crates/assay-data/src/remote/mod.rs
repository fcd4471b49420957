//! Remote locations: `s3://`, `gs://`, `az://` (also `abfs(s)://`) and `http(s)://`.
//!
//! Object stores are built from a [`RemoteAccess`] (object_store configuration keys such as
//! `aws_endpoint` or `google_service_account_key`, secrets included) on top of the environment's
//! own credentials. Requests time out and are retried a few times with backoff, so a server that
//! is down gives an error within seconds, never a hang. Columnar formats are scanned lazily through
//! polars' cloud readers (range requests); text formats are fetched once into a local cache keyed
//! by the object's ETag, so dialect sniffing and line-numbered errors work as for local files.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use futures::StreamExt;
use object_store::aws::AmazonS3Builder;
use object_store::azure::MicrosoftAzureBuilder;
use object_store::gcp::GoogleCloudStorageBuilder;
use object_store::http::HttpBuilder;
use object_store::path::Path as ObjectPath;
use object_store::{BackoffConfig, ClientOptions, ObjectStore, ObjectStoreExt, RetryConfig};
use url::Url;

use crate::DataError;

mod gcs;

/// Settings and credentials for reading remote objects. `Debug` shows option names, never values.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct RemoteAccess {
    options: Arc<BTreeMap<String, String>>,
    cache_dir: Option<PathBuf>,
}

impl fmt::Debug for RemoteAccess {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RemoteAccess")
            .field("options", &self.options.keys().collect::<Vec<_>>())
            .field("cache_dir", &self.cache_dir)
            .finish()
    }
}

impl RemoteAccess {
    /// Access with these object_store options (on top of the environment's credentials).
    pub fn new(options: impl IntoIterator<Item = (String, String)>) -> Self {
        Self {
            options: Arc::new(options.into_iter().collect()),
            cache_dir: None,
        }
    }

    /// Where text formats are cached locally (default: the system's temporary folder).
    pub fn with_cache_dir(mut self, dir: PathBuf) -> Self {
        self.cache_dir = Some(dir);
        self
    }

    /// The option pairs.
    pub fn options(&self) -> impl Iterator<Item = (&str, &str)> {
        self.options.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    fn cache_dir(&self) -> PathBuf {
        self.cache_dir
            .clone()
            .unwrap_or_else(|| std::env::temp_dir().join("assay-remote-cache"))
    }
}

/// Whether a location is a URL of a remote object rather than a local path.
pub fn is_remote(location: &str) -> bool {
    location.contains("://") && !location.starts_with("file://")
}

/// The kind of store a URL points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreKind {
    /// Amazon S3 or S3-compatible.
    S3,
    /// Google Cloud Storage.
    Gcs,
    /// Azure Blob Storage.
    Azure,
    /// Plain HTTP(S).
    Http,
}

impl StoreKind {
    /// The kind a URL's scheme names.
    pub fn of(url: &str) -> Result<Self, DataError> {
        let scheme = url.split_once("://").map_or("", |(s, _)| s);
        Ok(match scheme.to_ascii_lowercase().as_str() {
            "s3" | "s3a" => Self::S3,
            "gs" | "gcs" => Self::Gcs,
            "az" | "azure" | "abfs" | "abfss" | "adl" => Self::Azure,
            "http" | "https" => Self::Http,
            other => {
                return Err(DataError::Remote {
                    url: url.to_string(),
                    message: format!(
                        "unsupported scheme '{other}': use s3://, gs://, az://, abfss:// or https://"
                    ),
                });
            }
        })
    }
}

/// An object store and the path of one location inside it.
pub struct StoreAt {
    /// The store (bucket, container or HTTP origin).
    pub store: Arc<dyn ObjectStore>,
    /// The object or prefix inside it.
    pub path: ObjectPath,
}

/// One listed object or folder.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteEntry {
    /// Path inside the store, without a leading slash.
    pub path: String,
    /// Whether this is a common prefix (a "folder").
    pub is_dir: bool,
    /// Size in bytes (0 for folders).
    pub bytes: u64,
    /// Last modification, RFC 3339 (none for folders).
    pub modified: Option<String>,
}

fn remote_error(url: &str, e: object_store::Error) -> DataError {
    let message = match e {
        object_store::Error::NotFound { .. } => {
            return DataError::NotFound {
                path: url.to_string(),
            };
        }
        object_store::Error::Unauthenticated { .. } => CREDENTIALS_REFUSED.to_string(),
        object_store::Error::PermissionDenied { .. } => "permission denied".to_string(),
        other => explain_failure(&with_causes(&other)),
    };
    DataError::Remote {
        url: url.to_string(),
        message,
    }
}

/// The error's text followed by its causes', one per line.
pub(crate) fn with_causes(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push('\n');
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

const CREDENTIALS_REFUSED: &str = "the credentials were refused (check the key, secret or token)";

/// One line a user can act on, from a store client's long error text (request URL, timings and
/// the service's XML body); the service's own code is kept in brackets.
pub(crate) fn explain_failure(text: &str) -> String {
    let code = service_code(text);
    let has = |needles: &[&str]| needles.iter().any(|n| text.contains(n));
    let line = if has(&[
        "SignatureDoesNotMatch",
        "InvalidAccessKeyId",
        "AuthenticationFailed",
        "InvalidAuthenticationInfo",
        "AccessDenied",
        "403 Forbidden",
        "401 Unauthorized",
    ]) {
        CREDENTIALS_REFUSED.to_string()
    } else if has(&["NoSuchBucket", "ContainerNotFound", "bucket does not exist"]) {
        "the bucket or container does not exist".to_string()
    } else if has(&[
        "Connection refused",
        "tcp connect error",
        "dns error",
        "error trying to connect",
    ]) {
        "cannot reach the server (is the endpoint right and the service running?)".to_string()
    } else if has(&[
        "error sending request",
        "onnection reset",
        "connection closed",
        "roken pipe",
        "IncompleteMessage",
        "unexpected end of file",
        "error decoding response body",
        "error reading a body",
    ]) {
        "the connection to the server was lost mid-transfer (retried with backoff; check the network)"
            .to_string()
    } else if has(&["timed out", "Timeout", "deadline has elapsed"]) {
        "the server did not answer in time".to_string()
    } else {
        let first = text.lines().next().unwrap_or(text);
        first.chars().take(300).collect()
    };
    match code {
        Some(code) if !line.contains(&code) => format!("{line} [{code}]"),
        _ => line,
    }
}

fn service_code(text: &str) -> Option<String> {
    let start = text.find("<Code>")? + "<Code>".len();
    let end = text[start..].find("</Code>")? + start;
    Some(text[start..end].to_string())
}

fn client_options() -> ClientOptions {
    ClientOptions::new()
        .with_connect_timeout(Duration::from_secs(5))
        .with_timeout(Duration::from_secs(60))
}

fn retry() -> RetryConfig {
    RetryConfig {
        backoff: BackoffConfig {
            init_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(2),
            base: 2.0,
        },
        max_retries: 3,
        retry_timeout: Duration::from_secs(20),
    }
}

fn bad_option(url: &str, key: &str) -> DataError {
    DataError::Remote {
        url: url.to_string(),
        message: format!("unknown connection option '{key}'"),
    }
}

/// Opens the store a URL points into, with these settings.
pub fn open_store(url: &str, access: &RemoteAccess) -> Result<StoreAt, DataError> {
    let parsed = Url::parse(url).map_err(|e| DataError::Remote {
        url: url.to_string(),
        message: format!("not a valid URL: {e}"),
    })?;
    let failed = |e: object_store::Error| remote_error(url, e);
    // The three cloud builders share no trait; each gets the same limits and the access options.
    macro_rules! configured {
        ($builder:expr) => {{
            let mut b = $builder
                .with_url(url)
                .with_client_options(client_options())
                .with_retry(retry());
            for (k, v) in access.options() {
                b = b.with_config(k.parse().map_err(|_| bad_option(url, k))?, v);
            }
            Arc::new(b.build().map_err(failed)?)
        }};
    }
    let store: Arc<dyn ObjectStore> = match StoreKind::of(url)? {
        StoreKind::S3 => configured!(AmazonS3Builder::from_env()),
        StoreKind::Gcs => configured!(GoogleCloudStorageBuilder::from_env()),
        StoreKind::Azure => configured!(MicrosoftAzureBuilder::from_env()),
        StoreKind::Http => {
            let origin = parsed.origin().ascii_serialization();
            let b = HttpBuilder::new()
                .with_url(origin)
                .with_client_options(client_options().with_allow_http(true))
                .with_retry(retry());
            Arc::new(b.build().map_err(failed)?)
        }
    };
    Ok(StoreAt {
        store,
        path: object_path(&parsed),
    })
}

/// The object path of a URL: percent-decoded and kept as is, so that a non-ASCII name such as
/// `résumé.txt` reaches the store once encoded, not twice. A path object_store cannot parse
/// (e.g. with an empty segment) is taken part by part instead.
fn object_path(url: &Url) -> ObjectPath {
    let raw = url.path().trim_start_matches('/');
    ObjectPath::from_url_path(raw)
        .unwrap_or_else(|_| ObjectPath::from(percent_decode(raw).as_str()))
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| s.to_string())
}

/// Lists the objects and folders directly under `url` (a bucket or a prefix).
pub async fn list(url: &str, access: &RemoteAccess) -> Result<Vec<RemoteEntry>, DataError> {
    if StoreKind::of(url)? == StoreKind::Gcs {
        let prefix = object_name(url)?;
        let prefix = if prefix.is_empty() {
            prefix
        } else {
            format!("{}/", prefix.trim_end_matches('/'))
        };
        return gcs::Gcs::connect(url, access).await?.list(&prefix).await;
    }
    let at = open_store(url, access)?;
    let prefix = (!at.path.as_ref().is_empty()).then_some(&at.path);
    let listed = at
        .store
        .list_with_delimiter(prefix)
        .await
        .map_err(|e| remote_error(url, e))?;
    let dirs = listed.common_prefixes.into_iter().map(|p| RemoteEntry {
        path: p.to_string(),
        is_dir: true,
        bytes: 0,
        modified: None,
    });
    let files = listed.objects.into_iter().map(|o| RemoteEntry {
        path: o.location.to_string(),
        is_dir: false,
        bytes: o.size,
        modified: Some(o.last_modified.to_rfc3339()),
    });
    Ok(dirs.chain(files).collect())
}

/// The first `max` bytes of the object at `url`.
pub async fn read_head(url: &str, access: &RemoteAccess, max: u64) -> Result<Vec<u8>, DataError> {
    if StoreKind::of(url)? == StoreKind::Gcs {
        let store = gcs::Gcs::connect(url, access).await?;
        let name = object_name(url)?;
        let end = store.head(&name).await?.bytes().min(max);
        if end == 0 {
            return Ok(Vec::new());
        }
        let response = store.download(&name, Some((0, end))).await?;
        let bytes = response.bytes().await.map_err(|e| DataError::Remote {
            url: url.to_string(),
            message: e.to_string(),
        })?;
        return Ok(bytes.to_vec());
    }
    let at = open_store(url, access)?;
    let meta = at
        .store
        .head(&at.path)
        .await
        .map_err(|e| remote_error(url, e))?;
    let end = meta.size.min(max);
    if end == 0 {
        return Ok(Vec::new());
    }
    let bytes = at
        .store
        .get_range(&at.path, 0..end)
        .await
        .map_err(|e| remote_error(url, e))?;
    Ok(bytes.to_vec())
}

/// Uploads a local file to `url` in parts; a failed upload is aborted, leaving no partial object.
/// `progress` receives the bytes sent so far and returns false to cancel.
pub async fn upload(
    file: &Path,
    url: &str,
    access: &RemoteAccess,
    mut progress: impl FnMut(u64) -> bool + Send,
) -> Result<u64, DataError> {
    if StoreKind::of(url)? == StoreKind::Gcs {
        let name = object_name(url)?;
        return gcs::Gcs::connect(url, access)
            .await?
            .upload(file, &name, progress)
            .await;
    }
    let at = open_store(url, access)?;
    let name = file.display().to_string();
    let mut input = tokio::fs::File::open(file)
        .await
        .map_err(|_| DataError::NotFound { path: name })?;
    let mut upload = at
        .store
        .put_multipart(&at.path)
        .await
        .map_err(|e| remote_error(url, e))?;
    let mut sent = 0u64;
    let mut buf = vec![0u8; 8 << 20];
    let outcome: Result<(), DataError> = async {
        loop {
            let n = read_full(&mut input, &mut buf)
                .await
                .map_err(|e| DataError::Remote {
                    url: url.to_string(),
                    message: format!("reading {}: {e}", file.display()),
                })?;
            if n == 0 {
                return Ok(());
            }
            upload
                .put_part(bytes_of(&buf[..n]))
                .await
                .map_err(|e| remote_error(url, e))?;
            sent += n as u64;
            if !progress(sent) {
                return Err(DataError::Remote {
                    url: url.to_string(),
                    message: "upload cancelled".into(),
                });
            }
        }
    }
    .await;
    match outcome {
        Ok(()) => {
            upload.complete().await.map_err(|e| remote_error(url, e))?;
            Ok(sent)
        }
        Err(e) => {
            let _ = upload.abort().await;
            Err(e)
        }
    }
}

fn bytes_of(data: &[u8]) -> object_store::PutPayload {
    object_store::PutPayload::from(data.to_vec())
}

async fn read_full(input: &mut tokio::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    use tokio::io::AsyncReadExt;
    let mut filled = 0;
    while filled < buf.len() {
        let n = input.read(&mut buf[filled..]).await?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    Ok(filled)
}

/// The object's version fingerprint (a hash of URL, ETag, size and modification time) and
/// size, from one metadata request: what profiles and results of remote data sets are keyed by.
pub async fn fingerprint(url: &str, access: &RemoteAccess) -> Result<(String, u64), DataError> {
    let (version, size) = if StoreKind::of(url)? == StoreKind::Gcs {
        let info = gcs::Gcs::connect(url, access)
            .await?
            .head(&object_name(url)?)
            .await?;
        (info.version(), info.bytes())
    } else {
        let at = open_store(url, access)?;
        let meta = at
            .store
            .head(&at.path)
            .await
            .map_err(|e| remote_error(url, e))?;
        (version_of(&meta), meta.size)
    };
    let key = format!("{url}\n{version}\n{size}");
    Ok((blake3::hash(key.as_bytes()).to_hex().to_string(), size))
}

/// An object's version as its store reports it: ETag and modification time.
fn version_of(meta: &object_store::ObjectMeta) -> String {
    format!(
        "{}|{}",
        meta.e_tag.as_deref().unwrap_or(""),
        meta.last_modified
    )
}

/// Fetches the object at `url` into the local cache (once per ETag) and returns the local copy.
/// The copy is written to a temporary file and renamed, so an interrupted fetch leaves nothing.
pub async fn fetch_to_cache(url: &str, access: &RemoteAccess) -> Result<PathBuf, DataError> {
    if StoreKind::of(url)? == StoreKind::Gcs {
        return fetch_gcs(url, access).await;
    }
    let at = open_store(url, access)?;
    let meta = at
        .store
        .head(&at.path)
        .await
        .map_err(|e| remote_error(url, e))?;
    let target = cache_path(url, access, &version_of(&meta), meta.size)?;
    if let CachePath::Fresh(path) = target {
        return Ok(path);
    }
    let stream = at
        .store
        .get(&at.path)
        .await
        .map_err(|e| remote_error(url, e))?
        .into_stream()
        .map(|chunk| chunk.map_err(|e| remote_error(url, e)));
    write_cache(url, access, target.path(), stream).await
}

async fn fetch_gcs(url: &str, access: &RemoteAccess) -> Result<PathBuf, DataError> {
    let store = gcs::Gcs::connect(url, access).await?;
    let name = object_name(url)?;
    let info = store.head(&name).await?;
    let target = cache_path(url, access, &info.version(), info.bytes())?;
    if let CachePath::Fresh(path) = target {
        return Ok(path);
    }
    let stream = store
        .download(&name, None)
        .await?
        .bytes_stream()
        .map(|chunk| {
            chunk.map_err(|e| DataError::Remote {
                url: url.to_string(),
                message: format!("download interrupted: {e}"),
            })
        });
    write_cache(url, access, target.path(), stream).await
}

enum CachePath {
    Fresh(PathBuf),
    Stale(PathBuf),
}

impl CachePath {
    fn path(&self) -> &Path {
        match self {
            Self::Fresh(p) | Self::Stale(p) => p,
        }
    }
}

/// The cache file for this version of the object, and whether it is complete already.
fn cache_path(
    url: &str,
    access: &RemoteAccess,
    version: &str,
    size: u64,
) -> Result<CachePath, DataError> {
    let dir = access.cache_dir();
    std::fs::create_dir_all(&dir).map_err(|e| DataError::Remote {
        url: url.to_string(),
        message: format!("caching in {}: {e}", dir.display()),
    })?;
    let key = format!("{url}\n{version}");
    let name = url.rsplit('/').next().unwrap_or("object");
    let target = dir.join(format!(
        "{}-{}",
        &blake3::hash(key.as_bytes()).to_hex()[..16],
        sanitize(name)
    ));
    Ok(
        if std::fs::metadata(&target).is_ok_and(|m| m.len() == size) {
            CachePath::Fresh(target)
        } else {
            CachePath::Stale(target)
        },
    )
}

/// Writes a download to a temporary file and renames it into place once complete.
async fn write_cache(
    url: &str,
    access: &RemoteAccess,
    target: &Path,
    mut stream: impl futures::Stream<Item = Result<bytes::Bytes, DataError>> + Unpin,
) -> Result<PathBuf, DataError> {
    let dir = access.cache_dir();
    let io = |e: std::io::Error| DataError::Remote {
        url: url.to_string(),
        message: format!("caching in {}: {e}", dir.display()),
    };
    let partial = target.with_extension("partial");
    let mut out = std::fs::File::create(&partial).map_err(io)?;
    let written: Result<(), DataError> = async {
        use std::io::Write;
        while let Some(chunk) = stream.next().await {
            out.write_all(&chunk?).map_err(io)?;
        }
        out.sync_all().map_err(io)
    }
    .await;
    if let Err(e) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    std::fs::rename(&partial, target).map_err(io)?;
    Ok(target.to_path_buf())
}

/// The object name inside the bucket or container, percent-decoded: what [`list`] reports as
/// an entry's path.
pub fn object_name(url: &str) -> Result<String, DataError> {
    let parsed = Url::parse(url).map_err(|e| DataError::Remote {
        url: url.to_string(),
        message: format!("not a valid URL: {e}"),
    })?;
    Ok(object_path(&parsed).to_string())
}

fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// polars' cloud options for scanning `url` with these settings.
pub(crate) fn cloud_options(
    url: &str,
    access: &RemoteAccess,
) -> Result<polars::prelude::cloud::CloudOptions, DataError> {
    use polars::prelude::cloud::CloudOptions;
    let scheme = polars::prelude::CloudScheme::from_path(url);
    let limits = [("connect_timeout", "5s"), ("timeout", "120s")]
        .into_iter()
        .filter(|(k, _)| !access.options.contains_key(*k));
    let options = access.options().chain(limits);
    CloudOptions::from_untyped_config(scheme, options).map_err(|e| DataError::Remote {
        url: url.to_string(),
        message: format!("connection options: {e}"),
    })
}

/// Runs a remote operation to completion from synchronous code (a blocking worker thread, never
/// an async task).
pub fn block_on<T>(
    future: impl std::future::Future<Output = Result<T, DataError>>,
) -> Result<T, DataError> {
    static RUNTIME: OnceLock<Result<tokio::runtime::Runtime, String>> = OnceLock::new();
    let runtime = RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("assay-remote")
            .enable_all()
            .build()
            .map_err(|e| e.to_string())
    });
    match runtime {
        Ok(rt) => rt.block_on(future),
        Err(e) => Err(DataError::Invalid(format!(
            "cannot start the I/O runtime: {e}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_failures_read_as_one_actionable_line() {
        let s3 = "Generic S3 error: Error performing list request: Error performing GET http://127.0.0.1:1/lake in 2ms - Server returned non-2xx status code: 403 Forbidden: <?xml version=\"1.0\"?><Error><Code>SignatureDoesNotMatch</Code><Message>...</Message></Error>";
        assert_eq!(
            explain_failure(s3),
            format!("{CREDENTIALS_REFUSED} [SignatureDoesNotMatch]")
        );
        let missing = "Server returned non-2xx status code: 404 Not Found: <Error><Code>NoSuchBucket</Code></Error>";
        assert_eq!(
            explain_failure(missing),
            "the bucket or container does not exist [NoSuchBucket]"
        );
        let down = "Generic S3 error: Error performing GET http://127.0.0.1:9/x after 3 retries - HTTP error: error sending request\ntcp connect error: Connection refused (os error 111)";
        assert!(explain_failure(down).starts_with("cannot reach the server"));
    }

    #[test]
    fn object_paths_decode_once() {
        for url in ["s3://b/x/résumé.csv", "s3://b/x/r%C3%A9sum%C3%A9.csv"] {
            let path = object_path(&Url::parse(url).expect("url"));
            assert_eq!(path.as_ref(), "x/résumé.csv", "{url}");
        }
        let spaced = object_path(&Url::parse("s3://b/a%20b.csv").expect("url"));
        assert_eq!(spaced.as_ref(), "a b.csv");
    }

    #[test]
    fn urls_name_their_store() {
        assert_eq!(StoreKind::of("s3://b/k").ok(), Some(StoreKind::S3));
        assert_eq!(
            StoreKind::of("abfss://c@a.dfs.core.windows.net/k").ok(),
            Some(StoreKind::Azure)
        );
        assert_eq!(StoreKind::of("gs://b").ok(), Some(StoreKind::Gcs));
        assert!(StoreKind::of("ftp://x").is_err());
        assert!(
            is_remote("https://x/y.csv") && !is_remote("/data/x.csv") && !is_remote("file:///x")
        );
    }
}
