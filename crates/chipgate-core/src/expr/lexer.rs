//! Tokens of the condition language. Hand-written because the language is the product's own
//! and tiny; every token keeps its byte offset for error messages.

use super::ExprError;

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Num(f64),
    Str(String),
    Ident(String),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Plus,
    Minus,
    Star,
    Slash,
    Lt,
    Le,
    Gt,
    Ge,
    EqEq,
    Ne,
}

pub fn lex(text: &str) -> Result<Vec<(Tok, usize, usize)>, ExprError> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = bytes.get(i) {
        let start = i;
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'#' => {
                while bytes.get(i).is_some_and(|b| *b != b'\n') {
                    i += 1;
                }
                continue;
            }
            b'(' => out.push((Tok::LParen, start, start + 1)),
            b')' => out.push((Tok::RParen, start, start + 1)),
            b'[' => out.push((Tok::LBracket, start, start + 1)),
            b']' => out.push((Tok::RBracket, start, start + 1)),
            b',' => out.push((Tok::Comma, start, start + 1)),
            b'+' => out.push((Tok::Plus, start, start + 1)),
            b'-' => out.push((Tok::Minus, start, start + 1)),
            b'*' => out.push((Tok::Star, start, start + 1)),
            b'/' => out.push((Tok::Slash, start, start + 1)),
            b'<' | b'>' | b'=' | b'!' => {
                let next = bytes.get(i + 1).copied();
                let (tok, len) = match (c, next) {
                    (b'<', Some(b'=')) => (Tok::Le, 2),
                    (b'>', Some(b'=')) => (Tok::Ge, 2),
                    (b'=', Some(b'=')) => (Tok::EqEq, 2),
                    (b'!', Some(b'=')) => (Tok::Ne, 2),
                    (b'<', _) => (Tok::Lt, 1),
                    (b'>', _) => (Tok::Gt, 1),
                    _ => {
                        return Err(ExprError {
                            offset: start,
                            message: format!(
                                "unexpected `{}` (use `==`, `!=`, `<`, `<=`, `>`, `>=`)",
                                c as char
                            ),
                        })
                    }
                };
                out.push((tok, start, start + len));
                i += len;
                continue;
            }
            b'"' => {
                i += 1;
                let s = i;
                while bytes.get(i).is_some_and(|b| *b != b'"') {
                    i += 1;
                }
                if i >= bytes.len() {
                    return Err(ExprError {
                        offset: start,
                        message: "unterminated string".into(),
                    });
                }
                let value = text.get(s..i).unwrap_or_default().to_string();
                out.push((Tok::Str(value), start, i + 1));
            }
            b'0'..=b'9' | b'.' => {
                while bytes.get(i).is_some_and(|b| {
                    b.is_ascii_digit()
                        || *b == b'.'
                        || *b == b'_'
                        || ((*b == b'e' || *b == b'E')
                            && bytes.get(i + 1).is_some_and(u8::is_ascii_digit))
                }) {
                    i += 1;
                }
                let raw: String = text
                    .get(start..i)
                    .unwrap_or_default()
                    .chars()
                    .filter(|c| *c != '_')
                    .collect();
                let v: f64 = raw.parse().map_err(|_| ExprError {
                    offset: start,
                    message: format!("`{raw}` is not a number"),
                })?;
                out.push((Tok::Num(v), start, i));
                continue;
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                while bytes
                    .get(i)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
                {
                    i += 1;
                }
                let word = text.get(start..i).unwrap_or_default().to_string();
                out.push((Tok::Ident(word), start, i));
                continue;
            }
            _ => {
                let ch = text
                    .get(start..)
                    .and_then(|s| s.chars().next())
                    .unwrap_or('?');
                return Err(ExprError {
                    offset: start,
                    message: format!("unexpected character `{ch}`"),
                });
            }
        }
        i += 1;
    }
    Ok(out)
}
