//! The route table and the layers around it: JSON errors for everything (including 404, 405,
//! 408 and 413 produced by layers), request tracing, a request time limit, a body size limit
//! and a cap on requests in flight, so a slow or hostile client cannot exhaust memory.

use super::error::ApiError;
use super::state::Shared;
use super::{auth, book, handlers, map, orders, web};
use axum::http::{header, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tower::limit::GlobalConcurrencyLimitLayer;
use tower::ServiceBuilder;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

/// Replaces any non-JSON error response (from a layer or the router) with the API's JSON error.
async fn json_errors<B>(resp: axum::http::Response<B>) -> Response
where
    B: axum::body::HttpBody<Data = axum::body::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    let resp = resp.map(axum::body::Body::new);
    let status = resp.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return resp;
    }
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        return resp;
    }
    ApiError::from_status(status).into_response()
}

/// The application: routes, auth and limits.
pub fn router(st: Shared) -> Router {
    let limits = st.limits;
    let v1 = Router::new()
        .route("/v1/classify", post(handlers::classify))
        .route("/v1/check", post(handlers::check))
        .route("/v1/screen", post(handlers::screen))
        .route("/v1/orders", post(orders::orders))
        .route("/v1/orders/report", post(book::report))
        .route("/v1/map", get(map::map))
        .route("/v1/chips", get(handlers::chips))
        .route("/v1/chips/{name}", get(handlers::chip))
        .route("/v1/rules", get(handlers::rules))
        .route("/v1/timeline", get(handlers::timeline))
        .route("/v1/admin/reload", post(handlers::admin_reload))
        .route("/match/{dataset}", post(super::yente::match_dataset))
        .route("/v1/audit/records", get(super::audit_read::records))
        .route("/v1/jobs/orders", post(super::jobs::create))
        .route("/v1/jobs/{id}", get(super::jobs::status))
        .route("/v1/jobs/{id}/results", get(super::jobs::results))
        .route_layer(middleware::from_fn_with_state(
            st.clone(),
            auth::require_key,
        ));
    Router::new()
        .route("/healthz", get(handlers::healthz))
        .route("/openapi.json", get(handlers::openapi))
        .route("/metrics", get(super::metrics::handler))
        .merge(web::routes())
        .merge(v1)
        .route_layer(middleware::from_fn(super::metrics::track))
        .fallback(handlers::not_found)
        .with_state(st)
        .layer(
            ServiceBuilder::new()
                .layer(
                    TraceLayer::new_for_http()
                        // Method and path only: a query string may carry a secret (an API
                        // key pasted into a URL) and is never logged.
                        .make_span_with(|req: &axum::http::Request<axum::body::Body>| {
                            tracing::info_span!(
                                "request",
                                method = %req.method(),
                                path = %req.uri().path(),
                                version = ?req.version(),
                            )
                        })
                        .on_response(DefaultOnResponse::new().level(Level::INFO)),
                )
                // The authenticated endpoints enforce their own (per-endpoint) body limits
                // as they read the body (`auth::require_key`); this one is the ceiling.
                .layer(RequestBodyLimitLayer::new(
                    limits.max_body.max(super::jobs::MAX_JOB_BODY),
                ))
                .layer(GlobalConcurrencyLimitLayer::new(limits.max_inflight))
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::REQUEST_TIMEOUT,
                    limits.timeout,
                )),
        )
        .layer(middleware::map_response(json_errors))
}
