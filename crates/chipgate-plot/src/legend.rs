//! Colour look-up, legend drawing and the title block shared by the map and the timeline.

use crate::font::{text_width, wrap};
use crate::model::CategoryStyle;
use crate::svg::{colour, Anchor, Doc};

/// Fallback colours for keys the caller gave no style for.
const FALLBACK: [&str; 6] = [
    "#9e9e9e", "#8d6e63", "#7986cb", "#4db6ac", "#ba68c8", "#a1887f",
];

/// Label and sanitised colour for `key`; unknown keys get a fallback colour
/// and their key as label.
pub(crate) fn style_for(styles: &[CategoryStyle], key: &str) -> (String, String) {
    match styles.iter().find(|s| s.key == key) {
        Some(s) => (s.label.clone(), colour(&s.colour)),
        None => {
            let h = key.bytes().fold(0usize, |a, b| {
                a.wrapping_mul(31).wrapping_add(usize::from(b))
            });
            let c = FALLBACK
                .get(h % FALLBACK.len())
                .copied()
                .unwrap_or("#9e9e9e");
            (
                if key.is_empty() {
                    "(unclassified)".to_string()
                } else {
                    key.to_string()
                },
                c.to_string(),
            )
        }
    }
}

/// Keys in display order: those with a style first (style order), then the rest.
pub(crate) fn ordered_keys(styles: &[CategoryStyle], used: &[String]) -> Vec<String> {
    let mut out: Vec<String> = styles
        .iter()
        .filter(|s| used.contains(&s.key))
        .map(|s| s.key.clone())
        .collect();
    for k in used {
        if !out.contains(k) {
            out.push(k.clone());
        }
    }
    out
}

/// Swatch shape for a legend entry.
#[derive(Clone, Copy)]
pub(crate) enum Swatch {
    Box,
    Dot,
    Dash,
}

/// One legend entry.
pub(crate) struct Entry {
    pub label: String,
    pub colour: String,
    pub swatch: Swatch,
}

/// Legend entries for the `used` keys in display order (see [`ordered_keys`]), each with its
/// label and colour from [`style_for`] and the given swatch.
pub(crate) fn entries(styles: &[CategoryStyle], used: &[String], swatch: Swatch) -> Vec<Entry> {
    ordered_keys(styles, used)
        .into_iter()
        .map(|k| {
            let (label, colour) = style_for(styles, &k);
            Entry {
                label,
                colour,
                swatch,
            }
        })
        .collect()
}

const SIZE: f64 = 11.5;
const LINE: f64 = 15.0;

/// Draw the chart title (and subtitle, if any) at the top left.
pub(crate) fn title(doc: &mut Doc, title: &str, subtitle: Option<&str>) {
    doc.text(16.0, 28.0, 18.0, Anchor::Start, true, "#111111", "", title);
    if let Some(s) = subtitle {
        doc.text(16.0, 48.0, 13.0, Anchor::Start, false, "#555555", "", s);
    }
}

/// Draw `e`'s swatch with its left edge at `x`, centred vertically on `mid`.
fn draw_swatch(doc: &mut Doc, x: f64, mid: f64, e: &Entry) {
    match e.swatch {
        Swatch::Box => doc.rect(
            x,
            mid - 6.0,
            16.0,
            12.0,
            &format!(
                r##"fill="{}" stroke="#00000040" stroke-width="0.6""##,
                e.colour
            ),
        ),
        Swatch::Dot => doc.circle(
            x + 8.0,
            mid,
            5.0,
            &format!(
                r##"fill="{}" stroke="#333333" stroke-width="0.8""##,
                e.colour
            ),
        ),
        Swatch::Dash => doc.line(
            x + 8.0,
            mid - 7.0,
            x + 8.0,
            mid + 7.0,
            &format!(
                r#"stroke="{}" stroke-width="1.6" stroke-dasharray="3 2""#,
                e.colour
            ),
        ),
    }
}

/// Draw a vertical legend block at (x, y) (top-left); returns its height.
pub(crate) fn draw_block(
    doc: &mut Doc,
    x: f64,
    y: f64,
    width: f64,
    header: &str,
    entries: &[Entry],
) -> f64 {
    let mut cy = y;
    if !header.is_empty() {
        doc.text(
            x,
            cy + 12.0,
            12.5,
            Anchor::Start,
            true,
            "#222222",
            "",
            header,
        );
        cy += 20.0;
    }
    for e in entries {
        let lines = wrap(&e.label, SIZE, false, width - 24.0);
        let mid = cy + 7.5;
        draw_swatch(doc, x, mid, e);
        for (i, l) in lines.iter().enumerate() {
            doc.text(
                x + 24.0,
                cy + 11.5 + i as f64 * LINE,
                SIZE,
                Anchor::Start,
                false,
                "#222222",
                "",
                l,
            );
        }
        cy += lines.len().max(1) as f64 * LINE + 4.0;
    }
    cy - y
}

/// Draw entries in a horizontal row starting at (x, y); wraps to new rows
/// within `width`. Returns the height used.
pub(crate) fn draw_row(
    doc: &mut Doc,
    x: f64,
    y: f64,
    width: f64,
    entries: &[Entry],
    dry_run: bool,
) -> f64 {
    let mut cx = x;
    let mut cy = y;
    for e in entries {
        let w = 24.0 + text_width(&e.label, SIZE, false) + 18.0;
        if cx > x && cx + w > x + width {
            cx = x;
            cy += LINE + 6.0;
        }
        if !dry_run {
            let mid = cy + 7.5;
            draw_swatch(doc, cx, mid, e);
            doc.text(
                cx + 24.0,
                cy + 11.5,
                SIZE,
                Anchor::Start,
                false,
                "#222222",
                "",
                &e.label,
            );
        }
        cx += w;
    }
    cy - y + LINE + 4.0
}

/// Draw wrapped footnotes at (x, y); returns the height used (0 if none).
pub(crate) fn notes(doc: Option<&mut Doc>, x: f64, y: f64, width: f64, notes: &[String]) -> f64 {
    let mut lines = Vec::new();
    for n in notes.iter().filter(|n| !n.trim().is_empty()) {
        for (i, l) in wrap(n, 11.0, false, width - 12.0).into_iter().enumerate() {
            lines.push((i == 0, l));
        }
    }
    if let Some(doc) = doc {
        for (i, (first, l)) in lines.iter().enumerate() {
            let ly = y + 11.0 + i as f64 * 14.5;
            if *first {
                doc.text(x, ly, 11.0, Anchor::Start, false, "#555555", "", "•");
            }
            doc.text(x + 12.0, ly, 11.0, Anchor::Start, false, "#444444", "", l);
        }
    }
    if lines.is_empty() {
        0.0
    } else {
        lines.len() as f64 * 14.5 + 4.0
    }
}
