//! The planner's public API, used by the command line and the desktop app:
//! one request in, one dated plan (or a reason in words and ids) out.
//!
//! `time` goes to the scheduler ([`crate::schedule`]); `cost`, `effort` and
//! `count` choose a proven-optimal set ([`crate::select`]) and then date it
//! with the scheduler's earliest schedule of exactly that set. When no plan
//! exists, [`Unreachable`] says which requirement cannot be met and why
//! (spec: `plan --json`).

use std::time::{Duration, Instant};

use stackpath_model::{Catalog, CredentialId, Date, Holding, Money};

use crate::instance::{minor_per_major, to_minor, BitSet, Exclusion, Instance, ItemId, NodeView};
use crate::schedule::{
    fastest_within_budget, schedule_sets_earliest_after, select_dated, Hints, Limits, TimePlan,
};
use crate::select::{
    plan_currency, select, totals, Budget, NoSelection, SelectOptions, Selection, SetObjective,
};
use crate::stop::StopSignal;

mod ahead;

#[doc(hidden)]
pub use ahead::{date_ahead_after, dated_ahead};

/// What a plan minimises (spec: "Plans"). Ties are broken by the others in
/// the order time, cost, effort, count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Objective {
    Time,
    Cost,
    Effort,
    Count,
}

impl Objective {
    pub const ALL: [Objective; 4] = [
        Objective::Time,
        Objective::Cost,
        Objective::Effort,
        Objective::Count,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Objective::Time => "time",
            Objective::Cost => "cost",
            Objective::Effort => "effort",
            Objective::Count => "count",
        }
    }

    pub fn parse(s: &str) -> Option<Objective> {
        Objective::ALL.into_iter().find(|o| o.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlanRequest {
    pub target: CredentialId,
    pub holdings: Vec<Holding>,
    pub start: Date,
    pub hours_per_week: f64,
    pub budget: Option<Money>,
    pub avoid: Vec<CredentialId>,
    pub objective: Objective,
    /// Stop searching after this long and return the best plan found, with
    /// its lower bound. `None`: search until proven optimal.
    pub time_limit: Option<Duration>,
}

/// The weekly hours when neither the learner nor a flag says (spec: CLI
/// contract, `--hours-per-week`).
pub const DEFAULT_HOURS_PER_WEEK: f64 = 10.0;

impl PlanRequest {
    /// A learner who holds nothing, at [`DEFAULT_HOURS_PER_WEEK`], with no
    /// budget, nothing avoided and no time limit.
    pub fn new(target: CredentialId, start: Date, objective: Objective) -> PlanRequest {
        PlanRequest {
            target,
            holdings: Vec::new(),
            start,
            hours_per_week: DEFAULT_HOURS_PER_WEEK,
            budget: None,
            avoid: Vec::new(),
            objective,
            time_limit: None,
        }
    }
}

/// One credential to earn.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanStep {
    pub id: CredentialId,
    pub title: String,
    pub start: Date,
    pub finish: Date,
    /// What it is earned for: the plan's credentials whose requirements it
    /// counts toward (or that an equivalence grants through it), and the
    /// target.
    pub satisfies: Vec<CredentialId>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlanTotals {
    pub count: usize,
    /// Major units per currency, sorted by currency.
    pub cost: Vec<(String, f64)>,
    pub effort_hours: f64,
    pub finish: Date,
    pub days: u32,
}

/// One reason a target cannot be reached.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// No loaded file defines it, and the learner does not hold it.
    UnknownCredential { id: CredentialId },
    /// Each credential on the cycle needs the next.
    HardCycle { cycle: Vec<CredentialId> },
    /// `earnable: false` and no equivalence grants it to this learner.
    NotEarnable { id: CredentialId },
    /// The learner asked to avoid it.
    Avoided { id: CredentialId },
    /// Fixed pace needing more hours a week than the learner has.
    TooManyHours {
        id: CredentialId,
        needs: f64,
        has: f64,
    },
    /// Every listed start date is before the learner's start.
    NoStartDate { id: CredentialId },
    /// A credit pool cannot reach its credits with what can be held.
    NotEnoughCredits {
        requirement: String,
        available: f64,
        needed: f64,
        unit: String,
    },
    /// Enough credentials exist, but the counting rules forbid counting one
    /// credential toward two parts of the same requirement.
    NoDoubleCounting { requirement: CredentialId },
    /// Plans exist but none within the budget.
    OverBudget {
        cheapest: f64,
        budget: f64,
        currency: String,
    },
    /// Every way needs items with listed start dates that no schedule meets:
    /// the last one passes before an item can be ready, or the items do not
    /// fit the hours a week by then.
    StartWindowsMissed,
    /// A time limit stopped the search before any plan was found.
    SearchStopped,
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::UnknownCredential { id } => {
                write!(f, "{id} is not defined by any loaded pathway file")
            }
            Reason::HardCycle { cycle } => {
                let mut names: Vec<String> = cycle.iter().map(|c| c.to_string()).collect();
                if let Some(first) = cycle.first() {
                    names.push(first.to_string());
                }
                write!(
                    f,
                    "hard cycle: {}; each needs the next, so none can be earned",
                    names.join(" needs ")
                )
            }
            Reason::NotEarnable { id } => write!(
                f,
                "{id} cannot be earned (earnable: false) and no equivalence grants it"
            ),
            Reason::Avoided { id } => write!(f, "{id} is avoided by the learner"),
            Reason::TooManyHours { id, needs, has } => write!(
                f,
                "{id} needs {needs} h/week at its fixed pace but the learner has {has}"
            ),
            Reason::NoStartDate { id } => {
                write!(f, "{id} has no start date left: every listed date is past")
            }
            Reason::NotEnoughCredits {
                requirement,
                available,
                needed,
                unit,
            } => write!(
                f,
                "{requirement} needs {needed} {unit} but at most {available} {unit} can be held"
            ),
            Reason::NoDoubleCounting { requirement } => write!(
                f,
                "the requirements of {requirement} need more distinct credentials than can be held: a credential counts toward only one part"
            ),
            Reason::OverBudget {
                cheapest,
                budget,
                currency,
            } => write!(
                f,
                "over budget: the cheapest plan costs {cheapest} {currency}, the budget is {budget} {currency}"
            ),
            Reason::StartWindowsMissed => write!(
                f,
                "no schedule fits the items it needs into their start dates, their requirements and the hours a week"
            ),
            Reason::SearchStopped => write!(
                f,
                "the search stopped at its time limit before it found a plan or proved that none exists"
            ),
        }
    }
}

/// Why no plan exists: a sentence, the requirements that cannot be met (ids
/// or node labels), and the reasons.
#[derive(Debug, Clone, PartialEq)]
pub struct Unreachable {
    pub message: String,
    pub requirements: Vec<String>,
    pub reasons: Vec<Reason>,
}

impl Unreachable {
    /// A time limit stopped the search: no plan was found, but none was
    /// proven impossible either.
    pub fn stopped(&self) -> bool {
        self.reasons.contains(&Reason::SearchStopped)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlanOutcome {
    pub target: CredentialId,
    pub objective: Objective,
    pub feasible: bool,
    pub optimal: bool,
    /// In the objective's unit: days, plan-currency major units, hours, or
    /// credentials. Equal to the plan's value when `optimal`.
    pub lower_bound: f64,
    pub start: Date,
    pub steps: Vec<PlanStep>,
    pub totals: Option<PlanTotals>,
    /// The currency cost is minimised in (`cost` objective and budgets).
    pub currency: Option<String>,
    pub unreachable: Option<Unreachable>,
}

/// The catalog reduced to the request's target, for its learner.
fn instance_for(catalog: &Catalog, request: &PlanRequest) -> Instance {
    Instance::build(
        catalog,
        &request.target,
        &request.holdings,
        request.start,
        request.hours_per_week,
        &request.avoid,
    )
}

/// Plans toward the request's target. Never fails: an impossible request is
/// a plan that says why.
pub fn plan(catalog: &Catalog, request: &PlanRequest) -> PlanOutcome {
    // Every search of this plan stops with it (`stop_searches`).
    let _working = StopSignal::current().enter();
    let inst = instance_for(catalog, request);
    plan_instance(catalog, &inst, request)
}

/// The best plan under each objective other than the request's, when its set
/// of credentials differs from the request's plan.
pub fn alternatives(catalog: &Catalog, request: &PlanRequest) -> Vec<PlanOutcome> {
    plan_with_alternatives(catalog, request).1
}

/// The request's plan and [`alternatives`] to it, reducing the catalog to
/// the target's part once for all of them.
pub fn plan_with_alternatives(
    catalog: &Catalog,
    request: &PlanRequest,
) -> (PlanOutcome, Vec<PlanOutcome>) {
    let _working = StopSignal::current().enter();
    let inst = instance_for(catalog, request);
    // One time limit for all four: the request's objective gets half of
    // it, the others share what is left in turn (a twentieth each at least),
    // so a search that settles early leaves its time to the next.
    let clock = Instant::now();
    let order: Vec<Objective> = std::iter::once(request.objective)
        .chain(
            Objective::ALL
                .into_iter()
                .filter(|&o| o != request.objective),
        )
        .collect();
    let mut outcomes: Vec<PlanOutcome> = Vec::with_capacity(order.len());
    for (k, &objective) in order.iter().enumerate() {
        let time_limit = request.time_limit.map(|limit| {
            let share = if k == 0 {
                limit / 2
            } else {
                limit.saturating_sub(clock.elapsed()) / (order.len() - k) as u32
            };
            share.max(limit / 20)
        });
        let outcome = plan_instance(
            catalog,
            &inst,
            &PlanRequest {
                objective,
                time_limit,
                ..request.clone()
            },
        );
        outcomes.push(outcome);
    }
    outcomes.sort_by_key(|p| Objective::ALL.iter().position(|&o| o == p.objective));
    adopt_faster_schedule(&mut outcomes);
    let main_at = Objective::ALL
        .iter()
        .position(|&o| o == request.objective)
        .unwrap_or(0);
    let main = outcomes.swap_remove(main_at);
    // An alternative is shown when it earns other credentials and its
    // totals differ: a tie with the same finish, cost, effort and count
    // tells the learner nothing new.
    let key = |p: &PlanOutcome| {
        let mut ids: Vec<CredentialId> = p.steps.iter().map(|s| s.id.clone()).collect();
        ids.sort();
        let totals = p.totals.as_ref().map(|t| {
            (
                t.count,
                t.finish,
                format!("{:?} {}", t.cost, t.effort_hours),
            )
        });
        (ids, totals)
    };
    let (main_set, main_totals) = key(&main);
    let mut others: Vec<PlanOutcome> = outcomes
        .into_iter()
        .filter(|p| {
            let (ids, totals) = key(p);
            p.feasible && ids != main_set && totals != main_totals
        })
        .collect();
    others.sort_by_key(|p| Objective::ALL.iter().position(|&o| o == p.objective));
    (main, others)
}

/// When a time limit stopped the `time` search with a schedule slower than
/// one the other objectives found (or with none), the faster dated plan is
/// the better answer to "when can I finish": take it, keeping the time
/// search's lower bound, and claim optimality only if it meets that bound.
/// `outcomes` holds one plan per objective, in [`Objective::ALL`] order.
fn adopt_faster_schedule(outcomes: &mut [PlanOutcome]) {
    let days = |p: &PlanOutcome| p.totals.as_ref().filter(|_| p.feasible).map(|t| t.days);
    let Some((time, others)) = outcomes.split_first_mut() else {
        return;
    };
    let best = others
        .iter()
        .filter_map(|p| days(p).map(|d| (d, p)))
        .min_by_key(|(d, _)| *d);
    let Some((best_days, best)) = best else {
        return;
    };
    if days(time).is_some_and(|d| d <= best_days) {
        return;
    }
    let lower_bound = if time.feasible || time.lower_bound > 0.0 {
        time.lower_bound.min(f64::from(best_days))
    } else {
        0.0
    };
    let mut adopted = best.clone();
    adopted.objective = Objective::Time;
    adopted.lower_bound = lower_bound;
    adopted.optimal = lower_bound >= f64::from(best_days);
    *time = adopted;
}

fn plan_instance(catalog: &Catalog, inst: &Instance, request: &PlanRequest) -> PlanOutcome {
    let deadline = request.time_limit.map(|d| Instant::now() + d);
    let limits = Limits {
        time: request.time_limit.unwrap_or(Duration::from_secs(3600)),
        ..Limits::default()
    };
    let budget = request.budget.as_ref().map(|b| Budget {
        currency: b.currency.clone(),
        minor: to_minor(b.amount, &b.currency),
    });
    let mut outcome = PlanOutcome {
        target: request.target.clone(),
        objective: request.objective,
        feasible: false,
        optimal: false,
        lower_bound: 0.0,
        start: request.start,
        steps: Vec::new(),
        totals: None,
        currency: None,
        unreachable: None,
    };
    let set_objective = match request.objective {
        Objective::Time => SetObjective::Cost,
        Objective::Cost => SetObjective::Cost,
        Objective::Effort => SetObjective::Effort,
        Objective::Count => SetObjective::Count,
    };
    let opts = SelectOptions {
        objective: set_objective,
        budget: budget.clone(),
        currency: None,
        deadline,
    };
    // The set objectives choose among the sets that can be scheduled, and
    // list their ties for the tie-break by finish date; for `time` the
    // cheapest set is only a hint.
    let (chosen, dated_ahead) = match request.objective {
        Objective::Time => (select(inst, &opts), None),
        _ => ahead::select_dating_ahead(inst, &limits, deadline, |watch| {
            select_dated(inst, &opts, TIES, Some(watch))
        }),
    };
    let fail = |reason: Option<Reason>, e: Option<&NoSelection>| {
        let mut u = explain(catalog, inst, e, request);
        if let Some(r) = reason {
            u.reasons.insert(0, r);
            u.message = message(&u.reasons);
        }
        if u.stopped() {
            // No requirement was shown impossible.
            u.requirements.clear();
        }
        u
    };
    // What the set search proved: the plan currency and a lower bound on
    // the objective (its integer unit), and a chosen set unless every set it
    // tried in time failed its schedule check.
    let (sel, currency, lower) = match chosen {
        Ok(sel) => {
            let (currency, lower) = (sel.currency.clone(), sel.lower_bound);
            (Some(sel), currency, lower)
        }
        Err(NoSelection::NoSchedule { stopped: false, .. }) => {
            outcome.unreachable = Some(fail(Some(Reason::StartWindowsMissed), None));
            return outcome;
        }
        Err(NoSelection::NoSchedule { lower_bound, .. }) => {
            // Not settled in time: the fastest plan within the budget is a
            // plan, with the bound proven so far.
            let currency = match &budget {
                Some(b) => Some(b.currency.clone()),
                None => plan_currency(inst),
            };
            (None, currency, lower_bound)
        }
        Err(e) => {
            outcome.unreachable = Some(fail(None, Some(&e)));
            return outcome;
        }
    };
    outcome.currency = currency.clone();
    let major = |minor: u64| {
        let per = currency.as_deref().map_or(100, minor_per_major).max(1);
        minor as f64 / per as f64
    };
    let in_units = |v: u64| match request.objective {
        Objective::Cost => major(v),
        Objective::Effort => v as f64 / 100.0,
        _ => v as f64,
    };

    let fastest = |hint: Option<&Selection>, limits: &Limits| {
        let hints = Hints {
            sets: hint.map(|s| s.items.clone()).into_iter().collect(),
            tiebreak_floor: None,
        };
        fastest_within_budget(inst, limits, &hints, budget.as_ref()).map_err(|ns| {
            fail(
                if ns.search_stopped {
                    Some(Reason::SearchStopped)
                } else if ns.windows_missed {
                    Some(Reason::StartWindowsMissed)
                } else {
                    None
                },
                None,
            )
        })
    };
    // Dating gets what the set search left of the time limit, a tenth of it
    // at least.
    let limits = ahead::dating_limits(&limits, deadline);
    let dated = match (request.objective, &sel) {
        (Objective::Time, _) => fastest(sel.as_ref(), &limits).map(|tp| {
            debug_assert!(within_budget(inst, &tp, budget.as_ref()));
            let lb = f64::from(tp.lower_bound);
            (tp, None, lb)
        }),
        (_, None) => fastest(None, &limits).map(|tp| (tp, Some(false), in_units(lower))),
        (_, Some(sel)) => match earliest_of(inst, sel, &limits, dated_ahead) {
            Ok(tp) => Ok((tp, Some(sel.optimal), in_units(lower))),
            Err(u) => Err(fail(
                Some(if u.search_stopped {
                    Reason::SearchStopped
                } else {
                    Reason::StartWindowsMissed
                }),
                None,
            )),
        },
    };
    let (schedule, optimal, lower_bound) = match dated {
        Ok(d) => d,
        Err(u) => {
            outcome.unreachable = Some(u);
            return outcome;
        }
    };
    let items: Vec<ItemId> = schedule.schedule.steps.iter().map(|s| s.task).collect();
    let satisfies = satisfies(inst, &items);
    let day = |d: u32| request.start + chrono::Days::new(u64::from(d));
    outcome.steps = schedule
        .schedule
        .steps
        .iter()
        .zip(satisfies)
        .map(|(s, sat)| {
            let atom = &inst.atoms[s.task];
            PlanStep {
                id: atom.id.clone(),
                title: atom
                    .cred
                    .map(|c| catalog.credential(c).title.clone())
                    .unwrap_or_default(),
                start: day(s.start),
                finish: day(s.finish),
                satisfies: sat,
            }
        })
        .collect();
    let t = totals(inst, &items);
    let finish = schedule.schedule.finish;
    outcome.totals = Some(PlanTotals {
        count: t.count,
        cost: t
            .cost
            .iter()
            .map(|(c, m)| (c.clone(), *m as f64 / minor_per_major(c) as f64))
            .collect(),
        effort_hours: t.effort as f64 / 100.0,
        finish: day(finish),
        days: finish,
    });
    outcome.feasible = true;
    outcome.optimal = optimal.unwrap_or(schedule.optimal);
    outcome.lower_bound = lower_bound;
    if outcome.optimal {
        outcome.lower_bound = match request.objective {
            Objective::Time => f64::from(finish),
            Objective::Cost => major(sel.as_ref().map_or(0, |s| s.value)),
            Objective::Effort => t.effort as f64 / 100.0,
            Objective::Count => t.count as f64,
        };
    }
    outcome
}

/// Most plans tied on a set objective that are dated to break the tie by
/// finish date; with more, the optimiser's own tie-break decides.
const TIES: usize = 16;

/// The chosen set dated as early as possible, or, when the optimiser listed
/// the plans tied with it, the one of them that finishes first (ties broken
/// by the optimiser's order: the other objectives). `first`: the dates of
/// the first of them, found ahead.
fn earliest_of(
    inst: &Instance,
    sel: &Selection,
    limits: &Limits,
    first: Option<Result<TimePlan, crate::schedule::Unreachable>>,
) -> Result<TimePlan, crate::schedule::Unreachable> {
    let candidates: &[Vec<ItemId>] = if sel.ties.len() > 1 {
        &sel.ties
    } else {
        std::slice::from_ref(&sel.items)
    };
    schedule_sets_earliest_after(inst, candidates, limits, first)
}

fn within_budget(inst: &Instance, tp: &TimePlan, budget: Option<&Budget>) -> bool {
    let Some(b) = budget else {
        return true;
    };
    let items: Vec<ItemId> = tp.schedule.steps.iter().map(|s| s.task).collect();
    let t = totals(inst, &items);
    t.cost
        .iter()
        .filter(|(c, _)| *c == b.currency)
        .all(|(_, m)| *m <= b.minor)
}

/// For each item of a plan (in a well-founded order), what it counts toward:
/// the later items whose requirements count it in an exact assignment, the
/// credentials equivalences grant through it, and the target.
fn satisfies(inst: &Instance, items: &[ItemId]) -> Vec<Vec<CredentialId>> {
    let n = inst.n_atoms();
    let mut out: Vec<Vec<CredentialId>> = vec![Vec::new(); items.len()];
    let pos = |a: usize| items.iter().position(|&i| i == a);
    let mut held = inst.initial.clone();
    held.grow(n);
    inst.apply_equivalences(&mut held);
    let record = |out: &mut Vec<Vec<CredentialId>>, atoms: &[usize], what: &CredentialId| {
        for &a in atoms {
            if let Some(p) = pos(a) {
                if !out[p].contains(what) {
                    out[p].push(what.clone());
                }
            }
        }
    };
    for &y in items {
        if let Some(r) = inst.atoms[y].requires {
            if let Some(asg) = inst.satisfied(r, &held) {
                let atoms: Vec<usize> = asg.leaves.iter().flat_map(|l| l.1.clone()).collect();
                record(&mut out, &atoms, &inst.atoms[y].id);
            }
        }
        held.insert(y);
        // Grants made possible by the items so far.
        loop {
            let mut changed = false;
            for eq in &inst.equivalences {
                if held.contains(eq.grants) {
                    continue;
                }
                if let Some(asg) = inst.satisfied(eq.when, &held) {
                    let atoms: Vec<usize> = asg.leaves.iter().flat_map(|l| l.1.clone()).collect();
                    record(&mut out, &atoms, &inst.atoms[eq.grants].id);
                    held.insert(eq.grants);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    }
    let target = &inst.atoms[inst.target].id;
    for o in &mut out {
        if !o.contains(target) {
            o.push(target.clone());
        }
    }
    out
}

fn message(reasons: &[Reason]) -> String {
    if reasons.contains(&Reason::SearchStopped) {
        return "no plan was found within the time limit, and none was proven impossible: a longer search may find one".into();
    }
    if reasons.is_empty() {
        return "the target cannot be reached with the credentials in the catalog".into();
    }
    let parts: Vec<String> = reasons.iter().map(|r| r.to_string()).collect();
    format!("the target cannot be reached: {}", parts.join("; "))
}

/// Most reasons one explanation lists; the first ones are the nearest to the
/// target.
const MAX_REASONS: usize = 12;

/// Explains why no plan exists, starting from the target and following the
/// requirements that even every item together cannot meet.
pub fn explain(
    catalog: &Catalog,
    inst: &Instance,
    failure: Option<&NoSelection>,
    request: &PlanRequest,
) -> Unreachable {
    let mut reasons = Vec::new();
    let mut requirements = Vec::new();
    if let Some(NoSelection::OverBudget { cheapest, currency }) = failure {
        let per = minor_per_major(currency) as f64;
        reasons.push(Reason::OverBudget {
            cheapest: *cheapest as f64 / per,
            budget: request.budget.as_ref().map_or(0.0, |b| b.amount),
            currency: currency.clone(),
        });
        requirements.push(inst.atoms[inst.target].id.to_string());
        return Unreachable {
            message: message(&reasons),
            requirements,
            reasons,
        };
    }
    let mut all = BitSet::with_capacity(inst.n_items());
    all.insert_range(..);
    let everything = inst.closure(&all).held;
    let mut ex = Explainer {
        catalog,
        inst,
        held: &everything,
        visited: Vec::new(),
        reasons: Vec::new(),
        requirements: Vec::new(),
    };
    ex.atom(inst.target, 0);
    if ex.reasons.is_empty() {
        // Nothing structural: the catalog allows it, but the schedule does
        // not (reported by the caller), or the cause is out of reach of this
        // walk.
        ex.requirements.push(inst.atoms[inst.target].id.to_string());
    }
    Unreachable {
        message: message(&ex.reasons),
        requirements: ex.requirements,
        reasons: ex.reasons,
    }
}

struct Explainer<'a> {
    catalog: &'a Catalog,
    inst: &'a Instance,
    held: &'a BitSet,
    visited: Vec<usize>,
    reasons: Vec<Reason>,
    requirements: Vec<String>,
}

impl Explainer<'_> {
    fn push(&mut self, r: Reason, requirement: String) {
        if self.reasons.len() < MAX_REASONS && !self.reasons.contains(&r) {
            self.reasons.push(r);
        }
        if !self.requirements.contains(&requirement) {
            self.requirements.push(requirement);
        }
    }

    /// Atom `a` can never be held: say why.
    fn atom(&mut self, a: usize, depth: usize) {
        if self.held.contains(a)
            || self.visited.contains(&a)
            || depth > 16
            || self.reasons.len() >= MAX_REASONS
        {
            return;
        }
        self.visited.push(a);
        let inst = self.inst;
        let atom = &inst.atoms[a];
        let id = atom.id.clone();
        match &atom.excluded {
            Some(Exclusion::Unknown) => {
                self.push(Reason::UnknownCredential { id: id.clone() }, id.to_string())
            }
            Some(Exclusion::NotEarnable) => {
                self.push(Reason::NotEarnable { id: id.clone() }, id.to_string())
            }
            Some(Exclusion::Avoided) => {
                self.push(Reason::Avoided { id: id.clone() }, id.to_string())
            }
            Some(Exclusion::TooManyHours { needs, has }) => self.push(
                Reason::TooManyHours {
                    id: id.clone(),
                    needs: *needs as f64 / 100.0,
                    has: *has as f64 / 100.0,
                },
                id.to_string(),
            ),
            Some(Exclusion::NoStartDate) => {
                self.push(Reason::NoStartDate { id: id.clone() }, id.to_string())
            }
            Some(Exclusion::Held) => {}
            None => {
                if let Some(cycle) = self.hard_cycle(a) {
                    let req = cycle
                        .iter()
                        .map(|c| c.to_string())
                        .collect::<Vec<_>>()
                        .join(", ");
                    self.push(Reason::HardCycle { cycle }, req);
                } else if let Some(r) = atom.requires {
                    let tree = &inst.trees[r];
                    if tree.eval_optimistic(0, self.held) {
                        self.push(
                            Reason::NoDoubleCounting {
                                requirement: id.clone(),
                            },
                            id.to_string(),
                        );
                    } else {
                        self.node(tree, 0, &id, depth);
                    }
                }
            }
        }
        // Equivalences that could have granted it fail too: follow them.
        let grants: Vec<usize> = inst
            .equivalences
            .iter()
            .filter(|e| e.grants == a)
            .map(|e| e.when)
            .collect();
        for w in grants {
            let tree = &inst.trees[w];
            if !tree.eval_optimistic(0, self.held) {
                self.node(tree, 0, &id, depth);
            }
        }
    }

    /// Node `n` of a requirement of `owner` fails even with everything held.
    fn node(&mut self, tree: &crate::instance::Tree, n: usize, owner: &CredentialId, depth: usize) {
        if tree.eval_optimistic(n, self.held) {
            return;
        }
        match tree.view(n) {
            NodeView::Id(b) => self.atom(b, depth + 1),
            NodeView::Pool { need, members } => {
                let available: u64 = members
                    .iter()
                    .filter(|m| self.held.contains(m.0))
                    .map(|m| m.1)
                    .sum();
                self.push(
                    Reason::NotEnoughCredits {
                        requirement: format!("a credit pool of {owner}"),
                        available: available as f64 / 1000.0,
                        needed: need as f64 / 1000.0,
                        unit: self.pool_unit(owner),
                    },
                    format!("{owner}: credit pool"),
                );
                for &(b, _) in members {
                    self.atom(b, depth + 1);
                }
            }
            NodeView::All(kids) | NodeView::Any(kids) | NodeView::AtLeast(_, kids) => {
                for &c in kids {
                    self.node(tree, c as usize, owner, depth);
                }
            }
        }
    }

    fn pool_unit(&self, owner: &CredentialId) -> String {
        let mut unit = String::new();
        if let Some(r) = self.catalog.get(owner).and_then(|c| c.requires.as_ref()) {
            r.visit(&mut |node| {
                if let stackpath_model::RequirementKind::Credits { unit: u, .. } = &node.kind {
                    if unit.is_empty() {
                        unit = u.clone();
                    }
                }
            });
        }
        unit
    }

    /// A cycle of credentials each needing the next (through `all` nodes)
    /// back to `a`, none of them held.
    fn hard_cycle(&self, a: usize) -> Option<Vec<CredentialId>> {
        let mut path = vec![a];
        let mut seen = vec![a];
        if self.cycle_from(a, a, &mut path, &mut seen) {
            Some(
                path.iter()
                    .map(|&x| self.inst.atoms[x].id.clone())
                    .collect(),
            )
        } else {
            None
        }
    }

    fn cycle_from(
        &self,
        at: usize,
        goal: usize,
        path: &mut Vec<usize>,
        seen: &mut Vec<usize>,
    ) -> bool {
        let Some(r) = self.inst.atoms[at].requires else {
            return false;
        };
        // Only a credential nothing else can grant is truly needed.
        let tree = &self.inst.trees[r];
        let mut necessary = Vec::new();
        necessary_atoms(tree, 0, &mut necessary);
        for b in necessary {
            if self.inst.initial.contains(b) || self.inst.equivalences.iter().any(|e| e.grants == b)
            {
                continue;
            }
            if b == goal {
                return true;
            }
            if !seen.contains(&b) {
                seen.push(b);
                path.push(b);
                if self.cycle_from(b, goal, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
}

fn necessary_atoms(tree: &crate::instance::Tree, n: usize, out: &mut Vec<usize>) {
    match tree.view(n) {
        NodeView::Id(a) => out.push(a),
        NodeView::All(kids) => {
            for &c in kids {
                necessary_atoms(tree, c as usize, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::*;

    fn request(objective: Objective) -> PlanRequest {
        PlanRequest::new(id("t"), date("2027-01-04"), objective)
    }

    fn program() -> Catalog {
        catalog(
            vec![
                cred("intro").cost(100.0).effort(20.0),
                cred("core")
                    .cost(300.0)
                    .effort(40.0)
                    .requires(leaf("intro")),
                cred("fast").cost(900.0).effort(10.0),
                cred("slow").cost(200.0).effort(60.0),
                cred("t").requires(all(vec![
                    leaf("core"),
                    labelled(any(vec![leaf("fast"), leaf("slow")]), "Elective"),
                ])),
            ],
            vec![],
        )
    }

    /// The local ids of a plan's steps, sorted.
    fn step_ids(p: &PlanOutcome) -> Vec<String> {
        let mut ids: Vec<String> = p.steps.iter().map(|s| s.id.local().to_string()).collect();
        ids.sort();
        ids
    }

    #[test]
    fn a_tie_on_cost_goes_to_the_earlier_finish_whichever_is_listed_first() {
        // Same price and effort; one runs over 4 weeks, the other over 8.
        for slow_first in [true, false] {
            let mut options = vec![
                cred("eight-weeks").cost(500.0).effort(40.0).weeks(8.0),
                cred("four-weeks").cost(500.0).effort(40.0).weeks(4.0),
            ];
            if !slow_first {
                options.reverse();
            }
            options.push(cred("t").requires(any(vec![leaf("eight-weeks"), leaf("four-weeks")])));
            let p = plan(&catalog(options, vec![]), &request(Objective::Cost));
            assert!(p.optimal, "{p:?}");
            assert_eq!(step_ids(&p), vec!["four-weeks", "t"], "{p:?}");
            assert_eq!(p.totals.as_ref().unwrap().days, 28);
        }
    }

    #[test]
    fn a_cheap_course_whose_last_start_date_is_missed_is_not_the_cheapest_plan() {
        // "cheap" starts only on 2027-01-11, a week in, but needs "pre",
        // which takes two weeks: no schedule has it. The plan must be the
        // dearer course, not "unreachable".
        let creds = vec![
            cred("pre").cost(10.0).effort(20.0).weeks(2.0),
            cred("cheap")
                .cost(50.0)
                .effort(10.0)
                .weeks(1.0)
                .requires(leaf("pre"))
                .starts(stackpath_model::Starts::Dates(vec![date("2027-01-11")])),
            cred("dear").cost(400.0).effort(10.0).weeks(1.0),
            cred("t").requires(any(vec![leaf("cheap"), leaf("dear")])),
        ];
        let p = plan(&catalog(creds, vec![]), &request(Objective::Cost));
        assert!(p.feasible && p.optimal, "{p:?}");
        assert_eq!(step_ids(&p), vec!["dear", "t"]);
        assert_eq!(p.lower_bound, 400.0);
    }

    /// Two of three courses ("a" and "b" at USD 100, "c" at USD 500), each
    /// 8 of the learner's 10 hours a week for 10 weeks; "a" and "b" start
    /// only on 2027-02-01, and "c" too when `c_on_that_day`.
    fn two_of_three_on_one_day(c_on_that_day: bool) -> Catalog {
        let feb = || stackpath_model::Starts::Dates(vec![date("2027-02-01")]);
        let c = cred("c").cost(500.0).effort(80.0).weeks(10.0);
        let creds = vec![
            cred("a").cost(100.0).effort(80.0).weeks(10.0).starts(feb()),
            cred("b").cost(100.0).effort(80.0).weeks(10.0).starts(feb()),
            if c_on_that_day { c.starts(feb()) } else { c },
            cred("t").requires(at_least(2, vec![leaf("a"), leaf("b"), leaf("c")])),
        ];
        catalog(creds, vec![])
    }

    #[test]
    fn two_cheap_courses_that_cannot_run_together_on_their_one_start_date_give_way() {
        // "a" and "b" (8 of the learner's 10 hours a week each) start only
        // on 2027-02-01. Without the weekly hours they would run side by
        // side, and no list schedule can place both, so only the exact
        // schedule check can prove that no schedule has them: the plan is
        // one of them with the dearer "c", and it is proven optimal.
        let p = plan(&two_of_three_on_one_day(false), &request(Objective::Cost));
        assert!(p.feasible && p.optimal, "{p:?}");
        assert_eq!(p.lower_bound, 600.0);
        let ids = step_ids(&p);
        assert!(ids.iter().any(|i| i == "c") && ids.len() == 3, "{ids:?}");
    }

    #[test]
    fn a_search_stopped_by_its_time_limit_is_not_called_unreachable() {
        // Three courses of 8 of the learner's 10 hours a week, all starting
        // only on 2027-02-01, two of them needed: no schedule exists, which
        // takes a search to prove.
        let cat = two_of_three_on_one_day(true);
        for objective in [Objective::Cost, Objective::Time] {
            let stopped = plan(
                &cat,
                &PlanRequest {
                    time_limit: Some(Duration::ZERO),
                    ..request(objective)
                },
            );
            let u = stopped.unreachable.expect("no plan");
            assert!(!stopped.feasible && u.stopped(), "{objective:?}: {u:?}");
            assert!(
                u.requirements.is_empty(),
                "nothing proven impossible: {u:?}"
            );
            assert!(!u.message.contains("cannot be reached"), "{}", u.message);

            let proven = plan(&cat, &request(objective));
            let u = proven.unreachable.expect("no plan");
            assert!(!proven.feasible && !u.stopped(), "{objective:?}: {u:?}");
            assert!(u.message.contains("cannot be reached"), "{}", u.message);
            // Two of them at once need 16 hours a week: the hours are named.
            assert!(u.message.contains("the hours a week"), "{}", u.message);
        }
    }

    #[test]
    fn the_time_objectives_floors_are_searched_for_only_within_their_time() {
        // Two of three 8-hour courses, all on one start day: a plan takes
        // 16 hours a week and two heavy courses from that class, and 16
        // weeks' work of each packing order. Each floor is a search of its
        // own, milliseconds on a large catalog however short its share, so
        // with no time left none is searched for (the floors stay 0).
        use crate::schedule::{class_unions, packing_floors, window_floors, Prepared};
        let cat = two_of_three_on_one_day(true);
        let inst = instance_for(&cat, &request(Objective::Time));
        let tasks = Prepared::new(&inst).tasks;
        for (time, searched) in [(Duration::from_secs(60), true), (Duration::ZERO, false)] {
            let classes = window_floors(&inst, &tasks, time);
            assert_eq!(classes.len(), 1, "{classes:?}");
            let unions = class_unions(&inst, &tasks, &classes, time);
            let packing = packing_floors(&inst, &tasks, time);
            let floors: Vec<u64> = classes
                .iter()
                .flat_map(|c| [c.weekly, c.heavy].into_iter().chain(c.units))
                .chain(unions.iter().flat_map(|u| u.units))
                .chain(packing.iter().map(|p| p.floor))
                .collect();
            assert_eq!(
                classes[0].heavy,
                if searched { 2 } else { 0 },
                "{classes:?}"
            );
            if searched {
                assert!(floors.iter().all(|&f| f > 0), "{floors:?}");
            } else {
                assert!(floors.iter().all(|&f| f == 0), "{floors:?}");
            }
        }
    }

    #[test]
    fn a_cost_plan_is_dated_and_says_what_each_step_is_for() {
        let p = plan(&program(), &request(Objective::Cost));
        assert!(p.feasible && p.optimal, "{p:?}");
        let ids: Vec<&str> = p.steps.iter().map(|s| s.id.local()).collect();
        assert_eq!(ids.len(), 4);
        assert!(ids.contains(&"slow") && ids.contains(&"intro"));
        let intro = p
            .steps
            .iter()
            .find(|s| s.id.local() == "intro")
            .expect("intro");
        assert_eq!(intro.satisfies, vec![id("core"), id("t")]);
        let totals = p.totals.expect("totals");
        assert_eq!(totals.cost, vec![("USD".to_string(), 600.0)]);
        assert_eq!(p.lower_bound, 600.0);
        // Dates respect requirements.
        let core = p
            .steps
            .iter()
            .find(|s| s.id.local() == "core")
            .expect("core");
        assert!(core.start >= intro.finish);
    }

    #[test]
    fn alternatives_differ_from_the_main_plan() {
        let alts = alternatives(&program(), &request(Objective::Cost));
        assert!(alts
            .iter()
            .any(|a| a.objective == Objective::Effort
                && a.steps.iter().any(|s| s.id.local() == "fast")));
    }

    #[test]
    fn over_budget_names_the_cheapest_cost() {
        let mut r = request(Objective::Effort);
        r.budget = Some(Money {
            amount: 500.0,
            currency: "USD".into(),
        });
        let p = plan(&program(), &r);
        assert!(!p.feasible);
        let u = p.unreachable.expect("reason");
        assert_eq!(
            u.reasons,
            vec![Reason::OverBudget {
                cheapest: 600.0,
                budget: 500.0,
                currency: "USD".into()
            }]
        );
        assert!(
            u.message.contains("cheapest plan costs 600 USD"),
            "{}",
            u.message
        );
    }

    #[test]
    fn unreachable_targets_say_why() {
        let cat = catalog(
            vec![
                cred("locked").not_earnable(),
                cred("heavy").effort(120.0).weeks(10.0),
                cred("x").requires(leaf("y")),
                cred("y").requires(leaf("x")),
                cred("avoided"),
                cred("t").requires(any(vec![
                    leaf("locked"),
                    leaf("heavy"),
                    leaf("x"),
                    leaf("avoided"),
                    leaf("ghost"),
                ])),
            ],
            vec![],
        );
        let mut r = request(Objective::Time);
        r.avoid = vec![id("avoided")];
        let p = plan(&cat, &r);
        assert!(!p.feasible);
        let u = p.unreachable.expect("reason");
        assert!(u
            .reasons
            .contains(&Reason::NotEarnable { id: id("locked") }));
        assert!(u.reasons.contains(&Reason::TooManyHours {
            id: id("heavy"),
            needs: 12.0,
            has: 10.0
        }));
        assert!(u.reasons.contains(&Reason::Avoided { id: id("avoided") }));
        assert!(u
            .reasons
            .contains(&Reason::UnknownCredential { id: id("ghost") }));
        assert!(u
            .reasons
            .iter()
            .any(|r| matches!(r, Reason::HardCycle { cycle } if cycle.len() == 2)));
        assert!(u
            .message
            .contains("needs 12 h/week at its fixed pace but the learner has 10"));
        assert!(u.requirements.contains(&"t:ghost".to_string()));
    }
}
