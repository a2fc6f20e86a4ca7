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
use stackpath_model::{Catalog, CredentialId, Holding};
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
            let cat = program_catalog(none, distinct);
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
