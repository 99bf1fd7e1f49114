//! Plain data types of the audit log: what a caller submits (`NewRecord`),
//! what it gets back once durable (`Receipt`) and what is stored
//! (`StoredRecord`).

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use crate::error::Result;

/// One decision to be recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct NewRecord {
    /// Decision time; `None` (the normal case) means "when the writer stores it".
    pub time: Option<DateTime<Utc>>,
    /// API key id that asked, `None` for the CLI.
    pub key_id: Option<String>,
    /// Endpoint / kind of decision, e.g. `"check"`.
    pub kind: String,
    /// The request, as JSON.
    pub request: serde_json::Value,
    /// The response returned to the caller, as JSON.
    pub response: serde_json::Value,
    /// Fingerprint of the rulebook used.
    pub rulebook_fingerprint: String,
    /// Fingerprint of the screening-list snapshot used.
    pub lists_fingerprint: String,
    /// The caller's own reference for the decision (an ERP order id), stored in its own
    /// column so records can be found by it, and covered by the chain hash.
    pub client_ref: Option<String>,
    /// Append only if this key was not used before (see [`Idempotency`]).
    pub idempotency: Option<Idempotency>,
}

/// An idempotency key sent with a request, and the exact answer to send for it.
///
/// The first record appended with a given `(key_id, key)` is stored with `answer`; a later
/// record with the same pair is not appended: the append returns the first one's receipt and
/// answer instead (see [`Appended`]). Checked in the same transaction as the append, so two
/// concurrent first requests (even on different servers sharing a PostgreSQL database) make
/// one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Idempotency {
    /// The client's key (the `Idempotency-Key` header).
    pub key: String,
    /// The answer bytes sent to the client for the first request.
    pub answer: Vec<u8>,
}

/// What an append did: appended a new record, or found the record an earlier request with
/// the same idempotency key made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appended {
    /// The record's receipt (the earlier record's, for a replay).
    pub receipt: Receipt,
    /// `Some(answer)` when nothing was appended because the idempotency key was used before:
    /// the answer stored with the first request.
    pub replayed: Option<Vec<u8>>,
}

impl NewRecord {
    /// A record stamped at write time with no key id.
    pub fn new(
        kind: impl Into<String>,
        request: serde_json::Value,
        response: serde_json::Value,
        rulebook_fingerprint: impl Into<String>,
        lists_fingerprint: impl Into<String>,
    ) -> Self {
        NewRecord {
            time: None,
            key_id: None,
            kind: kind.into(),
            request,
            response,
            rulebook_fingerprint: rulebook_fingerprint.into(),
            lists_fingerprint: lists_fingerprint.into(),
            client_ref: None,
            idempotency: None,
        }
    }

    /// Set the caller's reference (an order id).
    #[must_use]
    pub fn with_client_ref(mut self, client_ref: impl Into<String>) -> Self {
        self.client_ref = Some(client_ref.into());
        self
    }

    /// Append only once per `(key id, key)`; `answer` is what a retry gets back.
    #[must_use]
    pub fn with_idempotency(mut self, key: impl Into<String>, answer: Vec<u8>) -> Self {
        self.idempotency = Some(Idempotency {
            key: key.into(),
            answer,
        });
        self
    }

    /// Set the API key id.
    #[must_use]
    pub fn with_key_id(mut self, key_id: impl Into<String>) -> Self {
        self.key_id = Some(key_id.into());
        self
    }

    /// Set an explicit decision time (otherwise the write time is used).
    #[must_use]
    pub fn at(mut self, time: DateTime<Utc>) -> Self {
        self.time = Some(time);
        self
    }

    /// Serialise the JSON parts now (on the caller's thread, not the writer's).
    pub(crate) fn prepare(self) -> Result<Prepared> {
        let request = serde_json::to_string(&self.request)?;
        let response = serde_json::to_string(&self.response)?;
        let packed = crate::pack::pack(&request, &response)?;
        let idem = self.idempotency.map(|i| PreparedIdem {
            request_hash: crate::chain::request_hash(&self.kind, &request),
            key: i.key,
            answer: i.answer,
        });
        Ok(Prepared {
            time: self.time.map(format_time),
            key_id: self.key_id,
            kind: self.kind,
            request,
            response,
            packed,
            rulebook_fingerprint: self.rulebook_fingerprint,
            lists_fingerprint: self.lists_fingerprint,
            client_ref: self.client_ref,
            idem,
        })
    }
}

/// An idempotency key with what is stored beside it.
#[derive(Debug, Clone)]
pub(crate) struct PreparedIdem {
    pub key: String,
    /// SHA-256 of the kind and request text: a key reused for another request is refused.
    pub request_hash: String,
    pub answer: Vec<u8>,
}

/// A record with its JSON already rendered to the exact text that is stored and hashed.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub time: Option<String>,
    pub key_id: Option<String>,
    pub kind: String,
    pub request: String,
    pub response: String,
    /// Request and response as stored (see `pack`); the texts above are what is hashed.
    pub packed: Vec<u8>,
    pub rulebook_fingerprint: String,
    pub lists_fingerprint: String,
    pub client_ref: Option<String>,
    pub idem: Option<PreparedIdem>,
}

/// Proof that a record is durable: its sequence number and chain hash.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Receipt {
    /// 1-based, gap-free sequence number.
    pub seq: i64,
    /// Lowercase hex SHA-256 chain hash of the record.
    pub hash: String,
}

/// A record as stored (JSON kept as the exact stored text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredRecord {
    /// Sequence number.
    pub seq: i64,
    /// UTC RFC 3339 time with microseconds, e.g. `2026-11-28T18:15:10.123456Z`.
    pub time: String,
    /// API key id, `None` for the CLI.
    pub key_id: Option<String>,
    /// Endpoint / kind.
    pub kind: String,
    /// Request JSON text.
    pub request: String,
    /// Response JSON text.
    pub response: String,
    /// Rulebook fingerprint.
    pub rulebook_fingerprint: String,
    /// List-snapshot fingerprint.
    pub lists_fingerprint: String,
    /// The caller's reference (order id), if one was given.
    pub client_ref: Option<String>,
    /// Hash of the previous record (`GENESIS_HASH` for seq 1).
    pub prev_hash: String,
    /// This record's chain hash.
    pub hash: String,
}

/// The one timestamp format stored: RFC 3339, UTC, microseconds, `Z` suffix.
/// Fixed width, so text order equals time order.
pub(crate) fn format_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}
