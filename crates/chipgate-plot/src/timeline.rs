//! Decision timeline: coloured bands per lane on a date axis, with rule
//! events as vertical markers whose labels are stacked so that no label
//! overlaps another label or another event's marker line.

use crate::font::{fit, text_width, wrap};
use crate::legend::{self, style_for, Entry, Swatch};
use crate::model::{EventKind, RenderOptions, TimelineInput};
use crate::svg::{Anchor, Doc};
use crate::PlotError;
use chrono::{Datelike, NaiveDate};

const LANE_H: f64 = 34.0;
const LANE_GAP: f64 = 10.0;
const ROW_H: f64 = 17.0;
const EVENT_SIZE: f64 = 11.0;
const LANE_LABEL_W: f64 = 165.0;
const SEG_SIZE: f64 = 11.5;
const CALLOUT_SIZE: f64 = 11.0;
const CALLOUT_ROW: f64 = 15.0;

/// A segment label that does not fit inside its band, drawn below it.
#[derive(Debug, Clone)]
struct Callout {
    /// Where the call-out line leaves the band (segment middle).
    anchor: f64,
    /// Where the text starts (or ends, if left of the anchor).
    x: f64,
    text: String,
    row: usize,
}

/// Call-outs for a lane's segments whose label does not fit in the band,
/// stacked in rows so that they never overlap.
fn callouts(
    lane: &crate::model::Lane,
    start: NaiveDate,
    end: NaiveDate,
    xof: &dyn Fn(NaiveDate) -> f64,
    right: f64,
) -> Vec<Callout> {
    let mut todo: Vec<(f64, String)> = Vec::new();
    for s in &lane.segments {
        let (a, b) = (s.start.max(start), s.end.min(end));
        if b <= a || s.label.trim().is_empty() {
            continue;
        }
        let (x0, x1) = (xof(a), xof(b));
        if text_width(&s.label, SEG_SIZE, false) > x1 - x0 - 12.0 {
            todo.push((0.5 * (x0 + x1), s.label.clone()));
        }
    }
    // Right to left: a call-out whose text covers the anchor of one already
    // placed goes below it, so no call-out line crosses another's text.
    todo.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut out: Vec<Callout> = Vec::new();
    let mut spans: Vec<(f64, f64, usize)> = Vec::new();
    for (anchor, text) in todo {
        let tw = text_width(&text, CALLOUT_SIZE, false) + 6.0;
        let (x, lo, hi) = if anchor + 8.0 + tw <= right {
            (anchor + 8.0, anchor, anchor + 8.0 + tw)
        } else {
            (anchor - 8.0, anchor - 8.0 - tw, anchor)
        };
        let mut row = out
            .iter()
            .filter(|c| c.anchor >= lo && c.anchor <= hi + 6.0)
            .map(|c| c.row + 1)
            .max()
            .unwrap_or(0);
        while spans
            .iter()
            .any(|&(l, h, r)| r == row && l < hi + 6.0 && lo < h + 6.0)
            && row < 50
        {
            row += 1;
        }
        spans.push((lo, hi, row));
        out.push(Callout {
            anchor,
            x,
            text,
            row,
        });
    }
    out
}

/// Colour and legend label of an event kind.
pub(crate) fn kind_style(k: EventKind) -> (&'static str, &'static str) {
    match k {
        EventKind::Rule => ("#37474f", "Rule published"),
        EventKind::Letter => ("#7b1fa2", "Letter to a company"),
        EventKind::Guidance => ("#00796b", "Guidance / announcement"),
        EventKind::Reversal => ("#d84315", "Rescission / reversal"),
    }
}

/// An event label after merging same-day events and assigning a row.
#[derive(Debug, Clone)]
pub(crate) struct PlacedEvent {
    pub x: f64,
    pub text: String,
    pub kind: EventKind,
    pub row: usize,
    pub width: f64,
}

fn luminance(hex: &str) -> f64 {
    let h = hex.trim_start_matches('#');
    if h.len() < 6 {
        return 0.5;
    }
    let c = |i: usize| {
        h.get(i..i + 2)
            .and_then(|s| u8::from_str_radix(s, 16).ok())
            .map_or(0.5, |v| f64::from(v) / 255.0)
    };
    0.299 * c(0) + 0.587 * c(2) + 0.114 * c(4)
}

/// Assign rows to event labels (row 0 nearest the lanes). Labels extend to
/// the right of their marker; a label must sit above every later event
/// whose marker its text would cover, so no marker line crosses a label.
pub(crate) fn assign_rows(events: &mut [PlacedEvent]) {
    events.sort_by(|a, b| b.x.total_cmp(&a.x));
    for i in 0..events.len() {
        let (x, w) = match events.get(i) {
            Some(e) => (e.x, e.width),
            None => continue,
        };
        let row = events
            .iter()
            .take(i)
            .filter(|o| o.x >= x - 1.0 && o.x <= x + w + 8.0)
            .map(|o| o.row + 1)
            .max()
            .unwrap_or(0);
        if let Some(e) = events.get_mut(i) {
            e.row = row;
        }
    }
    events.sort_by(|a, b| a.x.total_cmp(&b.x));
}

fn days(a: NaiveDate, b: NaiveDate) -> f64 {
    (b - a).num_days() as f64
}

/// Render the timeline to an SVG string.
pub(crate) fn svg(input: &TimelineInput, opts: &RenderOptions) -> Result<String, PlotError> {
    let w = f64::from(opts.width);
    if !(400.0..=6000.0).contains(&w) || !(100.0..=6000.0).contains(&f64::from(opts.height)) {
        return Err(PlotError::InvalidSize(format!(
            "timeline canvas {}×{}",
            opts.width, opts.height
        )));
    }
    if input.end <= input.start {
        return Err(PlotError::InvalidRange(format!(
            "timeline window {} .. {} is empty",
            input.start, input.end
        )));
    }
    if input.lanes.is_empty() {
        return Err(PlotError::EmptyInput("timeline has no lanes".to_string()));
    }
    let total = days(input.start, input.end);
    let mut notes = input.notes.clone();
    let title_h = 44.0 + if input.subtitle.is_some() { 20.0 } else { 0.0 };
    let plot_left = 16.0 + LANE_LABEL_W + 14.0;
    let right_limit = w - 14.0;
    let default_pw = right_limit - 16.0 - plot_left;

    // Merge same-day events; drop those outside the window.
    let mut merged: Vec<(NaiveDate, String, EventKind)> = Vec::new();
    let mut outside = Vec::new();
    let mut evs = input.events.clone();
    evs.sort_by_key(|e| e.date);
    for e in &evs {
        if e.date < input.start || e.date > input.end {
            outside.push(format!("{} {}", e.date, e.label));
            continue;
        }
        let ds = e.date.format("%Y-%m-%d").to_string();
        let lbl = e.label.trim().to_string();
        match merged.last_mut() {
            Some(m) if m.0 == e.date => {
                m.1 = format!("{} · {}", m.1, lbl);
            }
            _ => {
                let text = if lbl.starts_with(&ds) {
                    lbl
                } else {
                    format!("{ds}  {lbl}")
                };
                merged.push((e.date, text, e.kind));
            }
        }
    }
    if !outside.is_empty() {
        notes.push(format!(
            "Events outside the window, not drawn: {}.",
            outside.join("; ")
        ));
    }
    // Shrink the axis so that labels fit to the right of their markers.
    let mut pw = default_pw;
    for (d, text, _) in &merged {
        let f = days(input.start, *d) / total;
        let tw = text_width(text, EVENT_SIZE, false) + 6.0;
        if f > 0.0 && plot_left + f * pw + tw > right_limit {
            pw = pw.min((right_limit - plot_left - tw) / f);
        }
    }
    let pw = pw.max(default_pw * 0.55);
    let xof = |d: NaiveDate| plot_left + days(input.start, d).clamp(0.0, total) / total * pw;
    let mut placed: Vec<PlacedEvent> = merged
        .iter()
        .map(|(d, text, kind)| {
            let x = xof(*d);
            let text = fit(text, EVENT_SIZE, false, right_limit - x - 6.0).unwrap_or_default();
            let width = text_width(&text, EVENT_SIZE, false) + 6.0;
            PlacedEvent {
                x,
                text,
                kind: *kind,
                row: 0,
                width,
            }
        })
        .collect();
    assign_rows(&mut placed);
    let nrows = placed.iter().map(|e| e.row + 1).max().unwrap_or(0);

    let events_top = title_h + 6.0;
    let lanes_top = events_top + nrows as f64 * ROW_H + if nrows > 0 { 10.0 } else { 0.0 };
    // Per lane: segment labels that fit inside the band, and call-outs below it for those that do not.
    let mut lane_y = Vec::with_capacity(input.lanes.len());
    let mut lane_callouts: Vec<Vec<Callout>> = Vec::with_capacity(input.lanes.len());
    let mut y = lanes_top;
    for lane in &input.lanes {
        let calls = callouts(lane, input.start, input.end, &xof, right_limit);
        let rows = calls.iter().map(|c| c.row + 1).max().unwrap_or(0);
        lane_y.push(y);
        lane_callouts.push(calls);
        y += LANE_H + rows as f64 * CALLOUT_ROW + if rows > 0 { 4.0 } else { 0.0 } + LANE_GAP;
    }
    let lanes_bottom = y - LANE_GAP;
    let axis_bottom = lanes_bottom + 40.0;

    // Legend entries.
    let mut used: Vec<String> = Vec::new();
    for l in &input.lanes {
        for s in &l.segments {
            if !used.contains(&s.category) {
                used.push(s.category.clone());
            }
        }
    }
    let mut entries: Vec<Entry> = legend::entries(&input.categories, &used, Swatch::Box);
    let mut kinds: Vec<EventKind> = Vec::new();
    for e in &placed {
        if !kinds.contains(&e.kind) {
            kinds.push(e.kind);
        }
    }
    for k in kinds {
        let (c, l) = kind_style(k);
        entries.push(Entry {
            label: l.to_string(),
            colour: c.to_string(),
            swatch: Swatch::Dash,
        });
    }
    let mut scratch = Doc::new(w, 10.0);
    let legend_h = legend::draw_row(&mut scratch, 16.0, 0.0, w - 32.0, &entries, true);
    let legend_y = axis_bottom + 8.0;
    let notes_y = legend_y + legend_h + 4.0;
    let notes_h = legend::notes(None, 0.0, 0.0, w - 32.0, &notes);
    let h = (notes_y + notes_h + 10.0).max(f64::from(opts.height));

    let mut doc = Doc::new(w, h);
    legend::title(&mut doc, &input.title, input.subtitle.as_deref());
    axis(
        &mut doc,
        input.start,
        input.end,
        plot_left,
        pw,
        lanes_top,
        lanes_bottom,
    );

    // Lanes.
    let mut seg_texts: Vec<(f64, f64, &str, String, String)> = Vec::new();
    let mut call_texts: Vec<(f64, f64, Anchor, String)> = Vec::new();
    for ((lane, &y), calls) in input.lanes.iter().zip(&lane_y).zip(&lane_callouts) {
        doc.rect(plot_left, y, pw, LANE_H, r##"fill="#f3f3f3""##);
        let ll = wrap(&lane.label, 12.0, true, LANE_LABEL_W);
        let lh = ll.len() as f64 * 14.0;
        for (j, l) in ll.iter().enumerate() {
            doc.text(
                plot_left - 12.0,
                y + LANE_H / 2.0 - lh / 2.0 + 11.0 + j as f64 * 14.0,
                12.0,
                Anchor::End,
                true,
                "#222222",
                "",
                l,
            );
        }
        for s in &lane.segments {
            let (a, b) = (s.start.max(input.start), s.end.min(input.end));
            if b <= a {
                continue;
            }
            let (x0, x1) = (xof(a), xof(b));
            let (_, c) = style_for(&input.categories, &s.category);
            doc.rect(
                x0,
                y,
                x1 - x0,
                LANE_H,
                &format!(r##"fill="{c}" stroke="#ffffff" stroke-width="1""##),
            );
            let tc = if luminance(&c) < 0.55 {
                "#ffffff"
            } else {
                "#1a1a1a"
            };
            if !s.label.is_empty() && text_width(&s.label, SEG_SIZE, false) <= x1 - x0 - 12.0 {
                // Drawn after the event lines, with a halo in the band colour.
                let halo = format!(
                    r#"stroke="{c}" stroke-width="4" stroke-linejoin="round" paint-order="stroke""#
                );
                seg_texts.push((x0 + 6.0, y + LANE_H / 2.0 + 4.0, tc, halo, s.label.clone()));
            }
        }
        for c in calls {
            let ty = y + LANE_H + (c.row as f64 + 1.0) * CALLOUT_ROW;
            let grey = r##"stroke="#666666" stroke-width="0.8""##;
            doc.line(c.anchor, y + LANE_H, c.anchor, ty - 3.0, grey);
            doc.line(c.anchor, ty - 3.0, c.x, ty - 3.0, grey);
            let (tx, anchor) = if c.x >= c.anchor {
                (c.x + 3.0, Anchor::Start)
            } else {
                (c.x - 3.0, Anchor::End)
            };
            call_texts.push((tx, ty + 1.0, anchor, c.text.clone()));
        }
    }

    // Event markers and labels.
    for e in &placed {
        let (c, _) = kind_style(e.kind);
        let base = lanes_top - 10.0 - e.row as f64 * ROW_H;
        doc.line(
            e.x,
            base - 9.0,
            e.x,
            lanes_bottom + 4.0,
            &format!(r#"stroke="{c}" stroke-width="1.4" stroke-dasharray="4 2.5""#),
        );
        doc.circle(e.x, base - 9.0, 2.2, &format!(r#"fill="{c}""#));
        let halo =
            r##"stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke""##;
        doc.text(
            e.x + 4.0,
            base - 5.0,
            EVENT_SIZE,
            Anchor::Start,
            false,
            c,
            halo,
            &e.text,
        );
    }

    for (x, y, fill, halo, t) in &seg_texts {
        doc.text(*x, *y, SEG_SIZE, Anchor::Start, false, fill, halo, t);
    }
    let halo =
        r##"stroke="#ffffff" stroke-width="4" stroke-linejoin="round" paint-order="stroke""##;
    for (x, y, anchor, t) in &call_texts {
        doc.text(*x, *y, CALLOUT_SIZE, *anchor, false, "#333333", halo, t);
    }

    legend::draw_row(&mut doc, 16.0, legend_y, w - 32.0, &entries, false);
    legend::notes(Some(&mut doc), 16.0, notes_y, w - 32.0, &notes);
    Ok(doc.finish())
}

fn axis(
    doc: &mut Doc,
    start: NaiveDate,
    end: NaiveDate,
    left: f64,
    pw: f64,
    top: f64,
    bottom: f64,
) {
    let total = days(start, end);
    let xof = |d: NaiveDate| left + days(start, d).clamp(0.0, total) / total * pw;
    let y = bottom + 4.0;
    doc.line(left, y, left + pw, y, r##"stroke="#555555""##);
    let px_per_quarter = pw / (total / 91.3);
    let years = total / 365.25;
    let year_step = if years <= 12.0 {
        1
    } else {
        (years / 10.0).ceil() as i32
    };
    let mut q = NaiveDate::from_ymd_opt(start.year(), 1, 1);
    let mut guard = 0;
    while let Some(d) = q {
        guard += 1;
        if d >= end || guard > 2000 {
            break;
        }
        let next = if d.month() >= 10 {
            NaiveDate::from_ymd_opt(d.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(d.year(), d.month() + 3, 1)
        };
        let qend = next.unwrap_or(end).min(end);
        if d >= start {
            let x = xof(d);
            let is_year = d.month() == 1;
            if is_year {
                doc.line(
                    x,
                    top - 4.0,
                    x,
                    y + 30.0,
                    r##"stroke="#000000" stroke-opacity="0.18" stroke-width="0.8""##,
                );
            } else if px_per_quarter >= 14.0 {
                doc.line(x, y, x, y + 5.0, r##"stroke="#777777""##);
                doc.line(
                    x,
                    top,
                    x,
                    bottom,
                    r##"stroke="#000000" stroke-opacity="0.07" stroke-width="0.7""##,
                );
            }
        }
        let (a, b) = (d.max(start), qend);
        if px_per_quarter >= 28.0 && b > a && xof(b) - xof(a) >= 22.0 {
            let qn = (d.month() - 1) / 3 + 1;
            doc.text(
                (xof(a) + xof(b)) / 2.0,
                y + 15.0,
                10.5,
                Anchor::Middle,
                false,
                "#666666",
                "",
                &format!("Q{qn}"),
            );
        }
        if d.month() == 1 && (d.year() - start.year()) % year_step == 0 {
            let ye = NaiveDate::from_ymd_opt(d.year() + year_step, 1, 1)
                .unwrap_or(end)
                .min(end);
            let (a, b) = (d.max(start), ye);
            if xof(b) - xof(a) >= 34.0 {
                doc.text(
                    (xof(a) + xof(b)) / 2.0,
                    y + 30.0,
                    12.0,
                    Anchor::Middle,
                    true,
                    "#333333",
                    "",
                    &d.year().to_string(),
                );
            }
        }
        q = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_events_are_staggered_without_crossings() {
        // 2025-04-09, 05-13, 07-14, 08-08 on a ~1000 px, 3-year axis: 30–60 px apart.
        let xs = [600.0, 631.0, 688.0, 711.0, 200.0, 228.0];
        let mut evs: Vec<PlacedEvent> = xs
            .iter()
            .map(|&x| PlacedEvent {
                x,
                text: "event".into(),
                kind: EventKind::Rule,
                row: 0,
                width: 150.0,
            })
            .collect();
        assign_rows(&mut evs);
        for a in &evs {
            for b in &evs {
                if a.x == b.x {
                    continue;
                }
                let a_covers_b_marker = b.x >= a.x && b.x <= a.x + a.width;
                if a_covers_b_marker {
                    // b's line runs from the lanes up to b's row: a must sit above it.
                    assert!(
                        a.row > b.row,
                        "label at {} is crossed by marker at {}",
                        a.x,
                        b.x
                    );
                }
                let spans_meet = a.x < b.x + b.width && b.x < a.x + a.width;
                assert!(
                    !(spans_meet && a.row == b.row),
                    "labels at {} and {} overlap",
                    a.x,
                    b.x
                );
            }
        }
        assert!(evs.iter().map(|e| e.row).max().unwrap_or(0) >= 3);
    }

    #[test]
    fn luminance_picks_text_colour() {
        assert!(luminance("#c62828") < 0.55);
        assert!(luminance("#f6e2b8") > 0.55);
        assert!((luminance("bogus") - 0.5).abs() < 1e-9);
    }
}
