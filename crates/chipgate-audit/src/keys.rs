//! API keys, stored in the audit database so that every audit record's
//! `key_id` refers to a key kept for the same five years.
//!
//! Key format: `cg_<id>_<secret>`, `id` = 12 lowercase hex digits (public,
//! shown in listings and audit records), `secret` = 64 hex digits (256 bits)
//! from the operating system CSPRNG. Only SHA-256 of the whole key string is
//! stored; a slow password hash is unnecessary for 256-bit random secrets.
//!
//! Speed: `authenticate` never touches SQLite on the hot path. Active keys
//! live in an in-memory map (id -> hash) that is reloaded after every
//! `create`/`revoke` through this store, on explicit [`KeyStore::reload`], and
//! at most once per refresh interval (default 1 s) when a request arrives, so
//! a revocation made by another process (the CLI) takes effect within that
//! interval.
//!
//! With PostgreSQL the table is shared by every replica; the periodic reload then runs on a
//! short-lived scoped thread, because the synchronous client must not run inside the
//! server's async workers.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use crate::chain::{from_hex, sha256, to_hex};
use crate::db::Conn;
use crate::error::{AuditError, Result};
use crate::record::format_time;

const PREFIX: &str = "cg_";
const ID_BYTES: usize = 6;
const SECRET_BYTES: usize = 32;
const DEFAULT_REFRESH: Duration = Duration::from_secs(1);

/// Public information about a key (never the secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyInfo {
    /// Public key id (12 hex digits), recorded as `key_id` in the audit log.
    pub id: String,
    /// Human name, unique among active keys.
    pub name: String,
    /// Creation time (UTC).
    pub created_at: DateTime<Utc>,
    /// Revocation time, `None` while active.
    pub revoked_at: Option<DateTime<Utc>>,
    /// What the key may do: `check` (classify, check, timeline, chips, rules), `screen`
    /// (screen, match), `orders` (order books and jobs), `admin` (reload). A key made before
    /// scopes existed has all four.
    pub scopes: Vec<String>,
    /// Requests per minute the key may make on one server; `None` = no limit.
    pub rate_per_minute: Option<u32>,
}

/// Every scope a key can hold.
pub const SCOPES: &[&str] = &["check", "screen", "orders", "admin"];

/// The scopes a new key gets when none are named (admin must be asked for).
pub const DEFAULT_SCOPES: &[&str] = &["check", "screen", "orders"];

impl KeyInfo {
    /// Whether the key holds `scope`.
    pub fn allows(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }
}

/// One `api_keys` row as stored (times as text).
pub(crate) struct KeyRow {
    pub id: String,
    pub name: String,
    pub hash: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
    /// Comma-separated scopes; `None` for keys made before scopes existed (all scopes).
    pub scopes: Option<String>,
    pub rate_per_minute: Option<i32>,
}

struct Cache {
    loaded_at: Instant,
    active: HashMap<String, ([u8; 32], KeyInfo)>,
}

/// API key store (`Send + Sync`; share it via `Arc`).
pub struct KeyStore {
    conn: Mutex<Conn>,
    cache: RwLock<Cache>,
    refresh: Duration,
}

impl std::fmt::Debug for KeyStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyStore")
            .field("refresh", &self.refresh)
            .finish()
    }
}

fn parse_time(seq_hint: &str, s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| AuditError::Corrupt {
            seq: 0,
            reason: format!("api key {seq_hint}: bad timestamp {s:?}: {e}"),
        })
}

fn random_hex(n: usize) -> Result<String> {
    let mut buf = vec![0u8; n];
    getrandom::fill(&mut buf).map_err(|e| AuditError::Random(e.to_string()))?;
    Ok(to_hex(&buf))
}

/// Constant-time equality of two 32-byte digests.
fn ct_eq(a: &[u8; 32], b: &[u8; 32]) -> bool {
    let mut diff = 0u8;
    for (x, y) in a.iter().zip(b.iter()) {
        diff |= x ^ y;
    }
    std::hint::black_box(diff) == 0
}

/// Split `cg_<id>_<secret>` into its id, checking the shape.
fn key_id_of(token: &str) -> Option<&str> {
    let rest = token.strip_prefix(PREFIX)?;
    let (id, secret) = rest.split_once('_')?;
    let hexlike = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit());
    (hexlike(id, ID_BYTES * 2) && hexlike(secret, SECRET_BYTES * 2)).then_some(id)
}

impl KeyStore {
    /// Open (creating if needed) the key table in the audit database at `path` (a file, or
    /// a `postgres://` URL).
    pub fn open(path: impl AsRef<Path>) -> Result<KeyStore> {
        let conn = Conn::open_rw(path.as_ref())?;
        let store = KeyStore {
            conn: Mutex::new(conn),
            cache: RwLock::new(Cache {
                loaded_at: Instant::now(),
                active: HashMap::new(),
            }),
            refresh: DEFAULT_REFRESH,
        };
        store.reload()?;
        Ok(store)
    }

    /// Change how often `authenticate` re-reads the table (default 1 s).
    /// `Duration::MAX` means "only on explicit `reload`".
    #[must_use]
    pub fn with_refresh_interval(mut self, every: Duration) -> Self {
        self.refresh = every;
        self
    }

    fn lock_conn(&self) -> std::sync::MutexGuard<'_, Conn> {
        self.conn
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Create a key with the default scopes and no rate limit. Returns its info and the
    /// plaintext key, which is shown once and never stored.
    pub fn create(&self, name: &str) -> Result<(KeyInfo, String)> {
        let scopes: Vec<String> = DEFAULT_SCOPES.iter().map(|s| s.to_string()).collect();
        self.create_with(name, &scopes, None)
    }

    /// Create a key holding `scopes` (each one of [`SCOPES`]) and, if given, limited to
    /// `rate_per_minute` requests a minute per server.
    pub fn create_with(
        &self,
        name: &str,
        scopes: &[String],
        rate_per_minute: Option<u32>,
    ) -> Result<(KeyInfo, String)> {
        if let Some(bad) = scopes.iter().find(|s| !SCOPES.contains(&s.as_str())) {
            return Err(AuditError::InvalidScope(format!(
                "unknown scope `{bad}` (expected some of {})",
                SCOPES.join(", ")
            )));
        }
        if scopes.is_empty() {
            return Err(AuditError::InvalidScope(format!(
                "a key needs at least one scope ({})",
                SCOPES.join(", ")
            )));
        }
        if rate_per_minute == Some(0) || rate_per_minute.is_some_and(|r| r > 1_000_000) {
            return Err(AuditError::InvalidScope(
                "the rate limit must be between 1 and 1,000,000 requests a minute".into(),
            ));
        }
        let mut scopes: Vec<String> = scopes.to_vec();
        scopes.sort_by_key(|s| SCOPES.iter().position(|k| k == s));
        scopes.dedup();
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 64 || name.chars().any(char::is_control) {
            return Err(AuditError::InvalidKeyName(name.to_string()));
        }
        let id = random_hex(ID_BYTES)?;
        let plaintext = format!("{PREFIX}{id}_{}", random_hex(SECRET_BYTES)?);
        let now = Utc::now();
        let info = KeyInfo {
            id: id.clone(),
            name: name.to_string(),
            created_at: now,
            revoked_at: None,
            scopes: scopes.clone(),
            rate_per_minute,
        };
        let row = KeyRow {
            id,
            name: name.to_string(),
            hash: to_hex(&sha256(plaintext.as_bytes())),
            created_at: format_time(now),
            revoked_at: None,
            scopes: Some(scopes.join(",")),
            rate_per_minute: rate_per_minute.and_then(|r| i32::try_from(r).ok()),
        };
        let inserted = match &mut *self.lock_conn() {
            Conn::Sqlite(conn) => sqlite_insert(conn, &row)?,
            Conn::Pg(conn) => !conn.key_name_taken(name)? && conn.insert_key(&row)?,
        };
        if !inserted {
            return Err(AuditError::KeyNameTaken(name.to_string()));
        }
        self.reload()?;
        Ok((info, plaintext))
    }

    /// All keys, active and revoked, oldest first.
    pub fn list(&self) -> Result<Vec<KeyInfo>> {
        Ok(self.load_all()?.into_iter().map(|(_, info)| info).collect())
    }

    fn load_all(&self) -> Result<Vec<(Option<[u8; 32]>, KeyInfo)>> {
        let rows = match &mut *self.lock_conn() {
            Conn::Sqlite(conn) => sqlite_load(conn)?,
            Conn::Pg(conn) => conn.load_keys()?,
        };
        let mut out = Vec::new();
        for row in rows {
            let KeyRow {
                id,
                name,
                hash,
                created_at: created,
                revoked_at: revoked,
                scopes,
                rate_per_minute,
            } = row;
            let scopes: Vec<String> = match scopes {
                Some(s) => s
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
                None => SCOPES.iter().map(|s| s.to_string()).collect(),
            };
            let rate_per_minute = rate_per_minute.and_then(|r| u32::try_from(r).ok());
            let hash = from_hex(&hash).and_then(|v| <[u8; 32]>::try_from(v).ok());
            let created_at = parse_time(&id, &created)?;
            let revoked_at = revoked.map(|r| parse_time(&id, &r)).transpose()?;
            out.push((
                hash,
                KeyInfo {
                    id,
                    name,
                    created_at,
                    revoked_at,
                    scopes,
                    rate_per_minute,
                },
            ));
        }
        Ok(out)
    }

    /// Revoke the key with this id, or else the active key with this name.
    /// Revoking an already revoked key (by id) returns it unchanged.
    pub fn revoke(&self, id_or_name: &str) -> Result<KeyInfo> {
        let target = id_or_name.trim();
        let now = format_time(Utc::now());
        let id = match &mut *self.lock_conn() {
            Conn::Sqlite(conn) => sqlite_revoke(conn, target, &now)?,
            Conn::Pg(conn) => conn.revoke_key(target, &now)?,
        };
        let id = id.ok_or_else(|| AuditError::KeyNotFound(target.to_string()))?;
        self.reload()?;
        self.load_all()?
            .into_iter()
            .map(|(_, info)| info)
            .find(|k| k.id == id)
            .ok_or_else(|| AuditError::KeyNotFound(target.to_string()))
    }

    /// Re-read the key table into the in-memory cache.
    pub fn reload(&self) -> Result<()> {
        let on_pg = matches!(&*self.lock_conn(), Conn::Pg(_));
        if on_pg {
            // Off any async runtime this thread may belong to (see the module doc).
            return std::thread::scope(|s| {
                s.spawn(|| self.reload_here()).join().unwrap_or_else(|_| {
                    Err(AuditError::Internal("the key reload thread died".into()))
                })
            });
        }
        self.reload_here()
    }

    fn reload_here(&self) -> Result<()> {
        let active: HashMap<String, ([u8; 32], KeyInfo)> = self
            .load_all()?
            .into_iter()
            .filter(|(_, info)| info.revoked_at.is_none())
            .filter_map(|(hash, info)| hash.map(|h| (info.id.clone(), (h, info))))
            .collect();
        let mut cache = self
            .cache
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        cache.active = active;
        cache.loaded_at = Instant::now();
        Ok(())
    }

    /// Check a bearer token (`cg_...`, an optional `Bearer ` prefix is
    /// accepted). Returns the key's info if it is an active key; `None` for
    /// malformed, unknown, wrong or revoked keys. The digest comparison is
    /// constant-time. If a periodic reload fails, the previous cache is used.
    pub fn authenticate(&self, bearer_token: &str) -> Option<KeyInfo> {
        let token = bearer_token.trim();
        let token = match token.get(..7) {
            Some(p) if p.eq_ignore_ascii_case("bearer ") => token.get(7..)?.trim(),
            _ => token,
        };
        let id = key_id_of(token)?;
        let stale = {
            let cache = self
                .cache
                .read()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            cache.loaded_at.elapsed() >= self.refresh
        };
        if stale {
            let _ = self.reload();
        }
        let digest = sha256(token.as_bytes());
        let cache = self
            .cache
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (stored, info) = cache.active.get(id)?;
        ct_eq(stored, &digest).then(|| info.clone())
    }
}

fn sqlite_insert(conn: &rusqlite::Connection, row: &KeyRow) -> Result<bool> {
    let taken: bool = conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM api_keys WHERE name = ?1 AND revoked_at IS NULL)",
        [&row.name],
        |r| r.get(0),
    )?;
    if taken {
        return Ok(false);
    }
    let inserted = conn.execute(
        "INSERT INTO api_keys (id, name, key_hash, created_at, revoked_at, scopes, \
         rate_per_minute) VALUES (?1, ?2, ?3, ?4, NULL, ?5, ?6)",
        params![
            row.id,
            row.name,
            row.hash,
            row.created_at,
            row.scopes,
            row.rate_per_minute
        ],
    );
    match inserted {
        Ok(_) => Ok(true),
        // Another process created the same active name in between.
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            Ok(false)
        }
        Err(e) => Err(e.into()),
    }
}

fn sqlite_load(conn: &rusqlite::Connection) -> Result<Vec<KeyRow>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, key_hash, created_at, revoked_at, scopes, rate_per_minute \
         FROM api_keys ORDER BY created_at, id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(KeyRow {
            id: r.get(0)?,
            name: r.get(1)?,
            hash: r.get(2)?,
            created_at: r.get(3)?,
            revoked_at: r.get(4)?,
            scopes: r.get(5)?,
            rate_per_minute: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

fn sqlite_revoke(conn: &rusqlite::Connection, target: &str, now: &str) -> Result<Option<String>> {
    let id: Option<String> = conn
        .query_row("SELECT id FROM api_keys WHERE id = ?1", [target], |r| {
            r.get(0)
        })
        .optional()?;
    let id = match id {
        Some(id) => Some(id),
        None => conn
            .query_row(
                "SELECT id FROM api_keys WHERE name = ?1 AND revoked_at IS NULL",
                [target],
                |r| r.get(0),
            )
            .optional()?,
    };
    if let Some(id) = &id {
        conn.execute(
            "UPDATE api_keys SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
            params![id, now],
        )?;
    }
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_shape() {
        let good = format!("cg_{}_{}", "a".repeat(12), "b".repeat(64));
        assert_eq!(key_id_of(&good), Some("aaaaaaaaaaaa"));
        assert_eq!(key_id_of("cg_aaaaaaaaaaaa_short"), None);
        assert_eq!(key_id_of(&good.replace("cg_", "xx_")), None);
        assert!(ct_eq(&[1; 32], &[1; 32]));
        assert!(!ct_eq(&[1; 32], &[2; 32]));
    }
}
