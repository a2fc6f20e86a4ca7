//! Dating the cost-optimal set of the synthetic catalog's largest targets:
//! how far the first list schedule is from the bound, and how long the proof
//! takes.
//!
//! ```text
//! cargo run --release -p stackpath-planner --example date_speed -- \
//!     [--targets 10] [--limit-ms 10000] [--only uni-172:degree-1500]
//!     [--redate N] [--plan [--repeat N] [--no-ahead]]
//! ```
//!
//! `--redate N` dates each set N more times and reports the least time.
//!
//! `--plan` times whole `cost` plans instead; `--repeat N` plans each target
//! N times, alternately with and without dating the set search's best set
//! ahead on a second thread, and prints the median of each; `--no-ahead`
//! never dates ahead.
//!
//! With `SHOW=1` in the environment it prints each dated step too.

use std::time::{Duration, Instant};

use stackpath_model::Catalog;
use stackpath_planner::instance::Instance;
use stackpath_planner::schedule::{schedule_set_for, Limits};
use stackpath_planner::select::{select, SelectOptions, SetObjective};

// The allocator of the shipped programs (the CLI, the desktop app).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut targets = 10usize;
    let mut limit_ms = 10_000u64;
    let mut only: Vec<String> = Vec::new();
    let mut whole_plan = false;
    let mut repeat = 0usize;
    let mut redate = 0usize;
    let mut it = std::env::args().skip(1);
    while let Some(x) = it.next() {
        match x.as_str() {
            "--targets" => targets = it.next().and_then(|v| v.parse().ok()).unwrap_or(10),
            "--limit-ms" => limit_ms = it.next().and_then(|v| v.parse().ok()).unwrap_or(10_000),
            "--only" => only.extend(it.next()),
            "--plan" => whole_plan = true,
            "--repeat" => repeat = it.next().and_then(|v| v.parse().ok()).unwrap_or(0),
            "--redate" => redate = it.next().and_then(|v| v.parse().ok()).unwrap_or(0),
            "--no-ahead" => stackpath_planner::plan::date_ahead_after(None),
            _ => {}
        }
    }
    let config = stackpath_synth::SynthConfig::new(100_000, 1);
    let synthetic = stackpath_synth::generate_catalog(&config);
    let (cat, _) = Catalog::build(synthetic.documents);
    let start = chrono::NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
    let mut insts: Vec<(String, Instance)> = synthetic
        .targets
        .iter()
        .filter(|t| only.is_empty() || only.iter().any(|o| t.to_string() == *o))
        .map(|t| {
            (
                t.to_string(),
                Instance::build(
                    &cat,
                    t,
                    &[],
                    start,
                    stackpath_planner::DEFAULT_HOURS_PER_WEEK,
                    &[],
                ),
            )
        })
        .collect();
    insts.sort_by_key(|(_, i)| std::cmp::Reverse(i.n_items()));
    if whole_plan {
        if repeat > 0 {
            plans_both_ways(
                &cat,
                &synthetic.targets,
                &insts,
                start,
                targets,
                limit_ms,
                repeat,
            );
        } else {
            plans(&cat, &synthetic.targets, &insts, start, targets, limit_ms);
        }
        return;
    }
    println!("| target | items | set | select ms | greedy | root lb | finish | lb | proven | date ms | nodes |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|:-:|---:|---:|");
    for (name, inst) in insts.iter().take(targets) {
        let t = Instant::now();
        let sel = select(
            inst,
            &SelectOptions {
                objective: SetObjective::Cost,
                budget: None,
                currency: None,
                deadline: None,
            },
        );
        let select_ms = t.elapsed().as_secs_f64() * 1e3;
        let Ok(sel) = sel else {
            println!("| {name} | {} | no selection |", inst.n_items());
            continue;
        };
        let limits = Limits {
            time: Duration::from_millis(limit_ms),
            nodes: u64::MAX,
        };
        let t = Instant::now();
        let dated = schedule_set_for(inst, &sel.items, &limits);
        let mut date_ms = t.elapsed().as_secs_f64() * 1e3;
        for _ in 0..redate {
            let t = Instant::now();
            let again = schedule_set_for(inst, &sel.items, &limits);
            date_ms = date_ms.min(t.elapsed().as_secs_f64() * 1e3);
            assert_eq!(
                again.ok().map(|p| p.schedule),
                dated.as_ref().ok().map(|p| p.schedule.clone())
            );
        }
        if std::env::var_os("SHOW").is_some() {
            if let Ok(tp) = &dated {
                let prepared = stackpath_planner::schedule::Prepared::new(inst);
                for st in &tp.schedule.steps {
                    let t = &prepared.tasks[st.task];
                    let w = match &t.window {
                        stackpath_planner::schedule::Window::Anytime => "any".to_string(),
                        stackpath_planner::schedule::Window::Days(d) => {
                            format!("{} days from {:?}", d.len(), &d[..d.len().min(4)])
                        }
                    };
                    println!(
                        "  {} {}..{} days {} weekly {} {w}",
                        inst.atoms[st.task].id, st.start, st.finish, t.days, t.weekly
                    );
                }
            }
        }
        match dated {
            Ok(tp) => println!(
                "| {name} | {} | {} | {select_ms:.1} | {:?} | {} | {} | {} | {} | {date_ms:.1} | {} |",
                inst.n_items(),
                sel.items.len(),
                tp.stats.greedy_finish,
                tp.stats.root_lower_bound,
                tp.schedule.finish,
                tp.lower_bound,
                tp.finish_optimal,
                tp.stats.nodes
            ),
            Err(u) => println!(
                "| {name} | {} | {} | {select_ms:.1} | undated: {u:?} | | | | | {date_ms:.1} | |",
                inst.n_items(),
                sel.items.len()
            ),
        }
    }
}

/// `--plan`: the whole `cost` plan, as `stackpath plan` makes it (set,
/// tie-break by finish, dating), timed per target.
fn plans(
    cat: &Catalog,
    targets: &[stackpath_model::CredentialId],
    insts: &[(String, Instance)],
    start: chrono::NaiveDate,
    take: usize,
    limit_ms: u64,
) {
    println!("| target | items | plan ms | proven | finish |");
    println!("|---|---:|---:|:-:|---:|");
    for (name, inst) in insts.iter().take(take) {
        let Some(target) = targets.iter().find(|t| t.to_string() == *name) else {
            continue;
        };
        let request = cost_request(target, start, limit_ms);
        let t = Instant::now();
        let outcome = stackpath_planner::plan(cat, &request);
        let ms = t.elapsed().as_secs_f64() * 1e3;
        println!(
            "| {name} | {} | {ms:.3} | {} | {} |",
            inst.n_items(),
            outcome.feasible && outcome.optimal,
            outcome.totals.map_or(0, |t| t.days)
        );
    }
}

fn cost_request(
    target: &stackpath_model::CredentialId,
    start: chrono::NaiveDate,
    limit_ms: u64,
) -> stackpath_planner::PlanRequest {
    stackpath_planner::PlanRequest {
        time_limit: Some(Duration::from_millis(limit_ms)),
        ..stackpath_planner::PlanRequest::new(
            target.clone(),
            start,
            stackpath_planner::Objective::Cost,
        )
    }
}

/// `--plan --repeat N`: each target's plan `repeat` times with dating ahead
/// and as many without, interleaved; the medians, and whether the plans
/// are the same.
fn plans_both_ways(
    cat: &Catalog,
    targets: &[stackpath_model::CredentialId],
    insts: &[(String, Instance)],
    start: chrono::NaiveDate,
    take: usize,
    limit_ms: u64,
    repeat: usize,
) {
    use stackpath_planner::plan::date_ahead_after;
    println!(
        "| target | items | ahead ms (median) | without ms (median) | dated ahead | same plan |"
    );
    println!("|---|---:|---:|---:|:-:|:-:|");
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    for (name, inst) in insts.iter().take(take) {
        let Some(target) = targets.iter().find(|t| t.to_string() == *name) else {
            continue;
        };
        let request = cost_request(target, start, limit_ms);
        let (mut ahead, mut without) = (Vec::new(), Vec::new());
        let mut same = true;
        let mut taken = 0;
        let mut first: Option<String> = None;
        for _ in 0..repeat {
            for on in [true, false] {
                date_ahead_after(on.then(|| Duration::from_millis(1)));
                let before = stackpath_planner::plan::dated_ahead();
                let t = Instant::now();
                let outcome = stackpath_planner::plan(cat, &request);
                let ms = t.elapsed().as_secs_f64() * 1e3;
                taken += stackpath_planner::plan::dated_ahead() - before;
                if on {
                    ahead.push(ms)
                } else {
                    without.push(ms)
                }
                let shown = format!(
                    "{:?} {:?} {}",
                    outcome.steps, outcome.totals, outcome.optimal
                );
                same &= first.get_or_insert_with(|| shown.clone()) == &shown;
            }
        }
        date_ahead_after(Some(Duration::from_millis(1)));
        println!(
            "| {name} | {} | {:.1} | {:.1} | {taken}/{repeat} | {same} |",
            inst.n_items(),
            median(&mut ahead),
            median(&mut without)
        );
    }
}
