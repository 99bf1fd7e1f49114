//! `chipgate-plot`: pure rendering of chipgate's pictures from plain data.
//!
//! The binary computes every fact (classifications, licence decisions) and
//! hands this crate plain structs; this crate only draws. It does not depend
//! on the other chipgate crates. Two pictures:
//!
//! * the **3A090 threshold map** ([`render_map`]): TPP (log x) against
//!   performance density (y), regions shaded by sampling a caller-supplied
//!   classifier, chips as labelled points coloured by decision, chips of
//!   unknown die area on a separate strip, legend and footnotes;
//! * the **decision timeline** ([`render_timeline`]): the decision over time
//!   per lane, with rule events as annotated markers.
//!
//! Output is SVG written directly (see the `svg` module for why) or PNG
//! rasterised by resvg with an embedded DejaVu Sans font, so PNGs look the
//! same on a machine without system fonts. [`map_coordinates`] exposes the
//! map geometry so tests can check placement without pixels.

mod error;
mod font;
mod labels;
mod legend;
mod map;
mod model;
mod raster;
mod regions;
mod scale;
mod svg;
mod timeline;

pub use error::PlotError;
pub use font::{FONT_FAMILY, FONT_FAMILY_CSS};
pub use model::{
    AxisScale, CategoryStyle, ChipPoint, Classifier, EventKind, EventMark, Format, Lane, MapInput,
    PlacedPoint, Placement, Rect, RegionStyle, RenderOptions, Segment, TimelineInput,
};

fn encode(svg: String, format: Format, scale: f32) -> Result<Vec<u8>, PlotError> {
    match format {
        Format::Svg => Ok(svg.into_bytes()),
        Format::Png => raster::png(&svg, scale),
    }
}

/// Render the threshold map at the default 1200×800 size.
pub fn render_map(input: &MapInput, format: Format) -> Result<Vec<u8>, PlotError> {
    render_map_with(input, format, &RenderOptions::MAP_DEFAULT)
}

/// Render the threshold map with explicit canvas size and PNG scale.
pub fn render_map_with(
    input: &MapInput,
    format: Format,
    opts: &RenderOptions,
) -> Result<Vec<u8>, PlotError> {
    if format == Format::Png {
        raster::check(opts.width, opts.height, opts.scale)?;
    }
    let svg = map::svg(input, opts)?;
    encode(svg, format, opts.scale)
}

/// Render the decision timeline (1200 wide; height grows to fit).
pub fn render_timeline(input: &TimelineInput, format: Format) -> Result<Vec<u8>, PlotError> {
    render_timeline_with(input, format, &RenderOptions::TIMELINE_DEFAULT)
}

/// Render the decision timeline with explicit width, minimum height and PNG scale.
pub fn render_timeline_with(
    input: &TimelineInput,
    format: Format,
    opts: &RenderOptions,
) -> Result<Vec<u8>, PlotError> {
    if format == Format::Png {
        raster::check(opts.width, opts.height, opts.scale)?;
    }
    let svg = timeline::svg(input, opts)?;
    encode(svg, format, opts.scale)
}

/// Where each chip marker and label lands on a `width`×`height` map, and which
/// region its (TPP, PD) is in. Markers in the plane come first, then those on
/// the unknown-area strip, then omitted points (with a note). Identical
/// points with the same decision are merged into one marker. If the input or
/// size is unusable, every chip is returned as [`Placement::Omitted`] with the
/// error as its note.
pub fn map_coordinates(input: &MapInput, width: u32, height: u32) -> Vec<PlacedPoint> {
    let opts = RenderOptions {
        width,
        height,
        scale: 1.0,
    };
    match map::compute(input, &opts) {
        Ok(m) => m.points,
        Err(e) => input
            .points
            .iter()
            .chain(input.unknown_area.iter())
            .map(|p| map::omitted(p, e.to_string()))
            .collect(),
    }
}
