//! Three-valued evaluation with evidence: every comparison that decided the result is written
//! out with its numbers ("TPP 2,368 < 2,400"), and every unknown fact it needed is listed.

use super::{ArithOp, CmpOp, Kind, Node};
use crate::countries::Countries;
use crate::facts::{FactId, Facts, Value};
use crate::numfmt::{fmt_num, fmt_with_unit};
use chrono::NaiveDate;

/// True, false, or not knowable from the facts given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tri {
    True,
    False,
    Unknown,
}

impl Tri {
    fn not(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
        }
    }

    fn from_bool(b: bool) -> Tri {
        if b {
            Tri::True
        } else {
            Tri::False
        }
    }
}

/// The result of evaluating a condition.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub value: Tri,
    /// The comparisons that decided the value, as sentences with numbers.
    pub evidence: Vec<String>,
    /// Facts that were unknown where they mattered.
    pub missing: Vec<FactId>,
}

/// What evaluation needs besides the condition.
pub struct EvalCtx<'a> {
    pub facts: &'a Facts,
    pub date: NaiveDate,
    pub countries: &'a Countries,
    /// Whether a requirement with this id fired (for `applies("id")`).
    pub applied: &'a dyn Fn(&str) -> Tri,
}

/// Evaluates a boolean condition.
pub fn eval(node: &Node, cx: &EvalCtx<'_>) -> Outcome {
    match &node.kind {
        Kind::Bool(b) => Outcome {
            value: Tri::from_bool(*b),
            evidence: Vec::new(),
            missing: Vec::new(),
        },
        Kind::Fact(f) => match cx.facts.get(*f) {
            Value::Bool(b) => Outcome {
                value: Tri::from_bool(b),
                evidence: vec![if b {
                    f.meta().label.to_string()
                } else {
                    format!("not {}", f.meta().label)
                }],
                missing: Vec::new(),
            },
            _ => Outcome {
                value: Tri::Unknown,
                evidence: vec![format!("unknown whether {}", f.meta().label)],
                missing: vec![*f],
            },
        },
        Kind::Applies(id) => {
            let v = (cx.applied)(id);
            let text = match v {
                Tri::True => format!("requirement `{id}` applies"),
                Tri::False => format!("requirement `{id}` does not apply"),
                Tri::Unknown => format!("requirement `{id}` may apply"),
            };
            Outcome {
                value: v,
                evidence: vec![text],
                missing: Vec::new(),
            }
        }
        Kind::Not(a) => {
            let o = eval(a, cx);
            Outcome {
                value: o.value.not(),
                ..o
            }
        }
        Kind::And(items) => combine(items, cx, Tri::False),
        Kind::Or(items) => combine(items, cx, Tri::True),
        Kind::Cmp(op, a, b) => compare(*op, a, b, cx),
        Kind::In { negated, item, set } => membership(*negated, item, set, cx),
        _ => Outcome {
            value: Tri::Unknown,
            evidence: vec!["not a condition".into()],
            missing: Vec::new(),
        },
    }
}

/// `and` (dominant = False) and `or` (dominant = True): keep only the evidence that decided.
fn combine(items: &[Node], cx: &EvalCtx<'_>, dominant: Tri) -> Outcome {
    let outcomes: Vec<Outcome> = items.iter().map(|n| eval(n, cx)).collect();
    let pick = |want: Tri| -> Outcome {
        let mut evidence = Vec::new();
        let mut missing = Vec::new();
        for o in outcomes.iter().filter(|o| o.value == want) {
            evidence.extend(o.evidence.iter().cloned());
            for m in &o.missing {
                if !missing.contains(m) {
                    missing.push(*m);
                }
            }
        }
        Outcome {
            value: want,
            evidence,
            missing,
        }
    };
    if outcomes.iter().any(|o| o.value == dominant) {
        pick(dominant)
    } else if outcomes.iter().any(|o| o.value == Tri::Unknown) {
        let mut o = pick(Tri::Unknown);
        // Show what is already known too: it tells the reader what the unknown would decide.
        let other = dominant.not();
        for k in outcomes.iter().filter(|k| k.value == other) {
            o.evidence.extend(k.evidence.iter().cloned());
        }
        o
    } else {
        pick(dominant.not())
    }
}

/// A numeric operand: its value (None = unknown), how to name it, its unit, and what was missing.
struct NumVal {
    value: Option<f64>,
    label: String,
    unit: &'static str,
    is_literal: bool,
    missing: Vec<FactId>,
    display: Option<String>,
}

fn num(node: &Node, cx: &EvalCtx<'_>) -> NumVal {
    match &node.kind {
        Kind::Num(v) => NumVal {
            value: Some(*v),
            label: fmt_num(*v),
            unit: "",
            is_literal: true,
            missing: Vec::new(),
            display: None,
        },
        Kind::Fact(f) => {
            let meta = f.meta();
            let value = match cx.facts.get(*f) {
                Value::Num(v) => Some(v),
                _ => None,
            };
            NumVal {
                value,
                label: meta.label.to_string(),
                unit: meta.unit,
                is_literal: false,
                missing: if value.is_none() {
                    vec![*f]
                } else {
                    Vec::new()
                },
                display: value.map(|_| cx.facts.display(*f)),
            }
        }
        Kind::Neg(a) => {
            let a = num(a, cx);
            NumVal {
                value: a.value.map(|v| -v),
                label: format!("-{}", a.label),
                ..a
            }
        }
        Kind::Arith(op, a, b) => {
            let a = num(a, cx);
            let b = num(b, cx);
            let value = match (a.value, b.value) {
                (Some(x), Some(y)) => {
                    let r = match op {
                        ArithOp::Add => x + y,
                        ArithOp::Sub => x - y,
                        ArithOp::Mul => x * y,
                        ArithOp::Div => {
                            if y == 0.0 {
                                f64::NAN
                            } else {
                                x / y
                            }
                        }
                    };
                    r.is_finite().then_some(r)
                }
                _ => None,
            };
            let sym = match op {
                ArithOp::Add => "+",
                ArithOp::Sub => "−",
                ArithOp::Mul => "×",
                ArithOp::Div => "÷",
            };
            let mut missing = a.missing;
            missing.extend(b.missing);
            let unit = if matches!(op, ArithOp::Add | ArithOp::Sub) && a.unit == b.unit {
                a.unit
            } else if a.unit.is_empty() {
                b.unit
            } else {
                a.unit
            };
            NumVal {
                value,
                label: format!("{} {} {}", a.label, sym, b.label),
                unit,
                is_literal: a.is_literal && b.is_literal,
                missing,
                display: None,
            }
        }
        _ => NumVal {
            value: None,
            label: "?".into(),
            unit: "",
            is_literal: false,
            missing: Vec::new(),
            display: None,
        },
    }
}

fn show(n: &NumVal) -> String {
    match (&n.display, n.value) {
        (Some(d), _) => d.clone(),
        (None, Some(v)) => fmt_with_unit(v, n.unit),
        (None, None) => "unknown".into(),
    }
}

fn compare(op: CmpOp, a: &Node, b: &Node, cx: &EvalCtx<'_>) -> Outcome {
    if let (
        Kind::Fact(_) | Kind::Str(_) | Kind::Bool(_),
        Kind::Fact(_) | Kind::Str(_) | Kind::Bool(_),
    ) = (&a.kind, &b.kind)
    {
        if matches!(op, CmpOp::Eq | CmpOp::Ne) && !is_numeric(a, cx) {
            return compare_eq(op, a, b, cx);
        }
    }
    let x = num(a, cx);
    let y = num(b, cx);
    let mut missing = x.missing.clone();
    missing.extend(y.missing.iter().copied());
    let right_text = |op: CmpOp| -> String {
        if y.is_literal {
            let unit = if y.unit.is_empty() { x.unit } else { y.unit };
            format!(
                "{} {}",
                op.symbol(),
                y.value.map(|v| fmt_with_unit(v, unit)).unwrap_or_default()
            )
        } else {
            format!("{} {} {}", op.symbol(), y.label, show(&y))
        }
    };
    match (x.value, y.value) {
        (Some(l), Some(r)) => {
            let holds = match op {
                CmpOp::Lt => l < r,
                CmpOp::Le => l <= r,
                CmpOp::Gt => l > r,
                CmpOp::Ge => l >= r,
                CmpOp::Eq => l == r,
                CmpOp::Ne => l != r,
            };
            let shown = if holds { op } else { op.negate() };
            let left = if x.is_literal {
                show(&x)
            } else {
                format!("{} {}", x.label, show(&x))
            };
            Outcome {
                value: Tri::from_bool(holds),
                evidence: vec![format!("{} {}", left, right_text(shown))],
                missing: Vec::new(),
            }
        }
        _ => Outcome {
            value: Tri::Unknown,
            evidence: vec![format!(
                "{} unknown (test: {} {})",
                x.label,
                x.label,
                right_text(op)
            )],
            missing,
        },
    }
}

fn is_numeric(n: &Node, _cx: &EvalCtx<'_>) -> bool {
    match &n.kind {
        Kind::Fact(f) => f.meta().ty == crate::facts::Ty::Num,
        Kind::Num(_) => true,
        _ => false,
    }
}

fn scalar(n: &Node, cx: &EvalCtx<'_>) -> (Option<String>, String, Vec<FactId>) {
    match &n.kind {
        Kind::Str(s) => (Some(s.clone()), s.clone(), Vec::new()),
        Kind::Bool(b) => (Some(b.to_string()), b.to_string(), Vec::new()),
        Kind::Fact(f) => match cx.facts.get(*f) {
            Value::Str(s) => (Some(s), f.meta().label.to_string(), Vec::new()),
            Value::Bool(b) => (Some(b.to_string()), f.meta().label.to_string(), Vec::new()),
            _ => (None, f.meta().label.to_string(), vec![*f]),
        },
        _ => (None, "?".into(), Vec::new()),
    }
}

fn compare_eq(op: CmpOp, a: &Node, b: &Node, cx: &EvalCtx<'_>) -> Outcome {
    let (va, la, ma) = scalar(a, cx);
    let (vb, lb, mb) = scalar(b, cx);
    match (va, vb) {
        (Some(x), Some(y)) => {
            let eq = x == y;
            let holds = if op == CmpOp::Eq { eq } else { !eq };
            let sym = if eq { "=" } else { "≠" };
            let left = if matches!(a.kind, Kind::Fact(_)) {
                format!("{la} {x}")
            } else {
                x.clone()
            };
            let right = if matches!(b.kind, Kind::Fact(_)) {
                format!("{lb} {y}")
            } else {
                y
            };
            Outcome {
                value: Tri::from_bool(holds),
                evidence: vec![format!("{left} {sym} {right}")],
                missing: Vec::new(),
            }
        }
        _ => {
            let mut missing = ma;
            missing.extend(mb);
            Outcome {
                value: Tri::Unknown,
                evidence: vec![format!("{la} unknown (test: {la} {} {lb})", op.symbol())],
                missing,
            }
        }
    }
}

/// Human label of a set expression ("Macau or D:5", "{CN, MO}", "D:1 ∪ D:4").
pub fn set_label(n: &Node) -> String {
    match &n.kind {
        Kind::List(items) => format!("{{{}}}", items.join(", ")),
        Kind::Group(g) => g.clone(),
        Kind::NamedSet { label, .. } => label.clone(),
        Kind::Fact(f) => f.meta().label.to_string(),
        Kind::Arith(ArithOp::Add, a, b) => format!("{} ∪ {}", set_label(a), set_label(b)),
        Kind::Arith(ArithOp::Sub, a, b) => {
            let right = match b.kind {
                Kind::Arith(..) => format!("({})", set_label(b)),
                _ => set_label(b),
            };
            format!("{} − {}", set_label(a), right)
        }
        _ => "?".into(),
    }
}

pub(crate) fn contains(set: &Node, item: &str, cx: &EvalCtx<'_>) -> Tri {
    match &set.kind {
        Kind::List(items) => Tri::from_bool(items.iter().any(|i| i == item)),
        Kind::Group(g) => Tri::from_bool(cx.countries.in_group(g, item, cx.date)),
        Kind::NamedSet { body, .. } => contains(body, item, cx),
        Kind::Fact(f) => match cx.facts.set_parts(*f) {
            Some(parts) => {
                let mut out = Tri::False;
                for (definite, possible) in parts {
                    if definite.iter().any(|d| d == item) {
                        return Tri::True;
                    }
                    if possible.iter().any(|d| d == item) {
                        out = Tri::Unknown;
                    }
                }
                out
            }
            None => Tri::Unknown,
        },
        Kind::Arith(ArithOp::Add, a, b) => match (contains(a, item, cx), contains(b, item, cx)) {
            (Tri::True, _) | (_, Tri::True) => Tri::True,
            (Tri::False, Tri::False) => Tri::False,
            _ => Tri::Unknown,
        },
        Kind::Arith(ArithOp::Sub, a, b) => match (contains(a, item, cx), contains(b, item, cx)) {
            (Tri::False, _) | (_, Tri::True) => Tri::False,
            (Tri::True, Tri::False) => Tri::True,
            _ => Tri::Unknown,
        },
        _ => Tri::Unknown,
    }
}

fn membership(negated: bool, item: &Node, set: &Node, cx: &EvalCtx<'_>) -> Outcome {
    let label = set_label(set);
    let (sym_in, sym_out) = if negated {
        ("∉", "∈")
    } else {
        ("∈", "∉")
    };
    let flip = |t: Tri| if negated { t.not() } else { t };
    // A set-valued fact on the left: non-empty intersection.
    if let Kind::Fact(f) = &item.kind {
        if let Value::Set(s) = cx.facts.get(*f) {
            let meta = f.meta();
            let hit = s
                .definite
                .iter()
                .find(|m| contains(set, m, cx) == Tri::True);
            // A definite member whose membership is unknown (the set reads an unknown fact).
            let open = s
                .definite
                .iter()
                .find(|m| contains(set, m, cx) == Tri::Unknown);
            let maybe = s
                .possible
                .iter()
                .find(|m| contains(set, m, cx) != Tri::False);
            let (value, text) = match (hit, open, maybe) {
                (Some(h), _, _) => (
                    Tri::True,
                    format!("{}: {} {} {}", meta.label, h, "∈", label),
                ),
                (None, Some(m), _) => (
                    Tri::Unknown,
                    format!("{}: whether {} ∈ {} is unknown", meta.label, m, label),
                ),
                (None, None, Some(m)) => (
                    Tri::Unknown,
                    format!(
                        "{}: possibly {} (pending review) {} {}",
                        meta.label, m, "∈", label
                    ),
                ),
                (None, None, None) => {
                    let shown = cx.facts.display(*f);
                    (
                        Tri::False,
                        format!("{}: {} — none {} {}", meta.label, shown, "∈", label),
                    )
                }
            };
            return Outcome {
                value: flip(value),
                evidence: vec![text],
                missing: Vec::new(),
            };
        }
    }
    let (v, lbl, missing) = scalar(item, cx);
    // A literal in a set-valued fact reads better as "X include Y".
    if let (Kind::Str(x), Kind::Fact(f)) = (&item.kind, &set.kind) {
        let t = contains(set, x, cx);
        let label = f.meta().label;
        let text = match t {
            Tri::True => format!("{label} include {x}"),
            Tri::False => format!("{label} do not include {x}"),
            Tri::Unknown => format!("{label} may include {x} (pending review)"),
        };
        return Outcome {
            value: flip(t),
            evidence: vec![text],
            missing: Vec::new(),
        };
    }
    match v {
        Some(x) => {
            let t = contains(set, &x, cx);
            let shown = if matches!(item.kind, Kind::Fact(_)) {
                format!("{lbl} {x}")
            } else {
                format!("\"{x}\"")
            };
            let text = match flip(t) {
                Tri::True => format!("{shown} {sym_in} {label}"),
                Tri::False => format!("{shown} {sym_out} {label}"),
                Tri::Unknown => format!("{shown}: membership of {label} pending review"),
            };
            Outcome {
                value: flip(t),
                evidence: vec![text],
                missing: Vec::new(),
            }
        }
        None => Outcome {
            value: Tri::Unknown,
            evidence: vec![format!("{lbl} unknown (test: {lbl} {sym_in} {label})")],
            missing,
        },
    }
}

/// Constants a numeric fact is compared against in a condition (for what-if sweeps).
pub fn thresholds_for(node: &Node, fact: FactId) -> Vec<f64> {
    let mut out = Vec::new();
    collect(node, fact, &mut out);
    out.sort_by(|a, b| a.total_cmp(b));
    out.dedup();
    out
}

fn collect(node: &Node, fact: FactId, out: &mut Vec<f64>) {
    match &node.kind {
        Kind::Cmp(_, a, b) => {
            if let (Kind::Fact(f), Kind::Num(v)) | (Kind::Num(v), Kind::Fact(f)) =
                (&a.kind, &b.kind)
            {
                if *f == fact {
                    out.push(*v);
                }
            }
        }
        Kind::Not(a) => collect(a, fact, out),
        Kind::And(v) | Kind::Or(v) => v.iter().for_each(|n| collect(n, fact, out)),
        _ => {}
    }
}
