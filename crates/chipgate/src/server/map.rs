//! `GET /v1/map`: the 3A090 threshold map as of a date, as an SVG picture (the same picture
//! `chipgate plot map` draws and the order-book report embeds). Reference data like
//! `GET /v1/rules`: it answers no export question about an order, so it is not audited.

use super::body;
use super::error::ApiError;
use super::handlers::blocking;
use super::scenarios::engine_for;
use super::state::Shared;
use crate::question::{date_or_today, parse_view};
use crate::request::MapQuery;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

pub async fn map(
    State(st): State<Shared>,
    q: Result<Query<MapQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = q.map_err(body::query_error)?;
    let snap = st.current.load_full();
    let svg = blocking(move || {
        let engine = engine_for(&snap.engine, q.scenario.as_deref())?;
        let date = date_or_today("date", q.date.as_deref())?;
        engine.check_date(date)?;
        let view = parse_view(q.view.as_deref().unwrap_or("enforced"))?;
        let to = match q.to.as_deref().filter(|t| !t.trim().is_empty()) {
            Some(t) => Some(engine.countries.destination("to", t)?.code),
            None => None,
        };
        let input = crate::pictures::map_input(
            Arc::new(engine.into_owned()),
            &[],
            date,
            view,
            to.as_deref(),
        );
        chipgate_plot::render_map(&input, chipgate_plot::Format::Svg)
            .map_err(|e| ApiError::internal(format!("drawing the map: {e}")))
    })
    .await?;
    let mut resp = (StatusCode::OK, svg).into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("image/svg+xml"),
    );
    Ok(resp)
}
