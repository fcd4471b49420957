//! Token authentication: the tokens a server accepts (from a token file or `ASSAY_TOKEN`), the
//! credentials a request presents (`Authorization: Bearer`, HTTP Basic with the token as
//! password, or `?token=` on the event stream, which `EventSource` cannot give headers), and the
//! middleware that answers 401 when none of them matches.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use assay_app::{ApiError, ErrorCode};
use axum::extract::{MatchedPath, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use subtle::ConstantTimeEq;

/// Tokens shorter than this are refused: they could be guessed.
pub const MIN_TOKEN_LEN: usize = 16;

/// The one route that also takes the token as `?token=`.
pub(crate) const QUERY_TOKEN_ROUTE: &str = "/api/events";

/// Why a token file or variable cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// The token file cannot be read.
    #[error("cannot read the token file {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// No token in the text.
    #[error("{origin} holds no token (write one token, or lines `name:token`)")]
    Empty {
        /// Where the text came from.
        origin: String,
    },
    /// A token is too short to be safe.
    #[error("{origin} line {line}: the token has fewer than {MIN_TOKEN_LEN} characters")]
    TooShort {
        /// Where the text came from.
        origin: String,
        /// 1-based line.
        line: usize,
    },
    /// A token name with characters other than letters, digits, `.`, `_`, `-`, `@`.
    #[error("{origin} line {line}: '{name}' is not a token name (letters, digits, . _ - @)")]
    BadName {
        /// Where the text came from.
        origin: String,
        /// 1-based line.
        line: usize,
        /// The name given.
        name: String,
    },
    /// Two tokens with one name, or one token under two names.
    #[error("{origin} line {line}: the name or the token appears twice")]
    Duplicate {
        /// Where the text came from.
        origin: String,
        /// 1-based line.
        line: usize,
    },
}

/// The tokens a server accepts, each with the name the audit log records for it.
pub struct Tokens {
    entries: Vec<(String, Vec<u8>)>,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<_> = self.entries.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("Tokens").field("names", &names).finish()
    }
}

impl Tokens {
    /// Parses `name:token` lines, or a single bare token (named `token`). Blank lines and lines
    /// starting with `#` are skipped. `origin` names the source in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Self, TokenError> {
        let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
        let lines = text
            .lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.trim()))
            .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'));
        for (line, text) in lines {
            let (name, token) = text.split_once(':').unwrap_or(("token", text));
            let (name, token) = (name.trim(), token.trim());
            let origin = origin.to_string();
            if !valid_name(name) {
                let name = name.to_string();
                return Err(TokenError::BadName { origin, line, name });
            }
            if token.chars().count() < MIN_TOKEN_LEN {
                return Err(TokenError::TooShort { origin, line });
            }
            if entries
                .iter()
                .any(|(n, t)| n == name || t == token.as_bytes())
            {
                return Err(TokenError::Duplicate { origin, line });
            }
            entries.push((name.to_string(), token.as_bytes().to_vec()));
        }
        if entries.is_empty() {
            return Err(TokenError::Empty {
                origin: origin.to_string(),
            });
        }
        Ok(Self { entries })
    }

    /// Reads and parses a token file.
    pub fn from_file(path: &Path) -> Result<Self, TokenError> {
        let text = std::fs::read_to_string(path).map_err(|source| TokenError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Self::parse(&text, &path.display().to_string())
    }

    /// The name of the token equal to `presented`. Every token is compared in constant time,
    /// so the answer's timing tells nothing about how much of a token matched.
    pub fn find(&self, presented: &[u8]) -> Option<&str> {
        let mut found = None;
        for (name, token) in &self.entries {
            if bool::from(token.as_slice().ct_eq(presented)) {
                found = Some(name.as_str());
            }
        }
        found
    }
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
}

/// Who made a request: the audit log's "who" (the Basic-auth user name when given, else the
/// token's name, `local` without authentication) and the token used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The name the audit log records.
    pub who: String,
    /// The name of the token presented, when the server checks tokens.
    pub token: Option<String>,
}

impl Caller {
    /// The caller of a server without tokens.
    pub fn local() -> Self {
        Self {
            who: "local".into(),
            token: None,
        }
    }
}

/// Credentials found in a request: an optional user name and the secret.
#[derive(Debug, PartialEq, Eq)]
struct Presented {
    user: Option<String>,
    secret: Vec<u8>,
}

fn from_header(value: &HeaderValue) -> Option<Presented> {
    let text = value.to_str().ok()?.trim();
    let (scheme, rest) = text.split_once(' ')?;
    let rest = rest.trim();
    if scheme.eq_ignore_ascii_case("bearer") {
        return Some(Presented {
            user: None,
            secret: rest.as_bytes().to_vec(),
        });
    }
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(rest)
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, password) = text.split_once(':')?;
    Some(Presented {
        user: (!user.is_empty()).then(|| user.to_string()),
        secret: password.as_bytes().to_vec(),
    })
}

fn from_query(uri: &Uri) -> Option<Presented> {
    let Query(query) = Query::<HashMap<String, String>>::try_from_uri(uri).ok()?;
    query.get("token").map(|t| Presented {
        user: None,
        secret: t.as_bytes().to_vec(),
    })
}

/// The caller when the request carries one of `tokens`.
fn authenticate(
    tokens: &Tokens,
    headers: &HeaderMap,
    uri: &Uri,
    allow_query: bool,
) -> Option<Caller> {
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(from_header)
        .or_else(|| allow_query.then(|| from_query(uri)).flatten())?;
    let name = tokens.find(&presented.secret)?;
    Some(Caller {
        who: presented.user.unwrap_or_else(|| name.to_string()),
        token: Some(name.to_string()),
    })
}

/// Middleware: lets requests with a valid token through (with their [`Caller`]), answers 401
/// to the others.
pub(crate) async fn require(
    State(tokens): State<Arc<Tokens>>,
    mut request: Request,
    next: Next,
) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    let allow_query = route == QUERY_TOKEN_ROUTE;
    match authenticate(&tokens, request.headers(), request.uri(), allow_query) {
        Some(caller) => {
            request.extensions_mut().insert(caller);
            next.run(request).await
        }
        None => {
            let remote = crate::audit::remote_addr(&request);
            tracing::warn!(%remote, "request refused: no valid token");
            unauthorized()
        }
    }
}

/// 401 with `WWW-Authenticate: Bearer`; the body carries Assay's `{code, message}` and MLflow's
/// `error_code`, so both kinds of client show the reason.
pub(crate) fn unauthorized() -> Response {
    let error = ApiError::new(
        ErrorCode::Unauthorized,
        "this Assay server needs a token: send `Authorization: Bearer <token>`",
    );
    let mut body = serde_json::to_value(&error).unwrap_or_default();
    body["error_code"] = "UNAUTHENTICATED".into();
    (
        StatusCode::UNAUTHORIZED,
        [(header::WWW_AUTHENTICATE, r#"Bearer realm="assay""#)],
        axum::Json(body),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "abcdefghijklmnop-alice";
    const B: &str = "qrstuvwxyz0123456-bob";

    #[test]
    fn parses_one_bare_token_or_named_lines() {
        let one = Tokens::parse(&format!("{A}\n"), "env").expect("one");
        assert_eq!(one.find(A.as_bytes()), Some("token"));
        let named =
            Tokens::parse(&format!("# team\nalice:{A}\n\nci-bot: {B}\n"), "f").expect("named");
        assert_eq!(named.find(A.as_bytes()), Some("alice"));
        assert_eq!(named.find(B.as_bytes()), Some("ci-bot"));
        assert_eq!(named.find(b"abcdefghijklmnop-alic"), None);
        assert_eq!(named.find(b""), None);
    }

    #[test]
    fn refuses_unsafe_token_files() {
        let err = |text: &str| Tokens::parse(text, "t.txt").expect_err(text).to_string();
        assert!(err("").contains("holds no token"));
        assert!(err("# only a comment\n").contains("holds no token"));
        assert!(err("short").contains("line 1: the token has fewer than 16"));
        assert!(err(&format!("bad name:{A}")).contains("'bad name'"));
        assert!(err(&format!("a:{A}\na:{B}")).contains("line 2"));
        assert!(err(&format!("a:{A}\nb:{A}")).contains("appears twice"));
    }

    fn headers(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_str(value).expect("header"),
        );
        h
    }

    fn basic(user: &str, password: &str) -> String {
        let encoded =
            base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        format!("Basic {encoded}")
    }

    #[test]
    fn bearer_basic_and_query_credentials() {
        let tokens = Tokens::parse(&format!("alice:{A}\nci:{B}"), "f").expect("tokens");
        let uri: Uri = "/api/events".parse().expect("uri");
        let who = |h: &HeaderMap, u: &Uri, q: bool| authenticate(&tokens, h, u, q);

        let bearer = who(&headers(&format!("Bearer {A}")), &uri, false).expect("bearer");
        assert_eq!(
            (bearer.who.as_str(), bearer.token.as_deref()),
            ("alice", Some("alice"))
        );
        let lower = who(&headers(&format!("bearer  {B}")), &uri, false).expect("bearer");
        assert_eq!(lower.who, "ci");

        let user = who(&headers(&basic("maria", B)), &uri, false).expect("basic");
        assert_eq!(
            (user.who.as_str(), user.token.as_deref()),
            ("maria", Some("ci"))
        );
        let anonymous = who(&headers(&basic("", A)), &uri, false).expect("basic");
        assert_eq!(anonymous.who, "alice");

        assert!(who(&headers("Bearer wrong-token-wrong-token"), &uri, false).is_none());
        assert!(who(&headers(&basic("alice", "nope")), &uri, false).is_none());
        assert!(who(&headers("Basic !!!"), &uri, false).is_none());
        assert!(who(&headers(&format!("Token {A}")), &uri, false).is_none());
        assert!(who(&HeaderMap::new(), &uri, true).is_none());

        let with_query: Uri = format!("/api/events?token={}", A.replace('-', "%2D"))
            .parse()
            .expect("uri");
        assert!(who(&HeaderMap::new(), &with_query, false).is_none());
        let caller = who(&HeaderMap::new(), &with_query, true).expect("query");
        assert_eq!(caller.who, "alice");
    }
}
