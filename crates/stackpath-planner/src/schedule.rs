//! Dated schedules, and the `time` objective: the set of items *and* the
//! schedule that make the target held on the earliest possible day.
//!
//! # The problem
//!
//! Time is counted in whole days from the learner's start. Each [`Task`]
//! lasts `days` days and occupies `weekly` units of the learner's weekly
//! capacity while it runs (a fixed-pace item its own pace, a self-paced item
//! the whole capacity, so it runs alone; a zero-day award takes nothing). It
//! may begin only on a day its [`Window`] allows and only once its
//! requirements are met by the holdings and the items finished by then,
//! which the [`Readiness`] oracle decides exactly (counting rules,
//! equivalences). An item that begins on day `s` is done on day `s + days`,
//! and an item that requires it may begin that same day. A schedule is a
//! *list* of steps; each step's requirements must be met by the steps before
//! it in the list, so a zero-day award can never count toward itself or
//! toward anything that it needs (plans are well-founded). The key minimised
//! is `(finish, cost, effort, count)`, lexicographically.
//!
//! # Why the search is exact
//!
//! The objective (the day the target becomes held) can only improve when
//! any item finishes earlier, because readiness is monotone. Two facts then
//! bound the search space without losing an optimum:
//!
//! 1. *Serial schedule generation.* Placing the items of any feasible
//!    schedule, in order of their start days, each at the earliest day its
//!    requirements, window and the capacity left by the items placed before
//!    it allow, gives a schedule in which no item starts later. Repeating
//!    this (sort by the new starts, place again) only moves starts earlier,
//!    so it reaches a fixpoint: an optimal schedule in which the starts are
//!    non-decreasing along the list and every item starts at the earliest
//!    day the items before it allow (*left-justified*). Its start days are
//!    0, finish days of other items, or the item's own window days, so only
//!    those *events* need visiting.
//! 2. *Ties.* Two adjacent items that start on the same day where the second
//!    did not need the first can be swapped without moving anything later.
//!    So among items starting on one day, the list can follow a fixed
//!    priority order, except that an item made ready by a zero-day award
//!    placed just before it may follow it.
//!
//! The depth-first search builds exactly such lists: it walks event days in
//! time order and, on each, either starts one more item that is ready, in its
//! window, fits the capacity, respects the tie order and could not have
//! started earlier given everything placed so far, or moves on to the next
//! event. Items that could have started earlier and can no longer be pushed
//! back by anything placed later are *dead* for the rest of that branch.
//! A branch is cut when its lower bound cannot beat the best plan found:
//!
//! * every placed item finishes by the target's day (an optimal plan has no
//!   item it does not need);
//! * the *critical path*: an earliest-time fixpoint over the oracle, as if
//!   capacity were unlimited except for the items already running, each
//!   remaining item starting at its first window day once ready (a
//!   Dijkstra-like sweep in time order, so soft cycles are well-founded);
//! * the *load*: the work (weekly units times days) of the items every plan
//!   needs (found once, by removing each item and checking reachability)
//!   plus what is left of the running items, spread over the capacity from
//!   each possible release day onwards;
//! * *packing*: the load bound again with each weekly load `w` counted as
//!   `f_k(w) = (⌈(k+1)·w/C⌉ − 1) / k` of the capacity `C` (a dual-feasible
//!   function of bin packing: tasks that run together never count more than
//!   `C`). For k = 1 the tasks over half the capacity count whole and the
//!   rest nothing, so their days simply add up; for k = 2 loads in
//!   `(C/3, 2C/3]` count as half; and so on. This sees the capacity that
//!   fixed weekly loads leave unusable, which the plain load bound does not;
//! * the *window classes*: tasks that may start only on the same listed days
//!   (a semester intake) and start on the same day all run that day, so
//!   their weekly loads share the capacity then, and at most one of them can
//!   be heavy. The weekly load and the heavy tasks a plan still needs from a
//!   class (the needed ones, or a floor on any plan's less what is placed)
//!   need so many start days of the class from `t` on; the last of them
//!   plus the class's shortest task bounds the finish. This is what sees
//!   semester packing, which the load bound (hours times days) does not;
//! * *the classes together*: at any time the tasks running take at most `k`
//!   packing units of order `k`, and a task of a class runs at least the
//!   class's shortest days from one of its start days. So the units a plan
//!   still needs from some classes (a floor on any plan's, from the set
//!   optimiser, less what is placed) need `⌈units / k⌉` intervals
//!   `[s, s + shortest)` of their start days that do not overlap, from `t`
//!   on (as a linear programme over an interval matrix, whose optimum is
//!   whole; and `k` tracks of them hold at most `k` times one chain's). The
//!   earliest-ending chain gives, for each count, the least day that holds
//!   it. Counted for every class together, for the classes with floors
//!   together, and for each alone ([`class_unions`]). This sees what one
//!   class at a time does not: a course of one calendar that runs across
//!   another's start day takes that start day's room. The sample learner's
//!   degree (two calendars of 16-week courses) needs six intervals, the
//!   sixth ending on day 1,052, which proves the plan the search finds;
//! * the *one machine*: needed items over half the capacity never run side
//!   by side, so they run one after another. The least day all of them can
//!   be done, each starting on a day of its window, no earlier than its
//!   critical-path start and after the heavy items that precede it (below),
//!   plus the chain of needed items that must follow the last of them, is
//!   found by dynamic programming over the sets of them done: for each set,
//!   the least day the machine is free after it (starting later never
//!   helps, so the least day is all a set needs). This sees the days lost
//!   waiting for start dates between heavy items, which neither the load
//!   nor the critical path does. It is used only where some heavy item has
//!   listed start days (else the load bound from each release day sees
//!   nearly as much), gives up beyond 20,000 sets, and is left out of the
//!   search when it does not raise the root's bound. Since only the day a
//!   node must beat matters, sets whose machine is free too late for the
//!   days of the heavy items left are dropped as it goes. Below the root,
//!   where only whether the node is cut matters (any day that does not cut
//!   it does as well as the least), the same sets are searched depth-first
//!   instead, the item that can finish first tried first and a set met
//!   before with the machine free no later skipped, and the search stops at
//!   the first order that has them done in time; when there is none it has
//!   met every set the programme would, and gives the same bound;
//! * for the tie-breaks, the cost, effort and count already spent plus those
//!   of the needed items still to place, or a floor on any plan's.
//!
//! Those bounds look forward from the node. *Deadline reasoning* looks back
//! from the day a schedule below it must beat (the best finish found, or the
//! threshold below): a node is cut when no schedule of it can reach the goal
//! by that day.
//!
//! * *Precedences.* Among the items every plan needs, `j` precedes `i` when
//!   `i` is not ready even with every other usable item done; the oracle is
//!   monotone, so no schedule starts `i` before `j` is done.
//! * *Latest starts.* Going back through the precedences from the deadline,
//!   each needed item has a latest start: its last window day that lets it
//!   finish by the deadline and before each item it precedes must start. An
//!   item placed after it, or whose critical-path start is later, misses.
//! * *Timetable.* An item whose start range is `[e, l]` surely runs on
//!   `[l, e + days)` (its compulsory part). Starts where an item would
//!   overload the capacity beside the running items and the others'
//!   compulsory parts are removed from its range, and the precedences carry
//!   the narrowed ranges forward and back, for a few rounds; a range that
//!   empties means the deadline is missed.
//! * *Energy.* On every interval `[a, b)` between the range ends, the running
//!   items and the least time each needed item must spend inside it,
//!   wherever it starts in its range (at its earliest or latest start, as
//!   the overlap first grows and then shrinks), must fit the capacity, in
//!   weekly load and in the packing units `f_k` above.
//! * *One machine, within the ranges.* At the root and while no schedule is
//!   known, the one-machine dynamic programme runs again with the narrowed
//!   earliest starts and no heavy item starting after its latest start; when
//!   no order of the heavy items fits, or the least finish is past the
//!   deadline, it is missed. With no schedule known yet, the deadline is
//!   "ever": the last listed start days alone give the latest starts, which
//!   is what decides whether a set with dated offerings can be scheduled at
//!   all.
//! * *Shaving* (when dating a set). The first start day left in the range
//!   of an item with listed start days is tried as its only start: if the
//!   timetable then empties some range, no schedule meeting the deadline
//!   starts the item that day, and its range loses it. At the root the last
//!   day is tried too, for a few rounds. On the synthetic catalog this cuts
//!   the nodes of the slowest set datings three- to ninefold; for the
//!   target (fewer items needed by every plan) it cost more than it cut.
//! * *Ranges are inherited.* What the rules leave of each range at a node
//!   holds below it, for the same deadline or an earlier one (the deadline
//!   only ever comes down during a search), so a child starts from its
//!   parent's ranges instead of the critical path alone.
//! * *Judged again after a better schedule.* When the search comes back to
//!   a node from a branch that found a better schedule, the node's bounds,
//!   ranges and shaving are judged again for the new deadline before its
//!   next branch: the node may now be cut whole, and its other branches
//!   start from the narrower ranges (at the root, shaved at both ends
//!   again). Dating `college-084`'s set took 5,305 nodes with its best
//!   schedule found at node 391, against 3,678 had that schedule been known
//!   from the start; judging again takes it to 4,306.
//!
//! *A reverse search on the second core* ([`schedule_set_in_tandem`], and the
//! plan's dating ahead once the set search has ended with one answer). A second
//! search of the same set takes every node's branches in reverse order, with
//! the main search's best finish as its own deadline, and tells the main search
//! of each subtree it finishes: the node by everything its subtree depends on
//! (day, starts, when and in which order each task became ready, the tasks
//! dead, the last placed), and a day no schedule below it finishes before. The
//! main search cuts a node it is told of whose day is past its deadline: it
//! would have found nothing there. When the reverse search has searched
//! everything, its day is the least finish, and the main search then looks only
//! for a schedule finishing on it, in its own order. Either way the main search
//! finds the same schedules in the same order as alone (a cut subtree holds
//! none it would record, and the first schedule finishing on the least day in
//! its order is the one it would keep), so the answer, schedule and all, never
//! depends on how far the reverse search got; only the nodes and the time do. A
//! search with a node limit gets no reverse search, as it must stop at the same
//! node on every machine: so the first of tied sets (40,000 nodes) is dated
//! alone. On the synthetic catalog's slowest datings the main search visits
//! 15–35 % fewer nodes (`college-056`: 24,372 → 16,501).
//!
//! Each rule only removes starts no schedule meeting the deadline uses, so a
//! cut never loses one. At the root the same test raises the lower bound: a
//! deadline it rules out rules out every earlier one too (a schedule that
//! finishes by an earlier day finishes by the later one), so bisection
//! between the bounds and the best finish found gives the first deadline it
//! cannot rule out. The bisection leaves shaving out, which costs the most:
//! below the root the search uses its own bounds, so the root's matters
//! only if it proves the best finish, and shaving then tries the day before
//! that alone. On the synthetic 100,000-credential catalog this takes the
//! cost plans whose dating was slow from seconds to milliseconds
//! (`BENCHMARKS.md`).
//!
//! *Dominance.* Different lists often reach the same placed tasks: two
//! courses taken in either order, say. A node is cut when a node met before
//! placed the same tasks, each done by the day it is done in this one (or by
//! this node's day, if later), with start days that are less (by sum, then
//! in task order). The steps this node's subtree would add, after the other
//! node's steps instead, still fit and are still ready, giving a schedule of
//! the same tasks that finishes no later and starts less; so the best
//! schedule whose start days are least is never cut, and the search still
//! finds an optimum. On the synthetic catalog it cuts the nodes of the
//! slowest set datings by a third to nine tenths.
//!
//! For an [`Instance`](crate::instance::Instance), [`fastest_for`] gets the
//! floors from the set optimiser ([`crate::select`]): the least effort of any
//! plan (times the least ratio of work to effort) for the load, the least
//! packing work for each k = 1, 2, 3, the least weekly load and
//! number of heavy items of each window class, and, only once the finish is
//! proven, the cheapest plan for the tie-breaks.
//!
//! An upper bound comes first from greedy list schedules of good sets (the
//! items the critical-path sweep used, minimised; any sets the caller hints,
//! such as the cost-optimal one; every item) under five priority rules (least
//! latest start first, critical path, windows first, longest, lightest), then
//! from greedy rounds under randomly perturbed priorities (a fixed seed, a
//! tenth of the time limit; not when dating a set, where the exact search
//! does better sooner), then from the exact search restricted to the
//! critical-path set and to the best set so far (an eighth of the time left
//! each; none when the set holds every usable item, as when dating a set,
//! where it would only repeat the full search), and then from the full
//! search, which tries the critical-path items first. When the bounds meet,
//! the plan is proven optimal. A search that only looks for a schedule
//! before a cutoff (a tied set that must beat another's finish) skips the
//! randomised rounds when the root's bound already reaches the cutoff.
//!
//! The search for the finish first runs as a plain branch and bound, which
//! improves the best schedule as it goes, for half the time left; if that
//! does not settle it, it goes on by *threshold deepening*: it looks for a
//! schedule finishing by a proven lower bound `X`, cutting every node whose
//! bound is later than `X`. Finding one proves it optimal; a complete search
//! without one proves that nothing finishes before the least bound of the
//! nodes it cut, which becomes the next `X`. The last round is the plain
//! proof search, so little is repeated, and when a time or node limit stops
//! the search, the best plan found is returned with the last proven `X`,
//! usually better than the root bound. The tie-breaks are then proven by a
//! plain branch and bound over the whole key.
//!
//! [`schedule_set`] runs the same search restricted to a given set, with the
//! goal "every item of the set done", so its dates are the earliest possible
//! for that set. It works on the set's items alone, renumbered, so the
//! search's per-node state has the set's size, not the instance's.
//!
//! Costs count in the plan currency (the one most items are priced in);
//! prices in other currencies cannot be compared with them and take no part
//! in the tie-break.
//!
//! # Evidence
//!
//! `tests/schedule_bruteforce.rs` compares the search with an exhaustive
//! day-by-day search on thousands of tiny instances (abstract ones with exact
//! floors, and real catalogs through the real oracle), checks every claim
//! made under tiny node limits, and compares the full strategy with a plain
//! branch and bound ([`fastest_reference`]) on medium instances; the
//! dominance rule is tested alone too, with the plain search, against brute
//! force and against the plain search without it.
//! `benches/time.rs` measures program-sized catalogs; the results, and where
//! the method falls short of proofs, are in `BENCHMARKS.md`.

mod energy;
mod prepare;
mod search;

use std::cell::{Cell, RefCell};
use std::time::Duration;

use fixedbitset::FixedBitSet;
use rustc_hash::FxHashMap;

use crate::stop::StopSignal;

pub use prepare::{
    blocked_items, check_set_for, class_unions, dependencies, fastest_for, fastest_within_budget,
    packing_floors, schedule_set_for, schedule_set_sharing_for, schedule_sets_earliest,
    schedule_sets_earliest_after, search_set_in_reverse_for, select_dated, window, window_floors,
    work_floor, BlockReason, BlockedItem, NoSchedule, Prepared, HORIZON_DAYS,
};
pub use search::SearchStats;

/// The readiness oracle: task `i` is item `i` of the instance. Both answers
/// must be monotone (more done never hurts), which the search relies on.
pub use crate::instance::Readiness;

/// The days on which a task may begin, as offsets from the learner's start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Window {
    Anytime,
    /// Only these days, sorted ascending. Recurring windows (the first of
    /// given months, every year) are expanded up to a horizon.
    Days(Vec<u32>),
}

impl Window {
    /// The first allowed day at or after `day`.
    pub fn next(&self, day: u32) -> Option<u32> {
        match self {
            Window::Anytime => Some(day),
            Window::Days(days) => {
                let k = days.partition_point(|&d| d < day);
                days.get(k).copied()
            }
        }
    }

    /// The last allowed day at or before `day`.
    pub fn last_by(&self, day: u32) -> Option<u32> {
        match self {
            Window::Anytime => Some(day),
            Window::Days(days) => {
                let k = days.partition_point(|&d| d <= day);
                k.checked_sub(1).map(|k| days[k])
            }
        }
    }

    pub fn allows(&self, day: u32) -> bool {
        self.next(day) == Some(day)
    }

    /// Allowed days in `[from, to)`, or `None` for anytime.
    fn days_in(&self, from: u32, to: u32) -> Option<&[u32]> {
        match self {
            Window::Anytime => None,
            Window::Days(days) => {
                let a = days.partition_point(|&d| d < from);
                let b = days.partition_point(|&d| d < to);
                Some(&days[a..b.max(a)])
            }
        }
    }
}

/// One item as the scheduler sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    /// Calendar days from its start to its finish.
    pub days: u32,
    /// Capacity units a week it occupies while it runs (ignored when `days`
    /// is 0).
    pub weekly: u64,
    pub cost: i64,
    pub effort: u64,
    pub window: Window,
}

impl Task {
    fn load(&self) -> u64 {
        if self.days == 0 {
            0
        } else {
            self.weekly
        }
    }

    fn work(&self) -> u64 {
        self.load() * u64::from(self.days)
    }
}

/// Which tasks can change whether a task (or the target) is ready. Optional:
/// without it every finished task re-checks every other one, which is exact
/// but slower.
#[derive(Debug, Clone, Default)]
pub struct Dependencies {
    /// For each task, the tasks whose completion may make it ready.
    pub of_task: Vec<Vec<usize>>,
    /// The tasks whose completion may make the target held.
    pub of_target: Vec<usize>,
}

/// A scheduling problem: tasks, the learner's weekly capacity (same units as
/// [`Task::weekly`]) and the readiness oracle.
#[derive(Clone, Copy)]
pub struct Problem<'a> {
    pub tasks: &'a [Task],
    pub capacity: u64,
    pub readiness: &'a dyn Readiness,
    pub dependencies: Option<&'a Dependencies>,
    /// No plan's tasks together need less work than this (weekly units
    /// times days, summed); 0 when unknown. A floor for the load bound.
    pub work_floor: u64,
    /// Floors on any plan's packing work (see [`packing_units`]).
    pub packing_floors: &'a [PackingFloor],
    /// Floors for the classes of [`window_classes`]; classes without one
    /// use only the tasks every plan needs.
    pub window_floors: &'a [WindowFloor],
    /// Floors for window classes together (see [`class_unions`]).
    pub class_unions: &'a [ClassUnion],
    /// Plans may cost at most this, in [`Task::cost`] units (the `time`
    /// objective only; a fixed set is dated whatever it costs).
    pub budget: Option<i64>,
}

/// No plan's tasks need less packing work of order `k` than `floor`: the
/// sum over its tasks of [`packing_units`]`(k, weekly, capacity)` times days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackingFloor {
    pub k: u32,
    pub floor: u64,
}

/// A weekly load in `k`-ths of the capacity under the dual-feasible
/// function `f_k(w) = (⌈(k+1)·w/C⌉ − 1) / k`: tasks running side by side
/// never add up to more than `k` units, so the finish is at least the units
/// times days of a plan's tasks, divided by `k`.
pub fn packing_units(k: u32, weekly: u64, capacity: u64) -> u64 {
    if weekly == 0 || capacity == 0 {
        return 0;
    }
    let k = u64::from(k);
    ((k + 1) * weekly)
        .div_ceil(capacity)
        .saturating_sub(1)
        .min(k)
}

/// What any plan must take from one window class (see [`window_classes`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowFloor {
    /// The class, exactly as [`window_classes`] lists it.
    pub tasks: Vec<usize>,
    /// No plan's tasks of the class need less weekly capacity in total.
    pub weekly: u64,
    /// No plan has fewer heavy tasks (more than half the capacity) of the
    /// class.
    pub heavy: u64,
    /// No plan's tasks of the class take fewer [`packing_units`] of each
    /// order of [`CLASS_ORDERS`] in total. Tasks starting on one day run side by side, so a
    /// start day takes at most `k` units of order `k`: seven courses of 47 %
    /// of the capacity (a unit of order 2 each) need four start days, where
    /// their weekly hours alone say three.
    pub units: [u64; CLASS_ORDERS.len()],
}

/// What any plan must take from some window classes together: the tasks of
/// the classes (of [`window_classes`]), and the least total of
/// [`packing_units`] of each order of [`CLASS_ORDERS`] any plan's tasks of
/// them take.
///
/// The bound it gives (module documentation, *the classes together*): at
/// any time, the tasks running take at most `k` units of order `k`, and a
/// task of a class runs at least the class's shortest days from one of its
/// start days. So, as a linear programme, the units that can run between
/// `t` and `T` are at most `k` times the most intervals `[s, s + shortest)`
/// of the classes' start days that fit there without overlapping (the
/// programme's matrix is an interval matrix, so its optimum is whole, and
/// an interval graph splits into `k` chains). The earliest-ending chain
/// gives, for each `m`, the least `T` that holds `m` intervals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassUnion {
    /// The tasks of the classes, sorted.
    pub tasks: Vec<usize>,
    /// No plan's tasks among them take fewer units of each order.
    pub units: [u64; CLASS_ORDERS.len()],
}

/// The orders `k` of [`packing_units`] the window-class floors count in.
/// Several, because each sees other mixes of loads: order 2 counts a
/// course of 16 % of the capacity as nothing, order 6 sees that it cannot
/// start beside two of 47 %.
pub const CLASS_ORDERS: [u32; 7] = [2, 3, 4, 5, 6, 7, 8];

/// Tasks that take time and may start only on the same listed days, grouped
/// by window (classes of one task included), in task order. Tasks of a class
/// that start on the same day all run on that day, so their weekly loads
/// share the capacity: a class whose plan share needs more than the
/// capacity needs several start days.
pub fn window_classes(tasks: &[Task]) -> Vec<Vec<usize>> {
    let mut classes: Vec<Vec<usize>> = Vec::new();
    for (i, t) in tasks.iter().enumerate() {
        if t.days == 0 || !matches!(t.window, Window::Days(_)) {
            continue;
        }
        match classes.iter_mut().find(|c| tasks[c[0]].window == t.window) {
            Some(c) => c.push(i),
            None => classes.push(vec![i]),
        }
    }
    classes
}

impl std::fmt::Debug for Problem<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Problem")
            .field("tasks", &self.tasks)
            .field("capacity", &self.capacity)
            .finish_non_exhaustive()
    }
}

/// One scheduled task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub task: usize,
    pub start: u32,
    pub finish: u32,
}

/// A dated schedule, its steps in a well-founded order (by start day; on one
/// day, each step after every step it needs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub steps: Vec<Step>,
    /// The day the goal is reached: the target held, or every task of the
    /// set done.
    pub finish: u32,
    pub cost: i64,
    pub effort: u64,
}

impl Schedule {
    /// The lexicographic key the `time` objective minimises.
    pub fn key(&self) -> (u32, i64, u64, usize) {
        (self.finish, self.cost, self.effort, self.steps.len())
    }
}

/// A schedule with what is known about its optimality.
#[derive(Debug, Clone, PartialEq)]
pub struct TimePlan {
    pub schedule: Schedule,
    /// Proven optimal for the whole key: finish, then cost, effort, count.
    pub optimal: bool,
    /// Proven that no schedule finishes earlier.
    pub finish_optimal: bool,
    /// No schedule finishes before this day; equals the finish when
    /// `finish_optimal`.
    pub lower_bound: u32,
    pub stats: SearchStats,
}

/// When to stop searching and return the best schedule found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub time: Duration,
    /// Search nodes; deterministic, unlike `time`.
    pub nodes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            time: Duration::from_secs(1),
            nodes: u64::MAX,
        }
    }
}

/// Extra knowledge from the other optimisers.
#[derive(Debug, Clone, Default)]
pub struct Hints {
    /// Candidate sets (for instance the cost-optimal one); each one that can
    /// be scheduled gives an upper bound.
    pub sets: Vec<Vec<usize>>,
    /// The least `(cost, effort, count)` of any plan, ignoring time: a
    /// floor for the tie-breaks.
    pub tiebreak_floor: Option<(i64, u64, usize)>,
}

/// Why a task can never be scheduled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocked {
    /// It alone needs more capacity a week than the learner has.
    TooManyHours { task: usize, needs: u64, has: u64 },
    /// It has no start day left (every listed date is past).
    NoStartDay { task: usize },
}

impl Blocked {
    pub fn task(&self) -> usize {
        match *self {
            Blocked::TooManyHours { task, .. } | Blocked::NoStartDay { task } => task,
        }
    }
}

/// Tasks that can never be scheduled, in task order.
pub fn blocked(problem: &Problem<'_>) -> Vec<Blocked> {
    problem
        .tasks
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            if t.load() > problem.capacity {
                Some(Blocked::TooManyHours {
                    task: i,
                    needs: t.weekly,
                    has: problem.capacity,
                })
            } else if t.window.next(0).is_none() {
                Some(Blocked::NoStartDay { task: i })
            } else {
                None
            }
        })
        .collect()
}

/// Why no schedule reaches the goal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreachable {
    /// Every task that can never be scheduled.
    pub blocked: Vec<Blocked>,
    /// Whether the goal would be reachable if the blocked tasks could be
    /// scheduled: they are then the reason.
    pub blocked_is_cause: bool,
    /// For [`schedule_set`]: tasks of the set whose requirements the set can
    /// never meet.
    pub stuck: Vec<usize>,
    /// Every way to the goal needs tasks with listed start days that no
    /// schedule meets (the last one passes before a task can be ready, or
    /// the tasks do not fit the capacity by then).
    pub windows_missed: bool,
    /// A limit stopped the search before any schedule was found, so the goal
    /// may still be reachable.
    pub search_stopped: bool,
    /// Schedules exist, but none within the budget.
    pub over_budget: bool,
}

/// The `time` objective: the schedule on which the target is held earliest,
/// ties broken by cost, effort and count. `Err` when the target cannot be
/// reached at all.
pub fn fastest(
    problem: &Problem<'_>,
    limits: &Limits,
    hints: &Hints,
) -> Result<TimePlan, Unreachable> {
    search::Engine::new(problem, None, limits).solve(hints, &mut |_| None)
}

/// [`fastest`] by a plain branch and bound: no greedy schedules, no
/// restricted searches, no threshold deepening, no dominance rule. A
/// reference for tests of the faster strategy; the answer's key is the same.
#[doc(hidden)]
pub fn fastest_reference(problem: &Problem<'_>, limits: &Limits) -> Result<TimePlan, Unreachable> {
    let mut engine = search::Engine::new(problem, None, limits);
    engine.plain = true;
    engine.dominance = false;
    engine.solve(&Hints::default(), &mut |_| None)
}

/// Makes the scheduler check every answer of the one-machine bound it
/// reuses from its memo by computing it again, and panic if they differ. For
/// the brute-force tests; it makes the search slower.
#[doc(hidden)]
pub fn check_reused_answers(on: bool) {
    search::CHECK_REUSED.store(on, std::sync::atomic::Ordering::Relaxed);
}

/// The serial schedules that learn from missed windows alone (no list
/// schedules, no search): the best schedule they reach the goal with, if
/// any. A test of their validity.
#[doc(hidden)]
pub fn serial_schedules_only(problem: &Problem<'_>) -> Option<Schedule> {
    let limits = Limits {
        time: Duration::from_secs(60),
        nodes: 0,
    };
    search::Engine::new(problem, None, &limits).serial_only()
}

/// On this thread, makes every set check that finds a schedule report
/// instead that it could not decide, as when its search runs out of nodes
/// on a large catalog. For the tests of what the planner claims then.
#[doc(hidden)]
pub fn undecided_set_checks(on: bool) {
    prepare::UNDECIDED_CHECKS.set(on);
}

/// On this thread, dates sets without shaving the start ranges (on by
/// default). For the test that shaving only cuts.
#[doc(hidden)]
pub fn shaving(on: bool) {
    search::SHAVING.set(on);
}

/// On this thread, dates sets without the serial schedules aimed at a day
/// before the best finish (on by default). For the test that they only
/// cut.
#[doc(hidden)]
pub fn aiming_before_best(on: bool) {
    search::AIMING.set(on);
}

/// On this thread, a set's dating judges the energy below the root for
/// [`search::ENERGY_TRIAL`] nodes before it asks whether the energy pays
/// (on by default); off, it asks at once. For the test that the energy
/// only cuts.
#[doc(hidden)]
pub fn energy_trial_first(on: bool) {
    search::ENERGY_TRIAL_FIRST.set(on);
}

/// On this thread, set checks never date a set's core parts (on by
/// default), and search the set instead. For the test of both ways.
#[doc(hidden)]
pub fn dating_cores_in_set_checks(on: bool) {
    search::DATING_CORES.set(on);
}

/// On this thread, set checks try no list schedules (on by default), so
/// that every set the critical-path relaxation lets through is decided by
/// dating core parts or by the search. For the test of both ways.
#[doc(hidden)]
pub fn list_schedules_in_set_checks(on: bool) {
    search::LIST_SCHEDULES_IN_CHECKS.set(on);
}

/// How many set checks on this thread have dated core parts. For the test
/// of both ways.
#[doc(hidden)]
pub fn cores_dated() -> u64 {
    search::CORES_DATED.get()
}

/// On this thread, searches without judging a node again when a better
/// schedule is found below it (on by default). For the test that this only
/// cuts.
#[doc(hidden)]
pub fn rejudging(on: bool) {
    search::REJUDGING.set(on);
}

/// [`fastest_reference`] with one more rule: partial schedules dominated by
/// one met before are cut. A test of that rule alone.
#[doc(hidden)]
pub fn fastest_reference_dominance(
    problem: &Problem<'_>,
    limits: &Limits,
) -> Result<TimePlan, Unreachable> {
    let mut engine = search::Engine::new(problem, None, limits);
    engine.plain = true;
    engine.solve(&Hints::default(), &mut |_| None)
}

/// The earliest schedule of exactly the tasks in `set`: every one of them is
/// scheduled, and the day the last one finishes is minimised (proven where
/// the limits allow, as for [`fastest`]). `Err` when some task of the set
/// can never be scheduled or never becomes ready using the set alone.
pub fn schedule_set(
    problem: &Problem<'_>,
    set: &[usize],
    limits: &Limits,
) -> Result<TimePlan, Unreachable> {
    date_set(problem, set, limits, None, None)
}

/// [`schedule_set`] with the tasks of `assumed` taken as done from the start
/// (at once, and taking no capacity): a relaxation of every schedule that
/// places `set` and some of `assumed` too, since readiness only grows with
/// what is done. `Err` then means that no such schedule exists.
pub fn schedule_set_assuming(
    problem: &Problem<'_>,
    set: &[usize],
    assumed: &[usize],
    limits: &Limits,
) -> Result<TimePlan, Unreachable> {
    date_part(
        &SetProblem::new(problem, set).assuming(assumed),
        problem,
        limits,
        None,
        None,
        None,
    )
}

/// Makes a readiness oracle for another thread (the problem's own may not
/// be shared).
pub type ReadinessFor<'a> = dyn Fn() -> Box<dyn Readiness + 'a> + Sync + 'a;

pub use search::Tandem;

/// [`schedule_set`], with a reverse search on a second thread once the dating
/// has run [`reverse_search_after`]'s delay (5 ms by default): a second search
/// of the set, branches in reverse order, that tells this one of subtrees with
/// nothing better than its best, so that it can skip them ([`Tandem`]). The
/// answer is the same as without, schedule and all: only the nodes and the time
/// change. Only without a node limit (a search cut short by one must stop at
/// the same place on every machine); `readiness` makes the reverse search's
/// oracle.
pub fn schedule_set_in_tandem(
    problem: &Problem<'_>,
    readiness: &ReadinessFor<'_>,
    set: &[usize],
    limits: &Limits,
) -> Result<TimePlan, Unreachable> {
    let Some(after) = REVERSE_AFTER.get().filter(|_| limits.nodes == u64::MAX) else {
        return date_set(problem, set, limits, None, None);
    };
    let tandem = Tandem::new();
    let part = SetProblem::new(problem, set);
    if REVERSE_FIRST.get() {
        part.search_in_reverse(problem.readiness, limits, &tandem);
        return date_part(&part, problem, limits, None, Some(&tandem), None);
    }
    let signal = StopSignal::current();
    // The reverse search's thread starts only once the search has run `after`
    // (most datings end sooner, and a thread costs more than they take); the
    // scope waits for it, and panics if it did.
    std::thread::scope(|scope| {
        let start = || {
            scope.spawn(|| {
                let _working = signal.enter();
                let inner = readiness();
                part.search_in_reverse(&*inner, limits, &tandem);
            });
        };
        date_part(
            &part,
            problem,
            limits,
            None,
            Some(&tandem),
            Some((after, &start)),
        )
    })
}

/// [`schedule_set`] as the main search of a [`Tandem`] that another
/// thread may join with [`search_set_in_reverse`] (or not).
pub fn schedule_set_sharing(
    problem: &Problem<'_>,
    set: &[usize],
    limits: &Limits,
    tandem: &Tandem,
) -> Result<TimePlan, Unreachable> {
    date_set(problem, set, limits, None, Some(tandem))
}

/// Searches `set` in reverse for the dating that shares `tandem`, until it ends
/// (at once if it has). `problem` must be the dating's, with its own readiness.
pub fn search_set_in_reverse(
    problem: &Problem<'_>,
    set: &[usize],
    limits: &Limits,
    tandem: &Tandem,
) {
    SetProblem::new(problem, set).search_in_reverse(problem.readiness, limits, tandem);
}

thread_local! {
    /// See [`reverse_search_after`].
    static REVERSE_AFTER: Cell<Option<Duration>> =
        const { Cell::new(Some(Duration::from_millis(5))) };
    /// See [`reverse_search_first`].
    static REVERSE_FIRST: Cell<bool> = const { Cell::new(false) };
}

/// Datings started on this thread by [`schedule_set_in_tandem`] run their
/// reverse search to its end first, on this thread, and only then the main
/// search: the most a reverse search can tell, the same on every machine. For
/// the tests.
#[doc(hidden)]
pub fn reverse_search_first(on: bool) {
    REVERSE_FIRST.set(on);
}

/// Datings started on this thread by [`schedule_set_in_tandem`] start their
/// reverse search after this long (`None`: never). For the tests.
#[doc(hidden)]
pub fn reverse_search_after(after: Option<Duration>) {
    REVERSE_AFTER.set(after);
}

/// [`schedule_set`], looking only for schedules that finish before day
/// `before` (an earlier answer to beat): a set that cannot is settled fast.
/// What it returns otherwise finishes no earlier than `before` and is not
/// proven optimal, whatever it says.
pub fn schedule_set_before(
    problem: &Problem<'_>,
    set: &[usize],
    limits: &Limits,
    before: u32,
) -> Result<TimePlan, Unreachable> {
    date_set(problem, set, limits, Some(before), None)
}

/// The search behind [`schedule_set`] and [`schedule_set_before`]. Only
/// the set's tasks can take part, so the search runs on them alone,
/// renumbered (its per-node state is then the set's size, not the whole
/// problem's), and its answer is numbered back. With `tandem`, as its main
/// search.
fn date_set(
    problem: &Problem<'_>,
    set: &[usize],
    limits: &Limits,
    before: Option<u32>,
    tandem: Option<&Tandem>,
) -> Result<TimePlan, Unreachable> {
    date_part(
        &SetProblem::new(problem, set),
        problem,
        limits,
        before,
        tandem,
        None,
    )
}

/// [`date_set`] on the set's problem; `start` starts a reverse search once the
/// search has run its delay.
fn date_part(
    part: &SetProblem,
    problem: &Problem<'_>,
    limits: &Limits,
    before: Option<u32>,
    tandem: Option<&Tandem>,
    start: Option<(Duration, &dyn Fn())>,
) -> Result<TimePlan, Unreachable> {
    // The reverse search stops when this search ends, however it ends.
    let _stopping = tandem.map(search::Stopping);
    let solved = part.with(problem.readiness, |sub, goal| {
        let mut engine = search::Engine::new(sub, Some(goal), limits);
        if let Some(tandem) = tandem {
            engine = engine.in_tandem(tandem, false);
        }
        if let Some((after, start)) = start {
            engine = engine.starting_reverse(after, start);
        }
        if let Some(day) = before {
            engine.cutoff = day;
        }
        engine.solve(&Hints::default(), &mut |_| None)
    });
    match solved {
        Ok(mut plan) => {
            for step in &mut plan.schedule.steps {
                step.task = part.global[step.task];
            }
            Ok(plan)
        }
        Err(mut u) => {
            // Blocked tasks are reported for the whole problem, as ever.
            u.blocked = blocked(problem);
            for task in &mut u.stuck {
                *task = part.global[*task];
            }
            Err(u)
        }
    }
}

/// A set's tasks as a problem of their own: `global[k]` is task `k`'s
/// number in the whole problem.
struct SetProblem {
    n: usize,
    global: Vec<usize>,
    /// Tasks of the whole problem taken as done from the start.
    assumed: Vec<usize>,
    tasks: Vec<Task>,
    dependencies: Option<Dependencies>,
    capacity: u64,
}

impl SetProblem {
    fn new(problem: &Problem<'_>, set: &[usize]) -> SetProblem {
        let n = problem.tasks.len();
        let mut global: Vec<usize> = set.iter().copied().filter(|&i| i < n).collect();
        global.sort_unstable();
        global.dedup();
        let mut local = vec![usize::MAX; n];
        for (k, &g) in global.iter().enumerate() {
            local[g] = k;
        }
        let tasks: Vec<Task> = global.iter().map(|&g| problem.tasks[g].clone()).collect();
        let dependencies = problem.dependencies.map(|d| Dependencies {
            of_task: global
                .iter()
                .map(|&g| {
                    d.of_task[g]
                        .iter()
                        .filter_map(|&j| local.get(j).copied().filter(|&k| k != usize::MAX))
                        .collect()
                })
                .collect(),
            of_target: (0..global.len()).collect(),
        });
        SetProblem {
            n,
            global,
            assumed: Vec::new(),
            tasks,
            dependencies,
            capacity: problem.capacity,
        }
    }

    /// The set's problem with the tasks of `assumed` (of the whole problem)
    /// taken as done from the start.
    fn assuming(mut self, assumed: &[usize]) -> SetProblem {
        self.assumed = assumed.iter().copied().filter(|&i| i < self.n).collect();
        self
    }

    /// `f` on the set's problem, with `inner` as the whole problem's
    /// readiness, and the goal: every task.
    fn with<T>(&self, inner: &dyn Readiness, f: impl FnOnce(&Problem<'_>, FixedBitSet) -> T) -> T {
        let readiness = Projected::new(inner, &self.global, &self.assumed, self.n);
        let sub = Problem {
            tasks: &self.tasks,
            capacity: self.capacity,
            readiness: &readiness,
            dependencies: self.dependencies.as_ref(),
            work_floor: 0,
            packing_floors: &[],
            window_floors: &[],
            class_unions: &[],
            budget: None,
        };
        let mut goal = FixedBitSet::with_capacity(self.global.len());
        goal.insert_range(..);
        f(&sub, goal)
    }

    /// The reverse search (its answer is the main search's, or not
    /// needed), unless the main search has ended.
    fn search_in_reverse(&self, inner: &dyn Readiness, limits: &Limits, tandem: &Tandem) {
        if tandem.stopped() {
            return;
        }
        self.with(inner, |sub, goal| {
            let engine = search::Engine::new(sub, Some(goal), limits).in_tandem(tandem, true);
            let _ = engine.solve(&Hints::default(), &mut |_| None);
        });
    }
}

/// The readiness of a problem's tasks, seen through a renumbering of some
/// of them (`global[k]` is task `k`'s number in `inner`).
struct Projected<'a> {
    inner: &'a dyn Readiness,
    global: &'a [usize],
    /// Tasks of `inner` taken as done from the start.
    assumed: &'a [usize],
    /// Scratch: the done set, numbered for `inner`.
    done: RefCell<FixedBitSet>,
    memo: Option<ReadyMemo>,
}

/// Readiness answers remembered per done set, for problems of at most 128
/// tasks: for each done set met so far (as a mask), which tasks were asked
/// about and which of them were ready. The searches ask about the same done
/// sets again and again, and an answer depends on nothing else.
struct ReadyMemo {
    answers: RefCell<FxHashMap<u128, (u128, u128)>>,
}

/// The most done sets a [`ReadyMemo`] keeps (some 50 MB) before it starts
/// afresh: a search of an hour must not fill the memory.
const MEMO_CAP: usize = 1 << 20;

impl ReadyMemo {
    /// A memo for `n` tasks; `None` past 128.
    fn for_tasks(n: usize) -> Option<ReadyMemo> {
        (n <= 128).then(|| ReadyMemo {
            answers: RefCell::new(FxHashMap::default()),
        })
    }

    /// Whether task `i` is ready with `done` finished: remembered, or
    /// `answer`ed and remembered.
    fn ready(&self, i: usize, done: &FixedBitSet, answer: impl FnOnce() -> bool) -> bool {
        if i >= 128 || done.len() > 128 {
            return answer();
        }
        // The done set as a mask (fixedbitset's blocks are 32 bits).
        let key = done
            .as_slice()
            .iter()
            .take(4)
            .enumerate()
            .fold(0u128, |m, (k, &b)| m | u128::from(b) << (32 * k));
        let bit = 1u128 << i;
        if let Some(&(asked, ready)) = self.answers.borrow().get(&key) {
            if asked & bit != 0 {
                return ready & bit != 0;
            }
        }
        let answer = answer();
        let mut answers = self.answers.borrow_mut();
        if answers.len() >= MEMO_CAP {
            answers.clear();
        }
        let entry = answers.entry(key).or_insert((0, 0));
        entry.0 |= bit;
        if answer {
            entry.1 |= bit;
        }
        answer
    }
}

impl<'a> Projected<'a> {
    fn new(
        inner: &'a dyn Readiness,
        global: &'a [usize],
        assumed: &'a [usize],
        n: usize,
    ) -> Projected<'a> {
        Projected {
            inner,
            global,
            assumed,
            done: RefCell::new(FixedBitSet::with_capacity(n)),
            memo: ReadyMemo::for_tasks(global.len()),
        }
    }

    fn with_done<R>(&self, done: &FixedBitSet, f: impl FnOnce(&FixedBitSet) -> R) -> R {
        let mut g = self.done.borrow_mut();
        g.clear();
        for &a in self.assumed {
            g.insert(a);
        }
        for k in done.ones() {
            g.insert(self.global[k]);
        }
        f(&g)
    }
}

impl Readiness for Projected<'_> {
    fn ready(&self, i: usize, done: &FixedBitSet) -> bool {
        let ask = || self.with_done(done, |g| self.inner.ready(self.global[i], g));
        match &self.memo {
            Some(memo) => memo.ready(i, done, ask),
            None => ask(),
        }
    }

    fn target_held(&self, done: &FixedBitSet) -> bool {
        self.with_done(done, |g| self.inner.target_held(g))
    }
}

#[cfg(test)]
mod tests {
    use stackpath_model::Starts;

    use super::*;
    use crate::fixtures::*;
    use crate::instance::Instance;

    const START: &str = "2027-01-04";

    fn instance(creds: Vec<C>, target: &str, hours: f64) -> Instance {
        Instance::build(
            &catalog(creds, vec![]),
            &id(target),
            &[],
            date(START),
            hours,
            &[],
        )
    }

    fn plan(inst: &Instance) -> TimePlan {
        fastest_for(inst, &Limits::default(), &Hints::default()).expect("a plan")
    }

    /// `(local id, start, finish)` of each step, in list order.
    fn steps(inst: &Instance, p: &TimePlan) -> Vec<(String, u32, u32)> {
        p.schedule
            .steps
            .iter()
            .map(|s| {
                let id = inst.atoms[s.task].id.local().to_string();
                (id, s.start, s.finish)
            })
            .collect()
    }

    fn days_of(inst: &Instance, local: &str) -> u32 {
        inst.items[inst.atom_of_id(&id(local)).unwrap()].days
    }

    #[test]
    fn durations_round_up_to_whole_days() {
        let inst = instance(
            vec![
                cred("two-weeks").effort(20.0).weeks(2.0),
                cred("week-and-half").effort(15.0).weeks(1.5),
                cred("tenth-week").effort(1.0).weeks(0.1),
                cred("self-paced").effort(15.0),
                cred("self-paced-exact").effort(20.0),
                cred("award").requires(all(vec![
                    leaf("two-weeks"),
                    leaf("week-and-half"),
                    leaf("tenth-week"),
                    leaf("self-paced"),
                    leaf("self-paced-exact"),
                ])),
            ],
            "award",
            10.0,
        );
        assert_eq!(days_of(&inst, "two-weeks"), 14);
        assert_eq!(days_of(&inst, "week-and-half"), 11); // 10.5 days
        assert_eq!(days_of(&inst, "tenth-week"), 1); // 0.7 days
        assert_eq!(days_of(&inst, "self-paced"), 11); // 7 × 15 / 10 = 10.5
        assert_eq!(days_of(&inst, "self-paced-exact"), 14);
        assert_eq!(days_of(&inst, "award"), 0);
    }

    #[test]
    fn month_windows_are_the_first_of_each_listed_month_every_year() {
        // 2027-01-04 is past the first of January, so the first windows are
        // 2027-09-01 (day 240), 2028-01-01 (day 362), 2028-09-01 (day 606) and,
        // 2028 being a leap year, 2029-01-01 (day 728).
        let inst = instance(
            vec![cred("c")
                .effort(10.0)
                .weeks(1.0)
                .starts(Starts::Months(vec![9, 1]))],
            "c",
            10.0,
        );
        let w = window(&inst.items[0].starts, &inst);
        let Window::Days(days) = &w else {
            panic!("a day list")
        };
        assert_eq!(&days[..4], &[240, 362, 606, 728]);
        assert!(days.len() >= 199 && *days.last().unwrap() <= HORIZON_DAYS);
        assert_eq!(w.next(241), Some(362));
        let p = plan(&inst);
        assert_eq!(steps(&inst, &p), vec![("c".into(), 240, 247)]);
    }

    #[test]
    fn a_window_on_the_start_date_itself_is_day_zero() {
        let creds = vec![cred("c")
            .effort(10.0)
            .weeks(1.0)
            .starts(Starts::Months(vec![2]))];
        let inst = Instance::build(
            &catalog(creds, vec![]),
            &id("c"),
            &[],
            date("2027-02-01"),
            10.0,
            &[],
        );
        assert_eq!(window(&inst.items[0].starts, &inst).next(0), Some(0));
    }

    #[test]
    fn fixed_pace_items_share_the_weekly_capacity() {
        // Three 5 h/week items, 10 h/week: two run together, the third after.
        let creds = vec![
            cred("a").effort(50.0).weeks(10.0),
            cred("b").effort(50.0).weeks(10.0),
            cred("c").effort(50.0).weeks(10.0),
            cred("goal").requires(all(vec![leaf("a"), leaf("b"), leaf("c")])),
        ];
        let inst = instance(creds.clone(), "goal", 10.0);
        let p = plan(&inst);
        assert_eq!(p.schedule.finish, 140);
        assert!(p.optimal);
        let mut starts: Vec<u32> = p.schedule.steps.iter().map(|s| s.start).collect();
        starts.sort_unstable();
        assert_eq!(starts, vec![0, 0, 70, 140]);
        // With 15 h/week all three run at once.
        let inst = instance(creds, "goal", 15.0);
        assert_eq!(plan(&inst).schedule.finish, 70);
    }

    #[test]
    fn a_self_paced_item_runs_alone_at_full_capacity() {
        // The self-paced one takes all 10 h/week for 7 days; the 2 h/week
        // course cannot run beside it, so they are back to back.
        let creds = vec![
            cred("self").effort(10.0),
            cred("course").effort(2.0).weeks(1.0),
            cred("goal").requires(all(vec![leaf("self"), leaf("course")])),
        ];
        let inst = instance(creds, "goal", 10.0);
        let p = plan(&inst);
        assert_eq!(p.schedule.finish, 14);
        let s = steps(&inst, &p);
        let (a, b) = (&s[0], &s[1]);
        assert!(a.2 <= b.1, "{s:?}");
    }

    #[test]
    fn a_requirement_finished_on_a_day_lets_the_next_item_start_that_day() {
        let creds = vec![
            cred("a").effort(10.0).weeks(1.0),
            cred("b").effort(10.0).weeks(1.0).requires(leaf("a")),
            cred("diploma").requires(all(vec![leaf("a"), leaf("b")])),
        ];
        let inst = instance(creds, "diploma", 10.0);
        let p = plan(&inst);
        assert_eq!(
            steps(&inst, &p),
            vec![
                ("a".into(), 0, 7),
                ("b".into(), 7, 14),
                ("diploma".into(), 14, 14)
            ]
        );
        assert!(p.optimal && p.lower_bound == 14);
    }

    #[test]
    fn the_fastest_set_is_not_the_cheapest() {
        // A cheap long route and a dear short one; time wins, cost breaks
        // the tie between the two short ones.
        let creds = vec![
            cred("slow").effort(100.0).weeks(20.0).cost(100.0),
            cred("fast").effort(40.0).weeks(4.0).cost(900.0),
            cred("fast-dear").effort(40.0).weeks(4.0).cost(950.0),
            cred("goal").requires(any(vec![leaf("slow"), leaf("fast"), leaf("fast-dear")])),
        ];
        let inst = instance(creds, "goal", 10.0);
        let p = plan(&inst);
        let s = steps(&inst, &p);
        assert_eq!(s[0].0, "fast");
        assert_eq!(p.schedule.finish, 28);
    }

    #[test]
    fn waiting_for_a_window_can_beat_starting_now() {
        // Starting the long self-paced item now blocks the capacity past the
        // only start date of the course the target needs.
        let creds = vec![
            cred("self").effort(100.0),
            cred("course")
                .effort(10.0)
                .weeks(2.0)
                .starts(Starts::Dates(vec![date("2027-01-11")])),
            cred("goal").requires(any(vec![leaf("course"), leaf("self")])),
        ];
        let inst = instance(creds, "goal", 10.0);
        let p = plan(&inst);
        assert_eq!(steps(&inst, &p)[0], ("course".into(), 7, 21));
    }

    #[test]
    fn heavy_items_queue_for_their_start_dates_and_the_root_bound_sees_it() {
        // Five 6-week items at 8 of 10 hours a week never run side by side,
        // and each starts only every 60 days from its own first date: the
        // work alone takes 210 days, the best order 287. The one-machine
        // bound proves that before any search (without it the root bound
        // is 227).
        let base = date(START);
        let mut creds = Vec::new();
        let mut leaves = Vec::new();
        for (k, first) in [5u64, 17, 23, 31, 44].into_iter().enumerate() {
            let name = format!("x{k}");
            let days = (0..12)
                .map(|q| base + chrono::Days::new(first + q * 60))
                .collect();
            creds.push(
                cred(&name)
                    .effort(48.0)
                    .weeks(6.0)
                    .starts(Starts::Dates(days)),
            );
            leaves.push(leaf(&name));
        }
        creds.push(cred("goal").requires(all(leaves)));
        let inst = instance(creds, "goal", 10.0);
        let p = plan(&inst);
        assert_eq!(p.schedule.finish, 287);
        assert!(p.optimal);
        assert_eq!(p.stats.root_lower_bound, 287);
        let s = steps(&inst, &p);
        for w in s.windows(2).filter(|w| w[1].0 != "goal") {
            assert!(w[0].2 <= w[1].1, "{s:?} overlap");
        }
    }

    #[test]
    fn too_many_hours_is_explained_when_it_blocks_the_target() {
        let creds = vec![
            cred("intense").effort(200.0).weeks(10.0),
            cred("goal").requires(leaf("intense")),
        ];
        let inst = instance(creds, "goal", 10.0);
        let err = fastest_for(&inst, &Limits::default(), &Hints::default()).unwrap_err();
        assert!(err.blocked_is_cause);
        assert_eq!(
            err.message(),
            "the target cannot be reached because t:intense needs 20 hours a week at its fixed pace; the learner has 10"
        );
    }

    #[test]
    fn too_many_hours_is_reported_but_harmless_when_there_is_another_way() {
        let creds = vec![
            cred("intense").effort(200.0).weeks(10.0),
            cred("gentle").effort(100.0).weeks(10.0),
            cred("goal").requires(any(vec![leaf("intense"), leaf("gentle")])),
        ];
        let inst = instance(creds, "goal", 10.0);
        assert_eq!(blocked_items(&inst).len(), 1);
        assert_eq!(plan(&inst).schedule.finish, 70);
    }

    #[test]
    fn past_start_dates_are_explained() {
        let creds = vec![
            cred("old")
                .effort(10.0)
                .weeks(1.0)
                .starts(Starts::Dates(vec![date("2026-09-01")])),
            cred("goal").requires(leaf("old")),
        ];
        let inst = instance(creds, "goal", 10.0);
        let err = fastest_for(&inst, &Limits::default(), &Hints::default()).unwrap_err();
        assert!(err.blocked_is_cause);
        assert!(
            err.message().contains("t:old has no start date left"),
            "{}",
            err.message()
        );
    }

    #[test]
    fn a_last_start_date_missed_by_a_prerequisite_is_explained() {
        let creds = vec![
            cred("pre").effort(20.0).weeks(2.0),
            cred("late")
                .effort(10.0)
                .weeks(1.0)
                .requires(leaf("pre"))
                .starts(Starts::Dates(vec![date("2027-01-11")])),
            cred("goal").requires(leaf("late")),
        ];
        let inst = instance(creds, "goal", 10.0);
        let err = fastest_for(&inst, &Limits::default(), &Hints::default()).unwrap_err();
        assert!(err.windows_missed && !err.blocked_is_cause, "{err:?}");
    }

    /// Each task is ready once the task 70 after it (in the projection's
    /// numbering) is done, if there is one.
    struct SeventyBefore {
        global: Vec<usize>,
    }

    impl Readiness for SeventyBefore {
        fn ready(&self, i: usize, done: &FixedBitSet) -> bool {
            let k = self.global.iter().position(|&g| g == i).expect("projected");
            k + 70 >= self.global.len() || done.contains(self.global[k + 70])
        }

        fn target_held(&self, _: &FixedBitSet) -> bool {
            false
        }
    }

    /// The memo of a projection answers for the whole done set, tasks past
    /// the first 32 and 64 included, and only what it was asked.
    #[test]
    fn a_projection_remembers_answers_per_done_set() {
        let global: Vec<usize> = (0..100).map(|k| 2 * k + 1).collect();
        let inner = SeventyBefore {
            global: global.clone(),
        };
        let projected = Projected::new(&inner, &global, &[], 201);
        let mut done = FixedBitSet::with_capacity(100);
        for (round, newly_done) in [95, 80, 40].into_iter().enumerate() {
            for k in 0..100 {
                let want = k >= 30 || done.contains(k + 70);
                assert_eq!(
                    projected.ready(k, &done),
                    want,
                    "round {round}, task {k}, {done}"
                );
            }
            done.insert(newly_done);
        }
        assert!(
            projected.ready(25, &done) && projected.ready(10, &done) && !projected.ready(11, &done)
        );
    }

    #[test]
    fn schedule_set_dates_every_item_of_the_set() {
        let creds = vec![
            cred("a").effort(50.0).weeks(10.0),
            cred("b").effort(50.0).weeks(10.0).requires(leaf("a")),
            cred("c").effort(50.0).weeks(10.0),
            cred("goal").requires(all(vec![leaf("b"), leaf("c")])),
        ];
        let inst = instance(creds, "goal", 10.0);
        let all: Vec<usize> = (0..inst.n_items()).collect();
        let p = schedule_set_for(&inst, &all, &Limits::default()).unwrap();
        assert_eq!(p.schedule.steps.len(), 4);
        assert_eq!(p.schedule.finish, 140);
        assert!(p.optimal);
    }
}
