//! The scheduler's view of an [`Instance`]: tasks with windows as day lists,
//! which items can change whose readiness, and plain-words reasons for items
//! that can never be scheduled.

use chrono::Datelike;
use fixedbitset::FixedBitSet;
use stackpath_model::CredentialId;

use super::{
    fastest, schedule_set, Dependencies, Hints, Limits, Problem, Task, TimePlan, Unreachable,
    Window,
};
use crate::instance::{next_start, AtomId, Exclusion, Instance, StartRule};

/// Recurring windows (the first of given months) are listed this many days
/// ahead: a century, far beyond any plan a learner would follow.
pub const HORIZON_DAYS: u32 = 36_525;

/// An instance prepared for scheduling. Task `i` is item `i`.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub tasks: Vec<Task>,
    pub dependencies: Dependencies,
}

impl Prepared {
    pub fn new(instance: &Instance) -> Prepared {
        let tasks = instance
            .items
            .iter()
            .map(|item| Task {
                days: item.days,
                weekly: item.weekly,
                cost: item.cost,
                effort: item.effort,
                window: window(&item.starts, instance),
            })
            .collect();
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
    /// Every way to the target needs an item whose last start date passes
    /// before it can be ready.
    pub windows_missed: bool,
    /// A limit stopped the search before any schedule was found.
    pub search_stopped: bool,
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
        } else if self.blocked_is_cause {
            format!("the target cannot be reached because {list}")
        } else if self.windows_missed {
            "the target cannot be reached: the last start dates of the items it needs pass before their requirements can be met".to_string()
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
    }
}

/// The `time` objective over an instance: see [`fastest`].
pub fn fastest_for(
    instance: &Instance,
    limits: &Limits,
    hints: &Hints,
) -> Result<TimePlan, NoSchedule> {
    let prepared = Prepared::new(instance);
    fastest(&prepared.problem(instance), limits, hints).map_err(|u| no_schedule(instance, &u))
}

/// Dates a chosen set of items (say, the cost-optimal one): see
/// [`schedule_set`].
pub fn schedule_set_for(
    instance: &Instance,
    set: &[usize],
    limits: &Limits,
) -> Result<TimePlan, Unreachable> {
    let prepared = Prepared::new(instance);
    schedule_set(&prepared.problem(instance), set, limits)
}
