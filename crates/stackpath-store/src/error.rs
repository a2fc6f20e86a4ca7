//! The store's error type: one enum for every way a storage operation can
//! fail, each message naming the database file and saying what to do.

use std::path::{Path, PathBuf};

use rusqlite::ErrorCode;

/// Everything that can go wrong in [`crate::Store`]. No operation panics.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The operating system reported no home or data folder.
    #[error(
        "cannot find a data folder for Stackpath: the operating system reports no home folder; \
         set {env} to the folder the database should live in",
        env = crate::DATA_DIR_ENV
    )]
    NoDataDir,

    /// The folder that should hold the database could not be created.
    #[error("cannot create the data folder {}: {source}", path.display())]
    CreateDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// SQLite could not open or create the file.
    #[error("cannot open the database {}: {source}; check that the folder exists and is writable", path.display())]
    Open {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },

    /// The file is not an SQLite database, or its pages are damaged.
    #[error(
        "{} is not a Stackpath database or is damaged ({detail}); move the file aside to start \
         with an empty database, or restore it from a backup",
        path.display()
    )]
    Corrupt { path: PathBuf, detail: String },

    /// The database was written by a newer Stackpath than this one.
    #[error(
        "the database {} has schema version {found}, but this Stackpath understands versions up to \
         {supported}; update Stackpath to open it",
        path.display()
    )]
    SchemaTooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },

    /// Bringing an older database up to date failed; it was left at
    /// `from`, the last version that applied completely.
    #[error("cannot upgrade the database {} from schema version {from} to {to}: {source}", path.display())]
    Migration {
        path: PathBuf,
        from: i64,
        to: i64,
        #[source]
        source: rusqlite::Error,
    },

    /// Another process held the database locked for longer than the busy
    /// timeout.
    #[error("the database {} is busy: another Stackpath is writing to it; try again", path.display())]
    Busy { path: PathBuf },

    /// The learner, plan or pathway file named does not exist.
    #[error("there is no {what} {key}")]
    NotFound { what: &'static str, key: String },

    /// A learner's saved plans have unique names.
    #[error("learner {learner} already has a saved plan named {name:?}; choose another name")]
    PlanNameTaken { learner: i64, name: String },

    /// A value the store refuses to keep, such as a malformed date.
    #[error("invalid {field}: {message}")]
    Invalid {
        field: &'static str,
        message: String,
    },

    /// Any other SQLite failure.
    #[error("database error in {}: {source}", path.display())]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
}

impl StoreError {
    /// Sorts an SQLite error into the variant a user can act on: damaged
    /// files and lock timeouts get their own messages.
    pub(crate) fn from_sqlite(path: &Path, source: rusqlite::Error) -> Self {
        if let rusqlite::Error::SqliteFailure(failure, message) = &source {
            match failure.code {
                ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt => {
                    return StoreError::Corrupt {
                        path: path.to_path_buf(),
                        detail: message.clone().unwrap_or_else(|| failure.to_string()),
                    };
                }
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => {
                    return StoreError::Busy {
                        path: path.to_path_buf(),
                    };
                }
                _ => {}
            }
        }
        StoreError::Sqlite {
            path: path.to_path_buf(),
            source,
        }
    }

    pub(crate) fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        StoreError::Invalid {
            field,
            message: message.into(),
        }
    }

    pub(crate) fn not_found(what: &'static str, key: impl ToString) -> Self {
        StoreError::NotFound {
            what,
            key: key.to_string(),
        }
    }
}

/// What a closure run inside a transaction can fail with: an SQLite error,
/// which still needs the file name to become a [`StoreError`], or a
/// finished [`StoreError`].
#[derive(Debug)]
pub(crate) enum Failure {
    Sql(rusqlite::Error),
    Store(StoreError),
}

impl From<rusqlite::Error> for Failure {
    fn from(e: rusqlite::Error) -> Self {
        Failure::Sql(e)
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Failure::Store(e)
    }
}

impl Failure {
    pub(crate) fn at(self, path: &Path) -> StoreError {
        match self {
            Failure::Sql(e) => StoreError::from_sqlite(path, e),
            Failure::Store(e) => e,
        }
    }
}
