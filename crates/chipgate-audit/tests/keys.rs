//! API keys: create, authenticate, wrong key, revoke by id and by name, list,
//! and revocation seen by another store (another process) after reload.

mod common;

use std::time::Duration;

use chipgate_audit::{AuditError, KeyStore};
use common::temp_db;

#[test]
fn create_authenticate_revoke() {
    let (_d, path) = temp_db();
    let ks = KeyStore::open(&path).unwrap();
    let (info, key) = ks.create("acme-prod").unwrap();
    assert!(key.starts_with(&format!("cg_{}_", info.id)), "{key}");
    assert_eq!(key.len(), 3 + 12 + 1 + 64);
    assert_eq!(info.name, "acme-prod");
    assert!(info.revoked_at.is_none());

    assert_eq!(ks.authenticate(&key).unwrap().id, info.id);
    assert_eq!(
        ks.authenticate(&format!("Bearer {key}")).unwrap().id,
        info.id
    );

    // wrong secret, same id
    let mut wrong = key.clone();
    let last = wrong.pop().unwrap();
    wrong.push(if last == '0' { '1' } else { '0' });
    assert!(ks.authenticate(&wrong).is_none());
    assert!(ks.authenticate("").is_none());
    assert!(ks.authenticate("cg_nothing").is_none());
    assert!(ks.authenticate(&key[..key.len() - 1]).is_none());

    // the plaintext is not stored anywhere
    let c = rusqlite::Connection::open(&path).unwrap();
    let stored: String = c
        .query_row("SELECT key_hash FROM api_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored.len(), 64);
    assert!(!key.contains(&stored));

    // duplicate active name refused
    assert!(matches!(
        ks.create("acme-prod"),
        Err(AuditError::KeyNameTaken(_))
    ));
    assert!(matches!(
        ks.create("  "),
        Err(AuditError::InvalidKeyName(_))
    ));

    let (info2, key2) = ks.create("acme-test").unwrap();
    let revoked = ks.revoke("acme-prod").unwrap();
    assert_eq!(revoked.id, info.id);
    assert!(revoked.revoked_at.is_some());
    assert!(ks.authenticate(&key).is_none(), "revoked key rejected");
    assert!(ks.authenticate(&key2).is_some());
    assert!(matches!(
        ks.revoke("no-such"),
        Err(AuditError::KeyNotFound(_))
    ));

    // name reusable after revocation; revoke by id
    let (info3, key3) = ks.create("acme-prod").unwrap();
    assert_ne!(info3.id, info.id);
    assert!(ks.authenticate(&key3).is_some());
    ks.revoke(&info2.id).unwrap();
    assert!(ks.authenticate(&key2).is_none());

    let list = ks.list().unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list.iter().filter(|k| k.revoked_at.is_none()).count(), 1);
}

#[test]
fn revocation_by_another_store_is_seen_after_reload() {
    let (_d, path) = temp_db();
    let server = KeyStore::open(&path)
        .unwrap()
        .with_refresh_interval(Duration::MAX);
    let cli = KeyStore::open(&path).unwrap();
    let (_, key) = cli.create("partner").unwrap();
    assert!(server.authenticate(&key).is_none(), "not yet loaded");
    server.reload().unwrap();
    assert!(server.authenticate(&key).is_some());
    cli.revoke("partner").unwrap();
    assert!(server.authenticate(&key).is_some(), "cached until reload");
    server.reload().unwrap();
    assert!(server.authenticate(&key).is_none());
}

#[test]
fn periodic_refresh_picks_up_revocation() {
    let (_d, path) = temp_db();
    let server = KeyStore::open(&path)
        .unwrap()
        .with_refresh_interval(Duration::from_millis(50));
    let cli = KeyStore::open(&path).unwrap();
    let (_, key) = cli.create("partner").unwrap();
    std::thread::sleep(Duration::from_millis(60));
    assert!(server.authenticate(&key).is_some());
    cli.revoke("partner").unwrap();
    std::thread::sleep(Duration::from_millis(60));
    assert!(server.authenticate(&key).is_none());
}

#[test]
fn keys_and_audit_share_one_database() {
    let (_d, path) = temp_db();
    let ks = KeyStore::open(&path).unwrap();
    let (info, _) = ks.create("k").unwrap();
    let mut log = chipgate_audit::AuditLog::open(&path).unwrap();
    log.append(common::sample(1).with_key_id(info.id)).unwrap();
    assert!(chipgate_audit::verify(&path).unwrap().ok);
}
