//! Embedded font and text measurement.
//!
//! The PNG renderer must produce identical text on a fresh machine without
//! system fonts, so DejaVu Sans (Bitstream Vera licence, see
//! `assets/DejaVu-LICENSE.txt`) is compiled into the crate and loaded into
//! resvg's font database explicitly. The same font's advance widths are used
//! to measure labels, so collision boxes match what is drawn.

use std::sync::OnceLock;

/// DejaVu Sans, regular weight.
pub(crate) const REGULAR: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");
/// DejaVu Sans, bold weight.
pub(crate) const BOLD: &[u8] = include_bytes!("../assets/DejaVuSans-Bold.ttf");

/// The family name of the embedded font.
pub const FONT_FAMILY: &str = "DejaVu Sans";

/// CSS font-family list written into SVG output: the embedded font first,
/// metric-compatible or narrower fonts next, then the generic fallback.
pub const FONT_FAMILY_CSS: &str =
    "'DejaVu Sans', 'Bitstream Vera Sans', Verdana, Arial, Helvetica, sans-serif";

fn face(bold: bool) -> Option<&'static ttf_parser::Face<'static>> {
    static REG: OnceLock<Option<ttf_parser::Face<'static>>> = OnceLock::new();
    static BLD: OnceLock<Option<ttf_parser::Face<'static>>> = OnceLock::new();
    let cell = if bold { &BLD } else { &REG };
    cell.get_or_init(|| ttf_parser::Face::parse(if bold { BOLD } else { REGULAR }, 0).ok())
        .as_ref()
}

/// Width in pixels of `text` set in the embedded font at `size` px.
pub(crate) fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    match face(bold) {
        Some(f) => {
            let upem = f64::from(f.units_per_em().max(1));
            let units: f64 = text
                .chars()
                .map(|c| {
                    f.glyph_index(c)
                        .and_then(|g| f.glyph_hor_advance(g))
                        .map(f64::from)
                        .unwrap_or(upem * 0.6)
                })
                .sum();
            units * size / upem
        }
        None => text.chars().count() as f64 * size * 0.62,
    }
}

/// Greedy word wrap of `text` so that each line is at most `max_width` px.
/// A single word longer than the width stays on its own line.
pub(crate) fn wrap(text: &str, size: f64, bold: bool, max_width: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let candidate = if cur.is_empty() {
            word.to_string()
        } else {
            format!("{cur} {word}")
        };
        if cur.is_empty() || text_width(&candidate, size, bold) <= max_width {
            cur = candidate;
        } else {
            lines.push(std::mem::take(&mut cur));
            cur = word.to_string();
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Truncate `text` with an ellipsis so it fits `max_width`; `None` if not even
/// the ellipsis fits.
pub(crate) fn fit(text: &str, size: f64, bold: bool, max_width: f64) -> Option<String> {
    if text_width(text, size, bold) <= max_width {
        return Some(text.to_string());
    }
    let chars: Vec<char> = text.chars().collect();
    for n in (1..chars.len()).rev() {
        let s: String = chars[..n].iter().collect::<String>().trim_end().to_string() + "…";
        if text_width(&s, size, bold) <= max_width {
            return Some(s);
        }
    }
    None
}
