//! Brute-force references for the planner's exact parts, on thousands of
//! random tiny catalogs (fixed seeds) using every construct of the format:
//! k-of-n, credit pools by ids and by tags, shared nodes, equivalences
//! (including earning a `when` credential to get its grant), soft cycles,
//! `earnable: false`, avoided credentials, expiry, implied holdings and
//! budgets.
//!
//! The references share nothing with the planner but the model types: they
//! resolve holdings themselves, decide a requirement by trying every way of
//! assigning held credentials to leaves, check a set of items by the plain
//! fixpoint, and find the optimum by enumerating every subset of the
//! catalog's credentials.

#[path = "../src/fixtures.rs"]
mod fixtures;

use std::collections::{BTreeMap, BTreeSet};

use fixtures::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use stackpath_model::{Catalog, CredentialId, Date, Holding, Requirement, RequirementKind};
use stackpath_planner::instance::{BitSet, Instance};
use stackpath_planner::select::{
    dominance_pairs, select, Budget, NoSelection, SelectOptions, SetObjective,
};

const START: &str = "2027-01-04";

/// The seed offset: 0 in CI; set `STACKPATH_SEED` to explore other cases.
fn seed(base: u64) -> u64 {
    base + std::env::var("STACKPATH_SEED")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(0)
}

/// Cases per test: set `STACKPATH_CASES` to run more.
fn cases(default: usize) -> usize {
    std::env::var("STACKPATH_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

// ---------------------------------------------------------------------------
// Random catalogs

struct World {
    catalog: Catalog,
    holdings: Vec<Holding>,
    avoid: Vec<CredentialId>,
    budget: Option<i64>,
}

const NAMES: [&str; 7] = ["a", "b", "c", "d", "e", "f", "g"];

thread_local! {
    /// Generate prerequisite chains: most credentials require something,
    /// mostly through `all` nodes, so many items are forced (or forced
    /// unless an equivalence grants them) and choosing one switches on the
    /// constraints of a whole chain.
    static CHAINS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn chains() -> bool {
    CHAINS.with(|c| c.get())
}

thread_local! {
    /// Generate program-shaped targets: core courses, `at_least` k of some
    /// electives and credit pools over overlapping members, with courses of
    /// 1 to 4 credits priced by the credit (near-ties everywhere), the shape
    /// where the counting rule decides which elective counts where.
    static PROGRAMS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn programs() -> bool {
    PROGRAMS.with(|c| c.get())
}

fn program_req(rng: &mut ChaCha8Rng, names: &[&str]) -> Requirement {
    let some = |rng: &mut ChaCha8Rng, p: f64| -> Vec<&str> {
        names.iter().copied().filter(|_| rng.gen_bool(p)).collect()
    };
    let p = if rng.gen_bool(0.5) { 0.85 } else { 0.6 };
    let mut kids = Vec::new();
    if rng.gen_bool(0.4) {
        kids.push(leaf(names[rng.gen_range(0..names.len())]));
    }
    let electives = some(rng, p);
    if !electives.is_empty() {
        let k = rng.gen_range(1..=electives.len().min(3)) as u32;
        kids.push(at_least(k, electives.iter().map(|e| leaf(e)).collect()));
    }
    for _ in 0..rng.gen_range(1..3) {
        let from = some(rng, p);
        let tags: &[&str] = if rng.gen_bool(0.3) || from.is_empty() {
            &["p"]
        } else {
            &[]
        };
        kids.push(credits(f64::from(rng.gen_range(1..10)), &from, tags));
    }
    all(kids)
}

fn random_req(rng: &mut ChaCha8Rng, names: &[&str], depth: u32) -> Requirement {
    let pick = |rng: &mut ChaCha8Rng| -> String {
        if rng.gen_bool(0.05) {
            "zz".to_string() // defined by no file
        } else {
            names[rng.gen_range(0..names.len())].to_string()
        }
    };
    let roll = if depth == 0 {
        0
    } else if chains() && rng.gen_bool(0.4) {
        3
    } else {
        rng.gen_range(0..7)
    };
    let mut r = match roll {
        0 | 1 => leaf(&pick(rng)),
        2 => {
            let from: Vec<String> = (0..rng.gen_range(0..3)).map(|_| pick(rng)).collect();
            let from: Vec<&str> = from.iter().map(String::as_str).collect();
            let tags: Vec<&str> = if rng.gen_bool(0.6) { vec!["p"] } else { vec![] };
            let from = if from.is_empty() && tags.is_empty() {
                vec![names[0]]
            } else {
                from
            };
            credits(f64::from(rng.gen_range(1..7)), &from, &tags)
        }
        _ => {
            let n = rng.gen_range(1..4);
            let kids: Vec<Requirement> =
                (0..n).map(|_| random_req(rng, names, depth - 1)).collect();
            match roll {
                3 => all(kids),
                4 => any(kids),
                _ => {
                    let k = rng.gen_range(1..=n) as u32;
                    at_least(k, kids)
                }
            }
        }
    };
    if !matches!(r.kind, RequirementKind::Credential(_)) && rng.gen_bool(0.12) {
        r.shared = true;
    }
    r
}

fn random_world(rng: &mut ChaCha8Rng) -> World {
    let n = rng.gen_range(2..=6);
    let names = &NAMES[..n];
    let mut all_names: Vec<&str> = names.to_vec();
    all_names.push("t");
    let mut creds = Vec::new();
    for &name in names {
        let mut c = if programs() {
            let credits = rng.gen_range(1..5);
            cred(name)
                .cost(f64::from(credits * 100 + rng.gen_range(0..30)))
                .effort(f64::from(credits * 10))
                .credits(f64::from(credits))
        } else {
            cred(name)
                .cost(f64::from(rng.gen_range(0..6)) * 100.0)
                .effort(f64::from(rng.gen_range(0..4)) * 10.0)
                .credits(f64::from(rng.gen_range(1..4)))
        };
        if rng.gen_bool(0.08) {
            c = c.cost_in(300.0, "EUR");
        }
        if rng.gen_bool(0.5) {
            c = c.tag("p");
        }
        if rng.gen_bool(0.1) {
            c = c.not_earnable();
        }
        if rng.gen_bool(0.15) {
            c = c.valid_for(12);
        }
        if programs() {
            // Often the same small requirement, so that items are
            // interchangeable but for their price (dominance).
            if rng.gen_bool(0.35) {
                c = c.requires(match rng.gen_range(0..5) {
                    0 | 1 => leaf(names[0]),
                    2 => leaf(names[1]),
                    3 => any(vec![leaf(names[0]), leaf(names[1])]),
                    _ => random_req(rng, &all_names, 2),
                });
            }
        } else if rng.gen_bool(if chains() { 0.8 } else { 0.45 }) {
            c = c.requires(random_req(rng, &all_names, 2));
        }
        creds.push(c);
    }
    let mut t = cred("t").cost(f64::from(rng.gen_range(0..3)) * 50.0);
    if rng.gen_bool(0.1) {
        t = t.not_earnable();
    }
    let target = if programs() {
        program_req(rng, names)
    } else {
        random_req(rng, names, 3)
    };
    creds.push(t.requires(target));
    let mut eqs = Vec::new();
    for _ in 0..rng.gen_range(0..if programs() { 4 } else { 3 }) {
        let grants = all_names[rng.gen_range(0..all_names.len())];
        eqs.push(equiv(grants, random_req(rng, names, 1)));
    }
    let mut holdings = Vec::new();
    for &name in &all_names {
        if rng.gen_bool(0.18) {
            let earned = if rng.gen_bool(0.3) {
                "2020-05-01"
            } else {
                "2026-06-01"
            };
            holdings.push(holding(name, earned));
        }
    }
    if rng.gen_bool(0.03) {
        holdings.push(holding("zz", "2026-01-01"));
    }
    let avoid = if rng.gen_bool(0.15) {
        vec![id(names[rng.gen_range(0..n)])]
    } else {
        vec![]
    };
    let budget = if rng.gen_bool(if programs() { 0.4 } else { 0.25 }) {
        Some(i64::from(rng.gen_range(0..12)) * 10_000)
    } else {
        None
    };
    World {
        catalog: catalog(creds, eqs),
        holdings,
        avoid,
        budget,
    }
}

// ---------------------------------------------------------------------------
// The reference oracle: try every assignment.

/// Credentials counted at each non-shared leaf, by the leaf's address.
type Assigned = BTreeMap<*const Requirement, Vec<CredentialId>>;

/// Non-shared leaves in pre-order, with the credentials each could count.
fn leaves<'r>(r: &'r Requirement, under_shared: bool, out: &mut Vec<&'r Requirement>) {
    let shared = under_shared || r.shared;
    match &r.kind {
        RequirementKind::Credential(_) | RequirementKind::Credits { .. } => {
            if !shared {
                out.push(r);
            }
        }
        _ => {
            for c in r.children() {
                leaves(c, shared, out);
            }
        }
    }
}

fn pool_members(cat: &Catalog, r: &Requirement) -> Vec<CredentialId> {
    match &r.kind {
        RequirementKind::Credits {
            from, from_tags, ..
        } => cat
            .pool(from, from_tags)
            .into_iter()
            .map(|c| cat.credential(c).id.clone())
            .collect(),
        RequirementKind::Credential(id) => vec![id.clone()],
        _ => vec![],
    }
}

fn credit_of(cat: &Catalog, id: &CredentialId, unit: &str) -> f64 {
    cat.get(id).map_or(0.0, |c| c.credits_in(unit))
}

/// Evaluates with `assigned[leaf] = credentials counted there`; shared
/// subtrees see everything held.
fn eval(
    cat: &Catalog,
    r: &Requirement,
    held: &BTreeSet<CredentialId>,
    assigned: &BTreeMap<*const Requirement, Vec<CredentialId>>,
    shared: bool,
    sat: &mut Vec<bool>,
) -> bool {
    let shared = shared || r.shared;
    let me = sat.len();
    sat.push(false);
    let v = match &r.kind {
        RequirementKind::Credential(id) => {
            if shared {
                held.contains(id)
            } else {
                assigned
                    .get(&(r as *const _))
                    .is_some_and(|v| v.contains(id))
            }
        }
        RequirementKind::Credits { credits, unit, .. } => {
            let got: Vec<CredentialId> = if shared {
                pool_members(cat, r)
                    .into_iter()
                    .filter(|c| held.contains(c))
                    .collect()
            } else {
                assigned.get(&(r as *const _)).cloned().unwrap_or_default()
            };
            let sum: f64 = got.iter().map(|c| credit_of(cat, c, unit)).sum();
            sum >= *credits - 1e-9
        }
        RequirementKind::All(v) => {
            let vals: Vec<bool> = v
                .iter()
                .map(|c| eval(cat, c, held, assigned, shared, sat))
                .collect();
            vals.iter().all(|&x| x)
        }
        RequirementKind::Any(v) => {
            let vals: Vec<bool> = v
                .iter()
                .map(|c| eval(cat, c, held, assigned, shared, sat))
                .collect();
            vals.iter().any(|&x| x)
        }
        RequirementKind::AtLeast { k, of } => {
            let vals: Vec<bool> = of
                .iter()
                .map(|c| eval(cat, c, held, assigned, shared, sat))
                .collect();
            vals.iter().filter(|&&x| x).count() >= *k as usize
        }
    };
    sat[me] = v;
    v
}

/// Calls `f` with every assignment of held credentials to non-shared leaves
/// (each credential to at most one leaf it belongs to).
fn for_each_assignment(
    cat: &Catalog,
    r: &Requirement,
    held: &BTreeSet<CredentialId>,
    f: &mut dyn FnMut(&Assigned) -> bool,
) {
    let mut ls = Vec::new();
    leaves(r, false, &mut ls);
    let mut options: Vec<(CredentialId, Vec<usize>)> = Vec::new();
    for h in held {
        let opts: Vec<usize> = ls
            .iter()
            .enumerate()
            .filter(|(_, l)| pool_members(cat, l).contains(h))
            .map(|(i, _)| i)
            .collect();
        if !opts.is_empty() {
            options.push((h.clone(), opts));
        }
    }
    let mut choice = vec![0usize; options.len()];
    loop {
        let mut assigned: BTreeMap<*const Requirement, Vec<CredentialId>> = BTreeMap::new();
        for (i, (h, opts)) in options.iter().enumerate() {
            if choice[i] < opts.len() {
                assigned
                    .entry(ls[opts[choice[i]]] as *const _)
                    .or_default()
                    .push(h.clone());
            }
        }
        if f(&assigned) {
            return;
        }
        // Next choice: each credential goes to one of its leaves or nowhere.
        let mut i = 0;
        loop {
            if i == options.len() {
                return;
            }
            choice[i] += 1;
            if choice[i] <= options[i].1.len() {
                break;
            }
            choice[i] = 0;
            i += 1;
        }
    }
}

fn ref_satisfied(cat: &Catalog, r: &Requirement, held: &BTreeSet<CredentialId>) -> bool {
    let mut found = false;
    for_each_assignment(cat, r, held, &mut |asg| {
        let mut sat = Vec::new();
        found = eval(cat, r, held, asg, false, &mut sat);
        found
    });
    found
}

/// The best audit score: (root satisfied, satisfied nodes).
fn ref_best_score(cat: &Catalog, r: &Requirement, held: &BTreeSet<CredentialId>) -> (bool, usize) {
    let mut best = (false, 0);
    for_each_assignment(cat, r, held, &mut |asg| {
        let mut sat = Vec::new();
        let root = eval(cat, r, held, asg, false, &mut sat);
        best = best.max((root, sat.iter().filter(|&&x| x).count()));
        false
    });
    best
}

// ---------------------------------------------------------------------------
// The reference planner.

fn date(s: &str) -> Date {
    fixtures::date(s)
}

/// Held at the start: unexpired holdings, implied ones, then equivalences.
fn ref_initial(w: &World) -> BTreeSet<CredentialId> {
    let cat = &w.catalog;
    let start = date(START);
    let alive = |id: &CredentialId, earned: Date| {
        cat.get(id)
            .and_then(|c| c.expires_on(earned))
            .is_none_or(|e| e >= start)
    };
    let mut held = BTreeSet::new();
    for h in &w.holdings {
        if alive(&h.id, h.earned) {
            held.insert(h.id.clone());
        }
        let mut stack = vec![h.id.clone()];
        let mut seen = BTreeSet::from([h.id.clone()]);
        while let Some(x) = stack.pop() {
            if let Some(r) = cat.get(&x).and_then(|c| c.requires.as_ref()) {
                for n in r.necessary() {
                    if seen.insert(n.clone()) {
                        if alive(n, h.earned) {
                            held.insert(n.clone());
                        }
                        stack.push(n.clone());
                    }
                }
            }
        }
    }
    apply_equivalences(cat, &mut held);
    held
}

fn apply_equivalences(cat: &Catalog, held: &mut BTreeSet<CredentialId>) {
    loop {
        let mut changed = false;
        for eq in cat.equivalences() {
            if !held.contains(&eq.grants) && ref_satisfied(cat, &eq.when, held) {
                held.insert(eq.grants.clone());
                changed = true;
            }
        }
        if !changed {
            return;
        }
    }
}

fn ref_is_plan(w: &World, initial: &BTreeSet<CredentialId>, set: &[CredentialId]) -> bool {
    let cat = &w.catalog;
    let mut held = initial.clone();
    let mut done = vec![false; set.len()];
    loop {
        let mut changed = false;
        for (i, x) in set.iter().enumerate() {
            if done[i] || held.contains(x) {
                continue;
            }
            let ok = match cat.get(x).and_then(|c| c.requires.as_ref()) {
                None => true,
                Some(r) => ref_satisfied(cat, r, &held),
            };
            if ok {
                done[i] = true;
                held.insert(x.clone());
                apply_equivalences(cat, &mut held);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    held.contains(&id("t"))
}

fn key(w: &World, set: &[CredentialId], objective: SetObjective) -> [i64; 4] {
    let (mut usd, mut other, mut effort) = (0i64, 0i64, 0i64);
    for x in set {
        let c = w.catalog.get(x).expect("defined");
        if let Some(m) = &c.cost {
            let minor = (m.amount * 100.0).round() as i64;
            if m.currency == "USD" {
                usd += minor;
            } else {
                other += minor;
            }
        }
        effort += (c.effort_hours * 100.0).round() as i64;
    }
    let count = set.len() as i64;
    match objective {
        SetObjective::Cost => [usd, other, effort, count],
        SetObjective::Effort => [effort, usd, other, count],
        SetObjective::Count => [count, usd, other, effort],
    }
}

/// Every set of earnable credentials (not held, not avoided) that is a plan.
fn ref_plans(w: &World, initial: &BTreeSet<CredentialId>) -> Vec<Vec<CredentialId>> {
    let candidates: Vec<CredentialId> = w
        .catalog
        .credentials()
        .iter()
        .filter(|c| c.earnable && !w.avoid.contains(&c.id) && !initial.contains(&c.id))
        .map(|c| c.id.clone())
        .collect();
    (0u32..(1 << candidates.len()))
        .map(|mask| {
            candidates
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, c)| c.clone())
                .collect::<Vec<CredentialId>>()
        })
        .filter(|set| ref_is_plan(w, initial, set))
        .collect()
}

/// The lexicographically least key over every plan, and the least USD cost
/// of any plan (within the budget for the first, ignoring it for the
/// second).
fn ref_optimum(w: &World, objective: SetObjective) -> (Option<[i64; 4]>, Option<i64>) {
    let mut best: Option<[i64; 4]> = None;
    let mut cheapest: Option<i64> = None;
    for set in ref_plans(w, &ref_initial(w)) {
        let usd = key(w, &set, SetObjective::Cost)[0];
        cheapest = Some(cheapest.map_or(usd, |c: i64| c.min(usd)));
        if w.budget.is_some_and(|b| usd > b) {
            continue;
        }
        let k = key(w, &set, objective);
        best = Some(best.map_or(k, |b| b.min(k)));
    }
    (best, cheapest)
}

fn show_req(r: &Requirement) -> String {
    let kids = |v: &[Requirement]| v.iter().map(show_req).collect::<Vec<_>>().join(", ");
    let s = match &r.kind {
        RequirementKind::Credential(id) => id.local().to_string(),
        RequirementKind::All(v) => format!("all[{}]", kids(v)),
        RequirementKind::Any(v) => format!("any[{}]", kids(v)),
        RequirementKind::AtLeast { k, of } => format!("{k}of[{}]", kids(of)),
        RequirementKind::Credits {
            credits,
            from,
            from_tags,
            ..
        } => format!(
            "{credits}cr{:?}{:?}",
            from.iter().map(|i| i.local()).collect::<Vec<_>>(),
            from_tags.iter().map(|t| t.as_str()).collect::<Vec<_>>()
        ),
    };
    if r.shared {
        format!("shared:{s}")
    } else {
        s
    }
}

fn show(w: &World) -> String {
    let mut out = String::new();
    for c in w.catalog.credentials() {
        out.push_str(&format!(
            "{} cost={:?} effort={} credits={:?} tags={:?} earnable={} valid={:?} requires={}\n",
            c.id.local(),
            c.cost.as_ref().map(|m| (m.amount, m.currency.clone())),
            c.effort_hours,
            c.credits.iter().map(|x| x.value).collect::<Vec<_>>(),
            c.tags.iter().map(|t| t.as_str()).collect::<Vec<_>>(),
            c.earnable,
            c.valid_for_months,
            c.requires.as_ref().map_or("-".into(), show_req)
        ));
    }
    for e in w.catalog.equivalences() {
        out.push_str(&format!(
            "equiv {} when {}\n",
            e.grants.local(),
            show_req(&e.when)
        ));
    }
    out.push_str(&format!(
        "holdings {:?} avoid {:?} budget {:?}\n",
        w.holdings
            .iter()
            .map(|h| (h.id.local(), h.earned.to_string()))
            .collect::<Vec<_>>(),
        w.avoid,
        w.budget
    ));
    out
}

fn instance(w: &World) -> Instance {
    Instance::build(
        &w.catalog,
        &id("t"),
        &w.holdings,
        date(START),
        10.0,
        &w.avoid,
    )
}

const OBJECTIVES: [SetObjective; 3] = [
    SetObjective::Cost,
    SetObjective::Effort,
    SetObjective::Count,
];

/// The planner's options for a world: its budget, in USD.
fn options(w: &World, objective: SetObjective) -> SelectOptions {
    SelectOptions {
        objective,
        budget: w.budget.map(|b| Budget {
            currency: "USD".into(),
            minor: b,
        }),
        currency: Some("USD".into()),
        deadline: None,
    }
}

#[test]
fn select_matches_the_brute_force_optimum() {
    let (plans, over_budget) = check_select(seed(0x5eed_0001), cases(1500));
    // The generator must exercise both outcomes.
    if cases(1500) == 1500 {
        assert!(plans > 300, "only {plans} plans");
        assert!(over_budget > 10, "only {over_budget} over budget");
    }
}

/// Forced items, forced-unless-granted items and conditional constraints
/// along prerequisite chains (with soft cycles and equivalences).
#[test]
fn select_matches_the_brute_force_optimum_on_chains() {
    CHAINS.with(|c| c.set(true));
    let (plans, _) = check_select(seed(0x5eed_0003), cases(1500));
    CHAINS.with(|c| c.set(false));
    if cases(1500) == 1500 {
        assert!(plans > 200, "only {plans} plans");
    }
}

/// Electives counted toward an `at_least` cannot also fill a credit pool of
/// the same `all`: the weighted counting constraints (`select::Gen::combined`).
#[test]
fn select_matches_the_brute_force_optimum_on_program_shapes() {
    PROGRAMS.with(|c| c.set(true));
    let (plans, _) = check_select(seed(0x5eed_0004), cases(1500));
    PROGRAMS.with(|c| c.set(false));
    if cases(1500) == 1500 {
        assert!(plans > 400, "only {plans} plans");
    }
}

/// Every dominance the search uses is checked against its definition by
/// enumeration: for each pair (i, j) and every plan P with j and without i,
/// P - j + i is a plan, weighs no more and costs no more.
#[test]
fn every_dominance_the_search_uses_holds_for_every_plan() {
    let mut checked = 0;
    for (flag, base) in [(true, 0x5eed_0005), (false, 0x5eed_0006)] {
        PROGRAMS.with(|c| c.set(flag));
        let mut rng = ChaCha8Rng::seed_from_u64(seed(base));
        for case in 0..cases(4000) {
            let w = random_world(&mut rng);
            let inst = instance(&w);
            let objective = OBJECTIVES[case % 3];
            let pairs = dominance_pairs(&inst, &options(&w, objective));
            if pairs.is_empty() {
                continue;
            }
            let initial = ref_initial(&w);
            let plans = ref_plans(&w, &initial);
            for (i, j) in pairs {
                let (i, j) = (&inst.atoms[i].id, &inst.atoms[j].id);
                for set in plans
                    .iter()
                    .filter(|set| set.contains(j) && !set.contains(i))
                {
                    let mut swapped: Vec<CredentialId> =
                        set.iter().filter(|&x| x != j).cloned().collect();
                    swapped.push(i.clone());
                    let why = || {
                        format!(
                            "case {case} {objective:?}: {i} over {j}, plan {set:?}\n{}",
                            show(&w)
                        )
                    };
                    assert!(ref_is_plan(&w, &initial, &swapped), "not a plan: {}", why());
                    assert!(
                        key(&w, &swapped, objective) <= key(&w, set, objective),
                        "heavier: {}",
                        why()
                    );
                    assert!(
                        key(&w, &swapped, SetObjective::Cost)[0]
                            <= key(&w, set, SetObjective::Cost)[0],
                        "dearer: {}",
                        why()
                    );
                    checked += 1;
                }
            }
        }
        PROGRAMS.with(|c| c.set(false));
    }
    if cases(4000) == 4000 {
        assert!(checked > 500, "only {checked} swaps checked");
    }
}

/// Compares the planner with the reference on `n` random worlds; returns
/// how many had a plan and how many were over budget.
fn check_select(seed: u64, n: usize) -> (usize, usize) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut plans = 0;
    let mut over_budget = 0;
    for case in 0..n {
        let w = random_world(&mut rng);
        let inst = instance(&w);
        let objective = OBJECTIVES[case % 3];
        let (want, cheapest) = ref_optimum(&w, objective);
        let got = select(&inst, &options(&w, objective));
        match (&want, &got) {
            (Some(k), Ok(sel)) => {
                plans += 1;
                let ids: Vec<CredentialId> = sel
                    .items
                    .iter()
                    .map(|&i| inst.atoms[i].id.clone())
                    .collect();
                assert!(
                    ref_is_plan(&w, &ref_initial(&w), &ids),
                    "case {case}: not a plan: {ids:?}\n{}",
                    show(&w)
                );
                assert_eq!(
                    key(&w, &ids, objective),
                    *k,
                    "case {case} {objective:?}: {ids:?} is not optimal\n{}",
                    show(&w)
                );
                assert!(sel.optimal);
                assert_eq!(sel.lower_bound, sel.value);
            }
            (None, Err(NoSelection::OverBudget { cheapest: c, .. })) => {
                over_budget += 1;
                assert_eq!(Some(*c), cheapest, "case {case}: cheapest");
            }
            (None, Err(NoSelection::Unreachable)) => {
                assert_eq!(cheapest, None, "case {case}: reachable over budget");
            }
            _ => panic!(
                "case {case} {objective:?}: reference {want:?}, planner {got:?}\n{}",
                show(&w)
            ),
        }
    }
    (plans, over_budget)
}

#[test]
fn the_oracle_and_the_audit_match_every_assignment() {
    let mut rng = ChaCha8Rng::seed_from_u64(seed(0x5eed_0002));
    let mut satisfied = 0;
    for case in 0..cases(3000) {
        let w = random_world(&mut rng);
        let inst = instance(&w);
        let t = w.catalog.get(&id("t")).expect("t");
        let r = t.requires.as_ref().expect("t requires");
        let Some(rid) = inst.atoms[inst.target].requires else {
            continue;
        };
        // A random held set over every credential the tree can see.
        let mut held_ids = BTreeSet::new();
        let mut held = BitSet::with_capacity(inst.n_atoms());
        for a in 0..inst.n_atoms() {
            if rng.gen_bool(0.5) {
                held.insert(a);
                held_ids.insert(inst.atoms[a].id.clone());
            }
        }
        let want = ref_satisfied(&w.catalog, r, &held_ids);
        let got = inst.satisfied(rid, &held);
        assert_eq!(
            got.is_some(),
            want,
            "case {case}: {} held {held_ids:?}",
            show_req(r)
        );
        satisfied += usize::from(want);
        let best = inst.trees[rid].best_assignment(&held, 1_000_000);
        let (root, nodes) = ref_best_score(&w.catalog, r, &held_ids);
        assert_eq!(
            (
                best.satisfied[0],
                best.satisfied.iter().filter(|&&x| x).count()
            ),
            (root, nodes),
            "case {case}: audit score, {} held {held_ids:?}\n{}",
            show_req(r),
            show(&w)
        );
    }
    if cases(3000) == 3000 {
        assert!(satisfied > 500 && satisfied < 2500, "{satisfied} satisfied");
    }
}
