//! Where the audit log lives: an SQLite file (the embedded default) or a PostgreSQL
//! database shared by several servers. Every public entry point takes the same `db`
//! argument; a value starting with `postgres://` or `postgresql://` selects PostgreSQL,
//! anything else is a file path, so the CLI's `--db` needs no second flag.

use std::path::Path;

use crate::error::Result;

/// The PostgreSQL connection URL `db` names, or `None` for an SQLite file path.
pub fn postgres_url(db: &Path) -> Option<&str> {
    let s = db.to_str()?;
    let head = s.as_bytes().get(..s.len().min(13)).unwrap_or_default();
    let lower = head.to_ascii_lowercase();
    (lower.starts_with(b"postgres://") || lower.starts_with(b"postgresql://")).then_some(s)
}

/// `db` for messages and logs: a file path as given, a URL with any password replaced by
/// `***`.
pub fn display_db(db: &Path) -> String {
    let Some(url) = postgres_url(db) else {
        return db.display().to_string();
    };
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (auth, host) = match rest.split_once('@') {
        Some((a, h)) => (Some(a), h),
        None => (None, rest),
    };
    match auth.and_then(|a| a.split_once(':')) {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

/// One open connection to either backend.
pub(crate) enum Conn {
    Sqlite(rusqlite::Connection),
    Pg(Box<crate::pg::PgConn>),
}

impl std::fmt::Debug for Conn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Conn::Sqlite(_) => f.write_str("Conn::Sqlite"),
            Conn::Pg(_) => f.write_str("Conn::Pg"),
        }
    }
}

impl Conn {
    /// Opens (creating the file or schema if needed) for writing.
    pub(crate) fn open_rw(db: &Path) -> Result<Conn> {
        match postgres_url(db) {
            Some(url) => Ok(Conn::Pg(Box::new(crate::pg::PgConn::open_rw(url)?))),
            None => Ok(Conn::Sqlite(crate::schema::open_rw(db)?)),
        }
    }

    /// Opens an existing log for reading (`verify`, `export`).
    pub(crate) fn open_existing(db: &Path) -> Result<Conn> {
        match postgres_url(db) {
            Some(url) => Ok(Conn::Pg(Box::new(crate::pg::PgConn::open_existing(url)?))),
            None => Ok(Conn::Sqlite(crate::schema::open_existing(db)?)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_select_postgres_and_hide_passwords() {
        assert_eq!(postgres_url(Path::new("chipgate.db")), None);
        assert_eq!(postgres_url(Path::new("./postgres")), None);
        let u = "postgresql://cg:secret@127.0.0.1:5432/audit";
        assert_eq!(postgres_url(Path::new(u)), Some(u));
        assert!(postgres_url(Path::new("POSTGRES://h/db")).is_some());
        assert_eq!(
            display_db(Path::new(u)),
            "postgresql://cg:***@127.0.0.1:5432/audit"
        );
        assert_eq!(
            display_db(Path::new("postgres://cg@h/db")),
            "postgres://cg@h/db"
        );
    }
}
