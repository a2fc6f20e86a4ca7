//! Stopping a long search (the desktop's Stop button, or an edit during a
//! longer search). In a process of its own: `stop_planning` stops every
//! search in the process, and would stop other tests' plans.

use std::sync::Arc;
use std::time::Duration;

use stackpath_app::dto::ObjectiveDto;

mod common;

/// The sample learner's fastest plan to the CAPM, holding Security+, is not
/// proven in minutes (its own degree's is), so a search of ten minutes runs
/// them all unless stopped. Stopped, it answers with its best plan,
/// unproven; a plan asked for afterwards runs as usual.
#[test]
fn a_stopped_search_answers_at_once_with_its_best_plan() {
    let dir = tempfile::tempdir().unwrap();
    let ws = Arc::new(common::open(&dir.path().join("stackpath.db")));
    let id = ws.workspace().unwrap().current.unwrap();
    let sample = ws.learner(id).unwrap();
    let mut learner = sample.clone();
    learner.target = Some("pmi:capm".into());
    learner.holdings.push(stackpath_app::dto::HoldingDto {
        id: "comptia:security-plus".into(),
        earned: "2026-06-01".into(),
        source: None,
    });

    let (tx, rx) = std::sync::mpsc::channel();
    let (w, l) = (Arc::clone(&ws), learner.clone());
    std::thread::spawn(move || {
        let _ = tx.send(w.plan(&l, ObjectiveDto::Time, Some(600.0)));
    });
    // Stopped again and again, in case the plan had not begun the first
    // time (a stop only stops the searches already under way).
    let answer = (0..300)
        .find_map(|_| {
            ws.stop_planning();
            rx.recv_timeout(Duration::from_millis(200)).ok()
        })
        .expect("the stopped search answers within a minute, not ten");
    let plan = answer.unwrap().plan;
    assert!(plan.feasible && !plan.optimal, "{plan:?}");
    assert!(plan.lower_bound < plan.totals.days as f64);

    let after = ws
        .plan(&sample, ObjectiveDto::Cost, Some(4.0))
        .unwrap()
        .plan;
    assert!(after.feasible && after.optimal, "{after:?}");
}
