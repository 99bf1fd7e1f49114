//! Shaded regions of the threshold map.
//!
//! The classifier is an opaque closure, so regions are found by sampling it:
//! every row of a fine pixel grid is split into runs of equal key, each run
//! edge is refined by bisection in data space (so a threshold such as
//! TPP 4,800 lands exactly, not on the nearest sample), identical rows are
//! merged into bands, and band edges are bisected too. The result is a few
//! rectangles per region instead of one per sample, plus the boundary lines
//! and the threshold values found, which the map prints along its edges.

use crate::scale::Scale;

/// A run of one key within a band.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Run {
    pub x0: f64,
    pub x1: f64,
    pub key: String,
}

/// Rows merged into a horizontal band with the same runs.
#[derive(Debug, Clone)]
pub(crate) struct Band {
    pub y0: f64,
    pub y1: f64,
    pub runs: Vec<Run>,
}

/// Result of sampling the classifier over the plot area.
#[derive(Debug, Default)]
pub(crate) struct Shading {
    pub bands: Vec<Band>,
    /// Boundary lines (x1, y1, x2, y2) in pixels.
    pub lines: Vec<(f64, f64, f64, f64)>,
    /// Distinct x (TPP) values of vertical boundaries, data units.
    pub x_thresholds: Vec<f64>,
    /// Distinct y (PD) values of horizontal boundaries, data units.
    pub y_thresholds: Vec<f64>,
}

const BISECT_STEPS: usize = 48;
const COL_STEP: f64 = 3.0;
const ROW_STEP: f64 = 2.0;

/// Round to 4 significant digits (for de-duplicating threshold values).
pub(crate) fn sig4(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let e = v.abs().log10().floor() as i32 - 3;
    let p = 10f64.powi(e);
    (v / p).round() * p
}

fn push_unique(list: &mut Vec<f64>, v: f64) {
    let r = sig4(v);
    if r.is_finite() && !list.iter().any(|x| (x - r).abs() <= r.abs() * 1e-9) {
        list.push(r);
    }
}

struct Sampler<'a> {
    f: &'a (dyn Fn(f64, f64) -> String + Send + Sync),
    xs: Scale,
    ys: Scale,
}

impl Sampler<'_> {
    fn key(&self, px: f64, py: f64) -> String {
        (self.f)(self.xs.data(px), self.ys.data(py))
    }

    /// Runs of one row at pixel y, with refined edges; returns data x of edges too.
    fn row(&self, y: f64, left: f64, right: f64, edges: &mut Vec<f64>) -> Vec<Run> {
        let ncols = (((right - left) / COL_STEP).ceil() as usize).max(1);
        let step = (right - left) / ncols as f64;
        let mut runs: Vec<Run> = Vec::new();
        let mut prev_x = left + 0.5 * step;
        let mut prev_k = self.key(prev_x, y);
        runs.push(Run {
            x0: left,
            x1: right,
            key: prev_k.clone(),
        });
        for j in 1..ncols {
            let x = left + (j as f64 + 0.5) * step;
            let k = self.key(x, y);
            if k != prev_k {
                let edge = self.bisect_x(prev_x, x, &prev_k, y);
                edges.push(self.xs.data(edge));
                if let Some(last) = runs.last_mut() {
                    last.x1 = edge;
                }
                runs.push(Run {
                    x0: edge,
                    x1: right,
                    key: k.clone(),
                });
                prev_k = k;
            }
            prev_x = x;
        }
        runs
    }

    fn bisect_x(&self, mut lo: f64, mut hi: f64, key_lo: &str, y: f64) -> f64 {
        // Bisect in data space so the edge converges on the true threshold.
        let (mut dlo, mut dhi) = (self.xs.data(lo), self.xs.data(hi));
        let ydat = self.ys.data(y);
        for _ in 0..BISECT_STEPS {
            let mid = match self.xs.kind {
                crate::model::AxisScale::Log => (dlo * dhi).sqrt(),
                crate::model::AxisScale::Linear => 0.5 * (dlo + dhi),
            };
            if (self.f)(mid, ydat) == key_lo {
                dlo = mid;
            } else {
                dhi = mid;
            }
        }
        lo = self.xs.px(dlo);
        hi = self.xs.px(dhi);
        0.5 * (lo + hi)
    }

    /// Bisect the y edge between two rows at column x. Returns pixel y and data y.
    fn bisect_y(&self, x: f64, y_top: f64, y_bot: f64) -> (f64, f64) {
        let xd = self.xs.data(x);
        let (mut dtop, mut dbot) = (self.ys.data(y_top), self.ys.data(y_bot));
        let key_top = (self.f)(xd, dtop);
        for _ in 0..BISECT_STEPS {
            let mid = match self.ys.kind {
                crate::model::AxisScale::Log => (dtop * dbot).sqrt(),
                crate::model::AxisScale::Linear => 0.5 * (dtop + dbot),
            };
            if (self.f)(xd, mid) == key_top {
                dtop = mid;
            } else {
                dbot = mid;
            }
        }
        let d = 0.5 * (dtop + dbot);
        (self.ys.px(d), d)
    }
}

fn same_runs(a: &[Run], b: &[Run]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(r, s)| {
            r.key == s.key && (r.x0 - s.x0).abs() < 0.05 && (r.x1 - s.x1).abs() < 0.05
        })
}

fn key_at(runs: &[Run], x: f64) -> &str {
    runs.iter()
        .find(|r| x >= r.x0 && x < r.x1)
        .or(runs.last())
        .map(|r| r.key.as_str())
        .unwrap_or("")
}

/// Sample `classify` over the plot area described by the two scales
/// (`xs.p0 < xs.p1` left to right, `ys.p0 > ys.p1` bottom to top).
pub(crate) fn shade(
    classify: &(dyn Fn(f64, f64) -> String + Send + Sync),
    xs: Scale,
    ys: Scale,
) -> Shading {
    let s = Sampler {
        f: classify,
        xs,
        ys,
    };
    let (left, right) = (xs.p0.min(xs.p1), xs.p0.max(xs.p1));
    let (top, bottom) = (ys.p0.min(ys.p1), ys.p0.max(ys.p1));
    let mut out = Shading::default();
    if right - left < 1.0 || bottom - top < 1.0 {
        return out;
    }
    let nrows = (((bottom - top) / ROW_STEP).ceil() as usize).max(1);
    let rstep = (bottom - top) / nrows as f64;
    let mut x_edges = Vec::new();
    let mut bands: Vec<Band> = Vec::new();
    let mut prev_y = top + 0.5 * rstep;
    for i in 0..nrows {
        let y = top + (i as f64 + 0.5) * rstep;
        let runs = s.row(y, left, right, &mut x_edges);
        match bands.last_mut() {
            Some(b) if same_runs(&b.runs, &runs) => b.y1 = bottom,
            Some(b) => {
                // Find a column where the key differs, bisect the edge there.
                let mut xs_try: Vec<f64> = b
                    .runs
                    .iter()
                    .chain(runs.iter())
                    .flat_map(|r| {
                        [
                            0.5 * (r.x0 + r.x1),
                            (r.x0 + 0.75).min(r.x1),
                            (r.x1 - 0.75).max(r.x0),
                        ]
                    })
                    .collect();
                xs_try.push(left + 0.5);
                xs_try.push(right - 0.5);
                let edge = xs_try
                    .iter()
                    .find(|&&x| key_at(&b.runs, x) != key_at(&runs, x))
                    .map(|&x| s.bisect_y(x, prev_y, y));
                let yb = match edge {
                    Some((py, dy)) => {
                        push_unique(&mut out.y_thresholds, dy);
                        py.clamp(prev_y, y)
                    }
                    None => 0.5 * (prev_y + y),
                };
                b.y1 = yb;
                bands.push(Band {
                    y0: yb,
                    y1: bottom,
                    runs,
                });
            }
            None => bands.push(Band {
                y0: top,
                y1: bottom,
                runs,
            }),
        }
        prev_y = y;
    }
    for e in x_edges {
        push_unique(&mut out.x_thresholds, e);
    }
    out.lines = boundary_lines(&bands, left, right);
    out.bands = bands;
    out
}

fn boundary_lines(bands: &[Band], left: f64, right: f64) -> Vec<(f64, f64, f64, f64)> {
    let mut lines: Vec<(f64, f64, f64, f64)> = Vec::new();
    // Vertical edges inside each band, merged with the same edge of the band above.
    for b in bands {
        for r in b.runs.iter().skip(1) {
            let x = r.x0;
            if let Some(l) = lines
                .iter_mut()
                .find(|l| l.0 == l.2 && (l.0 - x).abs() < 0.05 && (l.3 - b.y0).abs() < 0.05)
            {
                l.3 = b.y1;
            } else {
                lines.push((x, b.y0, x, b.y1));
            }
        }
    }
    // Horizontal edges between bands, where the keys differ.
    for pair in bands.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let mut cuts: Vec<f64> = a
            .runs
            .iter()
            .chain(b.runs.iter())
            .flat_map(|r| [r.x0, r.x1])
            .collect();
        cuts.push(left);
        cuts.push(right);
        cuts.sort_by(f64::total_cmp);
        cuts.dedup_by(|p, q| (*p - *q).abs() < 0.05);
        let y = b.y0;
        let mut cur: Option<(f64, f64)> = None;
        for w in cuts.windows(2) {
            let mid = 0.5 * (w[0] + w[1]);
            if key_at(&a.runs, mid) != key_at(&b.runs, mid) {
                cur = match cur {
                    Some((s, _)) => Some((s, w[1])),
                    None => Some((w[0], w[1])),
                };
            } else if let Some((s, e)) = cur.take() {
                lines.push((s, y, e, y));
            }
        }
        if let Some((s, e)) = cur {
            lines.push((s, y, e, y));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AxisScale;

    fn rule(tpp: f64, pd: f64) -> String {
        if tpp >= 4800.0 || (tpp >= 1600.0 && pd >= 5.92) {
            "a".into()
        } else if (2400.0..4800.0).contains(&tpp) && (1.6..5.92).contains(&pd)
            || (tpp >= 1600.0 && (3.2..5.92).contains(&pd))
        {
            "b".into()
        } else {
            "none".into()
        }
    }

    fn scales() -> (Scale, Scale) {
        (
            Scale {
                kind: AxisScale::Log,
                d0: 300.0,
                d1: 100_000.0,
                p0: 80.0,
                p1: 900.0,
            },
            Scale {
                kind: AxisScale::Linear,
                d0: 0.0,
                d1: 25.0,
                p0: 560.0,
                p1: 60.0,
            },
        )
    }

    #[test]
    fn thresholds_are_found_exactly() {
        let (xs, ys) = scales();
        let sh = shade(&rule, xs, ys);
        let mut x = sh.x_thresholds.clone();
        x.sort_by(f64::total_cmp);
        assert_eq!(x, vec![1600.0, 2400.0, 4800.0]);
        let mut y = sh.y_thresholds.clone();
        y.sort_by(f64::total_cmp);
        assert_eq!(y, vec![1.6, 3.2, 5.92]);
        // Edges sit on the exact pixel of the threshold, not on a sample.
        for b in &sh.bands {
            for r in &b.runs {
                let d = xs.data(r.x0);
                if r.x0 > 80.5 {
                    assert!(
                        [1600.0, 2400.0, 4800.0]
                            .iter()
                            .any(|t| (xs.px(*t) - r.x0).abs() < 0.01),
                        "edge at {d}"
                    );
                }
            }
        }
        assert!(sh.bands.iter().any(|b| (b.y0 - ys.px(5.92)).abs() < 0.01));
        // Few rectangles: the merged bands, not one per sample.
        let rects: usize = sh.bands.iter().map(|b| b.runs.len()).sum();
        assert!(rects <= 16, "{rects} rectangles");
        // Boundary lines are axis-aligned.
        assert!(sh.lines.iter().all(|l| l.0 == l.2 || l.1 == l.3));
    }

    #[test]
    fn every_sampled_pixel_agrees_with_the_rule() {
        let (xs, ys) = scales();
        let sh = shade(&rule, xs, ys);
        for b in &sh.bands {
            for r in &b.runs {
                let (cx, cy) = (0.5 * (r.x0 + r.x1), 0.5 * (b.y0 + b.y1));
                assert_eq!(rule(xs.data(cx), ys.data(cy)), r.key);
            }
        }
    }

    #[test]
    fn degenerate_area_gives_nothing() {
        let (mut xs, ys) = scales();
        xs.p1 = xs.p0;
        assert!(shade(&rule, xs, ys).bands.is_empty());
    }
}
