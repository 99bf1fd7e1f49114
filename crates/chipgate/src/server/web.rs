//! The web page: one HTML page, one script and one style sheet, compiled into the binary
//! (`include_str!`, no front-end build, nothing fetched from elsewhere, so it works offline)
//! and served without a key at `/` and `/ui/…` (with `/ui/config.json`, the shipped
//! scenarios' names for the page's menus). The page holds no secret: the user pastes an
//! API key, the browser keeps it for the session (`sessionStorage`) and sends it as the bearer
//! token on every call to the `/v1` endpoints, so each answer the page shows is an API answer,
//! checked and audited like any other.

use axum::http::{header, HeaderName, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

const INDEX: &str = include_str!("web/index.html");
const SCRIPT: &str = include_str!("web/app.js");
const STYLE: &str = include_str!("web/app.css");

/// Scripts and styles from this server only; no plugins, no framing by other sites. Inline
/// styles are allowed for the order-book report (shown in a sandboxed frame) and the SVG
/// pictures, which carry their own.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data: blob:; connect-src 'self'; frame-src 'self' blob: data:; \
    base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

fn asset(content_type: &'static str, body: &'static str) -> Response {
    let mut resp = body.into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        HeaderName::from_static("content-security-policy"),
        HeaderValue::from_static(CSP),
    );
    resp
}

async fn index() -> Response {
    asset("text/html; charset=utf-8", INDEX)
}

async fn script() -> Response {
    asset("text/javascript; charset=utf-8", SCRIPT)
}

async fn style() -> Response {
    asset("text/css; charset=utf-8", STYLE)
}

/// What the page needs to know before signing in: the shipped scenarios' names (public, like
/// the page itself; no rule or list data).
async fn config() -> Response {
    let body = serde_json::json!({"scenarios": super::scenarios::shipped_names()}).to_string();
    let mut resp = body.into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    resp
}

/// The page's routes (no key needed); merged into the application by `server::router`.
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/", get(index))
        .route("/ui/app.js", get(script))
        .route("/ui/app.css", get(style))
        .route("/ui/config.json", get(config))
}
