//! SVG → PNG with resvg, using only the embedded font (no system fonts), so
//! the picture is the same on any machine.

use crate::font::{BOLD, FONT_FAMILY, REGULAR};
use crate::PlotError;
use resvg::{tiny_skia, usvg};

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
