//! Saved plans: the scenarios an advisor keeps for a learner to compare
//! what-ifs ("cheapest", "fastest with 6 hours a week"). The plan itself is
//! stored as the JSON text the app produced; the store only checks that it is
//! JSON. A learner's plans have unique names and go when the learner goes.

use rusqlite::{params, OptionalExtension, Row, Transaction};

use crate::error::Failure;
use crate::{now, LearnerId, Store, StoreError};

/// A saved plan's row id in the database.
pub type PlanId = i64;

/// One line of a learner's list of saved plans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanSummary {
    pub id: PlanId,
    pub learner: LearnerId,
    pub name: String,
    /// The objective it was planned for: `time`, `cost`, `effort` or `count`.
    pub objective: String,
    /// RFC 3339, UTC.
    pub created_at: String,
}

/// A saved plan with its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanRecord {
    pub id: PlanId,
    pub learner: LearnerId,
    pub name: String,
    pub objective: String,
    /// The plan as JSON text, exactly as saved.
    pub plan_json: String,
    /// RFC 3339, UTC.
    pub created_at: String,
}

fn summary(row: &Row<'_>) -> rusqlite::Result<PlanSummary> {
    Ok(PlanSummary {
        id: row.get(0)?,
        learner: row.get(1)?,
        name: row.get(2)?,
        objective: row.get(3)?,
        created_at: row.get(4)?,
    })
}

impl Store {
    /// Saves a plan for `learner` under `name`, which must be new among that
    /// learner's plans. Returns the plan's id.
    pub fn save_plan(
        &mut self,
        learner: LearnerId,
        name: &str,
        objective: &str,
        plan_json: &str,
    ) -> Result<PlanId, StoreError> {
        check_name(name)?;
        if objective.trim().is_empty() {
            return Err(StoreError::invalid(
                "plan objective",
                "the objective is empty",
            ));
        }
        let stamp = now();
        self.write(|tx| {
            let exists: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM learners WHERE id = ?1)",
                [learner],
                |r| r.get(0),
            )?;
            if !exists {
                return Err(StoreError::not_found("learner", learner).into());
            }
            ensure_name_free(tx, learner, name, None)?;
            let json_ok: bool = tx.query_row("SELECT json_valid(?1)", [plan_json], |r| r.get(0))?;
            if !json_ok {
                return Err(StoreError::invalid("plan", "the plan is not valid JSON").into());
            }
            tx.execute(
                "INSERT INTO plans (learner_id, name, objective, plan_json, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![learner, name, objective, plan_json, stamp],
            )?;
            Ok(tx.last_insert_rowid())
        })
    }

    /// The learner's saved plans, oldest first. Empty for an unknown learner.
    pub fn plans(&self, learner: LearnerId) -> Result<Vec<PlanSummary>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn.prepare(
                "SELECT id, learner_id, name, objective, created_at FROM plans
                 WHERE learner_id = ?1 ORDER BY created_at, id",
            )?;
            let rows = stmt.query_map([learner], summary)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    /// The saved plan with this id, or `None`.
    pub fn plan(&self, id: PlanId) -> Result<Option<PlanRecord>, StoreError> {
        self.read(|conn| {
            Ok(conn
                .query_row(
                    "SELECT id, learner_id, name, objective, plan_json, created_at
                     FROM plans WHERE id = ?1",
                    [id],
                    |row| {
                        Ok(PlanRecord {
                            id: row.get(0)?,
                            learner: row.get(1)?,
                            name: row.get(2)?,
                            objective: row.get(3)?,
                            plan_json: row.get(4)?,
                            created_at: row.get(5)?,
                        })
                    },
                )
                .optional()?)
        })
    }

    /// Gives a saved plan a new name, unique among its learner's plans.
    pub fn rename_plan(&mut self, id: PlanId, name: &str) -> Result<(), StoreError> {
        check_name(name)?;
        self.write(|tx| {
            let learner: Option<LearnerId> = tx
                .query_row("SELECT learner_id FROM plans WHERE id = ?1", [id], |r| {
                    r.get(0)
                })
                .optional()?;
            let Some(learner) = learner else {
                return Err(StoreError::not_found("saved plan", id).into());
            };
            ensure_name_free(tx, learner, name, Some(id))?;
            tx.execute(
                "UPDATE plans SET name = ?2 WHERE id = ?1",
                params![id, name],
            )?;
            Ok(())
        })
    }

    /// Deletes a saved plan.
    pub fn delete_plan(&mut self, id: PlanId) -> Result<(), StoreError> {
        self.write(|tx| {
            if tx.execute("DELETE FROM plans WHERE id = ?1", [id])? == 0 {
                return Err(StoreError::not_found("saved plan", id).into());
            }
            Ok(())
        })
    }
}

fn check_name(name: &str) -> Result<(), StoreError> {
    if name.trim().is_empty() {
        Err(StoreError::invalid(
            "plan name",
            "a saved plan needs a name",
        ))
    } else {
        Ok(())
    }
}

/// Fails with [`StoreError::PlanNameTaken`] if another of the learner's plans
/// (other than `except`) already has `name`.
fn ensure_name_free(
    tx: &Transaction<'_>,
    learner: LearnerId,
    name: &str,
    except: Option<PlanId>,
) -> Result<(), Failure> {
    let taken: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM plans
                        WHERE learner_id = ?1 AND name = ?2 AND id IS NOT ?3)",
        params![learner, name, except],
        |r| r.get(0),
    )?;
    if taken {
        return Err(StoreError::PlanNameTaken {
            learner,
            name: name.to_string(),
        }
        .into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::LearnerRecord;

    fn store_with_learner() -> (tempfile::TempDir, Store, LearnerId) {
        let (dir, mut store) = crate::test_support::store();
        let id = store
            .save_learner(&LearnerRecord {
                name: "Ada".into(),
                ..LearnerRecord::default()
            })
            .unwrap();
        (dir, store, id)
    }

    const PLAN: &str =
        r#"{"target":"mitx:micromasters-sds","items":[{"id":"mitx:prob","start":"2027-01-04"}]}"#;

    #[test]
    fn a_plan_round_trips() {
        let (_dir, mut store, ada) = store_with_learner();
        let id = store.save_plan(ada, "fastest", "time", PLAN).unwrap();
        let plan = store.plan(id).unwrap().unwrap();
        assert_eq!(plan.id, id);
        assert_eq!(plan.learner, ada);
        assert_eq!(plan.name, "fastest");
        assert_eq!(plan.objective, "time");
        assert_eq!(plan.plan_json, PLAN);
        assert!(plan.created_at.ends_with('Z'));
        assert_eq!(
            store.plans(ada).unwrap(),
            vec![PlanSummary {
                id,
                learner: ada,
                name: plan.name,
                objective: plan.objective,
                created_at: plan.created_at,
            }]
        );
        assert_eq!(store.plan(id + 1).unwrap(), None);
    }

    #[test]
    fn plans_are_listed_per_learner_oldest_first() {
        let (_dir, mut store, ada) = store_with_learner();
        let bo = store
            .save_learner(&LearnerRecord {
                name: "Bo".into(),
                ..LearnerRecord::default()
            })
            .unwrap();
        let a1 = store.save_plan(ada, "fastest", "time", "{}").unwrap();
        let b1 = store.save_plan(bo, "fastest", "time", "{}").unwrap();
        let a2 = store.save_plan(ada, "cheapest", "cost", "{}").unwrap();
        let ids = |l| -> Vec<PlanId> { store.plans(l).unwrap().iter().map(|p| p.id).collect() };
        assert_eq!(ids(ada), [a1, a2]);
        assert_eq!(ids(bo), [b1]);
        assert!(store.plans(999).unwrap().is_empty());
    }

    #[test]
    fn a_learner_cannot_have_two_plans_of_one_name() {
        let (_dir, mut store, ada) = store_with_learner();
        store.save_plan(ada, "fastest", "time", "{}").unwrap();
        let err = store.save_plan(ada, "fastest", "cost", "{}").unwrap_err();
        assert!(matches!(err, StoreError::PlanNameTaken { .. }), "{err:?}");
        assert!(err.to_string().contains("fastest"), "{err}");
        assert_eq!(store.plans(ada).unwrap().len(), 1);
    }

    #[test]
    fn renaming_checks_the_new_name() {
        let (_dir, mut store, ada) = store_with_learner();
        let a = store.save_plan(ada, "a", "time", "{}").unwrap();
        store.save_plan(ada, "b", "time", "{}").unwrap();
        store.rename_plan(a, "a").unwrap();
        store.rename_plan(a, "fastest").unwrap();
        assert_eq!(store.plan(a).unwrap().unwrap().name, "fastest");
        let err = store.rename_plan(a, "b").unwrap_err();
        assert!(matches!(err, StoreError::PlanNameTaken { .. }), "{err:?}");
        let err = store.rename_plan(999, "c").unwrap_err();
        assert!(matches!(err, StoreError::NotFound { .. }), "{err:?}");
        let err = store.rename_plan(a, "").unwrap_err();
        assert!(matches!(err, StoreError::Invalid { .. }), "{err:?}");
    }

    #[test]
    fn deleting_a_plan_keeps_the_others() {
        let (_dir, mut store, ada) = store_with_learner();
        let a = store.save_plan(ada, "a", "time", "{}").unwrap();
        let b = store.save_plan(ada, "b", "time", "{}").unwrap();
        store.delete_plan(a).unwrap();
        assert_eq!(store.plan(a).unwrap(), None);
        assert_eq!(store.plans(ada).unwrap()[0].id, b);
        let err = store.delete_plan(a).unwrap_err();
        assert!(matches!(err, StoreError::NotFound { .. }), "{err:?}");
    }

    #[test]
    fn bad_plans_are_refused() {
        let (_dir, mut store, ada) = store_with_learner();
        let err = store.save_plan(999, "a", "time", "{}").unwrap_err();
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
        let err = store.save_plan(ada, "a", "time", "{not json").unwrap_err();
        assert!(matches!(err, StoreError::Invalid { .. }), "{err:?}");
        let err = store.save_plan(ada, " ", "time", "{}").unwrap_err();
        assert!(matches!(err, StoreError::Invalid { .. }), "{err:?}");
        let err = store.save_plan(ada, "a", "", "{}").unwrap_err();
        assert!(matches!(err, StoreError::Invalid { .. }), "{err:?}");
        assert!(store.plans(ada).unwrap().is_empty());
    }
}
