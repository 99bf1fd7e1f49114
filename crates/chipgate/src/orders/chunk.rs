//! Streaming input: cuts a byte stream into chunks of whole records (at most `max_rows` each)
//! without parsing them, remembering where each record starts and on which physical line, so
//! rows can then be parsed in parallel and memory stays bounded by the chunk size. CSV quoting
//! is respected (a newline inside a quoted field does not end a record: RFC 4180 quotes keep
//! an even count outside fields); JSON Lines records are single lines.

use std::io::Read;

/// One record: its bytes in the chunk (without the line ending) and its first physical line.
#[derive(Debug, Clone, Copy)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub line: u64,
}

/// A chunk of whole records.
#[derive(Debug, Default)]
pub struct Chunk {
    pub bytes: Vec<u8>,
    pub records: Vec<Span>,
}

impl Chunk {
    pub fn record(&self, s: &Span) -> &[u8] {
        self.bytes.get(s.start..s.end).unwrap_or_default()
    }
}

/// Reads chunks of records from a reader.
pub struct Chunker<R: Read> {
    reader: R,
    quoted: bool,
    max_rows: usize,
    /// Bytes read but not yet handed out (the start of an incomplete record).
    pending: Vec<u8>,
    /// Physical line of `pending[0]`.
    line: u64,
    eof: bool,
    /// Bytes consumed so far (for progress).
    pub consumed: u64,
    /// Buffers of a processed chunk, reused for the next one (no fresh pages per chunk).
    spare_bytes: Vec<u8>,
    spare_records: Vec<Span>,
}

const READ_SIZE: usize = 1 << 20;

/// The longest record (one order row, quoted newlines included) a reader accepts: 1 MiB.
/// A longer one stops the run with an error naming its line instead of exhausting memory.
pub const MAX_RECORD_BYTES: usize = 1 << 20;

fn too_long(line: u64) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        format!(
            "line {line}: the record is longer than {} bytes (the limit for one row); is a quote left open or a line ending missing?",
            MAX_RECORD_BYTES
        ),
    )
}

impl<R: Read> Chunker<R> {
    /// `quoted`: CSV quoting rules apply. `first_line`: physical line number of the first byte.
    pub fn new(reader: R, quoted: bool, max_rows: usize, first_line: u64) -> Chunker<R> {
        Chunker {
            reader,
            quoted,
            max_rows: max_rows.max(1),
            pending: Vec::new(),
            line: first_line,
            eof: false,
            consumed: 0,
            spare_bytes: Vec::new(),
            spare_records: Vec::new(),
        }
    }

    /// Starts with bytes already read (e.g. after the header).
    pub fn with_prefix(mut self, prefix: Vec<u8>) -> Self {
        self.pending = prefix;
        self
    }

    fn fill(&mut self) -> std::io::Result<usize> {
        let old = self.pending.len();
        self.pending.resize(old + READ_SIZE, 0);
        let n = loop {
            match self.reader.read(&mut self.pending[old..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.pending.truncate(old);
                    return Err(e);
                }
            }
        };
        self.pending.truncate(old + n);
        if n == 0 {
            self.eof = true;
        }
        Ok(n)
    }

    /// Hands a processed chunk's buffers back for reuse.
    pub fn recycle(&mut self, c: Chunk) {
        self.spare_bytes = c.bytes;
        self.spare_records = c.records;
    }

    /// The next chunk, or `None` at the end of the input.
    pub fn next_chunk(&mut self) -> std::io::Result<Option<Chunk>> {
        let mut records: Vec<Span> = std::mem::take(&mut self.spare_records);
        records.clear();
        let mut pos = 0usize; // scan position in pending
        let mut rec_start = 0usize;
        let mut rec_line = self.line;
        let mut line = self.line;
        let mut in_quotes = false;
        loop {
            // Scan what we have.
            let buf = &self.pending;
            while records.len() < self.max_rows {
                let next = if self.quoted {
                    memchr::memchr2(b'\n', b'"', &buf[pos..])
                } else {
                    memchr::memchr(b'\n', &buf[pos..])
                };
                let Some(off) = next else {
                    pos = buf.len();
                    break;
                };
                let at = pos + off;
                pos = at + 1;
                if buf[at] == b'"' {
                    in_quotes = !in_quotes;
                    continue;
                }
                line += 1;
                if in_quotes {
                    continue;
                }
                let mut end = at;
                if end > rec_start && buf[end - 1] == b'\r' {
                    end -= 1;
                }
                if end.saturating_sub(rec_start) > MAX_RECORD_BYTES {
                    return Err(too_long(rec_line));
                }
                if end > rec_start {
                    records.push(Span {
                        start: rec_start,
                        end,
                        line: rec_line,
                    });
                }
                rec_start = pos;
                rec_line = line;
            }
            if records.len() >= self.max_rows {
                break;
            }
            if self.pending.len() - rec_start > MAX_RECORD_BYTES {
                return Err(too_long(rec_line));
            }
            if self.eof {
                // A last record without a line ending.
                let mut end = self.pending.len();
                if end > rec_start && self.pending[end - 1] == b'\r' {
                    end -= 1;
                }
                if end.saturating_sub(rec_start) > MAX_RECORD_BYTES {
                    return Err(too_long(rec_line));
                }
                if end > rec_start {
                    records.push(Span {
                        start: rec_start,
                        end,
                        line: rec_line,
                    });
                }
                rec_start = self.pending.len();
                rec_line = line;
                break;
            }
            self.fill()?;
        }
        if records.is_empty() && self.eof && rec_start >= self.pending.len() {
            self.pending.clear();
            return Ok(None);
        }
        // Hand out [0, rec_start); keep the rest (an incomplete record) for the next chunk.
        let mut rest = std::mem::take(&mut self.spare_bytes);
        rest.clear();
        rest.extend_from_slice(self.pending.get(rec_start..).unwrap_or_default());
        let mut bytes = std::mem::replace(&mut self.pending, rest);
        bytes.truncate(rec_start);
        self.consumed += bytes.len() as u64;
        self.line = rec_line;
        Ok(Some(Chunk { bytes, records }))
    }
}

/// Reads the first record (the header) and returns it with the bytes read after it.
pub fn split_header<R: Read>(
    reader: &mut R,
    quoted: bool,
) -> std::io::Result<(Vec<u8>, Vec<u8>, u64)> {
    let mut buf: Vec<u8> = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    let mut in_quotes = false;
    let mut scanned = 0usize;
    let mut newlines = 0u64;
    loop {
        while scanned < buf.len() {
            let b = buf[scanned];
            scanned += 1;
            if quoted && b == b'"' {
                in_quotes = !in_quotes;
            } else if b == b'\n' {
                newlines += 1;
                if !in_quotes {
                    if scanned > MAX_RECORD_BYTES {
                        return Err(too_long(1));
                    }
                    let mut header = buf[..scanned - 1].to_vec();
                    if header.last() == Some(&b'\r') {
                        header.pop();
                    }
                    let rest = buf[scanned..].to_vec();
                    return Ok((header, rest, newlines + 1));
                }
            }
        }
        if buf.len() > MAX_RECORD_BYTES {
            return Err(too_long(1));
        }
        let n = reader.read(&mut chunk)?;
        if n == 0 {
            return Ok((buf, Vec::new(), newlines + 1));
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_records_respecting_quotes_and_counts_lines() {
        let text = b"a,b\r\n\"x\ny\",2\n\nc,3\nd,4";
        let mut c = Chunker::new(&text[..], true, 2, 2);
        let first = c.next_chunk().unwrap().unwrap();
        let got: Vec<(&[u8], u64)> = first
            .records
            .iter()
            .map(|s| (first.record(s), s.line))
            .collect();
        assert_eq!(got, vec![(&b"a,b"[..], 2), (&b"\"x\ny\",2"[..], 3)]);
        let second = c.next_chunk().unwrap().unwrap();
        let got: Vec<(&[u8], u64)> = second
            .records
            .iter()
            .map(|s| (second.record(s), s.line))
            .collect();
        assert_eq!(got, vec![(&b"c,3"[..], 6), (&b"d,4"[..], 7)]);
        assert!(c.next_chunk().unwrap().is_none());
    }

    #[test]
    fn an_overlong_record_is_an_error_naming_its_line() {
        let mut text = b"a,1\nb,2\n".to_vec();
        text.extend(std::iter::repeat_n(b'x', MAX_RECORD_BYTES + 10));
        text.extend_from_slice(b"\nc,3\n");
        let mut c = Chunker::new(&text[..], true, 100, 2);
        let e = c.next_chunk().unwrap_err().to_string();
        assert!(e.starts_with("line 4:"), "{e}");
        let mut r = &text[4..];
        let mut long = vec![b'y'; MAX_RECORD_BYTES + 10];
        long.extend_from_slice(b"\n");
        let mut rl = &long[..];
        assert!(split_header(&mut rl, true).is_err());
        assert!(split_header(&mut r, true).is_ok());
    }

    #[test]
    fn header_is_split_off() {
        let mut r = &b"id,date\n1,2\n"[..];
        let (h, rest, line) = split_header(&mut r, true).unwrap();
        assert_eq!(h, b"id,date");
        assert_eq!(rest, b"1,2\n");
        assert_eq!(line, 2);
    }
}
