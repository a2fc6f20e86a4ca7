//! Shared by the schedule tests and the `time` benchmark: a plain
//! requirement-tree oracle, random instances, an independent checker of
//! schedules, and a brute-force optimum.

#![allow(dead_code)]

pub mod catalogs;
#[path = "../../src/fixtures.rs"]
pub mod fixtures;

use std::collections::HashMap;

use fixedbitset::FixedBitSet;
use rand::Rng;
use stackpath_planner::schedule::{
    packing_units, window_classes, ClassUnion, Dependencies, PackingFloor, Problem, Readiness,
    Schedule, Task, Window, WindowFloor, CLASS_ORDERS,
};

/// A requirement over task indices, evaluated plainly (every construct of
/// the format reduces to a monotone function of the done set; the real
/// oracle's counting rules are tested with real catalogs elsewhere).
#[derive(Debug, Clone)]
pub enum Req {
    Task(usize),
    /// Held from the start (a holding).
    Held,
    All(Vec<Req>),
    Any(Vec<Req>),
    AtLeast(usize, Vec<Req>),
}

impl Req {
    pub fn eval(&self, done: &FixedBitSet) -> bool {
        match self {
            Req::Task(i) => done.contains(*i),
            Req::Held => true,
            Req::All(v) => v.iter().all(|r| r.eval(done)),
            Req::Any(v) => v.iter().any(|r| r.eval(done)),
            Req::AtLeast(k, v) => v.iter().filter(|r| r.eval(done)).count() >= *k,
        }
    }

    pub fn tasks(&self, out: &mut Vec<usize>) {
        match self {
            Req::Task(i) => out.push(*i),
            Req::Held => {}
            Req::All(v) | Req::Any(v) | Req::AtLeast(_, v) => v.iter().for_each(|r| r.tasks(out)),
        }
    }
}

#[derive(Debug, Clone)]
pub struct TreeOracle {
    pub requires: Vec<Option<Req>>,
    pub target: Req,
}

impl Readiness for TreeOracle {
    fn ready(&self, i: usize, done: &FixedBitSet) -> bool {
        self.requires[i].as_ref().is_none_or(|r| r.eval(done))
    }

    fn target_held(&self, done: &FixedBitSet) -> bool {
        self.target.eval(done)
    }
}

impl TreeOracle {
    pub fn dependencies(&self) -> Dependencies {
        let of_task = self
            .requires
            .iter()
            .map(|r| {
                let mut v = Vec::new();
                if let Some(r) = r {
                    r.tasks(&mut v);
                }
                v
            })
            .collect();
        let mut of_target = Vec::new();
        self.target.tasks(&mut of_target);
        Dependencies { of_task, of_target }
    }
}

#[derive(Debug, Clone)]
pub struct Instance {
    pub tasks: Vec<Task>,
    pub capacity: u64,
    pub oracle: TreeOracle,
    pub deps: Dependencies,
    /// Exact window-class floors, by enumerating every set of tasks.
    pub floors: Vec<WindowFloor>,
    /// Exact packing floors, likewise.
    pub packing: Vec<PackingFloor>,
    /// Exact floors of the classes together: all of them, and each alone.
    pub unions: Vec<ClassUnion>,
}

impl Instance {
    pub fn problem(&self, with_deps: bool) -> Problem<'_> {
        Problem {
            tasks: &self.tasks,
            capacity: self.capacity,
            readiness: &self.oracle,
            dependencies: with_deps.then_some(&self.deps),
            work_floor: 0,
            packing_floors: &self.packing,
            window_floors: &self.floors,
            class_unions: &self.unions,
            budget: None,
        }
    }
}

fn random_req(rng: &mut impl Rng, n: usize, not: Option<usize>, depth: u32) -> Req {
    let leaf = |rng: &mut dyn rand::RngCore| -> Req {
        if rng.gen_bool(0.08) {
            return Req::Held;
        }
        let mut i = rng.gen_range(0..n);
        if Some(i) == not && rng.gen_bool(0.7) {
            i = (i + 1) % n;
        }
        Req::Task(i)
    };
    if depth == 0 || rng.gen_bool(0.35) {
        return leaf(rng);
    }
    let len = rng.gen_range(1..=3);
    let kids: Vec<Req> = (0..len)
        .map(|_| random_req(rng, n, not, depth - 1))
        .collect();
    match rng.gen_range(0..3) {
        0 => Req::All(kids),
        1 => Req::Any(kids),
        _ => {
            let k = rng.gen_range(1..=kids.len());
            Req::AtLeast(k, kids)
        }
    }
}

/// A tiny random instance: durations of a few days, loads against a small
/// capacity, anytime / date-list / periodic windows, self-paced tasks (the
/// whole capacity), zero-day awards, AND/OR/k-of-n requirements with cycles.
pub fn tiny(rng: &mut impl Rng, max_tasks: usize) -> Instance {
    // Every test on these instances also checks the scheduler's reused
    // one-machine answers.
    stackpath_planner::schedule::check_reused_answers(true);
    let n = rng.gen_range(1..=max_tasks);
    let capacity = rng.gen_range(1..=4u64);
    let tasks: Vec<Task> = (0..n)
        .map(|_| {
            let kind = rng.gen_range(0..10);
            let (days, weekly) = match kind {
                0 | 1 => (0, 0),                           // an award
                2 => (rng.gen_range(1..=4), capacity),     // self-paced
                3 => (rng.gen_range(1..=4), capacity + 1), // too many hours
                _ => (rng.gen_range(1..=4), rng.gen_range(0..=capacity)),
            };
            let window = match rng.gen_range(0..6) {
                0 => {
                    let mut d: Vec<u32> = (0..rng.gen_range(0..=3))
                        .map(|_| rng.gen_range(0..14))
                        .collect();
                    d.sort_unstable();
                    d.dedup();
                    Window::Days(d)
                }
                1 => {
                    let p = rng.gen_range(2..=6);
                    let o = rng.gen_range(0..p);
                    Window::Days((0..60).map(|k| o + k * p).collect())
                }
                _ => Window::Anytime,
            };
            Task {
                days,
                weekly,
                cost: rng.gen_range(0..4),
                effort: rng.gen_range(0..4),
                window,
            }
        })
        .collect();
    let requires = (0..n)
        .map(|i| rng.gen_bool(0.55).then(|| random_req(rng, n, Some(i), 2)))
        .collect();
    let target = random_req(rng, n, None, 3);
    let oracle = TreeOracle { requires, target };
    let deps = oracle.dependencies();
    let (floors, packing, unions) = exact_floors(&tasks, capacity, &oracle);
    Instance {
        tasks,
        capacity,
        oracle,
        deps,
        floors,
        packing,
        unions,
    }
}

/// The least weekly load and number of heavy tasks any plan takes from each
/// window class, over every set of tasks that can reach the target
/// (ignoring time): exact floors, so the bound is tested at its tightest.
fn exact_floors(
    tasks: &[Task],
    capacity: u64,
    oracle: &TreeOracle,
) -> (Vec<WindowFloor>, Vec<PackingFloor>, Vec<ClassUnion>) {
    let n = tasks.len();
    let plans: Vec<u32> = (0u32..1 << n)
        .filter(|&mask| {
            let mut done = FixedBitSet::with_capacity(n);
            loop {
                let before = done.count_ones(..);
                for i in (0..n).filter(|i| mask >> i & 1 == 1) {
                    if oracle.ready(i, &done) {
                        done.insert(i);
                    }
                }
                if done.count_ones(..) == before {
                    break;
                }
            }
            oracle.target_held(&done)
        })
        .collect();
    let least = |f: &dyn Fn(usize) -> u64| {
        plans
            .iter()
            .map(|&m| {
                (0..tasks.len())
                    .filter(|i| m >> i & 1 == 1)
                    .map(f)
                    .sum::<u64>()
            })
            .min()
            .unwrap_or(0)
    };
    let packing = (1..=3)
        .map(|k| PackingFloor {
            k,
            floor: least(&|i| {
                let t = &tasks[i];
                let w = if t.days == 0 { 0 } else { t.weekly };
                packing_units(k, w, capacity) * u64::from(t.days)
            }),
        })
        .collect();
    let classes = window_classes(tasks)
        .into_iter()
        .map(|class| {
            let sum = |f: &dyn Fn(usize) -> u64| {
                plans
                    .iter()
                    .map(|&m| {
                        class
                            .iter()
                            .filter(|&&i| m >> i & 1 == 1)
                            .map(|&i| f(i))
                            .sum()
                    })
                    .min()
                    .unwrap_or(0)
            };
            let weekly = sum(&|i| tasks[i].weekly);
            let heavy = sum(&|i| u64::from(tasks[i].weekly * 2 > capacity));
            let units = CLASS_ORDERS.map(|k| sum(&|i| packing_units(k, tasks[i].weekly, capacity)));
            WindowFloor {
                tasks: class,
                weekly,
                heavy,
                units,
            }
        })
        .collect::<Vec<WindowFloor>>();
    let mut all: Vec<usize> = classes
        .iter()
        .flat_map(|c| c.tasks.iter().copied())
        .collect();
    all.sort_unstable();
    let mut unions: Vec<ClassUnion> = classes
        .iter()
        .map(|c| ClassUnion {
            tasks: c.tasks.clone(),
            units: c.units,
        })
        .collect();
    if classes.len() > 1 {
        let units = CLASS_ORDERS.map(|k| {
            least(&|i| {
                if all.binary_search(&i).is_ok() {
                    packing_units(k, tasks[i].weekly, capacity)
                } else {
                    0
                }
            })
        });
        unions.push(ClassUnion { tasks: all, units });
    }
    (classes, packing, unions)
}

/// Checks every rule of a schedule independently of the scheduler, and
/// returns its key.
pub fn check(inst: &Problem<'_>, s: &Schedule) -> Result<(u32, i64, u64, usize), String> {
    let n = inst.tasks.len();
    let mut seen = FixedBitSet::with_capacity(n);
    for (k, st) in s.steps.iter().enumerate() {
        let task = &inst.tasks[st.task];
        if seen.contains(st.task) {
            return Err(format!("task {} twice", st.task));
        }
        seen.insert(st.task);
        if st.finish != st.start + task.days {
            return Err(format!("task {} lasts wrong", st.task));
        }
        if !task.window.allows(st.start) {
            return Err(format!("task {} starts outside its window", st.task));
        }
        if k > 0 && s.steps[k - 1].start > st.start {
            return Err("steps out of start order".into());
        }
        let mut done = FixedBitSet::with_capacity(n);
        for prev in &s.steps[..k] {
            if prev.finish <= st.start {
                done.insert(prev.task);
            }
        }
        if !inst.readiness.ready(st.task, &done) {
            return Err(format!("task {} not ready on day {}", st.task, st.start));
        }
    }
    let last = s.steps.iter().map(|s| s.finish).max().unwrap_or(0);
    for day in 0..=last {
        let load: u64 = s
            .steps
            .iter()
            .filter(|st| st.start <= day && day < st.finish)
            .map(|st| inst.tasks[st.task].weekly)
            .sum();
        if load > inst.capacity {
            return Err(format!("over capacity on day {day}"));
        }
    }
    let mut all = FixedBitSet::with_capacity(n);
    for st in &s.steps {
        if st.finish > s.finish {
            return Err(format!("task {} finishes after the goal", st.task));
        }
        all.insert(st.task);
    }
    if !inst.readiness.target_held(&all) {
        return Err("target not held".into());
    }
    let cost = s.steps.iter().map(|st| inst.tasks[st.task].cost).sum();
    let effort = s.steps.iter().map(|st| inst.tasks[st.task].effort).sum();
    if cost != s.cost || effort != s.effort {
        return Err("totals wrong".into());
    }
    Ok((s.finish, cost, effort, s.steps.len()))
}

type Key = (u32, i64, u64, usize);

/// Memo of the brute force: (day, started tasks, running tasks with their
/// finish days, money spent) to the best completion.
type Memo = HashMap<(u32, u32, Vec<(usize, u32)>, i64), Option<Key>>;

/// The optimum by exhaustive search over every day up to `horizon`: on each
/// day, every subset of the tasks not yet started is tried (valid when some
/// order of it is well-founded, it fits the capacity and every window allows
/// the day), memoised on (day, started, finish days of the running tasks).
pub fn brute_force(inst: &Problem<'_>, horizon: u32) -> Option<Key> {
    brute_force_within(inst, horizon, None)
}

/// [`brute_force`] among schedules costing at most `budget`.
pub fn brute_force_within(inst: &Problem<'_>, horizon: u32, budget: Option<i64>) -> Option<Key> {
    let n = inst.tasks.len();
    assert!(n <= 16);
    let mut memo = Memo::new();
    let done0 = FixedBitSet::with_capacity(n);
    if inst.readiness.target_held(&done0) {
        return Some((0, 0, 0, 0));
    }
    // Shortcut: unreachable even with unlimited time and capacity.
    let mut all = done0.clone();
    loop {
        let before = all.count_ones(..);
        for i in 0..n {
            if inst.readiness.ready(i, &all) {
                all.insert(i);
            }
        }
        if all.count_ones(..) == before {
            break;
        }
    }
    if !inst.readiness.target_held(&all) {
        return None;
    }
    go(inst, horizon, budget, 0, 0, Vec::new(), 0, &mut memo)
}

#[allow(clippy::too_many_arguments)]
fn go(
    inst: &Problem<'_>,
    horizon: u32,
    budget: Option<i64>,
    day: u32,
    started: u32,
    running: Vec<(usize, u32)>,
    spent: i64,
    memo: &mut Memo,
) -> Option<Key> {
    if day > horizon {
        return None;
    }
    let key = (day, started, running.clone(), spent);
    if let Some(v) = memo.get(&key) {
        return *v;
    }
    let n = inst.tasks.len();
    let mut done = FixedBitSet::with_capacity(n);
    for i in 0..n {
        if started >> i & 1 == 1 && !running.iter().any(|&(j, _)| j == i) {
            done.insert(i);
        }
    }
    let load: u64 = running.iter().map(|&(j, _)| inst.tasks[j].weekly).sum();
    let open: Vec<usize> = (0..n)
        .filter(|&i| started >> i & 1 == 0 && inst.tasks[i].window.allows(day))
        .collect();
    let mut best: Option<Key> = None;
    for mask in 0u32..(1 << open.len()) {
        let chosen: Vec<usize> = (0..open.len())
            .filter(|&b| mask >> b & 1 == 1)
            .map(|b| open[b])
            .collect();
        let extra: u64 = chosen
            .iter()
            .filter(|&&i| inst.tasks[i].days > 0)
            .map(|&i| inst.tasks[i].weekly)
            .sum();
        if load + extra > inst.capacity {
            continue;
        }
        // Some well-founded order exists iff repeatedly taking every ready
        // chosen task (zero-day ones counting at once) takes them all.
        let mut avail = done.clone();
        let mut left = chosen.clone();
        loop {
            let before = left.len();
            let mut k = 0;
            while k < left.len() {
                if inst.readiness.ready(left[k], &avail) {
                    if inst.tasks[left[k]].days == 0 {
                        avail.insert(left[k]);
                    }
                    left.swap_remove(k);
                } else {
                    k += 1;
                }
            }
            if left.is_empty() || left.len() == before {
                break;
            }
        }
        if !left.is_empty() {
            continue;
        }
        let cost: i64 = chosen.iter().map(|&i| inst.tasks[i].cost).sum();
        if budget.is_some_and(|b| spent + cost > b) {
            continue;
        }
        let effort: u64 = chosen.iter().map(|&i| inst.tasks[i].effort).sum();
        let here = if inst.readiness.target_held(&avail) {
            Some((day, cost, effort, chosen.len()))
        } else {
            let mut started2 = started;
            let mut next: Vec<(usize, u32)> = Vec::new();
            for &(j, f) in &running {
                if f > day + 1 {
                    next.push((j, f));
                }
            }
            for &i in &chosen {
                started2 |= 1 << i;
                let f = day + inst.tasks[i].days;
                if f > day + 1 {
                    next.push((i, f));
                }
            }
            next.sort_unstable();
            // Tasks finishing at day + 1 simply leave `running`.
            go(
                inst,
                horizon,
                budget,
                day + 1,
                started2,
                next,
                spent + cost,
                memo,
            )
            .map(|(t, c, e, k)| (t, c + cost, e + effort, k + chosen.len()))
        };
        if let Some(h) = here {
            if best.is_none_or(|b| h < b) {
                best = Some(h);
            }
        }
    }
    memo.insert(key, best);
    best
}
