//! `Store::open_default` honours `STACKPATH_DATA_DIR`, creating the folder.
//!
//! This file holds a single test because it sets a process-wide environment
//! variable; each integration test file runs as its own process.

use stackpath_store::{default_database_path, Store, DATABASE_FILE, DATA_DIR_ENV, SCHEMA_VERSION};

#[test]
fn open_default_uses_and_creates_the_data_dir_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("nested").join("data");
    std::env::set_var(DATA_DIR_ENV, &folder);

    assert_eq!(default_database_path().unwrap(), folder.join(DATABASE_FILE));
    let mut store = Store::open_default().unwrap();
    assert_eq!(store.path(), folder.join(DATABASE_FILE));
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    store.set_setting("theme", "dark").unwrap();
    drop(store);

    assert!(folder.join(DATABASE_FILE).is_file());
    let store = Store::open_default().unwrap();
    assert_eq!(store.setting("theme").unwrap().as_deref(), Some("dark"));
}
