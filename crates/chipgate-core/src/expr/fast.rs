//! The fast evaluator: the same three-valued semantics as [`super::eval`], without building any
//! evidence or allocating. Used to decide; the explaining evaluator runs only for what is shown.

use super::eval::{contains, EvalCtx, Tri};
use super::{ArithOp, CmpOp, Kind, Node};
use crate::facts::Ty;

fn tri(b: bool) -> Tri {
    if b {
        Tri::True
    } else {
        Tri::False
    }
}

fn not(t: Tri) -> Tri {
    match t {
        Tri::True => Tri::False,
        Tri::False => Tri::True,
        Tri::Unknown => Tri::Unknown,
    }
}

/// Evaluates a boolean condition to true / false / unknown.
pub fn eval_tri(node: &Node, cx: &EvalCtx<'_>) -> Tri {
    match &node.kind {
        Kind::Bool(b) => tri(*b),
        Kind::Fact(f) => cx.facts.boolean(*f).map(tri).unwrap_or(Tri::Unknown),
        Kind::Applies(id) => (cx.applied)(id),
        Kind::Not(a) => not(eval_tri(a, cx)),
        Kind::And(items) => {
            let mut unknown = false;
            for n in items {
                match eval_tri(n, cx) {
                    Tri::False => return Tri::False,
                    Tri::Unknown => unknown = true,
                    Tri::True => {}
                }
            }
            if unknown {
                Tri::Unknown
            } else {
                Tri::True
            }
        }
        Kind::Or(items) => {
            let mut unknown = false;
            for n in items {
                match eval_tri(n, cx) {
                    Tri::True => return Tri::True,
                    Tri::Unknown => unknown = true,
                    Tri::False => {}
                }
            }
            if unknown {
                Tri::Unknown
            } else {
                Tri::False
            }
        }
        Kind::Cmp(op, a, b) => compare(*op, a, b, cx),
        Kind::In { negated, item, set } => {
            let t = membership(item, set, cx);
            if *negated {
                not(t)
            } else {
                t
            }
        }
        _ => Tri::Unknown,
    }
}

fn num(node: &Node, cx: &EvalCtx<'_>) -> Option<f64> {
    match &node.kind {
        Kind::Num(v) => Some(*v),
        Kind::Fact(f) => cx.facts.num(*f),
        Kind::Neg(a) => num(a, cx).map(|v| -v),
        Kind::Arith(op, a, b) => {
            let (x, y) = (num(a, cx)?, num(b, cx)?);
            let r = match op {
                ArithOp::Add => x + y,
                ArithOp::Sub => x - y,
                ArithOp::Mul => x * y,
                ArithOp::Div => {
                    if y == 0.0 {
                        return None;
                    }
                    x / y
                }
            };
            r.is_finite().then_some(r)
        }
        _ => None,
    }
}

enum Scalar<'a> {
    Str(&'a str),
    Bool(bool),
    Num(f64),
    Unknown,
}

fn scalar<'a>(n: &'a Node, cx: &'a EvalCtx<'_>) -> Scalar<'a> {
    match &n.kind {
        Kind::Str(s) => Scalar::Str(s),
        Kind::Bool(b) => Scalar::Bool(*b),
        Kind::Num(v) => Scalar::Num(*v),
        Kind::Fact(f) => match f.meta().ty {
            Ty::Str => cx
                .facts
                .string(*f)
                .map(Scalar::Str)
                .unwrap_or(Scalar::Unknown),
            Ty::Bool => cx
                .facts
                .boolean(*f)
                .map(Scalar::Bool)
                .unwrap_or(Scalar::Unknown),
            Ty::Num => cx.facts.num(*f).map(Scalar::Num).unwrap_or(Scalar::Unknown),
            Ty::Set => Scalar::Unknown,
        },
        _ => num(n, cx).map(Scalar::Num).unwrap_or(Scalar::Unknown),
    }
}

fn compare(op: CmpOp, a: &Node, b: &Node, cx: &EvalCtx<'_>) -> Tri {
    let (x, y) = (scalar(a, cx), scalar(b, cx));
    let ord = |l: f64, r: f64| match op {
        CmpOp::Lt => l < r,
        CmpOp::Le => l <= r,
        CmpOp::Gt => l > r,
        CmpOp::Ge => l >= r,
        CmpOp::Eq => l == r,
        CmpOp::Ne => l != r,
    };
    let eq = |e: bool| if op == CmpOp::Ne { !e } else { e };
    match (x, y) {
        (Scalar::Num(l), Scalar::Num(r)) => tri(ord(l, r)),
        (Scalar::Str(l), Scalar::Str(r)) => tri(eq(l == r)),
        (Scalar::Bool(l), Scalar::Bool(r)) => tri(eq(l == r)),
        _ => Tri::Unknown,
    }
}

fn membership(item: &Node, set: &Node, cx: &EvalCtx<'_>) -> Tri {
    if let Kind::Fact(f) = &item.kind {
        if f.meta().ty == Ty::Set {
            let Some(parts) = cx.facts.set_parts(*f) else {
                return Tri::Unknown;
            };
            let mut maybe = false;
            for (definite, possible) in parts {
                for m in definite {
                    match contains(set, m, cx) {
                        Tri::True => return Tri::True,
                        Tri::Unknown => maybe = true,
                        Tri::False => {}
                    }
                }
                for m in possible {
                    if contains(set, m, cx) != Tri::False {
                        maybe = true;
                    }
                }
            }
            return if maybe { Tri::Unknown } else { Tri::False };
        }
    }
    match scalar(item, cx) {
        Scalar::Str(s) => contains(set, s, cx),
        _ => Tri::Unknown,
    }
}
