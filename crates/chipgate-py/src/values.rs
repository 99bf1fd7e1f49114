//! Python values into request fields, and answers back into Python values. Dates may be
//! given as `YYYY-MM-DD` text or as anything with `strftime` (`datetime.date`,
//! `pandas.Timestamp`); a chip spec as a dict, JSON text or the path of a spec file (the
//! `--spec FILE` contract, checked as the CLI checks it); scenarios and list filters as one
//! string or a list of strings. Answers come back through JSON, so they are exactly the
//! CLI's `--json` output as Python objects.

use crate::errors::{Failure, IntoPy};
use chipgate_core::spec::ChipSpec;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use serde_json::Value;

/// A date argument as `YYYY-MM-DD` text (checked later by the answer layer, which names the
/// field in its error).
pub fn date(v: Option<&Bound<'_, PyAny>>) -> PyResult<Option<String>> {
    let Some(v) = v.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    if let Ok(s) = v.cast::<PyString>() {
        return Ok(Some(s.to_cow()?.into_owned()));
    }
    if v.hasattr("strftime")? {
        return Ok(Some(v.call_method1("strftime", ("%Y-%m-%d",))?.extract()?));
    }
    Err(pyo3::exceptions::PyTypeError::new_err(
        "a date is `YYYY-MM-DD` text or a datetime.date",
    ))
}

/// One string or a sequence of strings (`None` = none).
pub fn names(v: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<String>> {
    let Some(v) = v.filter(|v| !v.is_none()) else {
        return Ok(Vec::new());
    };
    if let Ok(s) = v.cast::<PyString>() {
        return Ok(vec![s.to_cow()?.into_owned()]);
    }
    if v.cast::<PyList>().is_ok() || v.cast::<PyTuple>().is_ok() {
        let mut out = Vec::new();
        for x in v.try_iter()? {
            out.push(x?.str()?.to_cow()?.into_owned());
        }
        return Ok(out);
    }
    Ok(vec![v.str()?.to_cow()?.into_owned()])
}

/// A spec: a dict, JSON text, or the path of a spec file; read and checked as `--spec FILE`.
pub fn spec(py: Python<'_>, v: &Bound<'_, PyAny>) -> PyResult<Option<Value>> {
    let text: String = if v.cast::<PyDict>().is_ok() {
        py.import("json")?.call_method1("dumps", (v,))?.extract()?
    } else {
        let s = v.str()?.to_cow()?.into_owned();
        if s.trim_start().starts_with('{') {
            s
        } else {
            std::fs::read_to_string(&s)
                .map_err(|e| Failure::input("spec", format!("reading spec file {s}: {e}")))
                .py_err(py)?
        }
    };
    let spec = ChipSpec::from_json(&text)
        .map_err(Failure::from)
        .py_err(py)?;
    let value = serde_json::to_value(&spec)
        .map_err(|e| Failure::input("spec", format!("the spec cannot be re-encoded: {e}")))
        .py_err(py)?;
    Ok(Some(value))
}

/// `classify`'s first argument: a catalog chip name, or a spec (dict or JSON text).
pub fn item(py: Python<'_>, v: &Bound<'_, PyAny>) -> PyResult<(Option<String>, Option<Value>)> {
    if let Ok(s) = v.cast::<PyString>() {
        let s = s.to_cow()?;
        if !s.trim_start().starts_with('{') {
            return Ok((Some(s.into_owned()), None));
        }
    }
    Ok((None, spec(py, v)?))
}

/// An answer's JSON as Python objects.
pub fn from_json(py: Python<'_>, json: &str) -> PyResult<Py<PyAny>> {
    Ok(py.import("json")?.call_method1("loads", (json,))?.unbind())
}
