//! The `time` objective on program-sized random catalogs (fixed seed):
//! how many plans are proven optimal within the limit, how long they take,
//! and the gap where a limit stops the search.
//!
//! `cargo bench -p stackpath-planner --bench time [-- SIZE... --limit-ms N --per-size N --anytime]`

#[path = "../tests/schedule_support/mod.rs"]
mod schedule_support;

use std::time::{Duration, Instant};

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use schedule_support::catalogs;
use stackpath_planner::schedule::{fastest_for, Hints, Limits};

fn main() {
    let mut sizes: Vec<usize> = Vec::new();
    let mut limit_ms = 1000;
    let mut per_size = 25;
    let mut windows = true;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--limit-ms" => limit_ms = args.next().and_then(|v| v.parse().ok()).unwrap_or(1000),
            "--per-size" => per_size = args.next().and_then(|v| v.parse().ok()).unwrap_or(25),
            "--anytime" => windows = false,
            "--bench" => {}
            s => {
                if let Ok(n) = s.parse() {
                    sizes.push(n);
                }
            }
        }
    }
    if sizes.is_empty() {
        sizes = vec![30, 60, 90, 120];
    }
    let limits = Limits {
        time: Duration::from_millis(limit_ms),
        nodes: u64::MAX,
    };
    let intakes = if windows {
        "semester and monthly intakes"
    } else {
        "every course starts anytime"
    };
    println!(
        "time objective, limit {limit_ms} ms, {per_size} catalogs per size, seed 0x7133, {intakes}"
    );
    println!(
        "{:>5} {:>6} {:>7} {:>7} {:>5} {:>9} {:>9} {:>9} {:>10} {:>10}",
        "size",
        "items",
        "proven",
        "finish",
        "none",
        "median",
        "p90",
        "max",
        "median gap",
        "worst gap"
    );
    let mut rng = ChaCha8Rng::seed_from_u64(0x7133);
    let mut total = (0, 0, 0);
    for &size in &sizes {
        let mut times = Vec::new();
        let (mut proven, mut finish_proven, mut none, mut items) = (0, 0, 0, 0);
        let mut gaps: Vec<(u32, f64)> = Vec::new();
        for _ in 0..per_size {
            let built = catalogs::program_with(&mut rng, size, windows);
            let inst = &built.instance;
            items += inst.n_items();
            let clock = Instant::now();
            let result = fastest_for(inst, &limits, &Hints::default());
            times.push(clock.elapsed());
            match result {
                Ok(plan) => {
                    proven += usize::from(plan.optimal);
                    finish_proven += usize::from(plan.finish_optimal);
                    let gap = plan.schedule.finish - plan.lower_bound;
                    gaps.push((gap, f64::from(gap) / f64::from(plan.schedule.finish.max(1))));
                }
                Err(_) => none += 1,
            }
        }
        times.sort_unstable();
        gaps.sort_unstable_by_key(|g| g.0);
        let gap = |g: Option<&(u32, f64)>| {
            g.map_or("-".to_string(), |g| format!("{}d {:.0}%", g.0, g.1 * 100.0))
        };
        let ms = |d: Duration| format!("{:.1}ms", d.as_secs_f64() * 1000.0);
        println!(
            "{:>5} {:>6} {:>7} {:>7} {:>5} {:>9} {:>9} {:>9} {:>10} {:>10}",
            size,
            items / per_size,
            format!("{proven}/{per_size}"),
            format!("{finish_proven}/{per_size}"),
            none,
            ms(times[times.len() / 2]),
            ms(times[times.len() * 9 / 10]),
            ms(*times.last().unwrap()),
            gap(gaps.get(gaps.len() / 2)),
            gap(gaps.last())
        );
        total.0 += proven;
        total.1 += finish_proven;
        total.2 += per_size;
    }
    println!(
        "all: {}/{} proven optimal (whole key), {}/{} finish proven",
        total.0, total.2, total.1, total.2
    );
}
