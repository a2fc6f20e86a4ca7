//! Dominance between items: item `i` dominates item `j` when swapping `j`
//! for `i` in any plan without `i` gives a plan that weighs no more. The
//! search then never needs `j` where it has decided against `i`.
//!
//! # When the swap is safe
//!
//! Let P be a plan with `j` and without `i` in which every item is finished
//! (every least-weight plan is such), and P' = P − j + i. Then P' is such a
//! plan too, if:
//!
//! * **`i` can stand wherever `j` is counted.** Every place a requirement
//!   tree mentions `j` (a leaf under a compound node, or a credit pool's
//!   member) mentions `i` under the same node, in a pool with at least `j`'s
//!   credits. An assignment that counted `j` at a leaf counts `i` at its
//!   sibling leaf instead (free, since `i` was not in P); the node sees as
//!   many satisfied children and a pool at least as many credits. A leaf that
//!   is a whole tree, or a node listing `j` twice, is not matched (the atom is
//!   never dominated or dominating).
//! * **`i` can be earned where `j` was.** `i` requires nothing, or exactly
//!   the same requirement tree as `j`: it is then met by what came before
//!   `j` (neither `i` nor `j` among it, so the tree cannot tell them apart).
//! * **Nothing else sees them.** Neither is the target or granted by an
//!   equivalence (a granted `i` may be held already, and earning it then
//!   adds nothing). Atoms an equivalence's `when` mentions are left out too:
//!   the places above cover `when` trees as well, so this is only caution.
//! * **`i` can run in `j`'s place** (only when schedules are checked or
//!   ties are broken by finish date, [`Swaps::InPlace`]): it takes no more
//!   days and no more hours a week, and may start on any day (or on exactly
//!   `j`'s days). In a schedule of P, `i` then runs in `j`'s slot and
//!   finishes no later, so everything else keeps its dates.
//!   [`Swaps::InPlaceOrCheaper`] also allows any swap that lowers the main
//!   objective: P' is then strictly better on it, so P is not among the
//!   plans of least main value, and those are all the search is asked for
//!   (it collects them for the tie-break by finish date, with no check, and
//!   schedules are looked at afterwards).
//! * **`i` is no dearer**: its weight (the whole objective key) and its cost
//!   in the plan currency (for the budget) are at most `j`'s, with ties
//!   broken by item number so that dominance is a strict order.
//!
//! Items are finished in P' in the same order, `i` in `j`'s place, and every
//! requirement met in P is met in P' (monotonicity does the rest).
//!
//! # How the search uses it
//!
//! The search branches "the first candidate is in; it is out and the second
//! is in; ...". Once candidate `i` is out, every plan the later branches
//! could find using an item `i` dominates can be swapped into the branch
//! where `i` was in, already searched, at no more weight; so those items are
//! left out too, and a candidate already left out this way is skipped.

use std::collections::HashMap;

use crate::instance::{BitSet, Instance, ItemId, NodeView, StartRule};

/// Where a requirement mentions an atom: (tree, parent node).
type Place = (usize, usize);

/// Which swaps make one item dominate another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Swaps {
    /// Any that weighs no more: plans are compared by weight alone.
    Any,
    /// Only those that keep every schedule of a plan valid and no later.
    InPlace,
    /// Those, and any that lowers the main objective: for a search that
    /// wants every plan of least main value and checks no schedules.
    InPlaceOrCheaper,
}

/// For each item, the live items it dominates under `swaps`. The main
/// objective is the weight's bits from `primary_shift` up.
pub(super) fn dominated(
    inst: &Instance,
    live: &BitSet,
    weight: &[u128],
    cost: &[i64],
    swaps: Swaps,
    primary_shift: u32,
) -> Vec<Vec<ItemId>> {
    let n_items = inst.n_items();
    let n_atoms = inst.n_atoms();
    let mut out = vec![Vec::new(); n_items];
    // Each atom's places with its credits there (0 for a plain leaf),
    // sorted; pinned atoms take no part.
    let mut places: Vec<Vec<(Place, u64)>> = vec![Vec::new(); n_atoms];
    let mut pinned = BitSet::with_capacity(n_atoms);
    pinned.insert(inst.target);
    for eq in &inst.equivalences {
        pinned.insert(eq.grants);
        for &a in &inst.trees[eq.when].atoms {
            pinned.insert(a);
        }
    }
    for (t, tree) in inst.trees.iter().enumerate() {
        if tree.is_empty() {
            continue;
        }
        if let NodeView::Id(a) = tree.view(0) {
            pinned.insert(a);
        }
        for n in 0..tree.len() {
            match tree.view(n) {
                NodeView::All(kids) | NodeView::Any(kids) | NodeView::AtLeast(_, kids) => {
                    for &k in kids {
                        if let NodeView::Id(a) = tree.view(k as usize) {
                            places[a].push(((t, n), 0));
                        }
                    }
                }
                NodeView::Pool { members, .. } => {
                    for &(a, w) in members {
                        places[a].push(((t, n), w));
                    }
                }
                NodeView::Id(_) => {}
            }
        }
    }
    for (a, p) in places.iter_mut().enumerate() {
        p.sort_unstable();
        if p.windows(2).any(|w| w[0].0 == w[1].0) {
            pinned.insert(a);
        }
    }

    let candidate = |i: ItemId| i < n_items && live.contains(i) && !pinned.contains(i);
    // Items by place, to find the possible dominators of `j` among the
    // items at its rarest place.
    let mut at: HashMap<Place, Vec<ItemId>> = HashMap::new();
    for i in (0..n_items).filter(|&i| candidate(i)) {
        for &(place, _) in &places[i] {
            at.entry(place).or_default().push(i);
        }
    }
    let requires = |i: ItemId| inst.atoms[i].requires;
    let better = |i: ItemId, j: ItemId| cost[i] <= cost[j] && (weight[i], i) < (weight[j], j);
    // `i` can run in `j`'s place in any schedule and finish no later.
    let load = |i: ItemId| {
        let it = &inst.items[i];
        if it.days == 0 {
            0
        } else {
            it.weekly
        }
    };
    let in_place = |i: ItemId, j: ItemId| {
        let (a, b) = (&inst.items[i], &inst.items[j]);
        a.days <= b.days
            && load(i) <= load(j)
            && (a.starts == StartRule::Anytime || a.starts == b.starts)
    };
    // Does `i` stand wherever `j` is counted?
    let covers = |i: ItemId, j: ItemId| {
        let (pi, pj) = (&places[i], &places[j]);
        let mut k = 0;
        pj.iter().all(|&(place, w)| {
            while k < pi.len() && pi[k].0 < place {
                k += 1;
            }
            k < pi.len() && pi[k].0 == place && pi[k].1 >= w
        })
    };
    for j in (0..n_items).filter(|&j| candidate(j)) {
        let Some(rarest) = places[j]
            .iter()
            .map(|&(place, _)| place)
            .min_by_key(|place| at.get(place).map_or(0, Vec::len))
        else {
            continue; // mentioned nowhere: no least-weight plan earns it
        };
        for &i in at.get(&rarest).into_iter().flatten() {
            let swap = match swaps {
                Swaps::Any => true,
                Swaps::InPlace => in_place(i, j),
                Swaps::InPlaceOrCheaper => {
                    weight[i] >> primary_shift < weight[j] >> primary_shift || in_place(i, j)
                }
            };
            if i == j || !swap || !better(i, j) || !covers(i, j) {
                continue;
            }
            let same_needs = match (requires(i), requires(j)) {
                (None, _) => true,
                (Some(ri), Some(rj)) => ri == rj || inst.trees[ri] == inst.trees[rj],
                (Some(_), None) => false,
            };
            if same_needs {
                out[i].push(j);
            }
        }
    }
    out
}
