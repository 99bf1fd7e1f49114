//! SVG → PNG with resvg, using only the embedded font (no system fonts), so
//! the picture is the same on any machine.

use crate::font::{BOLD, FONT_FAMILY, REGULAR};
use crate::PlotError;
use resvg::{tiny_skia, usvg};

/// Largest PNG produced (about 256 MB of pixels).
const MAX_PIXELS: u64 = 64_000_000;

/// Reject a PNG request before any work: bad scale or too many pixels.
pub(crate) fn check(width: u32, height: u32, scale: f32) -> Result<(), PlotError> {
    if !(scale.is_finite() && scale > 0.0 && scale <= 8.0) {
        return Err(PlotError::InvalidSize(format!(
            "PNG scale {scale} (need 0 < scale ≤ 8)"
        )));
    }
    let px = f64::from(width) * f64::from(scale) * f64::from(height) * f64::from(scale);
    if px > MAX_PIXELS as f64 {
        return Err(PlotError::InvalidSize(format!(
            "{width}×{height} at scale {scale} exceeds {MAX_PIXELS} pixels"
        )));
    }
    Ok(())
}

/// Rasterise an SVG document at `scale` pixels per CSS pixel.
pub(crate) fn png(svg: &str, scale: f32) -> Result<Vec<u8>, PlotError> {
    if !(scale.is_finite() && scale > 0.0 && scale <= 8.0) {
        return Err(PlotError::InvalidSize(format!(
            "PNG scale {scale} (need 0 < scale ≤ 8)"
        )));
    }
    let mut opt = usvg::Options {
        font_family: FONT_FAMILY.to_string(),
        ..usvg::Options::default()
    };
    {
        let db = opt.fontdb_mut();
        db.load_font_data(REGULAR.to_vec());
        db.load_font_data(BOLD.to_vec());
        db.set_sans_serif_family(FONT_FAMILY);
        db.set_serif_family(FONT_FAMILY);
        db.set_monospace_family(FONT_FAMILY);
    }
    let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| PlotError::Svg(e.to_string()))?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or_else(|| PlotError::InvalidSize("scaled PNG size is zero".to_string()))?;
    if u64::from(size.width()) * u64::from(size.height()) > MAX_PIXELS {
        return Err(PlotError::InvalidSize(format!(
            "{}×{} PNG exceeds {MAX_PIXELS} pixels",
            size.width(),
            size.height()
        )));
    }
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).ok_or_else(|| {
        PlotError::InvalidSize(format!(
            "cannot allocate {}×{} pixmap",
            size.width(),
            size.height()
        ))
    })?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| PlotError::Raster(e.to_string()))
}
