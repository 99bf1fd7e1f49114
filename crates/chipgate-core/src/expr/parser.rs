//! Recursive-descent parser: `or` < `and` < `not` < comparison / `in` < `+ -` < `* /` < atoms.

use super::lexer::{lex, Tok};
use super::{ArithOp, CmpOp, ExprError, Kind, Node};

/// Parses a condition into an untyped tree (identifiers unresolved; see [`super::check`]).
pub fn parse(text: &str) -> Result<Node, ExprError> {
    let toks = lex(text)?;
    let mut p = Parser {
        toks,
        pos: 0,
        len: text.len(),
        depth: 0,
    };
    let node = p.or_expr()?;
    if let Some((t, s, _)) = p.toks.get(p.pos) {
        return Err(ExprError {
            offset: *s,
            message: format!("unexpected {} after the end of the condition", describe(t)),
        });
    }
    Ok(node)
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Num(v) => format!("number `{v}`"),
        Tok::Str(s) => format!("string \"{s}\""),
        Tok::Ident(s) => format!("`{s}`"),
        other => format!("`{}`", symbol(other)),
    }
}

fn symbol(t: &Tok) -> &'static str {
    match t {
        Tok::LParen => "(",
        Tok::RParen => ")",
        Tok::LBracket => "[",
        Tok::RBracket => "]",
        Tok::Comma => ",",
        Tok::Plus => "+",
        Tok::Minus => "-",
        Tok::Star => "*",
        Tok::Slash => "/",
        Tok::Lt => "<",
        Tok::Le => "<=",
        Tok::Gt => ">",
        Tok::Ge => ">=",
        Tok::EqEq => "==",
        Tok::Ne => "!=",
        _ => "?",
    }
}

const MAX_DEPTH: usize = 64;

struct Parser {
    toks: Vec<(Tok, usize, usize)>,
    pos: usize,
    len: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(t, _, _)| t)
    }

    fn peek_word(&self, w: &str) -> bool {
        matches!(self.peek(), Some(Tok::Ident(s)) if s == w)
    }

    fn start(&self) -> usize {
        self.toks
            .get(self.pos)
            .map(|(_, s, _)| *s)
            .unwrap_or(self.len)
    }

    fn end_of_prev(&self) -> usize {
        self.pos
            .checked_sub(1)
            .and_then(|i| self.toks.get(i))
            .map(|(_, _, e)| *e)
            .unwrap_or(0)
    }

    fn bump(&mut self) -> Option<(Tok, usize, usize)> {
        let t = self.toks.get(self.pos).cloned();
        if t.is_some() {
            self.pos += 1;
        }
        t
    }

    fn expect(&mut self, want: Tok) -> Result<(), ExprError> {
        match self.bump() {
            Some((t, _, _)) if t == want => Ok(()),
            Some((t, s, _)) => Err(ExprError {
                offset: s,
                message: format!("expected `{}`, found {}", symbol(&want), describe(&t)),
            }),
            None => Err(ExprError {
                offset: self.len,
                message: format!("expected `{}` before the end", symbol(&want)),
            }),
        }
    }

    fn enter(&mut self) -> Result<(), ExprError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ExprError {
                offset: self.start(),
                message: "condition nested too deeply".into(),
            });
        }
        Ok(())
    }

    fn or_expr(&mut self) -> Result<Node, ExprError> {
        self.enter()?;
        let start = self.start();
        let first = self.and_expr()?;
        let mut items = vec![first];
        while self.peek_word("or") {
            self.pos += 1;
            items.push(self.and_expr()?);
        }
        self.depth -= 1;
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Node {
                kind: Kind::Or(items),
                span: (start, self.end_of_prev()),
            }
        })
    }

    fn and_expr(&mut self) -> Result<Node, ExprError> {
        let start = self.start();
        let first = self.not_expr()?;
        let mut items = vec![first];
        while self.peek_word("and") {
            self.pos += 1;
            items.push(self.not_expr()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Node {
                kind: Kind::And(items),
                span: (start, self.end_of_prev()),
            }
        })
    }

    fn not_expr(&mut self) -> Result<Node, ExprError> {
        let start = self.start();
        if self.peek_word("not") {
            self.pos += 1;
            self.enter()?;
            let inner = self.not_expr()?;
            self.depth -= 1;
            return Ok(Node {
                kind: Kind::Not(Box::new(inner)),
                span: (start, self.end_of_prev()),
            });
        }
        self.cmp_expr()
    }

    fn cmp_expr(&mut self) -> Result<Node, ExprError> {
        let start = self.start();
        let left = self.add_expr()?;
        let op = match self.peek() {
            Some(Tok::Lt) => Some(CmpOp::Lt),
            Some(Tok::Le) => Some(CmpOp::Le),
            Some(Tok::Gt) => Some(CmpOp::Gt),
            Some(Tok::Ge) => Some(CmpOp::Ge),
            Some(Tok::EqEq) => Some(CmpOp::Eq),
            Some(Tok::Ne) => Some(CmpOp::Ne),
            _ => None,
        };
        if let Some(op) = op {
            self.pos += 1;
            let right = self.add_expr()?;
            return Ok(Node {
                kind: Kind::Cmp(op, Box::new(left), Box::new(right)),
                span: (start, self.end_of_prev()),
            });
        }
        let negated = if self.peek_word("not")
            && matches!(self.toks.get(self.pos + 1), Some((Tok::Ident(w), _, _)) if w == "in")
        {
            self.pos += 2;
            true
        } else if self.peek_word("in") {
            self.pos += 1;
            false
        } else {
            return Ok(left);
        };
        let set = self.add_expr()?;
        Ok(Node {
            kind: Kind::In {
                negated,
                item: Box::new(left),
                set: Box::new(set),
            },
            span: (start, self.end_of_prev()),
        })
    }

    fn add_expr(&mut self) -> Result<Node, ExprError> {
        let start = self.start();
        let mut left = self.mul_expr()?;
        loop {
            let op = match self.peek() {
                Some(Tok::Plus) => ArithOp::Add,
                Some(Tok::Minus) => ArithOp::Sub,
                _ => break,
            };
            self.pos += 1;
            let right = self.mul_expr()?;
            left = Node {
                kind: Kind::Arith(op, Box::new(left), Box::new(right)),
                span: (start, self.end_of_prev()),
            };
        }
        Ok(left)
    }

    fn mul_expr(&mut self) -> Result<Node, ExprError> {
        let start = self.start();
        let mut left = self.atom()?;
        loop {
            let op = match self.peek() {
                Some(Tok::Star) => ArithOp::Mul,
                Some(Tok::Slash) => ArithOp::Div,
                _ => break,
            };
            self.pos += 1;
            let right = self.atom()?;
            left = Node {
                kind: Kind::Arith(op, Box::new(left), Box::new(right)),
                span: (start, self.end_of_prev()),
            };
        }
        Ok(left)
    }

    fn string_arg(&mut self, func: &str) -> Result<String, ExprError> {
        self.expect(Tok::LParen)?;
        let s = match self.bump() {
            Some((Tok::Str(s), _, _)) => s,
            Some((t, s, _)) => {
                return Err(ExprError {
                    offset: s,
                    message: format!("`{func}` takes a quoted string, found {}", describe(&t)),
                })
            }
            None => {
                return Err(ExprError {
                    offset: self.len,
                    message: format!("`{func}(` is not closed"),
                })
            }
        };
        self.expect(Tok::RParen)?;
        Ok(s)
    }

    fn atom(&mut self) -> Result<Node, ExprError> {
        let start = self.start();
        let Some((tok, s, e)) = self.bump() else {
            return Err(ExprError {
                offset: self.len,
                message: "the condition ends where a value was expected".into(),
            });
        };
        let kind = match tok {
            Tok::Num(v) => Kind::Num(v),
            Tok::Str(v) => Kind::Str(v),
            Tok::Minus => {
                self.enter()?;
                let inner = self.atom()?;
                self.depth -= 1;
                Kind::Neg(Box::new(inner))
            }
            Tok::LParen => {
                let inner = self.or_expr()?;
                self.expect(Tok::RParen)?;
                return Ok(Node {
                    kind: inner.kind,
                    span: (start, self.end_of_prev()),
                });
            }
            Tok::LBracket => {
                let mut items = Vec::new();
                loop {
                    match self.bump() {
                        Some((Tok::RBracket, _, _)) => break,
                        Some((Tok::Str(v), _, _)) => {
                            items.push(v);
                            match self.bump() {
                                Some((Tok::Comma, _, _)) => continue,
                                Some((Tok::RBracket, _, _)) => break,
                                Some((t, s, _)) => {
                                    return Err(ExprError {
                                        offset: s,
                                        message: format!(
                                            "expected `,` or `]` in a list, found {}",
                                            describe(&t)
                                        ),
                                    })
                                }
                                None => {
                                    return Err(ExprError {
                                        offset: self.len,
                                        message: "list is not closed with `]`".into(),
                                    })
                                }
                            }
                        }
                        Some((t, s, _)) => {
                            return Err(ExprError {
                                offset: s,
                                message: format!(
                                    "lists hold quoted strings only, found {}",
                                    describe(&t)
                                ),
                            })
                        }
                        None => {
                            return Err(ExprError {
                                offset: self.len,
                                message: "list is not closed with `]`".into(),
                            })
                        }
                    }
                }
                Kind::List(items)
            }
            Tok::Ident(w) => match w.as_str() {
                "true" => Kind::Bool(true),
                "false" => Kind::Bool(false),
                "group" => Kind::Group(self.string_arg("group")?),
                "applies" => Kind::Applies(self.string_arg("applies")?),
                "and" | "or" | "not" | "in" => {
                    return Err(ExprError {
                        offset: s,
                        message: format!("`{w}` where a value was expected"),
                    })
                }
                _ => Kind::Ident(w),
            },
            other => {
                return Err(ExprError {
                    offset: s,
                    message: format!("unexpected {} where a value was expected", describe(&other)),
                })
            }
        };
        Ok(Node {
            kind,
            span: (start, e.max(self.end_of_prev())),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_and_before_or() {
        let n = parse("tpp >= 4800 or tpp >= 1600 and pd >= 5.92").unwrap();
        match n.kind {
            Kind::Or(v) => {
                assert_eq!(v.len(), 2);
                assert!(matches!(v[1].kind, Kind::And(_)));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn errors_point_at_the_problem() {
        let e = parse("tpp >= ").unwrap_err();
        assert_eq!(e.offset, 7);
        let e = parse("tpp = 3").unwrap_err();
        assert_eq!(e.offset, 4);
        assert!(parse("destination not in [\"CN\", \"MO\"]").is_ok());
        assert!(parse("((((").is_err());
        assert!(parse("[\"a\" \"b\"]").is_err());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let text = "(".repeat(10_000) + "1";
        assert!(parse(&text).is_err());
        let text = "not ".repeat(10_000) + "true";
        assert!(parse(&text).is_err());
        let text = "-".repeat(10_000) + "1";
        assert!(parse(&text).is_err());
    }
}
