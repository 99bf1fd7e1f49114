//! Bounded reading of line-oriented input files (the customer file of `screen --file`, party
//! files): one physical line at a time, never holding more than [`MAX_LINE_BYTES`] of one
//! line. An over-long line, a line that is not UTF-8 or a CSV line with a quote left open is
//! reported with its line number and skipped; the lines after it are still read.
//!
//! These files hold one record per line: a quoted field may contain commas and doubled
//! quotes, but not a line break — so an unterminated quote spoils one line, not the rest of
//! the file.

use std::io::BufRead;

/// The longest line accepted: 1 MiB.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// Reads lines of at most `max` bytes; yields `(line number, text or why it was skipped)`.
pub struct Lines<R: BufRead> {
    reader: R,
    line: u64,
    max: usize,
    buf: Vec<u8>,
}

impl<R: BufRead> Lines<R> {
    pub fn new(reader: R) -> Lines<R> {
        Lines::with_limit(reader, MAX_LINE_BYTES)
    }

    pub fn with_limit(reader: R, max: usize) -> Lines<R> {
        Lines {
            reader,
            line: 0,
            max,
            buf: Vec::new(),
        }
    }

    /// The next line: `Ok(text)` without its line ending, or `Err(reason)` for a skipped line.
    /// `None` at the end of the input; an I/O error ends the iteration with that error.
    pub fn next_line(&mut self) -> std::io::Result<Option<(u64, Result<String, String>)>> {
        self.buf.clear();
        let mut too_long = false;
        let mut any = false;
        loop {
            let avail = match self.reader.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if avail.is_empty() {
                break;
            }
            any = true;
            let (take, done) = match memchr::memchr(b'\n', avail) {
                Some(i) => (i + 1, true),
                None => (avail.len(), false),
            };
            if !too_long {
                if self.buf.len() + take > self.max + 2 {
                    too_long = true;
                    self.buf.clear();
                } else {
                    self.buf.extend_from_slice(&avail[..take]);
                }
            }
            self.reader.consume(take);
            if done {
                break;
            }
        }
        if !any {
            return Ok(None);
        }
        self.line += 1;
        if too_long {
            return Ok(Some((
                self.line,
                Err(format!(
                    "line longer than {} bytes (the limit for one row); skipped",
                    self.max
                )),
            )));
        }
        while matches!(self.buf.last(), Some(b'\n' | b'\r')) {
            self.buf.pop();
        }
        if self.buf.len() > self.max {
            return Ok(Some((
                self.line,
                Err(format!(
                    "line longer than {} bytes (the limit for one row); skipped",
                    self.max
                )),
            )));
        }
        let bytes = if self.line == 1 {
            self.buf.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&self.buf)
        } else {
            &self.buf[..]
        };
        Ok(Some((
            self.line,
            std::str::from_utf8(bytes)
                .map(str::to_string)
                .map_err(|e| format!("not valid UTF-8 (at byte {})", e.valid_up_to() + 1)),
        )))
    }
}

/// Splits one CSV line into trimmed cells (RFC 4180 quoting within the line). A quote left
/// open is an error rather than a reason to read on into the next lines.
pub fn csv_cells(line: &str) -> Result<Vec<String>, String> {
    let quotes = line.bytes().filter(|b| *b == b'"').count();
    if quotes == 0 {
        // Most lines: no quoting, the cells are the text between commas.
        return Ok(line.split(',').map(|c| c.trim().to_string()).collect());
    }
    if quotes % 2 == 1 {
        return Err("a quote is not closed on this line (fields cannot span lines)".into());
    }
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(line.as_bytes());
    match rdr.records().next() {
        None => Ok(Vec::new()),
        Some(Ok(rec)) => Ok(rec.iter().map(|c| c.trim().to_string()).collect()),
        Some(Err(e)) => Err(format!("not a CSV line: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &[u8], max: usize) -> Vec<(u64, Result<String, String>)> {
        let mut l = Lines::with_limit(text, max);
        let mut v = Vec::new();
        while let Some(x) = l.next_line().unwrap() {
            v.push(x);
        }
        v
    }

    #[test]
    fn long_lines_are_skipped_and_the_rest_kept() {
        let v = all(b"id,name\r\n1,short\n2,xxxxxxxxxxxxxxxxxxxx\n3,ok", 10);
        assert_eq!(v.len(), 4);
        assert_eq!(v[0], (1, Ok("id,name".into())));
        assert_eq!(v[1], (2, Ok("1,short".into())));
        assert!(v[2].1.as_ref().unwrap_err().contains("longer than 10"));
        assert_eq!(v[3], (4, Ok("3,ok".into())));
    }

    #[test]
    fn open_quotes_spoil_one_line() {
        assert!(csv_cells("1,\"Acme, Inc").is_err());
        assert_eq!(
            csv_cells("1,\"Acme, \"\"Inc\"\"\" ,CN").unwrap(),
            vec!["1", "Acme, \"Inc\"", "CN"]
        );
    }
}
