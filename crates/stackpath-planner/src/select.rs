//! Proven-optimal sets for the `cost`, `effort` and `count` objectives: the
//! set of items to earn that makes the target held at the least total.
//!
//! # The order minimised
//!
//! Each item has a key of four integers compared lexicographically: the main
//! objective first, then the others in the spec's tie-break order (time is
//! not a property of a set, so it plays no part here):
//!
//! | objective | key |
//! |---|---|
//! | `cost` | plan-currency cost, other-currency cost, effort, count |
//! | `effort` | effort, plan-currency cost, other-currency cost, count |
//! | `count` | count, plan-currency cost, other-currency cost, effort |
//!
//! Costs are integers in minor units; effort in hundredths of an hour.
//! Costs in a currency other than the plan's are not comparable with it, so
//! they are never converted: the plan-currency total is minimised, and the
//! other currencies only break ties (summed in their own minor units) and are
//! reported per currency. A budget bounds the plan-currency total; prices in
//! other currencies are outside it. The four components are packed into one
//! `u128` with enough bits per field that sums never carry from one field to
//! the next, so integer addition and comparison are exactly the
//! lexicographic order.
//!
//! # Why the answer is optimal
//!
//! Earning more never makes a requirement unsatisfied (the counting oracle is
//! monotone), so this is optimal delete-free planning with counting
//! constraints, solved by the *implicit hitting set* method (Haslum, Slaney
//! and Thiébaux, 2012), generalised from landmarks to covering constraints:
//!
//! * A *covering constraint* is a list of groups of items, each with a weight,
//!   and a threshold: every plan hits groups whose weights sum to at least the
//!   threshold. A disjunctive landmark ("every plan earns one of these") is
//!   the case of one group, weight 1, threshold 1.
//! * Constraints come from two sources, both valid for every plan.
//!   *Structurally*, from the requirements every plan must meet: the target,
//!   and, transitively, each credential that an `all` path makes necessary
//!   and that no equivalence grants (so it must be earned, and its own
//!   `requires` met). An `at_least k` node needs k children, a credit pool
//!   its credits, and (counting rule) an `all` node whose leaves overlap needs
//!   as many distinct credentials as its children together; each credential
//!   is a group of the items that can bring it (itself, and transitively what
//!   the equivalences granting it mention). *Dynamically*, from a set `S` of
//!   items that is not a plan: grown to a maximal non-plan, every plan must
//!   contain an item outside it (a subset of a non-plan is a non-plan), so
//!   the complement is a landmark.
//! * Loop: find a minimum-key set `H` satisfying every constraint (an exact
//!   branch and bound, below). Every plan satisfies every constraint, so
//!   `key(H)` is a lower bound on the optimum; if `H` is a plan it is optimal.
//!   Otherwise add the landmark of a maximal non-plan grown from `H` (it is
//!   not hit by `H`, so the loop never repeats a set and terminates), and
//!   complete `H` greedily into a plan, adding landmarks on the way, to keep
//!   an incumbent: once the minimum over the constraints is no better than
//!   the incumbent, the incumbent is optimal.
//! * The branch and bound picks the unsatisfied constraint with the fewest
//!   candidate items and branches on "the first candidate is in; it is out
//!   and the second is in; ...", a partition of the search space. Its bound
//!   is the sum over pairwise disjoint unsatisfied constraints of each one's
//!   fractional covering bound (items sorted by key per weight covered, the
//!   last taken fractionally, which is the optimum of that constraint's LP
//!   relaxation and so never above the true cost). A budget is enforced on
//!   the way down.
//!
//! Well-foundedness (no credential counts toward its own requirements, even
//! through soft cycles) is part of "is a plan": [`Instance::closure`] only
//! finishes an item once its requirements are met by what came before.
//! Items that no plan can ever finish (the closure of all items leaves them
//! stuck) are dropped first; a plan never needs them.

use std::collections::HashMap;
use std::time::Instant;

use crate::instance::{AtomId, BitSet, Instance, ItemId, NodeView, Propagator, Tree};

/// The objectives whose value is a property of the set of items earned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SetObjective {
    Cost,
    Effort,
    Count,
}

/// A budget: the most the plan may cost in `currency`, in minor units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Budget {
    pub currency: String,
    pub minor: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectOptions {
    pub objective: SetObjective,
    pub budget: Option<Budget>,
    /// The plan currency; default: the budget's, else [`plan_currency`].
    pub currency: Option<String>,
    /// Stop improving and return the best plan found by then.
    pub deadline: Option<Instant>,
}

/// The totals of a set of items.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SetTotals {
    pub count: usize,
    /// Minor units per currency, sorted by currency.
    pub cost: Vec<(String, i64)>,
    /// Hundredths of an hour.
    pub effort: u64,
}

/// The chosen set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// The items, in a well-founded order.
    pub items: Vec<ItemId>,
    pub currency: Option<String>,
    pub totals: SetTotals,
    /// Proven optimal (always, unless the deadline cut the search short).
    pub optimal: bool,
    /// A lower bound on the main objective in its integer unit (minor units
    /// of the plan currency, hundredths of an hour, or items); equal to the
    /// plan's value when `optimal`.
    pub lower_bound: u64,
    /// The plan's value of the main objective in the same unit.
    pub value: u64,
    pub stats: SelectStats,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SelectStats {
    pub iterations: usize,
    pub constraints: usize,
    pub search_nodes: usize,
}

/// Why there is no set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoSelection {
    /// Not even every item together makes the target held.
    Unreachable,
    /// Plans exist, but none within the budget; the cheapest costs this much
    /// (minor units of the budget currency).
    OverBudget { cheapest: i64, currency: String },
}

/// The currency most items in the instance are priced in (ties: the
/// alphabetically first), or `None` when nothing has a price.
pub fn plan_currency(inst: &Instance) -> Option<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for item in &inst.items {
        if let Some(c) = &item.currency {
            *counts.entry(c.as_str()).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(c, _)| c.to_string())
}

/// Totals of `items`.
pub fn totals(inst: &Instance, items: &[ItemId]) -> SetTotals {
    let mut cost: HashMap<&str, i64> = HashMap::new();
    let mut effort = 0;
    for &i in items {
        let it = &inst.items[i];
        effort += it.effort;
        if let Some(c) = &it.currency {
            *cost.entry(c.as_str()).or_default() += it.cost;
        }
    }
    let mut cost: Vec<(String, i64)> = cost.into_iter().map(|(c, v)| (c.to_string(), v)).collect();
    cost.sort();
    SetTotals {
        count: items.len(),
        cost,
        effort,
    }
}

/// Packs the four key components of each item into one `u128`.
struct Packer {
    shifts: [u32; 4],
    /// Right shift applied to each component first (0 unless the sums would
    /// not fit; never in practice).
    scale: [u32; 4],
}

impl Packer {
    fn new(comps: &[[u64; 4]]) -> Packer {
        let mut bits = [0u32; 4];
        for (j, b) in bits.iter_mut().enumerate() {
            let sum: u128 = comps.iter().map(|c| u128::from(c[j])).sum();
            *b = 128 - sum.leading_zeros();
        }
        // Keep the total within 100 bits so the bound's products fit in u128.
        let mut scale = [0u32; 4];
        let mut total: u32 = bits.iter().sum();
        let mut j = 3;
        while total > 100 && j > 0 {
            let cut = (total - 100).min(bits[j]);
            scale[j] = cut;
            bits[j] -= cut;
            total -= cut;
            j -= 1;
        }
        let mut shifts = [0u32; 4];
        let mut off = 0;
        for j in (0..4).rev() {
            shifts[j] = off;
            off += bits[j];
        }
        Packer { shifts, scale }
    }

    fn pack(&self, c: &[u64; 4]) -> u128 {
        (0..4)
            .map(|j| u128::from(c[j] >> self.scale[j]) << self.shifts[j])
            .sum()
    }

    fn primary(&self, w: u128) -> u64 {
        ((w >> self.shifts[0]) as u64) << self.scale[0]
    }
}

/// A covering constraint: groups of items with weights; every plan hits
/// groups of total weight at least `need`.
#[derive(Debug, Clone)]
struct Cover {
    groups: Vec<(Vec<ItemId>, u64)>,
    need: u64,
}

/// Chooses the optimal set. See the module documentation.
pub fn select(inst: &Instance, opts: &SelectOptions) -> Result<Selection, NoSelection> {
    let currency = opts
        .currency
        .clone()
        .or_else(|| opts.budget.as_ref().map(|b| b.currency.clone()))
        .or_else(|| plan_currency(inst));
    let n = inst.n_items();
    let done = |set: &[ItemId], optimal: bool, lb: u64, value: u64, stats| Selection {
        items: set.to_vec(),
        currency: currency.clone(),
        totals: totals(inst, set),
        optimal,
        lower_bound: lb,
        value,
        stats,
    };
    if inst.initial.contains(inst.target) {
        return Ok(done(&[], true, 0, 0, SelectStats::default()));
    }
    let mut all = BitSet::with_capacity(n);
    all.insert_range(..);
    let everything = inst.closure(&all);
    if !everything.target_held {
        return Err(NoSelection::Unreachable);
    }
    // Items some plan can finish: those the closure of everything finishes,
    // and (over-approximating, which is safe) those it holds through an
    // equivalence before they are added but whose requirements it meets.
    let mut live = BitSet::with_capacity(n);
    for &i in &everything.order {
        live.insert(i);
    }
    for i in 0..n {
        if !live.contains(i)
            && everything.held.contains(i)
            && inst.requires_met(i, &everything.held)
        {
            live.insert(i);
        }
    }

    // Keys.
    let plan_cost = |i: ItemId| -> i64 {
        let it = &inst.items[i];
        match (&it.currency, &currency) {
            (Some(c), Some(p)) if c == p => it.cost,
            _ => 0,
        }
    };
    let comps: Vec<[u64; 4]> = (0..n)
        .map(|i| {
            let it = &inst.items[i];
            let own = plan_cost(i).max(0) as u64;
            let foreign = if it.currency.is_some() && it.currency != currency {
                it.cost.max(0) as u64
            } else {
                0
            };
            match opts.objective {
                SetObjective::Cost => [own, foreign, it.effort, 1],
                SetObjective::Effort => [it.effort, own, foreign, 1],
                SetObjective::Count => [1, own, foreign, it.effort],
            }
        })
        .collect();
    let live_comps: Vec<[u64; 4]> = live.ones().map(|i| comps[i]).collect();
    let packer = Packer::new(&live_comps);
    let weight: Vec<u128> = comps.iter().map(|c| packer.pack(c)).collect();
    let budget = opts.budget.as_ref().and_then(|b| {
        if Some(&b.currency) == currency.as_ref() {
            Some(b.minor)
        } else {
            None
        }
    });
    let cost_of: Vec<i64> = (0..n).map(plan_cost).collect();

    let mut order: Vec<ItemId> = live.ones().collect();
    order.sort_by_key(|&i| (weight[i], i));

    let mut covers = structural_covers(inst, &live);
    let mut stats = SelectStats::default();
    let mut best: Option<(BitSet, u128)> = None;
    let mut lower: u128 = 0;
    let mut optimal = true;
    let is_plan = |set: &BitSet| inst.closure(set).target_held;
    let set_weight = |set: &BitSet| set.ones().map(|i| weight[i]).sum::<u128>();
    let set_cost = |set: &BitSet| set.ones().map(|i| cost_of[i]).sum::<i64>();

    loop {
        stats.iterations += 1;
        if opts.deadline.is_some_and(|d| Instant::now() >= d) && best.is_some() {
            optimal = false;
            break;
        }
        let mut solver = HittingSet {
            covers: &covers,
            weight: &weight,
            cost: &cost_of,
            budget,
            live: &live,
            best: best.as_ref().map(|b| b.1),
            best_set: None,
            chosen: BitSet::with_capacity(n),
            excluded: BitSet::with_capacity(n),
            nodes: 0,
            deadline: opts.deadline,
            aborted: false,
            cov: vec![0; n],
        };
        solver.dfs(0, 0);
        stats.search_nodes += solver.nodes;
        if solver.aborted {
            optimal = false;
            break;
        }
        let Some((h, w)) = solver.best_set.take() else {
            // Nothing beats the incumbent (or nothing is feasible).
            if let Some((_, bw)) = &best {
                lower = *bw;
            }
            break;
        };
        lower = w;
        if is_plan(&h) {
            best = Some((h, w));
            break;
        }
        // Complete H into a plan, learning a landmark at every step.
        let mut p = h;
        loop {
            let landmark = grow(inst, &p, &order);
            let Some(&x) = landmark.first() else {
                break;
            };
            covers.push(Cover {
                groups: vec![(landmark, 1)],
                need: 1,
            });
            p.insert(x);
            if is_plan(&p) {
                minimise(inst, &mut p, &weight);
                let pw = set_weight(&p);
                let within = budget.is_none_or(|b| set_cost(&p) <= b);
                if within && best.as_ref().is_none_or(|b| pw < b.1) {
                    best = Some((p, pw));
                }
                break;
            }
        }
    }
    stats.constraints = covers.len();

    match best {
        Some((set, w)) => {
            let order = inst.closure(&set).order;
            let value = packer.primary(w);
            let lb = if optimal {
                value
            } else {
                packer.primary(lower)
            };
            Ok(done(&order, optimal, lb.min(value), value, stats))
        }
        None => match &opts.budget {
            Some(b) if budget.is_some() => {
                let cheapest = select(
                    inst,
                    &SelectOptions {
                        objective: SetObjective::Cost,
                        budget: None,
                        currency: Some(b.currency.clone()),
                        deadline: opts.deadline,
                    },
                )?;
                Err(NoSelection::OverBudget {
                    cheapest: cheapest.value as i64,
                    currency: b.currency.clone(),
                })
            }
            _ => Err(NoSelection::Unreachable),
        },
    }
}

/// Grows `p` (not a plan) to a maximal non-plan, trying items cheapest
/// first; returns the items left out, which every plan must hit.
fn grow(inst: &Instance, p: &BitSet, order: &[ItemId]) -> Vec<ItemId> {
    let mut prop = Propagator::new(inst);
    for i in p.ones() {
        prop.add(i);
    }
    debug_assert!(!prop.target_held());
    let mut out = Vec::new();
    for &i in order {
        if !p.contains(i) && !prop.try_add_keeping_target_unheld(i) {
            out.push(i);
        }
    }
    out
}

/// Drops items a plan does not need, heaviest first.
fn minimise(inst: &Instance, p: &mut BitSet, weight: &[u128]) {
    let mut items: Vec<ItemId> = p.ones().collect();
    items.sort_by_key(|&i| std::cmp::Reverse((weight[i], i)));
    for i in items {
        p.set(i, false);
        if !inst.closure(p).target_held {
            p.insert(i);
        }
    }
}

/// The items that can bring atom `a` into the holdings: `a` itself if it is
/// an item, and transitively the items that can bring what the equivalences
/// granting it mention.
fn bringers(
    inst: &Instance,
    live: &BitSet,
    grants_of: &HashMap<AtomId, Vec<usize>>,
    memo: &mut HashMap<AtomId, Vec<ItemId>>,
    a: AtomId,
) -> Vec<ItemId> {
    if let Some(v) = memo.get(&a) {
        return v.clone();
    }
    let mut out = Vec::new();
    let mut seen = vec![a];
    let mut stack = vec![a];
    while let Some(b) = stack.pop() {
        if live.contains(b) {
            out.push(b);
        }
        for &e in grants_of.get(&b).into_iter().flatten() {
            for &c in &inst.trees[inst.equivalences[e].when].atoms {
                if !inst.initial.contains(c) && !seen.contains(&c) {
                    seen.push(c);
                    stack.push(c);
                }
            }
        }
    }
    out.sort_unstable();
    memo.insert(a, out.clone());
    out
}

/// Covering constraints every plan satisfies, read off the requirements that
/// every plan must meet. See the module documentation.
fn structural_covers(inst: &Instance, live: &BitSet) -> Vec<Cover> {
    let mut grants_of: HashMap<AtomId, Vec<usize>> = HashMap::new();
    for (e, eq) in inst.equivalences.iter().enumerate() {
        grants_of.entry(eq.grants).or_default().push(e);
    }
    let mut memo = HashMap::new();
    let mut covers = Vec::new();
    let mut needed = vec![inst.target];
    let mut visited: Vec<AtomId> = Vec::new();
    while let Some(a) = needed.pop() {
        if inst.initial.contains(a) || visited.contains(&a) {
            continue;
        }
        visited.push(a);
        let group = bringers(inst, live, &grants_of, &mut memo, a);
        if group.is_empty() {
            continue;
        }
        let must_earn = !grants_of.contains_key(&a) && live.contains(a);
        covers.push(Cover {
            groups: vec![(group, 1)],
            need: 1,
        });
        if must_earn {
            if let Some(r) = inst.atoms[a].requires {
                let mut gen = Gen {
                    inst,
                    live,
                    grants_of: &grants_of,
                    memo: &mut memo,
                    tree: &inst.trees[r],
                    covers: &mut covers,
                    needed: &mut needed,
                };
                gen.node(0);
            }
        }
    }
    covers
}

struct Gen<'a> {
    inst: &'a Instance,
    live: &'a BitSet,
    grants_of: &'a HashMap<AtomId, Vec<usize>>,
    memo: &'a mut HashMap<AtomId, Vec<ItemId>>,
    tree: &'a Tree,
    covers: &'a mut Vec<Cover>,
    needed: &'a mut Vec<AtomId>,
}

impl Gen<'_> {
    fn held(&self, a: AtomId) -> bool {
        self.inst.initial.contains(a)
    }

    fn bring(&mut self, a: AtomId) -> Vec<ItemId> {
        bringers(self.inst, self.live, self.grants_of, self.memo, a)
    }

    /// Node `n` must be satisfied.
    fn node(&mut self, n: usize) {
        match self.tree.view(n) {
            NodeView::Id(a) => self.needed.push(a),
            NodeView::Pool { need, members } => {
                let held: u64 = members.iter().filter(|m| self.held(m.0)).map(|m| m.1).sum();
                if held >= need {
                    return;
                }
                let mut groups: Vec<(Vec<ItemId>, u64)> = Vec::new();
                for &(a, w) in members {
                    if !self.held(a) {
                        let g = self.bring(a);
                        if !g.is_empty() {
                            groups.push((g, w));
                        }
                    }
                }
                self.covers.push(Cover {
                    groups,
                    need: need - held,
                });
            }
            NodeView::All(kids) => {
                for &c in kids {
                    self.node(c as usize);
                }
                if !self.tree.is_shared(n) {
                    self.combined(kids);
                }
            }
            NodeView::Any(kids) => self.at_least(1, kids),
            NodeView::AtLeast(k, kids) => self.at_least(k, kids),
        }
    }

    fn at_least(&mut self, k: u32, kids: &[u32]) {
        let mut k = u64::from(k);
        let mut groups = Vec::new();
        for &c in kids {
            if self.tree.eval_optimistic(c as usize, &self.inst.initial) {
                k = k.saturating_sub(1);
                continue;
            }
            let mut atoms = Vec::new();
            self.tree.atoms_under(c as usize, &mut atoms);
            let mut g: Vec<ItemId> = Vec::new();
            for a in atoms {
                if !self.held(a) {
                    g.extend(self.bring(a));
                }
            }
            g.sort_unstable();
            g.dedup();
            if !g.is_empty() {
                groups.push((g, 1));
            }
        }
        if k > 0 {
            self.covers.push(Cover { groups, need: k });
        }
    }

    /// Counting inside an `all`: children whose members overlap need as many
    /// distinct credentials as they need together.
    fn combined(&mut self, kids: &[u32]) {
        let mut demand = 0u64;
        let mut members: Vec<AtomId> = Vec::new();
        let mut parts = 0;
        for &c in kids {
            let c = c as usize;
            if self.tree.is_shared(c) {
                continue;
            }
            match self.tree.view(c) {
                NodeView::Id(a) => {
                    demand += 1;
                    members.push(a);
                }
                NodeView::Pool { need, members: m } => {
                    let mut w: Vec<u64> = m.iter().map(|x| x.1).collect();
                    w.sort_unstable_by(|a, b| b.cmp(a));
                    let mut sum = 0;
                    let mut count = 0;
                    for x in w {
                        if sum >= need {
                            break;
                        }
                        sum += x;
                        count += 1;
                    }
                    demand += count;
                    members.extend(m.iter().map(|x| x.0));
                }
                NodeView::All(g) | NodeView::Any(g) | NodeView::AtLeast(_, g)
                    if g.iter()
                        .all(|&x| matches!(self.tree.view(x as usize), NodeView::Id(_))) =>
                {
                    let k = match self.tree.view(c) {
                        NodeView::All(g) => g.len(),
                        NodeView::Any(_) => 1,
                        NodeView::AtLeast(k, _) => k as usize,
                        _ => 0,
                    };
                    demand += k as u64;
                    for &x in g {
                        if let NodeView::Id(a) = self.tree.view(x as usize) {
                            members.push(a);
                        }
                    }
                }
                _ => continue,
            }
            parts += 1;
        }
        let total = members.len();
        members.sort_unstable();
        members.dedup();
        if parts < 2 || members.len() == total {
            return;
        }
        let held = members.iter().filter(|&&a| self.held(a)).count() as u64;
        if demand <= held {
            return;
        }
        let mut groups: Vec<(Vec<ItemId>, u64)> = Vec::new();
        for &a in &members {
            if !self.held(a) {
                let g = self.bring(a);
                if !g.is_empty() {
                    groups.push((g, 1));
                }
            }
        }
        self.covers.push(Cover {
            groups,
            need: demand - held,
        });
    }
}

/// Exact minimum-key set satisfying every covering constraint, strictly
/// better than `best`, within the budget.
struct HittingSet<'a> {
    covers: &'a [Cover],
    weight: &'a [u128],
    cost: &'a [i64],
    budget: Option<i64>,
    live: &'a BitSet,
    best: Option<u128>,
    best_set: Option<(BitSet, u128)>,
    chosen: BitSet,
    excluded: BitSet,
    nodes: usize,
    deadline: Option<Instant>,
    aborted: bool,
    /// Scratch: weight each item would cover in the constraint at hand.
    cov: Vec<u64>,
}

struct Open {
    cover: usize,
    remaining: u64,
    candidates: Vec<ItemId>,
    bound: u128,
}

impl HittingSet<'_> {
    fn hit(&self, g: &[ItemId]) -> bool {
        g.iter().any(|&i| self.chosen.contains(i))
    }

    fn usable(&self, i: ItemId) -> bool {
        self.live.contains(i) && !self.excluded.contains(i)
    }

    fn dfs(&mut self, cur: u128, cur_cost: i64) {
        self.nodes += 1;
        if self.nodes & 1023 == 0 && self.deadline.is_some_and(|d| Instant::now() >= d) {
            self.aborted = true;
        }
        if self.aborted {
            return;
        }
        let mut open: Vec<Open> = Vec::new();
        for (ci, c) in self.covers.iter().enumerate() {
            let mut hit = 0;
            let mut avail = 0;
            for (g, w) in &c.groups {
                if self.hit(g) {
                    hit += w;
                } else if g.iter().any(|&i| self.usable(i)) {
                    avail += w;
                }
            }
            if hit >= c.need {
                continue;
            }
            if hit + avail < c.need {
                return;
            }
            let remaining = c.need - hit;
            if c.groups.len() == 1 && remaining == 1 {
                // A landmark: its bound is its cheapest usable item.
                let cands: Vec<ItemId> = c.groups[0]
                    .0
                    .iter()
                    .copied()
                    .filter(|&i| self.usable(i))
                    .collect();
                let bound = cands.iter().map(|&i| self.weight[i]).min().unwrap_or(0);
                open.push(Open {
                    cover: ci,
                    remaining,
                    candidates: cands,
                    bound,
                });
                continue;
            }
            // Weight each usable item would cover, capped at what is needed.
            let mut cands: Vec<ItemId> = Vec::new();
            for (g, w) in &c.groups {
                if self.hit(g) {
                    continue;
                }
                for &i in g {
                    if self.usable(i) {
                        if self.cov[i] == 0 {
                            cands.push(i);
                        }
                        self.cov[i] += w;
                    }
                }
            }
            for &i in &cands {
                self.cov[i] = self.cov[i].min(remaining);
            }
            // Cheapest per unit covered first; the fractional cover is the
            // LP bound of this constraint alone.
            cands.sort_by(|&a, &b| {
                (self.weight[a] * u128::from(self.cov[b]))
                    .cmp(&(self.weight[b] * u128::from(self.cov[a])))
                    .then(a.cmp(&b))
            });
            let mut left = remaining;
            let mut bound: u128 = 0;
            for &i in &cands {
                if left == 0 {
                    break;
                }
                let c = self.cov[i];
                if c <= left {
                    bound += self.weight[i];
                    left -= c;
                } else {
                    bound += self.weight[i] * u128::from(left) / u128::from(c);
                    left = 0;
                }
            }
            for &i in &cands {
                self.cov[i] = 0;
            }
            open.push(Open {
                cover: ci,
                remaining,
                candidates: cands,
                bound,
            });
        }
        if open.is_empty() {
            if self.best.is_none_or(|b| cur < b) {
                self.best = Some(cur);
                self.best_set = Some((self.chosen.clone(), cur));
            }
            return;
        }
        // Sum of bounds over pairwise disjoint open constraints.
        let mut by_bound: Vec<usize> = (0..open.len()).collect();
        by_bound.sort_by(|&a, &b| open[b].bound.cmp(&open[a].bound));
        let mut used = BitSet::with_capacity(self.weight.len());
        let mut lb: u128 = 0;
        for &o in &by_bound {
            if open[o].candidates.iter().all(|&i| !used.contains(i)) {
                lb += open[o].bound;
                for &i in &open[o].candidates {
                    used.insert(i);
                }
            }
        }
        if self.best.is_some_and(|b| cur + lb >= b) {
            return;
        }
        // Branch on the constraint with the fewest candidates.
        let pick = open
            .iter()
            .min_by_key(|o| (o.candidates.len(), o.remaining, o.cover))
            .expect("non-empty");
        let cands = pick.candidates.clone();
        let mut undo = Vec::new();
        for i in cands {
            let c = cur_cost + self.cost[i];
            if self.budget.is_none_or(|b| c <= b) {
                self.chosen.insert(i);
                self.dfs(cur + self.weight[i], c);
                self.chosen.set(i, false);
                if self.aborted {
                    break;
                }
            }
            self.excluded.insert(i);
            undo.push(i);
        }
        for i in undo {
            self.excluded.set(i, false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::*;

    fn run(
        cat: &stackpath_model::Catalog,
        objective: SetObjective,
    ) -> Result<Vec<String>, NoSelection> {
        let inst = Instance::build(cat, &id("t"), &[], date("2027-01-04"), 10.0, &[]);
        let sel = select(
            &inst,
            &SelectOptions {
                objective,
                budget: None,
                currency: None,
                deadline: None,
            },
        )?;
        assert!(sel.optimal);
        assert_eq!(sel.lower_bound, sel.value);
        let mut ids: Vec<String> = sel
            .items
            .iter()
            .map(|&i| inst.atoms[i].id.local().to_string())
            .collect();
        ids.sort();
        Ok(ids)
    }

    #[test]
    fn cheapest_electives_and_pool_without_double_counting() {
        let cat = catalog(
            vec![
                cred("e1").cost(100.0).credits(4.0).tag("p"),
                cred("e2").cost(200.0).credits(4.0).tag("p"),
                cred("e3").cost(300.0).credits(4.0).tag("p"),
                cred("e4").cost(400.0).credits(4.0).tag("p"),
                cred("p1").cost(250.0).credits(4.0).tag("p"),
                cred("t").requires(all(vec![
                    at_least(2, vec![leaf("e1"), leaf("e2"), leaf("e3"), leaf("e4")]),
                    credits(8.0, &[], &["p"]),
                ])),
            ],
            vec![],
        );
        assert_eq!(
            run(&cat, SetObjective::Cost).expect("plan"),
            vec!["e1", "e2", "e3", "p1", "t"]
        );
    }

    #[test]
    fn a_prerequisite_shared_by_two_options_is_paid_once() {
        let cat = catalog(
            vec![
                cred("base").cost(500.0),
                cred("x").cost(100.0).requires(leaf("base")),
                cred("y").cost(100.0).requires(leaf("base")),
                cred("z").cost(450.0),
                cred("w").cost(450.0),
                cred("t").requires(at_least(
                    2,
                    vec![leaf("x"), leaf("y"), leaf("z"), leaf("w")],
                )),
            ],
            vec![],
        );
        // x + y + base = 700 < z + w = 900, though base alone is dearer.
        assert_eq!(
            run(&cat, SetObjective::Cost).expect("plan"),
            vec!["base", "t", "x", "y"]
        );
        assert_eq!(
            run(&cat, SetObjective::Count).expect("plan"),
            vec!["t", "w", "z"]
        );
    }

    #[test]
    fn earning_a_when_credential_to_get_its_grant() {
        let cat = catalog(
            vec![
                cred("g").cost(1000.0),
                cred("cert").cost(200.0),
                cred("t").requires(leaf("g")),
            ],
            vec![equiv("g", leaf("cert"))],
        );
        assert_eq!(
            run(&cat, SetObjective::Cost).expect("plan"),
            vec!["cert", "t"]
        );
    }

    #[test]
    fn a_hard_requirement_on_an_unearnable_credential_is_unreachable() {
        let cat = catalog(
            vec![cred("g").not_earnable(), cred("t").requires(leaf("g"))],
            vec![],
        );
        assert_eq!(run(&cat, SetObjective::Cost), Err(NoSelection::Unreachable));
    }
}
