//! Label rows for markers on one horizontal line (the unknown-area strip of
//! the map), where labels stack in rows above and below the line with
//! vertical leaders, like a timeline's event labels.

use super::{LabelOut, LabelReq, GAP, MAX_LABELS};
use crate::model::Rect;

/// Place labels of markers lying on one horizontal line (the unknown-area
/// strip): each label sits in a row above or below the line, starting at its
/// marker, joined by a vertical leader. A row is accepted only if the label
/// overlaps no label in that row, covers no marker whose leader reaches a
/// row beyond it, and its own leader passes no label nearer the line; so
/// neither labels nor leaders ever cross. Rows that do not fit in `bounds`
/// leave the label out.
pub(crate) fn place_on_line(
    reqs: &[LabelReq],
    line_y: f64,
    row_unit: f64,
    bounds: Rect,
) -> Vec<LabelOut> {
    #[derive(Clone, Copy)]
    struct Done {
        x: f64,
        lo: f64,
        hi: f64,
        row: usize,
        rows: usize,
        above: bool,
    }
    let mut out = vec![LabelOut::default(); reqs.len()];
    let right = bounds.x + bounds.w;
    let starts_at_marker = |q: &LabelReq| q.ax - 2.0 + q.w <= right;
    // Labels running right from their marker, right to left; then those that
    // must run left (near the right edge), left to right.
    let mut order: Vec<(bool, f64, usize)> = reqs
        .iter()
        .enumerate()
        .map(|(i, q)| (starts_at_marker(q), q.ax, i))
        .collect();
    order.sort_by(|a, b| {
        b.0.cmp(&a.0).then(if a.0 {
            b.1.total_cmp(&a.1)
        } else {
            a.1.total_cmp(&b.1)
        })
    });
    let mut done: Vec<Done> = Vec::new();
    for (start_right, _, i) in order.into_iter().take(MAX_LABELS) {
        let Some(q) = reqs.get(i) else { continue };
        if !(q.ax.is_finite() && q.w.is_finite() && q.h.is_finite() && row_unit > 0.0) {
            continue;
        }
        let (lo, hi) = if start_right {
            let lo = (q.ax - 2.0).max(bounds.x);
            (lo, lo + q.w)
        } else {
            (q.ax + 2.0 - q.w, q.ax + 2.0)
        };
        if lo < bounds.x {
            continue;
        }
        let rows = ((q.h - 0.5) / row_unit).ceil().max(1.0) as usize;
        let base = q.r + GAP;
        let fits = |row: usize, above: bool| {
            let off = base + (row + rows) as f64 * row_unit;
            if above {
                line_y - off >= bounds.y
            } else {
                line_y + off <= bounds.y + bounds.h
            }
        };
        let mut choice: Option<(usize, bool)> = None;
        for row in 0..64 {
            for above in [true, false] {
                if choice.is_some() || !fits(row, above) {
                    continue;
                }
                let ok = done.iter().filter(|d| d.above == above).all(|d| {
                    let spans_meet = d.lo < hi + 4.0 && lo < d.hi + 4.0;
                    let rows_meet = d.row < row + rows && row < d.row + d.rows;
                    let overlap = spans_meet && rows_meet;
                    // Its leader passes rows below d.row: this label must lie beyond d.
                    let covers_its_leader =
                        d.x >= lo - 1.0 && d.x <= hi + 1.0 && row < d.row + d.rows;
                    // My leader passes rows below `row`: d must lie beyond this label.
                    let my_leader_hits =
                        q.ax >= d.lo - 1.0 && q.ax <= d.hi + 1.0 && d.row < row + rows;
                    !overlap && !covers_its_leader && !my_leader_hits
                });
                if ok {
                    choice = Some((row, above));
                }
            }
            if choice.is_some() {
                break;
            }
        }
        let Some((row, above)) = choice else { continue };
        let off = base + row as f64 * row_unit;
        let (y, ly0, ly1) = if above {
            (line_y - off - q.h, line_y - q.r, line_y - off)
        } else {
            (line_y + off, line_y + q.r, line_y + off)
        };
        done.push(Done {
            x: q.ax,
            lo,
            hi,
            row,
            rows,
            above,
        });
        if let Some(o) = out.get_mut(i) {
            *o = LabelOut {
                rect: Some(Rect {
                    x: lo,
                    y,
                    w: q.w,
                    h: q.h,
                }),
                leader: if row == 0 {
                    None
                } else {
                    Some(((q.ax, ly0), (q.ax, ly1)))
                },
            };
        }
    }
    out
}
