//! Stackpath's local storage: one SQLite database holding the learners an
//! advisor works with, the pathway files they imported, the plans they saved
//! to compare, and a few settings.
//!
//! **Architecture invariant:** this crate knows nothing of Tauri, of the
//! app's transport types or of the pathway format; it stores plain records
//! (strings, numbers) and the use-case layer converts. It never panics on bad
//! input or a bad file: every failure is a [`StoreError`] naming the file.
//!
//! # Durability
//!
//! The database runs in WAL mode with `synchronous=FULL`. Every change is one
//! transaction; once a write method returns `Ok`, the change is in the
//! write-ahead log and has been flushed to the disk, so it survives both a
//! killed process and a power loss. `synchronous=NORMAL` would already
//! survive a killed process (the log is in the operating system's cache at
//! commit) but could lose the last commits on power loss. Writes here follow
//! a user's clicks, a handful a minute, so the extra flush per commit costs
//! nothing anyone can notice, and an advisor who pressed Save can trust it.
//! The crash test (`tests/crash.rs`) kills a writer with SIGKILL mid-stream
//! and checks that every reported commit is present and none is half done.
//!
//! A [`Store`] is one connection: `Send` but not `Sync`. Share it behind a
//! mutex, or open one per thread; concurrent writers wait up to
//! [`BUSY_TIMEOUT`] for each other.

mod error;
mod learners;
mod migrate;
mod pathways;
mod plans;
mod settings;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, Transaction, TransactionBehavior};

pub use error::StoreError;
pub use learners::{ConstraintsRecord, HoldingRecord, LearnerId, LearnerRecord, LearnerSummary};
pub use migrate::SCHEMA_VERSION;
pub use pathways::ImportedPathway;
pub use plans::{PlanId, PlanRecord, PlanSummary};

use error::Failure;

/// The environment variable naming the folder that holds the database,
/// overriding the operating system's data folder (tests, end-to-end runs).
pub const DATA_DIR_ENV: &str = "STACKPATH_DATA_DIR";

/// The database's file name inside the data folder.
pub const DATABASE_FILE: &str = "stackpath.db";

/// How long a statement waits for another connection's write lock before
/// failing with [`StoreError::Busy`].
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// An open Stackpath database.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

/// Where [`Store::open_default`] keeps the database: `$STACKPATH_DATA_DIR/stackpath.db`
/// when that variable is set and not empty, otherwise `stackpath.db` in the
/// operating system's data folder for Stackpath (for example
/// `~/.local/share/stackpath/` on Linux,
/// `~/Library/Application Support/org.Stackpath.Stackpath/` on macOS,
/// `%APPDATA%\Stackpath\Stackpath\data\` on Windows).
pub fn default_database_path() -> Result<PathBuf, StoreError> {
    resolve_database_path(std::env::var_os(DATA_DIR_ENV))
}

fn resolve_database_path(data_dir: Option<std::ffi::OsString>) -> Result<PathBuf, StoreError> {
    let folder = match data_dir {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => directories::ProjectDirs::from("org", "Stackpath", "Stackpath")
            .ok_or(StoreError::NoDataDir)?
            .data_dir()
            .to_path_buf(),
    };
    Ok(folder.join(DATABASE_FILE))
}

impl Store {
    /// Opens the database at [`default_database_path`], creating its folder
    /// and the database if needed.
    pub fn open_default() -> Result<Store, StoreError> {
        let path = default_database_path()?;
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder).map_err(|source| StoreError::CreateDir {
                path: folder.to_path_buf(),
                source,
            })?;
        }
        Store::open(&path)
    }

    /// Opens (or creates) the database at `path` and brings its schema up to
    /// [`SCHEMA_VERSION`]. The folder must exist.
    ///
    /// Fails with [`StoreError::Corrupt`] if the file is not a database,
    /// and with [`StoreError::SchemaTooNew`] if a newer Stackpath wrote it.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let mut conn = Connection::open(path).map_err(|source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        configure(&conn).map_err(|e| StoreError::from_sqlite(path, e))?;
        migrate::migrate(&mut conn, path, migrate::MIGRATIONS)?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// The file this store reads and writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The database's schema version (equal to [`SCHEMA_VERSION`] once open).
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        migrate::schema_version(&self.conn).map_err(|e| StoreError::from_sqlite(&self.path, e))
    }

    /// Runs SQLite's full `integrity_check`; `Ok` if the file is sound,
    /// [`StoreError::Corrupt`] listing the problems otherwise.
    pub fn integrity_check(&self) -> Result<(), StoreError> {
        let problems = self.read(|conn| {
            let mut stmt = conn.prepare("PRAGMA integrity_check")?;
            let rows = stmt.query_map([], |row| row.get::<_, String>(0))?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })?;
        if problems == ["ok"] {
            Ok(())
        } else {
            Err(StoreError::Corrupt {
                path: self.path.clone(),
                detail: problems.join("; "),
            })
        }
    }

    /// Runs `f` in one `IMMEDIATE` transaction, committing if it succeeds
    /// and rolling back otherwise. Taking the write lock up front means a
    /// transaction never fails halfway for want of it.
    fn write<T>(
        &mut self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, Failure>,
    ) -> Result<T, StoreError> {
        let path = &self.path;
        let run = || {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let value = f(&tx)?;
            tx.commit()?;
            Ok(value)
        };
        run().map_err(|e: Failure| e.at(path))
    }

    /// Runs `f` in one read transaction, so that reads spanning several
    /// tables see one consistent snapshot.
    fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T, Failure>) -> Result<T, StoreError> {
        let run = || {
            let tx = self.conn.unchecked_transaction()?;
            let value = f(&tx)?;
            tx.finish()?;
            Ok(value)
        };
        run().map_err(|e: Failure| e.at(&self.path))
    }
}

/// Sets the connection's pragmas. The first statement is also the first
/// read of the file, so a file that is not a database fails here.
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // WAL may be unavailable (some network file systems); SQLite then keeps
    // its rollback journal, which is just as safe, only slower.
    let _mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

/// The current time as stored: RFC 3339 in UTC with milliseconds, so that
/// text order is time order.
fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// What the store's tests share.
#[cfg(test)]
mod test_support {
    /// A store in a fresh temporary folder, kept as long as the folder is.
    pub fn store() -> (tempfile::TempDir, crate::Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::Store::open(&dir.path().join("t.db")).unwrap();
        (dir, store)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_dir_variable_overrides_the_system_folder() {
        let path = resolve_database_path(Some("/tmp/sp-data".into())).unwrap();
        assert_eq!(path, Path::new("/tmp/sp-data").join(DATABASE_FILE));
    }

    #[test]
    fn an_empty_data_dir_variable_means_the_system_folder() {
        // On a machine with no home folder there is no system folder either,
        // and that is an error that names the variable.
        match resolve_database_path(Some("".into())) {
            Ok(path) => {
                assert!(path.ends_with(DATABASE_FILE));
                assert!(path.is_absolute(), "{}", path.display());
            }
            Err(e) => assert!(e.to_string().contains(DATA_DIR_ENV), "{e}"),
        }
    }

    #[test]
    fn a_new_database_is_migrated_and_reopening_is_idempotent() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        store.integrity_check().unwrap();
        let mode: String = store
            .conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let fk: bool = store
            .conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert!(fk);
        drop(store);

        let mut again = Store::open(&path).unwrap();
        assert_eq!(again.schema_version().unwrap(), SCHEMA_VERSION);
        again.set_setting("theme", "dark").unwrap();
        drop(again);
        let third = Store::open(&path).unwrap();
        assert_eq!(third.setting("theme").unwrap().as_deref(), Some("dark"));
    }

    #[test]
    fn a_database_from_a_newer_program_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        drop(Store::open(&path).unwrap());
        let raw = Connection::open(&path).unwrap();
        raw.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        drop(raw);

        let err = Store::open(&path).unwrap_err();
        assert!(
            matches!(err, StoreError::SchemaTooNew { found, supported, .. }
                if found == SCHEMA_VERSION + 1 && supported == SCHEMA_VERSION),
            "{err:?}"
        );
        let message = err.to_string();
        assert!(message.contains("s.db"), "{message}");
        assert!(message.contains("update Stackpath"), "{message}");
    }

    #[test]
    fn a_file_that_is_not_a_database_is_reported_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.db");
        std::fs::write(&path, "these are my notes, not a database\n".repeat(200)).unwrap();
        let err = Store::open(&path).unwrap_err();
        assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
        assert!(err.to_string().contains("notes.db"), "{err}");
    }

    #[test]
    fn a_missing_folder_is_an_open_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no-such-folder").join("s.db");
        let err = Store::open(&path).unwrap_err();
        assert!(matches!(err, StoreError::Open { .. }), "{err:?}");
        assert!(err.to_string().contains("no-such-folder"), "{err}");
    }

    #[test]
    fn damaged_pages_are_reported_as_corruption() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let mut store = Store::open(&path).unwrap();
        for i in 0..200 {
            store
                .set_setting(&format!("k{i}"), &"x".repeat(500))
                .unwrap();
        }
        drop(store);
        // Overwrite everything after the first page (the header stays valid).
        let mut bytes = std::fs::read(&path).unwrap();
        assert!(bytes.len() > 8192, "the database is {} bytes", bytes.len());
        for b in &mut bytes[4096..] {
            *b = 0xA5;
        }
        std::fs::write(&path, bytes).unwrap();

        let outcome = Store::open(&path).and_then(|s| {
            s.integrity_check()?;
            s.setting("k1")
        });
        let err = outcome.unwrap_err();
        assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
        assert!(err.to_string().contains("s.db"), "{err}");
    }
}
