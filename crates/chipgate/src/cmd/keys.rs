//! `chipgate keys create|list|revoke`: API keys for `chipgate serve`. A key is printed once at
//! creation; only its SHA-256 is stored (in the same database as the audit log).

use crate::args::KeysCommand;
use anyhow::{Context, Result};
use chipgate_audit::KeyStore;
use std::path::Path;

fn open(db: &Path) -> Result<KeyStore> {
    KeyStore::open(db)
        .with_context(|| format!("opening the key store {}", chipgate_audit::display_db(db)))
}

pub fn run(c: &KeysCommand) -> Result<()> {
    match c {
        KeysCommand::Create {
            name,
            db,
            scopes,
            rate_per_minute,
        } => {
            let (info, key) = open(db)?.create_with(name, scopes, *rate_per_minute)?;
            eprintln!(
                "created key {} ({}, scopes {}{}); it is shown only now — store it safely:",
                info.id,
                info.name,
                info.scopes.join(","),
                info.rate_per_minute
                    .map(|r| format!(", {r} requests a minute"))
                    .unwrap_or_default()
            );
            println!("{key}");
            Ok(())
        }
        KeysCommand::List { db, json } => {
            let keys = open(db)?.list()?;
            if *json {
                return super::print_json(&keys);
            }
            println!(
                "{:<14} {:<24} {:<28} {:<26} {:<8} status",
                "id", "name", "created", "scopes", "rate/min"
            );
            for k in keys {
                let status = match k.revoked_at {
                    Some(t) => format!("revoked {}", t.format("%Y-%m-%d %H:%M:%S UTC")),
                    None => "active".into(),
                };
                println!(
                    "{:<14} {:<24} {:<28} {:<26} {:<8} {}",
                    k.id,
                    k.name,
                    k.created_at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
                    k.scopes.join(","),
                    k.rate_per_minute
                        .map(|r| r.to_string())
                        .unwrap_or_else(|| "-".into()),
                    status
                );
            }
            Ok(())
        }
        KeysCommand::Revoke { id, db } => {
            let k = open(db)?.revoke(id)?;
            println!("revoked key {} ({})", k.id, k.name);
            Ok(())
        }
    }
}
