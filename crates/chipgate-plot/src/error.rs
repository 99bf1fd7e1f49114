//! Error type for the crate: every failure is reported as a value so that no
//! input, however malformed, can make rendering panic.

use std::fmt;

/// Why a picture could not be produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlotError {
    /// An axis range or date window is unusable (non-finite, empty, or
    /// non-positive on a log axis). The string says which and why.
    InvalidRange(String),
    /// There is nothing to draw (e.g. a timeline without lanes).
    EmptyInput(String),
    /// The requested canvas size or scale is unusable.
    InvalidSize(String),
    /// The generated SVG could not be parsed for rasterisation (a bug).
    Svg(String),
    /// Rasterisation or PNG encoding failed.
    Raster(String),
}

impl fmt::Display for PlotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlotError::InvalidRange(m) => write!(f, "invalid range: {m}"),
            PlotError::EmptyInput(m) => write!(f, "nothing to draw: {m}"),
            PlotError::InvalidSize(m) => write!(f, "invalid size: {m}"),
            PlotError::Svg(m) => write!(f, "SVG error: {m}"),
            PlotError::Raster(m) => write!(f, "rasterisation error: {m}"),
        }
    }
}

impl std::error::Error for PlotError {}
