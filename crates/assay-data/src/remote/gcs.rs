//! Google Cloud Storage through its JSON API (list, metadata, ranged media download, one-shot
//! media upload). object_store's GCS client speaks the XML API, which `gcp-storage-emulator` and
//! other emulators only partly implement (no HEAD, no XML listing, no XML multipart); the JSON
//! API is implemented by GCS and the emulators alike. Tokens come from object_store's credential
//! providers, so service-account keys and application-default credentials work as elsewhere.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use futures::StreamExt;
use object_store::gcp::GoogleCloudStorageBuilder;
use serde::Deserialize;

use super::{RemoteAccess, RemoteEntry, client_options, retry};
use crate::DataError;

const DEFAULT_BASE: &str = "https://storage.googleapis.com";

/// A bucket reached through the JSON API.
pub(super) struct Gcs {
    http: reqwest::Client,
    base: String,
    bucket: String,
    bearer: String,
    url: String,
}

/// Object metadata as the JSON API reports it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ObjectInfo {
    name: String,
    size: String,
    updated: Option<String>,
    etag: Option<String>,
    generation: Option<String>,
}

impl ObjectInfo {
    /// Size in bytes.
    pub(super) fn bytes(&self) -> u64 {
        self.size.parse().unwrap_or(0)
    }

    /// A version key for caching.
    pub(super) fn version(&self) -> String {
        format!(
            "{}|{}|{}",
            self.etag.as_deref().unwrap_or(""),
            self.generation.as_deref().unwrap_or(""),
            self.updated.as_deref().unwrap_or("")
        )
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Listing {
    #[serde(default)]
    prefixes: Vec<String>,
    #[serde(default)]
    items: Vec<ObjectInfo>,
    next_page_token: Option<String>,
}

fn encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

impl Gcs {
    /// Connects to the bucket of `url` (`gs://bucket/...`) with these settings.
    pub(super) async fn connect(url: &str, access: &RemoteAccess) -> Result<Self, DataError> {
        let failed = |message: String| DataError::Remote {
            url: url.to_string(),
            message,
        };
        let mut builder = GoogleCloudStorageBuilder::from_env()
            .with_url(url)
            .with_client_options(client_options())
            .with_retry(retry());
        let mut base = DEFAULT_BASE.to_string();
        for (k, v) in access.options() {
            if k == "google_base_url" {
                base = v.trim_end_matches('/').to_string();
            }
            let key = k.parse().map_err(|_| super::bad_option(url, k))?;
            builder = builder.with_config(key, v);
        }
        let store = builder.build().map_err(|e| super::remote_error(url, e))?;
        let bearer = store
            .credentials()
            .get_credential()
            .await
            .map_err(|e| super::remote_error(url, e))?
            .bearer
            .clone();
        let bucket = url::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .ok_or_else(|| failed("no bucket in the URL".into()))?;
        let http = reqwest::Client::builder()
            .connect_timeout(std::time::Duration::from_secs(5))
            .timeout(std::time::Duration::from_secs(300))
            .build()
            .map_err(|e| failed(e.to_string()))?;
        Ok(Self {
            http,
            base,
            bucket,
            bearer,
            url: url.to_string(),
        })
    }

    fn authed(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        if self.bearer.is_empty() {
            request
        } else {
            request.bearer_auth(&self.bearer)
        }
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Result<reqwest::Response, DataError> {
        let response = self
            .authed(request)
            .send()
            .await
            .map_err(|e| self.error(super::explain_failure(&super::with_causes(&e))))?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let body = response.text().await.unwrap_or_default();
        Err(match status.as_u16() {
            404 => DataError::NotFound {
                path: self.url.clone(),
            },
            401 => self.error("the credentials were refused (check the key or token)".into()),
            403 => self.error("permission denied".into()),
            _ => self.error(format!(
                "{status}: {}",
                body.chars().take(300).collect::<String>()
            )),
        })
    }

    fn error(&self, message: String) -> DataError {
        DataError::Remote {
            url: self.url.clone(),
            message,
        }
    }

    fn object_url(&self, name: &str) -> String {
        format!(
            "{}/storage/v1/b/{}/o/{}",
            self.base,
            self.bucket,
            encode(name)
        )
    }

    /// The folders and objects directly under `prefix` (empty for the bucket's root).
    pub(super) async fn list(&self, prefix: &str) -> Result<Vec<RemoteEntry>, DataError> {
        let mut dirs = Vec::new();
        let mut files = Vec::new();
        let mut page: Option<String> = None;
        loop {
            let mut query = vec![
                ("delimiter", "/".to_string()),
                ("prefix", prefix.to_string()),
            ];
            if let Some(token) = &page {
                query.push(("pageToken", token.clone()));
            }
            let request = self
                .http
                .get(format!("{}/storage/v1/b/{}/o", self.base, self.bucket))
                .query(&query);
            let listing: Listing = self
                .send(request)
                .await?
                .json()
                .await
                .map_err(|e| self.error(format!("unreadable listing: {e}")))?;
            dirs.extend(listing.prefixes.into_iter().map(|p| RemoteEntry {
                path: p.trim_end_matches('/').to_string(),
                is_dir: true,
                bytes: 0,
                modified: None,
            }));
            files.extend(listing.items.into_iter().map(|o| RemoteEntry {
                bytes: o.bytes(),
                path: o.name,
                is_dir: false,
                modified: o.updated,
            }));
            match listing.next_page_token {
                Some(t) if !t.is_empty() => page = Some(t),
                _ => break,
            }
        }
        dirs.extend(files);
        Ok(dirs)
    }

    /// The metadata of one object.
    pub(super) async fn head(&self, name: &str) -> Result<ObjectInfo, DataError> {
        self.send(self.http.get(self.object_url(name)))
            .await?
            .json()
            .await
            .map_err(|e| self.error(format!("unreadable object metadata: {e}")))
    }

    /// The object's bytes `start..end` (`end` exclusive), or all of them.
    pub(super) async fn download(
        &self,
        name: &str,
        range: Option<(u64, u64)>,
    ) -> Result<reqwest::Response, DataError> {
        let mut request = self
            .http
            .get(self.object_url(name))
            .query(&[("alt", "media")]);
        if let Some((start, end)) = range {
            request = request.header("Range", format!("bytes={start}-{}", end.saturating_sub(1)));
        }
        self.send(request).await
    }

    /// Uploads a local file as one object in a single request: the object appears whole or not
    /// at all. `progress` gets the bytes read so far and returns false to cancel.
    pub(super) async fn upload(
        &self,
        file: &Path,
        name: &str,
        mut progress: impl FnMut(u64) -> bool + Send,
    ) -> Result<u64, DataError> {
        let size = std::fs::metadata(file)
            .map(|m| m.len())
            .map_err(|_| DataError::NotFound {
                path: file.display().to_string(),
            })?;
        let input = tokio::fs::File::open(file)
            .await
            .map_err(|_| DataError::NotFound {
                path: file.display().to_string(),
            })?;
        let sent = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let body = reqwest::Body::wrap_stream(chunks(input, sent.clone(), stop.clone()));
        let request = self
            .http
            .post(format!(
                "{}/upload/storage/v1/b/{}/o",
                self.base, self.bucket
            ))
            .query(&[("uploadType", "media"), ("name", name)])
            .header("Content-Type", "application/octet-stream")
            .header("Content-Length", size)
            .body(body);
        let upload = self.send(request);
        tokio::pin!(upload);
        loop {
            tokio::select! {
                done = &mut upload => {
                    return match done {
                        Ok(_) => Ok(size),
                        Err(_) if stop.load(Ordering::Relaxed) => Err(self.error("upload cancelled".into())),
                        Err(e) => Err(e),
                    };
                }
                _ = tokio::time::sleep(std::time::Duration::from_millis(200)) => {
                    if !progress(sent.load(Ordering::Relaxed)) {
                        stop.store(true, Ordering::Relaxed);
                    }
                }
            }
        }
    }
}

/// The file as a stream of chunks, counting bytes into `sent`; once `stop` is set the stream
/// ends in an error, so the upload request fails and no object is created.
fn chunks(
    input: tokio::fs::File,
    sent: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
) -> impl futures::Stream<Item = Result<Vec<u8>, std::io::Error>> + Send + 'static {
    futures::stream::unfold((input, false), move |(mut input, failed)| {
        let sent = sent.clone();
        let stop = stop.clone();
        async move {
            use tokio::io::AsyncReadExt;
            if failed {
                return None;
            }
            if stop.load(Ordering::Relaxed) {
                let cancelled = std::io::Error::other("upload cancelled");
                return Some((Err(cancelled), (input, true)));
            }
            let mut buf = vec![0u8; 1 << 20];
            match input.read(&mut buf).await {
                Ok(0) => None,
                Ok(n) => {
                    buf.truncate(n);
                    sent.fetch_add(n as u64, Ordering::Relaxed);
                    Some((Ok(buf), (input, false)))
                }
                Err(e) => Some((Err(e), (input, true))),
            }
        }
    })
    .boxed()
}
