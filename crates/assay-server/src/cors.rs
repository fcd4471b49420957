//! Cross-origin calls: the desktop app's webview (`tauri://localhost`, `http://tauri.localhost`)
//! and browser UIs on other origins call a remote server. With tokens any origin may call (the
//! token is the gate); without, only loopback and the desktop app's origins, and requests that
//! a page of another site sends anyway (a form post, or a DNS-rebinding page) are refused, since
//! CORS alone only hides the answer.

use std::time::Duration;

use assay_app::{ApiError, ErrorCode};
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// The CORS layer: answers preflights and allows `Authorization` and `Content-Type`.
pub(crate) fn layer(with_tokens: bool) -> CorsLayer {
    let origin = if with_tokens {
        AllowOrigin::any()
    } else {
        AllowOrigin::predicate(|origin, _| is_local(origin))
    };
    CorsLayer::new()
        .allow_origin(origin)
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::ACCEPT])
        .max_age(Duration::from_secs(600))
}

/// Middleware for servers without tokens: refuses requests from pages of other sites.
pub(crate) async fn refuse_foreign_origins(request: Request, next: Next) -> Response {
    match request.headers().get(header::ORIGIN) {
        Some(origin) if !is_local(origin) => {
            tracing::warn!(origin = ?origin, "request from another site refused");
            let error = ApiError::new(
                ErrorCode::PermissionDenied,
                "this Assay server has no token, so it answers only pages from this machine",
            );
            (StatusCode::FORBIDDEN, axum::Json(error)).into_response()
        }
        _ => next.run(request).await,
    }
}

/// Whether `origin` is a page served from this machine or the desktop app.
fn is_local(origin: &HeaderValue) -> bool {
    let Some((scheme, rest)) = origin.to_str().ok().and_then(|o| o.split_once("://")) else {
        return false;
    };
    let host = match rest.strip_prefix('[') {
        Some(v6) => v6.split_once(']').map_or("", |(h, _)| h),
        None => rest.split(':').next().unwrap_or(""),
    };
    match scheme {
        "http" | "https" => matches!(host, "localhost" | "127.0.0.1" | "::1" | "tauri.localhost"),
        "tauri" => host == "localhost",
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_origins() {
        let local = |o: &str| is_local(&HeaderValue::from_str(o).expect("header"));
        for o in [
            "http://localhost:5173",
            "http://127.0.0.1:7878",
            "http://[::1]:80",
            "tauri://localhost",
            "http://tauri.localhost",
        ] {
            assert!(local(o), "{o}");
        }
        for o in [
            "https://evil.example",
            "http://localhost.evil.example",
            "http://127.0.0.1.nip.io",
            "tauri://evil",
            "null",
        ] {
            assert!(!local(o), "{o}");
        }
    }
}
