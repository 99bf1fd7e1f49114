//! `GET /metrics`: the server's counters in Prometheus text format — requests by route and
//! status, request latency, decisions by kind and outcome, and how long answers waited for
//! their audit record to become durable (the audit lag a client feels). One registry per
//! process (each replica is scraped on its own); it holds counts only, never a request, a name
//! or a key, so it is served without a key like `/healthz`.

use axum::extract::{MatchedPath, Request};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use std::sync::OnceLock;
use std::time::Instant;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct DecisionLabels {
    kind: String,
    outcome: String,
}

type Buckets = fn() -> Histogram;

fn latency_buckets() -> Histogram {
    // 100 µs … ~6.5 s.
    Histogram::new(exponential_buckets(0.0001, 2.0, 17))
}

/// The process's metrics.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram, Buckets>,
    decisions: Family<DecisionLabels, Counter>,
    audit_wait: Histogram,
}

impl Metrics {
    fn new() -> Metrics {
        let mut registry = Registry::default();
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RouteLabels, Histogram, Buckets>::new_with_constructor(
            latency_buckets as Buckets,
        );
        let decisions = Family::<DecisionLabels, Counter>::default();
        let audit_wait = latency_buckets();
        registry.register(
            "chipgate_requests",
            "HTTP requests by route and status",
            requests.clone(),
        );
        registry.register(
            "chipgate_request_duration_seconds",
            "Time to answer a request, by route",
            latency.clone(),
        );
        registry.register(
            "chipgate_decisions",
            "Answers by kind (check, screen, classify) and outcome (decision, screening status, ECCN)",
            decisions.clone(),
        );
        registry.register(
            "chipgate_audit_wait_seconds",
            "Time an answer waited for its audit record to be durable",
            audit_wait.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            decisions,
            audit_wait,
        }
    }
}

/// The process-wide metrics.
pub fn metrics() -> &'static Metrics {
    static M: OnceLock<Metrics> = OnceLock::new();
    M.get_or_init(Metrics::new)
}

/// Counts an answer (`kind`: check, screen, classify; `outcome`: its decision or status).
pub fn decision(kind: &str, outcome: &str) {
    metrics()
        .decisions
        .get_or_create(&DecisionLabels {
            kind: kind.to_string(),
            outcome: outcome.to_string(),
        })
        .inc();
}

/// Records how long an answer waited for its audit record.
pub fn audit_wait(seconds: f64) {
    metrics().audit_wait.observe(seconds);
}

/// Middleware counting each routed request and timing it (the route template, never the
/// concrete path, so a chip name in `/v1/chips/{name}` adds no label).
pub async fn track(req: Request, next: Next) -> Response {
    let method = req.method().as_str().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let start = Instant::now();
    let resp = next.run(req).await;
    let m = metrics();
    m.latency
        .get_or_create(&RouteLabels {
            method: method.clone(),
            route: route.clone(),
        })
        .observe(start.elapsed().as_secs_f64());
    m.requests
        .get_or_create(&RequestLabels {
            method,
            route,
            status: resp.status().as_u16(),
        })
        .inc();
    resp
}

/// `GET /metrics`.
pub async fn handler() -> Response {
    let mut body = String::new();
    if let Err(e) = encode(&mut body, &metrics().registry) {
        return super::error::ApiError::internal(format!("encoding metrics: {e}")).into_response();
    }
    let mut resp = body.into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
    );
    resp
}
