//! One input record split into the fields chipgate reads: CSV records through `csv-core`
//! (quotes and escaped quotes handled, fields trimmed, empty = absent), JSON Lines records as
//! one JSON object per line (strings, numbers and booleans taken as text; a nested object,
//! e.g. a `spec`, kept as its JSON text). Each worker thread owns one `RecordReader` and
//! reuses its buffers, so splitting a record allocates nothing on the CSV path.

use super::columns::{field_of, Columns, Field, N_FIELDS};
use std::collections::HashMap;

/// Input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Jsonl,
}

/// A record's fields, by [`Field`] index.
pub type Fields<'a> = [Option<&'a str>; N_FIELDS];

/// Splits records into fields, reusing buffers.
pub struct RecordReader<'c> {
    format: Format,
    columns: &'c Columns,
    map: &'c [(String, Field)],
    csv: csv_core::Reader,
    out: Vec<u8>,
    ends: Vec<usize>,
    json: Vec<(Field, String)>,
    json_keys: HashMap<String, Option<Field>>,
}

impl<'c> RecordReader<'c> {
    pub fn new(
        format: Format,
        columns: &'c Columns,
        map: &'c [(String, Field)],
    ) -> RecordReader<'c> {
        RecordReader {
            format,
            columns,
            map,
            csv: csv_core::Reader::new(),
            out: vec![0; 1024],
            ends: vec![0; columns.by_position.len().max(N_FIELDS) + 8],
            json: Vec::new(),
            json_keys: HashMap::new(),
        }
    }

    /// The fields of one record, or why it cannot be read.
    pub fn fields<'a>(&'a mut self, rec: &'a [u8]) -> Result<Fields<'a>, String> {
        match self.format {
            Format::Csv => self.csv_fields(rec),
            Format::Jsonl => self.json_fields(rec),
        }
    }

    fn csv_fields<'a>(&'a mut self, rec: &'a [u8]) -> Result<Fields<'a>, String> {
        if memchr::memchr(b'"', rec).is_none() {
            return self.plain_fields(rec);
        }
        self.csv.reset();
        if self.out.len() < rec.len() + 1 {
            self.out.resize(rec.len() + 1, 0);
        }
        let mut nfields = 0usize;
        let mut input = rec;
        let mut out_pos = 0usize;
        loop {
            // An empty input tells csv-core the record is complete. Field ends are offsets
            // from the start of the record's output.
            let (res, nin, nout, nend) =
                self.csv
                    .read_record(input, &mut self.out[out_pos..], &mut self.ends[nfields..]);
            input = &input[nin..];
            out_pos += nout;
            nfields += nend;
            match res {
                csv_core::ReadRecordResult::InputEmpty => continue,
                csv_core::ReadRecordResult::OutputFull => {
                    let n = self.out.len() * 2;
                    self.out.resize(n, 0);
                }
                csv_core::ReadRecordResult::OutputEndsFull => {
                    let n = self.ends.len() * 2;
                    self.ends.resize(n, 0);
                }
                csv_core::ReadRecordResult::Record | csv_core::ReadRecordResult::End => break,
            }
        }
        let want = self.columns.by_position.len();
        if nfields != want {
            return Err(format!("has {nfields} fields, the header has {want}"));
        }
        let mut f: Fields<'_> = [None; N_FIELDS];
        let mut start = 0usize;
        for (i, end) in self.ends[..nfields].iter().enumerate() {
            let bytes = self.out.get(start..*end).unwrap_or_default();
            start = *end;
            let Some(field) = self.columns.by_position.get(i).copied().flatten() else {
                continue;
            };
            let s = std::str::from_utf8(bytes)
                .map_err(|_| format!("column {} is not valid UTF-8", i + 1))?
                .trim();
            if !s.is_empty() {
                f[field as usize] = Some(s);
            }
        }
        Ok(f)
    }

    /// A record without quotes: fields are the text between commas.
    fn plain_fields<'a>(&self, rec: &'a [u8]) -> Result<Fields<'a>, String> {
        let text = std::str::from_utf8(rec)
            .map_err(|e| format!("not valid UTF-8 (at byte {})", e.valid_up_to() + 1))?;
        let mut f: Fields<'a> = [None; N_FIELDS];
        let mut n = 0usize;
        for (i, v) in text.split(',').enumerate() {
            n = i + 1;
            if let Some(Some(field)) = self.columns.by_position.get(i) {
                let v = trim(v);
                if !v.is_empty() {
                    f[*field as usize] = Some(v);
                }
            }
        }
        let want = self.columns.by_position.len();
        if n != want {
            return Err(format!("has {n} fields, the header has {want}"));
        }
        Ok(f)
    }

    fn json_fields(&mut self, rec: &[u8]) -> Result<Fields<'_>, String> {
        let v: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(rec).map_err(|e| format!("not a JSON object: {e}"))?;
        self.json.clear();
        for (k, val) in v {
            let field = match self.json_keys.get(&k) {
                Some(f) => *f,
                None => {
                    let f = field_of(&k, self.map);
                    self.json_keys.insert(k.clone(), f);
                    f
                }
            };
            let Some(field) = field else { continue };
            let text = match val {
                serde_json::Value::Null => continue,
                serde_json::Value::String(s) => s.trim().to_string(),
                serde_json::Value::Bool(b) => b.to_string(),
                serde_json::Value::Number(n) => n.to_string(),
                other => other.to_string(),
            };
            if !text.is_empty() {
                self.json.push((field, text));
            }
        }
        let mut f: Fields<'_> = [None; N_FIELDS];
        for (field, text) in &self.json {
            f[*field as usize] = Some(text.as_str());
        }
        Ok(f)
    }
}

/// Trims whitespace, checking the ends first (most fields have none).
fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    if b.first()
        .is_some_and(|c| c.is_ascii_whitespace() || *c >= 0x80)
        || b.last()
            .is_some_and(|c| c.is_ascii_whitespace() || *c >= 0x80)
    {
        s.trim()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_and_json_records_give_the_same_fields() {
        let header: Vec<String> = ["order_id", "date", "chip", "quantity", "ship_to", "buyer"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let cols = Columns::from_header(&header, &[]).unwrap();
        let mut r = RecordReader::new(Format::Csv, &cols, &[]);
        let f = r
            .fields(br#"A-1,2025-04-20,H20,10,MY,"ByteDance ""Pte."", Ltd.""#)
            .unwrap();
        assert_eq!(f[Field::Buyer as usize], Some(r#"ByteDance "Pte.", Ltd."#));
        assert_eq!(f[Field::Quantity as usize], Some("10"));
        let f = r.fields(b"A-2,2025-04-20,H20,,MY,").unwrap();
        assert_eq!(f[Field::Quantity as usize], None);
        assert!(r.fields(b"A-3,2025-04-20").is_err());
        let mut j = RecordReader::new(Format::Jsonl, &cols, &[]);
        let f = j
            .fields(br#"{"Order_ID":"A-1","quantity":10,"buyer":"X","spec":{"name":"c"}}"#)
            .unwrap();
        assert_eq!(f[Field::Quantity as usize], Some("10"));
        assert_eq!(f[Field::SpecJson as usize], Some(r#"{"name":"c"}"#));
    }
}
