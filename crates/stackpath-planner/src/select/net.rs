//! The delete relaxation of a reduced instance as an AND/OR graph, with
//! h_max, LM-cut landmarks and a relaxed-plan extraction over it.
//!
//! # The graph
//!
//! One node per atom (an OR node: held at the start, or brought by one of its
//! *achievers*), one per inner requirement node (`all`, `any`, `at_least k`,
//! credit pool; an id leaf *is* its atom's node), and an `INIT` node. Edges
//! run from what is needed to what it helps satisfy:
//!
//! * child → parent inside every requirement tree (a pool's members, with
//!   their credits, → the pool);
//! * the root of item `i`'s `requires` (or `INIT` when it has none) → atom
//!   `i`, labelled with the item: the only edges that cost anything;
//! * the root of an equivalence's `when` → the atom it grants, free.
//!
//! Counting (no credential counted twice inside one tree) is ignored, which
//! only makes more sets plans: a *relaxation*. Every real plan is well
//! founded, so it is also a plan of the relaxation, and every landmark and
//! lower bound of the relaxation holds for every real plan.
//!
//! # h_max and LM-cut (Helmert and Domshlak, 2009)
//!
//! `h_max` of a node is the cost of its most expensive precondition chain:
//! an atom takes its cheapest achiever (the root's value plus the item's
//! cost), `all` the largest child, `any` the smallest, `at_least k` the k-th
//! smallest, a pool the least value by which members of that value or less
//! bring enough credits. It is computed by a generalised Dijkstra (Knuth,
//! 1977): every rule is monotone and never below its inputs.
//!
//! LM-cut repeatedly (1) computes h_max under the residual item costs; (2)
//! builds the *justification graph*: every edge into an atom, an `any` or
//! the chosen (largest) child of an `all`, and, into an `at_least k` or a
//! pool, the edges from children whose value is at least the node's own; (3)
//! takes the *goal zone* (nodes that reach the target through free edges) and
//! the nodes reachable from `INIT` and the held atoms without entering it;
//! (4) the items on edges from the latter into the goal zone form a *cut*:
//! every plan earns one of them. The least residual cost in the cut is added
//! to the bound and taken off every item of the cut.
//!
//! Why a cut is a landmark even with threshold nodes: the children of an
//! `at_least k` valued below its own value number at most k − 1, so any k
//! satisfied children include one with an edge into it (likewise a pool's
//! members valued below it bring less than it needs). Hence, following any
//! plan in a well-founded order, every node it satisfies before it first
//! enters the goal zone is reachable from `INIT` outside the zone, and the
//! item that first enters the zone is on a cut edge. The costs only decide
//! which cuts are found, never whether they are landmarks, so cuts found with
//! some items free (the items a search has already chosen) hold for every
//! plan; and the sum of the cuts' reductions is a lower bound on the
//! residual-cost of any plan (the cuts form a cost partitioning).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::instance::{BitSet, Instance, ItemId, NodeView, ReqId};

/// An unreachable value.
pub(crate) const INF: u128 = u128::MAX;
const NONE: u32 = u32::MAX;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Atom,
    All,
    Any,
    AtLeast,
    Pool,
}

/// An edge `from → to`: `w` is the member's credits for a pool (else 1);
/// `item` labels an item's edge into its atom.
#[derive(Debug, Clone, Copy)]
struct Edge {
    to: u32,
    w: u64,
    item: u32,
}

#[derive(Debug, Clone, Copy)]
struct InEdge {
    from: u32,
    w: u64,
    item: u32,
}

/// The graph. See the module documentation.
#[derive(Debug, Clone)]
pub(crate) struct Net {
    kind: Vec<Kind>,
    /// `all`: number of child edges; `at_least`: k; pool: credits needed.
    need: Vec<u64>,
    out_start: Vec<u32>,
    out: Vec<Edge>,
    in_start: Vec<u32>,
    ins: Vec<InEdge>,
    init: u32,
    goal: u32,
    /// Atoms held at the start.
    held: Vec<u32>,
    is_held: BitSet,
}

/// Reusable buffers for the computations over a [`Net`].
#[derive(Debug, Clone)]
pub(crate) struct Scratch {
    pub h: Vec<u128>,
    /// `all`: the child that set its value (the last one finished).
    pcf: Vec<u32>,
    acc: Vec<u64>,
    done: Vec<bool>,
    heap: BinaryHeap<Reverse<(u128, u32)>>,
    goal_zone: Vec<bool>,
    before: Vec<bool>,
    stack: Vec<u32>,
    cut: Vec<ItemId>,
}

impl Net {
    /// Builds the graph over the atoms of `inst`; items outside `live` have
    /// no edge (they can never be finished).
    pub fn build(inst: &Instance, live: &BitSet) -> Net {
        let n_atoms = inst.n_atoms();
        let mut b = NetBuilder {
            kind: vec![Kind::Atom; n_atoms],
            need: vec![0; n_atoms],
            edges: Vec::new(),
        };
        for i in 0..inst.n_items() {
            if !live.contains(i) {
                continue;
            }
            if let Some(r) = inst.atoms[i].requires {
                let root = b.tree(inst, r);
                b.edges.push((root, i as u32, 1, i as u32));
            } else {
                b.edges.push((NONE, i as u32, 1, i as u32));
            }
        }
        for eq in &inst.equivalences {
            let root = b.tree(inst, eq.when);
            b.edges.push((root, eq.grants as u32, 1, NONE));
        }
        let init = b.kind.len() as u32;
        b.kind.push(Kind::Atom);
        b.need.push(0);
        for e in &mut b.edges {
            if e.0 == NONE {
                e.0 = init;
            }
        }
        let n = b.kind.len();
        let mut out_start = vec![0u32; n + 1];
        let mut in_start = vec![0u32; n + 1];
        for &(f, t, _, _) in &b.edges {
            out_start[f as usize + 1] += 1;
            in_start[t as usize + 1] += 1;
        }
        for v in 0..n {
            out_start[v + 1] += out_start[v];
            in_start[v + 1] += in_start[v];
        }
        let mut out = vec![
            Edge {
                to: 0,
                w: 0,
                item: NONE
            };
            b.edges.len()
        ];
        let mut ins = vec![
            InEdge {
                from: 0,
                w: 0,
                item: NONE
            };
            b.edges.len()
        ];
        let mut o = out_start.clone();
        let mut p = in_start.clone();
        for &(f, t, w, item) in &b.edges {
            out[o[f as usize] as usize] = Edge { to: t, w, item };
            o[f as usize] += 1;
            ins[p[t as usize] as usize] = InEdge { from: f, w, item };
            p[t as usize] += 1;
        }
        Net {
            kind: b.kind,
            need: b.need,
            out_start,
            out,
            in_start,
            ins,
            init,
            goal: inst.target as u32,
            held: inst.initial.ones().map(|a| a as u32).collect(),
            is_held: {
                let mut h = inst.initial.clone();
                h.grow(n);
                h
            },
        }
    }

    pub fn scratch(&self) -> Scratch {
        let n = self.kind.len();
        Scratch {
            h: vec![INF; n],
            pcf: vec![NONE; n],
            acc: vec![0; n],
            done: vec![false; n],
            heap: BinaryHeap::new(),
            goal_zone: vec![false; n],
            before: vec![false; n],
            stack: Vec::new(),
            cut: Vec::new(),
        }
    }

    fn outs(&self, v: u32) -> &[Edge] {
        &self.out[self.out_start[v as usize] as usize..self.out_start[v as usize + 1] as usize]
    }

    fn inn(&self, v: u32) -> &[InEdge] {
        &self.ins[self.in_start[v as usize] as usize..self.in_start[v as usize + 1] as usize]
    }

    /// h_max under the item costs `cost`; items in `removed` do not exist.
    /// With `additive`, `all` and `at_least` add their children's values
    /// instead (and pools the values of the cheapest members that bring
    /// enough): the tree relaxation, for plan extraction, not a bound.
    fn evaluate(&self, s: &mut Scratch, cost: &[u128], removed: &BitSet, additive: bool) {
        let n = self.kind.len();
        s.h.clear();
        s.h.resize(n, INF);
        s.done.clear();
        s.done.resize(n, false);
        s.acc.clear();
        s.acc.resize(n, 0);
        s.pcf.clear();
        s.pcf.resize(n, NONE);
        // Additive sums of finished children, kept apart from `h` (which
        // holds the tentative value of OR nodes).
        let mut sum: Vec<u128> = if additive { vec![0; n] } else { Vec::new() };
        s.heap.clear();
        s.h[self.init as usize] = 0;
        s.heap.push(Reverse((0, self.init)));
        for &a in &self.held {
            s.h[a as usize] = 0;
            s.heap.push(Reverse((0, a)));
        }
        while let Some(Reverse((d, v))) = s.heap.pop() {
            if s.done[v as usize] || d > s.h[v as usize] {
                continue;
            }
            s.done[v as usize] = true;
            for e in self.outs(v) {
                let t = e.to as usize;
                if s.done[t] {
                    continue;
                }
                match self.kind[t] {
                    Kind::Atom => {
                        if e.item != NONE && removed.contains(e.item as usize) {
                            continue;
                        }
                        let c = if e.item == NONE {
                            0
                        } else {
                            cost[e.item as usize]
                        };
                        let cand = d.saturating_add(c);
                        if cand < s.h[t] {
                            s.h[t] = cand;
                            s.heap.push(Reverse((cand, e.to)));
                        }
                    }
                    Kind::Any => {
                        if d < s.h[t] {
                            s.h[t] = d;
                            s.heap.push(Reverse((d, e.to)));
                        }
                    }
                    Kind::All | Kind::AtLeast => {
                        s.acc[t] += 1;
                        if additive {
                            sum[t] = sum[t].saturating_add(d);
                        }
                        if s.acc[t] == self.need[t] {
                            let val = if additive { sum[t] } else { d };
                            s.h[t] = val;
                            s.pcf[t] = v;
                            s.heap.push(Reverse((val, e.to)));
                        }
                    }
                    Kind::Pool => {
                        if s.acc[t] >= self.need[t] {
                            continue;
                        }
                        s.acc[t] += e.w;
                        if additive {
                            sum[t] = sum[t].saturating_add(d);
                        }
                        if s.acc[t] >= self.need[t] {
                            let val = if additive { sum[t] } else { d };
                            s.h[t] = val;
                            s.pcf[t] = v;
                            s.heap.push(Reverse((val, e.to)));
                        }
                    }
                }
            }
        }
        // Nodes never finished keep INF (a tentative value is not final).
        for v in 0..n {
            if !s.done[v] {
                s.h[v] = INF;
            }
        }
    }

    /// LM-cut from the costs `r` (reduced in place). Calls `found` with each
    /// cut and its reduction, and stops early when it returns `false`. `None`
    /// when the target is unreachable without the `removed` items; otherwise
    /// the sum of the reductions, a lower bound on the `r`-cost of every plan
    /// avoiding `removed`.
    pub fn lmcut(
        &self,
        s: &mut Scratch,
        r: &mut [u128],
        removed: &BitSet,
        mut found: impl FnMut(&[ItemId], u128) -> bool,
    ) -> Option<u128> {
        let mut total: u128 = 0;
        let goal = self.goal as usize;
        loop {
            self.evaluate(s, r, removed, false);
            if s.h[goal] == INF {
                return None;
            }
            if s.h[goal] == 0 {
                return Some(total);
            }
            self.goal_zone(s, r, removed);
            self.cut(s, removed);
            let m = s
                .cut
                .iter()
                .map(|&i| r[i])
                .min()
                .expect("a cut is never empty while the target costs something");
            debug_assert!(m > 0);
            total = total.saturating_add(m);
            for &i in &s.cut {
                r[i] -= m;
            }
            if !found(&s.cut, m) {
                return Some(total);
            }
        }
    }

    /// Marks the nodes that reach the target through free justification
    /// edges.
    fn goal_zone(&self, s: &mut Scratch, r: &[u128], removed: &BitSet) {
        s.goal_zone.clear();
        s.goal_zone.resize(self.kind.len(), false);
        s.stack.clear();
        s.goal_zone[self.goal as usize] = true;
        s.stack.push(self.goal);
        while let Some(v) = s.stack.pop() {
            let vu = v as usize;
            let hv = s.h[vu];
            let visit = |u: u32, s: &mut Scratch| {
                if s.h[u as usize] != INF && !s.goal_zone[u as usize] {
                    s.goal_zone[u as usize] = true;
                    s.stack.push(u);
                }
            };
            match self.kind[vu] {
                Kind::Atom => {
                    for e in self.inn(v) {
                        let free = e.item == NONE
                            || (r[e.item as usize] == 0 && !removed.contains(e.item as usize));
                        if free {
                            visit(e.from, s);
                        }
                    }
                }
                Kind::All => {
                    let p = s.pcf[vu];
                    if p != NONE {
                        visit(p, s);
                    }
                }
                Kind::Any => {
                    for e in self.inn(v) {
                        visit(e.from, s);
                    }
                }
                Kind::AtLeast | Kind::Pool => {
                    for e in self.inn(v) {
                        if s.h[e.from as usize] >= hv {
                            visit(e.from, s);
                        }
                    }
                }
            }
        }
    }

    /// Whether `from → e.to` is a justification edge under the current
    /// values.
    fn justifies(&self, s: &Scratch, from: u32, to: u32, removed: &BitSet, item: u32) -> bool {
        let t = to as usize;
        if s.h[t] == INF {
            return false;
        }
        match self.kind[t] {
            Kind::Atom => item == NONE || !removed.contains(item as usize),
            Kind::All => s.pcf[t] == from,
            Kind::Any => true,
            Kind::AtLeast | Kind::Pool => s.h[from as usize] >= s.h[t],
        }
    }

    /// The items on edges from the nodes reachable from the start outside
    /// the goal zone into it.
    fn cut(&self, s: &mut Scratch, removed: &BitSet) {
        s.before.clear();
        s.before.resize(self.kind.len(), false);
        s.cut.clear();
        s.stack.clear();
        s.before[self.init as usize] = true;
        s.stack.push(self.init);
        for &a in &self.held {
            if !s.goal_zone[a as usize] && !s.before[a as usize] {
                s.before[a as usize] = true;
                s.stack.push(a);
            }
        }
        while let Some(v) = s.stack.pop() {
            for e in self.outs(v) {
                if !self.justifies(s, v, e.to, removed, e.item) {
                    continue;
                }
                let t = e.to as usize;
                if s.goal_zone[t] {
                    if e.item != NONE {
                        s.cut.push(e.item as usize);
                    }
                } else if !s.before[t] {
                    s.before[t] = true;
                    s.stack.push(e.to);
                }
            }
        }
        s.cut.sort_unstable();
        s.cut.dedup();
    }

    /// A relaxed plan: the items of the cheapest tree (shared parts counted
    /// once per use) that brings the target, under `cost`, items in
    /// `removed` left out. Not necessarily a real plan (counting and
    /// well-foundedness are the caller's to check). `None` when the target
    /// is unreachable.
    pub fn relaxed_plan(
        &self,
        s: &mut Scratch,
        cost: &[u128],
        removed: &BitSet,
    ) -> Option<Vec<ItemId>> {
        self.evaluate(s, cost, removed, true);
        if s.h[self.goal as usize] == INF {
            return None;
        }
        let mut items = Vec::new();
        let mut seen = vec![false; self.kind.len()];
        let mut stack = vec![self.goal];
        seen[self.goal as usize] = true;
        let mut push = |u: u32, stack: &mut Vec<u32>| {
            if !seen[u as usize] {
                seen[u as usize] = true;
                stack.push(u);
            }
        };
        while let Some(v) = stack.pop() {
            let vu = v as usize;
            if v == self.init || self.is_held.contains(vu) {
                continue;
            }
            match self.kind[vu] {
                Kind::Atom => {
                    // The achiever that set the value.
                    let hv = s.h[vu];
                    let best = self.inn(v).iter().find(|e| {
                        (e.item == NONE || !removed.contains(e.item as usize))
                            && s.done[e.from as usize]
                            && s.h[e.from as usize].saturating_add(if e.item == NONE {
                                0
                            } else {
                                cost[e.item as usize]
                            }) == hv
                    });
                    if let Some(e) = best {
                        if e.item != NONE {
                            items.push(e.item as usize);
                        }
                        push(e.from, &mut stack);
                    }
                }
                Kind::All => {
                    for e in self.inn(v) {
                        push(e.from, &mut stack);
                    }
                }
                Kind::Any => {
                    if let Some(e) = self
                        .inn(v)
                        .iter()
                        .filter(|e| s.done[e.from as usize])
                        .min_by_key(|e| s.h[e.from as usize])
                    {
                        push(e.from, &mut stack);
                    }
                }
                Kind::AtLeast | Kind::Pool => {
                    // The members finished first, until enough.
                    let mut kids: Vec<&InEdge> = self
                        .inn(v)
                        .iter()
                        .filter(|e| s.done[e.from as usize])
                        .collect();
                    kids.sort_by_key(|e| s.h[e.from as usize]);
                    let need = self.need[vu];
                    let mut got = 0;
                    for e in kids {
                        if got >= need {
                            break;
                        }
                        got += if self.kind[vu] == Kind::Pool { e.w } else { 1 };
                        push(e.from, &mut stack);
                    }
                }
            }
        }
        items.sort_unstable();
        items.dedup();
        Some(items)
    }
}

struct NetBuilder {
    kind: Vec<Kind>,
    need: Vec<u64>,
    /// `(from, to, weight, item)`; `from == NONE` stands for `INIT`.
    edges: Vec<(u32, u32, u64, u32)>,
}

impl NetBuilder {
    /// Compiles tree `r`; returns its root's node.
    fn tree(&mut self, inst: &Instance, r: ReqId) -> u32 {
        let t = &inst.trees[r];
        if t.is_empty() {
            return NONE;
        }
        self.node(t, 0)
    }

    fn node(&mut self, t: &crate::instance::Tree, n: usize) -> u32 {
        let fresh = |b: &mut NetBuilder, k: Kind, need: u64| {
            b.kind.push(k);
            b.need.push(need);
            (b.kind.len() - 1) as u32
        };
        match t.view(n) {
            NodeView::Id(a) => a as u32,
            NodeView::Pool { need, members } => {
                let me = fresh(self, Kind::Pool, need);
                for &(a, w) in members {
                    self.edges.push((a as u32, me, w, NONE));
                }
                me
            }
            NodeView::All([]) => {
                let me = fresh(self, Kind::Any, 1);
                self.edges.push((NONE, me, 1, NONE));
                me
            }
            NodeView::All(kids) => {
                let me = fresh(self, Kind::All, kids.len() as u64);
                for &c in kids {
                    let c = self.node(t, c as usize);
                    self.edges.push((c, me, 1, NONE));
                }
                me
            }
            NodeView::Any(kids) => {
                let me = fresh(self, Kind::Any, 1);
                for &c in kids {
                    let c = self.node(t, c as usize);
                    self.edges.push((c, me, 1, NONE));
                }
                me
            }
            NodeView::AtLeast(k, kids) => {
                let me = fresh(self, Kind::AtLeast, u64::from(k));
                for &c in kids {
                    let c = self.node(t, c as usize);
                    self.edges.push((c, me, 1, NONE));
                }
                me
            }
        }
    }
}
