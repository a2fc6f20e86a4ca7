//! Settings: a small key-value table for what the app remembers between
//! runs, such as the theme, the last learner opened, or the publisher keys
//! the user trusts. Keys and values are plain text; the app owns their
//! meaning and encoding.

use rusqlite::{params, OptionalExtension};

use crate::{Store, StoreError};

impl Store {
    /// The value stored under `key`, if any.
    pub fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.read(|conn| {
            Ok(conn
                .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                    r.get(0)
                })
                .optional()?)
        })
    }

    /// Every setting, ordered by key.
    pub fn settings(&self) -> Result<Vec<(String, String)>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn.prepare("SELECT key, value FROM settings ORDER BY key")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    /// Stores `value` under `key`, replacing what was there.
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        if key.is_empty() {
            return Err(StoreError::invalid("setting", "the key is empty"));
        }
        self.write(|tx| {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )?;
            Ok(())
        })
    }

    /// Removes `key`. Removing a key that is not set is not an error: the
    /// outcome, no value, is the same.
    pub fn remove_setting(&mut self, key: &str) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.execute("DELETE FROM settings WHERE key = ?1", [key])?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_replace_and_remove() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("t.db")).unwrap();
        assert_eq!(store.setting("theme").unwrap(), None);
        store.set_setting("theme", "dark").unwrap();
        store.set_setting("theme", "light").unwrap();
        store
            .set_setting("trusted_key.mitx", "q1w2e3r4t5y6u7i8o9p0")
            .unwrap();
        store.set_setting("last_learner", "").unwrap();
        assert_eq!(store.setting("theme").unwrap().as_deref(), Some("light"));
        assert_eq!(store.setting("last_learner").unwrap().as_deref(), Some(""));
        assert_eq!(
            store.settings().unwrap(),
            vec![
                ("last_learner".to_string(), String::new()),
                ("theme".to_string(), "light".to_string()),
                (
                    "trusted_key.mitx".to_string(),
                    "q1w2e3r4t5y6u7i8o9p0".to_string()
                ),
            ]
        );
        store.remove_setting("theme").unwrap();
        store.remove_setting("theme").unwrap();
        assert_eq!(store.setting("theme").unwrap(), None);
        let err = store.set_setting("", "x").unwrap_err();
        assert!(matches!(err, StoreError::Invalid { .. }), "{err:?}");
    }
}
