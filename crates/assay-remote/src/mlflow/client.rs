//! The HTTP side of the MLflow client: authentication, time limits, retries with backoff for
//! idempotent requests and refused connections, MLflow's error bodies, the server version.

use std::time::Duration;

use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::de::DeserializeOwned;

use super::MlflowError;

/// Time allowed to open a connection.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Time allowed for one whole request.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// Time allowed for the version check, the first call to a server.
pub const VERSION_TIMEOUT: Duration = Duration::from_secs(10);
/// The REST API's prefix.
pub(crate) const API: &str = "api/2.0/mlflow";
/// The proxied artifact API's prefix.
pub(crate) const ARTIFACTS_API: &str = "api/2.0/mlflow-artifacts/artifacts";

/// How the client proves who it is.
#[derive(Clone, Default)]
pub enum MlflowAuth {
    /// No credentials.
    #[default]
    None,
    /// `Authorization: Bearer <token>` (Databricks, reverse proxies).
    Bearer(String),
    /// HTTP basic authentication (MLflow's own auth app).
    Basic {
        /// User name.
        username: String,
        /// Password.
        password: String,
    },
}

impl std::fmt::Debug for MlflowAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::None => "None",
            Self::Bearer(_) => "Bearer(..)",
            Self::Basic { .. } => "Basic(..)",
        })
    }
}

/// Which failures are retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retry {
    /// Reads and idempotent writes: connection errors, time-outs, 429 and 5xx gateways.
    Idempotent,
    /// Other writes: only when the connection was never made (the request was not sent).
    ConnectOnly,
}

/// A client of one MLflow tracking server.
#[derive(Debug, Clone)]
pub struct MlflowClient {
    base: reqwest::Url,
    http: reqwest::Client,
    auth: MlflowAuth,
    attempts: u32,
    backoff: Duration,
}

impl MlflowClient {
    /// A client of the server at `url` (e.g. `http://127.0.0.1:5000`, optionally with a path).
    pub fn new(url: &str, auth: MlflowAuth) -> Result<Self, MlflowError> {
        let config = |message: String| MlflowError::Config {
            url: url.to_string(),
            message,
        };
        let mut base = reqwest::Url::parse(url.trim()).map_err(|e| config(e.to_string()))?;
        if !matches!(base.scheme(), "http" | "https") {
            return Err(config("the URL must start with http:// or https://".into()));
        }
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .user_agent(concat!("assay/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| config(e.to_string()))?;
        Ok(Self {
            base,
            http,
            auth,
            attempts: 4,
            backoff: Duration::from_millis(250),
        })
    }

    /// Changes how many times a request is tried and the first pause (doubled each retry).
    pub fn with_retries(mut self, attempts: u32, backoff: Duration) -> Self {
        self.attempts = attempts.max(1);
        self.backoff = backoff;
        self
    }

    /// The server's base URL, as given.
    pub fn url(&self) -> &str {
        self.base.as_str().trim_end_matches('/')
    }

    /// The URL of `path` (segments separated by `/`, each percent-encoded) under the server.
    pub(crate) fn endpoint(&self, path: &str) -> reqwest::Url {
        let mut url = self.base.clone();
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.pop_if_empty();
            segments.extend(path.split('/').filter(|s| !s.is_empty()));
        }
        url
    }

    /// A request with the connection's credentials.
    pub(crate) fn request(&self, method: Method, url: reqwest::Url) -> RequestBuilder {
        let builder = self.http.request(method, url);
        match &self.auth {
            MlflowAuth::None => builder,
            MlflowAuth::Bearer(token) => builder.bearer_auth(token),
            MlflowAuth::Basic { username, password } => {
                builder.basic_auth(username, Some(password))
            }
        }
    }

    /// Sends the request `make` builds (again on each attempt), retrying as `retry` allows,
    /// and turns error statuses into [`MlflowError`].
    pub(crate) async fn send(
        &self,
        retry: Retry,
        make: impl Fn() -> Result<RequestBuilder, MlflowError>,
    ) -> Result<Response, MlflowError> {
        let mut pause = self.backoff;
        let mut attempt = 1;
        loop {
            let outcome = match make()?.send().await {
                Ok(response) => self.check(response).await,
                Err(e) => Err(self.network_error(&e)),
            };
            match outcome {
                Err(e) if attempt < self.attempts && self.retryable(retry, &e) => {
                    tracing::debug!(server = %self.url(), attempt, error = %e, "retrying");
                    tokio::time::sleep(pause).await;
                    pause *= 2;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    fn retryable(&self, retry: Retry, e: &MlflowError) -> bool {
        match retry {
            Retry::Idempotent => e.is_transient(),
            Retry::ConnectOnly => {
                matches!(e, MlflowError::Unreachable { message, .. } if message.starts_with(REFUSED))
            }
        }
    }

    fn network_error(&self, e: &reqwest::Error) -> MlflowError {
        let url = self.url().to_string();
        if e.is_timeout() {
            let seconds = if e.is_connect() {
                CONNECT_TIMEOUT
            } else {
                REQUEST_TIMEOUT
            };
            return MlflowError::Timeout {
                url,
                seconds: seconds.as_secs(),
            };
        }
        let mut message = if e.is_connect() {
            REFUSED.to_string()
        } else {
            "the connection broke".to_string()
        };
        let mut cause = std::error::Error::source(e);
        let mut last = None;
        while let Some(c) = cause {
            last = Some(c.to_string());
            cause = c.source();
        }
        if let Some(last) = last {
            message.push_str(&format!(" ({last})"));
        }
        MlflowError::Unreachable { url, message }
    }

    /// Passes a success through; reads an error body into [`MlflowError`].
    async fn check(&self, response: Response) -> Result<Response, MlflowError> {
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let body = response.text().await.unwrap_or_default();
        Err(error_from(self.url(), status, &body))
    }

    /// GETs `path` with a query and parses the JSON answer.
    pub(crate) async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<T, MlflowError> {
        let url = self.endpoint(path);
        let response = self
            .send(Retry::Idempotent, || {
                Ok(self.request(Method::GET, url.clone()).query(query))
            })
            .await?;
        self.json(response).await
    }

    /// POSTs a JSON body to `path` and parses the JSON answer.
    pub(crate) async fn post<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &serde_json::Value,
        retry: Retry,
    ) -> Result<T, MlflowError> {
        let url = self.endpoint(path);
        let response = self
            .send(retry, || {
                Ok(self.request(Method::POST, url.clone()).json(body))
            })
            .await?;
        self.json(response).await
    }

    pub(crate) async fn json<T: DeserializeOwned>(
        &self,
        response: Response,
    ) -> Result<T, MlflowError> {
        let bytes = response.bytes().await.map_err(|e| self.network_error(&e))?;
        let text = if bytes.is_empty() {
            b"{}".as_slice()
        } else {
            &bytes
        };
        serde_json::from_slice(text).map_err(|e| MlflowError::NotMlflow {
            url: self.url().to_string(),
            message: format!("unexpected answer ({e}): {}", snippet(&bytes)),
        })
    }

    /// The server's MLflow version, refused unless its major version is 2 or 3.
    pub async fn check_version(&self) -> Result<String, MlflowError> {
        let url = self.endpoint("version");
        let response = self
            .send(Retry::Idempotent, || {
                Ok(self
                    .request(Method::GET, url.clone())
                    .timeout(VERSION_TIMEOUT))
            })
            .await
            .map_err(|e| match e {
                MlflowError::Timeout { url, seconds } if seconds == REQUEST_TIMEOUT.as_secs() => {
                    MlflowError::Timeout {
                        url,
                        seconds: VERSION_TIMEOUT.as_secs(),
                    }
                }
                other => other,
            })
            .map_err(|e| match e {
                MlflowError::Server { status, .. } if status != 500 => MlflowError::NotMlflow {
                    url: self.url().to_string(),
                    message: format!("GET /version answered HTTP {status}"),
                },
                other => other,
            })?;
        let text = response.text().await.map_err(|e| self.network_error(&e))?;
        supported_version(self.url(), text.trim())
    }
}

/// What a refused or failed connection's message starts with.
const REFUSED: &str = "no connection could be made";

/// Checks a `/version` answer: MLflow 2.x and 3.x are spoken.
pub(crate) fn supported_version(url: &str, text: &str) -> Result<String, MlflowError> {
    let major = text
        .split('.')
        .next()
        .and_then(|m| m.parse::<u32>().ok())
        .filter(|_| text.len() < 40 && text.contains('.'));
    match major {
        None => Err(MlflowError::NotMlflow {
            url: url.to_string(),
            message: format!("GET /version answered {}", snippet(text.as_bytes())),
        }),
        Some(2 | 3) => Ok(text.to_string()),
        Some(_) => Err(MlflowError::UnsupportedVersion {
            url: url.to_string(),
            version: text.to_string(),
        }),
    }
}

/// MLflow's `{error_code, message}`, or a description of whatever else came back.
pub(crate) fn error_from(url: &str, status: StatusCode, body: &str) -> MlflowError {
    #[derive(serde::Deserialize)]
    struct Body {
        error_code: String,
        #[serde(default)]
        message: String,
    }
    let url = url.to_string();
    if let Ok(b) = serde_json::from_str::<Body>(body) {
        return MlflowError::Server {
            url,
            status: status.as_u16(),
            code: b.error_code,
            message: b.message,
        };
    }
    if matches!(status.as_u16(), 401 | 403) {
        return MlflowError::Unauthorized {
            url,
            status: status.as_u16(),
        };
    }
    let code = match status.as_u16() {
        404 => "ENDPOINT_NOT_FOUND",
        429 => "REQUEST_LIMIT_EXCEEDED",
        500..=599 => "INTERNAL_ERROR",
        _ => "HTTP_ERROR",
    };
    MlflowError::Server {
        url,
        status: status.as_u16(),
        code: code.into(),
        message: format!("HTTP {status}: {}", snippet(body.as_bytes())),
    }
}

/// The start of a body, on one line, for messages.
fn snippet(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.is_empty() {
        return "an empty body".into();
    }
    let cut: String = line.chars().take(120).collect();
    if cut.len() < line.len() {
        format!("'{cut}…'")
    } else {
        format!("'{cut}'")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "http://mlflow.example:5000";

    #[test]
    fn mlflow_error_bodies_keep_code_and_message() {
        let e = error_from(
            URL,
            StatusCode::NOT_FOUND,
            r#"{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "Run 'x' not found"}"#,
        );
        assert!(e.is_not_found());
        assert!(!e.is_transient());
        let text = e.to_string();
        assert!(
            text.contains(URL) && text.contains("Run 'x' not found"),
            "{text}"
        );
    }

    #[test]
    fn other_bodies_are_described() {
        let e = error_from(
            URL,
            StatusCode::BAD_GATEWAY,
            "<html>\n<h1>Bad gateway</h1></html>",
        );
        assert!(e.is_transient());
        assert!(e.to_string().contains("<html> <h1>Bad gateway"), "{e}");
        let e = error_from(URL, StatusCode::UNAUTHORIZED, "");
        assert!(matches!(e, MlflowError::Unauthorized { status: 401, .. }));
        assert!(e.to_string().contains("credentials"));
    }

    #[test]
    fn versions_two_and_three_are_spoken() {
        assert_eq!(supported_version(URL, "3.17.2").expect("3"), "3.17.2");
        assert!(supported_version(URL, "2.22.0").is_ok());
        let old = supported_version(URL, "1.30.1").expect_err("1.x");
        assert!(matches!(old, MlflowError::UnsupportedVersion { .. }));
        assert!(old.to_string().contains("MLflow 1.30.1"), "{old}");
        assert!(matches!(
            supported_version(URL, "<!doctype html><html>"),
            Err(MlflowError::NotMlflow { .. })
        ));
    }

    #[test]
    fn endpoints_encode_each_segment() {
        let client = MlflowClient::new("http://h:5000/prefix", MlflowAuth::None).expect("client");
        let url =
            client.endpoint("api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/notes/résumé v2.txt");
        assert_eq!(
            url.as_str(),
            "http://h:5000/prefix/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts/notes/r%C3%A9sum%C3%A9%20v2.txt"
        );
        assert_eq!(client.url(), "http://h:5000/prefix");
        assert!(MlflowClient::new("ftp://h", MlflowAuth::None).is_err());
    }

    #[tokio::test]
    async fn a_server_that_never_answers_times_out_once() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let hold = tokio::spawn(async move {
            let mut open = Vec::new();
            while let Ok((socket, _)) = listener.accept().await {
                open.push(socket);
            }
        });
        let client = MlflowClient::new(&format!("http://127.0.0.1:{port}"), MlflowAuth::None)
            .expect("client")
            .with_retries(4, Duration::from_millis(10));
        let started = std::time::Instant::now();
        let e = client.check_version().await.expect_err("silent");
        hold.abort();
        assert!(matches!(e, MlflowError::Timeout { seconds: 10, .. }), "{e}");
        assert!(e.to_string().contains("did not answer within 10 s"), "{e}");
        assert!(started.elapsed() < Duration::from_secs(15), "not retried");
    }

    #[tokio::test]
    async fn a_server_that_is_down_fails_fast_after_retries() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        drop(listener);
        let client = MlflowClient::new(&format!("http://127.0.0.1:{port}"), MlflowAuth::None)
            .expect("client")
            .with_retries(3, Duration::from_millis(10));
        let started = std::time::Instant::now();
        let e = client.check_version().await.expect_err("down");
        assert!(matches!(e, MlflowError::Unreachable { .. }), "{e}");
        assert!(e.to_string().contains(&format!("127.0.0.1:{port}")), "{e}");
        assert!(started.elapsed() < Duration::from_secs(5));
    }
}
