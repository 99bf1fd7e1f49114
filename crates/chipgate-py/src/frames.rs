//! The columnar edge behind `check_frame` and `screen_frame`.
//!
//! Orders: the frame arrives as CSV text (written by Arrow's CSV writer on the Python side)
//! and goes through `chipgate_cli::orders::evaluate_stream`, the very pipeline `chipgate
//! orders` runs — same column matching, same row checks, same caches of distinct questions,
//! same result columns — and the per-order results come back as CSV text for Arrow's reader.
//! Equality with `chipgate orders` is by construction rather than by a second implementation,
//! and the two CSV hops cost little beside deciding (see the README's rows/s).
//!
//! Names: each row becomes the `ScreenRequest` `chipgate screen` answers, screened on all
//! cores; a row that cannot be screened keeps its place with the reason in `error`.

use crate::cache;
use crate::errors::{Failure, IntoPy};
use crate::values;
use chipgate_cli::orders::columns::{field_of, parse_map, Columns, Field};
use chipgate_cli::orders::{self, Config, Format};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use rayon::prelude::*;
use std::io::Write;

fn map_pairs(map: &[String]) -> Result<Vec<(String, Field)>, Failure> {
    parse_map(map).map_err(|e| Failure::input("map", format!("{e:#}")))
}

/// For each column name, the order-book column chipgate reads from it (`None`: ignored).
/// Raises `InputError` (code `missing_column`, `field` = the first missing column) when a
/// required column is missing, with the message `chipgate orders` prints.
#[pyfunction]
#[pyo3(signature = (names, map=Vec::new()))]
pub fn order_columns(
    py: Python<'_>,
    names: Vec<String>,
    map: Vec<String>,
) -> PyResult<Vec<Option<&'static str>>> {
    let run = || -> Result<Vec<Option<&'static str>>, Failure> {
        let pairs = map_pairs(&map)?;
        let fields: Vec<Option<Field>> = names.iter().map(|n| field_of(n, &pairs)).collect();
        if let Err(e) = Columns::from_header(&names, &pairs) {
            let has = |f: Field| fields.contains(&Some(f));
            let missing = [Field::OrderId, Field::Date, Field::Quantity, Field::ShipTo]
                .into_iter()
                .find(|f| !has(*f))
                .or_else(|| {
                    (!has(Field::Chip) && !has(Field::SpecJson) && !has(Field::Tops))
                        .then_some(Field::Chip)
                });
            let mut f = Failure::input(
                missing.map(Field::name).unwrap_or("columns"),
                format!("{e:#}"),
            );
            f.code = if missing.is_some() {
                "missing_column".into()
            } else {
                "duplicate_column".into()
            };
            return Err(f);
        }
        Ok(fields.into_iter().map(|f| f.map(Field::name)).collect())
    };
    run().py_err(py)
}

/// Evaluates an order book given as CSV text; returns the per-order results as CSV text (the
/// columns of `chipgate orders --out x.csv`) and, when asked, the report as JSON.
#[pyfunction]
#[pyo3(signature = (data, *, scenarios=Vec::new(), as_of=None, view="enforced", map=Vec::new(), parties=None, no_screen=false, data_dir=None, store=None, threads=None, report=false))]
#[allow(clippy::too_many_arguments)]
pub fn check_csv<'py>(
    py: Python<'py>,
    data: &[u8],
    scenarios: Vec<String>,
    as_of: Option<&Bound<'py, PyAny>>,
    view: &str,
    map: Vec<String>,
    parties: Option<std::path::PathBuf>,
    no_screen: bool,
    data_dir: Option<std::path::PathBuf>,
    store: Option<std::path::PathBuf>,
    threads: Option<usize>,
    report: bool,
) -> PyResult<(Bound<'py, PyBytes>, Option<String>)> {
    let as_of = values::date(as_of)?;
    let view = view.to_string();
    let (out, rep) = py
        .detach(|| -> Result<(Vec<u8>, Option<String>), Failure> {
            let set = cache::engine_set(data_dir.as_deref(), &scenarios)?;
            let cx = cache::parties(store.as_deref(), parties.as_deref(), !no_screen)?;
            let mut cfg = Config::new("the DataFrame");
            cfg.format = Some(Format::Csv);
            cfg.scenario_titles = set.titles.clone();
            cfg.as_of = as_of
                .as_deref()
                .map(|d| chipgate_cli::question::parse_date("as_of", d))
                .transpose()?;
            cfg.view = chipgate_cli::question::parse_view(&view)?;
            map_pairs(&map)?;
            cfg.map = map;
            cfg.screen = !no_screen;
            cfg.progress = false;
            cfg.echo_rejects = false;
            let mut out: Vec<u8> = Vec::with_capacity(data.len());
            let mut run = || {
                orders::evaluate_stream(
                    &cfg,
                    &set.engines,
                    &cx,
                    Box::new(std::io::Cursor::new(data)),
                    Some(data.len() as u64),
                    || Ok(Some(Box::new(&mut out) as Box<dyn Write + Send + '_>)),
                )
            };
            let rep = match threads {
                Some(n) => rayon::ThreadPoolBuilder::new()
                    .num_threads(n)
                    .build()
                    .map_err(|e| Failure::input("threads", e.to_string()))?
                    .install(run)?,
                None => run()?,
            };
            let rep = if report {
                Some(
                    serde_json::to_string(&rep)
                        .map_err(|e| Failure::from(anyhow::Error::from(e)))?,
                )
            } else {
                None
            };
            Ok((out, rep))
        })
        .py_err(py)?;
    Ok((PyBytes::new(py, &out), rep))
}

/// The result columns of `screen_frame`, in order: `chipgate screen --file --out x.csv`'s
/// columns after `id` and `line` (taken from the CLI's own table), then `error`.
fn screen_columns() -> Vec<&'static str> {
    chipgate_cli::cmd::screen::TABLE_COLUMNS
        .iter()
        .skip(2)
        .copied()
        .chain(["error"])
        .collect()
}

/// One screened row: its cells (text or number) or why it could not be screened.
type Cells = Result<Vec<chipgate_cli::xlsx::Cell>, String>;

/// Screens rows of names; returns a dict of columns ([`screen_columns`]).
#[pyfunction]
#[pyo3(signature = (names, countries=None, dates=None, *, date=None, threshold=None, lists=None, store=None, data_dir=None))]
#[allow(clippy::too_many_arguments)]
pub fn screen_rows<'py>(
    py: Python<'py>,
    names: Vec<Option<String>>,
    countries: Option<Vec<Option<String>>>,
    dates: Option<Vec<Option<String>>>,
    date: Option<&Bound<'py, PyAny>>,
    threshold: Option<f64>,
    lists: Option<&Bound<'py, PyAny>>,
    store: Option<std::path::PathBuf>,
    data_dir: Option<std::path::PathBuf>,
) -> PyResult<Bound<'py, PyDict>> {
    let default_date = values::date(date)?;
    let lists = values::names(lists)?;
    let rows: Vec<Cells> = py
        .detach(|| -> Result<Vec<Cells>, Failure> {
            if let Some(t) = threshold {
                if !(0.0..=1.0).contains(&t) {
                    return Err(Failure::input("threshold", "must be between 0 and 1"));
                }
            }
            let s = cache::screener(store.as_deref())?;
            s.check_lists(&lists)
                .map_err(|e| Failure::input(e.field(), e.to_string()))?;
            let default_date =
                chipgate_cli::question::date_or_today("date", default_date.as_deref())?;
            let engine = cache::engine(data_dir.as_deref(), &[])?;
            let cell = |v: &Option<Vec<Option<String>>>, i: usize| {
                v.as_ref()
                    .and_then(|v| v.get(i).cloned().flatten())
                    .filter(|s| !s.trim().is_empty())
            };
            Ok(names
                .par_iter()
                .enumerate()
                .map(|(i, name)| {
                    let req = chipgate_cli::request::ScreenRequest {
                        name: name.clone().unwrap_or_default(),
                        country: cell(&countries, i),
                        date: Some(cell(&dates, i).unwrap_or_else(|| default_date.to_string())),
                        threshold,
                        lists: Some(lists.clone()),
                    };
                    chipgate_cli::answer::screen(&engine.countries, Some(&*s), &req)
                        .map(|a| {
                            let mut cells = chipgate_cli::cmd::screen::table_row(0, "", &a.result);
                            cells.drain(..2); // `id` and `line`
                            cells
                        })
                        .map_err(|e| Failure::from(e).text())
                })
                .collect())
        })
        .py_err(py)?;
    columns(py, &rows)
}

/// Rows of cells into a dict of column lists (numbers as floats, empty text as `None`).
fn columns<'py>(py: Python<'py>, rows: &[Cells]) -> PyResult<Bound<'py, PyDict>> {
    use chipgate_cli::xlsx::Cell;
    let out = PyDict::new(py);
    let names = screen_columns();
    let error_column = names.len() - 1;
    for (c, name) in names.iter().enumerate() {
        let col: Vec<Py<PyAny>> = rows
            .iter()
            .map(|r| -> PyResult<Py<PyAny>> {
                Ok(match (r, c) {
                    (Err(e), c) if c == error_column => e.into_pyobject(py)?.into_any().unbind(),
                    (Ok(cells), c) => match cells.get(c) {
                        Some(Cell::Number(n)) => n.into_pyobject(py)?.into_any().unbind(),
                        Some(Cell::Text(t)) if !t.is_empty() => {
                            t.into_pyobject(py)?.into_any().unbind()
                        }
                        _ => py.None(),
                    },
                    _ => py.None(),
                })
            })
            .collect::<PyResult<_>>()?;
        out.set_item(name, col)?;
    }
    Ok(out)
}
