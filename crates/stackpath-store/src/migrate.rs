//! Embedded, ordered schema migrations.
//!
//! Each migration is an SQL file under `migrations/`, compiled into the
//! program. The database's `PRAGMA user_version` is the number of
//! migrations applied. Each migration runs in its own `IMMEDIATE`
//! transaction together with the bump of `user_version`, so a crash or a
//! failing statement leaves the database at the previous version, never
//! half-upgraded. A database whose version is higher than the number of
//! migrations this program knows was written by a newer Stackpath and is
//! refused rather than guessed at.
//!
//! Never edit a migration that has shipped; add the next numbered file.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use crate::StoreError;

/// One schema step: `version` is what `user_version` becomes after it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Migration {
    pub version: i64,
    pub sql: &'static str,
}

/// Every migration, in order, numbered from 1 without gaps.
pub(crate) const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    sql: include_str!("../migrations/0001_init.sql"),
}];

/// The schema version this program writes: the number of migrations it has.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Reads the database's schema version.
pub(crate) fn schema_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
}

/// Brings the database at `path` up to the newest of `migrations`.
pub(crate) fn migrate(
    conn: &mut Connection,
    path: &Path,
    migrations: &[Migration],
) -> Result<(), StoreError> {
    let supported = migrations.last().map_or(0, |m| m.version);
    let sql_error = |e| StoreError::from_sqlite(path, e);
    let too_new = |found| StoreError::SchemaTooNew {
        path: path.to_path_buf(),
        found,
        supported,
    };

    let current = schema_version(conn).map_err(sql_error)?;
    if current > supported {
        return Err(too_new(current));
    }
    for migration in migrations.iter().filter(|m| m.version > current) {
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sql_error)?;
        // Another process may have migrated while we waited for the lock.
        let now = schema_version(&tx).map_err(sql_error)?;
        if now > supported {
            return Err(too_new(now));
        }
        if now >= migration.version {
            continue;
        }
        let failed = |source| StoreError::Migration {
            path: path.to_path_buf(),
            from: now,
            to: migration.version,
            source,
        };
        tx.execute_batch(migration.sql).map_err(failed)?;
        tx.pragma_update(None, "user_version", migration.version)
            .map_err(failed)?;
        tx.commit().map_err(failed)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_from_one_without_gaps() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version, i as i64 + 1);
        }
    }

    #[test]
    fn a_failing_migration_leaves_the_previous_version_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.db");
        let mut conn = Connection::open(&path).unwrap();
        let steps = [
            Migration {
                version: 1,
                sql: "CREATE TABLE a (x INTEGER);",
            },
            Migration {
                version: 2,
                sql: "CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1);",
            },
        ];
        let err = migrate(&mut conn, &path, &steps).unwrap_err();
        assert!(
            matches!(err, StoreError::Migration { from: 1, to: 2, .. }),
            "{err:?}"
        );
        assert_eq!(schema_version(&conn).unwrap(), 1);
        let b_exists: bool = conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE name = 'b')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(!b_exists, "the failed migration's first statement was kept");

        // With the faulty step fixed, the upgrade resumes from version 1.
        let fixed = [
            steps[0],
            Migration {
                version: 2,
                sql: "CREATE TABLE b (x INTEGER);",
            },
        ];
        migrate(&mut conn, &path, &fixed).unwrap();
        assert_eq!(schema_version(&conn).unwrap(), 2);
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.db");
        let mut conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 7).unwrap();
        let err = migrate(&mut conn, &path, MIGRATIONS).unwrap_err();
        assert!(
            matches!(err, StoreError::SchemaTooNew { found: 7, .. }),
            "{err:?}"
        );
    }
}
