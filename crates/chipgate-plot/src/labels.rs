//! Greedy label placement with leader lines and collision checks.
//!
//! Labels are placed one at a time, most crowded marker first. Each tries
//! the eight positions touching its marker, then rings of positions further
//! out (joined to the marker by a leader line), then a scan of the whole
//! area. A position is accepted only if its box stays inside the bounds and
//! touches no placed label, no marker and no placed leader, and its own
//! leader crosses no placed label and no other marker. A label that finds
//! no place is dropped (and reported), never drawn overlapping.

use crate::model::Rect;

/// What to place.
#[derive(Debug, Clone)]
pub(crate) struct LabelReq {
    /// Marker centre.
    pub ax: f64,
    pub ay: f64,
    /// Marker radius.
    pub r: f64,
    /// Label box size.
    pub w: f64,
    pub h: f64,
}

/// Where it went.
#[derive(Debug, Clone, Default)]
pub(crate) struct LabelOut {
    pub rect: Option<Rect>,
    pub leader: Option<((f64, f64), (f64, f64))>,
}

const PAD: f64 = 1.5;
const GAP: f64 = 3.0;
const RINGS: [f64; 11] = [12.0, 20.0, 30.0, 42.0, 56.0, 72.0, 90.0, 110.0, 135.0, 165.0, 200.0];
const ANGLES: usize = 24;

/// Does the segment p-q pass through the interior of `r`? (Liang–Barsky.)
pub(crate) fn segment_hits_rect(p: (f64, f64), q: (f64, f64), r: &Rect) -> bool {
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    let mut t0 = 0.0f64;
    let mut t1 = 1.0f64;
    for (pp, qq) in [(-dx, p.0 - r.x), (dx, r.x + r.w - p.0), (-dy, p.1 - r.y), (dy, r.y + r.h - p.1)] {
        if pp == 0.0 {
            if qq <= 0.0 {
                return false;
            }
        } else {
            let t = qq / pp;
            if pp < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    t0 < t1 - 1e-9
}

fn segments_cross(a: (f64, f64), b: (f64, f64), c: (f64, f64), d: (f64, f64)) -> bool {
    let o = |p: (f64, f64), q: (f64, f64), r: (f64, f64)| (q.0 - p.0) * (r.1 - p.1) - (q.1 - p.1) * (r.0 - p.0);
    let (d1, d2, d3, d4) = (o(c, d, a), o(c, d, b), o(a, b, c), o(a, b, d));
    d1 * d2 < 0.0 && d3 * d4 < 0.0
}

/// Nearest point of `r` to (x, y).
fn nearest(r: &Rect, x: f64, y: f64) -> (f64, f64) {
    (x.clamp(r.x, r.x + r.w), y.clamp(r.y, r.y + r.h))
}

struct State<'a> {
    bounds: Rect,
    markers: &'a [Rect],
    placed: Vec<Rect>,
    leaders: Vec<((f64, f64), (f64, f64))>,
}

impl State<'_> {
    /// Cost of a candidate box (lower is better), or None if it collides.
    fn try_box(&self, req: &LabelReq, idx: usize, b: Rect, adjacent: bool) -> Option<(f64, Option<((f64, f64), (f64, f64))>)> {
        if !self.bounds.contains(&b) {
            return None;
        }
        let bp = b.inflate(PAD);
        if self.placed.iter().any(|p| p.overlaps(&bp)) || self.markers.iter().any(|m| m.overlaps(&bp)) {
            return None;
        }
        if self.leaders.iter().any(|(s, e)| segment_hits_rect(*s, *e, &bp)) {
            return None;
        }
        let (nx, ny) = nearest(&b, req.ax, req.ay);
        let dist = ((nx - req.ax).powi(2) + (ny - req.ay).powi(2)).sqrt();
        if adjacent || dist <= req.r + GAP + 2.5 {
            return Some((dist, None));
        }
        // Leader from marker edge to the box.
        let k = req.r / dist.max(1e-9);
        let start = (req.ax + (nx - req.ax) * k, req.ay + (ny - req.ay) * k);
        let end = (nx, ny);
        if self.placed.iter().any(|p| segment_hits_rect(start, end, p)) {
            return None;
        }
        if self.markers.iter().enumerate().any(|(j, m)| j != idx && segment_hits_rect(start, end, m)) {
            return None;
        }
        let crossings = self.leaders.iter().filter(|(s, e)| segments_cross(start, end, *s, *e)).count();
        Some((dist + 40.0 * crossings as f64, Some((start, end))))
    }
}

fn adjacent_boxes(q: &LabelReq) -> Vec<Rect> {
    let (ax, ay, r, w, h) = (q.ax, q.ay, q.r + GAP, q.w, q.h);
    let d = r * 0.75;
    vec![
        Rect { x: ax + r, y: ay - h / 2.0, w, h },
        Rect { x: ax + d, y: ay - d - h, w, h },
        Rect { x: ax + d, y: ay + d, w, h },
        Rect { x: ax - r - w, y: ay - h / 2.0, w, h },
        Rect { x: ax - d - w, y: ay - d - h, w, h },
        Rect { x: ax - d - w, y: ay + d, w, h },
        Rect { x: ax - w / 2.0, y: ay - r - h, w, h },
        Rect { x: ax - w / 2.0, y: ay + r, w, h },
    ]
}

fn ring_box(q: &LabelReq, dist: f64, angle: f64) -> Rect {
    let (c, s) = (angle.cos(), angle.sin());
    let (px, py) = (q.ax + dist * c, q.ay + dist * s);
    let x = if c > 0.35 { px } else if c < -0.35 { px - q.w } else { px - q.w / 2.0 };
    let y = if s > 0.35 { py } else if s < -0.35 { py - q.h } else { py - q.h / 2.0 };
    Rect { x, y, w: q.w, h: q.h }
}

/// Place every label in `reqs` inside `bounds`. `markers[i]` must be the box
/// of `reqs[i]`'s marker (more markers may follow, as obstacles only).
pub(crate) fn place(reqs: &[LabelReq], markers: &[Rect], bounds: Rect) -> Vec<LabelOut> {
    let mut out = vec![LabelOut::default(); reqs.len()];
    let mut order: Vec<(usize, usize)> = reqs
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let crowd = reqs
                .iter()
                .filter(|o| ((o.ax - q.ax).powi(2) + (o.ay - q.ay).powi(2)).sqrt() < 80.0)
                .count();
            (i, crowd)
        })
        .collect();
    order.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut st = State { bounds, markers, placed: Vec::new(), leaders: Vec::new() };
    for (i, _) in order {
        let Some(q) = reqs.get(i) else { continue };
        if !(q.ax.is_finite() && q.ay.is_finite() && q.w.is_finite() && q.h.is_finite()) {
            continue;
        }
        let mut best: Option<(f64, Rect, Option<((f64, f64), (f64, f64))>)> = None;
        for (k, b) in adjacent_boxes(q).into_iter().enumerate() {
            if let Some((_, l)) = st.try_box(q, i, b, true) {
                best = Some((k as f64, b, l));
                break;
            }
        }
        if best.is_none() {
            'rings: for dist in RINGS {
                let mut ring_best: Option<(f64, Rect, Option<((f64, f64), (f64, f64))>)> = None;
                for a in 0..ANGLES {
                    let ang = a as f64 * std::f64::consts::TAU / ANGLES as f64;
                    let b = ring_box(q, q.r + dist, ang);
                    if let Some((cost, l)) = st.try_box(q, i, b, false) {
                        if ring_best.as_ref().map_or(true, |rb| cost < rb.0) {
                            ring_best = Some((cost, b, l));
                        }
                    }
                }
                if ring_best.is_some() {
                    best = ring_best;
                    break 'rings;
                }
            }
        }
        if best.is_none() {
            // Scan the whole area for the nearest free spot.
            let step = 6.0;
            let mut y = bounds.y;
            while y + q.h <= bounds.y + bounds.h {
                let mut x = bounds.x;
                while x + q.w <= bounds.x + bounds.w {
                    let b = Rect { x, y, w: q.w, h: q.h };
                    if let Some((cost, l)) = st.try_box(q, i, b, false) {
                        if best.as_ref().map_or(true, |bb| cost < bb.0) {
                            best = Some((cost, b, l));
                        }
                    }
                    x += step;
                }
                y += step;
            }
        }
        if let Some((_, b, l)) = best {
            st.placed.push(b);
            if let Some(seg) = l {
                st.leaders.push(seg);
            }
            if let Some(o) = out.get_mut(i) {
                *o = LabelOut { rect: Some(b), leader: l };
            }
        }
    }
    out
}
