//! The reduced planning problem for one learner and one target, and the exact
//! satisfaction oracle every planner, scheduler and audit builds on.
//!
//! [`Instance::build`] resolves what the learner holds on the start date
//! (expiry, implied holdings, equivalences), cuts the catalog down to the part
//! relevant to the target, and compiles every requirement tree in that part
//! over dense *atom* indices. Atoms are the relevant credentials plus the ids
//! that requirements mention but no loaded file defines (a learner may still
//! hold those). The earnable atoms come first: atom `i < items.len()` *is*
//! item `i`, so a bitset of finished items is also a bitset of held atoms and
//! the two index spaces never need translating.
//!
//! Counting (spec: "Counting"): inside one requirement tree each held
//! credential counts toward at most one leaf (an id leaf or one credit pool),
//! except leaves under a node marked `shared`, which see every held credential
//! independently of the rest of the tree and of each other. The oracle
//! [`Instance::satisfied`] decides this exactly by an assignment search, see
//! [`Tree`].

use std::collections::HashMap;

use fixedbitset::FixedBitSet;
use stackpath_model::{
    Catalog, CredIdx, CredentialId, Date, Holding, Requirement, RequirementKind, Starts,
};

/// A set of atom (or item) indices.
pub type BitSet = FixedBitSet;

/// Index of an atom: a relevant credential, or an undefined id a requirement
/// names. Items are the atoms `0..items.len()`.
pub type AtomId = usize;

/// Index of an earnable item; equal to its [`AtomId`].
pub type ItemId = usize;

/// Index of a compiled requirement tree in [`Instance::trees`].
pub type ReqId = usize;

/// What the scheduler needs to know about readiness, and nothing more.
///
/// For the `time` objective scheduler (`schedule.rs`): `done` is a set of item
/// indices (bit `i` = item `i` is finished; bits past `items.len()` are
/// ignored). Both methods apply the learner's holdings at the start date
/// (expired ones removed, implied ones added) and every equivalence whose
/// `when` becomes satisfied, to a fixpoint, and honour the counting rules
/// exactly. A finished item never counts toward its own requirements, so
/// passing a `done` set that was built in schedule order is always
/// well-founded.
pub trait Readiness {
    /// Is item `i`'s `requires` satisfied by the holdings plus the items in
    /// `done` (equivalences applied)? An item without `requires` is always
    /// ready.
    fn ready(&self, i: ItemId, done: &BitSet) -> bool;
    /// Is the target held once the items in `done` are finished
    /// (equivalences applied)?
    fn target_held(&self, done: &BitSet) -> bool;
}

/// How a credential came to be held at the start date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeldVia {
    /// Listed in the learner's holdings.
    Holding,
    /// Implied by holding `by`, which cannot be obtained without it.
    Implied { by: CredentialId },
    /// Granted by an equivalence whose `when` the holdings satisfy.
    Granted { equivalence: usize },
}

/// A resolved holding, for audits and reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoldingStatus {
    pub id: CredentialId,
    /// The date it counts from (for an implied holding, the implying one's).
    pub earned: Date,
    pub via: HeldVia,
    /// The day it stops counting, if it expires at all.
    pub expires: Option<Date>,
    /// Expired before the start date: not held.
    pub expired: bool,
    /// No loaded file defines it. It still satisfies requirements naming it.
    pub unknown: bool,
}

/// Why a relevant credential is not an item the planner may choose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exclusion {
    /// Held at the start date: nothing to earn.
    Held,
    /// No loaded file defines it.
    Unknown,
    /// `earnable: false`: it can only be held or granted.
    NotEarnable,
    /// The learner asked to avoid it.
    Avoided,
    /// Fixed pace needing more hours a week than the learner has, in
    /// hundredths of an hour. `has` is 0 for a self-paced item when the
    /// learner has no hours at all.
    TooManyHours { needs: u64, has: u64 },
    /// Every listed start date is before the learner's start.
    NoStartDate,
}

/// When an item can begin, as day offsets from the start date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartRule {
    Anytime,
    /// Only these days (sorted, all `>= 0`).
    Days(Vec<u32>),
    /// The first day of these months (1 to 12) every year.
    Months(Vec<u32>),
}

/// One earnable credential.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub cred: CredIdx,
    /// Cost in minor units of `currency` (cents for USD); 0 without a cost.
    pub cost: i64,
    pub currency: Option<String>,
    /// Effort in hundredths of an hour.
    pub effort: u64,
    /// Calendar days from its start to its finish (spec: "Plans").
    pub days: u32,
    /// Hours a week it occupies while it runs, in hundredths: the fixed pace,
    /// or the learner's whole capacity for a self-paced item (0 if it takes no
    /// days).
    pub weekly: u64,
    /// Fixed pace (`duration_weeks` given) rather than self-paced.
    pub fixed_pace: bool,
    pub starts: StartRule,
}

/// An atom: a credential (or undefined id) that requirements can name.
#[derive(Debug, Clone, PartialEq)]
pub struct Atom {
    pub id: CredentialId,
    /// `None` for an id no loaded file defines.
    pub cred: Option<CredIdx>,
    /// Its compiled `requires`, if any.
    pub requires: Option<ReqId>,
    /// Why it is not an item (`None` exactly for items).
    pub excluded: Option<Exclusion>,
}

/// An equivalence compiled over atoms.
#[derive(Debug, Clone, PartialEq)]
pub struct Equiv {
    pub grants: AtomId,
    pub when: ReqId,
    /// Index into [`Catalog::equivalences`].
    pub source: usize,
}

/// Which held atoms count toward which leaves in one satisfying assignment.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Assignment {
    /// `(leaf node, atoms counted there)`, leaf nodes being indices into the
    /// tree's nodes in pre-order (the order of [`Requirement::visit`]). Only
    /// leaves of one minimal satisfying witness are listed; a non-shared atom
    /// appears in at most one of them.
    pub leaves: Vec<(usize, Vec<AtomId>)>,
}

/// Everything held once a set of items is earned, in a well-founded order.
#[derive(Debug, Clone, PartialEq)]
pub struct Closure {
    /// Atoms held at the end: holdings, finished items, granted credentials.
    pub held: BitSet,
    /// The items that can be finished, each one's requirements met by the
    /// holdings and the items before it (and what they grant).
    pub order: Vec<ItemId>,
    /// Items of the set that could never be started.
    pub stuck: Vec<ItemId>,
    pub target_held: bool,
}

/// The reduced problem. See the module documentation.
#[derive(Debug, Clone)]
pub struct Instance {
    pub target: AtomId,
    pub start: Date,
    /// The learner's weekly capacity in hundredths of an hour.
    pub hours_per_week: u64,
    pub atoms: Vec<Atom>,
    pub items: Vec<Item>,
    pub trees: Vec<Tree>,
    pub equivalences: Vec<Equiv>,
    /// Atoms held at the start date (equivalences applied).
    pub initial: BitSet,
    /// How each initially held atom is held.
    pub held_via: Vec<Option<HoldingStatus>>,
    /// Every holding of the learner as resolved, including expired, unknown
    /// and irrelevant ones, plus implied and granted ones.
    pub holdings: Vec<HoldingStatus>,
    /// For each atom, what to re-check when it becomes held.
    watchers: Vec<Vec<Watcher>>,
    by_cred: HashMap<CredIdx, AtomId>,
    by_id: HashMap<CredentialId, AtomId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Watcher {
    Item(ItemId),
    Equiv(usize),
}

/// Minor units per major unit: ISO 4217 exponents for the currencies that do
/// not use two decimals.
pub fn minor_per_major(currency: &str) -> i64 {
    match currency {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX"
        | "UYI" | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 1,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 1000,
        _ => 100,
    }
}

/// An amount in a currency's minor units, rounded to the nearest.
pub fn to_minor(amount: f64, currency: &str) -> i64 {
    (amount * minor_per_major(currency) as f64).round() as i64
}

/// Hundredths, rounded to the nearest (hours, weeks).
fn hundredths(x: f64) -> u64 {
    if x.is_finite() && x > 0.0 {
        (x * 100.0).round() as u64
    } else {
        0
    }
}

/// Credits are compared in thousandths, so 7.5 ECTS is exact and sums of
/// decimals do not drift.
fn millicredits(x: f64) -> u64 {
    if x.is_finite() && x > 0.0 {
        (x * 1000.0).round() as u64
    } else {
        0
    }
}

impl Instance {
    /// Builds the instance for `target`, the learner's `holdings`, `start`,
    /// weekly capacity and avoided credentials. An unknown target gives an
    /// instance whose target is an undefined atom (held only if the learner
    /// holds it); nothing here fails.
    pub fn build(
        catalog: &Catalog,
        target: &CredentialId,
        holdings: &[Holding],
        start: Date,
        hours_per_week: f64,
        avoid: &[CredentialId],
    ) -> Instance {
        let mut b = Builder {
            catalog,
            atoms: Vec::new(),
            by_cred: HashMap::new(),
            by_id: HashMap::new(),
            trees: Vec::new(),
        };
        let target_idx = catalog.index_of(target);
        let relevant = target_idx
            .map(|t| catalog.relevant_to(t))
            .unwrap_or_default();
        for &c in &relevant {
            b.atom_for_cred(c);
        }
        let target_atom = b.atom_for_id(target);

        // Requirements of every relevant credential, and equivalences granting one.
        let mut requires = Vec::with_capacity(relevant.len());
        let mut equivalences = Vec::new();
        for &c in &relevant {
            let r = catalog
                .credential(c)
                .requires
                .as_ref()
                .map(|r| b.compile(r));
            requires.push((b.by_cred[&c], r));
        }
        // The index of an equivalence from its address in the catalog's
        // slice: constant time, so nothing here scales with the catalog.
        let eq_base = catalog.equivalences().as_ptr() as usize;
        let eq_size = std::mem::size_of::<stackpath_model::Equivalence>().max(1);
        let eq_index =
            |e: &stackpath_model::Equivalence| (e as *const _ as usize - eq_base) / eq_size;
        for &c in &relevant {
            for eq in catalog.granted_by(c) {
                let when = b.compile(&eq.when);
                equivalences.push(Equiv {
                    grants: b.by_cred[&c],
                    when,
                    source: eq_index(eq),
                });
            }
        }

        // Holdings at the start date.
        let (mut statuses, direct) = resolve_holdings(catalog, holdings, start);
        let n = b.atoms.len();
        let mut held_via: Vec<Option<HoldingStatus>> = vec![None; n];
        let mut initial = BitSet::with_capacity(n);
        for (id, st) in &direct {
            if st.expired {
                continue;
            }
            if let Some(&a) = b.by_id.get(id) {
                initial.insert(a);
                held_via[a] = Some(st.clone());
            }
        }
        for t in &mut b.trees {
            t.finalize();
        }
        // Equivalences to a fixpoint, recording how each grant came about.
        loop {
            let mut changed = false;
            for (e, eq) in equivalences.iter().enumerate() {
                if initial.contains(eq.grants) {
                    continue;
                }
                if let Some(asg) = b.trees[eq.when].satisfied(&initial, true) {
                    let earned = asg
                        .leaves
                        .iter()
                        .flat_map(|(_, atoms)| atoms.iter())
                        .filter_map(|&a| held_via[a].as_ref().map(|h| h.earned))
                        .max()
                        .unwrap_or(start);
                    let id = b.atoms[eq.grants].id.clone();
                    let cred =
                        catalog.credential(b.atoms[eq.grants].cred.expect("granted is defined"));
                    let st = HoldingStatus {
                        id,
                        earned,
                        via: HeldVia::Granted {
                            equivalence: equivalences[e].source,
                        },
                        expires: cred.expires_on(earned),
                        expired: false,
                        unknown: false,
                    };
                    statuses.push(st.clone());
                    held_via[eq.grants] = Some(st);
                    initial.insert(eq.grants);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }

        // Decide which atoms are items.
        let hpw = hundredths(hours_per_week);
        let mut atoms = std::mem::take(&mut b.atoms);
        let mut item_data: Vec<Option<Item>> = vec![None; n];
        for (a, atom) in atoms.iter_mut().enumerate() {
            let Some(c) = atom.cred else {
                atom.excluded = Some(Exclusion::Unknown);
                continue;
            };
            let cred = catalog.credential(c);
            let excluded = if initial.contains(a) {
                Some(Exclusion::Held)
            } else if !cred.earnable {
                Some(Exclusion::NotEarnable)
            } else if avoid.contains(&cred.id) {
                Some(Exclusion::Avoided)
            } else {
                match make_item(c, cred, start, hpw) {
                    Ok(item) => {
                        item_data[a] = Some(item);
                        None
                    }
                    Err(e) => Some(e),
                }
            };
            atom.excluded = excluded;
        }
        for (a, r) in &requires {
            atoms[*a].requires = *r;
        }

        // Items first: permute atoms so that item i is atom i.
        let mut order: Vec<AtomId> = (0..n).filter(|&a| item_data[a].is_some()).collect();
        let n_items = order.len();
        order.extend((0..n).filter(|&a| item_data[a].is_none()));
        let mut perm = vec![0; n];
        for (new, &old) in order.iter().enumerate() {
            perm[old] = new;
        }
        let atoms: Vec<Atom> = order.iter().map(|&o| atoms[o].clone()).collect();
        let items: Vec<Item> = order[..n_items]
            .iter()
            .map(|&o| item_data[o].take().expect("item"))
            .collect();
        let mut new_initial = BitSet::with_capacity(n);
        for a in initial.ones() {
            new_initial.insert(perm[a]);
        }
        let held_via: Vec<Option<HoldingStatus>> =
            order.iter().map(|&o| held_via[o].take()).collect();
        let mut trees = b.trees;
        for t in &mut trees {
            t.remap(&perm);
            t.finalize();
        }
        let equivalences: Vec<Equiv> = equivalences
            .into_iter()
            .map(|e| Equiv {
                grants: perm[e.grants],
                ..e
            })
            .collect();
        let by_cred = b.by_cred.into_iter().map(|(c, a)| (c, perm[a])).collect();
        let by_id = b.by_id.into_iter().map(|(c, a)| (c, perm[a])).collect();

        let mut watchers = vec![Vec::new(); n];
        for (i, atom) in atoms.iter().enumerate().take(n_items) {
            if let Some(r) = atom.requires {
                for &a in &trees[r].atoms {
                    watchers[a].push(Watcher::Item(i));
                }
            }
        }
        for (e, eq) in equivalences.iter().enumerate() {
            for &a in &trees[eq.when].atoms {
                watchers[a].push(Watcher::Equiv(e));
            }
        }
        for w in &mut watchers {
            w.dedup();
        }

        Instance {
            target: perm[target_atom],
            start,
            hours_per_week: hpw,
            atoms,
            items,
            trees,
            equivalences,
            initial: new_initial,
            held_via,
            holdings: statuses,
            watchers,
            by_cred,
            by_id,
        }
    }

    /// The atom of a catalog credential, if it is in the relevant part.
    pub fn atom_of(&self, c: CredIdx) -> Option<AtomId> {
        self.by_cred.get(&c).copied()
    }

    /// The atom of an id, defined or not, if the relevant part mentions it.
    pub fn atom_of_id(&self, id: &CredentialId) -> Option<AtomId> {
        self.by_id.get(id).copied()
    }

    pub fn n_items(&self) -> usize {
        self.items.len()
    }

    pub fn n_atoms(&self) -> usize {
        self.atoms.len()
    }

    /// Is `req` satisfied by `held` (atoms), honouring the counting rules?
    /// Returns one satisfying assignment. Exact: finds one whenever one
    /// exists.
    pub fn satisfied(&self, req: ReqId, held: &BitSet) -> Option<Assignment> {
        self.trees[req].satisfied(held, true)
    }

    /// [`Instance::satisfied`] without building the assignment.
    pub fn is_satisfied(&self, req: ReqId, held: &BitSet) -> bool {
        self.trees[req].satisfied(held, false).is_some()
    }

    /// Is atom `a`'s `requires` satisfied by `held`?
    pub fn requires_met(&self, a: AtomId, held: &BitSet) -> bool {
        match self.atoms[a].requires {
            None => true,
            Some(r) => self.is_satisfied(r, held),
        }
    }

    /// Adds every credential the equivalences grant, to a fixpoint.
    pub fn apply_equivalences(&self, held: &mut BitSet) {
        if self.equivalences.is_empty() {
            return;
        }
        held.grow(self.atoms.len());
        loop {
            let mut changed = false;
            for eq in &self.equivalences {
                if !held.contains(eq.grants) && self.is_satisfied(eq.when, held) {
                    held.insert(eq.grants);
                    changed = true;
                }
            }
            if !changed {
                return;
            }
        }
    }

    /// The atoms held once the items in `done` are finished: holdings, the
    /// items, and everything equivalences grant.
    pub fn held_with(&self, done: &BitSet) -> BitSet {
        let mut held = self.initial.clone();
        for i in done.ones().take_while(|&i| i < self.items.len()) {
            held.insert(i);
        }
        self.apply_equivalences(&mut held);
        held
    }

    /// Everything held once the items in `earned` are earned, in a
    /// well-founded order; items that could never be started are `stuck`.
    /// Because satisfaction is monotone, the greatest well-founded subset is
    /// unique and this fixpoint finds it.
    pub fn closure(&self, earned: &BitSet) -> Closure {
        let mut p = Propagator::new(self);
        for i in earned.ones().take_while(|&i| i < self.items.len()) {
            p.add(i);
        }
        let stuck = earned
            .ones()
            .take_while(|&i| i < self.items.len())
            .filter(|&i| !p.done.contains(i) && !p.held.contains(i))
            .collect();
        Closure {
            target_held: p.held.contains(self.target),
            held: p.held,
            order: p.order,
            stuck,
        }
    }

    /// The day offset (from `start`) of the first day at or after `day` on
    /// which item `i` can begin, if any.
    pub fn next_start(&self, i: ItemId, day: u32) -> Option<u32> {
        next_start(&self.items[i].starts, self.start, day)
    }
}

impl Readiness for Instance {
    fn ready(&self, i: ItemId, done: &BitSet) -> bool {
        match self.atoms[i].requires {
            None => true,
            Some(r) => {
                if self.equivalences.is_empty() {
                    let mut held = self.initial.clone();
                    held.union_with(done);
                    self.is_satisfied(r, &held)
                } else {
                    self.is_satisfied(r, &self.held_with(done))
                }
            }
        }
    }

    fn target_held(&self, done: &BitSet) -> bool {
        if self.initial.contains(self.target) || done.contains(self.target) {
            return true;
        }
        self.held_with(done).contains(self.target)
    }
}

/// The first day offset `>= day` allowed by `rule`.
pub fn next_start(rule: &StartRule, start: Date, day: u32) -> Option<u32> {
    match rule {
        StartRule::Anytime => Some(day),
        StartRule::Days(days) => days.iter().copied().find(|&d| d >= day),
        StartRule::Months(months) => {
            if months.is_empty() {
                return None;
            }
            let date = start + chrono::Days::new(u64::from(day));
            use chrono::Datelike;
            let mut y = date.year();
            let mut m = date.month();
            // The first of this month counts only if it is `date` itself.
            if date.day() != 1 {
                m += 1;
                if m > 12 {
                    m = 1;
                    y += 1;
                }
            }
            for _ in 0..13 {
                if months.contains(&m) {
                    let first = Date::from_ymd_opt(y, m, 1)?;
                    return u32::try_from((first - start).num_days()).ok();
                }
                m += 1;
                if m > 12 {
                    m = 1;
                    y += 1;
                }
            }
            None
        }
    }
}

fn make_item(
    c: CredIdx,
    cred: &stackpath_model::Credential,
    start: Date,
    hpw: u64,
) -> Result<Item, Exclusion> {
    let effort = hundredths(cred.effort_hours);
    let (days, weekly, fixed_pace) = match cred.duration_weeks {
        Some(w) if w > 0.0 => {
            let days = (7.0 * w - 1e-9).ceil().max(0.0) as u32;
            // Hours a week = effort / weeks, compared exactly in hundredths.
            let weeks_h = hundredths(w);
            let weekly = if weeks_h == 0 {
                effort
            } else {
                (effort * 100).div_ceil(weeks_h)
            };
            if effort * 100 > hpw * weeks_h {
                return Err(Exclusion::TooManyHours {
                    needs: weekly,
                    has: hpw,
                });
            }
            (days, weekly, true)
        }
        Some(_) => (0, 0, true),
        None => {
            if effort == 0 {
                (0, 0, false)
            } else if hpw == 0 {
                return Err(Exclusion::TooManyHours {
                    needs: effort,
                    has: 0,
                });
            } else {
                let days = (7 * effort).div_ceil(hpw);
                (u32::try_from(days).unwrap_or(u32::MAX), hpw, false)
            }
        }
    };
    let starts = match &cred.starts {
        Starts::Anytime => StartRule::Anytime,
        Starts::Months(m) => {
            let mut m: Vec<u32> = m.iter().copied().filter(|m| (1..=12).contains(m)).collect();
            m.sort_unstable();
            m.dedup();
            if m.is_empty() {
                return Err(Exclusion::NoStartDate);
            }
            StartRule::Months(m)
        }
        Starts::Dates(d) => {
            let mut days: Vec<u32> = d
                .iter()
                .filter(|&&d| d >= start)
                .filter_map(|&d| u32::try_from((d - start).num_days()).ok())
                .collect();
            days.sort_unstable();
            days.dedup();
            if days.is_empty() {
                return Err(Exclusion::NoStartDate);
            }
            StartRule::Days(days)
        }
    };
    let (cost, currency) = match &cred.cost {
        Some(m) => (to_minor(m.amount, &m.currency), Some(m.currency.clone())),
        None => (0, None),
    };
    Ok(Item {
        cred: c,
        cost,
        currency,
        effort,
        days,
        weekly: if days == 0 { 0 } else { weekly },
        fixed_pace,
        starts,
    })
}

/// Resolves the learner's own holdings and what they imply. Returns every
/// status (for reports) and, per id, the status that counts (the best
/// unexpired one, else the latest expired one).
fn resolve_holdings(
    catalog: &Catalog,
    holdings: &[Holding],
    start: Date,
) -> (Vec<HoldingStatus>, Vec<(CredentialId, HoldingStatus)>) {
    let mut statuses = Vec::new();
    let mut best: HashMap<CredentialId, HoldingStatus> = HashMap::new();
    // Prefer an unexpired status, then the learner's own holding over an
    // implied one, then the latest date.
    let rank = |st: &HoldingStatus| (!st.expired, matches!(st.via, HeldVia::Holding), st.earned);
    let consider = |st: HoldingStatus, best: &mut HashMap<CredentialId, HoldingStatus>| {
        if best.get(&st.id).is_none_or(|old| rank(&st) > rank(old)) {
            best.insert(st.id.clone(), st);
        }
    };
    let status = |id: &CredentialId, earned: Date, via: HeldVia| {
        let cred = catalog.get(id);
        let expires = cred.and_then(|c| c.expires_on(earned));
        HoldingStatus {
            id: id.clone(),
            earned,
            via,
            expires,
            expired: expires.is_some_and(|e| e < start),
            unknown: cred.is_none(),
        }
    };
    for h in holdings {
        let st = status(&h.id, h.earned, HeldVia::Holding);
        statuses.push(st.clone());
        consider(st, &mut best);
    }
    // Implied holdings: walk `necessary()` transitively from each holding,
    // dated like it. A component counts even if the award that implies it has
    // expired: the component was genuinely earned by that date.
    for h in holdings {
        let Some(root) = catalog.get(&h.id) else {
            continue;
        };
        let mut stack: Vec<&Requirement> = root.requires.iter().collect();
        let mut seen: Vec<&CredentialId> = vec![&h.id];
        while let Some(r) = stack.pop() {
            for id in r.necessary() {
                if seen.contains(&id) {
                    continue;
                }
                seen.push(id);
                let st = status(id, h.earned, HeldVia::Implied { by: h.id.clone() });
                statuses.push(st.clone());
                consider(st, &mut best);
                if let Some(c) = catalog.get(id) {
                    stack.extend(c.requires.iter());
                }
            }
        }
    }
    let mut direct: Vec<(CredentialId, HoldingStatus)> = best.into_iter().collect();
    direct.sort_by(|a, b| a.0.cmp(&b.0));
    (statuses, direct)
}

struct Builder<'c> {
    catalog: &'c Catalog,
    atoms: Vec<Atom>,
    by_cred: HashMap<CredIdx, AtomId>,
    by_id: HashMap<CredentialId, AtomId>,
    trees: Vec<Tree>,
}

impl Builder<'_> {
    fn atom_for_cred(&mut self, c: CredIdx) -> AtomId {
        if let Some(&a) = self.by_cred.get(&c) {
            return a;
        }
        let id = self.catalog.credential(c).id.clone();
        let a = self.atoms.len();
        self.atoms.push(Atom {
            id: id.clone(),
            cred: Some(c),
            requires: None,
            excluded: None,
        });
        self.by_cred.insert(c, a);
        self.by_id.insert(id, a);
        a
    }

    fn atom_for_id(&mut self, id: &CredentialId) -> AtomId {
        if let Some(&a) = self.by_id.get(id) {
            return a;
        }
        if let Some(c) = self.catalog.index_of(id) {
            return self.atom_for_cred(c);
        }
        let a = self.atoms.len();
        self.atoms.push(Atom {
            id: id.clone(),
            cred: None,
            requires: None,
            excluded: Some(Exclusion::Unknown),
        });
        self.by_id.insert(id.clone(), a);
        a
    }

    fn compile(&mut self, r: &Requirement) -> ReqId {
        let mut t = Tree::default();
        self.compile_node(r, &mut t, u32::MAX, false);
        self.trees.push(t);
        self.trees.len() - 1
    }

    fn compile_node(&mut self, r: &Requirement, t: &mut Tree, parent: u32, shared: bool) -> u32 {
        let me = t.nodes.len() as u32;
        let shared = shared || r.shared;
        t.nodes.push(Node {
            kind: NodeKind::All,
            shared,
            parent,
            children: 0..0,
        });
        let kind = match &r.kind {
            RequirementKind::Credential(id) => NodeKind::Id(self.atom_for_id(id)),
            RequirementKind::Credits {
                credits,
                unit,
                from,
                from_tags,
            } => {
                let begin = t.members.len() as u32;
                for c in self.catalog.pool(from, from_tags) {
                    let w = millicredits(self.catalog.credential(c).credits_in(unit));
                    if w > 0 {
                        let a = self.atom_for_cred(c);
                        t.members.push((a, w));
                    }
                }
                NodeKind::Pool {
                    need: millicredits(*credits).max(1),
                    members: begin..t.members.len() as u32,
                }
            }
            RequirementKind::All(_) => NodeKind::All,
            RequirementKind::Any(_) => NodeKind::Any,
            RequirementKind::AtLeast { k, of } => {
                if *k as usize >= of.len() {
                    NodeKind::All
                } else if *k <= 1 {
                    NodeKind::Any
                } else {
                    NodeKind::AtLeast(*k)
                }
            }
        };
        // Children are numbered in pre-order; their list is stored once all
        // of them (and their subtrees) are compiled.
        let kids: Vec<u32> = r
            .children()
            .iter()
            .map(|c| self.compile_node(c, t, me, shared))
            .collect();
        let begin = t.children.len() as u32;
        t.children.extend(kids);
        let node = &mut t.nodes[me as usize];
        node.kind = kind;
        node.children = begin..t.children.len() as u32;
        me
    }
}

#[derive(Debug, Clone, PartialEq)]
enum NodeKind {
    Id(AtomId),
    Pool {
        /// Credits needed, in thousandths.
        need: u64,
        members: std::ops::Range<u32>,
    },
    All,
    Any,
    AtLeast(u32),
}

#[derive(Debug, Clone, PartialEq)]
struct Node {
    kind: NodeKind,
    /// Under (or at) a node marked `shared`.
    shared: bool,
    parent: u32,
    children: std::ops::Range<u32>,
}

/// A requirement tree compiled over atoms, nodes in pre-order.
///
/// The oracle: shared subtrees are evaluated on their own. For the rest, an
/// atom is *contested* when it appears in two non-shared leaves that a single
/// satisfying witness may need together (their lowest common ancestor is an
/// `all` or an `at_least` with k ≥ 2; two leaves on different branches of an
/// `any` are never both needed). Uncontested held atoms count toward each of
/// their leaves; if no held atom is contested, plain evaluation is exact.
/// Otherwise a depth-first search assigns each contested held atom to one of
/// its leaves, scarcest atoms first, pruning with the optimistic evaluation
/// (unassigned atoms visible everywhere) and never assigning to a leaf whose
/// node or an ancestor is already satisfied (such an assignment is equivalent
/// to leaving the atom out, which monotonicity makes pointless). It is
/// complete: every assignment not pruned is explored.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tree {
    nodes: Vec<Node>,
    children: Vec<u32>,
    members: Vec<(AtomId, u64)>,
    /// Every atom the tree mentions, sorted.
    pub atoms: Vec<AtomId>,
    /// Contested atoms with their options `(leaf, weight)`, sorted by atom.
    contested: Vec<(AtomId, Vec<(u32, u64)>)>,
}

impl Tree {
    /// Number of nodes (pre-order, as [`Requirement::visit`] visits them).
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Whether node `n` is at or under a node marked `shared`.
    pub fn is_shared(&self, n: usize) -> bool {
        self.nodes[n].shared
    }

    fn remap(&mut self, perm: &[usize]) {
        for n in &mut self.nodes {
            if let NodeKind::Id(a) = &mut n.kind {
                *a = perm[*a];
            }
        }
        for (a, _) in &mut self.members {
            *a = perm[*a];
        }
    }

    /// Recomputes the derived data (atoms, contested occurrences).
    fn finalize(&mut self) {
        let mut atoms = Vec::new();
        let mut occ: HashMap<AtomId, Vec<(u32, u64)>> = HashMap::new();
        for (i, n) in self.nodes.iter().enumerate() {
            match &n.kind {
                NodeKind::Id(a) => {
                    atoms.push(*a);
                    if !n.shared {
                        occ.entry(*a).or_default().push((i as u32, 1));
                    }
                }
                NodeKind::Pool { members, .. } => {
                    for &(a, w) in &self.members[members.start as usize..members.end as usize] {
                        atoms.push(a);
                        if !n.shared {
                            occ.entry(a).or_default().push((i as u32, w));
                        }
                    }
                }
                _ => {}
            }
        }
        atoms.sort_unstable();
        atoms.dedup();
        self.atoms = atoms;
        let mut contested: Vec<(AtomId, Vec<(u32, u64)>)> = occ
            .into_iter()
            .filter(|(_, o)| {
                o.len() >= 2
                    && o.iter()
                        .enumerate()
                        .any(|(x, a)| o[x + 1..].iter().any(|b| self.conjunctive_lca(a.0, b.0)))
            })
            .collect();
        contested.sort_unstable_by_key(|(a, _)| *a);
        self.contested = contested;
    }

    fn depth(&self, mut n: u32) -> usize {
        let mut d = 0;
        while self.nodes[n as usize].parent != u32::MAX {
            n = self.nodes[n as usize].parent;
            d += 1;
        }
        d
    }

    /// Whether one witness may need both nodes: their lowest common ancestor
    /// is an `all` or an `at_least` (the same leaf twice is not a pair).
    fn conjunctive_lca(&self, mut a: u32, mut b: u32) -> bool {
        if a == b {
            return false;
        }
        let (mut da, mut db) = (self.depth(a), self.depth(b));
        while da > db {
            a = self.nodes[a as usize].parent;
            da -= 1;
        }
        while db > da {
            b = self.nodes[b as usize].parent;
            db -= 1;
        }
        while a != b {
            a = self.nodes[a as usize].parent;
            b = self.nodes[b as usize].parent;
        }
        matches!(
            self.nodes[a as usize].kind,
            NodeKind::All | NodeKind::AtLeast(_)
        )
    }

    fn kids(&self, n: usize) -> &[u32] {
        let r = &self.nodes[n].children;
        &self.children[r.start as usize..r.end as usize]
    }

    fn pool_members(&self, r: &std::ops::Range<u32>) -> &[(AtomId, u64)] {
        &self.members[r.start as usize..r.end as usize]
    }

    /// Plain evaluation, every held atom visible to every leaf.
    fn eval_held(&self, n: usize, held: &BitSet) -> bool {
        match &self.nodes[n].kind {
            NodeKind::Id(a) => held.contains(*a),
            NodeKind::Pool { need, members } => {
                let mut sum = 0;
                for &(a, w) in self.pool_members(members) {
                    if held.contains(a) {
                        sum += w;
                        if sum >= *need {
                            return true;
                        }
                    }
                }
                false
            }
            NodeKind::All => self
                .kids(n)
                .iter()
                .all(|&c| self.eval_held(c as usize, held)),
            NodeKind::Any => self
                .kids(n)
                .iter()
                .any(|&c| self.eval_held(c as usize, held)),
            NodeKind::AtLeast(k) => {
                let kids = self.kids(n);
                let mut got = 0;
                for (i, &c) in kids.iter().enumerate() {
                    if self.eval_held(c as usize, held) {
                        got += 1;
                        if got >= *k {
                            return true;
                        }
                    } else if got + ((kids.len() - i - 1) as u32) < *k {
                        return false;
                    }
                }
                false
            }
        }
    }

    fn need(&self, n: usize) -> u64 {
        match &self.nodes[n].kind {
            NodeKind::Pool { need, .. } => *need,
            _ => 1,
        }
    }

    /// Evaluates every node bottom-up from per-leaf amounts; shared nodes
    /// take their precomputed value.
    fn values(&self, amounts: &[u64], shared_val: &[bool], out: &mut [bool]) {
        for n in (0..self.nodes.len()).rev() {
            let node = &self.nodes[n];
            out[n] = if node.shared {
                shared_val[n]
            } else {
                match &node.kind {
                    NodeKind::Id(_) | NodeKind::Pool { .. } => amounts[n] >= self.need(n),
                    NodeKind::All => self.kids(n).iter().all(|&c| out[c as usize]),
                    NodeKind::Any => self.kids(n).iter().any(|&c| out[c as usize]),
                    NodeKind::AtLeast(k) => {
                        self.kids(n).iter().filter(|&&c| out[c as usize]).count() as u32 >= *k
                    }
                }
            };
        }
    }

    /// The exact oracle. `want_assignment` false skips building the
    /// assignment (it returns an empty one on success).
    pub fn satisfied(&self, held: &BitSet, want_assignment: bool) -> Option<Assignment> {
        if self.nodes.is_empty() {
            return Some(Assignment::default());
        }
        // Optimistic evaluation: a necessary condition, and exact when no
        // held atom is contested.
        if !self.eval_held(0, held) {
            return None;
        }
        let live: Vec<usize> = (0..self.contested.len())
            .filter(|&i| held.contains(self.contested[i].0))
            .collect();
        if live.is_empty() && !want_assignment {
            return Some(Assignment::default());
        }
        let n = self.nodes.len();
        let mut shared_val = vec![false; n];
        let mut committed = vec![0u64; n];
        for (i, node) in self.nodes.iter().enumerate() {
            if node.shared {
                shared_val[i] = self.eval_held(i, held);
                continue;
            }
            match &node.kind {
                NodeKind::Id(a) if held.contains(*a) && self.contested_index(*a).is_none() => {
                    committed[i] = 1;
                }
                NodeKind::Pool { members, .. } => {
                    committed[i] = self
                        .pool_members(members)
                        .iter()
                        .filter(|(a, _)| held.contains(*a) && self.contested_index(*a).is_none())
                        .map(|(_, w)| w)
                        .sum();
                }
                _ => {}
            }
        }
        let mut potential = committed.clone();
        for &c in &live {
            for &(leaf, w) in &self.contested[c].1 {
                potential[leaf as usize] += w;
            }
        }
        let mut order = live;
        order.sort_by_key(|&c| (self.contested[c].1.len(), c));
        let mut search = Search {
            tree: self,
            shared_val,
            committed,
            potential,
            order,
            choice: Vec::new(),
            scratch: vec![false; n],
        };
        if !search.dfs(0) {
            return None;
        }
        if !want_assignment {
            return Some(Assignment::default());
        }
        Some(search.assignment(held))
    }

    fn contested_index(&self, a: AtomId) -> Option<usize> {
        if self.contested.is_empty() {
            return None;
        }
        self.contested.binary_search_by_key(&a, |(x, _)| *x).ok()
    }

    /// Marks the nodes of one minimal witness, given node values.
    fn witness(&self, n: usize, val: &[bool], out: &mut Vec<usize>) {
        match &self.nodes[n].kind {
            NodeKind::Id(_) | NodeKind::Pool { .. } => out.push(n),
            NodeKind::All => {
                for &c in self.kids(n) {
                    self.witness(c as usize, val, out);
                }
            }
            NodeKind::Any => {
                if let Some(&c) = self.kids(n).iter().find(|&&c| val[c as usize]) {
                    self.witness(c as usize, val, out);
                }
            }
            NodeKind::AtLeast(k) => {
                for &c in self
                    .kids(n)
                    .iter()
                    .filter(|&&c| val[c as usize])
                    .take(*k as usize)
                {
                    self.witness(c as usize, val, out);
                }
            }
        }
    }
}

/// The assignment an audit shows: every non-shared leaf with the held atoms
/// counted there (each atom at most once), shared leaves with every held
/// member, and the value of every node under that assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BestAssignment {
    /// Per node (pre-order), the atoms counted there; empty for inner nodes.
    pub atoms: Vec<Vec<AtomId>>,
    /// Per node: satisfied under this assignment.
    pub satisfied: Vec<bool>,
    /// Per leaf: the amount counted (1 per id, thousandths of a credit in a
    /// pool); 0 for inner nodes.
    pub amounts: Vec<u64>,
    /// False when a search limit cut the maximisation short; the assignment
    /// is then still valid, just perhaps not the best.
    pub exact: bool,
}

/// A read-only view of one compiled node, for analyses outside this module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeView<'t> {
    Id(AtomId),
    /// Credits needed (thousandths) and the members with their credits.
    Pool {
        need: u64,
        members: &'t [(AtomId, u64)],
    },
    All(&'t [u32]),
    Any(&'t [u32]),
    AtLeast(u32, &'t [u32]),
}

impl Tree {
    /// Node `n` (0 is the root).
    pub fn view(&self, n: usize) -> NodeView<'_> {
        match &self.nodes[n].kind {
            NodeKind::Id(a) => NodeView::Id(*a),
            NodeKind::Pool { need, members } => NodeView::Pool {
                need: *need,
                members: self.pool_members(members),
            },
            NodeKind::All => NodeView::All(self.kids(n)),
            NodeKind::Any => NodeView::Any(self.kids(n)),
            NodeKind::AtLeast(k) => NodeView::AtLeast(*k, self.kids(n)),
        }
    }

    /// Plain evaluation of node `n`, every held atom visible to every leaf:
    /// an upper bound on the exact (counting) answer.
    pub fn eval_optimistic(&self, n: usize, held: &BitSet) -> bool {
        self.eval_held(n, held)
    }

    /// Every atom mentioned at or under node `n`.
    pub fn atoms_under(&self, n: usize, out: &mut Vec<AtomId>) {
        match self.view(n) {
            NodeView::Id(a) => out.push(a),
            NodeView::Pool { members, .. } => out.extend(members.iter().map(|m| m.0)),
            NodeView::All(k) | NodeView::Any(k) | NodeView::AtLeast(_, k) => {
                for &c in k {
                    self.atoms_under(c as usize, out);
                }
            }
        }
    }
}

impl Tree {
    /// Amount needed at a leaf: 1 for an id, thousandths of credits for a
    /// pool.
    pub fn leaf_need(&self, n: usize) -> Option<u64> {
        match &self.nodes[n].kind {
            NodeKind::Id(_) => Some(1),
            NodeKind::Pool { need, .. } => Some(*need),
            _ => None,
        }
    }

    /// The children of node `n`.
    pub fn node_children(&self, n: usize) -> impl Iterator<Item = usize> + '_ {
        self.kids(n).iter().map(|&c| c as usize)
    }

    /// `k` for an inner node: how many children must be satisfied.
    pub fn needed_children(&self, n: usize) -> Option<usize> {
        match &self.nodes[n].kind {
            NodeKind::All => Some(self.kids(n).len()),
            NodeKind::Any => Some(1),
            NodeKind::AtLeast(k) => Some(*k as usize),
            _ => None,
        }
    }

    /// The assignment that maximises, lexicographically: the tree satisfied,
    /// the number of satisfied nodes, and the progress summed over leaves (each leaf's counted amount
    /// capped at its need, as a share of it). Branch and bound over the held
    /// atoms that more than one non-shared leaf could use, bounded by the
    /// score with every unplaced atom visible everywhere; `node_limit` caps
    /// the search (then `exact` is false).
    pub fn best_assignment(&self, held: &BitSet, node_limit: usize) -> BestAssignment {
        let n = self.nodes.len();
        let mut shared_val = vec![false; n];
        let mut base = vec![0u64; n];
        let mut base_atoms: Vec<Vec<AtomId>> = vec![Vec::new(); n];
        let mut occ: HashMap<AtomId, Vec<(u32, u64)>> = HashMap::new();
        for (i, node) in self.nodes.iter().enumerate() {
            if node.shared {
                shared_val[i] = self.eval_held(i, held);
            }
            let members: Vec<(AtomId, u64)> = match &node.kind {
                NodeKind::Id(a) => vec![(*a, 1)],
                NodeKind::Pool { members, .. } => self.pool_members(members).to_vec(),
                _ => continue,
            };
            for (a, w) in members {
                if !held.contains(a) {
                    continue;
                }
                if node.shared {
                    base[i] += w;
                    base_atoms[i].push(a);
                } else {
                    occ.entry(a).or_default().push((i as u32, w));
                }
            }
        }
        let mut multi: Vec<(AtomId, Vec<(u32, u64)>)> = Vec::new();
        for (a, o) in occ {
            if o.len() == 1 {
                base[o[0].0 as usize] += o[0].1;
                base_atoms[o[0].0 as usize].push(a);
            } else {
                multi.push((a, o));
            }
        }
        multi.sort_unstable_by_key(|(a, o)| (o.len(), *a));

        let mut potential = base.clone();
        for (_, opts) in &multi {
            for &(l, w) in opts {
                potential[l as usize] += w;
            }
        }
        let mut bb = BestSearch {
            tree: self,
            shared_val,
            amounts: base,
            potential,
            multi: &multi,
            choice: vec![u32::MAX; multi.len()],
            best_score: None,
            best_choice: Vec::new(),
            nodes: 0,
            limit: node_limit,
            scratch: vec![false; n],
        };
        bb.dfs(0);
        let exact = bb.nodes <= node_limit;
        let best_choice = bb.best_choice.clone();
        let mut amounts = bb.amounts.clone();
        let mut atoms = base_atoms;
        for (i, &leaf) in best_choice.iter().enumerate() {
            if leaf != u32::MAX {
                let w = multi[i]
                    .1
                    .iter()
                    .find(|(l, _)| *l == leaf)
                    .map_or(0, |o| o.1);
                amounts[leaf as usize] += w;
            }
        }
        for (i, &leaf) in best_choice.iter().enumerate() {
            if leaf != u32::MAX {
                atoms[leaf as usize].push(multi[i].0);
            }
        }
        for a in &mut atoms {
            a.sort_unstable();
        }
        let mut satisfied = vec![false; n];
        self.values(&amounts, &bb.shared_val, &mut satisfied);
        BestAssignment {
            atoms,
            satisfied,
            amounts,
            exact,
        }
    }

    /// (root satisfied, satisfied nodes, capped progress in thousandths).
    fn score(&self, amounts: &[u64], val: &[bool]) -> (bool, usize, u64) {
        let mut progress = 0;
        for (i, node) in self.nodes.iter().enumerate() {
            if matches!(node.kind, NodeKind::Id(_) | NodeKind::Pool { .. }) {
                let need = self.need(i);
                progress += amounts[i].min(need) * 1000 / need;
            }
        }
        (val[0], val.iter().filter(|&&v| v).count(), progress)
    }
}

struct BestSearch<'t> {
    tree: &'t Tree,
    shared_val: Vec<bool>,
    amounts: Vec<u64>,
    potential: Vec<u64>,
    multi: &'t [(AtomId, Vec<(u32, u64)>)],
    choice: Vec<u32>,
    best_score: Option<(bool, usize, u64)>,
    best_choice: Vec<u32>,
    nodes: usize,
    limit: usize,
    scratch: Vec<bool>,
}

impl BestSearch<'_> {
    fn dfs(&mut self, depth: usize) {
        self.nodes += 1;
        let t = self.tree;
        let mut val = std::mem::take(&mut self.scratch);
        if depth == self.multi.len() {
            t.values(&self.amounts, &self.shared_val, &mut val);
            let score = t.score(&self.amounts, &val);
            self.scratch = val;
            if self.best_score.is_none_or(|b| score > b) {
                self.best_score = Some(score);
                self.best_choice = self.choice.clone();
            }
            return;
        }
        if self.nodes > self.limit && self.best_score.is_some() {
            self.scratch = val;
            return;
        }
        t.values(&self.potential, &self.shared_val, &mut val);
        let bound = t.score(&self.potential, &val);
        self.scratch = val;
        if self.best_score.is_some_and(|b| bound <= b) {
            return;
        }
        let opts = &self.multi[depth].1;
        for &(l, w) in opts {
            self.potential[l as usize] -= w;
        }
        // Most needy leaf first: a good incumbent early prunes the rest.
        let mut order: Vec<(u32, u64)> = opts.clone();
        order.sort_by_key(|&(l, _)| {
            let need = t.need(l as usize);
            std::cmp::Reverse(need.saturating_sub(self.amounts[l as usize]).min(need) * 1000 / need)
        });
        for (l, w) in order {
            self.amounts[l as usize] += w;
            self.potential[l as usize] += w;
            self.choice[depth] = l;
            self.dfs(depth + 1);
            self.amounts[l as usize] -= w;
            self.potential[l as usize] -= w;
        }
        self.choice[depth] = u32::MAX;
        for &(l, w) in opts {
            self.potential[l as usize] += w;
        }
    }
}

struct Search<'t> {
    tree: &'t Tree,
    shared_val: Vec<bool>,
    committed: Vec<u64>,
    potential: Vec<u64>,
    /// Contested held atoms (indices into `tree.contested`), scarcest first.
    order: Vec<usize>,
    /// The leaf each atom of `order` went to so far (`u32::MAX`: none).
    choice: Vec<u32>,
    scratch: Vec<bool>,
}

impl Search<'_> {
    fn dfs(&mut self, depth: usize) -> bool {
        let t = self.tree;
        let mut val = std::mem::take(&mut self.scratch);
        t.values(&self.committed, &self.shared_val, &mut val);
        if val[0] {
            self.scratch = val;
            return true;
        }
        if depth == self.order.len() {
            self.scratch = val;
            return false;
        }
        let mut pot = vec![false; t.nodes.len()];
        t.values(&self.potential, &self.shared_val, &mut pot);
        if !pot[0] {
            self.scratch = val;
            return false;
        }
        let options = &t.contested[self.order[depth]].1;
        // Leaves whose node or an ancestor is already satisfied gain nothing.
        let useful: Vec<(u32, u64)> = options
            .iter()
            .copied()
            .filter(|&(leaf, _)| {
                let mut n = leaf;
                loop {
                    if val[n as usize] {
                        return false;
                    }
                    n = t.nodes[n as usize].parent;
                    if n == u32::MAX {
                        return true;
                    }
                }
            })
            .collect();
        self.scratch = val;
        for &(leaf, w) in options {
            self.potential[leaf as usize] -= w;
        }
        let mut found = false;
        if useful.is_empty() {
            self.choice.push(u32::MAX);
            found = self.dfs(depth + 1);
            if !found {
                self.choice.pop();
            }
        } else {
            for &(leaf, w) in &useful {
                self.committed[leaf as usize] += w;
                self.potential[leaf as usize] += w;
                self.choice.push(leaf);
                if self.dfs(depth + 1) {
                    found = true;
                    break;
                }
                self.choice.pop();
                self.committed[leaf as usize] -= w;
                self.potential[leaf as usize] -= w;
            }
        }
        if !found {
            for &(leaf, w) in options {
                self.potential[leaf as usize] += w;
            }
        }
        found
    }

    fn assignment(&self, held: &BitSet) -> Assignment {
        let t = self.tree;
        let mut val = vec![false; t.nodes.len()];
        t.values(&self.committed, &self.shared_val, &mut val);
        let mut leaves = Vec::new();
        t.witness(0, &val, &mut leaves);
        let mut chosen: HashMap<AtomId, u32> = HashMap::new();
        for (d, &c) in self.choice.iter().enumerate() {
            chosen.insert(t.contested[self.order[d]].0, c);
        }
        let mut used: Vec<AtomId> = Vec::new();
        let mut out = Vec::new();
        for leaf in leaves {
            let node = &t.nodes[leaf];
            let counts = |a: AtomId, used: &[AtomId]| {
                held.contains(a)
                    && (node.shared
                        || match chosen.get(&a) {
                            Some(&l) => l as usize == leaf,
                            None => t.contested_index(a).is_none() && !used.contains(&a),
                        })
            };
            let atoms: Vec<AtomId> = match &node.kind {
                NodeKind::Id(a) => {
                    if counts(*a, &used) {
                        vec![*a]
                    } else {
                        Vec::new()
                    }
                }
                NodeKind::Pool { members, .. } => t
                    .pool_members(members)
                    .iter()
                    .map(|&(a, _)| a)
                    .filter(|&a| counts(a, &used))
                    .collect(),
                _ => Vec::new(),
            };
            if !node.shared {
                used.extend(atoms.iter().copied());
            }
            out.push((leaf, atoms));
        }
        Assignment { leaves: out }
    }
}

/// Incremental closure: add items one at a time; each is finished as soon as
/// its requirements are met, and finishing it may release others (and grant
/// credentials through equivalences). Changes are logged so a caller can try
/// an addition and roll it back.
#[derive(Debug, Clone)]
pub struct Propagator<'i> {
    inst: &'i Instance,
    pub held: BitSet,
    /// Items added (finished or waiting).
    pub member: BitSet,
    /// Items finished.
    pub done: BitSet,
    /// Finished items in a well-founded order.
    pub order: Vec<ItemId>,
    trail: Vec<Change>,
    queue: Vec<AtomId>,
}

#[derive(Debug, Clone, Copy)]
enum Change {
    Held(AtomId),
    Member(ItemId),
    Done(ItemId),
}

impl<'i> Propagator<'i> {
    pub fn new(inst: &'i Instance) -> Self {
        let mut held = inst.initial.clone();
        held.grow(inst.atoms.len());
        Propagator {
            inst,
            held,
            member: BitSet::with_capacity(inst.items.len()),
            done: BitSet::with_capacity(inst.items.len()),
            order: Vec::new(),
            trail: Vec::new(),
            queue: Vec::new(),
        }
    }

    pub fn target_held(&self) -> bool {
        self.held.contains(self.inst.target)
    }

    /// A point to [`Propagator::rollback`] to.
    pub fn mark(&self) -> usize {
        self.trail.len()
    }

    pub fn rollback(&mut self, mark: usize) {
        while self.trail.len() > mark {
            match self.trail.pop().expect("non-empty") {
                Change::Held(a) => self.held.set(a, false),
                Change::Member(i) => self.member.set(i, false),
                Change::Done(i) => {
                    self.done.set(i, false);
                    self.order.pop();
                }
            }
        }
    }

    /// Adds item `i`; finishes it and everything it releases if ready. With
    /// `stop_at_target`, propagation stops as soon as the target is held.
    pub fn add(&mut self, i: ItemId) {
        self.add_inner(i, false);
    }

    /// Adds `i` unless that makes the target held; returns whether it was
    /// kept.
    pub fn try_add_keeping_target_unheld(&mut self, i: ItemId) -> bool {
        let m = self.mark();
        self.add_inner(i, true);
        if self.target_held() {
            self.rollback(m);
            false
        } else {
            true
        }
    }

    fn add_inner(&mut self, i: ItemId, stop_at_target: bool) {
        if self.member.contains(i) {
            return;
        }
        self.member.insert(i);
        self.trail.push(Change::Member(i));
        if self.held.contains(i) {
            // Already granted through an equivalence: nothing to finish.
            return;
        }
        if self.inst.requires_met(i, &self.held) {
            self.finish(i);
            self.propagate(stop_at_target);
        }
    }

    fn finish(&mut self, i: ItemId) {
        self.done.insert(i);
        self.order.push(i);
        self.trail.push(Change::Done(i));
        self.hold(i);
    }

    fn hold(&mut self, a: AtomId) {
        if !self.held.contains(a) {
            self.held.insert(a);
            self.trail.push(Change::Held(a));
            self.queue.push(a);
        }
    }

    fn propagate(&mut self, stop_at_target: bool) {
        while let Some(a) = self.queue.pop() {
            if stop_at_target && self.held.contains(self.inst.target) {
                self.queue.clear();
                return;
            }
            let inst = self.inst;
            for &w in &inst.watchers[a] {
                match w {
                    Watcher::Item(j) => {
                        if self.member.contains(j)
                            && !self.done.contains(j)
                            && !self.held.contains(j)
                            && inst.requires_met(j, &self.held)
                        {
                            self.finish(j);
                        }
                    }
                    Watcher::Equiv(e) => {
                        let eq = &inst.equivalences[e];
                        if !self.held.contains(eq.grants) && inst.is_satisfied(eq.when, &self.held)
                        {
                            self.hold(eq.grants);
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::*;

    /// The instance for target `t` requiring `r`, over courses `a`..`f`
    /// worth 2 ECTS each (3 for `c`), all tagged `e`.
    fn setup(r: Requirement) -> Instance {
        let mut creds: Vec<C> = ["a", "b", "c", "d", "e", "f"]
            .iter()
            .map(|l| cred(l).credits(if *l == "c" { 3.0 } else { 2.0 }).tag("e"))
            .collect();
        creds.push(cred("t").requires(r));
        let cat = catalog(creds, vec![]);
        Instance::build(&cat, &id("t"), &[], date("2027-01-04"), 10.0, &[])
    }

    fn held(inst: &Instance, locals: &[&str]) -> BitSet {
        let mut s = BitSet::with_capacity(inst.n_atoms());
        for l in locals {
            if let Some(a) = inst.atom_of_id(&id(l)) {
                s.insert(a);
            }
        }
        s
    }

    fn sat(inst: &Instance, locals: &[&str]) -> bool {
        let r = inst.atoms[inst.target]
            .requires
            .expect("target has requires");
        let h = held(inst, locals);
        let quick = inst.is_satisfied(r, &h);
        let full = inst.satisfied(r, &h);
        assert_eq!(quick, full.is_some());
        if let Some(asg) = full {
            // A non-shared atom never counts twice.
            let mut seen = Vec::new();
            let tree = &inst.trees[r];
            for (leaf, atoms) in &asg.leaves {
                if tree.is_shared(*leaf) {
                    continue;
                }
                for a in atoms {
                    assert!(!seen.contains(a), "atom counted twice: {asg:?}");
                    seen.push(*a);
                }
            }
        }
        quick
    }

    #[test]
    fn a_credential_counts_toward_one_leaf_only() {
        let inst = setup(all(vec![leaf("a"), credits(4.0, &["a", "b", "d"], &[])]));
        assert!(!sat(&inst, &["a", "b"]));
        assert!(sat(&inst, &["a", "b", "d"]));
    }

    #[test]
    fn shared_leaves_reuse_credentials() {
        let inst = setup(all(vec![leaf("a"), shared(credits(4.0, &["a", "b"], &[]))]));
        assert!(sat(&inst, &["a", "b"]));
        assert!(!sat(&inst, &["a"]));
    }

    #[test]
    fn branches_of_an_any_may_name_the_same_credential() {
        let inst = setup(any(vec![leaf("a"), all(vec![leaf("a"), leaf("b")])]));
        assert!(sat(&inst, &["a"]));
    }

    #[test]
    fn the_same_id_twice_in_an_all_needs_it_twice() {
        let inst = setup(all(vec![leaf("a"), leaf("a")]));
        assert!(!sat(&inst, &["a", "b"]));
    }

    #[test]
    fn at_least_and_a_tag_pool_share_out_the_electives() {
        let inst = setup(all(vec![
            at_least(2, vec![leaf("a"), leaf("b"), leaf("d")]),
            credits(4.0, &[], &["e"]),
        ]));
        assert!(!sat(&inst, &["a", "b", "d"]));
        assert!(sat(&inst, &["a", "b", "d", "e"]));
        assert!(sat(&inst, &["a", "b", "e", "f"]));
        assert!(!sat(&inst, &["a", "b", "e"]));
    }

    #[test]
    fn pools_are_filled_by_an_exact_search_not_greedily() {
        // a (2) could go to either pool; the first pool must get b and c.
        let inst = setup(all(vec![
            credits(5.0, &["a", "b", "c"], &[]),
            credits(2.0, &["a"], &[]),
        ]));
        assert!(sat(&inst, &["a", "b", "c"]));
        assert!(!sat(&inst, &["a", "c"]));
    }

    #[test]
    fn an_assignment_names_what_counts_where() {
        let inst = setup(all(vec![leaf("a"), credits(4.0, &[], &["e"])]));
        let r = inst.atoms[inst.target].requires.expect("requires");
        let asg = inst
            .satisfied(r, &held(&inst, &["a", "b", "d"]))
            .expect("satisfied");
        let a = inst.atom_of_id(&id("a")).expect("a");
        let b = inst.atom_of_id(&id("b")).expect("b");
        let d = inst.atom_of_id(&id("d")).expect("d");
        let mut pool = asg.leaves[1].1.clone();
        pool.sort_unstable();
        let mut want = vec![b, d];
        want.sort_unstable();
        assert_eq!(asg.leaves[0], (1, vec![a]));
        assert_eq!(pool, want);
    }

    #[test]
    fn soft_cycles_are_well_founded() {
        let cat = catalog(
            vec![
                cred("x"),
                cred("y").not_earnable(),
                cred("a").requires(any(vec![leaf("b"), leaf("x")])),
                cred("b").requires(any(vec![leaf("a"), leaf("y")])),
                cred("t").requires(all(vec![leaf("a"), leaf("b")])),
            ],
            vec![],
        );
        let inst = Instance::build(&cat, &id("t"), &[], date("2027-01-04"), 10.0, &[]);
        let item = |l: &str| inst.atom_of_id(&id(l)).expect("relevant");
        let mut set = BitSet::with_capacity(inst.n_items());
        set.insert(item("a"));
        set.insert(item("b"));
        set.insert(item("t"));
        let c = inst.closure(&set);
        assert!(!c.target_held);
        assert_eq!(c.stuck.len(), 3);
        set.insert(item("x"));
        let c = inst.closure(&set);
        assert!(c.target_held);
        assert_eq!(c.order, vec![item("x"), item("a"), item("b"), item("t")]);
    }

    #[test]
    fn holdings_expire_imply_and_grant() {
        let cat = catalog(
            vec![
                cred("a").valid_for(12),
                cred("b"),
                cred("c"),
                cred("m").requires(all(vec![leaf("b"), any(vec![leaf("c"), leaf("a")])])),
                cred("g").not_earnable(),
                cred("t").requires(all(vec![leaf("a"), leaf("b"), leaf("g")])),
            ],
            vec![equiv("g", leaf("m"))],
        );
        let inst = Instance::build(
            &cat,
            &id("t"),
            &[holding("a", "2020-01-01"), holding("m", "2026-01-01")],
            date("2027-01-04"),
            10.0,
            &[],
        );
        let at = |l: &str| inst.atom_of_id(&id(l)).expect("relevant");
        assert!(!inst.initial.contains(at("a")), "a expired");
        assert!(inst.initial.contains(at("b")), "b implied by m");
        assert!(!inst.initial.contains(at("c")), "c is not necessary for m");
        assert!(inst.initial.contains(at("g")), "g granted by m");
        assert!(matches!(
            inst.held_via[at("b")].as_ref().map(|h| &h.via),
            Some(HeldVia::Implied { .. })
        ));
        assert!(matches!(
            inst.held_via[at("g")].as_ref().map(|h| &h.via),
            Some(HeldVia::Granted { .. })
        ));
        assert!(inst.holdings.iter().any(|h| h.id == id("a") && h.expired));
        // a, c (relevant through m's requirements) and the target are left.
        assert_eq!(inst.n_items(), 3);
        let mut done = BitSet::with_capacity(inst.n_items());
        assert!(!inst.target_held(&done));
        assert!(!inst.ready(at("t"), &done));
        done.insert(at("a"));
        assert!(inst.ready(at("t"), &done));
    }

    #[test]
    fn durations_follow_the_spec() {
        let cat = catalog(
            vec![
                cred("self").effort(25.0),
                cred("fixed").effort(40.0).weeks(4.5),
                cred("heavy").effort(120.0).weeks(10.0),
                cred("t").requires(all(vec![leaf("self"), leaf("fixed"), leaf("heavy")])),
            ],
            vec![],
        );
        let inst = Instance::build(&cat, &id("t"), &[], date("2027-01-04"), 10.0, &[]);
        let at = |l: &str| inst.atom_of_id(&id(l)).expect("relevant");
        assert_eq!(inst.items[at("self")].days, 18); // ceil(7 * 25 / 10)
        assert_eq!(inst.items[at("fixed")].days, 32); // ceil(7 * 4.5)
        assert_eq!(
            inst.atoms[at("heavy")].excluded,
            Some(Exclusion::TooManyHours {
                needs: 1200,
                has: 1000
            })
        );
    }
}
