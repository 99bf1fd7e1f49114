//! Name resolution and type checking, done once at load so evaluation never meets a bad name
//! or a type error.

use super::{ArithOp, CmpOp, ExprError, Kind, Node};
use crate::facts::{FactId, Ty};
use std::collections::BTreeMap;

/// Named sets already checked: name → (label, body).
pub type NamedSets = BTreeMap<String, (String, Node)>;

/// What names a condition may use besides facts.
pub struct Resolver<'a> {
    pub sets: &'a NamedSets,
    /// Known Country Group names.
    pub groups: &'a dyn Fn(&str) -> bool,
}

/// Resolves names and checks types; the condition must be boolean when `want` says so.
pub fn check(node: Node, r: &Resolver<'_>, want: Ty) -> Result<Node, ExprError> {
    let (node, ty) = resolve(node, r)?;
    if ty != want {
        return Err(ExprError {
            offset: node.span.0,
            message: format!(
                "expected a {} expression, found a {}",
                want.name(),
                ty.name()
            ),
        });
    }
    Ok(node)
}

fn err<T>(node: &Node, message: String) -> Result<T, ExprError> {
    Err(ExprError {
        offset: node.span.0,
        message,
    })
}

fn resolve(node: Node, r: &Resolver<'_>) -> Result<(Node, Ty), ExprError> {
    let span = node.span;
    let mk = |kind| Node { kind, span };
    match node.kind {
        Kind::Num(v) => Ok((mk(Kind::Num(v)), Ty::Num)),
        Kind::Str(s) => Ok((mk(Kind::Str(s)), Ty::Str)),
        Kind::Bool(b) => Ok((mk(Kind::Bool(b)), Ty::Bool)),
        Kind::List(items) => Ok((mk(Kind::List(items)), Ty::Set)),
        Kind::Fact(f) => Ok((mk(Kind::Fact(f)), f.meta().ty)),
        Kind::NamedSet { name, label, body } => {
            Ok((mk(Kind::NamedSet { name, label, body }), Ty::Set))
        }
        Kind::Applies(id) => Ok((mk(Kind::Applies(id)), Ty::Bool)),
        Kind::Group(g) => {
            if !(r.groups)(&g) {
                return Err(ExprError {
                    offset: span.0,
                    message: format!("unknown Country Group `{g}`"),
                });
            }
            Ok((mk(Kind::Group(g)), Ty::Set))
        }
        Kind::Ident(name) => {
            if let Some(f) = FactId::by_name(&name) {
                return Ok((mk(Kind::Fact(f)), f.meta().ty));
            }
            if let Some((label, body)) = r.sets.get(&name) {
                return Ok((
                    mk(Kind::NamedSet {
                        name,
                        label: label.clone(),
                        body: Box::new(body.clone()),
                    }),
                    Ty::Set,
                ));
            }
            Err(ExprError {
                offset: span.0,
                message: format!("unknown name `{name}` (not a fact nor a named set)"),
            })
        }
        Kind::Not(a) => {
            let (a, t) = resolve(*a, r)?;
            if t != Ty::Bool {
                return err(&a, format!("`not` needs a boolean, found a {}", t.name()));
            }
            Ok((mk(Kind::Not(Box::new(a))), Ty::Bool))
        }
        Kind::Neg(a) => {
            let (a, t) = resolve(*a, r)?;
            if t != Ty::Num {
                return err(&a, format!("`-` needs a number, found a {}", t.name()));
            }
            Ok((mk(Kind::Neg(Box::new(a))), Ty::Num))
        }
        Kind::And(items) => Ok((mk(Kind::And(bools(items, r, "and")?)), Ty::Bool)),
        Kind::Or(items) => Ok((mk(Kind::Or(bools(items, r, "or")?)), Ty::Bool)),
        Kind::Arith(op, a, b) => {
            let (a, ta) = resolve(*a, r)?;
            let (b, tb) = resolve(*b, r)?;
            let ty = match (op, ta, tb) {
                (_, Ty::Num, Ty::Num) => Ty::Num,
                (ArithOp::Add | ArithOp::Sub, Ty::Set, Ty::Set) => Ty::Set,
                _ => {
                    return err(
                        &a,
                        format!(
                            "cannot combine a {} and a {} with this operator",
                            ta.name(),
                            tb.name()
                        ),
                    )
                }
            };
            Ok((mk(Kind::Arith(op, Box::new(a), Box::new(b))), ty))
        }
        Kind::Cmp(op, a, b) => {
            let (a, ta) = resolve(*a, r)?;
            let (b, tb) = resolve(*b, r)?;
            let ok = match op {
                CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge => ta == Ty::Num && tb == Ty::Num,
                CmpOp::Eq | CmpOp::Ne => ta == tb && ta != Ty::Set,
            };
            if !ok {
                return err(
                    &a,
                    format!("cannot compare a {} with a {}", ta.name(), tb.name()),
                );
            }
            Ok((mk(Kind::Cmp(op, Box::new(a), Box::new(b))), Ty::Bool))
        }
        Kind::In { negated, item, set } => {
            let (item, ti) = resolve(*item, r)?;
            let (set, ts) = resolve(*set, r)?;
            if ts != Ty::Set {
                return err(
                    &set,
                    format!("`in` needs a set on its right, found a {}", ts.name()),
                );
            }
            if ti != Ty::Str && ti != Ty::Set {
                return err(
                    &item,
                    format!(
                        "`in` needs a string or a set on its left, found a {}",
                        ti.name()
                    ),
                );
            }
            Ok((
                mk(Kind::In {
                    negated,
                    item: Box::new(item),
                    set: Box::new(set),
                }),
                Ty::Bool,
            ))
        }
    }
}

fn bools(items: Vec<Node>, r: &Resolver<'_>, op: &str) -> Result<Vec<Node>, ExprError> {
    let mut out = Vec::with_capacity(items.len());
    for n in items {
        let (n, t) = resolve(n, r)?;
        if t != Ty::Bool {
            return err(&n, format!("`{op}` needs booleans, found a {}", t.name()));
        }
        out.push(n);
    }
    Ok(out)
}
