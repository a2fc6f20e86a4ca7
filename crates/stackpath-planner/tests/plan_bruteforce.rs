//! Plans under the set objectives (`cost`, `effort`, `count`) against a
//! brute force over every set of items and every schedule of it, on
//! thousands of tiny real catalogs with listed start dates, month intakes,
//! capacity and every requirement construct (fixed seeds):
//!
//! - a plan exists exactly when some set of items within the budget (every
//!   fifth case has one) can be scheduled to reach the target (start dates
//!   can rule out the cheapest set; the plan must then be the cheapest set
//!   that can be scheduled, not "unreachable");
//! - its objective value is the least of any set that can be scheduled, and
//!   it says so (`optimal`, `lower_bound`);
//! - its dates are a valid schedule of its items;
//! - ties on the objective are broken by finish date, then by the other
//!   objectives, among the minimal plans (no item can be left out);
//! - dating the set search's best set ahead, on a second thread, changes no
//!   plan.

mod schedule_support;

use std::time::{Duration, Instant};

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use schedule_support::{brute_force, catalogs, check};
use stackpath_model::{Catalog, Money};
use stackpath_planner::instance::{BitSet, Instance, ItemId, StartRule};
use stackpath_planner::plan::{plan, Objective, PlanOutcome, PlanRequest};
use stackpath_planner::schedule::{Prepared, Problem, Schedule, Step, Window};

/// Days past which the brute force stops looking when the planner found
/// nothing (beyond every listed date of these catalogs and the first
/// month intakes).
const HORIZON: u32 = 90;

/// `(main objective, then the others in the spec's order without time)`
/// for a set: the key the planner minimises after the finish date.
fn key(inst: &Instance, objective: Objective, set: &[ItemId]) -> (u64, u64, u64) {
    let cost: u64 = set.iter().map(|&i| inst.items[i].cost.max(0) as u64).sum();
    let effort: u64 = set.iter().map(|&i| inst.items[i].effort).sum();
    let count = set.len() as u64;
    match objective {
        Objective::Cost => (cost, effort, count),
        Objective::Effort => (effort, cost, count),
        _ => (count, cost, effort),
    }
}

/// The earliest day a schedule using only `set` holds the target, if any.
fn earliest(inst: &Instance, prepared: &Prepared, set: &BitSet, horizon: u32) -> Option<u32> {
    let mut tasks = prepared.tasks.clone();
    for (i, t) in tasks.iter_mut().enumerate() {
        if !set.contains(i) {
            t.window = Window::Days(Vec::new());
        }
    }
    let problem = Problem {
        tasks: &tasks,
        ..prepared.problem(inst)
    };
    brute_force(&problem, horizon).map(|k| k.0)
}

fn is_minimal(inst: &Instance, set: &BitSet) -> bool {
    set.ones().all(|i| {
        let mut less = set.clone();
        less.set(i, false);
        !inst.closure(&less).target_held
    })
}

/// The plan's items, and its steps as a schedule of the instance's tasks.
fn as_schedule(inst: &Instance, outcome: &PlanOutcome) -> (Vec<ItemId>, Schedule) {
    let start = outcome.start;
    let day = |d: chrono::NaiveDate| (d - start).num_days() as u32;
    let steps: Vec<Step> = outcome
        .steps
        .iter()
        .map(|s| Step {
            task: inst.atom_of_id(&s.id).expect("an item"),
            start: day(s.start),
            finish: day(s.finish),
        })
        .collect();
    let items: Vec<ItemId> = steps.iter().map(|s| s.task).collect();
    let t = outcome.totals.as_ref().expect("totals");
    let schedule = Schedule {
        finish: t.days,
        cost: items.iter().map(|&i| inst.items[i].cost).sum(),
        effort: items.iter().map(|&i| inst.items[i].effort).sum(),
        steps,
    };
    (items, schedule)
}

/// The request of a test case: the catalog's learner, a budget in cents.
fn request(built: &catalogs::Built, objective: Objective, budget: Option<i64>) -> PlanRequest {
    PlanRequest {
        target: built.target.clone(),
        holdings: built.holdings.clone(),
        start: chrono::NaiveDate::parse_from_str(catalogs::START, "%Y-%m-%d").unwrap(),
        hours_per_week: built.hours,
        budget: budget.map(|cents| Money {
            amount: cents as f64 / 100.0,
            currency: "USD".into(),
        }),
        avoid: Vec::new(),
        objective,
        time_limit: Some(Duration::from_secs(60)),
    }
}

/// Every set within the budget that makes the target held, with its
/// earliest finish using only its own items; and the least value of any
/// such set, dated or not.
fn plans_by_brute_force(
    inst: &Instance,
    prepared: &Prepared,
    objective: Objective,
    budget: Option<i64>,
    horizon: u32,
) -> (Vec<(BitSet, u32)>, Option<u64>) {
    let n = inst.n_items();
    let mut schedulable: Vec<(BitSet, u32)> = Vec::new();
    let mut unscheduled_best: Option<u64> = None;
    for mask in 0u32..(1 << n) {
        let mut set = BitSet::with_capacity(n);
        (0..n)
            .filter(|i| mask >> i & 1 == 1)
            .for_each(|i| set.insert(i));
        if !inst.closure(&set).target_held {
            continue;
        }
        let cost: i64 = set.ones().map(|i| inst.items[i].cost).sum();
        if budget.is_some_and(|b| cost > b) {
            continue;
        }
        let value = key(inst, objective, &set.ones().collect::<Vec<_>>()).0;
        unscheduled_best = Some(unscheduled_best.map_or(value, |b| b.min(value)));
        if let Some(f) = earliest(inst, prepared, &set, horizon) {
            schedulable.push((set, f));
        }
    }
    (schedulable, unscheduled_best)
}

/// The least main value of the sets that can be scheduled.
fn least_value(inst: &Instance, objective: Objective, sets: &[(BitSet, u32)]) -> Option<u64> {
    sets.iter()
        .map(|(s, _)| key(inst, objective, &s.ones().collect::<Vec<_>>()).0)
        .min()
}

#[test]
fn set_objective_plans_match_brute_force_over_sets_and_schedules() {
    let mut rng = ChaCha8Rng::seed_from_u64(0x5eed_0101);
    let (mut feasible, mut infeasible, mut windows_bite, mut ties) = (0, 0, 0, 0);
    for case in 0..12_000 {
        let built = catalogs::tiny_with(&mut rng, 7, case % 4 != 0);
        let inst = &built.instance;
        let objective = [Objective::Cost, Objective::Effort, Objective::Count][case % 3];
        // Every fifth case has a budget of 0 to 3 dollars.
        let budget = (case % 5 == 4).then(|| ((case / 5) % 4) as i64 * 100);
        let got = plan(&built.catalog, &request(&built, objective, budget));
        let prepared = Prepared::new(inst);
        let horizon = got.totals.as_ref().map_or(HORIZON, |t| t.days.max(HORIZON));

        let (schedulable, unscheduled_best) =
            plans_by_brute_force(inst, &prepared, objective, budget, horizon);
        let ctx = || {
            format!(
                "case {case}, {objective:?}\n{}\n{got:#?}",
                built.description
            )
        };
        let Some(best) = least_value(inst, objective, &schedulable) else {
            assert!(!got.feasible, "no set can be scheduled: {}", ctx());
            infeasible += 1;
            windows_bite += usize::from(unscheduled_best.is_some());
            continue;
        };
        assert!(got.feasible, "a set can be scheduled: {}", ctx());
        assert!(got.optimal, "{}", ctx());
        feasible += 1;

        let (items, schedule) = as_schedule(inst, &got);
        check(&prepared.problem(inst), &schedule)
            .unwrap_or_else(|m| panic!("invalid schedule: {m}: {}", ctx()));
        let ours = key(inst, objective, &items);
        assert_eq!(ours.0, best, "not the least value: {}", ctx());

        // The cheapest plan by the set alone would not do: start dates
        // decided it.
        windows_bite += usize::from(unscheduled_best != Some(best));

        // Ties: among the minimal plans of the least value that can be
        // scheduled, the earliest finish, then the other objectives.
        let tied: Vec<(u32, (u64, u64, u64))> = schedulable
            .iter()
            .filter(|(s, _)| is_minimal(inst, s))
            .map(|(s, f)| (*f, key(inst, objective, &s.ones().collect::<Vec<_>>())))
            .filter(|(_, k)| k.0 == best)
            .collect();
        if tied.len() > 1 {
            ties += 1;
        }
        if let Some(want) = tied.iter().min() {
            assert_eq!(
                (schedule.finish, ours),
                *want,
                "tie not broken by finish date, then the other objectives: {}",
                ctx()
            );
        }
    }
    assert!(
        feasible > 500 && infeasible > 100 && windows_bite > 40 && ties > 100,
        "{feasible} feasible / {infeasible} infeasible / {windows_bite} decided by start dates / {ties} ties"
    );
}

/// The set search tells a second thread of each better set, which dates it
/// at once; the plan takes those dates when the search ends on that set.
/// Here every search does so from its first set (the default waits a
/// millisecond, longer than these searches take), and every plan must be
/// the one made without: same steps, dates, totals and claims.
#[test]
fn dating_ahead_changes_no_plan() {
    use stackpath_planner::plan::{date_ahead_after, dated_ahead};
    let mut rng = ChaCha8Rng::seed_from_u64(0x5eed_0103);
    let (mut feasible, mut infeasible) = (0, 0);
    let taken_before = dated_ahead();
    for case in 0..3_000 {
        let built = catalogs::tiny_with(&mut rng, 7, case % 4 != 0);
        let objective = [Objective::Cost, Objective::Effort, Objective::Count][case % 3];
        let budget = (case % 5 == 4).then(|| ((case / 5) % 4) as i64 * 100);
        let req = request(&built, objective, budget);
        date_ahead_after(None);
        let without = plan(&built.catalog, &req);
        date_ahead_after(Some(Duration::ZERO));
        let ahead = plan(&built.catalog, &req);
        assert_eq!(
            ahead, without,
            "case {case}, {objective:?}\n{}",
            built.description
        );
        if without.feasible {
            feasible += 1;
        } else {
            infeasible += 1;
        }
    }
    date_ahead_after(Some(Duration::from_millis(1)));
    let taken = dated_ahead() - taken_before;
    assert!(
        feasible > 1_000 && infeasible > 100 && taken > 1_000,
        "{feasible} feasible / {infeasible} infeasible / {taken} dated ahead"
    );
}

/// The set search's check of a set (does some part of it that holds the
/// target have a schedule?) against the brute force over the set's subsets
/// and their schedules, on thousands of tiny dated catalogs (most crowded
/// on a few days) and random sets. Each set is checked four ways: as the
/// planner does; without list schedules, dating the set's core parts (tasks
/// without start dates that nothing dated waits on left to the end);
/// without list schedules, searching the set; and dating the core parts
/// with the plan's deadline already passed. "Yes" only when some subset
/// has a schedule; "no" with a superset of the set none of whose subsets has
/// one; "undecided" (with a superset of the set) only past the deadline,
/// never otherwise on catalogs this small.
#[test]
fn set_checks_match_brute_force() {
    // The brute force goes day by day, a frame a day, over years.
    std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(set_checks_match_brute_force_on_this_thread)
        .expect("a thread")
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e));
}

fn set_checks_match_brute_force_on_this_thread() {
    use rand::seq::SliceRandom;
    use rand::Rng;
    use stackpath_planner::schedule::{
        check_set_for, cores_dated, dating_cores_in_set_checks, list_schedules_in_set_checks,
    };
    use stackpath_planner::select::Verdict;
    let mut rng = ChaCha8Rng::seed_from_u64(0x5eed_0103);
    let (mut yes, mut no, mut grown) = (0, 0, 0);
    // Checks left undecided by a deadline that had passed.
    let mut undecided_late = 0;
    // Sets with no schedule in catalogs where other sets have one.
    let mut some_elsewhere = 0;
    let dated_before = cores_dated();
    for case in 0..4_000 {
        let built = if case % 4 == 0 {
            catalogs::tiny_with(&mut rng, 8, true)
        } else {
            catalogs::crowded(&mut rng, 8)
        };
        let inst = &built.instance;
        let n = inst.n_items();
        let prepared = Prepared::new(inst);
        let mut order: Vec<ItemId> = (0..n).collect();
        order.shuffle(&mut rng);
        // A random set, or every other case a random minimal plan (items
        // added in a random order until the target is held, then each left
        // out if it can be): a set whose alternatives lie outside it.
        let mut set = BitSet::with_capacity(n);
        if case % 2 == 0 {
            (0..n)
                .filter(|_| rng.gen_bool([0.35, 0.5, 0.7][case % 3]))
                .for_each(|i| set.insert(i));
        } else {
            for &i in &order {
                if !inst.closure(&set).target_held {
                    set.insert(i);
                }
            }
            for &i in order.iter().rev() {
                set.set(i, false);
                if !inst.closure(&set).target_held {
                    set.insert(i);
                }
            }
            order.shuffle(&mut rng);
        }
        // Past every listed date, and a year for each task (a month intake
        // comes round once a year), with room for every task after it.
        let horizon = HORIZON + 366 * n as u32 + prepared.tasks.iter().map(|t| t.days).sum::<u32>();
        let schedulable = |s: &BitSet| earliest(inst, &prepared, s, horizon).is_some();
        let mut everything = BitSet::with_capacity(n);
        everything.insert_range(..);
        // The fourth way dates the cores with a deadline already passed:
        // what a stopped dating cannot tell must stay undecided.
        for (lists, cores, late) in [
            (true, true, false),
            (false, true, false),
            (false, false, false),
            (false, true, true),
        ] {
            list_schedules_in_set_checks(lists);
            dating_cores_in_set_checks(cores);
            let verdict = check_set_for(inst, &set, &order, late.then(Instant::now));
            let ctx = || {
                format!(
                    "case {case}, list schedules {lists}, cores {cores}, late {late}, \
                     set {set:?}\n{}",
                    built.description
                )
            };
            match verdict {
                Verdict::Yes => {
                    assert!(
                        schedulable(&set),
                        "yes, but nothing has a schedule: {}",
                        ctx()
                    );
                    yes += 1;
                }
                Verdict::No(superset) => {
                    assert!(set.is_subset(&superset), "{}", ctx());
                    let mut within = superset.clone();
                    within.grow(n);
                    assert!(
                        !schedulable(&within),
                        "no, but a part of {superset:?} has a schedule: {}",
                        ctx()
                    );
                    no += 1;
                    grown += usize::from(within.count_ones(..) > set.count_ones(..));
                    some_elsewhere +=
                        usize::from(cores && !lists && !late && schedulable(&everything));
                }
                Verdict::Unknown(superset) if late => {
                    assert!(set.is_subset(&superset), "{}", ctx());
                    undecided_late += 1;
                }
                Verdict::Unknown(_) => panic!("undecided: {}", ctx()),
            }
        }
    }
    list_schedules_in_set_checks(true);
    dating_cores_in_set_checks(true);
    let dated = cores_dated() - dated_before;
    assert!(
        yes > 3_000
            && no > 1_000
            && grown > 500
            && dated > 1_000
            && some_elsewhere > 300
            && undecided_late >= 10,
        "{yes} yes / {no} no ({grown} grown, {some_elsewhere} where another set has a \
         schedule) / {dated} checks dating core parts / {undecided_late} undecided past \
         their deadline"
    );
}

/// The check of the set of `names` (in `catalog`, towards `goal`, from
/// 2027-01-01 at 10 hours a week), which has no schedule, though it has one
/// with `x`, says no with a superset without `x`.
fn rejected_without_x(catalog: &Catalog, names: &[&str]) {
    use stackpath_planner::schedule::check_set_for;
    use stackpath_planner::select::Verdict;
    let start = schedule_support::fixtures::date("2027-01-01");
    let goal = schedule_support::fixtures::id("goal");
    let inst = Instance::build(catalog, &goal, &[], start, 10.0, &[]);
    let item = |name: &str| {
        inst.atom_of_id(&schedule_support::fixtures::id(name))
            .expect("an item")
    };
    let mut set = BitSet::with_capacity(inst.n_items());
    for name in names {
        set.insert(item(name));
    }
    let prepared = Prepared::new(&inst);
    assert!(earliest(&inst, &prepared, &set, HORIZON).is_none());
    let mut with_x = set.clone();
    with_x.insert(item("x"));
    assert!(earliest(&inst, &prepared, &with_x, HORIZON).is_some());
    match check_set_for(&inst, &set, &[item("x")], None) {
        Verdict::No(superset) => assert!(!superset.contains(item("x")), "{superset:?}"),
        verdict => panic!("{verdict:?}"),
    }
}

/// The catalog of the first two growth cases: `w` on the first day only
/// and `y` on the eighth, each taking half the week's hours; `y` needs `a`
/// (the whole week's hours, so never beside `w`) or `other_way`, and `z`
/// needs `a` too; the goal needs `w`, `y` and `z`. With `more` besides.
fn dated_y_catalog(other_way: &str, more: Vec<schedule_support::fixtures::C>) -> Catalog {
    use schedule_support::fixtures::*;
    use stackpath_model::{Kind, Starts};
    let on = |d: &str| Starts::Dates(vec![date(d)]);
    let mut creds = vec![
        cred("w").weeks(1.0).effort(5.0).starts(on("2027-01-01")),
        cred("a").weeks(1.0).effort(10.0),
        cred("y")
            .weeks(1.0)
            .effort(5.0)
            .starts(on("2027-01-08"))
            .requires(any(vec![leaf("a"), leaf(other_way)])),
        cred("z").weeks(1.0).effort(5.0).requires(leaf("a")),
        cred("goal")
            .kind(Kind::Diploma)
            .weeks(0.0)
            .requires(all(vec![leaf("w"), leaf("y"), leaf("z")])),
    ];
    creds.extend(more);
    catalog(creds, Vec::new())
}

/// A set check that says no grows the set only by items that cannot make
/// its dated items ready: here `x`, an earlier way to the dated `y`, gives
/// a schedule to the plan that also takes `a` (which `z` needs anyway),
/// though every plan without `x` misses `y`'s date (`a` and `w` cannot run
/// side by side).
#[test]
fn a_rejected_set_is_not_grown_by_another_way_to_its_dated_item() {
    use schedule_support::fixtures::cred;
    let catalog = dated_y_catalog("x", vec![cred("x").weeks(1.0).effort(5.0)]);
    rejected_without_x(&catalog, &["w", "a", "y", "z", "goal"]);
}

/// Nor by items that make a task of the set doable that could make its
/// dated items ready: here `x` (an award taking no time) opens `u`, a set
/// task no plan in the set could take, and `u` is another way to `y`.
#[test]
fn a_rejected_set_is_not_grown_by_an_item_that_opens_another_way_in_it() {
    use schedule_support::fixtures::{cred, leaf};
    let catalog = dated_y_catalog(
        "u",
        vec![
            cred("x").kind(stackpath_model::Kind::Diploma).weeks(0.0),
            cred("u").weeks(1.0).effort(5.0).requires(leaf("x")),
        ],
    );
    rejected_without_x(&catalog, &["w", "a", "u", "y", "z", "goal"]);
}

/// A set check that dated each core part and found no schedule grows the
/// set only while no other part becomes a way to the target: here `x`
/// would make `n` with `o2` (which waits to the end) a plan, never dated,
/// though `n` with `o1` or `o3`, the set's plans, cannot run (all three are
/// on the first day only, each taking the whole week's hours).
#[test]
fn a_rejected_set_is_not_grown_by_an_item_that_completes_another_plan() {
    use schedule_support::fixtures::*;
    use stackpath_model::Starts;
    let first_day = || Starts::Dates(vec![date("2027-01-01")]);
    let catalog = catalog(
        vec![
            cred("n").weeks(1.0).effort(10.0).starts(first_day()),
            cred("o1").weeks(1.0).effort(10.0).starts(first_day()),
            cred("o3").weeks(1.0).effort(10.0).starts(first_day()),
            cred("o2").weeks(1.0).effort(5.0),
            cred("x").weeks(1.0).effort(5.0),
            cred("goal")
                .kind(stackpath_model::Kind::Diploma)
                .weeks(0.0)
                .requires(all(vec![
                    leaf("n"),
                    any(vec![
                        leaf("o1"),
                        leaf("o3"),
                        all(vec![leaf("o2"), leaf("x")]),
                    ]),
                ])),
        ],
        Vec::new(),
    );
    rejected_without_x(&catalog, &["n", "o1", "o3", "o2", "goal"]);
}

/// When the set checks cannot decide (on a large catalog, a check that runs
/// out of nodes), the planner must not take "undecided" for "cannot be
/// scheduled": a plan that exists is still found (by the `time` search
/// within the budget), valid, at least the least value and never claimed
/// optimal; only where no set can be scheduled is the target unreachable.
#[test]
fn undecided_set_checks_are_never_taken_for_no() {
    let mut rng = ChaCha8Rng::seed_from_u64(0x5eed_0102);
    let (mut feasible, mut infeasible, mut unproven) = (0, 0, 0);
    stackpath_planner::schedule::undecided_set_checks(true);
    for case in 0..3_000 {
        let built = catalogs::tiny_with(&mut rng, 7, true);
        let inst = &built.instance;
        let objective = [Objective::Cost, Objective::Effort, Objective::Count][case % 3];
        let budget = (case % 5 == 4).then(|| ((case / 5) % 4) as i64 * 100);
        let got = plan(&built.catalog, &request(&built, objective, budget));
        let prepared = Prepared::new(inst);
        let horizon = got.totals.as_ref().map_or(HORIZON, |t| t.days.max(HORIZON));
        let (schedulable, _) = plans_by_brute_force(inst, &prepared, objective, budget, horizon);
        let ctx = || {
            format!(
                "case {case}, {objective:?}\n{}\n{got:#?}",
                built.description
            )
        };
        let Some(best) = least_value(inst, objective, &schedulable) else {
            assert!(!got.feasible, "no set can be scheduled: {}", ctx());
            infeasible += 1;
            continue;
        };
        assert!(got.feasible, "a set can be scheduled: {}", ctx());
        feasible += 1;
        let (items, schedule) = as_schedule(inst, &got);
        check(&prepared.problem(inst), &schedule)
            .unwrap_or_else(|m| panic!("invalid schedule: {m}: {}", ctx()));
        assert!(key(inst, objective, &items).0 >= best, "{}", ctx());
        if !got.optimal {
            unproven += 1;
        }
        // A proof needs a decided check, unless no item may start on listed
        // dates alone (nothing is checked then: any plan can be dated) or
        // the target is already held.
        let dated = inst
            .items
            .iter()
            .any(|item| matches!(item.starts, StartRule::Days(_)));
        assert!(
            !(got.optimal && dated && !got.steps.is_empty()),
            "claimed optimal: {}",
            ctx()
        );
    }
    stackpath_planner::schedule::undecided_set_checks(false);
    assert!(
        feasible > 500 && infeasible > 100 && unproven > 300,
        "{feasible} feasible / {infeasible} infeasible / {unproven} unproven"
    );
}
