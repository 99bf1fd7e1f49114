//! Compact storage of a record's request and response (schema version 2).
//!
//! An order-book request makes one record per row, and each answer is a few KB of JSON
//! that repeats the same keys, rule citations and list names. New records store both JSON
//! texts in one `packed` BLOB: a dictionary id byte, then a zlib stream (with that preset
//! dictionary) of `request length (u32, little-endian) || request || response`. The `request`
//! and `response` text columns are left empty.
//!
//! Nothing of the record changes: the chain hash is still computed over the exact JSON
//! texts (see `chain`), `verify` and `export` unpack and check them, and the export is
//! byte-for-byte what it was — the full request and answer, as 15 CFR 762 requires them
//! kept. Dictionaries are append-only and never change once released (a changed dictionary
//! would make old records unreadable): each has an id, is compiled in, and is also stored in
//! the database's `audit_dict` table so other tools can read the records without chipgate.

use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress, Status};

use crate::error::{AuditError, Result};

/// Dictionary 1: typical `check` and order-row requests and answers (any text works as a
/// dictionary; a closer one compresses better).
pub(crate) const DICT1: &[u8] = include_bytes!("dict1.txt");

/// The dictionary used for new records.
pub(crate) const CURRENT: u8 = 1;

/// The dictionary with this id.
pub(crate) fn dictionary(id: u8) -> Option<&'static [u8]> {
    match id {
        1 => Some(DICT1),
        _ => None,
    }
}

fn corrupt(reason: impl Into<String>) -> AuditError {
    AuditError::Corrupt {
        seq: 0,
        reason: reason.into(),
    }
}

/// Packs a request and a response.
pub(crate) fn pack(request: &str, response: &str) -> Result<Vec<u8>> {
    let len = u32::try_from(request.len()).map_err(|_| corrupt("request larger than 4 GiB"))?;
    let mut input = Vec::with_capacity(4 + request.len() + response.len());
    input.extend_from_slice(&len.to_le_bytes());
    input.extend_from_slice(request.as_bytes());
    input.extend_from_slice(response.as_bytes());
    // One compressor per thread, reset for each record: setting one up costs more than
    // compressing a record.
    thread_local! {
        static COMPRESSOR: std::cell::RefCell<Option<Compress>> = const { std::cell::RefCell::new(None) };
    }
    COMPRESSOR.with(|cell| {
        let mut slot = cell.borrow_mut();
        let c = match slot.as_mut() {
            Some(c) => {
                c.reset();
                c
            }
            None => slot.insert(Compress::new(Compression::new(LEVEL), true)),
        };
        compress(c, &input)
    })
}

/// Compression level: 6 (zlib's default) gives most of the gain at a modest cost.
const LEVEL: u32 = 6;

fn compress(c: &mut Compress, input: &[u8]) -> Result<Vec<u8>> {
    c.set_dictionary(DICT1)
        .map_err(|e| corrupt(format!("compressor: {e}")))?;
    let mut out = Vec::with_capacity(input.len() / 3 + 64);
    out.push(CURRENT);
    loop {
        if out.capacity() - out.len() < 64 {
            out.reserve(out.capacity().max(1024));
        }
        let consumed = usize::try_from(c.total_in()).unwrap_or(usize::MAX);
        let rest = input.get(consumed..).unwrap_or_default();
        match c
            .compress_vec(rest, &mut out, FlushCompress::Finish)
            .map_err(|e| corrupt(format!("compressor: {e}")))?
        {
            Status::StreamEnd => return Ok(out),
            Status::Ok | Status::BufError => continue,
        }
    }
}

/// Unpacks a `packed` value into (request, response).
pub(crate) fn unpack(packed: &[u8]) -> Result<(String, String)> {
    let (&id, stream) = packed
        .split_first()
        .ok_or_else(|| corrupt("empty packed record"))?;
    let dict = dictionary(id).ok_or_else(|| corrupt(format!("unknown dictionary {id}")))?;
    let mut d = Decompress::new(true);
    let mut out: Vec<u8> = Vec::with_capacity(stream.len() * 4 + 64);
    let mut dict_set = false;
    loop {
        if out.capacity() - out.len() < 256 {
            out.reserve(out.capacity().max(4096));
        }
        let consumed = usize::try_from(d.total_in()).unwrap_or(usize::MAX);
        let rest = stream.get(consumed..).unwrap_or_default();
        match d.decompress_vec(rest, &mut out, FlushDecompress::Finish) {
            Ok(Status::StreamEnd) => break,
            Ok(Status::Ok) => continue,
            Ok(Status::BufError) if out.capacity() - out.len() < 256 => continue,
            Ok(Status::BufError) => return Err(corrupt("packed record is truncated")),
            Err(e) if e.needs_dictionary().is_some() && !dict_set => {
                d.set_dictionary(dict)
                    .map_err(|e| corrupt(format!("dictionary: {e}")))?;
                dict_set = true;
            }
            Err(e) => return Err(corrupt(format!("packed record: {e}"))),
        }
    }
    let len_bytes: [u8; 4] = out
        .get(..4)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| corrupt("packed record too short"))?;
    let len = u32::from_le_bytes(len_bytes) as usize;
    let body = &out[4..];
    if len > body.len() {
        return Err(corrupt("packed record: request length out of range"));
    }
    let (req, resp) = body.split_at(len);
    let text =
        |b: &[u8]| String::from_utf8(b.to_vec()).map_err(|_| corrupt("packed record is not utf-8"));
    Ok((text(req)?, text(resp)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_damage() {
        let req = r#"{"chip":"H20","to":"CN"}"#;
        let resp = r#"{"decision":"LICENSE_REQUIRED","é":"ü"}"#.repeat(50);
        let p = pack(req, &resp).unwrap();
        assert!(p.len() < (req.len() + resp.len()) / 4, "{}", p.len());
        assert_eq!(unpack(&p).unwrap(), (req.to_string(), resp.clone()));
        assert_eq!(
            unpack(&pack("", "").unwrap()).unwrap(),
            (String::new(), String::new())
        );
        assert!(unpack(&p[..p.len() - 3]).is_err());
        assert!(unpack(&[]).is_err());
        let mut other = p.clone();
        other[0] = 9;
        assert!(unpack(&other).is_err());
    }
}

#[cfg(test)]
mod timing {
    /// `cargo test --release -p chipgate-audit --lib pack_timing -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn pack_timing() {
        let held = std::env::var("PACK_SAMPLES")
            .ok()
            .and_then(|p| std::fs::read_to_string(p).ok());
        let text = held
            .as_deref()
            .unwrap_or(std::str::from_utf8(super::DICT1).unwrap());
        let lines: Vec<&str> = text.lines().collect();
        let n = 5_000;
        let t = std::time::Instant::now();
        let mut size = 0usize;
        for i in 0..n {
            let req = lines[(2 * i) % (lines.len() - 1)];
            let resp = lines[(2 * i + 1) % lines.len()];
            size += super::pack(req, resp).unwrap().len();
        }
        let el = t.elapsed();
        eprintln!(
            "pack: {:.1} us/record, {} bytes/record",
            el.as_secs_f64() * 1e6 / n as f64,
            size / n
        );
        let p = super::pack(lines[0], lines[1]).unwrap();
        let t = std::time::Instant::now();
        for _ in 0..n {
            super::unpack(&p).unwrap();
        }
        eprintln!(
            "unpack: {:.1} us/record",
            t.elapsed().as_secs_f64() * 1e6 / n as f64
        );
    }
}
