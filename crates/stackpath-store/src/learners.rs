//! Learners: who they are, what they already hold, what they aim for and
//! the constraints on their plan, mirroring the learner file of the pathway
//! format. A learner is always written whole: saving replaces its holdings,
//! constraints and avoid list in the same transaction, and deleting it
//! removes them and its saved plans.

use rusqlite::{params, OptionalExtension, Transaction};

use crate::error::Failure;
use crate::{now, Store, StoreError};

/// A learner's row id in the database.
pub type LearnerId = i64;

/// A learner as the advisor edits it. `id` is `None` for a learner not yet
/// saved.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LearnerRecord {
    pub id: Option<LearnerId>,
    pub name: String,
    /// The credential id of the learner's goal, `publisher:local`.
    pub target: Option<String>,
    /// In the order the learner listed them; kept as given.
    pub holdings: Vec<HoldingRecord>,
    pub constraints: ConstraintsRecord,
}

/// A credential the learner already holds.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HoldingRecord {
    /// The credential id, `publisher:local`.
    pub credential: String,
    /// The date it was earned, `YYYY-MM-DD`.
    pub earned: String,
    /// Where the holding came from, for example `openbadges`.
    pub source: Option<String>,
}

/// The learner's constraints on a plan.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ConstraintsRecord {
    /// The first day of the plan, `YYYY-MM-DD`.
    pub start: Option<String>,
    pub hours_per_week: Option<f64>,
    /// Amount and currency code, for example `(3000.0, "USD")`.
    pub budget: Option<(f64, String)>,
    /// Credential ids the learner does not want in a plan.
    pub avoid: Vec<String>,
}

/// One line of the learner list.
#[derive(Debug, Clone, PartialEq)]
pub struct LearnerSummary {
    pub id: LearnerId,
    pub name: String,
    pub target: Option<String>,
    pub holdings: usize,
    pub plans: usize,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// RFC 3339, UTC.
    pub updated_at: String,
}

impl Store {
    /// Every learner, ordered by name (ignoring case), then by id.
    pub fn list_learners(&self) -> Result<Vec<LearnerSummary>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn.prepare(
                "SELECT id, name, target, created_at, updated_at,
                        (SELECT count(*) FROM holdings h WHERE h.learner_id = l.id),
                        (SELECT count(*) FROM plans p WHERE p.learner_id = l.id)
                 FROM learners l
                 ORDER BY name COLLATE NOCASE, id",
            )?;
            let rows = stmt.query_map([], |row| {
                Ok(LearnerSummary {
                    id: row.get(0)?,
                    name: row.get(1)?,
                    target: row.get(2)?,
                    created_at: row.get(3)?,
                    updated_at: row.get(4)?,
                    holdings: row.get::<_, i64>(5)? as usize,
                    plans: row.get::<_, i64>(6)? as usize,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    /// The learner with this id, whole, or `None` if there is none.
    pub fn learner(&self, id: LearnerId) -> Result<Option<LearnerRecord>, StoreError> {
        self.read(|conn| {
            let head = conn
                .query_row(
                    "SELECT name, target FROM learners WHERE id = ?1",
                    [id],
                    |row| Ok((row.get::<_, String>(0)?, row.get::<_, Option<String>>(1)?)),
                )
                .optional()?;
            let Some((name, target)) = head else {
                return Ok(None);
            };

            let mut stmt = conn.prepare(
                "SELECT credential, earned, source FROM holdings
                 WHERE learner_id = ?1 ORDER BY position",
            )?;
            let holdings = stmt
                .query_map([id], |row| {
                    Ok(HoldingRecord {
                        credential: row.get(0)?,
                        earned: row.get(1)?,
                        source: row.get(2)?,
                    })
                })?
                .collect::<Result<_, _>>()?;

            let mut stmt = conn
                .prepare("SELECT credential FROM avoids WHERE learner_id = ?1 ORDER BY position")?;
            let avoid = stmt
                .query_map([id], |row| row.get(0))?
                .collect::<Result<_, _>>()?;

            let constraints = conn
                .query_row(
                    "SELECT start, hours_per_week, budget_amount, budget_currency
                     FROM constraints WHERE learner_id = ?1",
                    [id],
                    |row| {
                        let amount: Option<f64> = row.get(2)?;
                        let currency: Option<String> = row.get(3)?;
                        Ok(ConstraintsRecord {
                            start: row.get(0)?,
                            hours_per_week: row.get(1)?,
                            budget: amount.zip(currency),
                            avoid: Vec::new(),
                        })
                    },
                )
                .optional()?
                .unwrap_or_default();

            Ok(Some(LearnerRecord {
                id: Some(id),
                name,
                target,
                holdings,
                constraints: ConstraintsRecord {
                    avoid,
                    ..constraints
                },
            }))
        })
    }

    /// Writes the learner whole in one transaction: inserts it when `id` is
    /// `None`, otherwise updates it and replaces its holdings, constraints
    /// and avoid list. Returns its id. Nothing is written if any part fails.
    pub fn save_learner(&mut self, learner: &LearnerRecord) -> Result<LearnerId, StoreError> {
        validate(learner)?;
        let stamp = now();
        self.write(|tx| {
            let id = match learner.id {
                None => {
                    tx.execute(
                        "INSERT INTO learners (name, target, created_at, updated_at)
                         VALUES (?1, ?2, ?3, ?3)",
                        params![learner.name, learner.target, stamp],
                    )?;
                    tx.last_insert_rowid()
                }
                Some(id) => {
                    let changed = tx.execute(
                        "UPDATE learners SET name = ?2, target = ?3, updated_at = ?4
                         WHERE id = ?1",
                        params![id, learner.name, learner.target, stamp],
                    )?;
                    if changed == 0 {
                        return Err(StoreError::not_found("learner", id).into());
                    }
                    for table in ["holdings", "avoids", "constraints"] {
                        tx.execute(&format!("DELETE FROM {table} WHERE learner_id = ?1"), [id])?;
                    }
                    id
                }
            };
            write_parts(tx, id, learner)?;
            Ok(id)
        })
    }

    /// Deletes the learner with its holdings, constraints and saved plans.
    pub fn delete_learner(&mut self, id: LearnerId) -> Result<(), StoreError> {
        self.write(|tx| {
            // Holdings, constraints, avoids and plans go by `ON DELETE CASCADE`.
            if tx.execute("DELETE FROM learners WHERE id = ?1", [id])? == 0 {
                return Err(StoreError::not_found("learner", id).into());
            }
            Ok(())
        })
    }
}

fn write_parts(
    tx: &Transaction<'_>,
    id: LearnerId,
    learner: &LearnerRecord,
) -> Result<(), Failure> {
    let mut holding = tx.prepare(
        "INSERT INTO holdings (learner_id, position, credential, earned, source)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (position, h) in learner.holdings.iter().enumerate() {
        holding.execute(params![id, position, h.credential, h.earned, h.source])?;
    }
    let mut avoid =
        tx.prepare("INSERT INTO avoids (learner_id, position, credential) VALUES (?1, ?2, ?3)")?;
    for (position, credential) in learner.constraints.avoid.iter().enumerate() {
        avoid.execute(params![id, position, credential])?;
    }
    let c = &learner.constraints;
    let (amount, currency) = c.budget.as_ref().map(|(a, cur)| (*a, cur.as_str())).unzip();
    tx.execute(
        "INSERT INTO constraints (learner_id, start, hours_per_week, budget_amount, budget_currency)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, c.start, c.hours_per_week, amount, currency],
    )?;
    Ok(())
}

/// Refuses what the database could not keep faithfully (a NaN hours value
/// would come back as nothing) or what no learner file allows (an empty
/// credential id, a date that is not `YYYY-MM-DD`).
fn validate(learner: &LearnerRecord) -> Result<(), StoreError> {
    if learner.name.trim().is_empty() {
        return Err(StoreError::invalid(
            "learner name",
            "a learner needs a name",
        ));
    }
    if let Some(target) = &learner.target {
        check_credential("target", target)?;
    }
    for h in &learner.holdings {
        check_credential("holding", &h.credential)?;
        check_date("holding earned date", &h.earned)?;
    }
    let c = &learner.constraints;
    if let Some(start) = &c.start {
        check_date("start date", start)?;
    }
    if let Some(hours) = c.hours_per_week {
        if !(hours.is_finite() && hours > 0.0) {
            return Err(StoreError::invalid(
                "hours per week",
                format!("{hours} is not a positive number of hours"),
            ));
        }
    }
    if let Some((amount, currency)) = &c.budget {
        if !(amount.is_finite() && *amount >= 0.0) {
            return Err(StoreError::invalid(
                "budget",
                format!("{amount} is not an amount of money"),
            ));
        }
        if currency.trim().is_empty() {
            return Err(StoreError::invalid("budget", "the currency is missing"));
        }
    }
    for credential in &c.avoid {
        check_credential("avoid list", credential)?;
    }
    Ok(())
}

fn check_credential(field: &'static str, id: &str) -> Result<(), StoreError> {
    if id.trim().is_empty() {
        Err(StoreError::invalid(field, "a credential id is empty"))
    } else {
        Ok(())
    }
}

fn check_date(field: &'static str, date: &str) -> Result<(), StoreError> {
    let shaped = date.len() == 10
        && date.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if shaped && chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok() {
        Ok(())
    } else {
        Err(StoreError::invalid(
            field,
            format!("{date:?} is not a calendar date written YYYY-MM-DD"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::store;

    fn ada() -> LearnerRecord {
        LearnerRecord {
            id: None,
            name: "Ada Example".into(),
            target: Some("mitx:micromasters-sds".into()),
            holdings: vec![
                HoldingRecord {
                    credential: "google:data-analytics".into(),
                    earned: "2025-06-01".into(),
                    source: None,
                },
                HoldingRecord {
                    credential: "comptia:a-plus".into(),
                    earned: "2021-03-15".into(),
                    source: Some("openbadges".into()),
                },
            ],
            constraints: ConstraintsRecord {
                start: Some("2027-01-04".into()),
                hours_per_week: Some(10.0),
                budget: Some((3000.0, "USD".into())),
                avoid: vec!["coursera:some-course".into(), "edx:other".into()],
            },
        }
    }

    fn count(store: &Store, table: &str) -> i64 {
        store
            .conn
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn a_learner_round_trips_whole() {
        let (_dir, mut store) = store();
        let id = store.save_learner(&ada()).unwrap();
        let back = store.learner(id).unwrap().unwrap();
        assert_eq!(
            back,
            LearnerRecord {
                id: Some(id),
                ..ada()
            }
        );
    }

    #[test]
    fn a_learner_with_nothing_but_a_name_round_trips() {
        let (_dir, mut store) = store();
        let bare = LearnerRecord {
            name: "Bo".into(),
            ..LearnerRecord::default()
        };
        let id = store.save_learner(&bare).unwrap();
        assert_eq!(
            store.learner(id).unwrap().unwrap(),
            LearnerRecord {
                id: Some(id),
                ..bare
            }
        );
    }

    #[test]
    fn an_unknown_learner_is_none() {
        let (_dir, store) = store();
        assert_eq!(store.learner(42).unwrap(), None);
    }

    #[test]
    fn saving_again_replaces_holdings_constraints_and_avoid_list() {
        let (_dir, mut store) = store();
        let id = store.save_learner(&ada()).unwrap();
        let changed = LearnerRecord {
            id: Some(id),
            name: "Ada Lovelace".into(),
            target: None,
            holdings: vec![HoldingRecord {
                credential: "mitx:probability".into(),
                earned: "2026-01-31".into(),
                source: None,
            }],
            constraints: ConstraintsRecord {
                start: None,
                hours_per_week: Some(6.5),
                budget: None,
                avoid: vec![],
            },
        };
        assert_eq!(store.save_learner(&changed).unwrap(), id);
        assert_eq!(store.learner(id).unwrap().unwrap(), changed);
        assert_eq!(count(&store, "holdings"), 1);
        assert_eq!(count(&store, "avoids"), 0);
        assert_eq!(count(&store, "constraints"), 1);
        assert_eq!(store.list_learners().unwrap().len(), 1);
    }

    #[test]
    fn a_save_that_fails_halfway_changes_nothing() {
        let (_dir, mut store) = store();
        let id = store.save_learner(&ada()).unwrap();
        // Make the database itself refuse the second new holding, after the
        // old holdings were deleted and the first new one was inserted.
        store
            .conn
            .execute_batch(
                "CREATE TRIGGER refuse BEFORE INSERT ON holdings WHEN NEW.credential = 'x:boom'
                 BEGIN SELECT RAISE(ABORT, 'refused by test'); END;",
            )
            .unwrap();
        let mut broken = ada();
        broken.id = Some(id);
        broken.name = "Renamed".into();
        broken.holdings[1].credential = "x:boom".into();
        broken.constraints.avoid.clear();
        let err = store.save_learner(&broken).unwrap_err();
        assert!(err.to_string().contains("refused by test"), "{err}");
        assert_eq!(
            store.learner(id).unwrap().unwrap(),
            LearnerRecord {
                id: Some(id),
                ..ada()
            }
        );

        // A new learner that fails is not half created either.
        broken.id = None;
        store.save_learner(&broken).unwrap_err();
        assert_eq!(store.list_learners().unwrap().len(), 1);
    }

    #[test]
    fn saving_an_unknown_id_is_not_found() {
        let (_dir, mut store) = store();
        let mut ghost = ada();
        ghost.id = Some(99);
        let err = store.save_learner(&ghost).unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::NotFound {
                    what: "learner",
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(store.list_learners().unwrap().is_empty());
    }

    #[test]
    fn deleting_a_learner_removes_everything_of_theirs() {
        let (_dir, mut store) = store();
        let id = store.save_learner(&ada()).unwrap();
        let other = store
            .save_learner(&LearnerRecord {
                name: "Other".into(),
                ..ada()
            })
            .unwrap();
        store
            .save_plan(id, "fastest", "time", r#"{"items":[]}"#)
            .unwrap();
        store
            .save_plan(other, "fastest", "time", r#"{"items":[]}"#)
            .unwrap();

        store.delete_learner(id).unwrap();
        assert_eq!(store.learner(id).unwrap(), None);
        assert_eq!(count(&store, "holdings"), 2);
        assert_eq!(count(&store, "avoids"), 2);
        assert_eq!(count(&store, "constraints"), 1);
        assert_eq!(count(&store, "plans"), 1);
        assert!(store.learner(other).unwrap().is_some());

        let err = store.delete_learner(id).unwrap_err();
        assert!(matches!(err, StoreError::NotFound { .. }), "{err:?}");
    }

    #[test]
    fn the_list_is_sorted_by_name_and_counts_holdings_and_plans() {
        let (_dir, mut store) = store();
        let ada = store.save_learner(&ada()).unwrap();
        let bo = store
            .save_learner(&LearnerRecord {
                name: "bo".into(),
                ..LearnerRecord::default()
            })
            .unwrap();
        let cy = store
            .save_learner(&LearnerRecord {
                name: "Cy".into(),
                ..LearnerRecord::default()
            })
            .unwrap();
        store.save_plan(ada, "a", "cost", "{}").unwrap();
        store.save_plan(ada, "b", "time", "{}").unwrap();

        let list = store.list_learners().unwrap();
        let ids: Vec<_> = list.iter().map(|l| l.id).collect();
        assert_eq!(ids, [ada, bo, cy]);
        assert_eq!(list[0].holdings, 2);
        assert_eq!(list[0].plans, 2);
        assert_eq!(list[0].target.as_deref(), Some("mitx:micromasters-sds"));
        assert_eq!(list[1].holdings, 0);
        assert!(list[0].created_at <= list[0].updated_at);
        assert!(list[0].created_at.ends_with('Z'));
    }

    #[test]
    fn updating_a_learner_keeps_created_and_moves_updated() {
        let (_dir, mut store) = store();
        let mut rec = ada();
        let id = store.save_learner(&rec).unwrap();
        let before = store.list_learners().unwrap().remove(0);
        std::thread::sleep(std::time::Duration::from_millis(5));
        rec.id = Some(id);
        store.save_learner(&rec).unwrap();
        let after = store.list_learners().unwrap().remove(0);
        assert_eq!(after.created_at, before.created_at);
        assert!(after.updated_at > before.updated_at);
    }

    #[test]
    fn values_a_learner_file_cannot_hold_are_refused() {
        /// Makes one field of a good learner bad.
        type Spoil = fn(&mut LearnerRecord);
        let (_dir, mut store) = store();
        let cases: [(&str, Spoil); 10] = [
            ("learner name", |l| l.name = "  ".into()),
            ("holding earned date", |l| {
                l.holdings[0].earned = "2025-6-1".into()
            }),
            ("holding earned date", |l| {
                l.holdings[0].earned = "2025-02-30".into()
            }),
            ("holding", |l| l.holdings[0].credential = "".into()),
            ("start date", |l| l.constraints.start = Some("soon".into())),
            ("hours per week", |l| {
                l.constraints.hours_per_week = Some(f64::NAN)
            }),
            ("hours per week", |l| {
                l.constraints.hours_per_week = Some(0.0)
            }),
            ("budget", |l| {
                l.constraints.budget = Some((f64::INFINITY, "USD".into()))
            }),
            ("budget", |l| l.constraints.budget = Some((10.0, "".into()))),
            ("avoid list", |l| l.constraints.avoid.push(" ".into())),
        ];
        for (field, spoil) in cases {
            let mut rec = ada();
            spoil(&mut rec);
            let err = store.save_learner(&rec).unwrap_err();
            assert!(
                matches!(&err, StoreError::Invalid { field: f, .. } if *f == field),
                "expected invalid {field}, got {err:?}"
            );
        }
        assert!(store.list_learners().unwrap().is_empty());
    }
}
