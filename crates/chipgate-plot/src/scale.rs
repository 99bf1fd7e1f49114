//! Axis scales and tick generation (linear and base-10 logarithmic).

use crate::model::AxisScale;

/// Maps a data interval onto a pixel interval.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scale {
    pub kind: AxisScale,
    pub d0: f64,
    pub d1: f64,
    pub p0: f64,
    pub p1: f64,
}

impl Scale {
    fn t(&self, v: f64) -> f64 {
        match self.kind {
            AxisScale::Linear => v,
            AxisScale::Log => v.log10(),
        }
    }
    fn inv_t(&self, v: f64) -> f64 {
        match self.kind {
            AxisScale::Linear => v,
            AxisScale::Log => 10f64.powf(v),
        }
    }

    /// Validate a range for this kind of scale.
    pub(crate) fn check(kind: AxisScale, d0: f64, d1: f64, what: &str) -> Result<(), String> {
        if !d0.is_finite() || !d1.is_finite() {
            return Err(format!("{what} range ({d0}, {d1}) is not finite"));
        }
        if d1 <= d0 {
            return Err(format!("{what} range ({d0}, {d1}) is empty or reversed"));
        }
        if kind == AxisScale::Log && d0 <= 0.0 {
            return Err(format!(
                "{what} range ({d0}, {d1}) must be > 0 on a log axis"
            ));
        }
        Ok(())
    }

    /// Pixel position of a data value (may lie outside the pixel interval).
    pub(crate) fn px(&self, v: f64) -> f64 {
        let a = self.t(self.d0);
        let b = self.t(self.d1);
        self.p0 + (self.t(v) - a) / (b - a) * (self.p1 - self.p0)
    }

    /// Data value at a pixel position.
    pub(crate) fn data(&self, p: f64) -> f64 {
        let a = self.t(self.d0);
        let b = self.t(self.d1);
        self.inv_t(a + (p - self.p0) / (self.p1 - self.p0) * (b - a))
    }

    /// True if `v` is a usable value inside the data range.
    pub(crate) fn contains(&self, v: f64) -> bool {
        v.is_finite() && v >= self.d0 && v <= self.d1 && (self.kind == AxisScale::Linear || v > 0.0)
    }

    /// Major ticks (labelled) and minor ticks (grid only).
    pub(crate) fn ticks(&self) -> (Vec<f64>, Vec<f64>) {
        match self.kind {
            AxisScale::Linear => (linear_ticks(self.d0, self.d1), Vec::new()),
            AxisScale::Log => log_ticks(self.d0, self.d1),
        }
    }
}

fn linear_ticks(a: f64, b: f64) -> Vec<f64> {
    let span = b - a;
    let raw = span / 6.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| span / s <= 8.0)
        .unwrap_or(10.0 * mag);
    if !(step.is_finite() && step > 0.0) {
        return vec![a, b];
    }
    let mut out = Vec::new();
    let mut k = (a / step).ceil();
    while k * step <= b + step * 1e-9 && out.len() < 50 {
        out.push(k * step);
        k += 1.0;
    }
    out
}

fn log_ticks(a: f64, b: f64) -> (Vec<f64>, Vec<f64>) {
    let decades = (b / a).log10();
    let mults: &[f64] = if decades <= 3.5 {
        &[1.0, 2.0, 5.0]
    } else {
        &[1.0]
    };
    let mut major = Vec::new();
    let mut minor = Vec::new();
    let e0 = a.log10().floor() as i32 - 1;
    let e1 = b.log10().ceil() as i32 + 1;
    for e in e0..=e1.min(e0 + 40) {
        let base = 10f64.powi(e);
        for m in 1..10 {
            let v = base * f64::from(m);
            if v < a * (1.0 - 1e-9) || v > b * (1.0 + 1e-9) {
                continue;
            }
            if mults.contains(&f64::from(m)) {
                major.push(v);
            } else {
                minor.push(v);
            }
        }
    }
    (major, minor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_scale_round_trips_and_ticks() {
        let s = Scale {
            kind: AxisScale::Log,
            d0: 300.0,
            d1: 100_000.0,
            p0: 0.0,
            p1: 1000.0,
        };
        for v in [300.0, 1600.0, 4800.0, 100_000.0] {
            assert!((s.data(s.px(v)) - v).abs() / v < 1e-9);
        }
        let (major, minor) = s.ticks();
        assert_eq!(
            major,
            vec![500.0, 1000.0, 2000.0, 5000.0, 10000.0, 20000.0, 50000.0, 100000.0]
        );
        assert!(minor.contains(&300.0) && minor.contains(&3000.0));
        assert!(Scale::check(AxisScale::Log, 0.0, 10.0, "x").is_err());
        assert!(Scale::check(AxisScale::Linear, 0.0, 10.0, "y").is_ok());
        assert!(Scale::check(AxisScale::Linear, 1.0, f64::NAN, "y").is_err());
    }

    #[test]
    fn linear_ticks_are_round() {
        let s = Scale {
            kind: AxisScale::Linear,
            d0: 0.0,
            d1: 25.0,
            p0: 500.0,
            p1: 0.0,
        };
        assert_eq!(s.ticks().0, vec![0.0, 5.0, 10.0, 15.0, 20.0, 25.0]);
        assert_eq!(s.px(25.0), 0.0);
    }
}
