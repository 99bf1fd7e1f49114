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

mod line;
pub(crate) use line::place_on_line;

/// A line segment (start, end).
type Seg = ((f64, f64), (f64, f64));
/// A candidate label box: cost, box, leader.
type Cand = (f64, Rect, Option<Seg>);

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
    pub leader: Option<Seg>,
}

const PAD: f64 = 1.5;
const GAP: f64 = 3.0;
const RINGS: [f64; 11] = [
    12.0, 20.0, 30.0, 42.0, 56.0, 72.0, 90.0, 110.0, 135.0, 165.0, 200.0,
];
const ANGLES: usize = 24;
/// Above this many labels only one placement order is tried.
const MANY: usize = 80;
/// Full-area scans allowed per placement pass (each costs a few ms); labels
/// still unplaced after the budget is spent are left out.
const SCAN_BUDGET: usize = 12;
/// At most this many labels are placed per area; the rest are left out
/// (placement cost grows with the square of the count).
const MAX_LABELS: usize = 400;

/// Does the segment p-q pass through the interior of `r`? (Liang–Barsky.)
pub(crate) fn segment_hits_rect(p: (f64, f64), q: (f64, f64), r: &Rect) -> bool {
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    let mut t0 = 0.0f64;
    let mut t1 = 1.0f64;
    for (pp, qq) in [
        (-dx, p.0 - r.x),
        (dx, r.x + r.w - p.0),
        (-dy, p.1 - r.y),
        (dy, r.y + r.h - p.1),
    ] {
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
    let o = |p: (f64, f64), q: (f64, f64), r: (f64, f64)| {
        (q.0 - p.0) * (r.1 - p.1) - (q.1 - p.1) * (r.0 - p.0)
    };
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
    leaders: Vec<Seg>,
    /// Whether a leader may cross another leader (last resort only).
    allow_crossing: bool,
    /// Whether a leader may pass over another marker (last resort only).
    allow_over_markers: bool,
}

impl State<'_> {
    /// Cost of a candidate box (lower is better), or None if it collides.
    fn try_box(
        &self,
        req: &LabelReq,
        idx: usize,
        b: Rect,
        adjacent: bool,
    ) -> Option<(f64, Option<Seg>)> {
        if !self.bounds.contains(&b) {
            return None;
        }
        let bp = b.inflate(PAD);
        if self.placed.iter().any(|p| p.overlaps(&bp))
            || self.markers.iter().any(|m| m.overlaps(&bp))
        {
            return None;
        }
        if self
            .leaders
            .iter()
            .any(|(s, e)| segment_hits_rect(*s, *e, &bp))
        {
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
        let over = self
            .markers
            .iter()
            .enumerate()
            .filter(|(j, m)| *j != idx && segment_hits_rect(start, end, m))
            .count();
        if over > 0 && !self.allow_over_markers {
            return None;
        }
        let crossings = self
            .leaders
            .iter()
            .filter(|(s, e)| segments_cross(start, end, *s, *e))
            .count();
        if crossings > 0 && !self.allow_crossing {
            return None;
        }
        // Relaxations, when allowed, cost far more than distance.
        Some((
            dist + 10_000.0 * crossings as f64 + 100_000.0 * over as f64,
            Some((start, end)),
        ))
    }
}

fn adjacent_boxes(q: &LabelReq) -> Vec<Rect> {
    let (ax, ay, r, w, h) = (q.ax, q.ay, q.r + GAP, q.w, q.h);
    let d = r * 0.75;
    vec![
        Rect {
            x: ax + r,
            y: ay - h / 2.0,
            w,
            h,
        },
        Rect {
            x: ax + d,
            y: ay - d - h,
            w,
            h,
        },
        Rect {
            x: ax + d,
            y: ay + d,
            w,
            h,
        },
        Rect {
            x: ax - r - w,
            y: ay - h / 2.0,
            w,
            h,
        },
        Rect {
            x: ax - d - w,
            y: ay - d - h,
            w,
            h,
        },
        Rect {
            x: ax - d - w,
            y: ay + d,
            w,
            h,
        },
        Rect {
            x: ax - w / 2.0,
            y: ay - r - h,
            w,
            h,
        },
        Rect {
            x: ax - w / 2.0,
            y: ay + r,
            w,
            h,
        },
    ]
}

fn ring_box(q: &LabelReq, dist: f64, angle: f64) -> Rect {
    let (c, s) = (angle.cos(), angle.sin());
    let (px, py) = (q.ax + dist * c, q.ay + dist * s);
    let x = if c > 0.35 {
        px
    } else if c < -0.35 {
        px - q.w
    } else {
        px - q.w / 2.0
    };
    let y = if s > 0.35 {
        py
    } else if s < -0.35 {
        py - q.h
    } else {
        py - q.h / 2.0
    };
    Rect {
        x,
        y,
        w: q.w,
        h: q.h,
    }
}

/// Place every label in `reqs` inside `bounds`. `markers[i]` must be the box
/// of `reqs[i]`'s marker (more markers may follow, as obstacles only).
pub(crate) fn place(reqs: &[LabelReq], markers: &[Rect], bounds: Rect) -> Vec<LabelOut> {
    // Greedy placement depends on order; try a few and keep the best
    // (fewest labels left out, then shortest total leader length).
    let crowd: Vec<usize> = reqs
        .iter()
        .map(|q| {
            reqs.iter()
                .filter(|o| ((o.ax - q.ax).powi(2) + (o.ay - q.ay).powi(2)).sqrt() < 80.0)
                .count()
        })
        .collect();
    let idx: Vec<usize> = (0..reqs.len()).collect();
    let key = |i: &usize, f: &dyn Fn(&LabelReq) -> f64| reqs.get(*i).map_or(0.0, f);
    let mut orders: Vec<Vec<usize>> = Vec::new();
    let mut o = idx.clone();
    o.sort_by(|a, b| crowd.get(*b).cmp(&crowd.get(*a)).then(a.cmp(b)));
    orders.push(o);
    for f in [
        &(|q: &LabelReq| q.ax) as &dyn Fn(&LabelReq) -> f64,
        &|q: &LabelReq| -q.ax,
        &|q: &LabelReq| q.ay,
        &|q: &LabelReq| -q.ay,
        &|q: &LabelReq| -q.w * q.h,
    ] {
        let mut o = idx.clone();
        o.sort_by(|a, b| key(a, f).total_cmp(&key(b, f)));
        orders.push(o);
    }
    if reqs.len() > MANY {
        orders.truncate(1);
    }
    let mut best: Option<(usize, f64, Vec<LabelOut>)> = None;
    for (tried, order) in (1usize..).zip(orders) {
        let out = place_in_order(reqs, markers, bounds, &order);
        let missing = out.iter().filter(|o| o.rect.is_none()).count();
        let len: f64 = out
            .iter()
            .filter_map(|o| o.leader)
            .map(|(a, b)| ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt())
            .sum();
        if best.as_ref().is_none_or(|b| (missing, len) < (b.0, b.1)) {
            best = Some((missing, len, out));
        }
        if best.as_ref().is_some_and(|b| b.0 == 0) && tried >= 3 {
            break;
        }
    }
    best.map(|b| b.2)
        .unwrap_or_else(|| vec![LabelOut::default(); reqs.len()])
}

fn place_in_order(
    reqs: &[LabelReq],
    markers: &[Rect],
    bounds: Rect,
    order: &[usize],
) -> Vec<LabelOut> {
    let mut out = vec![LabelOut::default(); reqs.len()];
    let mut attempts = 0usize;
    let mut st = State {
        bounds,
        markers,
        placed: Vec::new(),
        leaders: Vec::new(),
        allow_crossing: false,
        allow_over_markers: false,
    };
    let mut scans = 0usize;
    for &i in order {
        let Some(q) = reqs.get(i) else { continue };
        if !(q.ax.is_finite() && q.ay.is_finite() && q.w.is_finite() && q.h.is_finite()) {
            continue;
        }
        attempts += 1;
        if attempts > MAX_LABELS {
            break;
        }
        let mut best: Option<Cand> = None;
        for (k, b) in adjacent_boxes(q).into_iter().enumerate() {
            if let Some((_, l)) = st.try_box(q, i, b, true) {
                best = Some((k as f64, b, l));
                break;
            }
        }
        if best.is_none() {
            'rings: for dist in RINGS {
                let mut ring_best: Option<Cand> = None;
                for a in 0..ANGLES {
                    let ang = a as f64 * std::f64::consts::TAU / ANGLES as f64;
                    let b = ring_box(q, q.r + dist, ang);
                    if let Some((cost, l)) = st.try_box(q, i, b, false) {
                        if ring_best.as_ref().is_none_or(|rb| cost < rb.0) {
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
        if best.is_none() && scans < SCAN_BUDGET {
            scans += 1;
            // One scan with the last-resort relaxations priced into the cost.
            st.allow_crossing = true;
            st.allow_over_markers = true;
            // Scan the whole area for the nearest free spot.
            let step = if reqs.len() > MANY { 10.0 } else { 6.0 };
            let mut y = bounds.y;
            while y + q.h <= bounds.y + bounds.h {
                let mut x = bounds.x;
                while x + q.w <= bounds.x + bounds.w {
                    let b = Rect {
                        x,
                        y,
                        w: q.w,
                        h: q.h,
                    };
                    if let Some((cost, l)) = st.try_box(q, i, b, false) {
                        if best.as_ref().is_none_or(|bb| cost < bb.0) {
                            best = Some((cost, b, l));
                        }
                    }
                    x += step;
                }
                y += step;
            }
        }
        st.allow_crossing = false;
        st.allow_over_markers = false;
        if let Some((_, b, l)) = best {
            st.placed.push(b);
            if let Some(seg) = l {
                st.leaders.push(seg);
            }
            if let Some(o) = out.get_mut(i) {
                *o = LabelOut {
                    rect: Some(b),
                    leader: l,
                };
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_rect_intersection() {
        let r = Rect {
            x: 10.0,
            y: 10.0,
            w: 10.0,
            h: 10.0,
        };
        assert!(segment_hits_rect((0.0, 15.0), (30.0, 15.0), &r));
        assert!(segment_hits_rect((15.0, 15.0), (16.0, 16.0), &r));
        assert!(!segment_hits_rect((0.0, 0.0), (30.0, 5.0), &r));
        assert!(
            !segment_hits_rect((0.0, 10.0), (30.0, 10.0), &r),
            "touching an edge is not crossing"
        );
        assert!(!segment_hits_rect((0.0, 0.0), (9.0, 9.0), &r));
    }

    #[test]
    fn labels_on_a_line_never_overlap_or_cross() {
        let xs = [
            100.0, 104.0, 108.0, 112.0, 300.0, 302.0, 590.0, 595.0, 598.0,
        ];
        let reqs: Vec<LabelReq> = xs
            .iter()
            .enumerate()
            .map(|(i, &x)| LabelReq {
                ax: x,
                ay: 0.0,
                r: 5.0,
                w: 60.0 + 10.0 * i as f64,
                h: 14.0,
            })
            .collect();
        let out = place_on_line(
            &reqs,
            0.0,
            14.0,
            Rect {
                x: 0.0,
                y: -200.0,
                w: 600.0,
                h: 400.0,
            },
        );
        let boxes: Vec<Rect> = out.iter().map(|o| o.rect.expect("placed")).collect();
        for (i, a) in boxes.iter().enumerate() {
            assert!(a.x >= 0.0 && a.x + a.w <= 600.0);
            for (j, b) in boxes.iter().enumerate() {
                if i < j {
                    assert!(!a.overlaps(b), "{i} / {j}");
                }
                if i != j {
                    if let Some((s, e)) = out[i].leader {
                        assert!(!segment_hits_rect(s, e, b), "leader {i} crosses label {j}");
                    }
                }
            }
        }
    }

    #[test]
    fn crowded_markers_get_leaders_not_overlaps() {
        let reqs: Vec<LabelReq> = (0..12)
            .map(|i| LabelReq {
                ax: 300.0 + f64::from(i % 4) * 6.0,
                ay: 200.0 + f64::from(i / 4) * 6.0,
                r: 5.0,
                w: 90.0,
                h: 14.0,
            })
            .collect();
        let markers: Vec<Rect> = reqs
            .iter()
            .map(|q| Rect {
                x: q.ax - 5.0,
                y: q.ay - 5.0,
                w: 10.0,
                h: 10.0,
            })
            .collect();
        let out = place(
            &reqs,
            &markers,
            Rect {
                x: 0.0,
                y: 0.0,
                w: 800.0,
                h: 500.0,
            },
        );
        let boxes: Vec<Rect> = out.iter().map(|o| o.rect.expect("placed")).collect();
        for (i, a) in boxes.iter().enumerate() {
            for b in boxes.iter().skip(i + 1) {
                assert!(!a.overlaps(b));
            }
            for m in &markers {
                assert!(!a.overlaps(m));
            }
        }
        assert!(out.iter().filter(|o| o.leader.is_some()).count() >= 4);
    }

    #[test]
    fn non_finite_requests_are_skipped() {
        let reqs = vec![LabelReq {
            ax: f64::NAN,
            ay: 0.0,
            r: 5.0,
            w: 10.0,
            h: 10.0,
        }];
        let out = place(
            &reqs,
            &[],
            Rect {
                x: 0.0,
                y: 0.0,
                w: 100.0,
                h: 100.0,
            },
        );
        assert!(out[0].rect.is_none());
        let out = place_on_line(
            &reqs,
            0.0,
            14.0,
            Rect {
                x: 0.0,
                y: -50.0,
                w: 100.0,
                h: 100.0,
            },
        );
        assert!(out[0].rect.is_none());
    }
}
