//! Minimal SVG writer.
//!
//! SVG is written directly rather than through a plotting crate: the map
//! needs exact control over region polygons, label boxes measured with the
//! embedded font, leader lines and a second axis strip, which general
//! plotting crates do not expose. A few helpers keep the markup small and
//! always escaped.

use crate::font::FONT_FAMILY_CSS;
use std::fmt::Write;

/// Format a coordinate with at most two decimals and no trailing zeros.
pub(crate) fn n(v: f64) -> String {
    if !v.is_finite() {
        return "0".to_string();
    }
    let r = (v * 100.0).round() / 100.0;
    let s = format!("{r:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// Escape text for element content and attribute values.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Sanitise a user colour: accept `#hex` and simple names, else grey.
pub(crate) fn colour(c: &str) -> String {
    let c = c.trim();
    let ok_hex = c.starts_with('#')
        && matches!(c.len(), 4 | 7 | 9)
        && c.chars().skip(1).all(|ch| ch.is_ascii_hexdigit());
    let ok_name = !c.is_empty() && c.len() <= 20 && c.chars().all(|ch| ch.is_ascii_alphabetic());
    if ok_hex || ok_name {
        c.to_string()
    } else {
        "#999999".to_string()
    }
}

/// Text anchor.
#[derive(Clone, Copy)]
pub(crate) enum Anchor {
    Start,
    Middle,
    End,
}

/// An SVG document under construction.
pub(crate) struct Doc {
    body: String,
    width: f64,
    height: f64,
}

impl Doc {
    pub(crate) fn new(width: f64, height: f64) -> Doc {
        Doc {
            body: String::new(),
            width,
            height,
        }
    }

    pub(crate) fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, attrs: &str) {
        let _ = writeln!(
            self.body,
            r#"<rect x="{}" y="{}" width="{}" height="{}" {attrs}/>"#,
            n(x),
            n(y),
            n(w.max(0.0)),
            n(h.max(0.0))
        );
    }

    pub(crate) fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, attrs: &str) {
        let _ = writeln!(
            self.body,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" {attrs}/>"#,
            n(x1),
            n(y1),
            n(x2),
            n(y2)
        );
    }

    pub(crate) fn circle(&mut self, cx: f64, cy: f64, r: f64, attrs: &str) {
        let _ = writeln!(
            self.body,
            r#"<circle cx="{}" cy="{}" r="{}" {attrs}/>"#,
            n(cx),
            n(cy),
            n(r)
        );
    }

    /// Text at baseline (x, y).
    #[expect(
        clippy::too_many_arguments,
        reason = "each argument is one independent input of the step"
    )]
    pub(crate) fn text(
        &mut self,
        x: f64,
        y: f64,
        size: f64,
        anchor: Anchor,
        bold: bool,
        fill: &str,
        extra: &str,
        s: &str,
    ) {
        let a = match anchor {
            Anchor::Start => "",
            Anchor::Middle => r#" text-anchor="middle""#,
            Anchor::End => r#" text-anchor="end""#,
        };
        let w = if bold { r#" font-weight="bold""# } else { "" };
        let _ = writeln!(
            self.body,
            r#"<text x="{}" y="{}" font-size="{}"{a}{w} fill="{fill}" {extra}>{}</text>"#,
            n(x),
            n(y),
            n(size),
            esc(s)
        );
    }

    pub(crate) fn open_group(&mut self, attrs: &str) {
        let _ = writeln!(self.body, "<g {attrs}>");
    }

    pub(crate) fn close_group(&mut self) {
        self.body.push_str("</g>\n");
    }

    /// Finish the document with a white background.
    pub(crate) fn finish(self) -> String {
        format!(
            concat!(
                r#"<?xml version="1.0" encoding="UTF-8"?>"#,
                "\n",
                r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{f}">"#,
                "\n",
                r##"<rect x="0" y="0" width="{w}" height="{h}" fill="#ffffff"/>"##,
                "\n{body}</svg>\n"
            ),
            w = n(self.width),
            h = n(self.height),
            f = esc(FONT_FAMILY_CSS),
            body = self.body
        )
    }
}

/// Thousands-separated number with up to `max_dec` decimals, trailing zeros trimmed.
pub(crate) fn num(v: f64, max_dec: usize) -> String {
    if !v.is_finite() {
        return "–".to_string();
    }
    let s = format!("{:.*}", max_dec, v.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), f.trim_end_matches('0').to_string()),
        None => (s.clone(), String::new()),
    };
    let mut grouped = String::new();
    let digits: Vec<char> = int.chars().collect();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(*c);
    }
    let sign = if v < 0.0 && (grouped != "0" || !frac.is_empty()) {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_escaping() {
        assert_eq!(num(15832.0, 0), "15,832");
        assert_eq!(num(5.92, 3), "5.92");
        assert_eq!(num(1600.0000001, 2), "1,600");
        assert_eq!(num(-1234.5, 1), "-1,234.5");
        assert_eq!(n(3.0), "3");
        assert_eq!(n(2.5), "2.5");
        assert_eq!(n(f64::NAN), "0");
        assert_eq!(n(-0.001), "0");
        assert_eq!(esc("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot; ");
        assert_eq!(colour("#abc"), "#abc");
        assert_eq!(colour("red"), "red");
        assert_eq!(colour("url(#x)"), "#999999");
        assert_eq!(colour("\"/><script>"), "#999999");
    }
}
