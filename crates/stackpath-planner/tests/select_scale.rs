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
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use stackpath_model::Requirement;
use stackpath_planner::audit::audit_instance;
use stackpath_planner::instance::Instance;
use stackpath_planner::select::{select, SelectOptions, SetObjective};

fn prereq(rng: &mut ChaCha8Rng, below: usize) -> Option<Requirement> {
    if below == 0 || rng.gen_bool(0.6) {
        return None;
    }
    let pick = |rng: &mut ChaCha8Rng| leaf(&format!("c{}", rng.gen_range(0..below)));
    Some(match rng.gen_range(0..4) {
        0 => pick(rng),
        1 => all(vec![pick(rng), pick(rng)]),
        2 => any(vec![pick(rng), pick(rng), pick(rng)]),
        _ => at_least(2, vec![pick(rng), pick(rng), pick(rng)]),
    })
}

#[test]
fn a_program_target_in_a_large_catalog_is_planned_optimally() {
    let mut rng = ChaCha8Rng::seed_from_u64(7375);
    let n = 7375;
    let mut creds = Vec::with_capacity(n + 1);
    for i in 0..n {
        // Prerequisites point to lower numbers, mostly nearby, as course
        // numbering does.
        let below = i.min(40);
        let base = i - below;
        let mut c = cred(&format!("c{i}"))
            .cost(f64::from(rng.gen_range(3..9)) * 100.0)
            .effort(f64::from(rng.gen_range(20..60)))
            .credits(4.0);
        if let Some(mut r) = prereq(&mut rng, below) {
            r.visit_mut_ids(base);
            c = c.requires(r);
        }
        if (6000..6030).contains(&i) {
            c = c.tag("pool");
        }
        creds.push(c);
    }
    let core: Vec<Requirement> = (0..8)
        .map(|k| leaf(&format!("c{}", 5000 + k * 37)))
        .collect();
    let electives: Vec<Requirement> = (0..12)
        .map(|k| leaf(&format!("c{}", 6000 + k * 2)))
        .collect();
    creds.push(cred("t").requires(all(vec![
        all(core),
        at_least(4, electives),
        credits(16.0, &[], &["pool"]),
    ])));
    let t0 = Instant::now();
    let cat = catalog(creds, vec![]);
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

/// Rebases `c{k}` leaves by `base`, so prerequisites draw on the 40 courses
/// below each course.
trait Rebase {
    fn visit_mut_ids(&mut self, base: usize);
}

impl Rebase for Requirement {
    fn visit_mut_ids(&mut self, base: usize) {
        use stackpath_model::RequirementKind;
        match &mut self.kind {
            RequirementKind::Credential(cid) => {
                let k: usize = cid.local()[1..].parse().expect("c{k}");
                *cid = id(&format!("c{}", base + k));
            }
            RequirementKind::All(v) | RequirementKind::Any(v) => {
                v.iter_mut().for_each(|r| r.visit_mut_ids(base))
            }
            RequirementKind::AtLeast { of, .. } => {
                of.iter_mut().for_each(|r| r.visit_mut_ids(base))
            }
            RequirementKind::Credits { .. } => {}
        }
    }
}
