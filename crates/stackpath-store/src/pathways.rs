//! Imported pathway files, kept byte for byte with their SHA-256 so that a
//! signature can be checked again and an advisor can see which version of a
//! publisher's file a plan was made against. Files are known by name;
//! importing a file under a name already present replaces it and counts a
//! new revision.

use rusqlite::{params, OptionalExtension, Row};
use sha2::{Digest, Sha256};

use crate::{now, Store, StoreError};

/// What the store knows of an imported pathway file, without its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedPathway {
    /// The file name it was imported under, for example `mitx.pathway.json`.
    pub name: String,
    /// SHA-256 of the content's UTF-8 bytes, lowercase hexadecimal.
    pub hash: String,
    /// The file's own `version` member, if it is a JSON object with one.
    pub version: Option<String>,
    /// 1 for the first import under this name, one more at each re-import.
    pub revision: i64,
    /// RFC 3339, UTC.
    pub imported_at: String,
}

const COLUMNS: &str = "name, sha256, version, revision, imported_at";

fn from_row(row: &Row<'_>) -> rusqlite::Result<ImportedPathway> {
    Ok(ImportedPathway {
        name: row.get(0)?,
        hash: row.get(1)?,
        version: row.get(2)?,
        revision: row.get(3)?,
        imported_at: row.get(4)?,
    })
}

impl Store {
    /// Stores `content` under `name`, replacing any file of that name.
    ///
    /// The store does not validate the pathway format; it reads the
    /// top-level `version` member when the content is a JSON object with a
    /// string or number there, and leaves it `None` otherwise.
    pub fn import_pathway(
        &mut self,
        name: &str,
        content: &str,
    ) -> Result<ImportedPathway, StoreError> {
        if name.trim().is_empty() {
            return Err(StoreError::invalid(
                "pathway file name",
                "a pathway file needs a name",
            ));
        }
        let hash = sha256_hex(content.as_bytes());
        let stamp = now();
        self.write(|tx| {
            let imported = tx.query_row(
                &format!(
                    "INSERT INTO pathway_files (name, content, sha256, version, revision, imported_at)
                     VALUES (?1, ?2, ?3,
                             CASE WHEN json_valid(?2)
                                   AND json_type(?2) = 'object'
                                   AND json_type(?2, '$.version') IN ('text', 'integer', 'real')
                                  THEN CAST(json_extract(?2, '$.version') AS TEXT) END,
                             1, ?4)
                     ON CONFLICT (name) DO UPDATE SET
                         content = excluded.content,
                         sha256 = excluded.sha256,
                         version = excluded.version,
                         revision = revision + 1,
                         imported_at = excluded.imported_at
                     RETURNING {COLUMNS}"
                ),
                params![name, content, hash, stamp],
                from_row,
            )?;
            Ok(imported)
        })
    }

    /// Every imported pathway file, ordered by name.
    pub fn pathways(&self) -> Result<Vec<ImportedPathway>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn.prepare(&format!(
                "SELECT {COLUMNS} FROM pathway_files ORDER BY name"
            ))?;
            let rows = stmt.query_map([], from_row)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    /// What the store knows of the file imported under `name`, if any.
    pub fn pathway(&self, name: &str) -> Result<Option<ImportedPathway>, StoreError> {
        self.read(|conn| {
            Ok(conn
                .query_row(
                    &format!("SELECT {COLUMNS} FROM pathway_files WHERE name = ?1"),
                    [name],
                    from_row,
                )
                .optional()?)
        })
    }

    /// The full content of the file imported under `name`, if any.
    pub fn pathway_content(&self, name: &str) -> Result<Option<String>, StoreError> {
        self.read(|conn| {
            Ok(conn
                .query_row(
                    "SELECT content FROM pathway_files WHERE name = ?1",
                    [name],
                    |row| row.get(0),
                )
                .optional()?)
        })
    }

    /// Forgets the file imported under `name`.
    pub fn delete_pathway(&mut self, name: &str) -> Result<(), StoreError> {
        self.write(|tx| {
            if tx.execute("DELETE FROM pathway_files WHERE name = ?1", [name])? == 0 {
                return Err(StoreError::not_found("pathway file", format!("{name:?}")).into());
            }
            Ok(())
        })
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::store;

    const MITX: &str =
        r#"{ "format": "stackpath.pathway/1", "version": "2026-09", "credentials": [] }"#;

    #[test]
    fn the_hash_is_sha256_in_lowercase_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn an_imported_file_round_trips_byte_for_byte() {
        let (_dir, mut store) = store();
        let content = format!("{MITX}\n\u{feff}é — ✓\r\n");
        let imported = store.import_pathway("mitx.pathway.json", &content).unwrap();
        assert_eq!(imported.name, "mitx.pathway.json");
        assert_eq!(imported.hash, sha256_hex(content.as_bytes()));
        assert_eq!(imported.revision, 1);
        assert!(imported.imported_at.ends_with('Z'));
        // Not valid JSON once the trailing text is added: no version.
        assert_eq!(imported.version, None);
        assert_eq!(
            store.pathway_content("mitx.pathway.json").unwrap(),
            Some(content)
        );
        assert_eq!(
            store.pathway("mitx.pathway.json").unwrap(),
            Some(imported.clone())
        );
        assert_eq!(store.pathways().unwrap(), vec![imported]);
    }

    #[test]
    fn the_version_is_read_from_the_file() {
        let (_dir, mut store) = store();
        let cases = [
            (MITX, Some("2026-09")),
            (r#"{"version": 3}"#, Some("3")),
            (r#"{"version": null}"#, None),
            (r#"{"version": {"major": 1}}"#, None),
            (r#"["version"]"#, None),
            ("not json", None),
        ];
        for (content, version) in cases {
            let imported = store.import_pathway("f.pathway.json", content).unwrap();
            assert_eq!(imported.version.as_deref(), version, "{content}");
        }
    }

    #[test]
    fn reimporting_a_name_replaces_it_with_a_new_revision() {
        let (_dir, mut store) = store();
        let first = store.import_pathway("mitx.pathway.json", MITX).unwrap();
        let newer = MITX.replace("2026-09", "2027-01");
        let second = store.import_pathway("mitx.pathway.json", &newer).unwrap();
        assert_eq!(second.revision, 2);
        assert_eq!(second.version.as_deref(), Some("2027-01"));
        assert_ne!(second.hash, first.hash);
        assert!(second.imported_at >= first.imported_at);
        assert_eq!(store.pathways().unwrap(), vec![second]);
        assert_eq!(
            store.pathway_content("mitx.pathway.json").unwrap(),
            Some(newer)
        );
    }

    #[test]
    fn files_are_listed_by_name_and_deleted_by_name() {
        let (_dir, mut store) = store();
        for name in ["c.pathway.json", "a.pathway.json", "b.pathway.json"] {
            store.import_pathway(name, MITX).unwrap();
        }
        let names: Vec<_> = store
            .pathways()
            .unwrap()
            .into_iter()
            .map(|p| p.name)
            .collect();
        assert_eq!(
            names,
            ["a.pathway.json", "b.pathway.json", "c.pathway.json"]
        );

        store.delete_pathway("b.pathway.json").unwrap();
        assert_eq!(store.pathways().unwrap().len(), 2);
        assert_eq!(store.pathway_content("b.pathway.json").unwrap(), None);
        assert_eq!(store.pathway("b.pathway.json").unwrap(), None);
        let err = store.delete_pathway("b.pathway.json").unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::NotFound {
                    what: "pathway file",
                    ..
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn a_nameless_file_is_refused() {
        let (_dir, mut store) = store();
        let err = store.import_pathway(" ", MITX).unwrap_err();
        assert!(matches!(err, StoreError::Invalid { .. }), "{err:?}");
    }
}
