//! The desktop's use cases, without a window: first run, learners saved as
//! they change, imported pathway files, saved plans and settings, and what
//! survives reopening the database.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use stackpath_app::dto::{ErrorCodeDto, GraphNodeStatusDto, HoldingDto, ObjectiveDto};
use stackpath_app::workspace::ThemeDto;

mod common;

use common::{bundled, open, repo};

#[test]
fn first_run_opens_on_the_sample_learner_with_a_real_plan() {
    let dir = tempfile::tempdir().unwrap();
    let ws = open(&dir.path().join("data/stackpath.db"));
    let state = ws.workspace().unwrap();
    let learner = state.learner.expect("the sample learner is there");
    assert_eq!(learner.name, "Sample learner");
    assert_eq!(state.current, Some(state.learners[0].id));
    let view = ws.plan(&learner, ObjectiveDto::Time, None).unwrap();
    assert!(view.plan.feasible);
    assert!(!view.plan.steps.is_empty());
    assert!(!view.graph.nodes.is_empty());
}

/// A credential the plan obtains through an equivalence (the sample's
/// PenTest+ grants ITN 261, which counts toward the degree) is on the
/// plan's path: drawn as planned, not hidden among the credentials outside
/// the plan, which left the step that grants it drawn with no arrow.
#[test]
fn the_graph_draws_what_the_plan_obtains_through_equivalences_as_planned() {
    let dir = tempfile::tempdir().unwrap();
    let ws = open(&dir.path().join("stackpath.db"));
    let learner = ws.workspace().unwrap().learner.unwrap();
    let view = ws.plan(&learner, ObjectiveDto::Time, None).unwrap();
    let status: HashMap<&str, GraphNodeStatusDto> = view
        .graph
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), n.status))
        .collect();
    let steps: HashSet<&str> = view.plan.steps.iter().map(|s| s.id.as_str()).collect();
    let mut granted = Vec::new();
    for step in &view.plan.steps {
        let want = if step.id == view.plan.target {
            GraphNodeStatusDto::Target
        } else {
            GraphNodeStatusDto::Planned
        };
        assert_eq!(status.get(step.id.as_str()), Some(&want), "{}", step.id);
        for id in &step.satisfies {
            let drawn = status.get(id.as_str()).copied();
            assert!(
                matches!(
                    drawn,
                    Some(
                        GraphNodeStatusDto::Planned
                            | GraphNodeStatusDto::Held
                            | GraphNodeStatusDto::Target
                    )
                ),
                "{} counts toward {id}, drawn as {drawn:?}",
                step.id
            );
            if !steps.contains(id.as_str()) && drawn == Some(GraphNodeStatusDto::Planned) {
                granted.push(id.clone());
            }
        }
    }
    assert!(
        granted.iter().any(|id| id == "nova:itn-261"),
        "granted on the way: {granted:?}"
    );
}

#[test]
fn changes_survive_reopening_and_the_sample_is_not_seeded_twice() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("stackpath.db");
    {
        let ws = open(&db);
        let state = ws.workspace().unwrap();
        let id = state.current.unwrap();
        let mut learner = state.learner.unwrap();
        learner.holdings.push(HoldingDto {
            id: "comptia:network-plus".into(),
            earned: "2026-05-01".into(),
            source: None,
        });
        learner.constraints.hours_per_week = Some(15.0);
        ws.save_learner(id, &learner).unwrap();
        ws.save_settings(&stackpath_app::workspace::SettingsDto {
            theme: ThemeDto::Dark,
            objective: ObjectiveDto::Cost,
        })
        .unwrap();
        ws.delete_learner(id).unwrap();
        let other = ws.create_learner("Second").unwrap();
        ws.select_learner(other.id).unwrap();
    }
    let ws = open(&db);
    let state = ws.workspace().unwrap();
    assert_eq!(
        state.learners.len(),
        1,
        "the deleted sample does not come back"
    );
    assert_eq!(state.learner.unwrap().name, "Second");
    assert_eq!(state.settings.theme, ThemeDto::Dark);
    assert_eq!(state.settings.objective, ObjectiveDto::Cost);
}

#[test]
fn an_imported_file_replaces_the_bundled_file_of_the_same_name_until_removed() {
    let dir = tempfile::tempdir().unwrap();
    let ws = open(&dir.path().join("stackpath.db"));
    let before = ws.catalog_state().unwrap().info.credentials;
    let (name, bytes) = bundled()
        .into_iter()
        .find(|(n, _)| n == "pmi.pathway.json")
        .unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let result = ws.import_pathway(&name, &text).unwrap();
    assert!(result.replaced);
    assert_eq!(
        result.catalog.info.credentials, before,
        "replaced, not duplicated"
    );
    assert_eq!(result.catalog.imported.len(), 1);
    let after = ws.remove_pathway(&name).unwrap();
    assert_eq!(after.info.credentials, before);
    assert!(after.imported.is_empty());
}

#[test]
fn imported_files_are_kept_in_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("stackpath.db");
    let fixture =
        std::fs::read_to_string(repo().join("tests/e2e/fixtures/xss.pathway.json")).unwrap();
    open(&db)
        .import_pathway("xss.pathway.json", &fixture)
        .unwrap();
    let ws = open(&db);
    let c = ws.credential("xss-test:evil-diploma").unwrap();
    assert!(c.title.contains("<img src=x"));
    assert_eq!(
        ws.catalog_state().unwrap().imported[0].publisher,
        "xss-test"
    );
}

#[test]
fn a_refused_import_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let ws = open(&dir.path().join("stackpath.db"));
    let err = ws
        .import_pathway("bad.pathway.json", r#"{"format": "stackpath.pathway/9"}"#)
        .unwrap_err();
    assert_eq!(err.code, ErrorCodeDto::BadInput);
    assert!(ws.catalog_state().unwrap().imported.is_empty());
}

/// A plan searches the workspace's time limit unless the window asks for
/// longer. A tiny limit leaves the sample's cheapest plan unproven, with its
/// lower bound; the draft never searches longer than the limit (in 10 ms it
/// would prove it); a longer search, asked for by the window or by saving,
/// proves it. Limits outside (0, 3600] seconds are refused in words.
#[test]
fn a_longer_search_proves_what_a_short_limit_left_unproven() {
    let dir = tempfile::tempdir().unwrap();
    let ws = open(&dir.path().join("stackpath.db")).with_time_limit(Duration::from_micros(1));
    assert_eq!(ws.time_limit(), Duration::from_micros(1));
    let id = ws.workspace().unwrap().current.unwrap();
    let learner = ws.learner(id).unwrap();
    let cost = ObjectiveDto::Cost;

    let short = ws.plan(&learner, cost, None).unwrap().plan;
    assert!(short.feasible && !short.optimal, "{short:?}");
    let draft = ws.plan_draft(&learner, cost).unwrap().plan;
    assert!(draft.feasible && !draft.optimal, "{draft:?}");
    let long = ws.plan(&learner, cost, Some(4.0)).unwrap().plan;
    assert!(long.feasible && long.optimal, "{long:?}");
    let usd = |p: &stackpath_app::dto::PlanDto| p.totals.cost["USD"];
    assert_eq!(long.lower_bound, usd(&long));
    assert!(short.lower_bound < usd(&long) && usd(&long) <= usd(&short));

    let saved = ws.save_plan(id, "Quick", cost, None).unwrap();
    assert!(!saved.plan.optimal);
    let saved = ws
        .save_plan(id, "Searched longer", cost, Some(4.0))
        .unwrap();
    assert!(saved.plan.optimal);
    assert_eq!(saved.plan.steps, long.steps);

    for bad in [0.0, -1.0, 3600.5, f64::NAN, f64::INFINITY] {
        let err = ws.plan(&learner, cost, Some(bad)).unwrap_err();
        assert_eq!(err.code, ErrorCodeDto::BadInput);
        assert!(
            err.message.contains("more than 0 and at most 3600 seconds"),
            "{}",
            err.message
        );
        let err = ws.save_plan(id, "Bad", cost, Some(bad)).unwrap_err();
        assert_eq!(err.code, ErrorCodeDto::BadInput);
    }
    assert_eq!(ws.saved_plans(id).unwrap().len(), 2);
    assert_eq!(
        stackpath_app::time_limit_of(3600.0),
        Ok(Duration::from_secs(3600))
    );
}

#[test]
fn a_plan_name_already_saved_is_refused_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let ws = open(&dir.path().join("stackpath.db"));
    let id = ws.workspace().unwrap().current.unwrap();
    ws.save_plan(id, "Fewest steps", ObjectiveDto::Count, None)
        .unwrap();
    let err = ws
        .save_plan(id, " Fewest steps ", ObjectiveDto::Count, None)
        .unwrap_err();
    assert_eq!(err.code, ErrorCodeDto::BadInput);
    assert_eq!(
        err.message,
        "a plan named \"Fewest steps\" is already saved for this learner; choose another name or delete that plan"
    );
    let err = ws
        .save_plan(id, "  ", ObjectiveDto::Count, None)
        .unwrap_err();
    assert_eq!(err.code, ErrorCodeDto::BadInput);
    assert_eq!(ws.saved_plans(id).unwrap().len(), 1);
}

#[test]
fn saved_plans_keep_the_learner_and_plan_as_they_were() {
    let dir = tempfile::tempdir().unwrap();
    let ws = open(&dir.path().join("stackpath.db"));
    let id = ws.workspace().unwrap().current.unwrap();
    let saved = ws
        .save_plan(id, "Fewest steps", ObjectiveDto::Count, None)
        .unwrap();
    let mut learner = ws.learner(id).unwrap();
    learner.holdings.clear();
    ws.save_learner(id, &learner).unwrap();
    let kept = &ws.saved_plans(id).unwrap()[0];
    assert_eq!(kept.id, saved.id);
    assert_eq!(
        kept.learner.holdings.len(),
        2,
        "the snapshot, not today's learner"
    );
    assert_eq!(kept.plan.objective, ObjectiveDto::Count);
}
