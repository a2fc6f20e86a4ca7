//! Random real catalogs, built in code with the model's types, for the
//! schedule tests (tiny, every construct) and the `time` benchmark
//! (program-sized).

use rand::seq::SliceRandom;
use rand::Rng;
use stackpath_model::{Catalog, CredentialId, Date, Holding, Kind, Requirement, Starts};
use stackpath_planner::instance::Instance;

use super::fixtures::*;

pub const START: &str = "2027-01-01";

/// A built instance with what it was built from.
pub struct Built {
    pub instance: Instance,
    pub description: String,
    /// What the instance was built from, for tests that plan through
    /// [`stackpath_planner::plan::plan`].
    pub catalog: Catalog,
    pub target: CredentialId,
    pub holdings: Vec<Holding>,
    pub hours: f64,
}

fn days_after(d: u32) -> Date {
    date(START) + chrono::Days::new(u64::from(d))
}

/// A requirement over `names` using every construct of the format: ids,
/// `all`, `any`, `at_least`, credit pools by id and by tag, `shared`.
fn requirement(rng: &mut impl Rng, names: &[String], depth: u32) -> Requirement {
    let pick = |rng: &mut dyn rand::RngCore| names[rng.gen_range(0..names.len())].clone();
    if depth == 0 || rng.gen_bool(0.3) {
        return match rng.gen_range(0..8) {
            0 => {
                let k = rng.gen_range(1..=3.min(names.len()));
                let from: Vec<String> = names.choose_multiple(rng, k).cloned().collect();
                let from: Vec<&str> = from.iter().map(String::as_str).collect();
                credits(f64::from(rng.gen_range(1..=6)), &from, &[])
            }
            1 => credits(f64::from(rng.gen_range(1..=6)), &[], &["pool"]),
            2 => leaf("x:outside"),
            _ => leaf(&pick(rng)),
        };
    }
    let len = rng.gen_range(1..=3);
    let kids: Vec<Requirement> = (0..len)
        .map(|_| requirement(rng, names, depth - 1))
        .collect();
    let node = match rng.gen_range(0..3) {
        0 => all(kids),
        1 => any(kids),
        _ => {
            let k = rng.gen_range(1..=kids.len() as u32);
            at_least(k, kids)
        }
    };
    if rng.gen_bool(0.15) {
        shared(node)
    } else {
        node
    }
}

/// A tiny catalog: up to `max` credentials with durations of a few days
/// (weeks in sevenths), fixed-pace loads up to one over the capacity,
/// self-paced items, zero-day awards, date and month windows, credits and
/// tags, equivalences, holdings (one of them expired), cycles.
pub fn tiny(rng: &mut impl Rng, max: usize) -> Built {
    tiny_with(rng, max, false)
}

/// [`tiny`], or with `dated`, more items on listed start dates and prices
/// from fewer values: start dates then often rule out the cheapest set, and
/// plans often tie on the set objectives.
pub fn tiny_with(rng: &mut impl Rng, max: usize, dated: bool) -> Built {
    tiny_mixed(rng, max, dated, false)
}

/// [`tiny_with`] `dated`, crowded: most items on one or two of the first
/// four days, with weekly loads of half the capacity or more, so that items
/// that could each start in time often cannot all run.
pub fn crowded(rng: &mut impl Rng, max: usize) -> Built {
    tiny_mixed(rng, max, true, true)
}

fn tiny_mixed(rng: &mut impl Rng, max: usize, dated: bool, crowded: bool) -> Built {
    stackpath_planner::schedule::check_reused_answers(true);
    let n = rng.gen_range(1..=max);
    let names: Vec<String> = (0..n).map(|i| format!("c{i}")).collect();
    let hours = f64::from(rng.gen_range(1..=4u32));
    let mut creds = Vec::new();
    for name in &names {
        let mut c = cred(name);
        match rng.gen_range(0..10) {
            0 | 1 => c = c.kind(Kind::Diploma).weeks(0.0),
            2 => c = c.effort(hours * f64::from(rng.gen_range(1..=4)) / 7.0),
            _ => {
                let days = rng.gen_range(1..=4);
                let over = u32::from(rng.gen_bool(0.1));
                let least = if crowded { hours as u32 / 2 } else { 0 };
                let weekly = f64::from(rng.gen_range(least..=hours as u32) + over);
                let weeks = f64::from(days) / 7.0;
                c = c.weeks(weeks).effort(weekly * weeks);
            }
        }
        c = match rng.gen_range(0..if dated { 4 } else { 12 }) {
            0..=2 if crowded => c.starts(Starts::Dates(
                (0..rng.gen_range(1..=2))
                    .map(|_| days_after(rng.gen_range(0..4)))
                    .collect(),
            )),
            0 => c.starts(Starts::Dates(
                (0..rng.gen_range(1..=3))
                    .map(|_| days_after(rng.gen_range(0..14)))
                    .collect(),
            )),
            1 => c.starts(Starts::Dates(vec![date("2026-12-01")])),
            2 => c.starts(Starts::Months(vec![rng.gen_range(1..=3)])),
            _ => c,
        };
        if rng.gen_bool(0.5) {
            c = c.credits(f64::from(rng.gen_range(1..=4)));
        }
        if rng.gen_bool(0.5) {
            c = c.tag("pool");
        }
        c = c.cost(f64::from(rng.gen_range(0..if dated { 2 } else { 4 })));
        if rng.gen_bool(0.45) {
            c = c.requires(requirement(rng, &names, 2));
        }
        creds.push(c);
    }
    let mut target = names[rng.gen_range(0..n)].clone();
    if rng.gen_bool(0.5) {
        creds.push(
            cred("goal")
                .kind(Kind::Diploma)
                .weeks(0.0)
                .requires(requirement(rng, &names, 3)),
        );
        target = "goal".into();
    }
    let equivalences = (0..rng.gen_range(0..=2))
        .map(|_| {
            let grants = names[rng.gen_range(0..n)].clone();
            equiv(&grants, requirement(rng, &names, 1))
        })
        .collect();
    let mut holdings: Vec<Holding> = Vec::new();
    if rng.gen_bool(0.3) {
        holdings.push(holding("x:outside", "2026-06-01"));
    }
    if rng.gen_bool(0.2) {
        holdings.push(holding(&names[rng.gen_range(0..n)], "2026-06-01"));
    }
    if rng.gen_bool(0.2) {
        // Expired before the start: it must not count.
        let name = &names[rng.gen_range(0..n)];
        if let Some(c) = creds.iter_mut().find(|c| c.0.id == id(name)) {
            c.0.valid_for_months = Some(1);
        }
        holdings.push(holding(name, "2026-01-01"));
    }
    let description = format!("{creds:#?}\n{equivalences:#?}\n{holdings:#?}\nhours {hours}");
    let catalog = catalog(creds, equivalences);
    let target = id(&target);
    let instance = Instance::build(&catalog, &target, &holdings, date(START), hours, &[]);
    Built {
        instance,
        description,
        catalog,
        target,
        holdings,
        hours,
    }
}

/// A program-sized catalog around one diploma, about `size` items: core
/// courses with prerequisite chains, electives in a credit pool,
/// specialisation courses chosen k of n, certificates stacking into the
/// diploma, alternative providers granting courses through equivalences,
/// semester and monthly intakes, self-paced courses, a few holdings.
pub fn program(rng: &mut impl Rng, size: usize) -> Built {
    program_with(rng, size, true)
}

/// [`program`], with intake windows or with every course starting anytime.
pub fn program_with(rng: &mut impl Rng, size: usize, windows: bool) -> Built {
    let n_core = (size / 5).max(3);
    let n_spec = (size / 6).max(3);
    let n_alt = size / 10;
    let n_cert = (size / 25).max(1);
    let n_elective = size
        .saturating_sub(n_core + n_spec + n_alt + n_cert + 1)
        .max(2);
    let hours = [8.0, 10.0, 12.0, 15.0, 20.0][rng.gen_range(0..5)];
    let mut creds = Vec::new();
    let course = |rng: &mut dyn rand::RngCore, name: &str| {
        let mut c = cred(name).credits(f64::from(rng.gen_range(3..=6)));
        if rng.gen_bool(0.2) {
            c = c.effort(f64::from(rng.gen_range(10..=60)));
        } else {
            let weeks = [4.0, 6.0, 8.0, 10.0, 12.0, 15.0][rng.gen_range(0..6)];
            let weekly = f64::from(rng.gen_range(3..=8));
            c = c.weeks(weeks).effort(weekly * weeks);
            c = match rng.gen_range(0..10) {
                0..=4 if windows => c.starts(Starts::Months(vec![1, 5, 9])),
                5 | 6 if windows => c.starts(Starts::Months((1..=12).collect())),
                _ => c,
            };
        }
        c.cost(f64::from(rng.gen_range(1..=20) * 50))
    };
    let core: Vec<String> = (0..n_core).map(|i| format!("core{i}")).collect();
    for (i, name) in core.iter().enumerate() {
        let mut c = course(rng, name).tag("core");
        if i > 0 && rng.gen_bool(0.6) {
            let a = core[rng.gen_range(0..i)].clone();
            let b = core[rng.gen_range(0..i)].clone();
            c = c.requires(match rng.gen_range(0..3) {
                0 => leaf(&a),
                1 => any(vec![leaf(&a), leaf(&b)]),
                _ => all(vec![leaf(&a), leaf(&b)]),
            });
        }
        creds.push(c);
    }
    let spec: Vec<String> = (0..n_spec).map(|i| format!("spec{i}")).collect();
    for name in &spec {
        let mut c = course(rng, name);
        if rng.gen_bool(0.5) {
            c = c.requires(leaf(&core[rng.gen_range(0..n_core)]));
        }
        creds.push(c);
    }
    let electives: Vec<String> = (0..n_elective).map(|i| format!("elec{i}")).collect();
    for name in &electives {
        let mut c = course(rng, name).tag("elective");
        if rng.gen_bool(0.3) {
            let pre = if rng.gen_bool(0.5) {
                &core[rng.gen_range(0..n_core)]
            } else {
                &electives[rng.gen_range(0..n_elective)]
            };
            // Soft cycles between electives come through the `any`.
            c = c.requires(any(vec![leaf(pre), leaf(&spec[rng.gen_range(0..n_spec)])]));
        }
        creds.push(c);
    }
    let mut equivalences = Vec::new();
    for i in 0..n_alt {
        let name = format!("alt{i}");
        let c = course(rng, &name);
        creds.push(c);
        let grants = if rng.gen_bool(0.5) {
            &core[rng.gen_range(0..n_core)]
        } else {
            &spec[rng.gen_range(0..n_spec)]
        };
        equivalences.push(equiv(grants, leaf(&name)));
    }
    let mut certs = Vec::new();
    for k in 0..n_cert {
        let name = format!("cert{k}");
        let members: Vec<String> = core.choose_multiple(rng, 3.min(n_core)).cloned().collect();
        let leaves: Vec<Requirement> = members.iter().map(|m| leaf(m)).collect();
        let r = if rng.gen_bool(0.5) {
            all(leaves)
        } else {
            at_least(2, leaves)
        };
        creds.push(cred(&name).kind(Kind::Certificate).weeks(0.0).requires(r));
        certs.push(name);
    }
    let k = (n_spec / 3).max(1) as u32;
    let elective_credits = f64::from(rng.gen_range(2..=4) * 5);
    let mut parts: Vec<Requirement> = certs.iter().map(|c| leaf(c)).collect();
    parts.extend(core.iter().filter(|_| rng.gen_bool(0.3)).map(|c| leaf(c)));
    parts.push(at_least(k, spec.iter().map(|s| leaf(s)).collect()));
    parts.push(credits(elective_credits, &[], &["elective"]));
    creds.push(
        cred("diploma")
            .kind(Kind::Diploma)
            .weeks(0.0)
            .requires(all(parts)),
    );
    let held = rng.gen_range(0..=2);
    let holdings: Vec<Holding> = core
        .choose_multiple(rng, held)
        .map(|c| holding(c, "2026-06-01"))
        .collect();
    let catalog = catalog(creds, equivalences);
    let target: CredentialId = id("diploma");
    let instance = Instance::build(&catalog, &target, &holdings, date(START), hours, &[]);
    Built {
        instance,
        description: format!("program of {size}, {hours} h/week"),
        catalog,
        target,
        holdings,
        hours,
    }
}
