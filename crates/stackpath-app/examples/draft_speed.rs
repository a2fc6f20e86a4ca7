//! The engine's share of a change in the desktop app, in-process: for each
//! bundled learner and each objective, the audit and the draft plan the
//! window paints first (`Workspace::plan_draft`, 10 ms search limit), then
//! the full plan that replaces it. Medians over repeated runs, release build:
//!
//! ```text
//! cargo run --release -p stackpath-app --example draft_speed [-- RUNS]
//! ```

use std::time::{Duration, Instant};

use stackpath_app::dto::ObjectiveDto;
use stackpath_app::workspace::DRAFT_TIME_LIMIT;
use stackpath_app::{bundled_catalog_dir, Engine};

fn median(mut v: Vec<Duration>) -> f64 {
    v.sort();
    v[v.len() / 2].as_secs_f64() * 1000.0
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> f64 {
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed()
            })
            .collect(),
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(11);
    let root = bundled_catalog_dir();
    let engine = Engine::load(std::slice::from_ref(&root))?;
    let mut learners: Vec<_> = std::fs::read_dir(root.join("learners"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".learner.json"))
        .collect();
    learners.sort();
    println!(
        "{:<36} {:<7} {:>9} {:>9} {:>9}   (median ms of {runs})",
        "learner", "obj", "audit", "draft", "full"
    );
    for path in learners {
        let learner = Engine::learner_from_file(&path)?;
        let Some(target) = learner.target.clone() else {
            continue;
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for objective in [
            ObjectiveDto::Time,
            ObjectiveDto::Cost,
            ObjectiveDto::Effort,
            ObjectiveDto::Count,
        ] {
            let audit = time(runs, || engine.audit(&learner, &target));
            let draft = time(runs, || {
                engine.plan_draft(&learner, &target, objective, DRAFT_TIME_LIMIT)
            });
            let full = time(3.min(runs), || engine.plan(&learner, &target, objective));
            println!(
                "{name:<36} {:<7} {audit:>9.2} {draft:>9.2} {full:>9.1}",
                format!("{objective:?}").to_lowercase()
            );
        }
    }
    Ok(())
}
