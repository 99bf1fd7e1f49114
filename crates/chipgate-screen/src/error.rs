//! Error types: one enum for file-level failures (I/O, empty file, unknown format, HTTP) and a
//! per-line record error so that malformed records are reported, never silently dropped.

use serde::Serialize;
use std::fmt;

/// A malformed record: which file, which line (1-based), what was wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineError {
    pub file: String,
    pub line: u64,
    pub message: String,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// A failure that prevents a whole file or operation from producing a result.
#[derive(Debug)]
pub enum ScreenError {
    /// Reading or writing a file failed.
    Io {
        path: String,
        source: std::io::Error,
    },
    /// The file is empty (e.g. a failed download): refusing to treat it as an empty list.
    EmptyFile { file: String },
    /// The file's format could not be recognised.
    UnknownFormat { file: String, detail: String },
    /// The file could not be parsed at all (e.g. invalid JSON, missing required column).
    Malformed {
        file: String,
        line: u64,
        message: String,
    },
    /// An HTTP download failed.
    Http { url: String, message: String },
    /// A bad argument (unknown list, bad column mapping, ...).
    Invalid(String),
}

impl fmt::Display for ScreenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScreenError::Io { path, source } => write!(f, "{path}: {source}"),
            ScreenError::EmptyFile { file } => {
                write!(f, "{file}: file is empty (failed download?); refusing to load it as an empty list")
            }
            ScreenError::UnknownFormat { file, detail } => {
                write!(f, "{file}: unknown list format: {detail}")
            }
            ScreenError::Malformed {
                file,
                line,
                message,
            } => write!(f, "{file}:{line}: {message}"),
            ScreenError::Http { url, message } => write!(f, "GET {url}: {message}"),
            ScreenError::Invalid(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for ScreenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ScreenError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl ScreenError {
    pub(crate) fn io(path: impl AsRef<std::path::Path>, source: std::io::Error) -> Self {
        ScreenError::Io {
            path: path.as_ref().display().to_string(),
            source,
        }
    }
}
