//! `POST /v1/orders/report`: an order book evaluated exactly as `chipgate orders` evaluates it
//! (the same pipeline, column names, scenarios and report), for people who upload a file
//! rather than stream rows (`POST /v1/orders` answers row by row with check-request columns).
//! The answer carries the report as JSON, the report as the CLI's self-contained HTML page and
//! the per-order CSV. The whole run is one audit record: the order book and the options as the
//! request, the report as the response, recorded before the answer is sent.

use super::audit::decided;
use super::body;
use super::decide::Decided;
use super::error::ApiError;
use super::handlers::blocking;
use super::scenarios::engine_for;
use super::state::{Caller, Shared, Snapshot};
use crate::orders::{self, Config};
use crate::question::{parse_date, parse_view};
use crate::request::OrderBookQuery;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::response::Response;
use axum::Extension;
use chipgate_core::InputError;
use serde_json::json;
use std::io::Write;
use std::sync::Arc;

/// The request field an order book's own faults are reported against.
const FIELD: &str = "order_book";

/// What one evaluation produced.
struct Evaluated {
    report: serde_json::Value,
    html: String,
    csv: String,
    rulebook_fingerprint: String,
}

/// An input error, on its own field when it names one of the query's, else on the book.
fn book_error(e: anyhow::Error) -> ApiError {
    match e.downcast::<InputError>() {
        Ok(ie) if ["as_of", "view", "scenario"].contains(&ie.field.replace('-', "_").as_str()) => {
            ie.into()
        }
        Ok(ie) => {
            let mut out = ApiError::bad_request("invalid_order_book", ie.message).with_field(FIELD);
            out.detail.hint = ie.hint;
            out
        }
        Err(e) => ApiError::bad_request("invalid_order_book", format!("{e:#}"))
            .with_field(FIELD)
            .with_hint(
                "give a CSV file with a header row (order_id, date, chip, quantity, ship_to, \
                 buyer, …) or JSON Lines, as `chipgate orders` reads",
            ),
    }
}

fn internal(what: &str) -> impl Fn(std::io::Error) -> ApiError + '_ {
    move |e| ApiError::internal(format!("{what}: {e}"))
}

/// Evaluates the book (blocking: runs the pipeline on the rayon pool).
fn evaluate(snap: &Snapshot, q: &OrderBookQuery, book: &[u8]) -> Result<Evaluated, ApiError> {
    let view = parse_view(q.view.as_deref().unwrap_or("enforced"))?;
    let as_of = q
        .as_of
        .as_deref()
        .map(|d| parse_date("as_of", d))
        .transpose()?;
    let mut engines = vec![snap.engine.clone()];
    let mut title = None;
    if let Some(s) = q.scenario.as_deref().filter(|s| !s.trim().is_empty()) {
        title = Some(super::scenarios::parse(s)?.title);
        engines.push(engine_for(&snap.engine, Some(s))?.into_owned());
    }
    let dir = tempfile::tempdir().map_err(internal("creating a work directory"))?;
    // No extension: the pipeline tells CSV from JSON Lines by the first character.
    let input = dir.path().join("order-book");
    std::fs::File::create(&input)
        .and_then(|mut f| f.write_all(book))
        .map_err(internal("storing the order book"))?;
    let out = dir.path().join("orders.csv");
    let mut cfg = Config::new(&input);
    cfg.view = view;
    cfg.as_of = as_of;
    cfg.screen = true;
    cfg.out = Some(out.clone());
    cfg.progress = false;
    cfg.echo_rejects = false;
    let mut rep = orders::evaluate_with(&cfg, &engines, &snap.parties).map_err(book_error)?;
    rep.input = q
        .name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "uploaded order book".into());
    if let (Some(t), Some(info)) = (title, rep.scenarios.get_mut(1)) {
        info.title = t;
    }
    let pictures =
        crate::pictures::report_pictures(&engines, &rep, as_of, view).unwrap_or_else(|e| {
            tracing::warn!(error = %format!("{e:#}"), "pictures left out of an order-book report");
            orders::Pictures::default()
        });
    let html = orders::render_html(&rep, &pictures);
    let csv = std::fs::read_to_string(&out).map_err(internal("reading the per-order results"))?;
    let report =
        serde_json::to_value(&rep).map_err(|e| ApiError::internal(format!("report: {e}")))?;
    Ok(Evaluated {
        report,
        html,
        csv,
        rulebook_fingerprint: engines
            .last()
            .map(|e| e.book.fingerprint.clone())
            .unwrap_or_default(),
    })
}

pub async fn report(
    State(st): State<Shared>,
    Extension(caller): Extension<Caller>,
    q: Result<Query<OrderBookQuery>, QueryRejection>,
    b: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = q.map_err(body::query_error)?;
    let bytes = body::bytes(b)?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(
            ApiError::bad_request("empty_batch", "the order book is empty").with_field(FIELD),
        );
    }
    let text = std::str::from_utf8(&bytes)
        .map_err(|e| {
            ApiError::bad_request(
                "invalid_order_book",
                format!("the order book is not UTF-8 text ({e})"),
            )
            .with_field(FIELD)
            .with_hint("save the spreadsheet as CSV (UTF-8)")
        })?
        .to_string();
    let snap: Arc<Snapshot> = st.current.load_full();
    let q2 = q.clone();
    let lists = snap.parties.fingerprint.clone();
    let ev = blocking(move || evaluate(&snap, &q2, &bytes)).await?;
    let body = serde_json::to_vec(&json!({"report": ev.report, "html": ev.html, "csv": ev.csv}))
        .map_err(|e| ApiError::internal(format!("serialising the answer: {e}")))?;
    let request = json!({
        "order_book": text,
        "name": q.name,
        "scenario": q.scenario,
        "as_of": q.as_of,
        "view": q.view,
    });
    let d = Decided {
        response: ev.report,
        body,
        rulebook_fingerprint: ev.rulebook_fingerprint,
        lists_fingerprint: lists,
    };
    decided(&st, &caller, "orders_report", request, d).await
}
