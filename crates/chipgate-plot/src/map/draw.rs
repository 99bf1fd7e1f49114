//! SVG drawing of a computed map: regions, axes, threshold values, the
//! unknown-area strip, markers with labels and leaders, legend, footnotes.
//! All geometry comes from [`super::compute`]; this module only paints it.

use super::{compute, MapModel, LABEL_LINE, LABEL_SIZE, LEGEND_W, MARKER_R};
use crate::font::{fit, text_width, wrap};
use crate::legend::{self, style_for, Entry, Swatch};
use crate::model::{AxisScale, MapInput, PlacedPoint, Placement, Rect, RenderOptions};
use crate::regions::{shade, Shading};
use crate::svg::{num, Anchor, Doc};
use crate::PlotError;

/// Render the map to an SVG string.
pub(crate) fn svg(input: &MapInput, opts: &RenderOptions) -> Result<String, PlotError> {
    let m = compute(input, opts)?;
    let shading = shade(&*input.classify, m.xs, m.ys);
    let mut doc = Doc::new(m.width, m.height);
    legend::title(&mut doc, &input.title, input.subtitle.as_deref());
    regions(&mut doc, input, &m, &shading);
    axes(&mut doc, &m);
    thresholds(&mut doc, &m, &shading);
    if let Some(s) = m.strip {
        strip(&mut doc, &m, s);
    }
    points(&mut doc, input, &m);
    legend_panel(&mut doc, input, &m, &shading);
    legend::notes(Some(&mut doc), 16.0, m.notes_y, m.width - 32.0, &m.notes);
    Ok(doc.finish())
}

fn regions(doc: &mut Doc, input: &MapInput, m: &MapModel, sh: &Shading) {
    doc.rect(
        m.plot.x,
        m.plot.y,
        m.plot.w,
        m.plot.h,
        r##"fill="#ffffff""##,
    );
    doc.open_group(r#"shape-rendering="crispEdges""#);
    for b in &sh.bands {
        for r in &b.runs {
            if r.key.is_empty() {
                continue;
            }
            let (_, c) = style_for(&input.regions, &r.key);
            doc.rect(
                r.x0,
                b.y0,
                r.x1 - r.x0,
                b.y1 - b.y0,
                &format!(r#"fill="{c}""#),
            );
        }
    }
    doc.close_group();
}

fn axes(doc: &mut Doc, m: &MapModel) {
    const MINOR: &str = r##"stroke="#000000" stroke-opacity="0.06" stroke-width="0.7""##;
    const MAJOR: &str = r##"stroke="#000000" stroke-opacity="0.13" stroke-width="0.8""##;
    let p = m.plot;
    let (xmaj, xmin) = m.xs.ticks();
    let (ymaj, ymin) = m.ys.ticks();
    // Full-height grid line at x / full-width grid line at y.
    let vline = |doc: &mut Doc, x: f64, attrs: &str| doc.line(x, p.y, x, p.y + p.h, attrs);
    let hline = |doc: &mut Doc, y: f64, attrs: &str| doc.line(p.x, y, p.x + p.w, y, attrs);
    for v in &xmin {
        vline(doc, m.xs.px(*v), MINOR);
    }
    for v in &ymin {
        hline(doc, m.ys.px(*v), MINOR);
    }
    for v in &xmaj {
        let x = m.xs.px(*v);
        vline(doc, x, MAJOR);
        doc.line(x, p.y + p.h, x, p.y + p.h + 5.0, r##"stroke="#555555""##);
        doc.text(
            x,
            p.y + p.h + 18.0,
            11.0,
            Anchor::Middle,
            false,
            "#333333",
            "",
            &num(*v, 0),
        );
    }
    let ydec = if ymaj.iter().all(|v| (v - v.round()).abs() < 1e-9) {
        0
    } else {
        2
    };
    for v in &ymaj {
        let y = m.ys.px(*v);
        hline(doc, y, MAJOR);
        doc.line(p.x - 5.0, y, p.x, y, r##"stroke="#555555""##);
        doc.text(
            p.x - 8.0,
            y + 4.0,
            11.0,
            Anchor::End,
            false,
            "#333333",
            "",
            &num(*v, ydec),
        );
    }
    doc.rect(
        p.x,
        p.y,
        p.w,
        p.h,
        r##"fill="none" stroke="#555555" stroke-width="1""##,
    );
    doc.text(
        p.x + p.w / 2.0,
        p.y + p.h + 38.0,
        12.0,
        Anchor::Middle,
        false,
        "#222222",
        "",
        "Total processing performance, TPP = 2 × MacTOPS × bit length (log scale)",
    );
    let cy = p.y + p.h / 2.0;
    let log = if m.ys.kind == AxisScale::Log {
        " (log scale)"
    } else {
        ""
    };
    let candidates = [
        format!("Performance density, PD = TPP ÷ die area in mm²{log}"),
        format!("Performance density (TPP per mm²){log}"),
        format!("PD (TPP per mm²){log}"),
    ];
    let label = candidates
        .iter()
        .find(|c| text_width(c, 12.0, false) <= p.h)
        .cloned()
        .or_else(|| fit("PD", 12.0, false, p.h))
        .unwrap_or_default();
    let label = label.as_str();
    doc.text(
        24.0,
        cy,
        12.0,
        Anchor::Middle,
        false,
        "#222222",
        &format!(r#"transform="rotate(-90 24 {})""#, crate::svg::n(cy)),
        label,
    );
}

fn thresholds(doc: &mut Doc, m: &MapModel, sh: &Shading) {
    let p = m.plot;
    doc.open_group(r##"stroke="#333333" stroke-opacity="0.7" stroke-width="1" fill="none""##);
    for (x1, y1, x2, y2) in &sh.lines {
        doc.line(*x1, *y1, *x2, *y2, "");
    }
    doc.close_group();
    // Threshold values along the top (TPP) and right (PD) edges.
    let mut xs: Vec<f64> = sh.x_thresholds.clone();
    xs.sort_by(f64::total_cmp);
    let mut last_right = f64::NEG_INFINITY;
    for v in xs {
        let x = m.xs.px(v);
        let t = num(v, 2);
        let w = text_width(&t, 10.0, false);
        if x - w / 2.0 > last_right + 4.0 && x >= p.x && x <= p.x + p.w {
            doc.line(x, p.y - 4.0, x, p.y, r##"stroke="#333333""##);
            doc.text(x, p.y - 6.0, 10.0, Anchor::Middle, false, "#333333", "", &t);
            last_right = x + w / 2.0;
        }
    }
    let mut ys: Vec<f64> = sh.y_thresholds.clone();
    ys.sort_by(f64::total_cmp);
    let mut last_top = f64::INFINITY;
    for v in ys {
        let y = m.ys.px(v);
        if y + 5.0 < last_top - 2.0 && y >= p.y && y <= p.y + p.h {
            doc.line(p.x + p.w, y, p.x + p.w + 4.0, y, r##"stroke="#333333""##);
            doc.text(
                p.x + p.w + 6.0,
                y + 3.5,
                10.0,
                Anchor::Start,
                false,
                "#333333",
                "",
                &num(v, 3),
            );
            last_top = y - 5.0;
        }
    }
}

fn strip(doc: &mut Doc, m: &MapModel, s: Rect) {
    doc.rect(
        s.x,
        s.y,
        s.w,
        s.h,
        r##"fill="#f6f6f4" stroke="#bbbbbb" stroke-width="0.8""##,
    );
    doc.text(
        s.x + 6.0,
        s.y + 14.0,
        11.0,
        Anchor::Start,
        true,
        "#444444",
        "",
        "Die area unknown: PD not computable, chips placed by TPP only (no region shown)",
    );
    let (maj, _) = m.xs.ticks();
    for v in maj {
        let x = m.xs.px(v);
        doc.line(
            x,
            s.y + 18.0,
            x,
            s.y + s.h,
            r##"stroke="#000000" stroke-opacity="0.1" stroke-width="0.8""##,
        );
    }
    let line_y = m.strip_line;
    doc.line(
        s.x,
        line_y,
        m.plot.x + m.plot.w,
        line_y,
        r##"stroke="#999999" stroke-width="0.8""##,
    );
}

fn points(doc: &mut Doc, input: &MapInput, m: &MapModel) {
    let drawn: Vec<&PlacedPoint> = m
        .points
        .iter()
        .filter(|p| p.placement != Placement::Omitted)
        .collect();
    doc.open_group(r##"stroke="#555555" stroke-width="0.8""##);
    for p in &drawn {
        if let Some((a, b)) = p.leader {
            doc.line(a.0, a.1, b.0, b.1, "");
        }
    }
    doc.close_group();
    for p in &drawn {
        let (_, c) = style_for(&input.categories, &p.category);
        doc.circle(
            p.x,
            p.y,
            MARKER_R,
            &format!(r##"fill="{c}" stroke="#222222" stroke-width="0.9""##),
        );
    }
    let halo =
        r##"stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke""##;
    for p in &drawn {
        if let Some(b) = p.label_box {
            for (i, l) in p.label_lines.iter().enumerate() {
                doc.text(
                    b.x + 1.0,
                    b.y + 10.0 + i as f64 * LABEL_LINE,
                    LABEL_SIZE,
                    Anchor::Start,
                    false,
                    "#1a1a1a",
                    halo,
                    l,
                );
            }
        }
    }
}

fn legend_panel(doc: &mut Doc, input: &MapInput, m: &MapModel, sh: &Shading) {
    let mut used_regions: Vec<String> = Vec::new();
    for b in &sh.bands {
        for r in &b.runs {
            if !r.key.is_empty() && !used_regions.contains(&r.key) {
                used_regions.push(r.key.clone());
            }
        }
    }
    let region_entries: Vec<Entry> = legend::entries(&input.regions, &used_regions, Swatch::Box);
    let mut used_cats: Vec<String> = Vec::new();
    for p in m
        .points
        .iter()
        .filter(|p| p.placement != Placement::Omitted)
    {
        if !used_cats.contains(&p.category) {
            used_cats.push(p.category.clone());
        }
    }
    let cat_entries: Vec<Entry> = legend::entries(&input.categories, &used_cats, Swatch::Dot);
    let x = m.legend_x;
    let mut y = m.plot.y;
    if !region_entries.is_empty() {
        y += legend::draw_block(
            doc,
            x,
            y,
            LEGEND_W,
            "Region (datacenter IC)",
            &region_entries,
        ) + 12.0;
    }
    if !cat_entries.is_empty() {
        y += legend::draw_block(doc, x, y, LEGEND_W, "Decision", &cat_entries) + 12.0;
    }
    doc.line(
        x,
        y + 7.5,
        x + 16.0,
        y + 7.5,
        r##"stroke="#333333" stroke-opacity="0.7" stroke-width="1""##,
    );
    for (i, l) in wrap(
        "Region boundary; threshold values printed on the plot edges",
        11.5,
        false,
        LEGEND_W - 24.0,
    )
    .iter()
    .enumerate()
    {
        doc.text(
            x + 24.0,
            y + 11.5 + i as f64 * 15.0,
            11.5,
            Anchor::Start,
            false,
            "#222222",
            "",
            l,
        );
    }
}
