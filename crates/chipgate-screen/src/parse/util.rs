//! Byte-level helpers shared by the parsers: decoding (UTF-8 or Windows-1252), line-length caps, OFAC quirks (`-0-`,
//! trailing 0x1A), stable ids, date parsing, `;`-separated field splitting and the per-row
//! prologue (read errors and field counts recorded as [`LineError`]s).

use crate::error::LineError;
use crate::model::Entry;
use chrono::NaiveDate;
use std::ops::RangeBounds;

/// Decode bytes as UTF-8, falling back to Windows-1252 (what the legacy OFAC and BIS files
/// are written in: 0x80–0x9F are `€`, `’`, `“` …, not C1 control characters as in Latin-1);
/// strips a BOM and trailing 0x1A (DOS EOF) bytes.
pub fn decode(bytes: &[u8]) -> String {
    let mut end = bytes.len();
    while end > 0 && (bytes[end - 1] == 0x1a) {
        end -= 1;
    }
    let b = &bytes[..end];
    let b = b.strip_prefix(b"\xef\xbb\xbf").unwrap_or(b);
    match std::str::from_utf8(b) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(b)
            .0
            .into_owned(),
    }
}

/// The longest physical line a list file may have: 1 MiB (a list row is a few KB at most).
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// Refuses a file with a physical line longer than [`MAX_LINE_BYTES`], naming the line,
/// before any parser buffers it.
pub fn check_line_lengths(file: &str, bytes: &[u8]) -> Result<(), crate::error::ScreenError> {
    let mut start = 0usize;
    let ends = memchr_iter(bytes).chain(std::iter::once(bytes.len()));
    for (line, nl) in (1u64..).zip(ends) {
        if nl - start > MAX_LINE_BYTES {
            return Err(crate::error::ScreenError::Malformed {
                file: file.to_string(),
                line,
                message: format!(
                    "line longer than {MAX_LINE_BYTES} bytes (the limit for one row); is this a list file?"
                ),
            });
        }
        start = nl + 1;
    }
    Ok(())
}

fn memchr_iter(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i)
}

/// Remove a stray 0x1A anywhere at the end of a field.
fn strip_sub(s: &str) -> &str {
    s.trim_matches(|c: char| c == '\u{1a}' || c.is_whitespace())
}

/// OFAC field: `-0-` (with or without trailing space) means empty.
pub fn ofac_field(s: &str) -> Option<String> {
    let t = strip_sub(s);
    if t.is_empty() || t == "-0-" {
        None
    } else {
        Some(t.to_string())
    }
}

/// Non-empty trimmed field.
pub fn field(s: &str) -> Option<String> {
    let t = strip_sub(s);
    if t.is_empty() {
        None
    } else {
        Some(t.to_string())
    }
}

/// Split a `;`-separated multi-value field.
pub fn split_multi(s: &str) -> Vec<String> {
    s.split(';')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

/// Parse `YYYY-MM-DD`, `MM/DD/YYYY` or `YYYY-MM-DDT...`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let t = s.trim();
    if t.len() >= 10 {
        if let Ok(d) = NaiveDate::parse_from_str(t.get(..10)?, "%Y-%m-%d") {
            return Some(d);
        }
    }
    NaiveDate::parse_from_str(t, "%m/%d/%Y")
        .ok()
        .or_else(|| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok())
}

/// FNV-1a 64 of the parts, as hex: a stable id for lists that give none (DPL, 2019 CSL rows).
pub fn stable_id(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0x1f)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    format!("{h:016x}")
}

/// Number of CSV fields in one line (quote-aware).
pub fn csv_field_count(line: &str) -> usize {
    let mut n = 1;
    let mut q = false;
    for c in line.chars() {
        match c {
            '"' => q = !q,
            ',' if !q => n += 1,
            _ => {}
        }
    }
    n
}

/// Country from the end of an address ("..., Yerevan, Armenia, AM" → "AM").
pub fn country_of_address(addr: &str) -> Option<String> {
    let last = addr.rsplit(',').next()?.trim();
    if !last.is_empty() && last.len() <= 40 && !last.chars().any(|c| c.is_ascii_digit()) {
        Some(last.to_string())
    } else {
        None
    }
}

/// One row read from a CSV file: (line, fields) or (line, error message).
pub type Row = Result<(u64, Vec<String>), (u64, String)>;

/// Rows read from a CSV file.
pub type Rows = Vec<Row>;

/// A [`LineError`] for `file` at `line`.
pub fn line_error(file: &str, line: u64, message: impl Into<String>) -> LineError {
    LineError {
        file: file.to_string(),
        line,
        message: message.into(),
    }
}

/// The (line, fields) of a row whose field count lies in `width`; otherwise records a
/// [`LineError`] in `errors` (the read error, or "expected `expected` fields, found n") and
/// returns `None`.
pub fn row_fields(
    file: &str,
    row: Row,
    width: impl RangeBounds<usize>,
    expected: usize,
    errors: &mut Vec<LineError>,
) -> Option<(u64, Vec<String>)> {
    match row {
        Err((line, message)) => {
            errors.push(line_error(file, line, message));
            None
        }
        Ok((line, f)) if !width.contains(&f.len()) => {
            errors.push(line_error(
                file,
                line,
                format!("expected {expected} fields, found {}", f.len()),
            ));
            None
        }
        Ok(r) => Some(r),
    }
}

/// [`row_fields`] for a file with a header row: exactly `width` fields.
pub fn header_row(
    file: &str,
    row: Row,
    width: usize,
    errors: &mut Vec<LineError>,
) -> Option<(u64, Vec<String>)> {
    row_fields(file, row, width..=width, width, errors)
}

/// The non-empty trimmed field at column `i` (if any).
pub fn field_at(f: &[String], i: Option<usize>) -> Option<String> {
    i.and_then(|i| f.get(i)).and_then(|s| field(s))
}

/// Append each of `names` that is neither the entry's name nor already an alias.
pub fn add_aliases(e: &mut Entry, names: impl IntoIterator<Item = String>) {
    for n in names {
        if n != e.name && !e.aliases.contains(&n) {
            e.aliases.push(n);
        }
    }
}

/// Read CSV text: header fields (if any) and rows.
pub fn csv_rows(text: &str, delimiter: u8, has_headers: bool) -> (Vec<String>, Rows) {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(has_headers)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = if has_headers {
        match rdr.byte_headers() {
            Ok(h) => h
                .iter()
                .map(|f| {
                    String::from_utf8_lossy(f)
                        .trim()
                        .trim_start_matches('\u{feff}')
                        .to_string()
                })
                .collect(),
            Err(_) => Vec::new(),
        }
    } else {
        Vec::new()
    };
    // Line numbers from byte offsets (the csv crate's own line count is off after CRLF records).
    let newlines: Vec<usize> = text
        .bytes()
        .enumerate()
        .filter(|(_, b)| *b == b'\n')
        .map(|(i, _)| i)
        .collect();
    let line_of = |byte: u64| 1 + newlines.partition_point(|&n| (n as u64) <= byte) as u64;
    let mut rows = Vec::new();
    let mut rec = csv::ByteRecord::new();
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {
                let line = rec.position().map_or(0, |p| line_of(p.byte()));
                let fields: Vec<String> = rec
                    .iter()
                    .map(|f| String::from_utf8_lossy(f).to_string())
                    .collect();
                if fields.len() == 1
                    && fields[0]
                        .trim_matches(|c: char| c == '\u{1a}' || c.is_whitespace())
                        .is_empty()
                {
                    continue;
                }
                rows.push(Ok((line, fields)));
            }
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, |p| line_of(p.byte()));
                rows.push(Err((line, e.to_string())));
                // csv errors on a record are not always recoverable; stop on I/O-type errors.
                if !matches!(
                    e.kind(),
                    csv::ErrorKind::UnequalLengths { .. } | csv::ErrorKind::Utf8 { .. }
                ) {
                    break;
                }
            }
        }
    }
    (headers, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ofac_quirks() {
        assert_eq!(ofac_field("-0- "), None);
        assert_eq!(ofac_field(" x "), Some("x".into()));
        assert_eq!(decode(b"a\r\n\x1a"), "a\r\n");
        assert_eq!(
            parse_date("06/19/2003"),
            NaiveDate::from_ymd_opt(2003, 6, 19)
        );
        assert_eq!(
            parse_date("2019-05-21"),
            NaiveDate::from_ymd_opt(2019, 5, 21)
        );
    }
}

#[cfg(test)]
mod hardening_tests {
    use super::*;

    #[test]
    fn legacy_bytes_decode_as_windows_1252() {
        // 0x92 is a right single quote and 0x80 the euro sign in Windows-1252 (C1 controls
        // in Latin-1); 0xE9 is é in both.
        assert_eq!(
            decode(b"O\x92Brien \x80 Soci\xe9t\xe9"),
            "O\u{2019}Brien \u{20ac} Soci\u{e9}t\u{e9}"
        );
    }

    #[test]
    fn an_overlong_line_is_refused_with_its_number() {
        let mut b = b"a\nb\n".to_vec();
        b.extend(std::iter::repeat_n(b'x', MAX_LINE_BYTES + 1));
        b.extend_from_slice(b"\nc\n");
        let e = check_line_lengths("f.csv", &b).unwrap_err().to_string();
        assert!(e.starts_with("f.csv:3:"), "{e}");
        assert!(check_line_lengths("f.csv", b"a\nb").is_ok());
    }
}
