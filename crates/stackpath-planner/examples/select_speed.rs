//! Release-mode timings of proven-optimal set plans (`cost`, `effort`,
//! `count`): instance building and selection, median of repeated runs.
//!
//! ```text
//! cargo run --release -p stackpath-planner --example select_speed -- \
//!     [--ucsd bench-out/ucsd] [--runs 21] [--objective cost|effort|count|all] \
//!     [--only ucsd:program-cse] [--no-synth] [--no-ucsd]
//! ```
//!
//! - **UCSD**: the UC San Diego catalog as `ucsd-to-pathway`
//!   (`crates/stackpath-bench`) writes it, loaded with the format crate's
//!   loader, every program target in its `targets.json`, from no holdings
//!   (as the bench harness plans them).
//! - **Random**: the 7,375-course catalog of `tests/select_scale.rs`, and a
//!   variant with deep prerequisite chains (most courses have prerequisites)
//!   where thousands of credentials are relevant to the target.
//! - **Synthetic 100k**: `stackpath-synth`'s 100,000-credential catalog
//!   (seed 1), its first good targets.

#[path = "../src/fixtures.rs"]
mod fixtures;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use fixtures::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use stackpath_model::{Catalog, CredentialId, Holding, Requirement};
use stackpath_planner::instance::Instance;
use stackpath_planner::select::{select, SelectOptions, SetObjective};

struct Args {
    ucsd: Option<PathBuf>,
    runs: usize,
    objectives: Vec<SetObjective>,
    only: Vec<String>,
    synth: bool,
    random: bool,
    synth_targets: usize,
}

fn parse_args() -> Args {
    let mut a = Args {
        ucsd: None,
        runs: 21,
        objectives: vec![SetObjective::Cost],
        only: Vec::new(),
        synth: true,
        random: true,
        synth_targets: 10,
    };
    let mut ucsd_off = false;
    let mut it = std::env::args().skip(1);
    while let Some(x) = it.next() {
        match x.as_str() {
            "--ucsd" => a.ucsd = it.next().map(PathBuf::from),
            "--runs" => a.runs = it.next().and_then(|v| v.parse().ok()).unwrap_or(21),
            "--only" => a.only.extend(it.next()),
            "--no-synth" => a.synth = false,
            "--no-random" => a.random = false,
            "--no-ucsd" => ucsd_off = true,
            "--synth-targets" => {
                a.synth_targets = it.next().and_then(|v| v.parse().ok()).unwrap_or(10)
            }
            "--objective" => {
                a.objectives = match it.next().as_deref() {
                    Some("effort") => vec![SetObjective::Effort],
                    Some("count") => vec![SetObjective::Count],
                    Some("all") => vec![
                        SetObjective::Cost,
                        SetObjective::Effort,
                        SetObjective::Count,
                    ],
                    _ => vec![SetObjective::Cost],
                }
            }
            _ => {}
        }
    }
    if ucsd_off {
        a.ucsd = None;
    } else if a.ucsd.is_none() {
        a.ucsd = ["bench-out/ucsd", "../../bench-out/ucsd"]
            .iter()
            .map(PathBuf::from)
            .find(|p| p.join("ucsd.pathway.json").exists());
    }
    a
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}

/// Times building the instance and selecting, `runs` times after one warm-up.
fn measure(
    label: &str,
    cat: &Catalog,
    target: &CredentialId,
    holdings: &[Holding],
    objective: SetObjective,
    runs: usize,
) -> Duration {
    let start = date("2027-01-04");
    let go = || {
        let t = Instant::now();
        let inst = Instance::build(cat, target, holdings, start, 10.0, &[]);
        let built = t.elapsed();
        let sel = select(
            &inst,
            &SelectOptions {
                objective,
                budget: None,
                currency: None,
                deadline: None,
            },
        );
        (t.elapsed(), built, inst, sel)
    };
    let _ = go();
    let mut total = Vec::new();
    let mut build = Vec::new();
    let mut last = None;
    for _ in 0..runs.max(1) {
        let (t, b, inst, sel) = go();
        total.push(t);
        build.push(b);
        last = Some((inst, sel));
    }
    let (inst, sel) = last.expect("ran");
    let med = median(total);
    match sel {
        Ok(sel) => {
            assert!(sel.optimal, "{label}: not proven optimal");
            assert_eq!(sel.lower_bound, sel.value);
            println!(
                "{label:<28} {objective:<7?} atoms {:>5} items {:>5}  plan {:>3} value {:>9}  build {:>8} ms  total {:>8} ms  {:?}",
                inst.n_atoms(),
                inst.n_items(),
                sel.items.len(),
                sel.value,
                ms(median(build)),
                ms(med),
                sel.stats
            );
        }
        Err(e) => println!(
            "{label:<28} {objective:<7?} no plan: {e:?}  total {} ms",
            ms(med)
        ),
    }
    med
}

fn prereq(rng: &mut ChaCha8Rng, below: usize, none: f64, distinct: bool) -> Option<Requirement> {
    if below == 0 || rng.gen_bool(none) {
        return None;
    }
    let mut used: Vec<usize> = Vec::new();
    let mut pick = |rng: &mut ChaCha8Rng| {
        let mut k = rng.gen_range(0..below);
        // Distinct picks where asked (and possible): `all[a, a]` needs the
        // same course twice, which can never be met.
        while distinct && used.contains(&k) && used.len() < below {
            k = rng.gen_range(0..below);
        }
        used.push(k);
        leaf(&format!("c{k}"))
    };
    Some(match rng.gen_range(0..4) {
        0 => pick(rng),
        1 => all(vec![pick(rng), pick(rng)]),
        2 => any(vec![pick(rng), pick(rng), pick(rng)]),
        _ => at_least(2, vec![pick(rng), pick(rng), pick(rng)]),
    })
}

fn rebase(r: &mut Requirement, base: usize) {
    use stackpath_model::RequirementKind;
    match &mut r.kind {
        RequirementKind::Credential(cid) => {
            let k: usize = cid.local()[1..].parse().expect("c{k}");
            *cid = id(&format!("c{}", base + k));
        }
        RequirementKind::All(v) | RequirementKind::Any(v) => {
            v.iter_mut().for_each(|r| rebase(r, base))
        }
        RequirementKind::AtLeast { of, .. } => of.iter_mut().for_each(|r| rebase(r, base)),
        RequirementKind::Credits { .. } => {}
    }
}

/// The catalog of `tests/select_scale.rs`; `none` is the chance a course has
/// no prerequisites (0.6 there); `distinct` keeps the ids inside one
/// prerequisite apart (the deep variant needs it to stay reachable).
fn random_catalog(none: f64, distinct: bool) -> Catalog {
    let mut rng = ChaCha8Rng::seed_from_u64(7375);
    let n = 7375;
    let mut creds = Vec::with_capacity(n + 1);
    for i in 0..n {
        let below = i.min(40);
        let base = i - below;
        let mut c = cred(&format!("c{i}"))
            .cost(f64::from(rng.gen_range(3..9)) * 100.0)
            .effort(f64::from(rng.gen_range(20..60)))
            .credits(4.0);
        if let Some(mut r) = prereq(&mut rng, below, none, distinct) {
            rebase(&mut r, base);
            c = c.requires(r);
        }
        if (6000..6030).contains(&i) {
            c = c.tag("pool");
        }
        creds.push(c);
    }
    let core: Vec<Requirement> = (0..8)
        .map(|k| leaf(&format!("c{}", 5000 + k * 37)))
        .collect();
    let electives: Vec<Requirement> = (0..12)
        .map(|k| leaf(&format!("c{}", 6000 + k * 2)))
        .collect();
    creds.push(cred("t").requires(all(vec![
        all(core),
        at_least(4, electives),
        credits(16.0, &[], &["pool"]),
    ])));
    catalog(creds, vec![])
}

// The allocator of the shipped programs (the CLI, the desktop app).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args = parse_args();
    let mut summary: Vec<(String, Vec<Duration>)> = Vec::new();

    if let Some(dir) = &args.ucsd {
        let t = Instant::now();
        let loaded = stackpath_format::load(
            std::slice::from_ref(dir),
            &stackpath_format::LoadOptions::default(),
        );
        println!(
            "UCSD: {} credentials loaded from {} in {} ms",
            loaded.catalog.credentials().len(),
            dir.display(),
            ms(t.elapsed())
        );
        let targets: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join("targets.json")).expect("targets.json"),
        )
        .expect("targets.json is JSON");
        for &objective in &args.objectives {
            let mut times = Vec::new();
            for t in targets.as_array().expect("a list") {
                let tid = t["id"].as_str().expect("an id");
                if !args.only.is_empty() && !args.only.iter().any(|o| o == tid) {
                    continue;
                }
                let cid = CredentialId::parse(tid).expect("valid id");
                times.push(measure(
                    tid,
                    &loaded.catalog,
                    &cid,
                    &[],
                    objective,
                    args.runs,
                ));
            }
            summary.push((format!("UCSD programs, {objective:?}"), times));
        }
    } else {
        println!("UCSD: no converted catalog (run ucsd-to-pathway, or pass --ucsd DIR)");
    }

    if args.random {
        for (label, none, distinct) in [
            ("random 7,375", 0.6, false),
            ("random 7,375 deep", 0.25, true),
        ] {
            let cat = random_catalog(none, distinct);
            let holdings = vec![
                holding("c5000", "2026-01-01"),
                holding("c6002", "2026-01-01"),
            ];
            for &objective in &args.objectives {
                let d = measure(label, &cat, &id("t"), &holdings, objective, args.runs);
                summary.push((format!("{label}, {objective:?}"), vec![d]));
            }
        }
    }

    if args.synth {
        let config = stackpath_synth::SynthConfig::new(100_000, 1);
        let t = Instant::now();
        let synthetic = stackpath_synth::generate_catalog(&config);
        let (cat, _) = Catalog::build(synthetic.documents);
        println!(
            "synthetic: {} credentials generated and built in {} ms",
            cat.credentials().len(),
            ms(t.elapsed())
        );
        for &objective in &args.objectives {
            let mut times = Vec::new();
            let wanted = |t: &CredentialId| {
                args.only.is_empty() || args.only.iter().any(|o| *o == t.to_string())
            };
            let targets: Vec<&CredentialId> = if args.only.is_empty() {
                synthetic.targets.iter().take(args.synth_targets).collect()
            } else {
                synthetic.targets.iter().filter(|t| wanted(t)).collect()
            };
            for target in targets {
                times.push(measure(
                    &target.to_string(),
                    &cat,
                    target,
                    &[],
                    objective,
                    args.runs,
                ));
            }
            summary.push((format!("synthetic 100k, {objective:?}"), times));
        }
    }

    println!();
    println!(
        "{:<36} {:>6} {:>12} {:>12}",
        "case", "plans", "median ms", "max ms"
    );
    for (label, times) in summary {
        if times.is_empty() {
            continue;
        }
        let max = *times.iter().max().expect("non-empty");
        println!(
            "{label:<36} {:>6} {:>12} {:>12}",
            times.len(),
            ms(median(times)),
            ms(max)
        );
    }
}
