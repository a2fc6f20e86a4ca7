//! The scheduler's view of an [`Instance`]: tasks with windows as day lists,
//! which items can change whose readiness, and plain-words reasons for items
//! that can never be scheduled.

use std::cell::RefCell;
use std::time::{Duration, Instant};

use chrono::Datelike;
use fixedbitset::FixedBitSet;
use stackpath_model::CredentialId;

use super::{
    packing_units, schedule_set, schedule_set_assuming, schedule_set_in_tandem,
    schedule_set_sharing, search, search_set_in_reverse, window_classes, ClassUnion, Dependencies,
    Hints, Limits, PackingFloor, Problem, Readiness, Tandem, Task, TimePlan, Unreachable, Window,
    WindowFloor, CLASS_ORDERS,
};
use crate::instance::{next_start, AtomId, Exclusion, Instance, StartRule};
use crate::select::{
    plan_currency, select, select_scheduled, Budget, NoSelection, SelectOptions, Selection,
    SetCheck, SetObjective, Verdict, Watch,
};
use crate::stop::StopSignal;

/// Recurring windows (the first of given months) are listed this many days
/// ahead: a century, far beyond any plan a learner would follow.
pub const HORIZON_DAYS: u32 = 36_525;

/// The instance's oracle, remembering the credentials held for the last
/// `done` set it saw: the search asks about many items in a row with the
/// same set, or with one item more, and applying the equivalences is the
/// costly part. When `done` only grew, the new items are added and just the
/// equivalences that mention them re-checked (satisfaction is monotone, so
/// nothing held before is lost).
struct CachedOracle<'a> {
    instance: &'a Instance,
    /// For each atom, the equivalences whose `when` mentions it.
    watchers: Vec<Vec<usize>>,
    last: RefCell<Option<(FixedBitSet, FixedBitSet)>>,
}

impl CachedOracle<'_> {
    fn new(instance: &Instance) -> CachedOracle<'_> {
        let mut watchers = vec![Vec::new(); instance.n_atoms()];
        for (e, eq) in instance.equivalences.iter().enumerate() {
            for &a in &instance.trees[eq.when].atoms {
                watchers[a].push(e);
            }
        }
        CachedOracle {
            instance,
            watchers,
            last: RefCell::new(None),
        }
    }

    fn with_held<T>(&self, done: &FixedBitSet, f: impl FnOnce(&FixedBitSet) -> T) -> T {
        let mut last = self.last.borrow_mut();
        let fresh = match last.as_mut() {
            Some((d, _)) if d == done => false,
            Some((d, held)) if d.is_subset(done) => {
                let mut queue: Vec<usize> = Vec::new();
                // The items new in `done`, block by block (`difference`
                // would walk every item of `done`, hundreds in a long
                // relaxation, to find the one or two new ones).
                let before = d.as_slice();
                for (k, &now) in done.as_slice().iter().enumerate() {
                    let mut new = now & !before.get(k).copied().unwrap_or(0);
                    while new != 0 {
                        let i = k * u32::BITS as usize + new.trailing_zeros() as usize;
                        new &= new - 1;
                        if !held.contains(i) {
                            held.insert(i);
                            queue.extend(&self.watchers[i]);
                        }
                    }
                }
                while let Some(e) = queue.pop() {
                    let eq = &self.instance.equivalences[e];
                    if !held.contains(eq.grants) && self.instance.is_satisfied(eq.when, held) {
                        held.insert(eq.grants);
                        queue.extend(&self.watchers[eq.grants]);
                    }
                }
                d.clone_from(done);
                false
            }
            _ => true,
        };
        if fresh {
            *last = Some((done.clone(), self.instance.held_with(done)));
        }
        f(&last.as_ref().expect("set above").1)
    }
}

impl Readiness for CachedOracle<'_> {
    fn ready(&self, i: usize, done: &FixedBitSet) -> bool {
        match self.instance.atoms[i].requires {
            None => true,
            Some(r) => self.with_held(done, |held| self.instance.is_satisfied(r, held)),
        }
    }

    fn target_held(&self, done: &FixedBitSet) -> bool {
        let target = self.instance.target;
        self.instance.initial.contains(target)
            || done.contains(target)
            || self.with_held(done, |held| held.contains(target))
    }
}

/// An instance prepared for scheduling. Task `i` is item `i`.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub tasks: Vec<Task>,
    pub dependencies: Dependencies,
}

impl Prepared {
    /// Costs count in the plan currency (the one most items are priced
    /// in): prices in other currencies cannot be compared with them.
    pub fn new(instance: &Instance) -> Prepared {
        Prepared::in_currency(instance, plan_currency(instance))
    }

    /// Costs count in `currency` only.
    pub fn in_currency(instance: &Instance, currency: Option<String>) -> Prepared {
        // Month intakes are listed for a century of days: each distinct
        // rule once (a catalog has a handful; its items, hundreds).
        let mut by_months: Vec<(&[u32], Window)> = Vec::new();
        let mut tasks = Vec::with_capacity(instance.items.len());
        for item in &instance.items {
            let window = match &item.starts {
                StartRule::Months(months) => {
                    match by_months.iter().find(|(m, _)| *m == months.as_slice()) {
                        Some((_, w)) => w.clone(),
                        None => {
                            let w = window(&item.starts, instance);
                            by_months.push((months, w.clone()));
                            w
                        }
                    }
                }
                rule => window(rule, instance),
            };
            tasks.push(Task {
                days: item.days,
                weekly: item.weekly,
                cost: if item.currency == currency {
                    item.cost
                } else {
                    0
                },
                effort: item.effort,
                window,
            });
        }
        Prepared {
            tasks,
            dependencies: dependencies(instance),
        }
    }

    /// The problem over `instance` (whose oracle decides readiness).
    pub fn problem<'a>(&'a self, instance: &'a Instance) -> Problem<'a> {
        Problem {
            tasks: &self.tasks,
            capacity: instance.hours_per_week,
            readiness: instance,
            dependencies: Some(&self.dependencies),
            work_floor: 0,
            packing_floors: &[],
            window_floors: &[],
            class_unions: &[],
            budget: None,
        }
    }
}

/// Start days of a rule, as offsets from the instance's start date.
pub fn window(rule: &StartRule, instance: &Instance) -> Window {
    match rule {
        StartRule::Anytime => Window::Anytime,
        StartRule::Days(days) => Window::Days(days.clone()),
        StartRule::Months(months) => {
            // The same days as `next_start` gives, listed directly.
            let start = instance.start;
            let mut days = Vec::new();
            for year in start.year()..=start.year() + 101 {
                for &m in months {
                    let Some(first) = chrono::NaiveDate::from_ymd_opt(year, m, 1) else {
                        continue;
                    };
                    let d = (first - start).num_days();
                    if (0..=i64::from(HORIZON_DAYS)).contains(&d) {
                        days.push(d as u32);
                    }
                }
            }
            days.sort_unstable();
            days.dedup();
            debug_assert_eq!(days.first().copied(), next_start(rule, start, 0));
            Window::Days(days)
        }
    }
}

/// For each item, the items whose completion can change whether its
/// `requires` is met: those its tree names, and, through every equivalence
/// granting a named credential, those the equivalence's `when` names, to a
/// fixpoint (equivalences can chain).
pub fn dependencies(instance: &Instance) -> Dependencies {
    let n_atoms = instance.n_atoms();
    let n_items = instance.n_items();
    // influence[a]: items whose completion can change whether atom a is held.
    let mut influence: Vec<FixedBitSet> = (0..n_atoms)
        .map(|a| {
            let mut s = FixedBitSet::with_capacity(n_items);
            if a < n_items {
                s.insert(a);
            }
            s
        })
        .collect();
    loop {
        let mut changed = false;
        for eq in &instance.equivalences {
            let mut add = FixedBitSet::with_capacity(n_items);
            for &b in &instance.trees[eq.when].atoms {
                add.union_with(&influence[b]);
            }
            if !add.is_subset(&influence[eq.grants]) {
                influence[eq.grants].union_with(&add);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let of_atom = |a: AtomId| -> Vec<usize> {
        let mut s = FixedBitSet::with_capacity(n_items);
        if let Some(r) = instance.atoms[a].requires {
            for &b in &instance.trees[r].atoms {
                s.union_with(&influence[b]);
            }
        }
        s.ones().collect()
    };
    Dependencies {
        of_task: (0..n_items).map(of_atom).collect(),
        of_target: influence[instance.target].ones().collect(),
    }
}

/// Why a relevant credential can never be scheduled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockReason {
    /// Fixed pace needing more hours a week than the learner has (both in
    /// hundredths of an hour).
    TooManyHours { needs: u64, has: u64 },
    /// Every listed start date is before the learner's start.
    NoStartDate,
}

/// A relevant credential that can never be scheduled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockedItem {
    pub atom: AtomId,
    pub id: CredentialId,
    pub reason: BlockReason,
}

impl std::fmt::Display for BlockedItem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.reason {
            BlockReason::TooManyHours { needs, has } => write!(
                f,
                "{} needs {} hours a week at its fixed pace; the learner has {}",
                self.id,
                hours(needs),
                hours(has)
            ),
            BlockReason::NoStartDate => {
                write!(
                    f,
                    "{} has no start date left: every listed date is past",
                    self.id
                )
            }
        }
    }
}

fn hours(hundredths: u64) -> String {
    if hundredths.is_multiple_of(100) {
        format!("{}", hundredths / 100)
    } else {
        format!("{:.2}", hundredths as f64 / 100.0)
            .trim_end_matches('0')
            .to_string()
    }
}

/// Why the `time` objective found no plan, in terms of credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoSchedule {
    /// Every relevant credential that can never be scheduled.
    pub blocked: Vec<BlockedItem>,
    /// The target would be reachable if the blocked credentials could be
    /// earned (their own requirements aside): they are why it is not.
    pub blocked_is_cause: bool,
    /// Every way to the target needs items with listed start dates that no
    /// schedule meets: the last one passes before an item can be ready, or
    /// the items do not fit the hours a week by then.
    pub windows_missed: bool,
    /// A limit stopped the search before any schedule was found.
    pub search_stopped: bool,
    /// Plans exist, but none within the budget.
    pub over_budget: bool,
}

impl NoSchedule {
    /// One sentence for the learner.
    pub fn message(&self) -> String {
        let list = self
            .blocked
            .iter()
            .map(|b| b.to_string())
            .collect::<Vec<_>>()
            .join("; ");
        if self.search_stopped {
            "no schedule was found within the time limit".to_string()
        } else if self.over_budget {
            "no plan that reaches the target fits the budget".to_string()
        } else if self.blocked_is_cause {
            format!("the target cannot be reached because {list}")
        } else if self.windows_missed {
            "the target cannot be reached: no schedule fits the items it needs into their start dates, their requirements and the hours a week".to_string()
        } else {
            "the target cannot be reached with the credentials in the catalog".to_string()
        }
    }
}

/// Relevant credentials that can never be scheduled, in atom order.
pub fn blocked_items(instance: &Instance) -> Vec<BlockedItem> {
    instance
        .atoms
        .iter()
        .enumerate()
        .filter_map(|(a, atom)| {
            let reason = match atom.excluded {
                Some(Exclusion::TooManyHours { needs, has }) => {
                    BlockReason::TooManyHours { needs, has }
                }
                Some(Exclusion::NoStartDate) => BlockReason::NoStartDate,
                _ => return None,
            };
            Some(BlockedItem {
                atom: a,
                id: atom.id.clone(),
                reason,
            })
        })
        .collect()
}

/// Would the target be held if the blocked credentials were held too, and
/// every item earned whenever its requirements allow?
fn reachable_with(instance: &Instance, extra: &[BlockedItem]) -> bool {
    let mut held = instance.initial.clone();
    held.grow(instance.n_atoms());
    for b in extra {
        held.insert(b.atom);
    }
    loop {
        instance.apply_equivalences(&mut held);
        let before = held.count_ones(..);
        for i in 0..instance.n_items() {
            if !held.contains(i) && instance.requires_met(i, &held) {
                held.insert(i);
            }
        }
        if held.count_ones(..) == before {
            return held.contains(instance.target);
        }
    }
}

fn no_schedule(instance: &Instance, u: &Unreachable) -> NoSchedule {
    let blocked = blocked_items(instance);
    let blocked_is_cause = !u.search_stopped
        && !u.windows_missed
        && !blocked.is_empty()
        && !reachable_with(instance, &[])
        && reachable_with(instance, &blocked);
    NoSchedule {
        blocked,
        blocked_is_cause,
        windows_missed: u.windows_missed,
        search_stopped: u.search_stopped,
        over_budget: u.over_budget,
    }
}

/// The least `measure` any plan takes in total, by the effort optimiser
/// with each item's effort replaced by its measure, within `share` and
/// by `until`; 0 when unknown.
///
/// Once `until` has passed it does not search at all: a search costs its
/// set-up, milliseconds on a thousand items, however short its share (on
/// the synthetic catalog's `uni-170`, 56 window classes of 9 floors each
/// took 1.7 s of a 50 ms allowance).
fn least_total(
    instance: &Instance,
    measure: impl Fn(usize) -> u64,
    share: Duration,
    until: Instant,
) -> u64 {
    let now = Instant::now();
    if now >= until {
        return 0;
    }
    let mut relaxed = instance.clone();
    let mut any = false;
    for (i, item) in relaxed.items.iter_mut().enumerate() {
        item.effort = measure(i);
        any |= item.effort > 0;
    }
    if !any {
        return 0;
    }
    least_effort(&relaxed, (now + share).min(until)).unwrap_or(0)
}

/// The effort optimiser's proven lower bound on `instance`, found by
/// `deadline`; `None` when no plan exists.
fn least_effort(instance: &Instance, deadline: Instant) -> Option<u64> {
    let opts = SelectOptions {
        objective: SetObjective::Effort,
        budget: None,
        currency: None,
        deadline: Some(deadline),
    };
    select(instance, &opts).ok().map(|sel| sel.lower_bound)
}

/// Floors for the window classes that can need more than one start day:
/// the least weekly load and the least number of heavy items any plan takes
/// from each, all within `time` (what it leaves unknown is 0).
pub fn window_floors(instance: &Instance, tasks: &[Task], time: Duration) -> Vec<WindowFloor> {
    let until = Instant::now() + time;
    let cap = instance.hours_per_week;
    let heavy = |i: usize| tasks[i].weekly * 2 > cap;
    let classes: Vec<Vec<usize>> = window_classes(tasks)
        .into_iter()
        .filter(|c| {
            c.iter().map(|&i| tasks[i].weekly).sum::<u64>() > cap
                || c.iter().filter(|&&i| heavy(i)).count() > 1
        })
        .collect();
    let share = time / ((2 + CLASS_ORDERS.len() as u32) * classes.len().max(1) as u32);
    classes
        .into_iter()
        .map(|class| {
            let member = |i: usize| class.binary_search(&i).is_ok();
            let weekly = least_total(
                instance,
                |i| if member(i) { tasks[i].weekly } else { 0 },
                share,
                until,
            );
            let heavy = least_total(instance, |i| u64::from(member(i) && heavy(i)), share, until);
            let units = least_units(instance, tasks, &class, share, until);
            WindowFloor {
                tasks: class,
                weekly,
                heavy,
                units,
            }
        })
        .collect()
}

/// The least [`packing_units`] of each order of [`CLASS_ORDERS`] any plan
/// takes from `members` (sorted), each order within `share` and by `until`.
fn least_units(
    instance: &Instance,
    tasks: &[Task],
    members: &[usize],
    share: Duration,
    until: Instant,
) -> [u64; CLASS_ORDERS.len()] {
    let cap = instance.hours_per_week;
    CLASS_ORDERS.map(|k| {
        least_total(
            instance,
            |i| {
                if members.binary_search(&i).is_ok() {
                    packing_units(k, tasks[i].weekly, cap)
                } else {
                    0
                }
            },
            share,
            until,
        )
    })
}

/// Floors for window classes together (see [`ClassUnion`]): every class of
/// [`window_classes`]; the classes of `floors`, if more than one; and each
/// class of `floors` alone (its own floor). Each is a bound of its own: more
/// classes add to what a plan must take, and to the start days it may take
/// it on. All within `time` (what it leaves unknown is 0).
pub fn class_unions(
    instance: &Instance,
    tasks: &[Task],
    floors: &[WindowFloor],
    time: Duration,
) -> Vec<ClassUnion> {
    let until = Instant::now() + time;
    let union_of = |mut members: Vec<usize>, time: Duration| {
        members.sort_unstable();
        members.dedup();
        let share = time / CLASS_ORDERS.len() as u32;
        let units = least_units(instance, tasks, &members, share, until);
        ClassUnion {
            tasks: members,
            units,
        }
    };
    let mut unions: Vec<ClassUnion> = Vec::new();
    let all: Vec<usize> = window_classes(tasks).into_iter().flatten().collect();
    if !all.is_empty() {
        unions.push(union_of(all, time / 2));
    }
    if floors.len() > 1 {
        let mut floored: Vec<usize> = floors
            .iter()
            .flat_map(|f| f.tasks.iter().copied())
            .collect();
        floored.sort_unstable();
        floored.dedup();
        // (When every class has a floor, that union is the first.)
        if unions.iter().all(|v| v.tasks != floored) {
            unions.push(union_of(floored, time / 2));
        }
    }
    for f in floors {
        if unions.iter().all(|v| v.tasks != f.tasks) {
            unions.push(ClassUnion {
                tasks: f.tasks.clone(),
                units: f.units,
            });
        }
    }
    unions
}

/// Floors on any plan's packing work of orders 1 to 3 (see
/// [`packing_units`]), each the least "effort" of any plan from the effort
/// optimiser with each item's effort set to its units times days, all
/// within `time` (what it leaves unknown is 0).
pub fn packing_floors(instance: &Instance, tasks: &[Task], time: Duration) -> Vec<PackingFloor> {
    let until = Instant::now() + time;
    let cap = instance.hours_per_week;
    (1..=3)
        .map(|k| {
            let units = |i: usize| {
                let t = &tasks[i];
                let w = if t.days == 0 { 0 } else { t.weekly };
                packing_units(k, w, cap) * u64::from(t.days)
            };
            PackingFloor {
                k,
                floor: least_total(instance, units, time / 3, until),
            }
        })
        .collect()
}

/// A floor on the total work (weekly hundredths times days) of any plan:
/// the least effort of any plan, from the effort optimiser, times the least
/// ratio of work to effort over the items (about 7, a week's days). Zero-day
/// items take no capacity, so their effort is left out.
pub fn work_floor(instance: &Instance, tasks: &[Task], time: Duration) -> u64 {
    let mut ratio = f64::INFINITY;
    let mut relaxed = instance.clone();
    for (item, task) in relaxed.items.iter_mut().zip(tasks) {
        if task.days == 0 || task.weekly == 0 {
            item.effort = 0;
        } else if item.effort > 0 {
            ratio = ratio.min(task.weekly as f64 * f64::from(task.days) / item.effort as f64);
        }
    }
    if !ratio.is_finite() {
        return 0;
    }
    // A hair below, so float error can only weaken the bound.
    least_effort(&relaxed, Instant::now() + time).map_or(0, |least| {
        (least as f64 * ratio * (1.0 - 1e-9)).floor() as u64
    })
}

/// The least `(cost, effort, count)` of any plan, from the cost optimiser,
/// when every price is in the plan currency (otherwise its tie-break order
/// differs from the scheduler's); only the cost part if it is not proven.
fn tiebreak_floor(
    instance: &Instance,
    currency: Option<String>,
    time: Duration,
) -> Option<(i64, u64, usize)> {
    if instance
        .items
        .iter()
        .any(|i| i.currency.is_some() && i.currency != currency)
    {
        return None;
    }
    let opts = SelectOptions {
        objective: SetObjective::Cost,
        budget: None,
        currency: currency.clone(),
        deadline: Some(Instant::now() + time),
    };
    let sel = select(instance, &opts).ok()?;
    let cost = sel
        .totals
        .cost
        .iter()
        .find(|(c, _)| Some(c) == currency.as_ref())
        .map_or(0, |(_, m)| *m);
    if sel.optimal {
        Some((cost, sel.totals.effort, sel.totals.count))
    } else {
        Some((i64::try_from(sel.lower_bound).unwrap_or(i64::MAX), 0, 0))
    }
}

/// The `time` objective over an instance: see [`super::fastest`]. Computes
/// the floors of [`work_floor`], [`packing_floors`] and [`window_floors`] first
/// (a tenth of the time limit each at most); the limits cover everything.
pub fn fastest_for(
    instance: &Instance,
    limits: &Limits,
    hints: &Hints,
) -> Result<TimePlan, NoSchedule> {
    fastest_within_budget(instance, limits, hints, None)
}

/// [`fastest_for`] among the plans that cost at most `budget` in its
/// currency (prices in other currencies are outside it, as for the set
/// optimiser); costs and the cost tie-break count in that currency.
pub fn fastest_within_budget(
    instance: &Instance,
    limits: &Limits,
    hints: &Hints,
    budget: Option<&Budget>,
) -> Result<TimePlan, NoSchedule> {
    let clock = Instant::now();
    let currency = match budget {
        Some(b) => Some(b.currency.clone()),
        None => plan_currency(instance),
    };
    let prepared = Prepared::in_currency(instance, currency.clone());
    let work = work_floor(instance, &prepared.tasks, limits.time / 10);
    let packing = packing_floors(instance, &prepared.tasks, limits.time / 10);
    let classes = window_floors(instance, &prepared.tasks, limits.time / 10);
    let unions = class_unions(instance, &prepared.tasks, &classes, limits.time / 10);
    let limits = Limits {
        time: limits.time.saturating_sub(clock.elapsed()),
        ..*limits
    };
    let oracle = CachedOracle::new(instance);
    let problem = Problem {
        readiness: &oracle,
        work_floor: work,
        packing_floors: &packing,
        window_floors: &classes,
        class_unions: &unions,
        budget: budget.map(|b| b.minor),
        ..prepared.problem(instance)
    };
    let mut late_floor = |time: Duration| tiebreak_floor(instance, currency.clone(), time);
    search::Engine::new(&problem, None, &limits)
        .solve(hints, &mut late_floor)
        .map_err(|u| no_schedule(instance, &u))
}

/// Dates a chosen set of items (say, the cost-optimal one): see
/// [`schedule_set`].
pub fn schedule_set_for(
    instance: &Instance,
    set: &[usize],
    limits: &Limits,
) -> Result<TimePlan, Unreachable> {
    with_problem(instance, |problem| {
        schedule_set_in_tandem(problem, &|| new_oracle(instance), set, limits)
    })
}

/// [`schedule_set_sharing`] for an instance: the main search of a dating
/// that [`search_set_in_reverse_for`] may join.
pub fn schedule_set_sharing_for(
    instance: &Instance,
    set: &[usize],
    limits: &Limits,
    tandem: &Tandem,
) -> Result<TimePlan, Unreachable> {
    with_problem(instance, |problem| {
        schedule_set_sharing(problem, set, limits, tandem)
    })
}

/// [`search_set_in_reverse`] for an instance: searches `set` in reverse for the
/// dating by [`schedule_set_sharing_for`] that shares `tandem`, until it ends.
pub fn search_set_in_reverse_for(
    instance: &Instance,
    set: &[usize],
    limits: &Limits,
    tandem: &Tandem,
) {
    with_problem(instance, |problem| {
        search_set_in_reverse(problem, set, limits, tandem)
    });
}

/// `f` on the instance's problem (its tasks in the plan currency, its
/// dependencies), with a cached readiness oracle of its own.
fn with_problem<T>(instance: &Instance, f: impl FnOnce(&Problem<'_>) -> T) -> T {
    let prepared = Prepared::new(instance);
    let oracle = CachedOracle::new(instance);
    f(&Problem {
        readiness: &oracle,
        ..prepared.problem(instance)
    })
}

/// A cached readiness oracle of the instance, for another thread.
fn new_oracle(instance: &Instance) -> Box<dyn Readiness + '_> {
    Box::new(CachedOracle::new(instance))
}

/// Of several sets (say, plans tied on cost), the one whose earliest
/// schedule finishes first, ties going to the earlier in `sets`.
/// [`schedule_sets_earliest_after`] with nothing dated yet.
pub fn schedule_sets_earliest(
    instance: &Instance,
    sets: &[Vec<usize>],
    limits: &Limits,
) -> Result<TimePlan, Unreachable> {
    schedule_sets_earliest_after(instance, sets, limits, None)
}

/// Of several sets (say, plans tied on cost), the one whose earliest
/// schedule finishes first, ties going to the earlier in `sets`.
///
/// The first set is dated first ([`schedule_set`]; `first`, when given, is
/// that dating, done ahead), with at most `TIE_FIRST_NODES` (40,000) nodes when
/// other sets follow. Each other set then looks only for a finish before
/// the best so far, with at most `TIE_NODES` (5,000) nodes (within what is left
/// of the time limit), in two interleaved halves at once, on two threads
/// (`1, 3, 5, ...` and `2, 4, 6, ...`), each half starting from the first
/// set's finish. Node limits, not shares of the time, and answers that
/// depend only on the first set's and their own half's, make the choice
/// the same on one core or two, on a slow machine or a busy one. The
/// chosen set, if its dates are not proven, then gets the time left. `Err`
/// (the first set's reason) when none can be dated.
pub fn schedule_sets_earliest_after(
    instance: &Instance,
    sets: &[Vec<usize>],
    limits: &Limits,
    first: Option<Result<TimePlan, Unreachable>>,
) -> Result<TimePlan, Unreachable> {
    let clock = std::time::Instant::now();
    let first = match (sets, first) {
        ([_], Some(dated)) => return dated,
        (_, first) => first,
    };
    let prepared = Prepared::new(instance);
    let oracle = CachedOracle::new(instance);
    let problem = Problem {
        readiness: &oracle,
        ..prepared.problem(instance)
    };
    let reverse_oracle = || new_oracle(instance);
    let Some(first_set) = sets.first() else {
        return schedule_set(&problem, &[], limits);
    };
    if sets.len() == 1 {
        return schedule_set_in_tandem(&problem, &reverse_oracle, first_set, limits);
    }
    // With ties, the first set gets a node limit too, so that what the
    // others must beat does not depend on the machine's speed; dates found
    // ahead serve only if they were proven within it (the same search then
    // gives the same answer), and without a reverse search (whose cuts make the
    // nodes fewer than the search alone takes).
    let share = Limits {
        nodes: limits.nodes.min(TIE_FIRST_NODES),
        ..*limits
    };
    let first = match first {
        Some(Ok(tp))
            if tp.finish_optimal && tp.stats.reverse_cuts == 0 && tp.stats.nodes <= share.nodes =>
        {
            Ok(tp)
        }
        Some(Err(u)) if !u.search_stopped => Err(u),
        _ => schedule_set(&problem, first_set, &share),
    };
    let first_finish = first.as_ref().ok().map(|tp| tp.schedule.finish);
    // The second thread works for the same plan, and stops with it.
    let signal = StopSignal::current();
    let half = |parity: usize| -> Vec<(usize, Result<TimePlan, Unreachable>)> {
        let _working = signal.enter();
        let oracle = CachedOracle::new(instance);
        let problem = Problem {
            readiness: &oracle,
            ..prepared.problem(instance)
        };
        let mut best = first_finish;
        let mut dated = Vec::new();
        for k in (parity..sets.len()).step_by(2) {
            let share = Limits {
                time: limits.time.saturating_sub(clock.elapsed()),
                nodes: limits.nodes.min(TIE_NODES),
            };
            let result = match best {
                None => schedule_set(&problem, &sets[k], &share),
                Some(day) => super::schedule_set_before(&problem, &sets[k], &share, day),
            };
            if let Ok(tp) = &result {
                if best.is_none_or(|day| tp.schedule.finish < day) {
                    best = Some(tp.schedule.finish);
                }
            }
            dated.push((k, result));
        }
        dated
    };
    let mut dated = std::thread::scope(|scope| {
        let even = scope.spawn(|| half(2));
        let mut dated = vec![(0, first)];
        dated.extend(half(1));
        dated.extend(
            even.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        );
        dated
    });
    dated.sort_by_key(|(k, _)| *k);
    // In order, a set wins by finishing strictly first. An answer that did
    // not beat its half's best (whatever it says) finishes no earlier than
    // the first set or an earlier set of its half, so it never wins.
    let mut best: Option<(usize, TimePlan)> = None;
    let mut first_error = None;
    for (k, result) in dated {
        match result {
            Ok(tp)
                if best
                    .as_ref()
                    .is_none_or(|(_, b)| tp.schedule.finish < b.schedule.finish) =>
            {
                best = Some((k, tp));
            }
            Ok(_) => {}
            Err(u) => {
                first_error.get_or_insert(u);
            }
        }
    }
    // The time left for the chosen set's dates (or, if no set was dated
    // within its nodes, for the first set's).
    let k = best.as_ref().map_or(0, |(k, _)| *k);
    let left = limits.time.saturating_sub(clock.elapsed());
    if best.as_ref().is_none_or(|(_, b)| !b.finish_optimal) && !left.is_zero() {
        let more = Limits {
            time: left,
            ..*limits
        };
        if let Ok(tp) = schedule_set_in_tandem(&problem, &reverse_oracle, &sets[k], &more) {
            if best
                .as_ref()
                .is_none_or(|(_, b)| tp.schedule.finish <= b.schedule.finish)
            {
                best = Some((k, tp));
            }
        }
    }
    best.map(|(_, tp)| tp)
        .ok_or_else(|| first_error.expect("one set at least"))
}

/// Nodes the first of several tied sets may spend on its dates before the
/// others are dated (see [`schedule_sets_earliest_after`]): the synthetic
/// catalog's slowest tied datings are proven within 21,000.
const TIE_FIRST_NODES: u64 = 40_000;

/// Nodes each of several tied sets may spend on its dates before one is
/// chosen (see [`schedule_sets_earliest`]).
const TIE_NODES: u64 = 5_000;

/// Nodes the exact search may spend deciding whether one set can be
/// scheduled, when neither the relaxation nor a list schedule settles it.
const CHECK_NODES: u64 = 5_000;

/// The scheduler as a [`SetCheck`] for [`select_scheduled`].
struct ScheduleCheck<'a> {
    engine: search::Engine<'a>,
    problem: &'a Problem<'a>,
    deadline: Option<Instant>,
}

/// What a check may take without a deadline.
const CHECK_TIME: Duration = Duration::from_secs(86_400);

impl<'a> ScheduleCheck<'a> {
    /// The checks of `problem`'s sets (each check sets its own node limits).
    /// A check still under way at `deadline` stops there, undecided: the set
    /// search stops then too, its answer unproven (each check may date up
    /// to nine core parts of 5,000 nodes each, seconds on a thousand items).
    fn new(problem: &'a Problem<'a>, deadline: Option<Instant>) -> ScheduleCheck<'a> {
        let limits = Limits {
            time: time_until(deadline),
            nodes: u64::MAX,
        };
        ScheduleCheck {
            engine: search::Engine::new(problem, None, &limits),
            problem,
            deadline,
        }
    }
}

/// The time left until `deadline`, or [`CHECK_TIME`] without one.
fn time_until(deadline: Option<Instant>) -> Duration {
    deadline.map_or(CHECK_TIME, |d| d.saturating_duration_since(Instant::now()))
}

impl SetCheck for ScheduleCheck<'_> {
    fn check(&mut self, set: &FixedBitSet, grow_order: &[usize]) -> Verdict {
        // A core part is dated as a set is, with the check's node limit.
        let (problem, deadline) = (self.problem, self.deadline);
        let mut date_core = |part: &[usize], assumed: &[usize]| match schedule_set_assuming(
            problem,
            part,
            assumed,
            &Limits {
                time: time_until(deadline),
                nodes: CHECK_NODES,
            },
        ) {
            Ok(_) => Some(true),
            Err(u) if u.search_stopped => None,
            Err(_) => Some(false),
        };
        match self
            .engine
            .check_set(set, grow_order, CHECK_NODES, &mut date_core)
        {
            Verdict::Yes if UNDECIDED_CHECKS.get() => Verdict::Unknown(set.clone()),
            verdict => verdict,
        }
    }
}

/// What the set search's check says of `set` (items of `grow_order` are
/// tried when a set is grown), stopping at `deadline` if it has one. For
/// the tests of the checks.
#[doc(hidden)]
pub fn check_set_for(
    instance: &Instance,
    set: &FixedBitSet,
    grow_order: &[usize],
    deadline: Option<Instant>,
) -> Verdict {
    with_problem(instance, |problem| {
        ScheduleCheck::new(problem, deadline).check(set, grow_order)
    })
}

thread_local! {
    /// See [`super::undecided_set_checks`].
    pub(super) static UNDECIDED_CHECKS: std::cell::Cell<bool> =
        const { std::cell::Cell::new(false) };
}

/// The optimal set for a set objective among the sets that can be
/// scheduled: sets are checked only when some item may start on listed
/// dates alone (otherwise every plan can be scheduled, one item after
/// another). With `ties > 0`, the plans tied on the main objective are
/// listed for a tie-break by finish date (see [`Selection::ties`]).
pub fn select_dated(
    instance: &Instance,
    opts: &SelectOptions,
    ties: usize,
    watch: Option<Watch<'_>>,
) -> Result<Selection, NoSelection> {
    let dated = instance
        .items
        .iter()
        .any(|item| matches!(item.starts, StartRule::Days(_)));
    if !dated {
        return select_scheduled(instance, opts, None, ties, watch);
    }
    with_problem(instance, |problem| {
        let mut check = ScheduleCheck::new(problem, opts.deadline);
        select_scheduled(instance, opts, Some(&mut check), ties, watch)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::*;

    /// The oracle's credentials held, carried from one `done` set to the
    /// next, against computing them afresh: on a catalog of a hundred
    /// courses (items in four blocks of the bit sets), with equivalences
    /// granting one course for two others, as `done` grows an item or a
    /// few at a time and now and then starts over smaller.
    #[test]
    fn the_held_credentials_carried_forward_are_those_computed_afresh() {
        let n = 100;
        let mut creds: Vec<C> = (0..n).map(|k| cred(&format!("c{k}"))).collect();
        creds.push(cred("t").requires(all((0..n).map(|k| leaf(&format!("c{k}"))).collect())));
        // c{k+2} granted by c{k} and c{k+1}, for every third k.
        let equivalences = (0..n - 2)
            .step_by(3)
            .map(|k| {
                equiv(
                    &format!("c{}", k + 2),
                    all(vec![leaf(&format!("c{k}")), leaf(&format!("c{}", k + 1))]),
                )
            })
            .collect();
        let cat = catalog(creds, equivalences);
        let inst = Instance::build(&cat, &id("t"), &[], date("2027-01-04"), 10.0, &[]);
        let oracle = CachedOracle::new(&inst);
        let mut done = FixedBitSet::with_capacity(inst.n_items());
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |bound: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % bound as u64) as usize
        };
        for step in 0..2_000 {
            if step % 97 == 96 {
                // Starting over smaller: the oracle computes afresh.
                done.clear();
            }
            for _ in 0..1 + next(3) {
                done.insert(next(inst.n_items()));
            }
            let carried = oracle.with_held(&done, |held| held.clone());
            assert_eq!(carried, inst.held_with(&done), "step {step}");
        }
    }
}
