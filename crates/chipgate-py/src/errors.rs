//! Failures of the engine as Python exceptions. Every failure keeps the HTTP API's shape
//! (`code`, `message`, `hint`, `field`: `server::error` is the one mapping from an answer
//! error to a code) and the command line's text (`` `field`: message (hint: …) ``, what
//! `chipgate` prints after `error:`), and is raised as the matching class of
//! `chipgate.errors`: `InputError` (a `ValueError`) for a question that is wrong,
//! `UnavailableError` when something the answer needs is not loaded, `ChipgateError` otherwise.

use chipgate_cli::answer::AnswerError;
use chipgate_cli::server::error::ApiError;
use chipgate_core::InputError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Which exception class a failure is raised as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Input,
    Unavailable,
    Internal,
}

/// A failure on its way to Python.
#[derive(Debug, Clone)]
pub struct Failure {
    pub kind: Kind,
    pub code: String,
    pub message: String,
    pub field: Option<String>,
    pub hint: Option<String>,
}

impl Failure {
    /// A bad input in `field`, with the HTTP API's `invalid_input` code.
    pub fn input(field: &str, message: impl Into<String>) -> Failure {
        Failure {
            kind: Kind::Input,
            code: "invalid_input".into(),
            message: message.into(),
            field: Some(field.to_string()),
            hint: None,
        }
    }

    /// The text the command line prints after `error:`.
    pub fn text(&self) -> String {
        let mut s = match &self.field {
            Some(f) => format!("`{f}`: {}", self.message),
            None => self.message.clone(),
        };
        if let Some(h) = &self.hint {
            s.push_str(&format!(" (hint: {h})"));
        }
        s
    }

    /// The Python exception (an instance of a `chipgate.errors` class).
    pub fn into_pyerr(self, py: Python<'_>) -> PyErr {
        let class = match self.kind {
            Kind::Input => "InputError",
            Kind::Unavailable => "UnavailableError",
            Kind::Internal => "ChipgateError",
        };
        let make = || -> PyResult<PyErr> {
            let cls = py.import("chipgate.errors")?.getattr(class)?;
            let kw = PyDict::new(py);
            kw.set_item("code", &self.code)?;
            kw.set_item("message", &self.message)?;
            kw.set_item("field", &self.field)?;
            kw.set_item("hint", &self.hint)?;
            Ok(PyErr::from_value(cls.call((self.text(),), Some(&kw))?))
        };
        make().unwrap_or_else(|e| e)
    }
}

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Failure {
        let kind = if e.status.is_client_error() {
            Kind::Input
        } else if e.status.as_u16() == 503 {
            Kind::Unavailable
        } else {
            Kind::Internal
        };
        Failure {
            kind,
            code: e.detail.code,
            message: e.detail.message,
            field: e.detail.field,
            hint: e.detail.hint,
        }
    }
}

impl From<AnswerError> for Failure {
    fn from(e: AnswerError) -> Failure {
        ApiError::from(e).into()
    }
}

impl From<InputError> for Failure {
    fn from(e: InputError) -> Failure {
        ApiError::from(e).into()
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Failure {
        ApiError::from(e).into()
    }
}

/// Turns a failure into a Python exception (for `map_err` at the Python edge).
pub trait IntoPy<T> {
    fn py_err(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> IntoPy<T> for Result<T, Failure> {
    fn py_err(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|f| f.into_pyerr(py))
    }
}
