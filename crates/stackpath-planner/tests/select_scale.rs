//! A program-sized target in a large random catalog (fixed seed): 8 core
//! courses with AND/OR/two-of prerequisite trees, 4 of 12 electives and 16
//! credits from a tagged pool that overlaps the electives, among thousands
//! of unrelated courses. Checks that the cost plan is proven optimal and
//! that the work stays proportional to the relevant part; prints timings
//! (run with `--release --nocapture` to measure).

#[path = "../src/fixtures.rs"]
mod fixtures;

use std::time::Instant;

use fixtures::*;
use stackpath_planner::audit::audit_instance;
use stackpath_planner::instance::Instance;
use stackpath_planner::select::{select, SelectOptions, SetObjective};

#[test]
fn a_program_target_in_a_large_catalog_is_planned_optimally() {
    let t0 = Instant::now();
    let cat = program_catalog(0.6, false);
    eprintln!("catalog: {:?}", t0.elapsed());

    let holdings = vec![
        holding("c5000", "2026-01-01"),
        holding("c6002", "2026-01-01"),
    ];
    let mut times = Vec::new();
    let mut last = None;
    let runs = if cfg!(debug_assertions) { 1 } else { 5 };
    for _ in 0..runs {
        let t = Instant::now();
        let inst = Instance::build(&cat, &id("t"), &holdings, date("2027-01-04"), 10.0, &[]);
        let sel = select(
            &inst,
            &SelectOptions {
                objective: SetObjective::Cost,
                budget: None,
                currency: None,
                deadline: None,
            },
        )
        .expect("a plan");
        times.push(t.elapsed());
        assert!(sel.optimal);
        assert_eq!(sel.lower_bound, sel.value);
        last = Some((inst, sel));
    }
    let (inst, sel) = last.expect("ran");
    times.sort();
    eprintln!(
        "relevant atoms {}, items {}, plan {} items, cost {}, stats {:?}, median {:?}",
        inst.n_atoms(),
        inst.n_items(),
        sel.items.len(),
        sel.value,
        sel.stats,
        times[times.len() / 2]
    );
    let t = Instant::now();
    let a = audit_instance(&cat, &inst);
    eprintln!("audit (instance built): {:?}", t.elapsed());
    assert!(!a.satisfied);
}
