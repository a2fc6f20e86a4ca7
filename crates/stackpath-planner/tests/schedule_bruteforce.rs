//! The `time` objective against a brute-force optimum on thousands of tiny
//! random instances (fixed seeds): every subset of tasks on every day up to
//! a horizon, so any pruning rule of the search that loses an optimum, or any
//! schedule that breaks a rule, fails here.
//!
//! When the scheduler finds a schedule (checked rule by rule on its own),
//! the brute force only needs to search up to its finish day: anything
//! better ends by then. When it finds none, the brute force searches to a
//! horizon past every window of these instances.

mod schedule_support;

use std::time::Duration;

use fixedbitset::FixedBitSet;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use schedule_support::{brute_force, brute_force_within, catalogs, check, tiny, Instance, Req};
use stackpath_planner::schedule::{
    aiming_before_best, energy_trial_first, fastest, fastest_for, fastest_reference,
    fastest_reference_dominance, rejudging, reverse_search_after, reverse_search_first,
    schedule_set, schedule_set_before, schedule_set_in_tandem, serial_schedules_only, shaving,
    Hints, Limits, Prepared, Problem, Readiness,
};

const HORIZON: u32 = 90;

fn exact() -> Limits {
    Limits {
        time: Duration::from_secs(60),
        nodes: u64::MAX,
    }
}

#[test]
fn fastest_matches_brute_force_on_tiny_instances() {
    let mut rng = ChaCha8Rng::seed_from_u64(0x5eed_0001);
    let (mut feasible, mut infeasible) = (0, 0);
    for case in 0..3000 {
        let inst = tiny(&mut rng, 7);
        let with_deps = case % 2 == 0;
        let got = fastest(&inst.problem(with_deps), &exact(), &Hints::default());
        let horizon = got.as_ref().map_or(HORIZON, |p| p.schedule.finish);
        let expected = brute_force(&inst.problem(true), horizon);
        match (expected, got) {
            (None, Err(_)) => infeasible += 1,
            (Some(e), Ok(plan)) => {
                let key = check(&inst.problem(true), &plan.schedule)
                    .unwrap_or_else(|m| panic!("case {case}: {m}\n{inst:#?}\n{plan:#?}"));
                assert_eq!(key, e, "case {case}: not optimal\n{inst:#?}\n{plan:#?}");
                assert!(plan.optimal && plan.finish_optimal, "case {case}");
                assert_eq!(plan.lower_bound, e.0, "case {case}");
                feasible += 1;
            }
            (e, g) => panic!("case {case}: brute force {e:?}, scheduler {g:?}\n{inst:#?}"),
        }
    }
    // The generator must exercise both outcomes.
    assert!(
        feasible > 1000 && infeasible > 200,
        "{feasible} / {infeasible}"
    );
}

/// The serial schedules that learn from missed windows (the first answer of
/// a set check, and of a dating the list schedules fail): what they return
/// keeps every rule and finishes no earlier than the optimum, and they find
/// a schedule for nearly every instance that has one (a missed window that
/// is not learnt from loses a few).
#[test]
fn serial_schedules_keep_every_rule_and_find_most_schedules() {
    let mut rng = ChaCha8Rng::seed_from_u64(0x5eed_0011);
    let (mut feasible, mut found) = (0, 0);
    for case in 0..3000 {
        let inst = tiny(&mut rng, 7);
        let got = serial_schedules_only(&inst.problem(case % 2 == 0));
        let expected = brute_force(&inst.problem(true), HORIZON);
        match (expected, got) {
            (Some(e), Some(schedule)) => {
                let key = check(&inst.problem(true), &schedule)
                    .unwrap_or_else(|m| panic!("case {case}: {m}\n{inst:#?}\n{schedule:#?}"));
                assert!(key.0 >= e.0, "case {case}: before the optimum");
                feasible += 1;
                found += 1;
            }
            (Some(_), None) => feasible += 1,
            (None, None) => {}
            (None, Some(schedule)) => {
                panic!("case {case}: no schedule exists\n{inst:#?}\n{schedule:#?}")
            }
        }
    }
    assert!(feasible > 1000, "{feasible}");
    // All 1,914 today; without learning from misses (one order) 1,908.
    assert!(found + 3 >= feasible, "{found} of {feasible}");
}

#[test]
fn a_cheap_hint_never_changes_the_optimum() {
    let mut rng = ChaCha8Rng::seed_from_u64(0x5eed_0002);
    for case in 0..500 {
        let inst = tiny(&mut rng, 7);
        let Ok(plain) = fastest(&inst.problem(true), &exact(), &Hints::default()) else {
            continue;
        };
        let expected = brute_force(&inst.problem(true), plain.schedule.finish).expect("feasible");
        // Any set at all as a hint: the search must stay exact.
        let hint: Vec<usize> = (0..inst.tasks.len())
            .filter(|i| (case >> i) & 1 == 1)
            .collect();
        let hints = Hints {
            sets: vec![hint],
            tiebreak_floor: None,
        };
        let plan = fastest(&inst.problem(true), &exact(), &hints).expect("feasible");
        assert_eq!(
            check(&inst.problem(true), &plan.schedule).unwrap(),
            expected,
            "case {case}"
        );
    }
}

#[test]
fn schedule_set_is_the_earliest_schedule_of_the_optimal_set() {
    let mut rng = ChaCha8Rng::seed_from_u64(0x5eed_0003);
    for case in 0..800 {
        let inst = tiny(&mut rng, 7);
        let Ok(best) = fastest(&inst.problem(true), &exact(), &Hints::default()) else {
            continue;
        };
        let expected = brute_force(&inst.problem(true), best.schedule.finish).expect("feasible");
        let set: Vec<usize> = best.schedule.steps.iter().map(|s| s.task).collect();
        let dated = schedule_set(&inst.problem(case % 2 == 0), &set, &exact())
            .unwrap_or_else(|u| panic!("case {case}: {u:?}"));
        let mut got: Vec<usize> = dated.schedule.steps.iter().map(|s| s.task).collect();
        got.sort_unstable();
        let mut want = set.clone();
        want.sort_unstable();
        assert_eq!(
            got, want,
            "case {case}: schedule_set must date exactly the set"
        );
        // The optimal set's own earliest finish is the optimum.
        assert_eq!(dated.schedule.finish, expected.0, "case {case}\n{inst:#?}");
        assert!(dated.optimal, "case {case}");
    }
}

/// The goal "every task of `set` done", with the tasks outside it never
/// ready: the brute force then finds the set's own earliest schedule.
struct OnlySet<'a> {
    inner: &'a dyn Readiness,
    set: FixedBitSet,
}

impl<'a> OnlySet<'a> {
    /// A random subset of `inst`'s tasks (each in with probability `p`), and
    /// its own readiness.
    fn random(rng: &mut impl Rng, inst: &'a Instance, p: f64) -> (Vec<usize>, OnlySet<'a>) {
        let n = inst.tasks.len();
        let set: Vec<usize> = (0..n).filter(|_| rng.gen_bool(p)).collect();
        let mut members = FixedBitSet::with_capacity(n);
        set.iter().for_each(|&i| members.insert(i));
        let only = OnlySet {
            inner: &inst.oracle,
            set: members,
        };
        (set, only)
    }

    /// `inst` with the goal "every task of the set done", for brute force.
    fn problem<'b>(&'b self, inst: &'b Instance) -> Problem<'b> {
        Problem {
            readiness: self,
            dependencies: None,
            ..inst.problem(true)
        }
    }
}

impl Readiness for OnlySet<'_> {
    fn ready(&self, i: usize, done: &FixedBitSet) -> bool {
        self.set.contains(i) && self.inner.ready(i, done)
    }

    fn target_held(&self, done: &FixedBitSet) -> bool {
        self.set.is_subset(done)
    }
}

#[test]
fn schedule_set_dates_any_set_at_its_earliest() {
    // Any subset, not only optimal ones: sets with slack, with tasks whose
    // requirements the set cannot meet, with windows and capacity that
    // delay some of them; the deadline reasoning (latest starts, compulsory
    // parts, energy) must never rule out the set's earliest schedule.
    let mut rng = ChaCha8Rng::seed_from_u64(0x5eed_0007);
    let (mut dated, mut undatable) = (0, 0);
    for case in 0..3000 {
        let inst = tiny(&mut rng, 7);
        let (set, only) = OnlySet::random(&mut rng, &inst, 0.6);
        let reference = only.problem(&inst);
        let got = schedule_set(&inst.problem(case % 2 == 0), &set, &exact());
        let horizon = got.as_ref().map_or(HORIZON, |p| p.schedule.finish);
        match (brute_force(&reference, horizon), got) {
            (None, Err(_)) => undatable += 1,
            (Some(e), Ok(plan)) => {
                check(&reference, &plan.schedule)
                    .unwrap_or_else(|m| panic!("case {case}: {m}\n{inst:#?}\n{set:?}"));
                assert_eq!(
                    plan.schedule.finish, e.0,
                    "case {case}: not the earliest\n{inst:#?}\n{set:?}\n{plan:#?}"
                );
                // A set's schedules all cost the same: the finish is the key.
                assert!(plan.finish_optimal && plan.optimal, "case {case}");
                assert_eq!(plan.lower_bound, e.0, "case {case}");
                dated += 1;
            }
            (e, g) => panic!("case {case}: brute force {e:?}, scheduler {g:?}\n{inst:#?}\n{set:?}"),
        }
    }
    assert!(dated > 1000 && undatable > 300, "{dated} / {undatable}");
}

/// Searches 3,000 random tiny instances with a rule of the search on and
/// off (`rule`): dating a random set, or, with `target_too`, every third
/// instance's own target search. Both ways must find the same earliest
/// finish, proven. Returns the nodes in all with the rule and without, and
/// the instances with fewer and with more nodes with it.
fn nodes_with_and_without(seed: u64, rule: fn(bool), target_too: bool) -> [u64; 4] {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (mut with, mut without, mut fewer, mut more) = (0, 0, 0, 0);
    for case in 0..3000 {
        let inst = tiny(&mut rng, 14);
        let (set, _) = OnlySet::random(&mut rng, &inst, 0.8);
        let problem = inst.problem(case % 2 == 0);
        let search = |on: bool| {
            rule(on);
            let found = if target_too && case % 3 == 0 {
                fastest(&problem, &exact(), &Hints::default())
            } else {
                schedule_set(&problem, &set, &exact())
            };
            rule(true);
            found
        };
        match (search(true), search(false)) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a.schedule.finish, b.schedule.finish, "case {case}");
                assert!(a.finish_optimal && b.finish_optimal, "case {case}");
                with += a.stats.nodes;
                without += b.stats.nodes;
                fewer += u64::from(a.stats.nodes < b.stats.nodes);
                more += u64::from(a.stats.nodes > b.stats.nodes);
            }
            (Err(_), Err(_)) => {}
            (a, b) => panic!("case {case}: with the rule {a:?}, without {b:?}"),
        }
    }
    [with, without, fewer, more]
}

#[test]
fn shaving_the_start_ranges_only_cuts() {
    // Dating a set shaves the items' start ranges (a first start day that,
    // fixed, empties some range under the timetable is dropped). With it
    // and without, every set has the same earliest finish; with it the
    // search visits fewer nodes in all, and on some sets (most need none
    // past the root at this size) fewer, rarely more.
    let [with, without, fewer, more] = nodes_with_and_without(0x5eed_0011, shaving, false);
    assert!(
        with < without && fewer >= 10 && fewer > 4 * more,
        "nodes {with} with shaving, {without} without; fewer on {fewer} sets, more on {more}"
    );
}

#[test]
fn serial_schedules_aimed_before_the_best_finish_only_cut() {
    // Dating a set tries serial schedules ordered by the latest starts of
    // the day before the best finish so far. With them and without, every
    // set has the same earliest finish; with them the search visits fewer
    // nodes in all, and fewer on some sets, rarely more.
    let [with, without, fewer, more] =
        nodes_with_and_without(0x5eed_0013, aiming_before_best, false);
    assert!(
        with < without && fewer >= 10 && fewer > 4 * more,
        "nodes {with} aiming, {without} not; fewer on {fewer} sets, more on {more}"
    );
}

#[test]
fn the_energy_below_the_root_only_cuts() {
    // Below the root of a set's dating, the energy judges nodes only while
    // it cuts one in a hundred, after a trial of 256 (which these small
    // sets rarely finish, so they are judged at every node). Asking at
    // once whether it pays (it stops after a first node it does not cut),
    // every set has the same earliest finish, and the search visits more
    // nodes in all. Without the serial schedules aimed before the best
    // finish, which leave these sets little to search below the root.
    fn rule(on: bool) {
        aiming_before_best(false);
        energy_trial_first(on);
    }
    let [with, without, fewer, more] = nodes_with_and_without(0x5eed_0017, rule, false);
    assert!(
        with < without && fewer > more,
        "nodes {with} with the trial, {without} without; fewer on {fewer} sets, more on {more}"
    );
}

#[test]
fn judging_a_node_again_after_a_better_schedule_only_cuts() {
    // When the search finds a better schedule below a node, the node's
    // bounds and start ranges are judged again for the new deadline before
    // its next branch. With it and without, dating a set and the target's
    // own search find the same earliest finish, and with it the searches
    // visit fewer nodes in all, rarely more on one instance. Without the
    // serial schedules aimed before the best finish, which find most of
    // these sets' earliest schedules at the root, leaving little to judge
    // again.
    fn rule(on: bool) {
        aiming_before_best(false);
        rejudging(on);
    }
    let [with, without, fewer, more] = nodes_with_and_without(0x5eed_0012, rule, true);
    assert!(
        with < without && fewer >= 10 && fewer > 4 * more,
        "nodes {with} judged again, {without} not; fewer on {fewer} instances, more on {more}"
    );
}

#[test]
fn a_reverse_search_changes_the_nodes_but_never_the_schedule() {
    // A reverse search dates the same set on another thread, branches in
    // reverse order, and tells the main search of subtrees with nothing better
    // than its best, and of the least finish once it has searched everything.
    // Whatever it got done, the main search returns the schedule it finds
    // alone, step for step. Run first and to its end (the most it can tell), it
    // cuts the main search's nodes on the sets that need a search (most at this
    // size are settled at the root); run beside it, from the start, it tells
    // what it has when it has it.
    let mut rng = ChaCha8Rng::seed_from_u64(0x5eed_0013);
    let (mut fewer, mut more) = (0, 0);
    for case in 0..3000 {
        let inst = tiny(&mut rng, 14);
        let problem = inst.problem(case % 2 == 0);
        let (set, _) = OnlySet::random(&mut rng, &inst, 0.8);
        let oracle = || Box::new(inst.oracle.clone()) as Box<dyn Readiness>;
        let alone = schedule_set(&problem, &set, &exact());
        let first = case % 2 == 0;
        reverse_search_first(first);
        reverse_search_after(Some(Duration::ZERO));
        let in_tandem = schedule_set_in_tandem(&problem, &oracle, &set, &exact());
        reverse_search_first(false);
        reverse_search_after(Some(Duration::from_millis(5)));
        match (alone, in_tandem) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a.schedule, b.schedule, "case {case}\n{inst:#?}\n{set:?}");
                assert!(a.finish_optimal && b.finish_optimal, "case {case}");
                if first {
                    fewer += usize::from(b.stats.nodes < a.stats.nodes);
                    more += usize::from(b.stats.nodes > a.stats.nodes);
                }
            }
            (Err(_), Err(_)) => {}
            (a, b) => panic!("case {case}: alone {a:?}, in tandem {b:?}"),
        }
    }
    assert!(
        fewer >= 3 && fewer > 4 * more,
        "reverse search first: fewer nodes on {fewer} sets, more on {more}"
    );
}

#[test]
fn dating_a_set_to_beat_a_day_finds_its_earliest_schedule_when_it_does() {
    // How a tied plan is dated: only a schedule finishing before another
    // plan's finish is of interest, and the search gives up as soon as its
    // bounds reach that day. Days just after, at and just before each
    // set's earliest finish must each be answered right.
    let mut rng = ChaCha8Rng::seed_from_u64(0x5eed_000d);
    let (mut beaten, mut not) = (0, 0);
    for case in 0..3000 {
        let inst = tiny(&mut rng, 8);
        let (set, only) = OnlySet::random(&mut rng, &inst, 0.8);
        let reference = only.problem(&inst);
        let Some(earliest) = brute_force(&reference, HORIZON).map(|k| k.0) else {
            continue;
        };
        let before = [earliest + 1, earliest, earliest.saturating_sub(1)][case % 3].max(1);
        match schedule_set_before(&inst.problem(case % 2 == 0), &set, &exact(), before) {
            Ok(plan) if earliest < before => {
                check(&reference, &plan.schedule)
                    .unwrap_or_else(|m| panic!("case {case}: {m}\n{inst:#?}\n{set:?}"));
                assert_eq!(
                    plan.schedule.finish, earliest,
                    "case {case}: day {before}\n{inst:#?}\n{set:?}\n{plan:#?}"
                );
                beaten += 1;
            }
            Ok(plan) => {
                assert!(plan.schedule.finish >= before, "case {case}");
                not += 1;
            }
            Err(_) => {
                assert!(earliest >= before, "case {case}: day {before} missed");
                not += 1;
            }
        }
    }
    assert!(beaten > 300 && not > 400, "{beaten} / {not}");
}

#[test]
fn set_dating_claims_under_tight_node_limits_are_true() {
    // As below for the target, for a given set: a stopped search may
    // return a late schedule, but what it claims must hold.
    let mut rng = ChaCha8Rng::seed_from_u64(0x5eed_000c);
    let (mut stopped, mut claimed) = (0, 0);
    for case in 0..3000 {
        let inst = tiny(&mut rng, 10);
        let (set, only) = OnlySet::random(&mut rng, &inst, 0.85);
        let reference = only.problem(&inst);
        let limits = Limits {
            time: Duration::from_secs(60),
            nodes: [1, 2, 4, 8][case % 4],
        };
        // Half without the serial schedules aimed before the best finish,
        // which settle most of these sets at the root: more searches stop.
        aiming_before_best(case % 8 < 4);
        let dated = schedule_set(&inst.problem(true), &set, &limits);
        aiming_before_best(true);
        let Ok(plan) = dated else {
            continue;
        };
        check(&reference, &plan.schedule)
            .unwrap_or_else(|m| panic!("case {case}: {m}\n{inst:#?}\n{set:?}"));
        let best = brute_force(&reference, plan.schedule.finish).expect("feasible");
        stopped += usize::from(plan.stats.stopped);
        assert!(plan.lower_bound <= best.0, "case {case}: bound above");
        if plan.optimal || plan.finish_optimal {
            assert_eq!(
                plan.schedule.finish, best.0,
                "case {case}: claimed earliest\n{inst:#?}\n{set:?}\n{plan:#?}"
            );
            claimed += 1;
        }
    }
    assert!(stopped > 20 && claimed > 600, "{stopped} / {claimed}");
}

#[test]
fn fastest_matches_brute_force_on_tiny_real_catalogs() {
    // Real catalogs through the real oracle: k-of-n, credit pools by id and
    // tag, shared nodes, equivalences, holdings (expired ones too), unknown
    // ids, soft and hard cycles, date and month windows, capacity.
    let mut rng = ChaCha8Rng::seed_from_u64(0x5eed_0004);
    let (mut feasible, mut infeasible) = (0, 0);
    for case in 0..2000 {
        let built = catalogs::tiny(&mut rng, 7);
        let inst = &built.instance;
        let prepared = Prepared::new(inst);
        let problem = prepared.problem(inst);
        let got = fastest_for(inst, &exact(), &Hints::default());
        let horizon = got.as_ref().map_or(HORIZON, |p| p.schedule.finish);
        let expected = brute_force(&problem, horizon);
        match (expected, got) {
            (None, Err(_)) => infeasible += 1,
            (Some(e), Ok(plan)) => {
                let key = check(&problem, &plan.schedule)
                    .unwrap_or_else(|m| panic!("case {case}: {m}\n{}", built.description));
                assert_eq!(key, e, "case {case}: not optimal\n{}", built.description);
                assert!(plan.optimal, "case {case}");
                feasible += 1;
            }
            (e, g) => panic!(
                "case {case}: brute force {e:?}, scheduler {g:?}\n{}",
                built.description
            ),
        }
    }
    assert!(
        feasible > 800 && infeasible > 300,
        "{feasible} / {infeasible}"
    );
}

#[test]
fn claims_under_tight_node_limits_are_true() {
    // Small node limits stop the search early, often with a schedule that is
    // not optimal: whatever is claimed (optimal, finish optimal, lower
    // bound) must still hold.
    let mut rng = ChaCha8Rng::seed_from_u64(0x5eed_0005);
    let mut stopped = 0;
    for case in 0..2000 {
        let inst = tiny(&mut rng, 8);
        let limits = Limits {
            time: Duration::from_secs(60),
            nodes: [1, 3, 10, 30][case % 4],
        };
        let Ok(plan) = fastest(&inst.problem(true), &limits, &Hints::default()) else {
            continue;
        };
        let problem = inst.problem(true);
        let key = check(&problem, &plan.schedule)
            .unwrap_or_else(|m| panic!("case {case}: {m}\n{inst:#?}\n{plan:#?}"));
        let best = brute_force(&problem, plan.schedule.finish).expect("feasible");
        stopped += usize::from(plan.stats.stopped);
        assert!(
            plan.lower_bound <= best.0,
            "case {case}: bound above the optimum"
        );
        if plan.finish_optimal {
            assert_eq!(
                plan.schedule.finish, best.0,
                "case {case}: finish claimed optimal"
            );
        }
        if plan.optimal {
            assert_eq!(
                key, best,
                "case {case}: claimed optimal\n{inst:#?}\n{plan:#?}"
            );
        }
    }
    assert!(stopped > 100, "{stopped}");
}

#[test]
fn the_full_strategy_agrees_with_a_plain_search_on_medium_instances() {
    // Past brute-force sizes the heuristics (greedy, restricted searches,
    // threshold deepening) stop finding the optimum by themselves, so this
    // is where their bookkeeping is tested: the plain branch and bound, whose
    // pruning rules the brute force checks, must agree.
    let mut rng = ChaCha8Rng::seed_from_u64(0x5eed_0006);
    let mut compared = 0;
    for case in 0..400 {
        let inst = tiny(&mut rng, 12);
        let problem = inst.problem(true);
        let limits = Limits {
            time: Duration::from_secs(60),
            nodes: 200_000,
        };
        let (Ok(full), Ok(plain)) = (
            fastest(&problem, &limits, &Hints::default()),
            fastest_reference(&problem, &limits),
        ) else {
            continue;
        };
        let key = check(&problem, &full.schedule).unwrap_or_else(|m| panic!("case {case}: {m}"));
        if plain.optimal {
            assert!(full.lower_bound <= plain.schedule.finish, "case {case}");
            if full.optimal {
                assert_eq!(key, plain.schedule.key(), "case {case}\n{inst:#?}");
            }
            compared += 1;
        }
    }
    assert!(compared > 200, "{compared}");
}

#[test]
fn cutting_dominated_partial_schedules_loses_no_optimum() {
    // The plain branch and bound with the dominance rule alone: no greedy
    // schedule or other heuristic finds the optimum first, so a rule that
    // cuts a partial schedule it should not shows here, against brute force
    // on tiny instances and against the plain search on larger ones.
    let mut rng = ChaCha8Rng::seed_from_u64(0x5eed_000b);
    let (mut tiny_cases, mut medium_cases) = (0, 0);
    let (mut nodes_with, mut nodes_without) = (0, 0);
    for case in 0..3000 {
        let inst = tiny(&mut rng, 8);
        let problem = inst.problem(case % 2 == 0);
        let got = fastest_reference_dominance(&problem, &exact());
        let horizon = got.as_ref().map_or(HORIZON, |p| p.schedule.finish);
        match (brute_force(&inst.problem(true), horizon), got) {
            (None, Err(_)) => {}
            (Some(e), Ok(plan)) => {
                let key = check(&inst.problem(true), &plan.schedule)
                    .unwrap_or_else(|m| panic!("case {case}: {m}\n{inst:#?}\n{plan:#?}"));
                assert_eq!(key, e, "case {case}: not optimal\n{inst:#?}\n{plan:#?}");
                assert!(plan.optimal, "case {case}");
                tiny_cases += 1;
            }
            (e, g) => panic!("case {case}: brute force {e:?}, scheduler {g:?}\n{inst:#?}"),
        }
    }
    for case in 0..600 {
        // Every task that fits the capacity needed, so the search is long.
        let mut inst = tiny(&mut rng, 11);
        let all = (0..inst.tasks.len())
            .filter(|&i| inst.tasks[i].weekly <= inst.capacity)
            .map(Req::Task)
            .collect();
        inst.oracle.target = Req::All(all);
        inst.deps = inst.oracle.dependencies();
        (inst.floors, inst.packing) = (Vec::new(), Vec::new());
        let problem = inst.problem(true);
        let limits = Limits {
            time: Duration::from_secs(60),
            nodes: 300_000,
        };
        let (Ok(with), Ok(plain)) = (
            fastest_reference_dominance(&problem, &limits),
            fastest_reference(&problem, &limits),
        ) else {
            continue;
        };
        if plain.optimal {
            check(&problem, &with.schedule).unwrap_or_else(|m| panic!("case {case}: {m}"));
            assert!(with.optimal, "case {case}: the rule made the search longer");
            assert_eq!(
                with.schedule.key(),
                plain.schedule.key(),
                "case {case}\n{inst:#?}"
            );
            medium_cases += 1;
            nodes_with += with.stats.nodes;
            nodes_without += plain.stats.nodes;
        }
    }
    // And the rule does cut: the searches are shorter with it.
    eprintln!("{medium_cases}: {nodes_with} nodes with the rule, {nodes_without} without");
    assert!(
        tiny_cases > 1000 && medium_cases > 200,
        "{tiny_cases} / {medium_cases}"
    );
    assert!(
        nodes_with * 10 < nodes_without * 9,
        "{nodes_with} nodes with the rule, {nodes_without} without"
    );
}

#[test]
fn the_fastest_plan_within_a_budget_matches_brute_force() {
    let mut rng = ChaCha8Rng::seed_from_u64(0x5eed_0007);
    let (mut feasible, mut over) = (0, 0);
    for case in 0..1500 {
        let inst = tiny(&mut rng, 7);
        let budget = (case % 7) as i64;
        let problem = Problem {
            budget: Some(budget),
            ..inst.problem(true)
        };
        let got = fastest(&problem, &exact(), &Hints::default());
        let horizon = got.as_ref().map_or(HORIZON, |p| p.schedule.finish);
        match (brute_force_within(&problem, horizon, Some(budget)), got) {
            (None, Err(u)) => over += usize::from(u.over_budget),
            (Some(e), Ok(plan)) => {
                let key = check(&problem, &plan.schedule)
                    .unwrap_or_else(|m| panic!("case {case}: {m}\n{inst:#?}"));
                assert!(key.1 <= budget, "case {case}: over budget");
                assert_eq!(key, e, "case {case}: not optimal\n{inst:#?}\n{plan:#?}");
                assert!(plan.optimal, "case {case}");
                feasible += 1;
            }
            (e, g) => panic!("case {case}: brute force {e:?}, scheduler {g:?}\n{inst:#?}"),
        }
    }
    assert!(feasible > 400 && over > 50, "{feasible} / {over}");
}
