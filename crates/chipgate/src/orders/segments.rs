//! Date segments: the dates between which no decision can change, so one decision per segment
//! stands for every date in it. Boundaries are the engines' change dates
//! ([`Engine::change_dates`], of the baseline and every scenario: provision windows, Country
//! Group changes and the calendar turns that conditions test). For each segment we also learn
//! from the provisions in force whether the order quantity can matter (rules reading `quantity`
//! or `order_tpp`) and at which thresholds, so orders differing only in quantity share a decision
//! when no rule could tell them apart.

use chipgate_core::expr::{Kind, Node};
use chipgate_core::facts::FactId;
use chipgate_core::rules::{ProvisionKind, View};
use chipgate_core::Engine;
use chrono::{Datelike, NaiveDate};

/// The last date boundaries are computed up to; later dates also key on their year, in case a
/// condition reads `year` in a way core cannot analyse.
const HORIZON: NaiveDate = match NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(d) => d,
    None => NaiveDate::MAX,
};

/// How one numeric fact of the order is read by the rules in force.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Sensitivity {
    /// No provision in force reads it.
    #[default]
    Ignored,
    /// Only compared with these constants (sorted): orders on the same side of each share a decision.
    Thresholds(Vec<f64>),
    /// Read in some other way (arithmetic): the exact value matters.
    Exact,
}

impl Sensitivity {
    fn merge(&mut self, other: Sensitivity) {
        *self = match (std::mem::take(self), other) {
            (Sensitivity::Exact, _) | (_, Sensitivity::Exact) => Sensitivity::Exact,
            (Sensitivity::Ignored, o) | (o, Sensitivity::Ignored) => o,
            (Sensitivity::Thresholds(mut a), Sensitivity::Thresholds(b)) => {
                a.extend(b);
                a.sort_by(f64::total_cmp);
                a.dedup();
                Sensitivity::Thresholds(a)
            }
        }
    }

    /// Which side of each threshold `v` is on: 2 × (thresholds below v) + (v equals one).
    fn bucket(t: &[f64], v: f64) -> u64 {
        let below = t.partition_point(|x| *x < v) as u64;
        let equal = t.get(below as usize).is_some_and(|x| *x == v) as u64;
        2 * below + equal
    }
}

/// How the quantity of an order can matter in a segment.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuantityRule {
    pub quantity: Sensitivity,
    pub order_tpp: Sensitivity,
}

impl QuantityRule {
    /// A key that is equal for two quantities exactly when no rule in force can tell them apart.
    /// `tpp` and `count` are the chip's (order TPP = TPP × ICs per item × quantity, as in the facts).
    pub fn key(&self, quantity: f64, tpp: Option<f64>, count: f64) -> u64 {
        use Sensitivity::*;
        if matches!(self.quantity, Exact) || (matches!(self.order_tpp, Exact) && tpp.is_some()) {
            return quantity.to_bits() | (1 << 63);
        }
        let q = match &self.quantity {
            Thresholds(t) => Sensitivity::bucket(t, quantity) + 1,
            _ => 0,
        };
        let o = match (&self.order_tpp, tpp) {
            (Thresholds(t), Some(tpp)) => Sensitivity::bucket(t, tpp * count * quantity) + 1,
            _ => 0,
        };
        (q << 24) | o
    }

    pub fn matters(&self) -> bool {
        self.quantity != Sensitivity::Ignored || self.order_tpp != Sensitivity::Ignored
    }
}

/// How `node` reads `fact`.
pub fn sensitivity(node: &Node, fact: FactId) -> Sensitivity {
    let mut s = Sensitivity::Ignored;
    visit(node, fact, &mut s);
    s
}

fn visit(node: &Node, fact: FactId, s: &mut Sensitivity) {
    match &node.kind {
        Kind::Fact(f) if *f == fact => s.merge(Sensitivity::Exact),
        Kind::Cmp(_, a, b) => match (&a.kind, &b.kind) {
            (Kind::Fact(f), Kind::Num(v)) | (Kind::Num(v), Kind::Fact(f)) if *f == fact => {
                s.merge(Sensitivity::Thresholds(vec![*v]))
            }
            _ => {
                visit(a, fact, s);
                visit(b, fact, s);
            }
        },
        Kind::NamedSet { body, .. } => visit(body, fact, s),
        Kind::Not(a) | Kind::Neg(a) => visit(a, fact, s),
        Kind::And(v) | Kind::Or(v) => v.iter().for_each(|n| visit(n, fact, s)),
        Kind::Arith(_, a, b) => {
            visit(a, fact, s);
            visit(b, fact, s);
        }
        Kind::In { item, set, .. } => {
            visit(item, fact, s);
            visit(set, fact, s);
        }
        _ => {}
    }
}

/// The date segments of a run.
#[derive(Debug, Clone)]
pub struct Segments {
    bounds: Vec<NaiveDate>,
    /// Quantity rule per segment index (index 0 = before the first boundary).
    rules: Vec<QuantityRule>,
    /// Orders before this date are refused (the latest of the engines' earliest rule).
    pub earliest: Option<NaiveDate>,
}

/// A segment key: the boundary index (and, past [`HORIZON`], the calendar year).
pub type SegKey = u64;

impl Segments {
    pub fn build(engines: &[&Engine], view: View) -> Segments {
        let earliest = engines.iter().filter_map(|e| e.book.earliest).max();
        // From the day before the first rule of any engine, so that its first day is a boundary.
        let start = engines
            .iter()
            .filter_map(|e| e.book.earliest)
            .min()
            .and_then(|d| d.pred_opt())
            .unwrap_or(HORIZON);
        let mut bounds: Vec<NaiveDate> = Vec::new();
        for e in engines {
            bounds.extend(e.change_dates(start, HORIZON));
        }
        bounds.sort_unstable();
        bounds.dedup();
        let mut rules = vec![QuantityRule::default()];
        for d in &bounds {
            let mut r = QuantityRule::default();
            for e in engines {
                for p in e.book.active(*d, view) {
                    let mut nodes = vec![&p.when];
                    if let ProvisionKind::Exception {
                        notify_when: Some(n),
                        ..
                    } = &p.kind
                    {
                        nodes.push(n);
                    }
                    for n in nodes {
                        r.quantity.merge(sensitivity(n, FactId::Quantity));
                        r.order_tpp.merge(sensitivity(n, FactId::OrderTpp));
                    }
                }
            }
            rules.push(r);
        }
        Segments {
            bounds,
            rules,
            earliest,
        }
    }

    /// The segment of `date`.
    pub fn key(&self, date: NaiveDate) -> SegKey {
        let idx = self.bounds.partition_point(|b| *b <= date) as u64;
        let year = if date > HORIZON {
            date.year().clamp(0, (1 << 20) - 1) as u64
        } else {
            0
        };
        (idx << 20) | year
    }

    pub fn quantity_rule(&self, key: SegKey) -> &QuantityRule {
        let idx = (key >> 20) as usize;
        self.rules.get(idx).unwrap_or(&self.rules[0])
    }

    /// Number of rule boundaries.
    pub fn boundaries(&self) -> usize {
        self.bounds.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_tell_sides_and_equality_apart() {
        let r = QuantityRule {
            quantity: Sensitivity::Ignored,
            order_tpp: Sensitivity::Thresholds(vec![100.0, 200.0]),
        };
        let k = |q: f64| r.key(q, Some(10.0), 1.0);
        assert_eq!(k(1.0), k(9.0));
        assert_ne!(k(9.0), k(10.0));
        assert_ne!(k(10.0), k(11.0));
        assert_eq!(k(11.0), k(19.0));
        assert_ne!(k(19.0), k(21.0));
        assert_eq!(
            QuantityRule::default().key(5.0, Some(1.0), 1.0),
            QuantityRule::default().key(7.0, Some(1.0), 1.0)
        );
    }
}
