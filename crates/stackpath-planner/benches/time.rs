//! The `time` objective on program-sized random catalogs (fixed seed):
//! how many plans are proven optimal within the limit, how long they take,
//! and the gap where a limit stops the search.
//!
//! `cargo bench -p stackpath-planner --bench time [-- SIZE... --limit-ms N --per-size N]`

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
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--limit-ms" => limit_ms = args.next().and_then(|v| v.parse().ok()).unwrap_or(1000),
            "--per-size" => per_size = args.next().and_then(|v| v.parse().ok()).unwrap_or(25),
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
    println!("time objective, limit {limit_ms} ms, {per_size} catalogs per size, seed 0x7133");
    println!(
        "{:>5} {:>6} {:>7} {:>7} {:>7} {:>9} {:>9} {:>9} {:>10}",
        "size", "items", "proven", "finish", "none", "median", "p90", "max", "worst gap"
    );
    let mut rng = ChaCha8Rng::seed_from_u64(0x7133);
    let mut total = (0, 0, 0);
    for &size in &sizes {
        let mut times = Vec::new();
        let (mut proven, mut finish_proven, mut none, mut items) = (0, 0, 0, 0);
        let mut worst_gap = 0u32;
        for _ in 0..per_size {
            let built = catalogs::program(&mut rng, size);
            let inst = &built.instance;
            items += inst.n_items();
            let clock = Instant::now();
            let result = fastest_for(inst, &limits, &Hints::default());
            times.push(clock.elapsed());
            match result {
                Ok(plan) => {
                    proven += usize::from(plan.optimal);
                    finish_proven += usize::from(plan.finish_optimal);
                    worst_gap = worst_gap.max(plan.schedule.finish - plan.lower_bound);
                }
                Err(_) => none += 1,
            }
        }
        times.sort_unstable();
        let ms = |d: Duration| format!("{:.1}ms", d.as_secs_f64() * 1000.0);
        println!(
            "{:>5} {:>6} {:>7} {:>7} {:>7} {:>9} {:>9} {:>9} {:>9}d",
            size,
            items / per_size,
            format!("{proven}/{per_size}"),
            format!("{finish_proven}/{per_size}"),
            none,
            ms(times[times.len() / 2]),
            ms(times[times.len() * 9 / 10]),
            ms(*times.last().unwrap()),
            worst_gap
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
