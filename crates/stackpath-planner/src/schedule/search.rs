//! The branch-and-bound behind [`super::fastest`] and
//! [`super::schedule_set`]. The parent module explains why it is exact; the
//! comments here say how each rule of that argument is applied.

use std::cell::{Cell, RefCell};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use fixedbitset::FixedBitSet;
use rustc_hash::FxHashMap;

use super::energy::{overloaded, Ranged};
use crate::stop::StopSignal;

use super::{
    blocked, packing_units, window_classes, Blocked, Hints, Limits, Problem, Readiness, Schedule,
    Step, Task, TimePlan, Unreachable, Window, CLASS_ORDERS,
};

const NONE: u32 = u32::MAX;

/// Orders in which the greedy list schedules prefer tasks.
#[derive(Debug, Clone, Copy)]
enum Priority {
    /// Critical-path tasks first, by earliest start.
    Rank,
    /// Tasks with restricted start days first: they have few chances.
    WindowsFirst,
    LongestFirst,
    /// Light tasks first, so more run side by side.
    LightestFirst,
    /// Least latest start first: the longest chain still to follow it, and
    /// the last listed start day of itself and of what it leads to.
    LatestStart,
}

/// A fixed-seed xorshift generator: randomised heuristics repeat run for
/// run.
fn xorshift() -> impl FnMut() -> u64 {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    }
}

/// Orders [`Engine::repair_greedy`] may try.
const REPAIR_ROUNDS: usize = 256;

/// Larger sets are not given to [`Engine::repair_greedy`]: a serial
/// schedule takes time quadratic in its tasks.
const REPAIR_MAX_TASKS: usize = 256;

/// Rounds of [`Engine::repair_greedy`] from the same due days; each
/// restart orders by them with more noise.
const REPAIR_RESTART: usize = 16;

/// Days at least by which [`Engine::repair_greedy`] moves a missed task's
/// due day.
const REPAIR_STEP: u32 = 14;

/// Orders [`Engine::aim_before_best`] tries in all.
const AIM_ROUNDS: usize = 64;

/// How much random noise (in days, per [`REPAIR_RESTART`] orders) the due
/// days of [`Engine::aim_before_best`] get.
const AIM_SPREAD: u64 = 30;

/// How much earlier [`Engine::aim_before_best`] makes the due day of a task
/// that found no start day.
const AIM_MISSED_STEP: u32 = 4 * REPAIR_STEP;

const PRIORITY_RULES: [Priority; 5] = [
    Priority::LatestStart,
    Priority::Rank,
    Priority::WindowsFirst,
    Priority::LongestFirst,
    Priority::LightestFirst,
];

/// `(finish, cost, effort, count)`, compared lexicographically.
type Key = (u32, i64, u64, usize);

/// What the search did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SearchStats {
    /// Search nodes visited (placements and time advances).
    pub nodes: u64,
    pub elapsed: Duration,
    /// A limit stopped the search before it finished.
    pub stopped: bool,
    /// The lower bound on the finish at the root.
    pub root_lower_bound: u32,
    /// The finish of the best greedy schedule, before the search.
    pub greedy_finish: Option<u32>,
    /// Nodes cut because a reverse search proved their subtree has nothing
    /// better (see [`Tandem`]).
    pub reverse_cuts: u64,
}

/// What a dating search shares with its reverse search, a second search of the
/// same set on another thread that takes the branches in reverse order. The
/// reverse search tells the main search of the subtrees it finished: a node, by
/// everything its subtree depends on (its key), and a day no schedule below it
/// finishes before. The main search cuts a node whose day is past its own
/// deadline: it would have found nothing there, so it finds the same schedules,
/// in the same order, as alone, and its answer does not depend on how far the
/// reverse search got. The reverse search reads the main search's best finish
/// as a deadline of its own, and stops with it.
#[derive(Debug, Default)]
pub struct Tandem {
    facts: Mutex<Facts>,
    /// The main search's best finish (`NONE`: none yet).
    best: AtomicU32,
    /// The main search has ended.
    stop: AtomicBool,
    /// A day no schedule at all finishes before, once the reverse search
    /// has ended (else 0).
    everything: AtomicU32,
    /// The subtrees told of so far.
    told: AtomicU32,
}

impl Tandem {
    pub fn new() -> Tandem {
        Tandem {
            best: AtomicU32::new(NONE),
            ..Tandem::default()
        }
    }

    pub(super) fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    pub(super) fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    fn facts(&self) -> std::sync::MutexGuard<'_, Facts> {
        self.facts.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Stops a [`Tandem`] when dropped.
pub(super) struct Stopping<'h>(pub(super) &'h Tandem);

impl Drop for Stopping<'_> {
    fn drop(&mut self) {
        self.0.stop();
    }
}

/// The subtrees a reverse search told of: for each node's key, a day no
/// schedule below it finishes before; and the words the keys take.
#[derive(Debug, Default)]
struct Facts {
    days: FxHashMap<Box<[u32]>, u32>,
    words: usize,
}

/// The most words the keys of the subtrees a reverse search tells of may take
/// (16 MB); past this it tells of no more.
const TANDEM_WORDS: usize = 1 << 22;

/// A reverse search tells only of subtrees of at least this many nodes: smaller
/// ones save the main search less than the telling costs.
const TANDEM_MIN_NODES: u64 = 8;

/// A window class with its floors (see [`super::window_classes`]).
#[derive(Debug, Clone)]
struct Class {
    members: Vec<usize>,
    /// The class's start days.
    days: Vec<u32>,
    shortest: u32,
    weekly_floor: u64,
    heavy_floor: u64,
    /// For each order k of [`CLASS_ORDERS`], the floor of packing units
    /// (see [`super::WindowFloor::units`]) and each member's units; empty
    /// where no plan must take any (dating a set, say: counting them at
    /// every node cost more than it cut there).
    unit_floors: Vec<(u32, u64, Vec<u64>)>,
}

/// Some tasks of window classes together (see [`super::ClassUnion`]).
struct Union {
    members: Vec<usize>,
    /// For each order k of [`CLASS_ORDERS`] with a floor: the floor and
    /// each member's units.
    orders: Vec<(u32, u64, Vec<u64>)>,
    /// The classes' intervals `[s, s + shortest)` for each start day `s`,
    /// as `(end, start)`, by end.
    intervals: Vec<(u32, u32)>,
}

/// One node of the search: a partial list of steps, all starting at or
/// before `t`.
#[derive(Debug, Clone)]
struct State {
    t: u32,
    /// Start day of each placed task, `NONE` if unplaced.
    start: Vec<u32>,
    /// The day each unplaced task became ready, `NONE` if it is not.
    ready_at: Vec<u32>,
    /// `placed.len()` when the task became ready (for the tie order).
    ready_seq: Vec<u32>,
    /// Tasks finished by `t` (zero-day ones placed at `t` included).
    done: FixedBitSet,
    /// Tasks that could have started earlier and that nothing placed from
    /// now on can push back: they can no longer be placed in this branch.
    dead: FixedBitSet,
    placed: Vec<usize>,
    running: Vec<usize>,
    /// Weekly load of the running tasks at `t`.
    load: u64,
    /// The last task placed at `t`, if any.
    last_at_t: Option<usize>,
    cost: i64,
    effort: u64,
    max_finish: u32,
    held: bool,
    /// Start ranges `[lo, hi]` of the needed tasks that an ancestor's
    /// [`Engine::misses`] proved for its deadline (empty if none): no
    /// schedule below meeting that deadline, or any earlier one, starts a
    /// task outside its range.
    range_lo: Vec<u32>,
    range_hi: Vec<u32>,
}

/// A layer of the one-machine programme (each set of heavy tasks done with
/// the day the machine is free and the days left) and the next layer (the
/// same, by set).
type MachineLayers = (Vec<(u64, u32, u32)>, FxHashMap<u64, (u32, u32)>);

pub(super) struct Engine<'a> {
    tasks: &'a [Task],
    cap: u64,
    oracle: &'a dyn Readiness,
    n: usize,
    /// `None`: the goal is the target. `Some(set)`: every task of the set.
    all_of: Option<FixedBitSet>,
    usable: FixedBitSet,
    /// For each task, the tasks whose readiness it may change.
    dependents: Vec<Vec<usize>>,
    /// Tasks whose completion may reach the goal.
    goal_dep: FixedBitSet,
    /// Tasks every plan needs.
    necessary: FixedBitSet,
    /// For each needed task, the tasks without which it can never be ready:
    /// they finish before it starts in every schedule.
    preds: Vec<Vec<usize>>,
    /// The needed tasks, each before every task of its `preds`; `None` when
    /// those precedences are not known yet or cyclic (no schedule then).
    back_order: Option<Vec<usize>>,
    /// The deadline [`Self::latest`] was last computed for, and its answer.
    latest_for: u32,
    latest: Option<Vec<u32>>,
    /// The earliest starts the last [`Engine::misses`] that passed left
    /// each needed task for its deadline, narrowed by its timetable and
    /// shaving (empty if none).
    ranged: Vec<u32>,
    /// The latest starts, likewise.
    ranged_hi: Vec<u32>,
    /// Buffers of [`Engine::timetable`].
    scratch: Cell<Scratch>,
    /// The machine: needed tasks no two of which ever run at once, since
    /// their loads together exceed the capacity (at most 64). Those over
    /// half the capacity, and the longest lighter one, if any, too heavy to
    /// run beside any of them (two lighter ones always fit side by side).
    heavy: Vec<usize>,
    /// For each of [`Self::heavy`], the machine's tasks that precede it
    /// (through any chain of precedences), as a mask over `heavy`.
    heavy_before: Vec<u64>,
    /// For each of [`Self::heavy`], the days of the longest chain of needed
    /// tasks that must follow it before the goal.
    heavy_tail: Vec<u32>,
    /// The one-machine bound met more sets than it may explore once: it
    /// is not tried again.
    machine_off: Cell<bool>,
    /// The one-machine bound raised the root's bound, so it is worth its
    /// cost at every node (the deadline check uses it regardless).
    machine_in_bound: bool,
    /// Answers of [`Self::machine_bound`] without latest starts, by its
    /// inputs: heavy tasks done, day free, deadline, earliest starts left.
    machine_memo: RefCell<FxHashMap<MachineKey, u32>>,
    /// Scratch of [`Self::machine_dp`]: a layer and the next one.
    machine_layers: RefCell<MachineLayers>,
    /// The order of heavy tasks (by index in `heavy`) that the last
    /// search of [`Self::machine_search`] found, last task first.
    machine_order: RefCell<Vec<usize>>,
    /// States of [`Self::machine_search`] from which no order of the heavy
    /// tasks left is done by the deadline.
    machine_failed: RefCell<FailedStates>,
    /// Below the root of a set's dating, how many nodes the energy judged
    /// and how many it cut ([`Self::narrowed_misses`]).
    node_energy: Cell<(u64, u64)>,
    /// Branching and tie order: lower first.
    rank: Vec<u32>,
    /// Tasks tried before moving on in time (the critical-path set).
    first_class: FixedBitSet,
    floor: Option<(i64, u64, usize)>,
    /// Least total work of any plan (see [`Problem::work_floor`]).
    work_floor: u64,
    budget: Option<i64>,
    /// `(k, floor on any plan's packing work, units of each task)`.
    packing: Vec<(u32, u64, Vec<u64>)>,
    classes: Vec<Class>,
    unions: Vec<Union>,
    limits: Limits,
    clock: Instant,
    /// Stops the search as the time limit would ([`crate::stop`]).
    stop: StopSignal,
    nodes: u64,
    stopped: bool,
    /// Phase 1 proves the finish only; phase 2 the whole key.
    finish_only: bool,
    /// Phase 1 looks for a schedule finishing by this day (`NONE`: any
    /// better than the best so far), pruning nodes whose bound is later.
    threshold: u32,
    /// The least bound of a node pruned for the threshold.
    next_threshold: u32,
    /// A schedule finishing by the threshold was found.
    halt: bool,
    /// Plain branch and bound only (a reference for tests).
    pub(super) plain: bool,
    /// Prune partial schedules dominated by one met before (off for the
    /// plain reference unless a test asks for it).
    pub(super) dominance: bool,
    /// Shave the start ranges when dating a set ([`SHAVING`]).
    shaving: bool,
    /// Judge a node again when a better schedule was found below it
    /// ([`REJUDGING`]).
    rejudging: bool,
    /// What this search shares with another, and whether this one is the
    /// reverse search.
    tandem: Option<(&'a Tandem, bool)>,
    /// Nodes cut by the reverse search's facts.
    reverse_cuts: u64,
    /// The depth of the current node (the reverse search counts it).
    depth: u32,
    /// Scratch for the main search's keys.
    key_buf: Vec<u32>,
    /// Starts the reverse search once the search has run this long.
    start_reverse: Option<(Duration, &'a dyn Fn())>,
    /// Only schedules finishing before this day are of interest: nodes
    /// whose bound reaches it are cut (`NONE`: no such cut).
    pub(super) cutoff: u32,
    best: Option<(Key, Vec<Step>)>,
    blocked: Vec<Blocked>,
    /// Partial schedules met so far, by the set of tasks placed (see
    /// [`Self::dominated`]).
    seen: FxHashMap<FixedBitSet, Vec<Seen>>,
    seen_len: usize,
}

/// A partial schedule met by the search: its day, and the start days of its
/// placed tasks in task order with their sum.
#[derive(Debug)]
struct Seen {
    t: u32,
    sum: u64,
    starts: Box<[u32]>,
}

/// Most partial schedules [`Engine::dominated`] keeps, in all and per set
/// of placed tasks.
const SEEN_MAX: usize = 100_000;
const SEEN_PER_SET: usize = 48;

/// Buffers [`Engine::timetable`] reuses from call to call.
#[derive(Default)]
struct Scratch {
    parts: Vec<(u32, u32, u64, usize)>,
    edges: Vec<(u32, bool, u64)>,
    xs: Vec<u32>,
    level: Vec<u64>,
}

thread_local! {
    /// See [`super::shaving`].
    pub(super) static SHAVING: Cell<bool> = const { Cell::new(true) };
    /// See [`super::rejudging`].
    pub(super) static REJUDGING: Cell<bool> = const { Cell::new(true) };
    /// See [`super::aiming_before_best`].
    pub(super) static AIMING: Cell<bool> = const { Cell::new(true) };
    pub(super) static ENERGY_TRIAL_FIRST: Cell<bool> = const { Cell::new(true) };
    /// See [`super::dating_cores_in_set_checks`].
    pub(super) static DATING_CORES: Cell<bool> = const { Cell::new(true) };
    /// See [`super::list_schedules_in_set_checks`].
    pub(super) static LIST_SCHEDULES_IN_CHECKS: Cell<bool> = const { Cell::new(true) };
    /// See [`super::cores_dated`].
    pub(super) static CORES_DATED: Cell<u64> = const { Cell::new(0) };
}

/// Rounds of [`Engine::shave`] at the root.
const SHAVE_ROUNDS: usize = 3;

/// Rounds of [`Engine::timetable`]: in general, and for a try of
/// [`Engine::shave`], which is worth carrying further along the
/// precedences (on the synthetic catalog, 8 rounds instead of 4 cut the
/// nodes of the slowest set datings by a fifth to a third; more, nothing).
const TIMETABLE_ROUNDS: usize = 4;

/// Below the root of a set's dating, the energy judges this many nodes,
/// then goes on only while at least one in [`ENERGY_RATIO`] was cut.
const ENERGY_TRIAL: u64 = 256;
const ENERGY_RATIO: u64 = 100;
const TRY_ROUNDS: usize = 8;

/// What [`Engine::machine_bound`] answers from: the heavy tasks done (a
/// mask), the day the machine is free, the deadline, and the earliest
/// starts of the heavy tasks left.
type MachineKey = (u64, u32, u32, u32, Box<[u32]>);

/// A state of [`Engine::machine_search`] from which it found nothing, for
/// the heavy tasks left that [`FailedStates`] keeps it under: the day the
/// machine is free, the deadline, and the earliest starts of the tasks
/// left that are later than that day (a mask, and the days in its order).
/// Nothing else decides the answer. The days are kept in place (the rest
/// 0), so that a state is one small value. (Of the 92,267 states
/// `college-074`'s plan looks up, 96 % have at most [`MACHINE_FAILED_DAYS`]
/// such days; the others are not kept.)
#[derive(Clone, Copy)]
struct MachineFailed {
    later: u64,
    free: u32,
    quit: u32,
    days: [u32; MACHINE_FAILED_DAYS],
}

/// The [`MachineFailed`] states, by the heavy tasks left (a mask).
#[derive(Default)]
struct FailedStates {
    by_rest: FxHashMap<u64, Vec<MachineFailed>>,
    len: usize,
}

/// The most [`MachineFailed`] states kept for one set of heavy tasks left
/// (the oldest goes): each lookup reads them all.
const MACHINE_FAILED_PER_SET: usize = 16;

impl FailedStates {
    fn clear(&mut self) {
        self.by_rest.clear();
        self.len = 0;
    }

    fn insert(&mut self, rest: u64, state: MachineFailed) {
        let states = self.by_rest.entry(rest).or_default();
        if states.len() >= MACHINE_FAILED_PER_SET {
            states.remove(0);
        } else {
            self.len += 1;
        }
        states.push(state);
    }

    /// Is the state with the heavy tasks `rest` left, the machine free on
    /// day `free` and the deadline `quit` no easier than one kept: the
    /// machine free no sooner, the deadline no later, and each task whose
    /// earliest start was after the kept state's free day released no
    /// sooner (`release(h)`, for the `h`-th heavy task; the others are
    /// released by `free` there, so no sooner here either)? Then, in every
    /// order, each task starts and ends no sooner than from the kept state,
    /// and no order is done by `quit` either.
    fn cover(&self, rest: u64, free: u32, quit: u32, release: impl Fn(usize) -> u32) -> bool {
        let Some(states) = self.by_rest.get(&rest) else {
            return false;
        };
        states.iter().any(|s| {
            if free < s.free || quit > s.quit {
                return false;
            }
            let mut bits = s.later;
            let mut k = 0;
            while bits != 0 {
                let h = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                if release(h) < s.days[k] {
                    return false;
                }
                k += 1;
            }
            true
        })
    }
}

/// The most later earliest starts a kept [`MachineFailed`] state has.
const MACHINE_FAILED_DAYS: usize = 4;

/// Most states [`Engine::machine_search`] remembers before starting over.
const MACHINE_FAILED: usize = 200_000;

/// Whether [`Engine::machine_bound`] checks each remembered answer it
/// reuses by computing it again (tests only: it undoes the memo's gain).
pub(super) static CHECK_REUSED: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// Most answers [`Engine::machine_bound`] remembers before starting over.
const MACHINE_MEMO: usize = 50_000;

/// The most intervals of start days a union of classes may have for its
/// bound to be used ([`Engine::union_bound`]).
const MAX_UNION_INTERVALS: usize = 4_096;

/// The most sets the one-machine programme meets before it is given up.
const MACHINE_SETS: usize = 20_000;

impl<'a> Engine<'a> {
    pub(super) fn new(problem: &Problem<'a>, all_of: Option<FixedBitSet>, limits: &Limits) -> Self {
        let n = problem.tasks.len();
        let blocked = blocked(problem);
        let mut usable = FixedBitSet::with_capacity(n);
        usable.insert_range(..);
        for b in &blocked {
            usable.set(b.task(), false);
        }
        if let Some(set) = &all_of {
            usable.intersect_with(set);
        }
        let mut dependents = vec![Vec::new(); n];
        let mut goal_dep = FixedBitSet::with_capacity(n);
        match problem.dependencies {
            Some(d) => {
                for (i, of) in d.of_task.iter().enumerate().take(n) {
                    for &j in of {
                        if j < n && j != i {
                            dependents[j].push(i);
                        }
                    }
                }
                for &j in &d.of_target {
                    if j < n {
                        goal_dep.insert(j);
                    }
                }
            }
            None => {
                for (j, deps) in dependents.iter_mut().enumerate() {
                    *deps = (0..n).filter(|&i| i != j).collect();
                }
                goal_dep.insert_range(..);
            }
        }
        for deps in &mut dependents {
            deps.sort_unstable();
            deps.dedup();
        }
        if let Some(set) = &all_of {
            goal_dep = set.clone();
        }
        // For a fixed set every task is needed, which the load bound uses
        // already; the floor is about the target's plans.
        let budget = problem.budget.filter(|_| all_of.is_none());
        let work_floor = if all_of.is_none() {
            problem.work_floor
        } else {
            0
        };
        // Orders 1 to 3 always (with the needed tasks at least), with the
        // floors given for them.
        let packing = (1..=3u32)
            .map(|k| {
                let floor = problem
                    .packing_floors
                    .iter()
                    .filter(|f| f.k == k && all_of.is_none())
                    .map(|f| f.floor)
                    .max()
                    .unwrap_or(0);
                let units = problem
                    .tasks
                    .iter()
                    .map(|t| packing_units(k, t.load(), problem.capacity))
                    .collect();
                (k, floor, units)
            })
            .collect();
        let classes = window_classes(problem.tasks)
            .into_iter()
            .filter_map(|members| {
                let Window::Days(days) = problem.tasks[members[0]].window.clone() else {
                    return None;
                };
                let shortest = members.iter().map(|&i| problem.tasks[i].days).min()?;
                let floor = problem
                    .window_floors
                    .iter()
                    .find(|f| f.tasks == members && all_of.is_none());
                Some(Class {
                    shortest,
                    days,
                    weekly_floor: floor.map_or(0, |f| f.weekly),
                    heavy_floor: floor.map_or(0, |f| f.heavy),
                    unit_floors: floor
                        .filter(|f| f.units.iter().any(|&u| u > 0))
                        .map(|f| {
                            CLASS_ORDERS
                                .iter()
                                .zip(f.units)
                                .map(|(&k, floor)| {
                                    let units = members
                                        .iter()
                                        .map(|&j| {
                                            packing_units(
                                                k,
                                                problem.tasks[j].load(),
                                                problem.capacity,
                                            )
                                        })
                                        .collect();
                                    (k, floor, units)
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                    members,
                })
            })
            .collect::<Vec<Class>>();
        let unions: Vec<Union> = problem
            .class_unions
            .iter()
            .filter(|_| all_of.is_none())
            .map(|u| {
                let orders = CLASS_ORDERS
                    .iter()
                    .zip(u.units)
                    .filter(|&(_, floor)| floor > 0)
                    .map(|(&k, floor)| {
                        let units = u
                            .tasks
                            .iter()
                            .map(|&j| packing_units(k, problem.tasks[j].load(), problem.capacity))
                            .collect();
                        (k, floor, units)
                    })
                    .collect();
                // Each class with members in the union: its start days, each
                // for the shortest of those members.
                let mut intervals: Vec<(u32, u32)> = classes
                    .iter()
                    .filter_map(|c| {
                        let shortest = c
                            .members
                            .iter()
                            .filter(|j| u.tasks.binary_search(j).is_ok())
                            .map(|&j| problem.tasks[j].days)
                            .min()?;
                        Some(c.days.iter().map(move |&s| (s.saturating_add(shortest), s)))
                    })
                    .flatten()
                    .collect();
                intervals.sort_unstable();
                intervals.dedup();
                Union {
                    members: u.tasks.clone(),
                    orders,
                    intervals,
                }
            })
            // A chain is found by a walk over the intervals at every node:
            // not where there are so many that it would cost more than it
            // cuts (the bundled catalogs have a few hundred).
            .filter(|u| !u.orders.is_empty() && u.intervals.len() <= MAX_UNION_INTERVALS)
            .collect();
        Engine {
            tasks: problem.tasks,
            cap: problem.capacity,
            oracle: problem.readiness,
            n,
            all_of,
            usable,
            dependents,
            goal_dep,
            necessary: FixedBitSet::with_capacity(n),
            preds: Vec::new(),
            back_order: None,
            latest_for: NONE,
            latest: None,
            ranged: Vec::new(),
            ranged_hi: Vec::new(),
            scratch: Cell::new(Scratch::default()),
            heavy: Vec::new(),
            heavy_before: Vec::new(),
            heavy_tail: Vec::new(),
            machine_off: Cell::new(false),
            machine_in_bound: true,
            machine_memo: RefCell::new(FxHashMap::default()),
            machine_layers: RefCell::new((Vec::new(), FxHashMap::default())),
            machine_order: RefCell::new(Vec::new()),
            machine_failed: RefCell::new(FailedStates::default()),
            node_energy: Cell::new((0, 0)),
            rank: (0..n as u32).collect(),
            first_class: FixedBitSet::with_capacity(n),
            floor: None,
            work_floor,
            packing,
            classes,
            unions,
            budget,
            limits: *limits,
            clock: Instant::now(),
            stop: StopSignal::current(),
            nodes: 0,
            stopped: false,
            finish_only: true,
            threshold: NONE,
            next_threshold: NONE,
            halt: false,
            plain: false,
            dominance: true,
            shaving: SHAVING.get(),
            rejudging: REJUDGING.get(),
            tandem: None,
            reverse_cuts: 0,
            depth: 0,
            key_buf: Vec::new(),
            start_reverse: None,
            cutoff: NONE,
            best: None,
            blocked,
            seen: FxHashMap::default(),
            seen_len: 0,
        }
    }

    /// Shares with `tandem`, as the main search or (`back`) as the reverse
    /// search.
    pub(super) fn in_tandem(mut self, tandem: &'a Tandem, back: bool) -> Self {
        self.tandem = Some((tandem, back));
        self
    }

    /// Calls `start` (which starts the reverse search) once the search has run
    /// `after`.
    pub(super) fn starting_reverse(mut self, after: Duration, start: &'a dyn Fn()) -> Self {
        self.start_reverse = Some((after, start));
        self
    }

    /// What this search shares, when it is the reverse search.
    fn as_reverse(&self) -> Option<&'a Tandem> {
        self.tandem.and_then(|(h, back)| back.then_some(h))
    }

    /// What this search shares, when it is the main one and in its plain
    /// search (a threshold round must also learn the least bound of what
    /// it cuts).
    fn as_main(&self) -> Option<&'a Tandem> {
        match self.tandem {
            Some((h, false)) if self.finish_only && self.threshold == NONE => Some(h),
            _ => None,
        }
    }

    /// The least finish, once the reverse search has ended: no
    /// schedule finishes before it, and one (the reverse search's or this
    /// search's) finishes on it. The main search then looks for the first
    /// schedule finishing on it in its own order, the one it would find
    /// alone, cutting whatever cannot finish by it.
    fn known_least(&self) -> Option<u32> {
        let day = self.as_main()?.everything.load(Ordering::Relaxed);
        (day > 0).then_some(day)
    }

    /// Everything the subtree below `st` depends on, its start ranges
    /// aside (which only cut): the day, each task's start, the day and
    /// order it became ready, the tasks dead, the last task placed today.
    fn key(&self, st: &State) -> Box<[u32]> {
        let mut key = Vec::with_capacity(3 * self.n + 2 + self.n / 32);
        Self::key_into(st, &mut key);
        key.into_boxed_slice()
    }

    fn key_into(st: &State, key: &mut Vec<u32>) {
        key.clear();
        key.push(st.t);
        key.push(st.last_at_t.map_or(NONE, |i| i as u32));
        key.extend_from_slice(&st.start);
        key.extend_from_slice(&st.ready_at);
        key.extend_from_slice(&st.ready_seq);
        key.extend_from_slice(st.dead.as_slice());
    }

    /// Does the reverse search know the subtree below `st` has nothing that
    /// meets the deadline? (The plain search only: a threshold round must also
    /// learn the least bound of what it cuts.)
    fn told_nothing_below(&mut self, st: &State) -> bool {
        let Some(tandem) = self.as_main() else {
            return false;
        };
        let deadline = self.deadline();
        if tandem.everything.load(Ordering::Relaxed) > deadline {
            self.reverse_cuts += 1;
            return true;
        }
        if tandem.told.load(Ordering::Relaxed) == 0 {
            return false;
        }
        Self::key_into(st, &mut self.key_buf);
        let told = tandem
            .facts()
            .days
            .get(&self.key_buf[..])
            .is_some_and(|&day| day > deadline);
        self.reverse_cuts += u64::from(told);
        told
    }

    /// Does task `j` take over half the capacity, so that no other such
    /// task can run beside it?
    fn heavy(&self, j: usize) -> bool {
        self.tasks[j].load() * 2 > self.cap
    }

    fn held(&self, done: &FixedBitSet) -> bool {
        match &self.all_of {
            Some(set) => set.ones().all(|i| done.contains(i)),
            None => self.oracle.target_held(done),
        }
    }

    /// Which tasks can ever be finished using only `allowed`, ignoring time
    /// and capacity, and whether the goal is then reached.
    fn reach(&self, allowed: &FixedBitSet, stop_at_goal: bool) -> (FixedBitSet, bool) {
        let mut done = FixedBitSet::with_capacity(self.n);
        let mut queued = FixedBitSet::with_capacity(self.n);
        let mut queue: Vec<usize> = Vec::new();
        for i in allowed.ones() {
            if self.oracle.ready(i, &done) {
                queued.insert(i);
                queue.push(i);
            }
        }
        let mut goal = self.held(&done);
        while let Some(j) = queue.pop() {
            done.insert(j);
            if !goal && self.goal_dep.contains(j) && self.held(&done) {
                goal = true;
                if stop_at_goal {
                    break;
                }
            }
            for &k in &self.dependents[j] {
                if allowed.contains(k) && !queued.contains(k) && self.oracle.ready(k, &done) {
                    queued.insert(k);
                    queue.push(k);
                }
            }
        }
        (done, goal)
    }

    fn root(&self) -> State {
        let n = self.n;
        let mut st = State {
            t: 0,
            start: vec![NONE; n],
            ready_at: vec![NONE; n],
            ready_seq: vec![0; n],
            done: FixedBitSet::with_capacity(n),
            dead: FixedBitSet::with_capacity(n),
            placed: Vec::new(),
            running: Vec::new(),
            load: 0,
            last_at_t: None,
            cost: 0,
            effort: 0,
            max_finish: 0,
            held: false,
            range_lo: Vec::new(),
            range_hi: Vec::new(),
        };
        for i in self.usable.ones() {
            if self.oracle.ready(i, &st.done) {
                st.ready_at[i] = 0;
            }
        }
        st.held = self.held(&st.done);
        st
    }

    /// Runs the search. `late_floor` is asked for a tie-break floor only
    /// when the finish is proven and the tie-breaks are not yet.
    pub(super) fn solve(
        mut self,
        hints: &Hints,
        late_floor: &mut dyn FnMut(Duration) -> Option<(i64, u64, usize)>,
    ) -> Result<TimePlan, Unreachable> {
        self.floor = hints.tiebreak_floor;

        let (reached, goal) = self.reach(&self.usable, false);
        if !goal {
            return Err(self.unreachable(&reached, false));
        }
        self.usable = reached;
        let root = self.root();
        if root.held {
            return Ok(TimePlan {
                schedule: Schedule {
                    steps: Vec::new(),
                    finish: 0,
                    cost: 0,
                    effort: 0,
                },
                optimal: true,
                finish_optimal: true,
                lower_bound: 0,
                stats: SearchStats {
                    elapsed: self.clock.elapsed(),
                    ..SearchStats::default()
                },
            });
        }
        self.find_necessary();
        let (root_goal, est, popped) = self.relax(&root, None);
        if root_goal == NONE {
            // Reachable but the relaxation says no: every remaining start
            // date passes before its task can be ready.
            return Err(self.unreachable(&self.usable.clone(), true));
        }
        self.order_branches(&est, &popped, root_goal);

        // Upper bounds: greedy list schedules of good sets, each under a few
        // priority rules.
        let mut sets = vec![self.first_class.clone()];
        for set in &hints.sets {
            let mut allowed = FixedBitSet::with_capacity(self.n);
            for &i in set {
                if i < self.n && self.usable.contains(i) {
                    allowed.insert(i);
                }
            }
            sets.push(allowed);
        }
        sets.push(self.usable.clone());
        if self.plain {
            sets.clear();
        }
        // Looking only for a schedule before a cutoff (a tied set to beat
        // another's finish), first whether the cheap bounds or the deadline
        // reasoning for the day before it rule the cutoff out: a set they
        // put past it needs no list schedules and no one-machine bound.
        let hopeless_early = self.cutoff != NONE && self.cutoff_missed(&root);
        if hopeless_early {
            sets.clear();
        }
        for set in &sets {
            for rule in PRIORITY_RULES {
                let order = self.priority(set, rule);
                self.greedy(&root, &order);
            }
        }
        for set in &sets {
            if self.best.is_none() {
                self.repair_greedy(set, REPAIR_ROUNDS);
            }
        }
        let (mut root_lb, root_est) = if hopeless_early {
            let (mut lb, est) = self.bound_est(&root);
            lb.0 = lb.0.max(self.cutoff);
            (lb, est)
        } else {
            self.root_bound(&root)
        };
        self.raise_by_deadlines(&root, &root_est, &mut root_lb);
        // Looking only for a schedule before the cutoff, none of which can
        // exist: no more list schedules (the search below ends at once).
        let hopeless = self.cutoff != NONE && root_lb.0 >= self.cutoff;
        // Randomised rounds only for the target: when dating a set, the
        // exact search, with its dominance rule, finds better schedules
        // sooner than two hundred list schedules do (on the synthetic
        // catalog the rounds cost 3-5 ms a set and saved nothing).
        if !self.plain
            && !hopeless
            && self.all_of.is_none()
            && self.best.as_ref().is_some_and(|(k, _)| k.0 > root_lb.0)
        {
            self.shuffled_greedy(&root, &sets);
        }
        // When dating a set, serial schedules aimed at a day before the
        // best finish (on the synthetic catalog's 200 first sets they find
        // the earliest finish of 19 of the 44 whose list schedules miss
        // it, and take a sixth of the nodes off the datings).
        if !self.plain
            && !hopeless
            && self.all_of.is_some()
            && AIMING.get()
            && self.best.as_ref().is_some_and(|(k, _)| k.0 > root_lb.0)
        {
            let set = self.usable.clone();
            self.aim_before_best(&set, AIM_ROUNDS, root_lb.0);
        }
        let greedy_finish = self.best.as_ref().map(|b| b.0 .0);

        let proven = |best: &Option<(Key, Vec<Step>)>| match best {
            Some((key, _)) => key.0 <= root_lb.0,
            None => false,
        };
        if !proven(&self.best) && !self.plain {
            // Better schedules of good sets: the exact search restricted to
            // the critical-path set, then to the best set found, each with an
            // eighth of the limits.
            let mut sets = vec![self.first_class.clone()];
            if let Some((_, steps)) = &self.best {
                let mut set = FixedBitSet::with_capacity(self.n);
                steps.iter().for_each(|s| set.insert(s.task));
                sets.push(set);
            }
            for set in sets {
                if proven(&self.best) {
                    break;
                }
                self.restricted(&set);
            }
        }
        let mut proven_finish = false;
        let mut proven_all = false;
        if let Some((key, _)) = &self.best {
            proven_finish = key.0 <= root_lb.0;
            proven_all = *key <= root_lb;
        }
        // Phase 1, by threshold deepening: look for a schedule finishing by
        // `lower`, a proven lower bound. Finding one proves it optimal; a
        // complete search without one proves that none finishes before the
        // least bound of the nodes cut for the threshold. The last round is
        // the plain proof search, so nothing is lost, and a stopped search
        // still has a proven bound better than the root's.
        let mut lower = root_lb.0;
        if !proven_finish {
            // First the plain search, which improves the schedule as it
            // goes: alone for the reference, else for half the time left.
            self.finish_only = true;
            let saved = self.limits;
            if !self.plain {
                let elapsed = self.clock.elapsed();
                self.limits.time = elapsed + self.limits.time.saturating_sub(elapsed) / 2;
                self.limits.nodes = self.nodes + self.limits.nodes.saturating_sub(self.nodes) / 2;
            }
            self.dfs(root.clone());
            proven_finish = !self.stopped;
            self.limits = saved;
            if !self.plain {
                self.stopped = false;
            }
        }
        if !proven_finish && !self.plain {
            self.finish_only = true;
            loop {
                if self.best.as_ref().is_some_and(|(k, _)| k.0 <= lower) {
                    proven_finish = true;
                    break;
                }
                self.threshold = lower;
                self.next_threshold = NONE;
                self.halt = false;
                self.dfs(root.clone());
                if self.halt {
                    proven_finish = true;
                    break;
                }
                if self.stopped {
                    break;
                }
                if self.next_threshold == NONE {
                    // Nothing was cut for the threshold: the best schedule
                    // found is optimal, or there is none.
                    proven_finish = true;
                    break;
                }
                lower = self.next_threshold.max(lower + 1);
            }
            self.threshold = NONE;
            self.halt = false;
        }
        // Every schedule of a fixed set places all of it, at the same cost,
        // effort and count: its earliest finish settles the whole key.
        if self.all_of.is_some() {
            proven_all = proven_finish;
        }
        if proven_finish && !proven_all && !self.stopped && self.all_of.is_none() {
            if self.floor.is_none() {
                let left = self.limits.time.saturating_sub(self.clock.elapsed());
                self.floor = late_floor(left / 2);
            }
            if let (Some(f), Some((key, _))) = (self.floor, &self.best) {
                proven_all = (key.1, key.2, key.3) <= f;
            }
        }
        if proven_finish && !proven_all && !self.stopped {
            self.finish_only = false;
            self.dfs(root);
            proven_all = !self.stopped;
        }

        let stats = SearchStats {
            nodes: self.nodes,
            elapsed: self.clock.elapsed(),
            stopped: self.stopped,
            root_lower_bound: root_lb.0.min(self.best.as_ref().map_or(NONE, |b| b.0 .0)),
            greedy_finish,
            reverse_cuts: self.reverse_cuts,
        };
        match self.best.take() {
            Some((key, steps)) => {
                let schedule = Schedule {
                    finish: key.0,
                    cost: key.1,
                    effort: key.2,
                    steps,
                };
                let lower_bound = if proven_finish {
                    key.0
                } else {
                    lower.min(key.0)
                };
                Ok(TimePlan {
                    schedule,
                    optimal: proven_all,
                    finish_optimal: proven_finish,
                    lower_bound,
                    stats,
                })
            }
            None => {
                // The search found nothing: start dates missed, or, with a
                // budget, perhaps only too dear.
                let over_budget = self.budget.is_some() && !self.stopped;
                let mut u = self.unreachable(&self.usable.clone(), !over_budget);
                u.search_stopped = self.stopped;
                u.over_budget = over_budget;
                Err(u)
            }
        }
    }

    /// Only [`Self::repair_greedy`] over every usable task (see
    /// [`super::serial_schedules_only`]).
    pub(super) fn serial_only(mut self) -> Option<Schedule> {
        let (reached, goal) = self.reach(&self.usable, false);
        if !goal {
            return None;
        }
        self.usable = reached;
        let set = self.usable.clone();
        self.repair_greedy(&set, REPAIR_ROUNDS);
        self.best.take().map(|(key, steps)| Schedule {
            finish: key.0,
            cost: key.1,
            effort: key.2,
            steps,
        })
    }

    /// Can some subset of `set` reach the goal in a schedule? First the
    /// critical-path relaxation (no: certain, and the set is then grown,
    /// trying the items of `grow_order`, to a superset for which the
    /// relaxation still says no), then list schedules (yes: certain). Then
    /// the set's core ([`Self::core_of`]), by `date_core(tasks, assumed)`
    /// (the tasks dated as a set, those of `assumed` taken as done from the
    /// start; `None`: cut short). First the tasks every plan needs, with
    /// the others assumed: no schedule, and no plan has one. Then, when few
    /// core tasks are optional, each core part a plan may place
    /// ([`Self::core_parts`]): yes if one has a schedule, no if none has.
    /// After a no (or when a dating is cut short: undecided) the set is
    /// grown to a superset whose plans place the same parts
    /// ([`Self::grow_around`]). Otherwise the exact search with at most
    /// `nodes` nodes.
    pub(super) fn check_set(
        &mut self,
        set: &FixedBitSet,
        grow_order: &[usize],
        nodes: u64,
        date_core: &mut DateCore<'_>,
    ) -> crate::select::Verdict {
        use crate::select::Verdict;
        let all = self.usable.clone();
        let mut within = set.clone();
        within.grow(self.n);
        within.intersect_with(&all);
        let n = self.n;
        let with_unusable = |mut m: FixedBitSet| {
            for i in 0..n {
                if !all.contains(i) {
                    m.insert(i);
                }
            }
            m
        };
        // What a rejected set may grow by (most checks say yes: only then).
        let cands = |within: &FixedBitSet| -> Vec<usize> {
            grow_order
                .iter()
                .copied()
                .filter(|&i| i < n && all.contains(i) && !within.contains(i))
                .collect()
        };
        let verdict = if !self.relaxed_reaches(&within) {
            // Add what keeps the relaxation short of the goal.
            let cands = cands(&within);
            let grown = grow_in_halves(within, &cands, |trial| !self.relaxed_reaches(trial));
            Verdict::No(with_unusable(grown))
        } else {
            self.usable = within.clone();
            self.best = None;
            let root = self.root();
            if !root.held && LIST_SCHEDULES_IN_CHECKS.get() {
                for rule in PRIORITY_RULES {
                    let order = self.priority(&within, rule);
                    self.greedy(&root, &order);
                    if self.best.is_some() {
                        break;
                    }
                }
                if self.best.is_none() {
                    self.repair_greedy(&within, REPAIR_ROUNDS);
                }
            }
            let listed = root.held || self.best.is_some();
            let dated = if listed || !DATING_CORES.get() {
                None
            } else {
                self.core_of(&within).and_then(|core| {
                    CORES_DATED.set(CORES_DATED.get() + 1);
                    let (verdict, all_parts) = self.core_verdict(&core, date_core)?;
                    Some((verdict, all_parts, core))
                })
            };
            if listed {
                Verdict::Yes
            } else if let Some((verdict, all_parts, core)) = dated {
                // Undecided, the plans that would be dated the same way
                // are set aside with the set.
                let grown =
                    || with_unusable(self.grow_around(&within, &core, &cands(&within), all_parts));
                match verdict {
                    Some(true) => Verdict::Yes,
                    None => Verdict::Unknown(grown()),
                    Some(false) => Verdict::No(grown()),
                }
            } else {
                self.nodes = 0;
                self.stopped = false;
                self.limits.nodes = nodes;
                self.finish_only = true;
                self.threshold = NONE;
                self.seen.clear();
                self.seen_len = 0;
                self.dfs(root);
                if self.best.is_some() {
                    Verdict::Yes
                } else if !self.stopped {
                    Verdict::No(with_unusable(within))
                } else {
                    Verdict::Unknown(with_unusable(within))
                }
            }
        };
        self.usable = all;
        self.best = None;
        self.stopped = false;
        verdict
    }

    /// A set check's verdict from its core: `(verdict, whether every part
    /// was dated)`; `None` when the core decides nothing. First the needed
    /// tasks with the optional ones assumed done (a relaxation of every
    /// part, which a plan's schedule would place: no schedule, no plan has
    /// one; with nothing optional, that is the one part). Then each part,
    /// when there are few.
    fn core_verdict(
        &self,
        core: &Core,
        date_core: &mut DateCore<'_>,
    ) -> Option<(Option<bool>, bool)> {
        let needed: Vec<usize> = core.needed.ones().collect();
        let relaxed = date_core(&needed, &core.optional);
        if relaxed == Some(false) {
            return Some((Some(false), false));
        }
        if core.optional.is_empty() {
            return Some((relaxed, false));
        }
        let parts = self.core_parts(core)?;
        let mut verdict = Some(false);
        for part in &parts {
            match date_core(&part.ones().collect::<Vec<usize>>(), &[]) {
                Some(true) => return Some((Some(true), true)),
                None => verdict = None,
                Some(false) => {}
            }
        }
        Some((verdict, true))
    }

    /// The tasks of `within` that reach the goal, split for a set check
    /// ([`Core`]); `None` when they do not reach it.
    ///
    /// The tasks that can wait until everything else is done are those
    /// without start dates on which only other such tasks (or the goal)
    /// wait. Placed one after another after the rest's last finish, each is
    /// ready (every plan's tasks become ready in some order) and has the
    /// capacity to itself; and no core task waits on them. So a plan has a
    /// schedule exactly when its core part has one placing all of it, whose
    /// readiness depends on core tasks alone.
    fn core_of(&self, within: &FixedBitSet) -> Option<Core> {
        let (reached, goal) = self.reach(within, false);
        if !goal {
            return None;
        }
        let mut waits = FixedBitSet::with_capacity(self.n);
        for i in reached.ones() {
            if matches!(self.tasks[i].window, Window::Anytime) {
                waits.insert(i);
            }
        }
        // The largest such set: drop the tasks a core task waits on, until
        // none is left.
        let mut queue: Vec<usize> = reached.ones().filter(|&k| !waits.contains(k)).collect();
        while let Some(k) = queue.pop() {
            for j in reached.ones() {
                if waits.contains(j) && self.dependents[j].binary_search(&k).is_ok() {
                    waits.set(j, false);
                    queue.push(j);
                }
            }
        }
        let mut core = reached.clone();
        core.difference_with(&waits);
        let mut needed = FixedBitSet::with_capacity(self.n);
        let mut optional = Vec::new();
        let mut allowed = reached;
        for c in core.ones() {
            allowed.set(c, false);
            if self.reach(&allowed, true).1 {
                optional.push(c);
            } else {
                needed.insert(c);
            }
            allowed.set(c, true);
        }
        Some(Core {
            waits,
            core,
            needed,
            optional,
        })
    }

    /// The needed tasks with the optional ones of `mask`, and those with
    /// the waiting tasks.
    fn with_optional(&self, core: &Core, mask: u32) -> (FixedBitSet, FixedBitSet) {
        let mut part = core.needed.clone();
        for (k, &o) in core.optional.iter().enumerate() {
            if mask >> k & 1 == 1 {
                part.insert(o);
            }
        }
        let mut allowed = part.clone();
        allowed.union_with(&core.waits);
        (part, allowed)
    }

    /// The core parts a plan of the set may place, smallest first: the
    /// needed tasks with each set of optional ones that, with the waiting
    /// tasks, reach the goal, every task of it ready in turn. Only parts
    /// whose every optional task makes another task of the part ready or is
    /// needed for the goal: dropping one that does neither from a schedule
    /// leaves a schedule of a smaller part, dated in its turn. `None` past
    /// [`MAX_OPTIONAL`] optional tasks or [`MAX_PARTS`] parts.
    fn core_parts(&self, core: &Core) -> Option<Vec<FixedBitSet>> {
        if core.optional.len() > MAX_OPTIONAL {
            return None;
        }
        let mut parts = Vec::new();
        for mask in 0..1u32 << core.optional.len() {
            let (part, mut allowed) = self.with_optional(core, mask);
            let (done, goal) = self.reach(&allowed, false);
            if !goal || !part.is_subset(&done) {
                continue;
            }
            let relevant = core.optional.iter().enumerate().all(|(k, &o)| {
                if mask >> k & 1 == 0
                    || self.dependents[o]
                        .iter()
                        .any(|&j| j != o && part.contains(j))
                {
                    return true;
                }
                allowed.set(o, false);
                let goal_without = self.reach(&allowed, true).1;
                allowed.set(o, true);
                !goal_without
            });
            if relevant {
                parts.push(part);
                if parts.len() > MAX_PARTS {
                    return None;
                }
            }
        }
        parts.sort_by_key(|p| p.count_ones(..));
        Some(parts)
    }

    /// A superset of `within`, whose core parts ([`Self::core_parts`]) have
    /// no schedule, adding tasks of `cands` in halves while its plans keep
    /// the same core parts: only tasks no core task waits on are tried, and
    /// a trial is kept when every largest set of core tasks that falls short
    /// of the goal (with the waiting tasks) still does, with the trial's
    /// other tasks too. A plan in it then places one of those parts, and
    /// its schedule would be one of that part. Unless `all_parts` were
    /// dated, only the sets without a needed task must stay short: a plan in
    /// the superset then places every needed task, in a schedule the
    /// relaxation of [`Self::core_verdict`] covers. A task of `within` that
    /// no plan in it can take (it is never ready) may become one in the
    /// superset: if such a task could make a core task ready, the set does
    /// not grow at all.
    fn grow_around(
        &self,
        within: &FixedBitSet,
        core: &Core,
        cands: &[usize],
        all_parts: bool,
    ) -> FixedBitSet {
        // Each largest short set: the core without a needed task; the needed
        // tasks with a largest set of optional ones short of the goal.
        let mut short: Vec<FixedBitSet> = core
            .needed
            .ones()
            .map(|c| {
                let mut q = core.core.clone();
                q.set(c, false);
                q
            })
            .collect();
        if all_parts && !core.optional.is_empty() {
            let fails: Vec<u32> = (0..1u32 << core.optional.len())
                .filter(|&mask| !self.reach(&self.with_optional(core, mask).1, true).1)
                .collect();
            for &f in &fails {
                if !fails.iter().any(|&g| g != f && g & f == f) {
                    short.push(self.with_optional(core, f).0);
                }
            }
        }
        let readies_core = |i: usize| self.dependents[i].iter().any(|&k| core.core.contains(k));
        if within
            .ones()
            .any(|i| !core.core.contains(i) && !core.waits.contains(i) && readies_core(i))
        {
            return within.clone();
        }
        let cands: Vec<usize> = cands
            .iter()
            .copied()
            .filter(|&i| !readies_core(i))
            .collect();
        grow_in_halves(within.clone(), &cands, |trial| {
            short.iter().all(|q| {
                let mut allowed = trial.clone();
                allowed.difference_with(&core.core);
                allowed.union_with(q);
                !self.reach(&allowed, true).1
            })
        })
    }

    /// Does the critical-path relaxation over the tasks of `allowed` reach
    /// the goal? (Leaves `usable` at `allowed`.)
    fn relaxed_reaches(&mut self, allowed: &FixedBitSet) -> bool {
        self.usable.clone_from(allowed);
        let root = self.root();
        root.held || self.relax(&root, None).0 != NONE
    }

    fn unreachable(&self, reached: &FixedBitSet, windows_missed: bool) -> Unreachable {
        // Would the goal be reachable if the blocked tasks could be taken?
        let mut with_blocked = self.usable.clone();
        for b in &self.blocked {
            with_blocked.insert(b.task());
        }
        if let Some(set) = &self.all_of {
            with_blocked.intersect_with(set);
        }
        let blocked_is_cause =
            !windows_missed && !self.blocked.is_empty() && self.reach(&with_blocked, true).1;
        let stuck = match &self.all_of {
            Some(set) => set.ones().filter(|&i| !reached.contains(i)).collect(),
            None => Vec::new(),
        };
        Unreachable {
            blocked: self.blocked.clone(),
            blocked_is_cause,
            stuck,
            windows_missed,
            search_stopped: false,
            over_budget: false,
        }
    }

    /// A task is needed by every plan when the goal cannot be reached
    /// without it.
    fn find_necessary(&mut self) {
        if let Some(set) = &self.all_of {
            self.necessary = set.clone();
            self.necessary.intersect_with(&self.usable);
        } else {
            // One reachability per usable task: a fifth of a second on a
            // thousand. A limit met on the way leaves the rest unknown
            // (fewer needed tasks only weaken the bounds and the deadline
            // reasoning), and the search stops at once.
            let mut allowed = self.usable.clone();
            for i in self.usable.clone().ones() {
                if self.out_of_limits() {
                    break;
                }
                allowed.set(i, false);
                if !self.reach(&allowed, true).1 {
                    self.necessary.insert(i);
                }
                allowed.set(i, true);
            }
        }
        self.find_precedences();
    }

    /// The precedences among needed tasks that every schedule obeys: `j`
    /// precedes `i` when `i` is not ready even with every other usable task
    /// done (the oracle is monotone, so no schedule starts `i` before `j` is
    /// done). Then an order that puts each task before its predecessors.
    fn find_precedences(&mut self) {
        let mut preds = vec![Vec::new(); self.n];
        let mut done = self.usable.clone();
        for j in self.necessary.ones() {
            for &i in &self.dependents[j] {
                if i == j || !self.necessary.contains(i) {
                    continue;
                }
                done.set(i, false);
                done.set(j, false);
                if !self.oracle.ready(i, &done) {
                    preds[i].push(j);
                }
                done.set(i, true);
                done.set(j, true);
            }
        }
        // Kahn's algorithm from the tasks nothing needs.
        let mut later = vec![0usize; self.n];
        for i in self.necessary.ones() {
            for &j in &preds[i] {
                later[j] += 1;
            }
        }
        let mut order: Vec<usize> = self.necessary.ones().filter(|&i| later[i] == 0).collect();
        let mut k = 0;
        while k < order.len() {
            let i = order[k];
            k += 1;
            for &j in &preds[i] {
                later[j] -= 1;
                if later[j] == 0 {
                    order.push(j);
                }
            }
        }
        self.back_order = (order.len() == self.necessary.count_ones(..)).then_some(order);
        self.preds = preds;
        self.latest_for = NONE;
        self.find_machine();
    }

    /// The heavy needed tasks and the precedences among them, for
    /// [`Self::machine_bound`]; none when there are more than 64 of them or
    /// the precedences are cyclic.
    fn find_machine(&mut self) {
        self.heavy.clear();
        self.heavy_before.clear();
        self.heavy_tail.clear();
        self.machine_off.set(false);
        self.machine_memo.borrow_mut().clear();
        self.machine_order.borrow_mut().clear();
        self.machine_failed.borrow_mut().clear();
        let Some(order) = &self.back_order else {
            return;
        };
        let mut heavy: Vec<usize> = self
            .necessary
            .ones()
            .filter(|&i| self.tasks[i].work() > 0 && self.heavy(i))
            .collect();
        // A light task that runs beside none of them is on the machine too
        // (on the synthetic catalog's `college-074`, a 4.9-hour course
        // beside heavy ones of 5.9 hours and more: the dating's nodes went
        // from 20,495 to 4,128).
        let lightest = heavy.iter().map(|&i| self.tasks[i].load()).min();
        if let Some(lightest) = lightest.filter(|_| heavy.len() < 64) {
            let alone = self
                .necessary
                .ones()
                .filter(|&i| {
                    let t = &self.tasks[i];
                    t.work() > 0 && !self.heavy(i) && t.load() + lightest > self.cap
                })
                .max_by_key(|&i| (self.tasks[i].days, Reverse(i)));
            heavy.extend(alone);
        }
        // Without listed start days the load bound from each release day
        // sees nearly as much, for far less.
        let windowed = heavy
            .iter()
            .any(|&i| matches!(self.tasks[i].window, Window::Days(_)));
        if heavy.len() > 64 || !windowed {
            return;
        }
        let mut bit = vec![0u64; self.n];
        for (h, &i) in heavy.iter().enumerate() {
            bit[i] = 1 << h;
        }
        // Predecessors come after their successors in `order`.
        let mut before = vec![0u64; self.n];
        for &i in order.iter().rev() {
            before[i] = self.preds[i].iter().fold(0, |m, &j| m | before[j] | bit[j]);
        }
        // Successors come before their predecessors in `order`.
        let mut tail = vec![0u32; self.n];
        for &i in order {
            for &j in &self.preds[i] {
                tail[j] = tail[j].max(self.tasks[i].days + tail[i]);
            }
        }
        self.heavy_before = heavy.iter().map(|&i| before[i]).collect();
        self.heavy_tail = heavy.iter().map(|&i| tail[i]).collect();
        self.heavy = heavy;
    }

    /// The latest start of each needed task in any schedule that reaches
    /// the goal by `deadline`: its last listed start day that lets it finish
    /// by the deadline and before each task it precedes starts. `None` when
    /// some task has no such day, so no schedule meets the deadline.
    fn latest_starts_by(&self, deadline: u32, order: &[usize]) -> Option<Vec<u32>> {
        let mut by = vec![deadline; self.n];
        let mut latest = vec![NONE; self.n];
        for &i in order {
            let task = &self.tasks[i];
            let s = by[i]
                .checked_sub(task.days)
                .and_then(|d| task.window.last_by(d))?;
            latest[i] = s;
            for &j in &self.preds[i] {
                by[j] = by[j].min(s);
            }
        }
        Some(latest)
    }

    /// Narrows the start range `[es, ls]` of each unplaced needed task, in
    /// rounds: a task may not start where it would overload the capacity
    /// beside the running tasks and the *compulsory parts* of the others
    /// (a task whose range is `[e, l]` surely runs on `[l, e + days)`), and
    /// precedences carry the changes forward and backward. `false` when a
    /// range empties: no schedule below `st` meets the deadline. Only ever
    /// removes starts no such schedule uses, so the ranges stay valid.
    fn timetable(
        &self,
        st: &State,
        order: &[usize],
        es: &mut [u32],
        ls: &mut [u32],
        rounds: usize,
    ) -> bool {
        let mut scratch = self.scratch.take();
        let fits = self.timetable_with(st, order, es, ls, rounds, &mut scratch);
        self.scratch.set(scratch);
        fits
    }

    fn timetable_with(
        &self,
        st: &State,
        order: &[usize],
        es: &mut [u32],
        ls: &mut [u32],
        rounds: usize,
        scratch: &mut Scratch,
    ) -> bool {
        let open = |i: usize| st.start[i] == NONE;
        let Scratch {
            parts,
            edges,
            xs,
            level,
        } = scratch;
        for _round in 0..rounds {
            // (from, to, load, task): running tasks, then compulsory parts.
            parts.clear();
            parts.extend(st.running.iter().map(|&j| {
                let t = &self.tasks[j];
                (st.t, st.start[j] + t.days, t.load(), j)
            }));
            for i in self.necessary.ones() {
                let t = &self.tasks[i];
                if open(i) && t.work() > 0 && ls[i] < es[i] + t.days {
                    parts.push((ls[i], es[i] + t.days, t.load(), i));
                }
            }
            if parts.is_empty() {
                return true;
            }
            // The capacity the parts use, as a step function: `level[k]`
            // on `[xs[k], xs[k + 1])`, nothing before `xs[0]`.
            edges.clear();
            for p in parts.iter() {
                edges.push((p.0, true, p.2));
                edges.push((p.1, false, p.2));
            }
            // Ends before starts on a day: the level never goes below zero.
            edges.sort_unstable_by_key(|e| (e.0, e.1));
            xs.clear();
            level.clear();
            let mut used = 0u64;
            for &(x, rise, l) in edges.iter() {
                if rise {
                    used += l;
                } else {
                    used -= l;
                }
                if xs.last() == Some(&x) {
                    *level.last_mut().expect("one level per day") = used;
                } else {
                    xs.push(x);
                    level.push(used);
                }
            }
            let most = level.iter().copied().max().unwrap_or(0);
            let mut changed = false;
            for i in self.necessary.ones() {
                let task = &self.tasks[i];
                if !open(i) || task.work() == 0 {
                    continue;
                }
                let (d, w) = (task.days, task.load());
                if most + w <= self.cap {
                    // It fits beside the others anywhere.
                    continue;
                }
                // Its own compulsory part, which the levels count.
                let own = if ls[i] < es[i] + d {
                    (ls[i], es[i] + d)
                } else {
                    (NONE, NONE)
                };
                // Does it fit beside the others on every day of
                // `[s, s + d)`? If not, where the days it does not fit on
                // begin and end: no start overlapping them fits either.
                let clash = |s: u32| -> Option<(u32, u32)> {
                    let mut k = xs.partition_point(|&x| x <= s).saturating_sub(1);
                    let mut over: Option<(u32, u32)> = None;
                    while k < xs.len() && xs[k] < s + d {
                        let seg_end = xs.get(k + 1).copied().unwrap_or(NONE);
                        if seg_end > s {
                            let mine = if own.0 <= xs[k] && xs[k] < own.1 {
                                w
                            } else {
                                0
                            };
                            if level[k] - mine + w > self.cap {
                                over = Some((over.map_or(xs[k], |o| o.0), seg_end));
                            }
                        }
                        k += 1;
                    }
                    over
                };
                if let Some((_, mut end)) = clash(es[i]) {
                    // Later starts: the first one past each clash.
                    loop {
                        match task.window.next(end) {
                            Some(s) if s <= ls[i] => match clash(s) {
                                None => {
                                    es[i] = s;
                                    break;
                                }
                                Some((_, e)) => end = e,
                            },
                            _ => return false,
                        }
                    }
                    changed = true;
                }
                if let Some((mut begin, _)) = clash(ls[i]) {
                    // Earlier starts: the last one that ends before each
                    // clash.
                    loop {
                        match begin.checked_sub(d).and_then(|by| task.window.last_by(by)) {
                            Some(s) if s >= es[i] => match clash(s) {
                                None => {
                                    ls[i] = s;
                                    break;
                                }
                                Some((b, _)) => begin = b,
                            },
                            _ => return false,
                        }
                    }
                    changed = true;
                }
            }
            if !changed {
                return true;
            }
            // Precedences: forward, predecessors first; then backward.
            for &k in order.iter().rev() {
                if !open(k) {
                    continue;
                }
                for &j in &self.preds[k] {
                    if open(j) {
                        let after = es[j] + self.tasks[j].days;
                        if after > es[k] {
                            match self.tasks[k].window.next(after) {
                                Some(s) if s <= ls[k] => es[k] = s,
                                _ => return false,
                            }
                        }
                    }
                }
            }
            for &i in order {
                if !open(i) {
                    continue;
                }
                for &j in &self.preds[i] {
                    if open(j) {
                        let task = &self.tasks[j];
                        // (Range ends are start days of their windows, and
                        // `es <= ls`: a range that would not narrow stays.)
                        match ls[i].checked_sub(task.days) {
                            Some(by) if by >= ls[j] => {}
                            by => match by.and_then(|by| task.window.last_by(by)) {
                                Some(s) if s >= es[j] => ls[j] = s,
                                _ => return false,
                            },
                        }
                    }
                }
            }
        }
        true
    }

    /// Can no schedule below `st` reach the goal by `deadline`? Each needed
    /// task must start between its earliest start `est` (the critical path
    /// from `st`) and its latest start for the deadline, and within the
    /// range an ancestor proved for its deadline (which is no earlier). The
    /// ranges are narrowed and judged by [`Self::narrowed_misses`] and,
    /// with `shave` when dating a set, shaved ([`Self::shave`]); what is
    /// left of them is kept in `ranged` and `ranged_hi` for the node's
    /// children.
    fn misses(&mut self, st: &State, est: &[u32], deadline: u32, shave: bool) -> bool {
        self.ranged.clear();
        let Some(order) = &self.back_order else {
            return false;
        };
        if self.latest_for != deadline {
            self.latest = self.latest_starts_by(deadline, order);
            self.latest_for = deadline;
        }
        let Some(latest) = &self.latest else {
            return true;
        };
        let mut es = est.to_vec();
        let mut ls = latest.clone();
        if !st.range_lo.is_empty() {
            for i in self.necessary.ones() {
                es[i] = es[i].max(st.range_lo[i]);
                ls[i] = ls[i].min(st.range_hi[i]);
            }
        }
        for i in self.necessary.ones() {
            if st.start[i] != NONE {
                if st.start[i] > ls[i] {
                    return true;
                }
            } else if es[i] == NONE || es[i] > ls[i] {
                return true;
            }
        }
        let machine = st.placed.is_empty() || self.best.is_none();
        if self.narrowed_misses(st, &mut es, &mut ls, deadline, machine) {
            return true;
        }
        // Shaving only when dating a set: for the target, where fewer tasks
        // are needed by every plan, it cost more than it cut (the `time`
        // benchmark proved one plan less).
        if shave && self.all_of.is_some() && self.shave(st, &mut es, &mut ls, deadline, machine) {
            return true;
        }
        self.ranged.clone_from(&es);
        self.ranged_hi.clone_from(&ls);
        false
    }

    /// Shaving: the first and the last start day left in a needed task's
    /// range with listed start days are each tried as its only start; when
    /// the timetable then fails (at the root, or the energy), no schedule
    /// meeting the deadline starts the task there, and the range loses that
    /// day. At the root for a few rounds; below it, where it runs at every
    /// node, for one. The ranges narrowed, every rule of
    /// [`Self::narrowed_misses`] judges them again. `true` when a range
    /// empties or that judgement fails.
    fn shave(
        &mut self,
        st: &State,
        es: &mut [u32],
        ls: &mut [u32],
        deadline: u32,
        machine: bool,
    ) -> bool {
        let root = st.placed.is_empty();
        let Some(order) = &self.back_order else {
            return false;
        };
        let rounds = if root { SHAVE_ROUNDS } else { 1 };
        match self.shave_ends(st, order, es, ls, rounds) {
            None => true,
            Some(false) => false,
            Some(true) => self.narrowed_misses(st, es, ls, deadline, machine),
        }
    }

    /// The tries of [`Self::shave`], judged by the timetable (and at the
    /// root, by the energy too): `None` when a range empties, else whether
    /// any range narrowed.
    fn shave_ends(
        &self,
        st: &State,
        order: &[usize],
        es: &mut [u32],
        ls: &mut [u32],
        rounds: usize,
    ) -> Option<bool> {
        let tasks: Vec<usize> = self
            .necessary
            .ones()
            .filter(|&i| {
                st.start[i] == NONE
                    && self.tasks[i].work() > 0
                    && matches!(self.tasks[i].window, Window::Days(_))
            })
            .collect();
        let (mut e2, mut l2) = (es.to_vec(), ls.to_vec());
        let mut any = false;
        for _round in 0..rounds {
            let mut changed = false;
            for &i in &tasks {
                // Both ends, below the root too: the last start tried
                // narrows a range in 4-11 % of the tries of the synthetic
                // catalog's slowest datings, and its 200 first sets'
                // nodes went from 32,479 to 22,037 in about as long
                // (`college-005`'s plan: 2,956 M instructions to 1,241 M;
                // `college-074`'s, 5 % more).
                changed |= self.shave_end(st, order, es, ls, i, true, (&mut e2, &mut l2))?;
                changed |= self.shave_end(st, order, es, ls, i, false, (&mut e2, &mut l2))?;
            }
            any |= changed;
            if !changed {
                break;
            }
        }
        Some(any)
    }

    /// Tries the first (`first`) or else the last start day left in task
    /// `i`'s range as its only start, dropping each one the timetable (or
    /// at the root, the energy) rules out, until one passes; `scratch`
    /// holds the tried ranges. `None` when the range empties, else whether
    /// it narrowed.
    #[allow(clippy::too_many_arguments)]
    fn shave_end(
        &self,
        st: &State,
        order: &[usize],
        es: &mut [u32],
        ls: &mut [u32],
        i: usize,
        first: bool,
        scratch: (&mut [u32], &mut [u32]),
    ) -> Option<bool> {
        let (e2, l2) = scratch;
        let window = &self.tasks[i].window;
        let mut narrowed = false;
        while es[i] < ls[i] {
            e2.copy_from_slice(es);
            l2.copy_from_slice(ls);
            if first {
                l2[i] = es[i];
            } else {
                e2[i] = ls[i];
            }
            // At the root a try must also pass the energy on every
            // interval (not the one-machine bound, which costs more than
            // it adds there; below the root both cost more than they cut).
            if self.timetable(st, order, e2, l2, TRY_ROUNDS)
                && !(st.placed.is_empty() && self.energy_misses(st, e2, l2))
            {
                break;
            }
            if first {
                es[i] = window.next(es[i] + 1).filter(|&s| s <= ls[i])?;
            } else {
                ls[i] = window.last_by(ls[i] - 1).filter(|&s| s >= es[i])?;
            }
            narrowed = true;
            if !self.timetable(st, order, es, ls, TIMETABLE_ROUNDS) {
                return None;
            }
        }
        Some(narrowed)
    }

    /// The timetable, the one machine within the ranges (with `machine`)
    /// and the energy on every interval ([`Self::energy_misses`]), for the
    /// ranges `[es, ls]` of the needed tasks not yet placed: `true` when no
    /// schedule below `st` meets the deadline within them.
    fn narrowed_misses(
        &self,
        st: &State,
        es: &mut [u32],
        ls: &mut [u32],
        deadline: u32,
        machine: bool,
    ) -> bool {
        let Some(order) = &self.back_order else {
            return false;
        };
        if !self.timetable(st, order, es, ls, TIMETABLE_ROUNDS) {
            return true;
        }
        let (es, ls) = (&*es, &*ls);
        // The heavy tasks, one after another within their ranges: at the
        // root, and while no schedule is known (below, the search goes
        // faster without it).
        if machine {
            let machine = self.machine_bound(st, es, Some(ls), (deadline, deadline));
            if machine != 0 && machine > deadline {
                return true;
            }
        }
        // The energy: when dating a set, below the root, only while it
        // pays. On the synthetic catalog it cuts 5-25 % of the nodes it
        // judges in mid-sized datings, but 0.4 % in `college-056`'s and
        // none in `college-005`'s, whose datings it slows by a sixth: so
        // after [`ENERGY_TRIAL`] judgements, only while at least one in
        // [`ENERGY_RATIO`] cut.
        let (judged, cut) = self.node_energy.get();
        let below = !st.placed.is_empty() && self.all_of.is_some();
        let trial = if ENERGY_TRIAL_FIRST.get() {
            ENERGY_TRIAL
        } else {
            0
        };
        if below && judged >= trial && cut * ENERGY_RATIO < judged {
            return false;
        }
        let misses = self.energy_misses(st, es, ls);
        if below {
            self.node_energy.set((judged + 1, cut + u64::from(misses)));
        }
        misses
    }

    /// The energy on every interval, for the ranges `[es, ls]` of the
    /// needed tasks not yet placed: `true` when no schedule below `st` fits
    /// them. On every interval `[a, b)`, the running tasks and the least
    /// each needed task must run inside it, wherever it starts in its
    /// range, must fit the capacity (energetic reasoning), counted in
    /// weekly load and in the packing units `f_k` (tasks over half the
    /// capacity never overlap, and so on). A task's overlap with an
    /// interval first grows, then stays, then shrinks as its start moves
    /// later, so its least overlap is at its earliest or latest start.
    fn energy_misses(&self, st: &State, es: &[u32], ls: &[u32]) -> bool {
        // Each task's use of the capacity per day: weekly load, then the
        // packing units f_k.
        let units = |j: usize| -> [u64; 4] {
            let mut u = [self.tasks[j].load(); 4];
            for (k, (_, _, per)) in self.packing.iter().enumerate().take(3) {
                u[k + 1] = per[j];
            }
            u
        };
        let mut tasks: Vec<Ranged> = Vec::new();
        for i in self.necessary.ones() {
            if st.start[i] == NONE && self.tasks[i].work() > 0 {
                tasks.push(Ranged {
                    earliest: es[i],
                    latest: ls[i],
                    days: self.tasks[i].days,
                    units: units(i),
                });
            }
        }
        if self.cap == 0 || tasks.is_empty() {
            return false;
        }
        // A running task: its one start.
        tasks.extend(st.running.iter().map(|&j| Ranged {
            earliest: st.start[j],
            latest: st.start[j],
            days: self.tasks[j].days,
            units: units(j),
        }));
        let mut limit = [self.cap; 4];
        for (k, (order, _, _)) in self.packing.iter().enumerate().take(3) {
            limit[k + 1] = u64::from(*order);
        }
        overloaded(st.t, &tasks, limit)
    }

    /// Runs the search over the tasks of `set` only, with an eighth of what
    /// is left of the limits; what it finds are schedules of the whole
    /// problem too. Nothing when `set` holds every usable task (dating a
    /// set, say): that search is the full one, which follows.
    fn restricted(&mut self, set: &FixedBitSet) {
        if self.usable.is_subset(set) {
            return;
        }
        let saved = (self.usable.clone(), self.limits);
        let elapsed = self.clock.elapsed();
        self.limits.time = elapsed + self.limits.time.saturating_sub(elapsed) / 8;
        self.limits.nodes = self.nodes + self.limits.nodes.saturating_sub(self.nodes) / 8;
        self.usable.intersect_with(set);
        self.finish_only = true;
        let root = self.root();
        if !root.held {
            self.dfs(root);
        }
        self.stopped = false;
        (self.usable, self.limits) = saved;
    }

    /// The root's bound and earliest starts, with the one-machine bound,
    /// which costs more than the others: where it adds nothing at the root,
    /// the search goes without it.
    fn root_bound(&mut self, root: &State) -> (Key, Vec<u32>) {
        self.machine_in_bound = false;
        let (mut lb, est) = self.bound_est(root);
        if self.cap > 0 && lb.0 != NONE {
            // The least day, for the root's bound.
            let machine = self.machine_bound(root, &est, None, (self.deadline(), 0));
            self.machine_in_bound = machine > lb.0;
            lb.0 = lb.0.max(machine);
        }
        (lb, est)
    }

    /// Does the root's bound, without the one-machine bound, reach the
    /// cutoff, or does [`Self::misses`] rule out the day before it?
    fn cutoff_missed(&mut self, root: &State) -> bool {
        self.machine_in_bound = false;
        let (lb, est) = self.bound_est(root);
        lb.0 >= self.cutoff
            || (lb.0 != NONE && self.misses(root, &est, self.cutoff - 1, self.shaving))
    }

    /// Raises the root's bound on the finish to the first deadline the
    /// energetic reasoning of [`Self::misses`] cannot rule out, by bisection
    /// up to the best finish found (every deadline it rules out is proven
    /// too early, so the bound holds even where that test is not monotone).
    fn raise_by_deadlines(&mut self, root: &State, est: &[u32], lb: &mut Key) {
        let Some(best) = self.best.as_ref().map(|(key, _)| key.0) else {
            return;
        };
        if self.plain || lb.0 == NONE || lb.0 >= best {
            return;
        }
        // Every deadline before `lo` is ruled out; the best finish is not.
        let (mut lo, mut hi) = (lb.0, best);
        // Looking only for a schedule before the cutoff: nothing to raise if
        // the bound reaches it already, else first whether the day before it
        // is ruled out, which settles the search at once.
        if self.cutoff != NONE && lo >= self.cutoff {
            return;
        }
        if self.cutoff != NONE && self.cutoff <= hi {
            if self.misses(root, est, self.cutoff - 1, self.shaving) {
                lb.0 = self.cutoff;
                return;
            }
            hi = self.cutoff - 1;
        }
        // Bisection without shaving, which costs more than the rest: below
        // the root the search uses its own bounds, so the root's matters
        // only if it proves the best finish, which shaving then tries alone.
        // Each step can take a millisecond on large sets: a stop (a
        // cancelled dating ahead, say) ends it, with what is proven so far.
        let to_best = hi == best;
        while lo < hi && !self.out_of_limits() {
            let mid = lo + (hi - lo) / 2;
            if self.misses(root, est, mid, false) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        // (Only a set's dating shaves.)
        if self.shaving
            && self.all_of.is_some()
            && to_best
            && lo < best
            && !self.out_of_limits()
            && self.misses(root, est, best - 1, true)
        {
            lo = best;
        }
        lb.0 = lo;
    }

    /// Ranks tasks for branching: the tasks a minimal critical-path witness
    /// uses first, by earliest start; then the rest by earliest start.
    fn order_branches(&mut self, est: &[u32], popped: &[usize], goal: u32) {
        let mut support: FixedBitSet = FixedBitSet::with_capacity(self.n);
        for &i in popped {
            support.insert(i);
        }
        // (A limit met on the way leaves more tasks first, which only
        // orders the branches.)
        for &j in popped.iter().rev() {
            if self.out_of_limits() {
                break;
            }
            support.set(j, false);
            let root = self.root();
            if root.held || self.relax(&root, Some(&support)).0 != goal {
                support.set(j, true);
            }
        }
        let mut order: Vec<usize> = (0..self.n).collect();
        order.sort_by_key(|&i| (!support.contains(i), est[i], i));
        for (r, &i) in order.iter().enumerate() {
            self.rank[i] = r as u32;
        }
        self.first_class = support;
    }

    fn out_of_limits(&mut self) -> bool {
        if self.stopped {
            return true;
        }
        let elapsed = self.clock.elapsed();
        if let Some((after, start)) = self.start_reverse {
            if elapsed >= after {
                self.start_reverse = None;
                start();
            }
        }
        if self.nodes >= self.limits.nodes
            // Every node: on catalogs of a thousand items one node (its
            // bound, its dead tasks) can take milliseconds.
            || elapsed >= self.limits.time
            || self.stop.raised()
            || self
                .as_reverse()
                .is_some_and(Tandem::stopped)
        {
            self.stopped = true;
        }
        self.stopped
    }

    fn place(&self, st: &mut State, i: usize) {
        let task = &self.tasks[i];
        st.start[i] = st.t;
        st.placed.push(i);
        st.cost += task.cost;
        st.effort += task.effort;
        st.max_finish = st.max_finish.max(st.t + task.days);
        st.last_at_t = Some(i);
        if task.days == 0 {
            st.done.insert(i);
            self.on_done(st, i, st.t);
        } else {
            st.running.push(i);
            st.load += task.load();
        }
    }

    /// Re-checks what `j`, finished at `time` (already in `done`), may have
    /// made ready, and the goal.
    fn on_done(&self, st: &mut State, j: usize, time: u32) {
        for &k in &self.dependents[j] {
            if self.usable.contains(k)
                && st.start[k] == NONE
                && st.ready_at[k] == NONE
                && !st.dead.contains(k)
                && self.oracle.ready(k, &st.done)
            {
                st.ready_at[k] = time;
                st.ready_seq[k] = st.placed.len() as u32;
            }
        }
        if !st.held && self.goal_dep.contains(j) {
            st.held = self.held(&st.done);
        }
    }

    /// Moves to the next event: a running task finishing, or a start day of
    /// a ready task with a restricted window. `false` when there is none.
    /// `prune_dead` marks the tasks the exact search may no longer start
    /// (left-justification); list schedules do not need it, and on long
    /// multi-year plans it is the dearest part of a step.
    fn advance(&self, st: &mut State, prune_dead: bool) -> bool {
        let mut next = NONE;
        for &j in &st.running {
            next = next.min(st.start[j] + self.tasks[j].days);
        }
        for i in self.usable.ones() {
            if st.start[i] == NONE && st.ready_at[i] != NONE && !st.dead.contains(i) {
                if let Window::Days(_) = self.tasks[i].window {
                    if let Some(d) = self.tasks[i].window.next(st.t + 1) {
                        next = next.min(d);
                    }
                }
            }
        }
        if next == NONE {
            return false;
        }
        st.t = next;
        st.last_at_t = None;
        let mut finished = Vec::new();
        st.running.retain(|&j| {
            if st.start[j] + self.tasks[j].days == next {
                finished.push(j);
                false
            } else {
                true
            }
        });
        for &j in &finished {
            st.load -= self.tasks[j].load();
            st.done.insert(j);
        }
        for &j in &finished {
            self.on_done(st, j, next);
        }
        if !prune_dead {
            return true;
        }
        // Dead tasks: they fitted wholly before `t`, and everything placed
        // from now on starts at `t` or later, so it cannot push them back.
        for i in self.usable.ones() {
            if st.start[i] == NONE && st.ready_at[i] != NONE && !st.dead.contains(i) {
                if let Some(s) = self.could_start_before(st, i) {
                    if s + self.tasks[i].days <= st.t {
                        st.dead.insert(i);
                    }
                }
            }
        }
        true
    }

    /// Does `w` more fit on every day of `[a, b)` beside the placed tasks?
    fn fits(&self, st: &State, a: u32, b: u32, w: u64) -> bool {
        if w == 0 {
            return true;
        }
        let load_at = |u: u32| -> u64 {
            st.placed
                .iter()
                .filter(|&&j| st.start[j] <= u && u < st.start[j] + self.tasks[j].days)
                .map(|&j| self.tasks[j].load())
                .sum()
        };
        if load_at(a) + w > self.cap {
            return false;
        }
        st.placed.iter().all(|&j| {
            let s = st.start[j];
            !(a < s && s < b && self.tasks[j].days > 0) || load_at(s) + w <= self.cap
        })
    }

    /// The earliest day before `t` on which unplaced task `i` could have
    /// started given everything placed, if any (left-justification).
    fn could_start_before(&self, st: &State, i: usize) -> Option<u32> {
        let r = st.ready_at[i];
        if r == NONE || r >= st.t {
            return None;
        }
        let task = &self.tasks[i];
        let ok = |s: u32| self.fits(st, s, s + task.days, task.load());
        match task.window.days_in(r, st.t) {
            Some(days) => days.iter().copied().find(|&s| ok(s)),
            None => {
                if ok(r) {
                    return Some(r);
                }
                let mut points: Vec<u32> = st
                    .placed
                    .iter()
                    .map(|&j| st.start[j] + self.tasks[j].days)
                    .filter(|&f| r < f && f < st.t)
                    .collect();
                points.sort_unstable();
                points.dedup();
                points.into_iter().find(|&s| ok(s))
            }
        }
    }

    /// Could task `i` start now? `canonical` adds the tie order and
    /// left-justification rules of the exact search.
    fn startable(&self, st: &State, i: usize, canonical: bool) -> bool {
        let task = &self.tasks[i];
        if !(self.usable.contains(i)
            && st.start[i] == NONE
            && st.ready_at[i] != NONE
            && !st.dead.contains(i)
            && task.window.allows(st.t)
            && st.load + task.load() <= self.cap)
        {
            return false;
        }
        if !canonical {
            return true;
        }
        if let Some(last) = st.last_at_t {
            if self.rank[i] < self.rank[last] && st.ready_seq[i] != st.placed.len() as u32 {
                return false;
            }
        }
        self.could_start_before(st, i).is_none()
    }

    /// The critical-path relaxation from `st`: each unplaced task starts at
    /// its first window day once ready, after `t`, and once the running
    /// tasks leave it room; capacity is otherwise unlimited. Returns the day
    /// the goal is reached (`NONE` if never), each task's earliest start, and
    /// the unplaced tasks finished before the goal, in order.
    fn relax(&self, st: &State, allowed: Option<&FixedBitSet>) -> (u32, Vec<u32>, Vec<usize>) {
        let t = st.t;
        let mut done = st.done.clone();
        let mut est = vec![NONE; self.n];
        let mut popped = Vec::new();
        let mut heap: BinaryHeap<Reverse<(u32, usize)>> = BinaryHeap::new();
        let mut ends: Vec<(u32, u64)> = st
            .running
            .iter()
            .map(|&j| (st.start[j] + self.tasks[j].days, self.tasks[j].load()))
            .collect();
        ends.sort_unstable();
        let room = |w: u64| -> u32 {
            let mut load = st.load;
            if load + w <= self.cap {
                return t;
            }
            for &(f, l) in &ends {
                load -= l;
                if load + w <= self.cap {
                    return f;
                }
            }
            t
        };
        let free = |k: usize| {
            self.usable.contains(k)
                && st.start[k] == NONE
                && !st.dead.contains(k)
                && allowed.is_none_or(|a| a.contains(k))
        };
        let earliest = |k: usize, from: u32| -> Option<u32> {
            let task = &self.tasks[k];
            task.window.next(from.max(room(task.load())))
        };
        for &j in &st.running {
            heap.push(Reverse((st.start[j] + self.tasks[j].days, j)));
        }
        for k in self.usable.ones() {
            if free(k) && st.ready_at[k] != NONE {
                if let Some(s) = earliest(k, t) {
                    est[k] = s;
                    heap.push(Reverse((s + self.tasks[k].days, k)));
                }
            }
        }
        while let Some(Reverse((time, j))) = heap.pop() {
            if done.contains(j) {
                continue;
            }
            done.insert(j);
            if st.start[j] == NONE {
                popped.push(j);
            }
            if self.goal_dep.contains(j) && self.held(&done) {
                return (time, est, popped);
            }
            for &k in &self.dependents[j] {
                if est[k] == NONE && free(k) && self.oracle.ready(k, &done) {
                    if let Some(s) = earliest(k, time) {
                        est[k] = s;
                        heap.push(Reverse((s + self.tasks[k].days, k)));
                    }
                }
            }
        }
        (NONE, est, popped)
    }

    /// A lower bound on the key of every plan below `st` in which every
    /// placed task is needed (the optimal ones), and the earliest start of
    /// each task on the critical path.
    fn bound_est(&self, st: &State) -> (Key, Vec<u32>) {
        let (goal, est, _) = self.relax(st, None);
        if goal == NONE {
            return ((NONE, i64::MAX, u64::MAX, usize::MAX), est);
        }
        let mut finish = goal.max(st.max_finish).max(st.t);
        let mut cost = st.cost;
        let mut effort = st.effort;
        let mut count = st.placed.len();
        let mut releases: Vec<(u32, u64)> = Vec::new();
        for i in self.necessary.ones() {
            if st.start[i] == NONE {
                let task = &self.tasks[i];
                cost += task.cost;
                effort += task.effort;
                count += 1;
                if task.work() > 0 {
                    releases.push((est[i], task.work()));
                }
            }
        }
        if self.cap > 0 {
            // Load, first overall: the plan's work still to start is at
            // least the floor less what is placed, and at least the needed
            // tasks' work; it and the rest of the running tasks must fit
            // between `t` and the finish.
            let placed_work: u64 = st.placed.iter().map(|&j| self.tasks[j].work()).sum();
            let needed: u64 = releases.iter().map(|r| r.1).sum();
            let rest = self.work_floor.saturating_sub(placed_work).max(needed);
            let running: u64 = st
                .running
                .iter()
                .map(|&j| {
                    let f = st.start[j] + self.tasks[j].days;
                    self.tasks[j].load() * u64::from(f - st.t)
                })
                .sum();
            let need = (rest + running).div_ceil(self.cap);
            finish = finish.max(st.t.saturating_add(need.min(u64::from(NONE - 1)) as u32));
            // Packing: the same with loads counted by f_k, out of k units.
            for (k, floor, units) in &self.packing {
                let work = |j: usize, days: u32| units[j] * u64::from(days);
                let placed: u64 = st.placed.iter().map(|&j| work(j, self.tasks[j].days)).sum();
                let needed: u64 = self
                    .necessary
                    .ones()
                    .filter(|&i| st.start[i] == NONE)
                    .map(|i| work(i, self.tasks[i].days))
                    .sum();
                let running: u64 = st
                    .running
                    .iter()
                    .map(|&j| work(j, st.start[j] + self.tasks[j].days - st.t))
                    .sum();
                let rest = floor.saturating_sub(placed).max(needed);
                let need = (rest + running).div_ceil(u64::from(*k));
                finish = finish.max(st.t.saturating_add(need.min(u64::from(NONE - 1)) as u32));
            }
            finish = finish.max(self.class_bound(st)).max(self.union_bound(st));
            if self.machine_in_bound {
                // Only whether the node is cut matters here (the root's
                // bound does without this): any day that does not cut it
                // does as well as the least. That is a day before the one
                // to beat, or, when the tie-breaks are searched, before its
                // finish (a bound on it would let them decide).
                let by = self.deadline();
                let quit = if self.finish_only {
                    by
                } else {
                    by.saturating_sub(1)
                };
                finish = finish.max(self.machine_bound(st, &est, None, (by, quit)));
            }
            // Then from each release day on, the needed work and the rest
            // of the running tasks must fit in the capacity.
            releases.sort_unstable_by(|a, b| b.cmp(a));
            let mut work: u64 = 0;
            let mut k = 0;
            let mut days: Vec<u32> = releases.iter().map(|r| r.0).collect();
            days.push(st.t);
            days.dedup();
            for r in days {
                while k < releases.len() && releases[k].0 >= r {
                    work += releases[k].1;
                    k += 1;
                }
                let running: u64 = st
                    .running
                    .iter()
                    .map(|&j| {
                        let f = st.start[j] + self.tasks[j].days;
                        self.tasks[j].load() * u64::from(f.saturating_sub(r))
                    })
                    .sum();
                let need = (work + running).div_ceil(self.cap);
                finish = finish.max(r.saturating_add(need.min(u64::from(NONE - 1)) as u32));
            }
        }
        let mut key = (finish, cost, effort, count);
        if let Some(f) = self.floor {
            if self.all_of.is_none() && (f.0, f.1, f.2) > (key.1, key.2, key.3) {
                key = (finish, f.0, f.1, f.2);
            }
        }
        if self.budget.is_some_and(|b| key.1 > b) {
            return ((NONE, i64::MAX, u64::MAX, usize::MAX), est);
        }
        (key, est)
    }

    /// The latest day a schedule below the current node must reach the goal
    /// by to be worth finding, if any: before the best one's finish (by it,
    /// when the tie-breaks are searched), by the threshold, before the
    /// cutoff.
    fn deadline(&self) -> u32 {
        let mut d = match &self.best {
            Some((best, _)) if self.finish_only => best.0.saturating_sub(1),
            Some((best, _)) => best.0,
            None => NONE,
        };
        if self.finish_only && self.threshold != NONE {
            d = d.min(self.threshold);
        }
        if self.cutoff != NONE {
            d = d.min(self.cutoff.saturating_sub(1));
        }
        if let Some(tandem) = self.as_reverse() {
            let main = tandem.best.load(Ordering::Relaxed);
            if main != NONE {
                d = d.min(main.saturating_sub(1));
            }
        }
        if let Some(least) = self.known_least() {
            d = d.min(least);
        }
        d
    }

    /// The one-machine bound (module documentation): the earliest day the
    /// heavy needed tasks can all be done, one after another, each starting
    /// on a day of its window, no earlier than its critical-path start and
    /// after the heavy tasks that precede it, by dynamic programming over
    /// the sets of them done (the least day the machine is free after each
    /// set; starting later never helps), plus the needed chain that must
    /// follow the last of them. `0` when there are too many sets.
    ///
    /// Only whether the heavy tasks can be done by `by` matters to the
    /// caller: sets that cannot (the machine free too late for the days of
    /// the tasks left) are dropped, and when no set is left the least day
    /// the dropped ones allow, which is after `by`, is returned. With
    /// `quit > 0` (at most `by`), any day up to `quit` serves the caller as
    /// well as the least, and the first one found is returned
    /// ([`Self::machine_search`]); `quit` 0 asks for the least.
    fn machine_bound(
        &self,
        st: &State,
        est: &[u32],
        latest: Option<&[u32]>,
        (by, quit): (u32, u32),
    ) -> u32 {
        if self.heavy.is_empty() || self.machine_off.get() {
            return 0;
        }
        let (mut done, mut todo, mut free) = (0u64, 0u64, st.t);
        // The least load of the tasks left.
        let mut least: Option<u64> = None;
        for (h, &i) in self.heavy.iter().enumerate() {
            if st.start[i] == NONE {
                todo |= 1 << h;
                let load = self.tasks[i].load();
                least = Some(least.map_or(load, |l| l.min(load)));
            } else {
                done |= 1 << h;
            }
        }
        // A running task holds the machine while it runs beside none of
        // the tasks left.
        for &j in &st.running {
            let holds = match least {
                Some(least) => self.tasks[j].load() + least > self.cap,
                None => self.heavy(j),
            };
            if holds {
                free = free.max(st.start[j] + self.tasks[j].days);
            }
        }
        if todo == 0 {
            return free;
        }
        // Below the root the same question comes back often (siblings that
        // placed light tasks): the answer depends only on the heavy tasks
        // done, the day the machine is free, the deadline and the earliest
        // starts of the heavy tasks left.
        let key = latest.is_none().then(|| {
            let ests: Box<[u32]> = self
                .heavy
                .iter()
                .enumerate()
                .filter(|&(h, _)| todo & 1 << h != 0)
                .map(|(_, &i)| est[i])
                .collect();
            (done, free, by, quit, ests)
        });
        if let Some(k) = &key {
            if let Some(&v) = self.machine_memo.borrow().get(k) {
                // The brute-force tests check every answer reused against
                // the programme (`check_reused_answers`).
                if CHECK_REUSED.load(std::sync::atomic::Ordering::Relaxed) {
                    // Up to `quit` any day serves, and after `by` any
                    // day: so they need not be the same day.
                    let again = self.machine_dp(est, latest, (by, quit), (done, todo, free));
                    assert!(
                        v == again || (v <= quit && again <= quit) || (v > by && again > by),
                        "{v} {again}"
                    );
                }
                return v;
            }
        }
        let v = self.machine_dp(est, latest, (by, quit), (done, todo, free));
        if let Some(k) = key {
            let mut memo = self.machine_memo.borrow_mut();
            if memo.len() >= MACHINE_MEMO {
                memo.clear();
            }
            memo.insert(k, v);
        }
        v
    }

    /// The dynamic programme of [`Self::machine_bound`], from the heavy
    /// tasks `done`, those left `todo` and the day the machine is `free`.
    fn machine_dp(
        &self,
        est: &[u32],
        latest: Option<&[u32]>,
        (by, quit): (u32, u32),
        (done, todo, free): (u64, u64, u32),
    ) -> u32 {
        let left: u32 = self
            .heavy
            .iter()
            .enumerate()
            .filter(|&(h, _)| todo & 1 << h != 0)
            .map(|(_, &i)| self.tasks[i].days)
            .sum();
        let mut scratch = self.machine_layers.borrow_mut();
        let (layer, next) = &mut *scratch;
        // Any day up to `quit` answers the caller as well as the least.
        if quit > 0 {
            if let Some(day) = self.machine_order_again(est, latest, quit, (done, todo, free, left))
            {
                return day;
            }
            next.clear();
            self.machine_order.borrow_mut().clear();
            let mut dropped = NONE;
            // Only when nothing after `by` needs telling apart (any day
            // after it cuts) are the states it found nothing from kept for
            // later searches: those know only that nothing is done by it.
            let remember = latest.is_none() && quit == by;
            if remember && self.machine_failed.borrow().len >= MACHINE_FAILED {
                self.machine_failed.borrow_mut().clear();
            }
            let found = self.machine_search(
                est,
                latest,
                (quit, remember),
                (done, todo, free, left),
                next,
                &mut dropped,
            );
            return match found {
                _ if self.machine_off.get() => 0,
                Some(day) => day,
                None => dropped,
            };
        }
        // Each layer: the sets with one more task done, each with the
        // least day the machine is free and the days of the tasks left.
        layer.clear();
        layer.push((done, free, left));
        let mut seen = 1;
        let mut dropped = NONE;
        for _ in 0..todo.count_ones() {
            next.clear();
            for &(set, free, left) in layer.iter() {
                let mut rest = todo & !set;
                while rest != 0 {
                    let h = rest.trailing_zeros() as usize;
                    rest &= rest - 1;
                    let Some((f, left)) =
                        self.machine_step(est, latest, (set, todo, free, left), h)
                    else {
                        continue;
                    };
                    if f + left > by {
                        dropped = dropped.min(f + left);
                        continue;
                    }
                    next.entry(set | 1 << h)
                        .and_modify(|e| e.0 = e.0.min(f))
                        .or_insert((f, left));
                }
            }
            if next.is_empty() {
                return dropped;
            }
            seen += next.len();
            if seen > MACHINE_SETS {
                self.machine_off.set(true);
                return 0;
            }
            layer.clear();
            layer.extend(next.iter().map(|(&set, &(free, left))| (set, free, left)));
        }
        layer.first().map_or(dropped, |e| e.1)
    }

    /// The day heavy task `h` can start from with the machine free on day
    /// `free`: its earliest start, if later (an unknown one waits for
    /// nothing). The one-machine programme's steps and the states it
    /// remembers ([`FailedStates::cover`]) both count from it.
    #[inline]
    fn heavy_release(&self, est: &[u32], h: usize, free: u32) -> u32 {
        match est[self.heavy[h]] {
            NONE => free,
            e => e.max(free),
        }
    }

    /// One step of the one-machine programme: heavy task `h` done next,
    /// after the heavy tasks in `set` (of those `todo` when it began), with
    /// the machine free on day `free` and `left` days of heavy tasks to go.
    /// The day it is done (with the chain that follows the last) and the
    /// days left after it; `None` when it cannot go next.
    #[inline]
    fn machine_step(
        &self,
        est: &[u32],
        latest: Option<&[u32]>,
        (set, todo, free, left): (u64, u64, u32, u32),
        h: usize,
    ) -> Option<(u32, u32)> {
        if self.heavy_before[h] & !set != 0 {
            return None;
        }
        let i = self.heavy[h];
        let s = self.tasks[i]
            .window
            .next(self.heavy_release(est, h, free))?;
        if latest.is_some_and(|ls| s > ls[i]) {
            return None;
        }
        let mut f = s + self.tasks[i].days;
        if todo & !set == 1 << h {
            f += self.heavy_tail[h];
        }
        Some((f, left - self.tasks[i].days))
    }

    /// The order [`Self::machine_search`] found last, tried again for the
    /// heavy tasks left (a sibling or child node often needs only that):
    /// the day it has them and the chain after the last done, if that is
    /// by `quit`.
    fn machine_order_again(
        &self,
        est: &[u32],
        latest: Option<&[u32]>,
        quit: u32,
        (done, todo, free, left): (u64, u64, u32, u32),
    ) -> Option<u32> {
        let order = self.machine_order.borrow();
        let (mut set, mut free, mut left) = (done, free, left);
        for &h in order.iter().rev() {
            if todo & !set & 1 << h == 0 {
                continue;
            }
            (free, left) = self.machine_step(est, latest, (set, todo, free, left), h)?;
            set |= 1 << h;
        }
        (set & todo == todo && free <= quit).then_some(free)
    }

    /// [`Self::machine_dp`] when any day up to `quit` answers as well as
    /// the least: a depth-first search for an order of the heavy tasks left
    /// that has them (and the chain that follows the last) done by `quit`,
    /// the task that can finish first tried first, cutting where the days
    /// left cannot fit and where a set was met before with the machine free
    /// no later. The day it finds, if any (else `dropped` is the least day
    /// the cut orders allow, which is after `quit`). Past [`MACHINE_SETS`]
    /// sets it gives up, and turns the bound off.
    ///
    /// With `remember`, the states it finds nothing from are kept for the
    /// searches that follow (at other nodes), which then stop there at
    /// once. From a state only the tasks left, the day the machine is free,
    /// `quit` and the earliest starts later than that day decide the
    /// answer, and a set met before with the machine free no later had
    /// failed in full, so a state that failed fails whenever met again, and
    /// so does every state no easier ([`FailedStates::cover`]). A
    /// remembered state tells only that nothing is done by `quit` (the day
    /// it leaves in `dropped` is the next one), so only a caller for whom
    /// any day after `quit` does as well remembers.
    fn machine_search(
        &self,
        est: &[u32],
        latest: Option<&[u32]>,
        (quit, remember): (u32, bool),
        (set, todo, free, left): (u64, u64, u32, u32),
        seen: &mut FxHashMap<u64, (u32, u32)>,
        dropped: &mut u32,
    ) -> Option<u32> {
        let rest = todo & !set;
        if remember {
            let release = |h: usize| self.heavy_release(est, h, free);
            if self
                .machine_failed
                .borrow()
                .cover(rest, free, quit, release)
            {
                // The brute-force tests check every state reused by
                // searching it again (`check_reused_answers`).
                if CHECK_REUSED.load(std::sync::atomic::Ordering::Relaxed) {
                    let mut ignored = NONE;
                    let again = self.machine_search_from(
                        est,
                        latest,
                        (quit, false),
                        (set, todo, free, left),
                        &mut FxHashMap::default(),
                        &mut ignored,
                    );
                    assert!(again.is_none() || self.machine_off.get(), "{again:?}");
                }
                *dropped = (*dropped).min(quit.saturating_add(1));
                return None;
            }
        }
        let found = self.machine_search_from(
            est,
            latest,
            (quit, remember),
            (set, todo, free, left),
            seen,
            dropped,
        );
        if remember && found.is_none() && !self.machine_off.get() {
            if let Some(state) = self.machine_state(est, rest, free, quit) {
                self.machine_failed.borrow_mut().insert(rest, state);
            }
        }
        found
    }

    /// The state [`Self::machine_search`] remembers for the heavy tasks
    /// `rest` left, the machine free on day `free` and the day to beat
    /// `quit`; `None` when more than [`MACHINE_FAILED_DAYS`] of them start
    /// later than `free` (such states are not kept).
    fn machine_state(&self, est: &[u32], rest: u64, free: u32, quit: u32) -> Option<MachineFailed> {
        let mut state = MachineFailed {
            later: 0,
            free,
            quit,
            days: [0; MACHINE_FAILED_DAYS],
        };
        let mut count = 0;
        let mut bits = rest;
        while bits != 0 {
            let h = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            let e = self.heavy_release(est, h, free);
            if e > free {
                *state.days.get_mut(count)? = e;
                state.later |= 1 << h;
                count += 1;
            }
        }
        Some(state)
    }

    /// The body of [`Self::machine_search`].
    fn machine_search_from(
        &self,
        est: &[u32],
        latest: Option<&[u32]>,
        (quit, remember): (u32, bool),
        (set, todo, free, left): (u64, u64, u32, u32),
        seen: &mut FxHashMap<u64, (u32, u32)>,
        dropped: &mut u32,
    ) -> Option<u32> {
        let mut next: Vec<(u32, usize)> = Vec::new();
        let mut rest = todo & !set;
        while rest != 0 {
            let h = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            let Some((f, left)) = self.machine_step(est, latest, (set, todo, free, left), h) else {
                continue;
            };
            if f + left > quit {
                *dropped = (*dropped).min(f + left);
                continue;
            }
            if todo & !set == 1 << h {
                self.machine_order.borrow_mut().push(h);
                return Some(f);
            }
            let to = set | 1 << h;
            match seen.get(&to) {
                Some(&(at, _)) if at <= f => continue,
                _ => {}
            }
            seen.insert(to, (f, left));
            if seen.len() > MACHINE_SETS {
                self.machine_off.set(true);
                return None;
            }
            next.push((f, h));
        }
        next.sort_unstable();
        for (f, h) in next {
            // Met again since with the machine free sooner: done from there.
            if seen.get(&(set | 1 << h)).is_some_and(|&(at, _)| at < f) {
                continue;
            }
            let left = left - self.tasks[self.heavy[h]].days;
            let found = self.machine_search(
                est,
                latest,
                (quit, remember),
                (set | 1 << h, todo, f, left),
                seen,
                dropped,
            );
            if found.is_some() {
                self.machine_order.borrow_mut().push(h);
            }
            if found.is_some() || self.machine_off.get() {
                return found;
            }
        }
        None
    }

    /// Classes together ([`super::ClassUnion`]): the units of order `k` a
    /// plan still needs from them need so many intervals of a chain of
    /// their start days from `t` on; the earliest-ending chain's interval
    /// of that rank ends no earlier than the finish. The most of each
    /// union's.
    fn union_bound(&self, st: &State) -> u32 {
        self.unions
            .iter()
            .map(|u| self.chain_bound(u, st))
            .max()
            .unwrap_or(0)
    }

    /// [`Self::union_bound`] for one union of classes.
    fn chain_bound(&self, u: &Union, st: &State) -> u32 {
        let mut chain = 0u64;
        for (k, floor, units) in &u.orders {
            let rest = self.still_needed(st, &u.members, units, *floor);
            chain = chain.max(rest.div_ceil(u64::from(*k)));
        }
        if chain == 0 {
            return 0;
        }
        // Intervals that end before `t` began before it.
        let first = u.intervals.partition_point(|&(end, _)| end < st.t);
        let (mut free, mut picked) = (st.t, 0u64);
        for &(end, start) in &u.intervals[first..] {
            if start >= free {
                picked += 1;
                free = end;
                if picked == chain {
                    return end;
                }
            }
        }
        NONE
    }

    /// What a plan still needs of a measure (`units`, one per member) that
    /// no plan's members take less of than `floor`: the floor less what is
    /// placed, and at least what the needed members not placed take.
    fn still_needed(&self, st: &State, members: &[usize], units: &[u64], floor: u64) -> u64 {
        let (mut placed, mut need) = (0u64, 0u64);
        for (&j, &u) in members.iter().zip(units) {
            if st.start[j] != NONE {
                placed += u;
            } else if self.necessary.contains(j) {
                need += u;
            }
        }
        floor.saturating_sub(placed).max(need)
    }

    /// The window-class bound (module documentation): for each class, the
    /// start days its remaining share of a plan needs from `t` on.
    fn class_bound(&self, st: &State) -> u32 {
        let mut finish = 0;
        for c in &self.classes {
            let (mut placed_w, mut placed_h, mut need_w, mut need_h) = (0u64, 0u64, 0u64, 0u64);
            for &j in &c.members {
                if st.start[j] != NONE {
                    placed_w += self.tasks[j].load();
                    placed_h += u64::from(self.heavy(j));
                } else if self.necessary.contains(j) {
                    need_w += self.tasks[j].load();
                    need_h += u64::from(self.heavy(j));
                }
            }
            let rest_w = c.weekly_floor.saturating_sub(placed_w).max(need_w);
            let rest_h = c.heavy_floor.saturating_sub(placed_h).max(need_h);
            // What can still start today, then a full capacity per day.
            let today = c.days.binary_search(&st.t).is_ok();
            let free = if today { self.cap - st.load } else { 0 };
            let days_w = rest_w.saturating_sub(free).div_ceil(self.cap);
            let days_h = rest_h.saturating_sub(u64::from(today && free * 2 > self.cap));
            let mut more = days_w.max(days_h);
            let mut rest_any = rest_w > 0 || rest_h > 0;
            // The same in packing units of each order k: a start day takes
            // at most k of them (the tasks running then included).
            for (k, floor, units) in &c.unit_floors {
                let rest = self.still_needed(st, &c.members, units, *floor);
                if rest == 0 {
                    continue;
                }
                rest_any = true;
                let free_units = if today {
                    let running: u64 = st
                        .running
                        .iter()
                        .map(|&j| packing_units(*k, self.tasks[j].load(), self.cap))
                        .sum();
                    u64::from(*k).saturating_sub(running)
                } else {
                    0
                };
                more = more.max(rest.saturating_sub(free_units).div_ceil(u64::from(*k)));
            }
            if !rest_any {
                continue;
            }
            let last = if more == 0 {
                st.t
            } else {
                let after = c.days.partition_point(|&d| d <= st.t);
                match usize::try_from(more - 1)
                    .ok()
                    .and_then(|k| c.days.get(after + k))
                {
                    Some(&d) => d,
                    None => return NONE,
                }
            };
            finish = finish.max(last.saturating_add(c.shortest));
        }
        finish
    }

    /// Records the plan `st` reaches, without the steps it does not need.
    fn record(&mut self, st: &State) {
        let finish = st.t;
        if let Some((best, _)) = &self.best {
            if finish > best.0 {
                return;
            }
        }
        let steps: Vec<Step> = st
            .placed
            .iter()
            .map(|&i| Step {
                task: i,
                start: st.start[i],
                finish: st.start[i] + self.tasks[i].days,
            })
            .filter(|s| s.finish <= finish)
            .collect();
        self.record_steps(steps, Some(finish));
    }

    /// Records a schedule reaching the goal on day `finish` (by default, the
    /// last finish of the steps it needs), without the steps it does not
    /// need.
    fn record_steps(&mut self, mut steps: Vec<Step>, finish: Option<u32>) {
        if self.all_of.is_none() {
            for k in (0..steps.len()).rev() {
                let removed = steps.remove(k);
                if !self.valid(&steps) {
                    steps.insert(k, removed);
                }
            }
        }
        let finish = finish.unwrap_or_else(|| steps.iter().map(|s| s.finish).max().unwrap_or(0));
        let key = (
            finish,
            steps.iter().map(|s| self.tasks[s.task].cost).sum(),
            steps.iter().map(|s| self.tasks[s.task].effort).sum(),
            steps.len(),
        );
        if self.budget.is_some_and(|b| key.1 > b) {
            return;
        }
        if self.best.as_ref().is_none_or(|(b, _)| key < *b) {
            if let Some((tandem, false)) = self.tandem {
                tandem.best.fetch_min(key.0, Ordering::Relaxed);
            }
            self.best = Some((key, steps));
        }
    }

    /// Are the steps, in list order, each ready when they start, and do they
    /// reach the goal? (Windows and capacity only get easier when steps are
    /// removed.)
    fn valid(&self, steps: &[Step]) -> bool {
        let mut done = FixedBitSet::with_capacity(self.n);
        let mut pending: BinaryHeap<Reverse<(u32, usize)>> = BinaryHeap::new();
        for s in steps {
            while let Some(&Reverse((f, j))) = pending.peek() {
                if f > s.start {
                    break;
                }
                pending.pop();
                done.insert(j);
            }
            if !self.oracle.ready(s.task, &done) {
                return false;
            }
            if s.finish == s.start {
                done.insert(s.task);
            } else {
                pending.push(Reverse((s.finish, s.task)));
            }
        }
        while let Some(Reverse((_, j))) = pending.pop() {
            done.insert(j);
        }
        self.held(&done)
    }

    /// Greedy list schedules under randomly perturbed priorities (a fixed
    /// seed, so runs repeat), of the candidate sets and of the best set so
    /// far, for a tenth of the time limit or 200 rounds.
    fn shuffled_greedy(&mut self, root: &State, sets: &[FixedBitSet]) {
        let deadline = self.clock.elapsed() + self.limits.time / 10;
        let mut next = xorshift();
        for round in 0..200 {
            if self.clock.elapsed() >= deadline || self.stop.raised() {
                break;
            }
            let set = match (&self.best, round % 2) {
                (Some((_, steps)), 0) => {
                    let mut set = FixedBitSet::with_capacity(self.n);
                    steps.iter().for_each(|s| set.insert(s.task));
                    set
                }
                _ => sets[(round / 2) % sets.len()].clone(),
            };
            let spread = 1 + (round % 4) as u32 * 4;
            let mut order: Vec<(u32, usize)> = set
                .ones()
                .map(|i| (self.rank[i] + (next() % u64::from(spread * 4)) as u32, i))
                .collect();
            order.sort_unstable();
            let order: Vec<usize> = order.into_iter().map(|(_, i)| i).collect();
            self.greedy(root, &order);
        }
    }

    /// The tasks of `set` in the order a greedy rule prefers them.
    fn priority(&self, set: &FixedBitSet, rule: Priority) -> Vec<usize> {
        let mut order: Vec<usize> = set.ones().collect();
        match rule {
            Priority::Rank => order.sort_by_key(|&i| self.rank[i]),
            Priority::WindowsFirst => order.sort_by_key(|&i| {
                let anytime = matches!(self.tasks[i].window, Window::Anytime);
                (anytime, self.rank[i])
            }),
            Priority::LongestFirst => {
                order.sort_by_key(|&i| (Reverse(self.tasks[i].days), self.rank[i]))
            }
            Priority::LightestFirst => order.sort_by_key(|&i| (self.tasks[i].load(), self.rank[i])),
            Priority::LatestStart => {
                let latest = self.latest_starts(set);
                order.sort_by_key(|&i| (latest[i], self.rank[i]));
            }
        }
        order
    }

    /// For each task of `set`, a latest start day relative to a distant
    /// finish: a task must finish before every task of the set it may help
    /// become ready starts, and start by its own last listed start day.
    /// Over-cautious (any dependency counts), as befits a priority.
    fn latest_starts(&self, set: &FixedBitSet) -> Vec<u32> {
        self.latest_from(set, self.last_days(set))
    }

    /// Each task's last listed start day, or a distant day.
    fn last_days(&self, set: &FixedBitSet) -> Vec<u32> {
        const FAR: u32 = 4 * super::HORIZON_DAYS;
        let mut last = vec![FAR; self.n];
        for i in set.ones() {
            if let Window::Days(days) = &self.tasks[i].window {
                last[i] = days.last().copied().unwrap_or(0).min(FAR);
            }
        }
        last
    }

    /// Task `i`'s last listed start day, or a distant day.
    fn last_days_of(&self, i: usize) -> u32 {
        match &self.tasks[i].window {
            Window::Days(days) => days.last().copied().unwrap_or(0),
            Window::Anytime => NONE,
        }
    }

    /// [`Self::latest_starts`] from given due days: each task also starts
    /// early enough to finish before what it may help become ready.
    fn latest_from(&self, set: &FixedBitSet, mut latest: Vec<u32>) -> Vec<u32> {
        // A backward fixpoint; soft cycles end it after one pass per task.
        for _ in 0..set.count_ones(..) {
            let mut changed = false;
            for j in set.ones() {
                let days = self.tasks[j].days;
                for &k in &self.dependents[j] {
                    if set.contains(k) {
                        let by = latest[k].saturating_sub(days);
                        if by < latest[j] {
                            latest[j] = by;
                            changed = true;
                        }
                    }
                }
            }
            if !changed {
                break;
            }
        }
        latest
    }

    /// The two list schedules of `order` (see [`Self::list_schedule`]).
    fn greedy(&mut self, root: &State, order: &[usize]) {
        self.list_schedule(root, order, false);
        self.list_schedule(root, order, true);
    }

    /// Serial schedules by latest start that learn from their failures: a
    /// task that found no start day in its window gets an earlier due day,
    /// which moves it and what it needs ahead in the next order: by how late
    /// it was ready ([`REPAIR_STEP`] days at least), or, when it was ready
    /// in time but the room was taken, halfway to the day it was ready. A
    /// missed task the goal can do without is dropped instead. Every
    /// [`REPAIR_RESTART`] orders the due days start again, with more random
    /// noise in the order. Stops at the first schedule reaching the goal
    /// (recorded), after `rounds` orders, or when a schedule fails with no
    /// window missed.
    fn repair_greedy(&mut self, set: &FixedBitSet, rounds: usize) {
        if set.count_ones(..) > REPAIR_MAX_TASKS {
            return;
        }
        let mut set = set.clone();
        let base = self.last_days(&set);
        let mut due = base.clone();
        let mut next = xorshift();
        for round in 0..rounds {
            if round % REPAIR_RESTART == 0 {
                due.clone_from(&base);
            }
            let latest = self.latest_from(&set, due.clone());
            let spread = (round / REPAIR_RESTART) as u64 * 60;
            let order = self.by_due(&set, &latest, spread, &mut next);
            let missed = match self.serial_schedule(&order) {
                Ok(steps) => {
                    self.record_steps(steps, None);
                    return;
                }
                Err(missed) => missed,
            };
            if missed.is_empty() || self.time_is_up() {
                return;
            }
            for (i, ready) in missed {
                // A missed task the goal can do without is dropped.
                set.set(i, false);
                if self.reach(&set, true).1 {
                    continue;
                }
                set.insert(i);
                let last = due[i].min(self.last_days_of(i));
                due[i] = if ready > last {
                    // Ready too late: what it needs must come sooner.
                    due[i].saturating_sub((ready - last).max(REPAIR_STEP))
                } else {
                    // Ready in time, but the room went to tasks placed
                    // before it: halve the way to the front.
                    ready + (last - ready) / 2
                };
            }
        }
    }

    /// The tasks of `set` by due day, each with up to `spread` days of
    /// random noise (from `next`), then by rank: an order for
    /// [`Self::serial_schedule`].
    fn by_due(
        &self,
        set: &FixedBitSet,
        due: &[u32],
        spread: u64,
        next: &mut impl FnMut() -> u64,
    ) -> Vec<usize> {
        let mut order: Vec<(u64, u32, usize)> = set
            .ones()
            .map(|i| (u64::from(due[i]) + next() % (spread + 1), self.rank[i], i))
            .collect();
        order.sort_unstable();
        order.into_iter().map(|(_, _, i)| i).collect()
    }

    /// Whether the time limit has passed or the searches were stopped (the
    /// heuristics' check, which leaves the search's own state alone; see
    /// [`Self::out_of_limits`]).
    fn time_is_up(&self) -> bool {
        self.clock.elapsed() >= self.limits.time || self.stop.raised()
    }

    /// Serial schedules aimed at a day before the best finish: ordered by
    /// the latest starts that day allows (precedences and listed start
    /// days; see [`Self::latest_starts_by`]), learning as
    /// [`Self::repair_greedy`] does: a task that starts after its latest
    /// start, or finds no start day, gets an earlier due day in the next
    /// order. Each schedule that starts every task by its latest start
    /// finishes by the day aimed at: it is recorded, and the day before
    /// it aimed at next. `rounds` orders in all, within the time limit;
    /// never below `floor`, a proven bound.
    fn aim_before_best(&mut self, set: &FixedBitSet, rounds: usize, floor: u32) {
        if set.count_ones(..) > REPAIR_MAX_TASKS {
            return;
        }
        let Some(back) = self.back_order.clone() else {
            return;
        };
        let mut next = xorshift();
        let mut round = 0;
        while round < rounds {
            let Some((key, _)) = &self.best else {
                return;
            };
            if key.0 <= floor {
                return;
            }
            let Some(latest) = self.latest_starts_by(key.0 - 1, &back) else {
                return;
            };
            let mut due = latest.clone();
            let first = round;
            let mut met = false;
            while !met && round < rounds {
                if self.time_is_up() {
                    return;
                }
                let spread = ((round - first) / REPAIR_RESTART) as u64 * AIM_SPREAD;
                round += 1;
                let order = self.by_due(set, &due, spread, &mut next);
                match self.serial_schedule(&order) {
                    Ok(steps) => {
                        let late: Vec<(usize, u32)> = steps
                            .iter()
                            .filter(|s| latest[s.task] != NONE && s.start > latest[s.task])
                            .map(|s| (s.task, s.start - latest[s.task]))
                            .collect();
                        met = late.is_empty();
                        if met {
                            self.record_steps(steps, None);
                        }
                        for (i, by) in late {
                            due[i] = due[i].saturating_sub(by.max(REPAIR_STEP));
                        }
                    }
                    // No task left could ever be ready: no order helps.
                    Err(missed) if missed.is_empty() => return,
                    Err(missed) => {
                        for (i, _) in missed {
                            due[i] = due[i].saturating_sub(AIM_MISSED_STEP);
                        }
                    }
                }
            }
            if !met {
                return;
            }
        }
    }

    /// A serial schedule of `order` (the serial generation scheme of
    /// project scheduling): the first task of `order` that the tasks placed
    /// so far make ready is placed next, on the first day it is ready, its
    /// window allows, and the capacity has room for its whole run, among
    /// the tasks placed already or after them. Unlike a list schedule, a
    /// task never takes room from one placed before it, so the tasks due
    /// first keep what they need. The steps once the goal is reached, or
    /// `Err` with the tasks whose window had no such day and the day each
    /// was ready.
    fn serial_schedule(&self, order: &[usize]) -> Result<Vec<Step>, Vec<(usize, u32)>> {
        let mut placed = FixedBitSet::with_capacity(self.n);
        let mut steps: Vec<Step> = Vec::new();
        // Finish days of the steps, ascending.
        let mut finishes: Vec<(u32, usize)> = Vec::new();
        // The load from each day to the next listed one; the last holds on.
        let mut profile: Vec<(u32, u64)> = vec![(0, 0)];
        let mut left: Vec<usize> = order.to_vec();
        let mut missed = Vec::new();
        let mut done = FixedBitSet::with_capacity(self.n);
        // Which tasks left the placed ones make ready: asked again only of
        // the tasks a newly placed one may make ready.
        let mut waiting = FixedBitSet::with_capacity(self.n);
        let mut ready_now = FixedBitSet::with_capacity(self.n);
        for &i in &left {
            waiting.insert(i);
            ready_now.set(i, self.oracle.ready(i, &placed));
        }
        while !self.held(&placed) {
            let Some(k) = left.iter().position(|&i| ready_now.contains(i)) else {
                return Err(missed);
            };
            let i = left.remove(k);
            waiting.set(i, false);
            let task = &self.tasks[i];
            // The first day the steps done by then make `i` ready: the
            // fewest of the first steps to finish that make it ready
            // (readiness only grows with what is done), found by halving.
            let mut ready = 0;
            done.clear();
            if !self.oracle.ready(i, &done) {
                let (mut lo, mut hi) = (1, finishes.len());
                while lo < hi {
                    let mid = (lo + hi) / 2;
                    done.clear();
                    finishes[..mid].iter().for_each(|&(_, j)| done.insert(j));
                    if self.oracle.ready(i, &done) {
                        hi = mid;
                    } else {
                        lo = mid + 1;
                    }
                }
                ready = finishes[lo - 1].0;
            }
            let fits = |profile: &[(u32, u64)], t: u32| {
                let end = t + task.days;
                let first = profile.partition_point(|p| p.0 <= t) - 1;
                task.days == 0
                    || profile[first..]
                        .iter()
                        .take_while(|p| p.0 < end)
                        .all(|p| p.1 + task.load() <= self.cap)
            };
            let mut day = task.window.next(ready);
            while let Some(t) = day {
                if fits(&profile, t) {
                    break;
                }
                day = match task.window {
                    Window::Anytime => profile.iter().map(|p| p.0).find(|&d| d > t),
                    Window::Days(_) => task.window.next(t + 1),
                };
            }
            let Some(t) = day else {
                missed.push((i, ready));
                continue;
            };
            let end = t + task.days;
            if task.days > 0 {
                for cut in [t, end] {
                    let k = profile.partition_point(|p| p.0 <= cut);
                    if profile[k - 1].0 != cut {
                        profile.insert(k, (cut, profile[k - 1].1));
                    }
                }
                for p in profile.iter_mut().filter(|p| p.0 >= t && p.0 < end) {
                    p.1 += task.load();
                }
            }
            let k = finishes.partition_point(|f| f.0 <= end);
            finishes.insert(k, (end, i));
            placed.insert(i);
            for &j in &self.dependents[i] {
                if waiting.contains(j) {
                    ready_now.set(j, self.oracle.ready(j, &placed));
                }
            }
            steps.push(Step {
                task: i,
                start: t,
                finish: end,
            });
        }
        // By start day; on one day, in the order placed, which puts each
        // step after the zero-day steps it needs.
        steps.sort_by_key(|s| s.start);
        debug_assert!(self.valid(&steps));
        Ok(steps)
    }

    /// Would starting `i` now keep a task placed before it in `order`, ready
    /// and due on a listed start day before `i` ends, from fitting then?
    fn crowds_out(&self, st: &State, i: usize, before: &[usize]) -> bool {
        let task = &self.tasks[i];
        if task.days == 0 {
            return false;
        }
        let end = st.t + task.days;
        before.iter().any(|&j| {
            let other = &self.tasks[j];
            st.start[j] == NONE
                && st.ready_at[j] != NONE
                && self.usable.contains(j)
                && matches!(other.window, Window::Days(_))
                && other.window.next(st.t + 1).is_some_and(|d| d < end)
                && st.load + task.load() + other.load() > self.cap
        })
    }

    /// A list schedule: at each event, start every task of `order` that can
    /// start, in that order; with `look_ahead`, not one that would crowd out
    /// an earlier task's coming start day (semester intakes), so long
    /// self-paced items fill the gaps between intakes instead of straddling
    /// them.
    fn list_schedule(&mut self, root: &State, order: &[usize], look_ahead: bool) {
        let mut st = root.clone();
        loop {
            if st.held {
                self.record(&st);
                return;
            }
            let mut placed = true;
            while placed && !st.held {
                placed = false;
                for (k, &i) in order.iter().enumerate() {
                    if self.startable(&st, i, false)
                        && !(look_ahead && self.crowds_out(&st, i, &order[..k]))
                    {
                        self.place(&mut st, i);
                        placed = true;
                        if st.held {
                            break;
                        }
                    }
                }
            }
            if st.held {
                continue;
            }
            // A list schedule on a huge instance must not outlive the
            // search's time limit.
            if self.time_is_up() {
                return;
            }
            if !self.advance(&mut st, false) {
                return;
            }
        }
    }

    /// Is `st` dominated by a partial schedule met before, which then is
    /// not worth extending? `a` dominates `b` when both placed the same
    /// tasks, each task is done in `a` by the day it is done in `b` or by
    /// `b`'s day `t_b` if that is later, and `a`'s start days are less, by
    /// their sum and then in task order. (So `a`'s tasks all start by
    /// `t_b`.)
    ///
    /// Why no optimum is lost: the steps `b`'s subtree adds all start on
    /// `t_b` or later. After `a`'s steps instead they still fit (from `t_b`
    /// on, a task of `a` runs only while it runs in `b`) and are still
    /// ready (from `t_b` on, whatever is done in `b` is done in `a`), so
    /// they make a schedule of the same tasks finishing no later, with less
    /// start days. Left-justifying it only moves starts earlier. Of the
    /// best schedules the search can build (or, in a threshold round, of
    /// those finishing on the least day past the threshold), take the one
    /// whose start days are least, by sum and then in task order: if a node
    /// on its path were dominated, the schedule just made, left-justified,
    /// would be as good and less, so none is, and the search finds it (or
    /// the bound that cuts it). Whether `a`'s own subtree was searched does
    /// not matter, only that its steps are a valid start.
    fn dominated(&mut self, st: &State) -> bool {
        if !self.dominance || st.placed.is_empty() {
            return false;
        }
        let mut set = FixedBitSet::with_capacity(self.n);
        for &j in &st.placed {
            set.insert(j);
        }
        let days: Vec<u32> = set.ones().map(|j| self.tasks[j].days).collect();
        let starts: Box<[u32]> = set.ones().map(|j| st.start[j]).collect();
        let sum = starts.iter().map(|&s| u64::from(s)).sum::<u64>();
        // Does `a` (start sum, starts) dominate `b` (day, start sum, starts)?
        let dominates = |a: (u64, &[u32]), b: (u32, u64, &[u32])| {
            a < (b.1, b.2)
                && days
                    .iter()
                    .zip(a.1.iter().zip(b.2))
                    .all(|(&d, (&sa, &sb))| sa + d <= (sb + d).max(b.0))
        };
        let seen = self.seen.entry(set).or_default();
        if seen
            .iter()
            .any(|a| dominates((a.sum, &a.starts), (st.t, sum, &starts)))
        {
            return true;
        }
        let before = seen.len();
        seen.retain(|b| !dominates((sum, &starts), (b.t, b.sum, &b.starts)));
        self.seen_len -= before - seen.len();
        if seen.len() < SEEN_PER_SET && self.seen_len < SEEN_MAX {
            seen.push(Seen {
                t: st.t,
                sum,
                starts,
            });
            self.seen_len += 1;
        }
        false
    }

    fn beaten(&mut self, lb: Key) -> bool {
        if self.cutoff != NONE && lb.0 >= self.cutoff {
            return true;
        }
        if let Some(tandem) = self.as_reverse() {
            if lb.0 >= tandem.best.load(Ordering::Relaxed) {
                return true;
            }
        }
        if self.known_least().is_some_and(|least| lb.0 > least) {
            return true;
        }
        let by_best = match &self.best {
            None => lb.0 == NONE,
            Some((best, _)) => {
                if self.finish_only {
                    lb.0 >= best.0
                } else {
                    lb >= *best
                }
            }
        };
        if by_best {
            return true;
        }
        if self.finish_only && lb.0 > self.threshold {
            self.next_threshold = self.next_threshold.min(lb.0);
            return true;
        }
        false
    }

    fn dfs(&mut self, st: State) {
        let Some(tandem) = self.as_reverse() else {
            return self.dfs_at(st);
        };
        // The reverse search tells of each subtree it finishes, and of the
        // whole search when it ends (a threshold round's cuts are not all past
        // its deadline: it tells of nothing).
        let key = self.key(&st);
        let before = self.nodes;
        self.depth += 1;
        self.dfs_at(st);
        self.depth -= 1;
        if self.stopped || self.halt || self.threshold != NONE {
            return;
        }
        let day = self.deadline().saturating_add(1);
        if self.depth == 0 {
            tandem.everything.fetch_max(day, Ordering::Relaxed);
        } else if self.nodes - before >= TANDEM_MIN_NODES {
            let mut facts = tandem.facts();
            if facts.words + key.len() <= TANDEM_WORDS {
                facts.words += key.len();
                facts.days.insert(key, day);
                tandem.told.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    fn dfs_at(&mut self, mut st: State) {
        loop {
            self.nodes += 1;
            if self.out_of_limits() {
                return;
            }
            if self.told_nothing_below(&st) {
                return;
            }
            if st.held {
                self.record(&st);
                // Only a threshold round halts: its threshold is a proven
                // bound, so a schedule finishing by it is optimal.
                if self.finish_only
                    && self.threshold != NONE
                    && self
                        .best
                        .as_ref()
                        .is_some_and(|(k, _)| k.0 <= self.threshold)
                {
                    self.halt = true;
                }
                return;
            }
            let mut cands: Vec<usize> = (0..self.n)
                .filter(|&i| self.startable(&st, i, true))
                .collect();
            // Nothing to decide here: when dating a set, move on at once.
            // The node's subtree is the next one's, whose bounds and
            // dominance (a later day, the same steps) cut all this one's
            // would; on the synthetic catalog this makes dating a set a
            // third faster. For the target, where moving on costs more and
            // an early cut saves more, the bounds come first.
            let moving_on = cands.is_empty();
            if !(moving_on && self.all_of.is_some()) && (self.dominated(&st) || self.cut(&st)) {
                return;
            }
            if moving_on {
                if !self.advance(&mut st, true) {
                    return;
                }
                continue;
            }
            self.narrow(&mut st, &mut cands);
            cands.sort_by_key(|&i| self.rank[i]);
            // The branches: starting a first-class task now, waiting, then
            // starting any other task now.
            let (first, rest): (Vec<usize>, Vec<usize>) = cands
                .into_iter()
                .partition(|&i| self.first_class.contains(i));
            let branches: Vec<Option<usize>> = first
                .into_iter()
                .map(Some)
                .chain(std::iter::once(None))
                .chain(rest.into_iter().map(Some))
                .collect();
            let mut branches = branches;
            if self.as_reverse().is_some() {
                branches.reverse();
            }
            let mut deadline = self.deadline();
            for branch in branches {
                // A better schedule found below: the node's bounds and
                // ranges again, for the new deadline, for what is left.
                if self.rejudging && self.deadline() < deadline {
                    deadline = self.deadline();
                    if self.cut(&st) {
                        return;
                    }
                    self.narrow(&mut st, &mut Vec::new());
                }
                let mut child = st.clone();
                match branch {
                    Some(i) => {
                        if self.necessary.contains(i)
                            && st.range_lo.get(i).is_some_and(|&lo| lo > st.t)
                        {
                            continue;
                        }
                        self.place(&mut child, i);
                    }
                    None => {
                        if !self.advance(&mut child, true) {
                            continue;
                        }
                    }
                }
                self.dfs(child);
                if self.stopped || self.halt {
                    return;
                }
            }
            return;
        }
    }

    /// The node's bounds and [`Self::misses`] for the current deadline:
    /// `true` when nothing below `st` can beat the best schedule or meet
    /// the deadline; otherwise `ranged`/`ranged_hi` hold the node's ranges.
    fn cut(&mut self, st: &State) -> bool {
        let (lb, est) = self.bound_est(st);
        if self.beaten(lb) {
            return true;
        }
        // With no deadline yet, the last listed start days still give
        // every needed task a latest start.
        let deadline = self.deadline().min(NONE - 1);
        if self.misses(st, &est, deadline, self.shaving) {
            if self.finish_only && deadline == self.threshold {
                self.next_threshold = self.next_threshold.min(deadline + 1);
            }
            return true;
        }
        false
    }

    /// Keeps the ranges [`Self::misses`] left at this node for its
    /// children, and drops the candidates among the needed tasks whose
    /// earliest start for the deadline (the timetable of `misses`) is
    /// later: none can start now in any schedule below that meets it.
    fn narrow(&self, st: &mut State, cands: &mut Vec<usize>) {
        if !self.ranged.is_empty() {
            st.range_lo.clone_from(&self.ranged);
            st.range_hi.clone_from(&self.ranged_hi);
            cands.retain(|&i| !self.necessary.contains(i) || self.ranged[i] <= st.t);
        }
    }
}

/// `set` with the tasks of `cands` added while `keeps` holds of it: all at
/// once if it can, else each half in turn, and so on down (few calls when
/// most can join).
fn grow_in_halves(
    set: FixedBitSet,
    cands: &[usize],
    mut keeps: impl FnMut(&FixedBitSet) -> bool,
) -> FixedBitSet {
    let mut grown = set;
    let mut stack = vec![(0, cands.len())];
    while let Some((a, b)) = stack.pop() {
        if a >= b {
            continue;
        }
        let mut trial = grown.clone();
        cands[a..b].iter().for_each(|&i| trial.insert(i));
        if keeps(&trial) {
            grown = trial;
        } else if b - a > 1 {
            let mid = (a + b) / 2;
            stack.push((mid, b));
            stack.push((a, mid));
        }
    }
    grown
}

/// A set check's dating of core tasks: `date(tasks, assumed)` dates
/// `tasks` as [`super::schedule_set`] does, those of `assumed` taken as done
/// from the start; whether they have a schedule, `None` when cut short.
pub(super) type DateCore<'f> = dyn FnMut(&[usize], &[usize]) -> Option<bool> + 'f;

/// A set's tasks as a set check sees them ([`Engine::core_of`]).
struct Core {
    /// The tasks that can wait until everything else is done.
    waits: FixedBitSet,
    /// The others: the core.
    core: FixedBitSet,
    /// The core tasks every plan of the set needs.
    needed: FixedBitSet,
    /// The core tasks some plans do without.
    optional: Vec<usize>,
}

/// A set check dates core parts only when at most this many core tasks are
/// optional ([`Engine::core_of`]), and at most [`MAX_PARTS`] parts.
const MAX_OPTIONAL: usize = 8;
const MAX_PARTS: usize = 8;

#[cfg(test)]
mod tests {
    use super::*;

    /// Each condition of [`FailedStates::cover`] on its own: a state is
    /// covered by a kept one only with the same heavy tasks left, the
    /// machine free no sooner, the deadline no later and each later task
    /// released no sooner.
    #[test]
    fn a_kept_failed_state_covers_only_states_no_easier() {
        let mut kept = FailedStates::default();
        // Tasks 0 and 2 left; task 2 released on day 40, the machine free
        // on day 10, nothing done by day 100.
        let rest = 0b101;
        kept.insert(
            rest,
            MachineFailed {
                later: 0b100,
                free: 10,
                quit: 100,
                days: [40, 0, 0, 0],
            },
        );
        let release = |day: u32| move |h: usize| if h == 2 { day } else { 0 };
        assert!(kept.cover(rest, 10, 100, release(40)));
        assert!(kept.cover(rest, 12, 90, release(45)));
        assert!(!kept.cover(0b001, 10, 100, release(40)), "other tasks left");
        assert!(!kept.cover(rest, 9, 100, release(40)), "free sooner");
        assert!(!kept.cover(rest, 10, 101, release(40)), "a later deadline");
        assert!(!kept.cover(rest, 10, 100, release(39)), "released sooner");
    }

    #[test]
    fn the_oldest_kept_state_goes_when_a_set_has_too_many() {
        let mut kept = FailedStates::default();
        let state = |free: u32| MachineFailed {
            later: 0,
            free,
            quit: 100,
            days: [0; MACHINE_FAILED_DAYS],
        };
        for free in 0..=MACHINE_FAILED_PER_SET as u32 {
            kept.insert(1, state(free));
        }
        assert_eq!(kept.len, MACHINE_FAILED_PER_SET);
        // The state free on day 0 went; the one free on day 1 covers.
        assert!(!kept.cover(1, 0, 100, |_| 0));
        assert!(kept.cover(1, 1, 100, |_| 0));
    }
}
