//! Proven-optimal sets for the `cost`, `effort` and `count` objectives: the
//! set of items to earn that makes the target held at the least total.
//!
//! # The order minimised
//!
//! Each item has a key of four integers compared lexicographically: the main
//! objective first, then the others in the spec's tie-break order (time is
//! not a property of a set: the planner breaks ties by finish date among the
//! tied plans this module lists, see "Start dates and ties" below):
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
//! constraints. It is solved by *branch and cut* over covering constraints,
//! the implicit hitting set method (Haslum, Slaney and Thiébaux, 2012) run
//! as one search instead of one exact hitting-set solve per landmark:
//!
//! * A *covering constraint* is a list of groups of items, each with a weight,
//!   and a threshold: every plan hits groups whose weights sum to at least the
//!   threshold. A disjunctive landmark ("every plan earns one of these") is
//!   the case of one group, weight 1, threshold 1.
//! * Every item weighs something (the key always counts items), so a plan of
//!   least weight is *minimal*: dropping any item breaks it, so every item in
//!   it is finished, its `requires` met by the plan. The search only looks
//!   for minimal plans, and the constraints below hold for all of them.
//! * *Structural* constraints (`Conditions`), read off a requirement that
//!   must be met: an `at_least k` node needs k children, a credit pool its
//!   credits, an `all` node whose leaves overlap (counting rule) as many
//!   distinct credentials as its children together and, weighing pooled
//!   members by their credits, enough weight for its counts and pools at
//!   once (`Gen::combined`), and each credential an `all` path makes
//!   necessary is a landmark of the items that can bring it
//!   (itself, and transitively what the equivalences granting it mention).
//!   The target's requirement must be met by every plan; so must the
//!   `requires` of each credential an `all` path makes necessary there that
//!   no equivalence grants and that is not held (it must be earned), and so
//!   on: those items are *forced*, chosen before the search, and their
//!   constraints are on everywhere. The constraints of any other item's
//!   `requires` are switched on when the search chooses it (minimality).
//! * *Landmarks* from LM-cut over the delete relaxation (module `net`): at the
//!   start, over what the structural constraints' bound leaves of each
//!   item's weight (a cost partitioning), and whenever the search reaches a
//!   chosen set that meets every constraint but is not a plan, with the
//!   chosen items free. Every cut is a landmark of every plan and is not hit
//!   by the chosen set. When the relaxation is met but the set is still not
//!   a plan (counting or a soft cycle), the complement of a maximal non-plan
//!   grown from the set is the landmark instead (a subset of a non-plan is a
//!   non-plan, so every plan has an item outside it).
//! * The search branches on the open constraint with the fewest candidate
//!   items: "the first candidate is in; it is out and the second is in;
//!   ...", a partition of what is left; once a candidate is out, so are
//!   the items it dominates (module `dominance`: a plan using one swaps
//!   into the branch where the candidate was in, at no more weight). At a
//!   node where every constraint is met, the chosen set is a plan (the
//!   best so far, since its weight beat the bound) or gets new landmarks
//!   that cut it off; constraints only ever grow, so this ends. Its bound is the larger of two lower bounds on the
//!   weight still to add, both from the LP relaxation of the open
//!   constraints: a greedy dual solution (each constraint in turn takes the
//!   best fractional cover it can from what the ones before left of each
//!   item's weight, in exact integers), and each constraint's own
//!   fractional cover summed over constraints with pairwise disjoint
//!   candidates. A node is pruned when its weight plus the bound reaches the
//!   best plan's, so what is returned is a least-weight plan.
//! * The first plan is the relaxed plan of the tree relaxation (Knuth's
//!   generalised Dijkstra, shared parts counted once per use) with the
//!   forced items, completed into a real plan by adding the cheapest item of
//!   a landmark it misses, and minimised. A budget is enforced on the way
//!   down. With a deadline, the best plan found is returned with the root's
//!   bound as its lower bound.
//!
//! # Start dates and ties
//!
//! [`select_scheduled`] takes a [`SetCheck`]: each set the search would keep
//! (it meets every constraint and is a plan) is asked about first. "The set
//! contains a plan that can be scheduled" is monotone, so a set the check
//! rejects, grown to a superset it still rejects ([`Verdict::No`]), gives a
//! landmark like any other non-plan: every plan that can be scheduled earns
//! an item outside the superset. A check cut short ([`Verdict::Unknown`])
//! cuts off the superset it names (the set, or the plans a check would
//! date the same way) and the answer is not claimed optimal. With a tie
//! limit, the search prunes only nodes whose bound is worse on the main
//! objective, and keeps every plan it meets with the best main value (up to
//! the limit; past it, it goes back to the packed key alone), so the planner
//! can date them and prefer the earliest finish. Both use the dominance rule
//! with its timing condition (module `dominance`), which keeps the swap's
//! schedules valid and no later; ties alone may also use the swaps that
//! lower the main value (a plan they improve is not tied).
//!
//! That timing condition leaves few dominance pairs, so a search with checks
//! first runs without them and checks what it returns: if the best plan and
//! every tied plan can be scheduled, that is the answer (the least value over
//! all plans is then the least over those that can be scheduled, and no plan
//! was turned down, so none can have led to one with more items); otherwise
//! it runs again, checking each plan it meets.
//!
//! Well-foundedness (no credential counts toward its own requirements, even
//! through soft cycles) is part of "is a plan": [`Instance::closure`] only
//! finishes an item once its requirements are met by what came before.
//! Items that no plan can ever finish (the closure of all items leaves them
//! stuck) are dropped first; a plan never needs them.

use std::collections::HashMap;
use std::time::Instant;

use crate::instance::{AtomId, BitSet, Instance, ItemId, NodeView, Propagator, Tree};

mod dominance;
mod net;
mod search;

use dominance::Swaps;
use net::Net;
use search::Search;

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
    /// [`select_scheduled`] with a tie limit: this plan and every minimal
    /// plan with the same main objective value that may be best once ties
    /// are broken by finish date (a plan using an item that a tied plan
    /// could swap for one no slower and no dearer is left out), lightest
    /// first. Empty when not asked for, when not proven optimal, or when
    /// there were more ties than the limit.
    pub ties: Vec<Vec<ItemId>>,
    pub stats: SelectStats,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SelectStats {
    /// Rounds of landmarks added: once at the start, and once each time the
    /// search met every constraint with a set that was not a plan.
    pub iterations: usize,
    /// Items every plan earns, chosen before the search.
    pub forced: usize,
    pub constraints: usize,
    pub search_nodes: usize,
}

/// Why there is no set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoSelection {
    /// Not even every item together makes the target held.
    Unreachable,
    /// Sets exist, but none can be scheduled: each needs an item whose last
    /// start date passes before it can begin ([`select_scheduled`] only).
    /// `stopped`: a check or the deadline cut the search short, so one
    /// might have been; no plan costs less than `lower_bound` (the main
    /// objective's integer unit, as [`Selection::lower_bound`]).
    NoSchedule { stopped: bool, lower_bound: u64 },
    /// Plans exist, but none within the budget; the cheapest costs this much
    /// (minor units of the budget currency).
    OverBudget { cheapest: i64, currency: String },
}

/// Whether a set of items can be scheduled: asked by [`select_scheduled`]
/// of each set the search would return. See the module documentation
/// ("Start dates and ties").
pub trait SetCheck {
    /// Does some subset of `set` that makes the target held have a
    /// schedule (start dates, capacity)?
    fn check(&mut self, set: &BitSet, grow_order: &[ItemId]) -> Verdict;
}

/// The answer of a [`SetCheck`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Yes,
    /// No subset of this superset of the set asked about has a schedule
    /// (so every set that has one earns an item outside it).
    No(BitSet),
    /// The check was cut short: no subset of this superset of the set
    /// asked about is known to have a schedule, nor would a check of it
    /// find one with the same work (the search sets them aside, and claims
    /// no optimum).
    Unknown(BitSet),
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
pub(crate) struct Cover {
    groups: Vec<(Vec<ItemId>, u64)>,
    need: u64,
}

/// Chooses the optimal set. See the module documentation.
pub fn select(inst: &Instance, opts: &SelectOptions) -> Result<Selection, NoSelection> {
    select_inner(inst, opts, None, 0, None)
}

/// Told of each better plan the set search finds, as it finds it (a plan it
/// would keep: within the budget and, under a [`SetCheck`], one that can be
/// scheduled, or any plan in the first pass that runs without the checks).
/// The last plan it is told of is not always the answer: the search may go
/// on to check the plans, and the answer lists ties.
pub type Watch<'w> = &'w mut dyn FnMut(&BitSet);

/// [`select`] among the sets `check` says can be scheduled, and, with
/// `ties > 0`, listing up to that many tied plans for a tie-break by finish
/// date ([`Selection::ties`]).
pub fn select_scheduled(
    inst: &Instance,
    opts: &SelectOptions,
    check: Option<&mut dyn SetCheck>,
    ties: usize,
    watch: Option<Watch<'_>>,
) -> Result<Selection, NoSelection> {
    select_inner(inst, opts, check, ties, watch)
}

fn select_inner(
    inst: &Instance,
    opts: &SelectOptions,
    check: Option<&mut dyn SetCheck>,
    tie_limit: usize,
    mut watch: Option<Watch<'_>>,
) -> Result<Selection, NoSelection> {
    // Without checks, every plan of least weight (or least main value, for
    // ties) is wanted, and any swap that lowers it may cut the search.
    let unchecked = if tie_limit > 0 {
        Swaps::InPlaceOrCheaper
    } else {
        Swaps::Any
    };
    let Some(check) = check else {
        return search_sets(inst, opts, None, tie_limit, unchecked, watch);
    };
    // Most often the best plans found without checks can all be scheduled,
    // and they are then the answer: the least over every plan is the least
    // over the plans that can be scheduled, and no plan was turned down, so
    // none could have led to one with more items. Otherwise the search runs
    // again, checking each plan as it meets it.
    let unchecked = search_sets(
        inst,
        opts,
        None,
        tie_limit,
        unchecked,
        watch.as_mut().map(|w| &mut **w as &mut dyn FnMut(&BitSet)),
    );
    if let Err(NoSelection::Unreachable) = unchecked {
        return unchecked;
    }
    if let Ok(sel) = unchecked {
        // (A set turned down is not grown: the search below does that.)
        let schedulable = |check: &mut dyn SetCheck, items: &[ItemId]| {
            let mut set = BitSet::with_capacity(inst.n_items());
            set.extend(items.iter().copied());
            check.check(&set, &[]) == Verdict::Yes
        };
        // Cut short by the deadline, the best plan found is the answer if it
        // can be scheduled, as it would be in the search with checks. Past
        // the tie limit (no ties listed), the plans that can be scheduled
        // may still be within it: the search with checks counts only those.
        let over_tie_limit = sel.optimal && tie_limit > 0 && sel.ties.is_empty();
        if !over_tie_limit
            && schedulable(check, &sel.items)
            && sel.ties.iter().all(|t| schedulable(check, t))
        {
            return Ok(sel);
        }
    }
    search_sets(inst, opts, Some(check), tie_limit, Swaps::InPlace, watch)
}

/// The search itself, with its checks, tie limit and dominance rule.
fn search_sets(
    inst: &Instance,
    opts: &SelectOptions,
    mut check: Option<&mut dyn SetCheck>,
    tie_limit: usize,
    swaps: Swaps,
    watch: Option<Watch<'_>>,
) -> Result<Selection, NoSelection> {
    let currency = currency_for(inst, opts);
    let n = inst.n_items();
    let done = |set: &[ItemId], optimal: bool, lb: u64, value: u64, stats| Selection {
        items: set.to_vec(),
        currency: currency.clone(),
        totals: totals(inst, set),
        optimal,
        lower_bound: lb,
        value,
        ties: Vec::new(),
        stats,
    };
    if inst.initial.contains(inst.target) {
        return Ok(done(&[], true, 0, 0, SelectStats::default()));
    }
    let Some(Keys {
        live,
        packer,
        weight,
        cost_of,
        budget,
    }) = keys(inst, opts, &currency)
    else {
        return Err(NoSelection::Unreachable);
    };

    let mut order: Vec<ItemId> = live.ones().collect();
    order.sort_by_key(|&i| (weight[i], i));

    let cond = Conditions::build(inst, &live);
    let net = Net::build(inst, &live);
    let mut scratch = net.scratch();
    let set_weight = |set: &BitSet| set.ones().map(|i| weight[i]).sum::<u128>();
    let set_cost = |set: &BitSet| set.ones().map(|i| cost_of[i]).sum::<i64>();

    let dominated = dominance::dominated(inst, &live, &weight, &cost_of, swaps, packer.shifts[0]);
    let mut search = Search::new(
        inst,
        &net,
        cond,
        &weight,
        &cost_of,
        budget,
        &live,
        &order,
        &dominated,
        opts.deadline,
    );
    search.check = check.as_deref_mut();
    search.watch = watch.map(|w| w as &mut dyn FnMut(&BitSet));
    search.tie_limit = tie_limit;
    search.primary_shift = packer.shifts[0];
    // The target's constraints hold for every plan, and the items every
    // plan earns (the target and what `all` paths make necessary, where no
    // equivalence can grant it) are chosen from the start.
    let forced = search.start();
    let root = search.chosen.clone();
    let root_weight = set_weight(&root);
    let root_cost = set_cost(&root);

    // Landmarks by LM-cut over what the structural constraints' bound
    // leaves of each item's weight, the forced items free: together a cost
    // partitioning.
    let mut r = search.residual_after_bound();
    for i in root.ones() {
        r[i] = 0;
    }
    let nothing = BitSet::with_capacity(n);
    let mut cuts = Vec::new();
    net.lmcut(&mut scratch, &mut r, &nothing, |cut, _| {
        cuts.push(cut.to_vec());
        true
    });
    for cut in cuts {
        search.add_global(Cover {
            groups: vec![(cut, 1)],
            need: 1,
        });
    }

    // A first plan: the relaxed plan of the tree relaxation, repaired and
    // minimised.
    let incumbent = greedy(inst, &net, &mut scratch, &root, &weight, &order);

    if let Some(p) = incumbent {
        if budget.is_none_or(|b| set_cost(&p) <= b) && search.schedulable(&p) {
            let w = set_weight(&p);
            search.record(p, w);
        }
    }
    let root_bound = search.node_bound().map(|b| root_weight + b);
    if budget.is_none_or(|b| root_cost <= b) {
        search.dfs(root_weight, root_cost);
    }
    let stats = SelectStats {
        iterations: 1 + search.cut_rounds,
        forced: forced.len(),
        constraints: search.cond.covers.len(),
        search_nodes: search.nodes,
    };
    let optimal = !search.aborted && !search.uncertain;
    let lower = root_bound.unwrap_or(0);
    let best = search.best.take();
    let ties = if search.tie_limit > 0 {
        std::mem::take(&mut search.ties)
    } else {
        Vec::new()
    };
    let (rejected, uncertain) = (search.rejected, search.uncertain);
    drop(search);

    match best {
        Some((set, w)) => {
            let order = inst.closure(&set).order;
            let value = packer.primary(w);
            let lb = if optimal {
                value
            } else {
                packer.primary(lower)
            };
            let mut sel = done(&order, optimal, lb.min(value), value, stats);
            if optimal {
                sel.ties = minimal_ties(inst, ties, &set);
            }
            Ok(sel)
        }
        None => match &opts.budget {
            Some(b) if budget.is_some() => {
                let cheapest = select_inner(
                    inst,
                    &SelectOptions {
                        objective: SetObjective::Cost,
                        budget: None,
                        currency: Some(b.currency.clone()),
                        deadline: opts.deadline,
                    },
                    check,
                    0,
                    None,
                )?;
                Err(NoSelection::OverBudget {
                    cheapest: cheapest.value as i64,
                    currency: b.currency.clone(),
                })
            }
            _ if rejected => Err(NoSelection::NoSchedule {
                stopped: uncertain || !optimal,
                lower_bound: packer.primary(lower),
            }),
            _ => Err(NoSelection::Unreachable),
        },
    }
}

/// The plan currency: as asked, else the budget's, else the catalog's.
fn currency_for(inst: &Instance, opts: &SelectOptions) -> Option<String> {
    opts.currency
        .clone()
        .or_else(|| opts.budget.as_ref().map(|b| b.currency.clone()))
        .or_else(|| plan_currency(inst))
}

/// The items some plan can finish and the keys the search minimises.
struct Keys {
    live: BitSet,
    packer: Packer,
    /// Each item's key packed into one integer.
    weight: Vec<u128>,
    /// Each item's cost in the plan currency (minor units).
    cost_of: Vec<i64>,
    /// The budget, in the plan currency.
    budget: Option<i64>,
}

/// `None` when no set of items reaches the target.
fn keys(inst: &Instance, opts: &SelectOptions, currency: &Option<String>) -> Option<Keys> {
    let n = inst.n_items();
    let mut all = BitSet::with_capacity(n);
    all.insert_range(..);
    let everything = inst.closure(&all);
    if !everything.target_held {
        return None;
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

    let plan_cost = |i: ItemId| -> i64 {
        let it = &inst.items[i];
        match (&it.currency, currency) {
            (Some(c), Some(p)) if c == p => it.cost,
            _ => 0,
        }
    };
    let comps: Vec<[u64; 4]> = (0..n)
        .map(|i| {
            let it = &inst.items[i];
            let own = plan_cost(i).max(0) as u64;
            let foreign = if it.currency.is_some() && it.currency != *currency {
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

    Some(Keys {
        live,
        packer,
        weight,
        cost_of,
        budget,
    })
}

/// The pairs `(i, j)` where item `i` dominates item `j` for these options
/// (module `dominance`), for the tests' brute-force check of the relation.
#[doc(hidden)]
pub fn dominance_pairs(inst: &Instance, opts: &SelectOptions) -> Vec<(ItemId, ItemId)> {
    let currency = currency_for(inst, opts);
    let Some(k) = keys(inst, opts, &currency) else {
        return Vec::new();
    };
    dominance::dominated(inst, &k.live, &k.weight, &k.cost_of, Swaps::Any, 0)
        .into_iter()
        .enumerate()
        .flat_map(|(i, js)| js.into_iter().map(move |j| (i, j)))
        .collect()
}

/// The tied plans worth dating: the best one, and the minimal ones (a plan
/// that could leave an item out is never the plan to follow; the best one
/// may need an item only to be scheduled), lightest first, each in a
/// well-founded order.
fn minimal_ties(inst: &Instance, mut ties: Vec<(BitSet, u128)>, best: &BitSet) -> Vec<Vec<ItemId>> {
    ties.retain(|(set, _)| {
        set == best
            || set.ones().all(|i| {
                let mut less = set.clone();
                less.set(i, false);
                !inst.closure(&less).target_held
            })
    });
    ties.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.ones().cmp(b.0.ones())));
    ties.dedup_by(|a, b| a.0 == b.0);
    ties.into_iter()
        .map(|(set, _)| inst.closure(&set).order)
        .collect()
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

/// A first plan: the relaxed plan of the tree relaxation with the `root`
/// items free, completed into a real plan (counting or soft cycles may
/// break a relaxed plan) by adding the cheapest item of a landmark it misses
/// until it is one, then minimised.
fn greedy(
    inst: &Instance,
    net: &Net,
    scratch: &mut net::Scratch,
    root: &BitSet,
    weight: &[u128],
    order: &[ItemId],
) -> Option<BitSet> {
    let mut r = weight.to_vec();
    for i in root.ones() {
        r[i] = 0;
    }
    let nothing = BitSet::with_capacity(inst.n_items());
    let items = net.relaxed_plan(scratch, &r, &nothing)?;
    let mut p = root.clone();
    for i in items {
        p.insert(i);
    }
    while !inst.closure(&p).target_held {
        let landmark = grow(inst, &p, order);
        p.insert(*landmark.first()?);
    }
    minimise(inst, &mut p, weight);
    Some(p)
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

/// The covering constraints read off the requirements, per atom, for the
/// search to switch on as items are chosen.
///
/// A plan of least weight is minimal (every item weighs something), so each
/// of its items is finished: its `requires` is met by the plan. Hence once
/// an item is chosen, the constraints of its `requires` (and, transitively,
/// of every credential that an `all` path makes necessary there and that
/// can only be earned) hold for every plan the search can still find below;
/// and the target's hold for every plan.
#[derive(Debug, Clone, Default)]
pub(crate) struct Conditions {
    pub covers: Vec<Cover>,
    /// Per atom: the constraints its `requires` imposes once it must be
    /// earned (indices into `covers`).
    pub direct: Vec<Vec<usize>>,
    /// Per atom: the necessary atoms of its `requires` that can only be
    /// earned (so their own `requires` must be met too).
    pub next: Vec<Vec<AtomId>>,
    /// The target's own landmark, if it is not held.
    pub target: Option<usize>,
    /// Whether the target must be earned (no equivalence grants it).
    pub target_earned: bool,
}

impl Conditions {
    fn build(inst: &Instance, live: &BitSet) -> Conditions {
        let mut grants_of: HashMap<AtomId, Vec<usize>> = HashMap::new();
        for (e, eq) in inst.equivalences.iter().enumerate() {
            grants_of.entry(eq.grants).or_default().push(e);
        }
        let n_atoms = inst.n_atoms();
        let mut memo = HashMap::new();
        let mut c = Conditions {
            covers: Vec::new(),
            direct: vec![Vec::new(); n_atoms],
            next: vec![Vec::new(); n_atoms],
            target: None,
            target_earned: false,
        };
        let mut landmark_of: HashMap<AtomId, Option<usize>> = HashMap::new();
        let must_earn = |a: AtomId| !grants_of.contains_key(&a) && live.contains(a);
        let mut landmark = |a: AtomId,
                            covers: &mut Vec<Cover>,
                            memo: &mut HashMap<AtomId, Vec<ItemId>>|
         -> Option<usize> {
            *landmark_of.entry(a).or_insert_with(|| {
                let group = bringers(inst, live, &grants_of, memo, a);
                if group.is_empty() {
                    return None;
                }
                covers.push(Cover {
                    groups: vec![(group, 1)],
                    need: 1,
                });
                Some(covers.len() - 1)
            })
        };
        for a in live.ones() {
            let Some(r) = inst.atoms[a].requires else {
                continue;
            };
            let mut covers = Vec::new();
            let mut needed = Vec::new();
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
            let mut direct = Vec::new();
            for cv in covers {
                c.covers.push(cv);
                direct.push(c.covers.len() - 1);
            }
            needed.sort_unstable();
            needed.dedup();
            for b in needed {
                if inst.initial.contains(b) {
                    continue;
                }
                if let Some(k) = landmark(b, &mut c.covers, &mut memo) {
                    direct.push(k);
                }
                if must_earn(b) {
                    c.next[a].push(b);
                }
            }
            c.direct[a] = direct;
        }
        if !inst.initial.contains(inst.target) {
            c.target = landmark(inst.target, &mut c.covers, &mut memo);
            c.target_earned = must_earn(inst.target);
        }
        c
    }

    /// Switches on the constraints of earning `a`: pushes the indices of
    /// the constraints not yet on to `out`, and the atoms switched on to
    /// `on` (marked in `active`).
    pub fn activate(
        &self,
        a: AtomId,
        active: &mut BitSet,
        out: &mut Vec<usize>,
        on: &mut Vec<AtomId>,
    ) {
        let mut stack = vec![a];
        while let Some(x) = stack.pop() {
            if active.contains(x) {
                continue;
            }
            active.insert(x);
            on.push(x);
            out.extend(self.direct[x].iter().copied());
            stack.extend(self.next[x].iter().copied());
        }
    }
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

    /// Counting inside an `all`: no credential counts for two of its
    /// children (unless one is `shared`), so children whose members overlap
    /// give constraints on the members together.
    ///
    /// Each child that is a credential, a credit pool, or an `all`, `any`
    /// or `at_least` of credentials is a *part*; an assignment gives each
    /// part its own members, disjoint from the others'. Weigh a member of a
    /// credit pool by its credits and a member of any other part by some
    /// α ≥ 0, a member of several parts by the largest of its weights: the
    /// members an assignment uses then weigh at least α times the parts'
    /// counts plus the pools' credits, since each counts once for one part
    /// at no less than that part's weight. So for every α,
    ///
    /// Σ over members earned of max(α·[in a counted part], credits·[in a
    /// pool]) ≥ α·(counts) + (credits needed),
    ///
    /// less what held members weigh. With α = 1 and every pool read as the
    /// fewest of its members that can reach its credits, this is "as many
    /// distinct credentials as the parts need together"; with α at a credit
    /// value of a member both counted and pooled it sees that small courses
    /// taken for an `at_least` leave the pool short (UCSD's economics
    /// program: 1-credit electives).
    fn combined(&mut self, kids: &[u32]) {
        let mut counted: Vec<(u64, Vec<AtomId>)> = Vec::new();
        let mut pools: Vec<(u64, &[(AtomId, u64)])> = Vec::new();
        let tree = self.tree;
        for &c in kids {
            let c = c as usize;
            if tree.is_shared(c) {
                continue;
            }
            match tree.view(c) {
                NodeView::Id(a) => counted.push((1, vec![a])),
                NodeView::Pool { need, members } => pools.push((need, members)),
                NodeView::All(g) | NodeView::Any(g) | NodeView::AtLeast(_, g)
                    if g.iter()
                        .all(|&x| matches!(tree.view(x as usize), NodeView::Id(_))) =>
                {
                    let k = match tree.view(c) {
                        NodeView::All(g) => g.len() as u64,
                        NodeView::Any(_) => 1,
                        NodeView::AtLeast(k, _) => u64::from(k),
                        _ => 0,
                    };
                    let members = g
                        .iter()
                        .filter_map(|&x| match tree.view(x as usize) {
                            NodeView::Id(a) => Some(a),
                            _ => None,
                        })
                        .collect();
                    counted.push((k, members));
                }
                _ => {}
            }
        }
        if counted.len() + pools.len() < 2 {
            return;
        }
        // Members of a counted part; credits of each pooled member (the
        // largest, should two pools list it).
        let mut in_count: Vec<AtomId> = counted.iter().flat_map(|p| p.1.iter().copied()).collect();
        let total = in_count.len() + pools.iter().map(|p| p.1.len()).sum::<usize>();
        in_count.sort_unstable();
        in_count.dedup();
        let mut credits: HashMap<AtomId, u64> = HashMap::new();
        for &(_, members) in &pools {
            for &(a, w) in members {
                let e = credits.entry(a).or_insert(0);
                *e = (*e).max(w);
            }
        }
        let distinct = in_count.len()
            + credits
                .keys()
                .filter(|a| in_count.binary_search(a).is_err())
                .count();
        if distinct == total {
            return; // no member is in two parts: the parts' own constraints say it all
        }
        let count_demand: u64 = counted.iter().map(|p| p.0).sum();
        let pool_demand: u64 = pools.iter().map(|p| p.0).sum();

        // α = 1 with each pool as the fewest members reaching its credits.
        let mut fewest = 0;
        for &(need, members) in &pools {
            let mut w: Vec<u64> = members.iter().map(|x| x.1).collect();
            w.sort_unstable_by(|a, b| b.cmp(a));
            let mut sum = 0;
            for x in w {
                if sum >= need {
                    break;
                }
                sum += x;
                fewest += 1;
            }
        }
        let mut all_members: Vec<AtomId> = in_count.clone();
        all_members.extend(credits.keys().copied());
        all_members.sort_unstable();
        all_members.dedup();
        self.weighted(&all_members, |_| 1, count_demand + fewest);

        // α at each credit value of a member both counted and pooled (at
        // most four of them, spread over the range).
        if pools.is_empty() || counted.is_empty() {
            if counted.is_empty() {
                self.weighted(&all_members, |a| credits[&a], pool_demand);
            }
            return;
        }
        let mut alphas: Vec<u64> = in_count
            .iter()
            .filter_map(|a| credits.get(a).copied())
            .filter(|&w| w > 0)
            .collect();
        alphas.sort_unstable();
        alphas.dedup();
        if alphas.len() > 4 {
            let last = alphas.len() - 1;
            alphas = (0..4).map(|q| alphas[q * last / 3]).collect();
            alphas.dedup();
        }
        for alpha in alphas {
            let weight = |a: AtomId| {
                let pooled = credits.get(&a).copied().unwrap_or(0);
                let count = if in_count.binary_search(&a).is_ok() {
                    alpha
                } else {
                    0
                };
                pooled.max(count)
            };
            self.weighted(&all_members, weight, alpha * count_demand + pool_demand);
        }
    }

    /// The constraint "the members earned weigh at least `demand`", less
    /// what held members weigh.
    fn weighted(&mut self, members: &[AtomId], weight: impl Fn(AtomId) -> u64, demand: u64) {
        let held: u64 = members
            .iter()
            .filter(|&&a| self.held(a))
            .map(|&a| weight(a))
            .sum();
        if demand <= held {
            return;
        }
        let mut groups: Vec<(Vec<ItemId>, u64)> = Vec::new();
        for &a in members {
            let w = weight(a);
            if w > 0 && !self.held(a) {
                let g = self.bring(a);
                if !g.is_empty() {
                    groups.push((g, w));
                }
            }
        }
        self.covers.push(Cover {
            groups,
            need: demand - held,
        });
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
