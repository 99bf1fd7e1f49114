//! `chipgate._native`: the Python extension module behind the `chipgate` package. It answers
//! with the same crates as the `chipgate` command line — the request types of
//! `chipgate_cli::request`, the answer layer `chipgate_cli::answer`, the order-book pipeline
//! `chipgate_cli::orders` — so an answer here is the CLI's `--json` answer, and a frame of
//! orders gets the decisions `chipgate orders` writes. The public Python API (`check`,
//! `classify`, `screen`, `check_frame`, `screen_frame`) lives in `python/chipgate/`, which
//! converts DataFrames and calls the functions below; the GIL is released while the engine
//! works, and the rulebook and lists are loaded once per process ([`cache`]).

mod cache;
mod errors;
mod frames;
mod values;

use errors::{Failure, IntoPy};
use pyo3::prelude::*;

/// The allocator of the `chipgate` binary: order books allocate many small strings.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[pymodule]
mod _native {
    #[pymodule_export]
    use super::{check, classify, screen, timeline};

    #[pymodule_export]
    use crate::frames::{check_csv, order_columns, screen_rows};

    #[pymodule_init]
    fn init(m: &pyo3::Bound<'_, pyo3::types::PyModule>) -> pyo3::PyResult<()> {
        use pyo3::types::PyModuleMethods;
        m.add("__version__", env!("CARGO_PKG_VERSION"))
    }
}

/// Classify a catalog chip or a chip spec as of a date (the answer of `chipgate classify --json`).
#[pyfunction]
#[pyo3(signature = (chip_or_spec, *, date=None, view="enforced", count=None, exporter_role=None, scenario=None, data_dir=None))]
#[allow(clippy::too_many_arguments)]
fn classify(
    py: Python<'_>,
    chip_or_spec: &Bound<'_, PyAny>,
    date: Option<&Bound<'_, PyAny>>,
    view: &str,
    count: Option<u32>,
    exporter_role: Option<String>,
    scenario: Option<&Bound<'_, PyAny>>,
    data_dir: Option<std::path::PathBuf>,
) -> PyResult<Py<PyAny>> {
    let (chip, spec) = values::item(py, chip_or_spec)?;
    let req = chipgate_cli::request::ClassifyRequest {
        chip,
        spec,
        count,
        date: values::date(date)?,
        view: Some(view.to_string()),
        scenario: None,
        exporter_role,
    };
    let scenarios = values::names(scenario)?;
    let json = py
        .detach(|| -> Result<String, Failure> {
            let engine = cache::engine(data_dir.as_deref(), &scenarios)?;
            let a = chipgate_cli::answer::classify(&engine, &req)?;
            serde_json::to_string(&a).map_err(|e| Failure::from(anyhow::Error::from(e)))
        })
        .py_err(py)?;
    values::from_json(py, &json)
}

/// The request `check` and `timeline` ask, from their keyword arguments (the text facts in
/// the order buyer, buyer_hq, end_user, end_user_hq, end_use, exporter, exporter_role,
/// ship_from).
#[expect(
    clippy::too_many_arguments,
    reason = "one argument per group of Python keywords"
)]
fn check_request(
    chip: Option<String>,
    spec: Option<serde_json::Value>,
    count: Option<u32>,
    to: String,
    facts: [Option<String>; 8],
    approved_designer: bool,
    quantity: Option<f64>,
    no_screen: bool,
    date: Option<String>,
    view: &str,
) -> chipgate_cli::request::CheckRequest {
    let [buyer, buyer_hq, end_user, end_user_hq, end_use, exporter, exporter_role, ship_from] =
        facts;
    chipgate_cli::request::CheckRequest {
        chip,
        spec,
        count,
        to,
        buyer,
        buyer_hq,
        end_user,
        end_user_hq,
        end_use,
        exporter,
        exporter_role,
        approved_designer: approved_designer.then_some(true),
        ship_from,
        quantity,
        no_screen: no_screen.then_some(true),
        date,
        view: Some(view.to_string()),
        ..chipgate_cli::request::CheckRequest::default()
    }
}

/// Can this order ship? The answer of `chipgate check --json`, with the CLI's options.
#[pyfunction]
#[pyo3(signature = (chip=None, *, to, spec=None, count=None, buyer=None, buyer_hq=None, end_user=None, end_user_hq=None, end_use=None, exporter=None, exporter_role=None, approved_designer=false, ship_from=None, quantity=None, no_screen=false, date=None, view="enforced", scenario=None, parties=None, data_dir=None, store=None))]
#[allow(clippy::too_many_arguments)]
fn check(
    py: Python<'_>,
    chip: Option<String>,
    to: String,
    spec: Option<&Bound<'_, PyAny>>,
    count: Option<u32>,
    buyer: Option<String>,
    buyer_hq: Option<String>,
    end_user: Option<String>,
    end_user_hq: Option<String>,
    end_use: Option<String>,
    exporter: Option<String>,
    exporter_role: Option<String>,
    approved_designer: bool,
    ship_from: Option<String>,
    quantity: Option<f64>,
    no_screen: bool,
    date: Option<&Bound<'_, PyAny>>,
    view: &str,
    scenario: Option<&Bound<'_, PyAny>>,
    parties: Option<std::path::PathBuf>,
    data_dir: Option<std::path::PathBuf>,
    store: Option<std::path::PathBuf>,
) -> PyResult<Py<PyAny>> {
    let spec = match spec {
        Some(s) => values::spec(py, s)?,
        None => None,
    };
    let req = check_request(
        chip,
        spec,
        count,
        to,
        [
            buyer,
            buyer_hq,
            end_user,
            end_user_hq,
            end_use,
            exporter,
            exporter_role,
            ship_from,
        ],
        approved_designer,
        quantity,
        no_screen,
        values::date(date)?,
        view,
    );
    let scenarios = values::names(scenario)?;
    let json = py
        .detach(|| -> Result<String, Failure> {
            let engine = cache::engine(data_dir.as_deref(), &scenarios)?;
            // As the CLI: lists are loaded only when there is a party to screen.
            let screen = req.screens() && (req.buyer.is_some() || req.end_user.is_some());
            let cx = cache::parties(store.as_deref(), parties.as_deref(), screen)?;
            let a = chipgate_cli::answer::check(&engine, &cx, &req)?;
            serde_json::to_string(&a).map_err(|e| Failure::from(anyhow::Error::from(e)))
        })
        .py_err(py)?;
    values::from_json(py, &json)
}

/// The decision over time, segment by segment (the answer of `chipgate timeline --json`).
#[pyfunction]
#[pyo3(signature = (chip=None, *, to, spec=None, count=None, from_date=None, to_date=None, buyer=None, buyer_hq=None, end_user=None, end_user_hq=None, end_use=None, exporter=None, exporter_role=None, approved_designer=false, ship_from=None, quantity=None, no_screen=false, view="enforced", scenario=None, parties=None, data_dir=None, store=None))]
#[allow(clippy::too_many_arguments)]
fn timeline(
    py: Python<'_>,
    chip: Option<String>,
    to: String,
    spec: Option<&Bound<'_, PyAny>>,
    count: Option<u32>,
    from_date: Option<&Bound<'_, PyAny>>,
    to_date: Option<&Bound<'_, PyAny>>,
    buyer: Option<String>,
    buyer_hq: Option<String>,
    end_user: Option<String>,
    end_user_hq: Option<String>,
    end_use: Option<String>,
    exporter: Option<String>,
    exporter_role: Option<String>,
    approved_designer: bool,
    ship_from: Option<String>,
    quantity: Option<f64>,
    no_screen: bool,
    view: &str,
    scenario: Option<&Bound<'_, PyAny>>,
    parties: Option<std::path::PathBuf>,
    data_dir: Option<std::path::PathBuf>,
    store: Option<std::path::PathBuf>,
) -> PyResult<Py<PyAny>> {
    let spec = match spec {
        Some(s) => values::spec(py, s)?,
        None => None,
    };
    let req = chipgate_cli::request::TimelineRequest {
        check: check_request(
            chip,
            spec,
            count,
            to,
            [
                buyer,
                buyer_hq,
                end_user,
                end_user_hq,
                end_use,
                exporter,
                exporter_role,
                ship_from,
            ],
            approved_designer,
            quantity,
            no_screen,
            None,
            view,
        ),
        from: values::date(from_date)?,
        to_date: values::date(to_date)?,
    };
    let scenarios = values::names(scenario)?;
    let json = py
        .detach(|| -> Result<String, Failure> {
            let engine = cache::engine(data_dir.as_deref(), &scenarios)?;
            let c = &req.check;
            let screen = c.screens() && (c.buyer.is_some() || c.end_user.is_some());
            let cx = cache::parties(store.as_deref(), parties.as_deref(), screen)?;
            let a = chipgate_cli::answer::timeline(&engine, &cx, &req)?;
            serde_json::to_string(&a).map_err(|e| Failure::from(anyhow::Error::from(e)))
        })
        .py_err(py)?;
    values::from_json(py, &json)
}

/// Screen one name against the lists (the answer of `chipgate screen NAME --json`).
#[pyfunction]
#[pyo3(signature = (name, *, country=None, date=None, threshold=None, lists=None, store=None, data_dir=None))]
#[allow(clippy::too_many_arguments)]
fn screen(
    py: Python<'_>,
    name: String,
    country: Option<String>,
    date: Option<&Bound<'_, PyAny>>,
    threshold: Option<f64>,
    lists: Option<&Bound<'_, PyAny>>,
    store: Option<std::path::PathBuf>,
    data_dir: Option<std::path::PathBuf>,
) -> PyResult<Py<PyAny>> {
    let date = values::date(date)?;
    let lists = values::names(lists)?;
    let json = py
        .detach(|| -> Result<String, Failure> {
            if let Some(t) = threshold {
                if !(0.0..=1.0).contains(&t) {
                    return Err(Failure::input("threshold", "must be between 0 and 1"));
                }
            }
            let s = cache::screener(store.as_deref())?;
            s.check_lists(&lists)
                .map_err(|e| Failure::input(e.field(), e.to_string()))?;
            let date = chipgate_cli::question::date_or_today("date", date.as_deref())?;
            let engine = cache::engine(data_dir.as_deref(), &[])?;
            let req = chipgate_cli::request::ScreenRequest {
                name,
                country,
                date: Some(date.to_string()),
                threshold,
                lists: Some(lists),
            };
            let a = chipgate_cli::answer::screen(&engine.countries, Some(&*s), &req)?;
            serde_json::to_string(&a.result).map_err(|e| Failure::from(anyhow::Error::from(e)))
        })
        .py_err(py)?;
    values::from_json(py, &json)
}
