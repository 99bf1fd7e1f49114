//! Where a condition reads the calendar: the dates on which its value may change although no
//! provision starts or ends. The only calendar fact is `year`, so a comparison of `year` with a
//! constant turns on 1 January of one or two years; any other use of `year` (arithmetic, a
//! comparison with another fact) is not analysed, and every 1 January is then a possible turn.
//! Timelines and order-book segments read this so that no change of answer falls inside a span
//! they treat as one.

use super::{CmpOp, Kind, Node};
use crate::facts::FactId;

/// The calendar years on whose 1 January a condition's value may change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct YearTurns {
    /// Years whose first day may change the value, sorted and without repeats.
    pub years: Vec<i32>,
    /// `year` is read in a way not analysed: the first day of any year may change the value.
    pub every_year: bool,
}

impl YearTurns {
    /// Adds the turns of another condition.
    pub fn merge(&mut self, other: YearTurns) {
        self.every_year |= other.every_year;
        self.years.extend(other.years);
        self.years.sort_unstable();
        self.years.dedup();
    }
}

impl Node {
    /// The years on whose 1 January this condition's value may change (see [`YearTurns`]).
    pub fn year_turns(&self) -> YearTurns {
        let mut out = YearTurns::default();
        visit(self, &mut out);
        out.years.sort_unstable();
        out.years.dedup();
        out
    }
}

/// A constant operand, when the node is one (`2027`, `-1`).
fn constant(n: &Node) -> Option<f64> {
    match &n.kind {
        Kind::Num(v) => Some(*v),
        Kind::Neg(a) => constant(a).map(|v| -v),
        _ => None,
    }
}

/// The years `y` at which `year OP c` may differ from its value in year `y - 1`: `≥`/`<` turn
/// at ⌈c⌉, `>`/`≤` at ⌊c⌋ + 1, `=`/`≠` at c and c + 1 (never, when c is not a whole number).
fn turns_of(op: CmpOp, c: f64, out: &mut YearTurns) {
    if !c.is_finite() {
        return;
    }
    let years = match op {
        CmpOp::Ge | CmpOp::Lt => vec![c.ceil()],
        CmpOp::Gt | CmpOp::Le => vec![c.floor() + 1.0],
        CmpOp::Eq | CmpOp::Ne if c.fract() == 0.0 => vec![c, c + 1.0],
        CmpOp::Eq | CmpOp::Ne => Vec::new(),
    };
    for y in years {
        // Years outside chrono's range are never reached by a date; skip them.
        if (f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(&y) {
            // A whole number in the i32 range: the cast is exact.
            out.years.push(y as i32);
        }
    }
}

/// The operator with its operands swapped (`c < year` is `year > c`).
fn swapped(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::Le => CmpOp::Ge,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Ge => CmpOp::Le,
        CmpOp::Eq | CmpOp::Ne => op,
    }
}

/// Matches every kind on purpose (no catch-all): a new kind of node must say how it reads dates.
fn visit(node: &Node, out: &mut YearTurns) {
    match &node.kind {
        Kind::Cmp(op, a, b) => {
            let year_vs_constant = match (&a.kind, &b.kind) {
                (Kind::Fact(FactId::Year), _) => constant(b).map(|c| (*op, c)),
                (_, Kind::Fact(FactId::Year)) => constant(a).map(|c| (swapped(*op), c)),
                _ => None,
            };
            match year_vs_constant {
                Some((op, c)) => turns_of(op, c, out),
                None => {
                    visit(a, out);
                    visit(b, out);
                }
            }
        }
        Kind::Fact(f) => {
            if *f == FactId::Year {
                out.every_year = true;
            }
        }
        Kind::NamedSet { body, .. } => visit(body, out),
        Kind::Not(a) | Kind::Neg(a) => visit(a, out),
        Kind::And(items) | Kind::Or(items) => items.iter().for_each(|n| visit(n, out)),
        Kind::Arith(_, a, b) => {
            visit(a, out);
            visit(b, out);
        }
        Kind::In { item, set, .. } => {
            visit(item, out);
            visit(set, out);
        }
        Kind::Num(_)
        | Kind::Str(_)
        | Kind::Bool(_)
        | Kind::Ident(_)
        | Kind::List(_)
        | Kind::Group(_)
        | Kind::Applies(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::{check, parse, NamedSets, Resolver};
    use crate::facts::Ty;

    fn turns(src: &str) -> YearTurns {
        let sets = NamedSets::new();
        let groups = |_: &str| true;
        let r = Resolver {
            sets: &sets,
            groups: &groups,
        };
        match parse(src).and_then(|n| check(n, &r, Ty::Bool)) {
            Ok(n) => n.year_turns(),
            Err(e) => panic!("`{src}`: {e}"),
        }
    }

    fn years(v: &[i32]) -> YearTurns {
        YearTurns {
            years: v.to_vec(),
            every_year: false,
        }
    }

    #[test]
    fn comparisons_with_constants_turn_on_one_or_two_new_years() {
        assert_eq!(turns("year >= 2027"), years(&[2027]));
        assert_eq!(turns("year < 2027"), years(&[2027]));
        assert_eq!(turns("year > 2026"), years(&[2027]));
        assert_eq!(turns("2026 < year"), years(&[2027]));
        assert_eq!(turns("year == 2028"), years(&[2028, 2029]));
        assert_eq!(turns("year >= 2026.5"), years(&[2027]));
        assert_eq!(turns("year <= 2026.5"), years(&[2027]));
        assert_eq!(turns("year != 2026.5"), years(&[]));
        assert_eq!(turns("2027 <= year"), years(&[2027]));
        assert_eq!(
            turns("tpp >= 4800 and (year >= 2027 or not (year <= 2028))"),
            years(&[2027, 2029])
        );
    }

    #[test]
    fn other_reads_of_year_turn_every_year() {
        assert!(turns("year - 2000 >= 27").every_year);
        assert!(turns("year >= quantity").every_year);
        assert_eq!(turns("tpp >= 4800"), YearTurns::default());
    }
}
