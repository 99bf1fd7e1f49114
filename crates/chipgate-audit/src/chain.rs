//! The hash chain: one canonical, length-prefixed byte encoding of a record
//! and its SHA-256, shared by the writer and by `verify`, so that both always
//! agree on exactly what is protected.
//!
//! Encoding (all integers big-endian):
//! `tag("chipgate-audit/v1") || seq:i64 || str(prev_hash) || str(time) ||
//!  opt(key_id) || str(kind) || str(request) || str(response) ||
//!  str(rulebook_fingerprint) || str(lists_fingerprint) [|| 0x01 || str(client_ref)]`
//! where `str(s) = len(s):u64 || bytes(s)` and `opt(None) = 0x00`,
//! `opt(Some(s)) = 0x01 || str(s)`. Length prefixes make the encoding
//! injective, so no field boundary can be shifted without changing the hash. The trailing
//! client reference (schema version 3) is present only when the record has one, so every
//! record written before it existed keeps its hash.

use sha2::{Digest, Sha256};

/// `prev_hash` of the first record (seq 1): 64 zero hex digits.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

const DOMAIN: &str = "chipgate-audit/v1";

/// The fields of one record that the chain hash covers, as stored (text).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ChainFields<'a> {
    pub seq: i64,
    pub prev_hash: &'a str,
    pub time: &'a str,
    pub key_id: Option<&'a str>,
    pub kind: &'a str,
    pub request: &'a str,
    pub response: &'a str,
    pub rulebook_fingerprint: &'a str,
    pub lists_fingerprint: &'a str,
    pub client_ref: Option<&'a str>,
}

fn put_str(h: &mut Sha256, s: &str) {
    h.update((s.len() as u64).to_be_bytes());
    h.update(s.as_bytes());
}

/// Lowercase hex SHA-256 of the canonical encoding of `f`.
pub(crate) fn record_hash(f: &ChainFields<'_>) -> String {
    let mut h = Sha256::new();
    put_str(&mut h, DOMAIN);
    h.update(f.seq.to_be_bytes());
    put_str(&mut h, f.prev_hash);
    put_str(&mut h, f.time);
    match f.key_id {
        None => h.update([0u8]),
        Some(k) => {
            h.update([1u8]);
            put_str(&mut h, k);
        }
    }
    put_str(&mut h, f.kind);
    put_str(&mut h, f.request);
    put_str(&mut h, f.response);
    put_str(&mut h, f.rulebook_fingerprint);
    put_str(&mut h, f.lists_fingerprint);
    if let Some(c) = f.client_ref {
        h.update([1u8]);
        put_str(&mut h, c);
    }
    to_hex(&h.finalize())
}

/// Lowercase hex SHA-256 of a record's kind and request text: what an idempotency key is
/// bound to.
pub(crate) fn request_hash(kind: &str, request: &str) -> String {
    let mut h = Sha256::new();
    put_str(&mut h, "chipgate-idempotency/v1");
    put_str(&mut h, kind);
    put_str(&mut h, request);
    to_hex(&h.finalize())
}

/// SHA-256 of arbitrary bytes (used for API key hashes).
pub(crate) fn sha256(bytes: &[u8]) -> [u8; 32] {
    let d = Sha256::digest(bytes);
    let mut out = [0u8; 32];
    out.copy_from_slice(&d);
    out
}

/// Lowercase hex encoding.
pub(crate) fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    s
}

/// Decode lowercase/uppercase hex; `None` on odd length or a non-hex digit.
pub(crate) fn from_hex(s: &str) -> Option<Vec<u8>> {
    fn nib(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    }
    let b = s.as_bytes();
    if !b.len().is_multiple_of(2) {
        return None;
    }
    b.chunks(2)
        .map(|p| match p {
            [hi, lo] => Some((nib(*hi)? << 4) | nib(*lo)?),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> ChainFields<'static> {
        ChainFields {
            seq: 1,
            prev_hash: GENESIS_HASH,
            time: "2026-01-01T00:00:00.000000Z",
            key_id: None,
            kind: "check",
            request: "{}",
            response: "{}",
            rulebook_fingerprint: "r",
            lists_fingerprint: "l",
            client_ref: None,
        }
    }

    #[test]
    fn hash_is_stable_and_field_sensitive() {
        let a = record_hash(&base());
        assert_eq!(a.len(), 64);
        assert_eq!(a, record_hash(&base()));
        let mut b = base();
        b.key_id = Some("");
        assert_ne!(a, record_hash(&b), "None and empty key id must differ");
        let mut c = base();
        c.kind = "checkx";
        c.request = "}";
        let mut d = base();
        d.kind = "check";
        d.request = "x}";
        assert_ne!(record_hash(&c), record_hash(&d));
        let mut e = base();
        e.seq = 2;
        assert_ne!(a, record_hash(&e));
        let mut f = base();
        f.client_ref = Some("");
        assert_ne!(a, record_hash(&f), "a client reference is covered");
    }

    #[test]
    fn hex_round_trip() {
        let v = vec![0u8, 1, 0xab, 0xff];
        assert_eq!(to_hex(&v), "0001abff");
        assert_eq!(from_hex("0001ABff"), Some(v));
        assert_eq!(from_hex("0"), None);
        assert_eq!(from_hex("zz"), None);
    }
}
