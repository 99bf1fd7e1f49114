//! The 3A090 threshold map: validation, layout, point grouping and label
//! placement.
//!
//! Geometry is computed once in [`compute`] (used both by the renderer in
//! [`draw`] and by the public `map_coordinates`), so tests can check
//! placement without looking at pixels.

mod draw;
pub(crate) use draw::svg;

use crate::font::text_width;

use crate::labels::{place, place_on_line, LabelReq};
use crate::legend::{self, Entry, Swatch};
use crate::model::{AxisScale, ChipPoint, MapInput, PlacedPoint, Placement, Rect, RenderOptions};
use crate::scale::Scale;
use crate::svg::{num, Doc};
use crate::PlotError;

const LABEL_SIZE: f64 = 11.0;
/// Largest canvas side accepted (keeps sampling and rasterising bounded).
const MAX_SIDE: f64 = 6000.0;
/// Most names listed in an automatic footnote.
const NOTE_NAMES: usize = 8;

/// "a; b; c" for at most [`NOTE_NAMES`] items, then "and N more".
fn brief_list(items: &[String]) -> String {
    let mut s = items
        .iter()
        .take(NOTE_NAMES)
        .cloned()
        .collect::<Vec<_>>()
        .join("; ");
    if items.len() > NOTE_NAMES {
        s.push_str(&format!(" and {} more", items.len() - NOTE_NAMES));
    }
    s
}
const LABEL_LINE: f64 = 13.0;
const LABEL_MAX_W: f64 = 175.0;
const STRIP_LABEL_MAX_W: f64 = 125.0;
const MARKER_R: f64 = 5.0;
const LEGEND_W: f64 = 215.0;
/// Half-height available to strip label rows (8 rows each side).
const STRIP_HALF: f64 = 8.0 * 14.0 + 10.0;

/// Computed geometry of a map.
pub(crate) struct MapModel {
    pub width: f64,
    pub height: f64,
    pub plot: Rect,
    pub xs: Scale,
    pub ys: Scale,
    pub strip: Option<Rect>,
    /// y of the strip's marker line.
    pub strip_line: f64,
    pub legend_x: f64,
    pub notes_y: f64,
    pub points: Vec<PlacedPoint>,
    pub notes: Vec<String>,
}

struct Group {
    chips: Vec<String>,
    tpp: f64,
    pd: Option<f64>,
    category: String,
}

fn group(points: Vec<(&ChipPoint, Option<f64>)>) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for (p, pd) in points {
        let same = |g: &Group| g.tpp == p.tpp && g.pd == pd && g.category == p.category;
        match groups.iter_mut().find(|g| same(g)) {
            Some(g) => g.chips.push(p.label.clone()),
            None => groups.push(Group {
                chips: vec![p.label.clone()],
                tpp: p.tpp,
                pd,
                category: p.category.clone(),
            }),
        }
    }
    groups
}

/// Label lines for a merged marker: whole chip names joined by ", ",
/// wrapped at chip boundaries (long single names wrap at words).
fn label_lines(chips: &[String], max_w: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    let n = chips.len();
    for (i, c) in chips.iter().enumerate() {
        let piece = if i + 1 < n {
            format!("{c},")
        } else {
            c.clone()
        };
        let cand = if cur.is_empty() {
            piece.clone()
        } else {
            format!("{cur} {piece}")
        };
        if text_width(&cand, LABEL_SIZE, false) <= max_w {
            cur = cand;
            continue;
        }
        if !cur.is_empty() && text_width(&piece, LABEL_SIZE, false) <= max_w {
            lines.push(std::mem::take(&mut cur));
        }
        if text_width(&piece, LABEL_SIZE, false) <= max_w {
            cur = piece;
        } else {
            // A name longer than a line: continue word by word on the current line.
            for word in piece.split_whitespace() {
                let cand = if cur.is_empty() {
                    word.to_string()
                } else {
                    format!("{cur} {word}")
                };
                if cur.is_empty() || text_width(&cand, LABEL_SIZE, false) <= max_w {
                    cur = cand;
                } else {
                    lines.push(std::mem::replace(&mut cur, word.to_string()));
                }
            }
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

fn label_size(lines: &[String]) -> (f64, f64) {
    let w = lines
        .iter()
        .map(|l| text_width(l, LABEL_SIZE, false))
        .fold(0.0, f64::max)
        + 2.0;
    (w, lines.len() as f64 * LABEL_LINE + 1.0)
}

/// A point left off the map, with `why` as its note.
pub(crate) fn omitted(p: &ChipPoint, why: String) -> PlacedPoint {
    PlacedPoint {
        chips: vec![p.label.clone()],
        tpp: p.tpp,
        pd: p.pd,
        category: p.category.clone(),
        region: None,
        placement: Placement::Omitted,
        x: f64::NAN,
        y: f64::NAN,
        label_lines: Vec::new(),
        label_box: None,
        leader: None,
        note: Some(why),
    }
}

/// Validate the input and compute the whole map geometry.
pub(crate) fn compute(input: &MapInput, opts: &RenderOptions) -> Result<MapModel, PlotError> {
    // Lay out without room for a "labels left out" footnote; only if one is
    // needed, lay out again with room for it (up to two lines).
    let m = compute_with(input, opts, 6.0)?;
    if m.points
        .iter()
        .any(|p| p.placement != Placement::Omitted && p.label_box.is_none())
    {
        compute_with(input, opts, 36.0)
    } else {
        Ok(m)
    }
}

fn compute_with(
    input: &MapInput,
    opts: &RenderOptions,
    note_reserve: f64,
) -> Result<MapModel, PlotError> {
    let (w, h) = (f64::from(opts.width), f64::from(opts.height));
    if !(400.0..=MAX_SIDE).contains(&w) || !(300.0..=MAX_SIDE).contains(&h) {
        return Err(PlotError::InvalidSize(format!(
            "map canvas {w}×{h} (need 400–6000 × 300–6000)"
        )));
    }
    Scale::check(AxisScale::Log, input.tpp_range.0, input.tpp_range.1, "TPP")
        .map_err(PlotError::InvalidRange)?;
    Scale::check(
        input.pd_scale,
        input.pd_range.0,
        input.pd_range.1,
        "performance density",
    )
    .map_err(PlotError::InvalidRange)?;

    // Sort points into plane / strip / omitted before layout (the strip's presence changes it).
    let (t0, t1) = input.tpp_range;
    let tpp_ok = |t: f64| t.is_finite() && t > 0.0 && t >= t0 && t <= t1;
    let mut placed: Vec<PlacedPoint> = Vec::new();
    let mut plane_in: Vec<(&ChipPoint, Option<f64>)> = Vec::new();
    let mut strip_in: Vec<(&ChipPoint, Option<f64>)> = Vec::new();
    let probe = Scale {
        kind: input.pd_scale,
        d0: input.pd_range.0,
        d1: input.pd_range.1,
        p0: 1.0,
        p1: 0.0,
    };
    for (p, known_area) in input
        .points
        .iter()
        .map(|p| (p, true))
        .chain(input.unknown_area.iter().map(|p| (p, false)))
    {
        if !p.tpp.is_finite() || p.tpp <= 0.0 {
            placed.push(omitted(
                p,
                format!("{}: TPP {} is not a positive number", p.label, p.tpp),
            ));
        } else if !tpp_ok(p.tpp) {
            placed.push(omitted(
                p,
                format!(
                    "{}: TPP {} outside the plotted range",
                    p.label,
                    num(p.tpp, 0)
                ),
            ));
        } else {
            match p.pd.filter(|v| v.is_finite()) {
                Some(pd) if known_area => {
                    if probe.contains(pd) {
                        plane_in.push((p, Some(pd)));
                    } else {
                        placed.push(omitted(
                            p,
                            format!(
                                "{}: performance density {} outside the plotted range",
                                p.label,
                                num(pd, 2)
                            ),
                        ));
                    }
                }
                _ => strip_in.push((p, None)),
            }
        }
    }

    let title_h = 44.0 + if input.subtitle.is_some() { 20.0 } else { 0.0 };
    let plot_top = title_h + 16.0; // room for threshold values above the plot
    let legend_x = w - LEGEND_W - 12.0;
    let plot_left = 78.0;
    let plot_right = legend_x - 48.0;
    // Notes include automatic ones; estimate them before layout.
    let mut notes: Vec<String> = input.notes.clone();
    let omitted_notes: Vec<String> = placed.iter().filter_map(|p| p.note.clone()).collect();
    if !omitted_notes.is_empty() {
        notes.push(format!("Not drawn: {}.", brief_list(&omitted_notes)));
    }
    let notes_h_est = legend::notes(None, 0.0, 0.0, w - 2.0 * 16.0, &notes) + note_reserve;
    // Strip markers: labels placed around a virtual line at y = 0 first, so
    // the strip can be made exactly as tall as its label rows.
    let xs_strip = Scale {
        kind: AxisScale::Log,
        d0: t0,
        d1: t1,
        p0: plot_left,
        p1: plot_right,
    };
    let mut on_strip: Vec<PlacedPoint> = Vec::new();
    let sgroups = group(strip_in);
    for (i, g) in sgroups.iter().enumerate() {
        let siblings: Vec<usize> = sgroups
            .iter()
            .enumerate()
            .filter(|(_, o)| o.tpp == g.tpp)
            .map(|(j, _)| j)
            .collect();
        let pos = siblings.iter().position(|&j| j == i).unwrap_or(0) as f64;
        let dx = (pos - (siblings.len() as f64 - 1.0) / 2.0) * (2.0 * MARKER_R + 1.0);
        on_strip.push(PlacedPoint {
            chips: g.chips.clone(),
            tpp: g.tpp,
            pd: None,
            category: g.category.clone(),
            region: None,
            placement: Placement::UnknownAreaStrip,
            x: xs_strip.px(g.tpp) + dx,
            y: 0.0,
            label_lines: label_lines(&g.chips, STRIP_LABEL_MAX_W),
            label_box: None,
            leader: None,
            note: None,
        });
    }
    // Strip labels may run past the axis end into the right margin when the
    // legend panel ends above the strip; otherwise they stay under the axis.
    let legend_bottom = plot_top + legend_height_estimate(input);
    let mut strip_right = w - 16.0;
    // The strip may take at most about a quarter of the canvas.
    let strip_half = STRIP_HALF.min(((0.26 * h - 34.0) / 2.0).max(2.0 * LABEL_LINE));
    let (mut s_top, mut strip_h) = (0.0, 0.0);
    for attempt in 0..2 {
        label_line(
            &mut on_strip,
            0.0,
            Rect {
                x: plot_left + 2.0,
                y: -strip_half,
                w: strip_right - plot_left - 4.0,
                h: 2.0 * strip_half,
            },
        );
        s_top = -MARKER_R - 4.0;
        let mut s_bot = MARKER_R + 4.0;
        for b in on_strip.iter().filter_map(|p| p.label_box) {
            s_top = f64::min(s_top, b.y);
            s_bot = f64::max(s_bot, b.y + b.h);
        }
        strip_h = if on_strip.is_empty() {
            0.0
        } else {
            26.0 + (s_bot - s_top) + 8.0
        };
        let strip_top = h - 10.0 - notes_h_est - strip_h;
        if strip_top >= legend_bottom + 10.0 || attempt == 1 {
            break;
        }
        strip_right = plot_right;
        for p in &mut on_strip {
            p.label_lines = label_lines(&p.chips, STRIP_LABEL_MAX_W);
        }
    }
    let axis_h = 46.0;
    let plot_bottom =
        h - 10.0 - notes_h_est - if strip_h > 0.0 { strip_h + 10.0 } else { 0.0 } - axis_h;
    let plot = Rect {
        x: plot_left,
        y: plot_top,
        w: plot_right - plot_left,
        h: plot_bottom - plot_top,
    };
    if plot.w < 150.0 || plot.h < 120.0 {
        return Err(PlotError::InvalidSize(format!(
            "canvas {w}×{h} leaves no room for the plot"
        )));
    }
    let xs = Scale {
        kind: AxisScale::Log,
        d0: t0,
        d1: t1,
        p0: plot.x,
        p1: plot.x + plot.w,
    };
    let ys = Scale {
        kind: input.pd_scale,
        d0: input.pd_range.0,
        d1: input.pd_range.1,
        p0: plot.y + plot.h,
        p1: plot.y,
    };
    let strip = if on_strip.is_empty() {
        None
    } else {
        Some(Rect {
            x: plot.x,
            y: plot.y + plot.h + axis_h + 6.0,
            w: strip_right - plot.x,
            h: strip_h,
        })
    };
    let line_y = strip.map_or(0.0, |s| s.y + 26.0 - s_top);
    for p in &mut on_strip {
        p.y += line_y;
        if let Some(b) = p.label_box.as_mut() {
            b.y += line_y;
        }
        if let Some(((_, y0), (_, y1))) = p.leader.as_mut() {
            *y0 += line_y;
            *y1 += line_y;
        }
    }

    // Plane markers.
    let groups = group(plane_in);
    let mut plane: Vec<PlacedPoint> = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        let pd = g.pd.unwrap_or(0.0);
        let siblings: Vec<usize> = groups
            .iter()
            .enumerate()
            .filter(|(_, o)| o.tpp == g.tpp && o.pd == g.pd)
            .map(|(j, _)| j)
            .collect();
        let pos = siblings.iter().position(|&j| j == i).unwrap_or(0) as f64;
        let dx = (pos - (siblings.len() as f64 - 1.0) / 2.0) * (2.0 * MARKER_R + 1.0);
        plane.push(PlacedPoint {
            chips: g.chips.clone(),
            tpp: g.tpp,
            pd: g.pd,
            category: g.category.clone(),
            region: Some((input.classify)(g.tpp, pd)),
            placement: Placement::Plot,
            x: xs.px(g.tpp) + dx,
            y: ys.px(pd),
            label_lines: label_lines(&g.chips, LABEL_MAX_W),
            label_box: None,
            leader: None,
            note: None,
        });
    }
    label_points(&mut plane, plot.inflate(-2.0));

    let unlabelled: Vec<String> = plane
        .iter()
        .chain(on_strip.iter())
        .filter(|p| p.label_box.is_none())
        .map(|p| p.chips.join(", "))
        .collect();
    if !unlabelled.is_empty() {
        notes.push(format!(
            "Labels left out for lack of room: {}.",
            brief_list(&unlabelled)
        ));
    }
    let notes_y = strip.map_or(plot.y + plot.h + axis_h, |s| s.y + s.h + 10.0);
    let mut points = plane;
    points.extend(on_strip);
    points.extend(placed);
    Ok(MapModel {
        width: w,
        height: h,
        plot,
        xs,
        ys,
        strip,
        strip_line: line_y,
        legend_x,
        notes_y,
        points,
        notes,
    })
}

/// One label request per point: its marker as anchor, its label lines' size.
fn label_reqs(pts: &[PlacedPoint]) -> Vec<LabelReq> {
    pts.iter()
        .map(|p| {
            let (w, h) = label_size(&p.label_lines);
            LabelReq {
                ax: p.x,
                ay: p.y,
                r: MARKER_R,
                w,
                h,
            }
        })
        .collect()
}

fn label_line(pts: &mut [PlacedPoint], line_y: f64, bounds: Rect) {
    let reqs = label_reqs(pts);
    let outs = place_on_line(&reqs, line_y, LABEL_LINE + 1.0, bounds);
    apply(pts, outs);
}

fn apply(pts: &mut [PlacedPoint], outs: Vec<crate::labels::LabelOut>) {
    for (p, o) in pts.iter_mut().zip(outs) {
        p.label_box = o.rect;
        p.leader = o.leader;
        if o.rect.is_none() {
            p.note = Some("label left out: no free space".to_string());
            p.label_lines.clear();
        } else {
            p.note = None;
        }
    }
}

fn label_points(pts: &mut [PlacedPoint], bounds: Rect) {
    let markers: Vec<Rect> = pts
        .iter()
        .map(|p| Rect {
            x: p.x - MARKER_R,
            y: p.y - MARKER_R,
            w: 2.0 * MARKER_R,
            h: 2.0 * MARKER_R,
        })
        .collect();
    let reqs = label_reqs(pts);
    let outs = place(&reqs, &markers, bounds);
    apply(pts, outs);
}

/// Upper bound of the legend panel's height (all styles listed).
fn legend_height_estimate(input: &MapInput) -> f64 {
    let mut scratch = Doc::new(10.0, 10.0);
    let e = |v: &[crate::model::CategoryStyle], sw: Swatch| -> Vec<Entry> {
        v.iter()
            .map(|s| Entry {
                label: s.label.clone(),
                colour: s.colour.clone(),
                swatch: sw,
            })
            .collect()
    };
    legend::draw_block(
        &mut scratch,
        0.0,
        0.0,
        LEGEND_W,
        "Region",
        &e(&input.regions, Swatch::Box),
    ) + legend::draw_block(
        &mut scratch,
        0.0,
        0.0,
        LEGEND_W,
        "Decision",
        &e(&input.categories, Swatch::Dot),
    ) + 24.0
        + 34.0
}
