//! The condition language rule files are written in: small, closed and typed.
//!
//! ```text
//! tpp >= 4800 or (tpp >= 1600 and pd >= 5.92)
//! eccn in ["3A090.a", "4A090.a"] and destination in (group("D:1") + group("D:4")) - d5_macau
//! "entity_list" in party_lists
//! memory_bw_gbs + interconnect_bw_gbs >= 1700
//! ```
//!
//! Names are facts (see [`crate::facts::FACTS`]) or named sets defined in the rulebook's
//! `sets.toml`; `group("D:5")` is a Country Group as of the evaluation date; `applies("id")`
//! asks whether a requirement fired. `+`/`-` on sets are union and difference. `x in S` is
//! membership for a string and non-empty intersection for a set-valued fact. Anything else is a
//! load-time error naming the file, line and key. Evaluation is three-valued: a condition that
//! needs an unknown fact is `Unknown`, and the outcome lists which facts were missing.

mod check;
mod dates;
mod eval;
mod fast;
mod lexer;
mod parser;

pub use check::{check, NamedSets, Resolver};
pub use dates::YearTurns;
pub use eval::{eval, thresholds_for, EvalCtx, Outcome, Tri};
pub use fast::eval_tri;
pub use parser::parse;

use crate::facts::FactId;

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Lt => "<",
            CmpOp::Le => "≤",
            CmpOp::Gt => ">",
            CmpOp::Ge => "≥",
            CmpOp::Eq => "=",
            CmpOp::Ne => "≠",
        }
    }

    /// The operator that holds when this one does not.
    pub fn negate(self) -> CmpOp {
        match self {
            CmpOp::Lt => CmpOp::Ge,
            CmpOp::Le => CmpOp::Gt,
            CmpOp::Gt => CmpOp::Le,
            CmpOp::Ge => CmpOp::Lt,
            CmpOp::Eq => CmpOp::Ne,
            CmpOp::Ne => CmpOp::Eq,
        }
    }
}

/// Arithmetic (numbers) and set operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
}

/// A node of a parsed condition, with its byte span in the source text.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: Kind,
    pub span: (usize, usize),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Num(f64),
    Str(String),
    Bool(bool),
    /// An identifier not yet resolved (parser output only).
    Ident(String),
    Fact(FactId),
    List(Vec<String>),
    Group(String),
    NamedSet {
        name: String,
        label: String,
        body: Box<Node>,
    },
    Applies(String),
    Not(Box<Node>),
    And(Vec<Node>),
    Or(Vec<Node>),
    Arith(ArithOp, Box<Node>, Box<Node>),
    Neg(Box<Node>),
    Cmp(CmpOp, Box<Node>, Box<Node>),
    In {
        negated: bool,
        item: Box<Node>,
        set: Box<Node>,
    },
}

/// A parse or type error at a byte offset of the condition text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprError {
    pub offset: usize,
    pub message: String,
}

impl std::fmt::Display for ExprError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (at character {})", self.message, self.offset + 1)
    }
}

impl Node {
    /// Facts this condition reads (for documentation and what-if sweeps).
    pub fn facts(&self) -> Vec<FactId> {
        let mut out = Vec::new();
        self.walk(&mut |n| {
            if let Kind::Fact(f) = n.kind {
                if !out.contains(&f) {
                    out.push(f);
                }
            }
        });
        out
    }

    /// Ids named by `applies("…")`.
    pub fn applies_refs(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.walk(&mut |n| {
            if let Kind::Applies(id) = &n.kind {
                out.push(id.clone());
            }
        });
        out
    }

    /// Country Groups named by `group("…")`.
    pub fn groups(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.walk(&mut |n| {
            if let Kind::Group(g) = &n.kind {
                out.push(g.clone());
            }
        });
        out
    }

    fn walk(&self, f: &mut dyn FnMut(&Node)) {
        f(self);
        match &self.kind {
            Kind::NamedSet { body, .. } => body.walk(f),
            Kind::Not(a) | Kind::Neg(a) => a.walk(f),
            Kind::And(v) | Kind::Or(v) => v.iter().for_each(|n| n.walk(f)),
            Kind::Arith(_, a, b) | Kind::Cmp(_, a, b) => {
                a.walk(f);
                b.walk(f);
            }
            Kind::In { item, set, .. } => {
                item.walk(f);
                set.walk(f);
            }
            _ => {}
        }
    }
}
