//! `stackpath-bench`: the speed benchmarks of issue 3, item 8.
//!
//! - `stackpath-bench ucsd`: on the converted UC San Diego catalog, for each
//!   program target, times the proven-optimal `cost` plan and audits
//!   in-process (the catalog loaded once), then runs `stackpath plan ... --json`
//!   and the CP-SAT peer as whole processes on the identical instance, checks
//!   that both report the same optimal cost, has the peer verify our plan, and
//!   prints a table.
//! - `stackpath-bench synth`: generates the deterministic 100,000-credential
//!   catalog, loads it once, and times plans toward its good targets.
//!
//! `bench/ucsd.sh` builds everything in release mode and runs both.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use clap::{Args, Parser, Subcommand};
use serde_json::{json, Value};
use stackpath_app::dto::{ConstraintsDto, LearnerDto, ObjectiveDto, PlanDto};
use stackpath_app::Engine;
use stackpath_bench::process::{self, ProcessRun};
use stackpath_bench::timing::{ms, Samples};
use stackpath_bench::ucsd;
use stackpath_model::{CredentialId, Date, Holding, Learner};
use stackpath_planner::select::{select, NoSelection, SelectOptions, Selection, SetObjective};
use stackpath_planner::{Instance, Objective, PlanOutcome, PlanRequest, DEFAULT_HOURS_PER_WEEK};

#[derive(Debug, Parser)]
#[command(version, about = "Stackpath's speed benchmarks")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Plans and audits on the converted UC San Diego catalog, against the CP-SAT peer.
    Ucsd(UcsdArgs),
    /// Plans on the deterministic synthetic catalog (100,000 credentials by default).
    Synth(SynthArgs),
}

#[derive(Debug, Args)]
struct Common {
    /// In-process runs per measurement (the median is reported).
    #[arg(long, default_value_t = 21)]
    runs: usize,
    /// The plans' start date.
    #[arg(long, default_value = "2027-01-04")]
    start: String,
    /// The release `stackpath` binary, for whole-process runs; omit to skip them.
    #[arg(long)]
    cli: Option<PathBuf>,
    /// Whole-process runs per target and side.
    #[arg(long, default_value_t = 5)]
    process_runs: usize,
    /// Kill a whole-process run after this many seconds (it is reported).
    #[arg(long, default_value_t = 120.0)]
    process_timeout: f64,
    /// Where to write the results as JSON.
    #[arg(long)]
    results: Option<PathBuf>,
    /// Stop repeating one in-process measurement after this many seconds
    /// (at least 3 runs are always made).
    #[arg(long, default_value_t = 20.0)]
    budget_seconds: f64,
    /// The planner's search time limit for the in-process `select` and
    /// `plan` measurements, in seconds (`Engine::plan` uses the app's own).
    #[arg(long, default_value_t = 60.0)]
    time_limit: f64,
}

impl Common {
    fn budget(&self) -> Duration {
        Duration::from_secs_f64(self.budget_seconds)
    }

    fn time_limit(&self) -> Duration {
        Duration::from_secs_f64(self.time_limit)
    }

    fn process_timeout(&self) -> Duration {
        Duration::from_secs_f64(self.process_timeout)
    }
}

#[derive(Debug, Args)]
struct UcsdArgs {
    /// The folder `ucsd-to-pathway` wrote (ucsd.pathway.json, targets.json).
    #[arg(long, default_value = "bench-out/ucsd")]
    catalog: PathBuf,
    #[command(flatten)]
    common: Common,
    /// The Python that has `ortools` (bench/setup-peer.sh makes one).
    #[arg(long)]
    python: Option<PathBuf>,
    /// The peer script.
    #[arg(long, default_value = "bench/peer_cpsat.py")]
    peer: PathBuf,
    /// Only these targets (repeatable); default all in targets.json.
    #[arg(long)]
    only: Vec<String>,
}

#[derive(Debug, Args)]
struct SynthArgs {
    #[arg(long, default_value_t = 100_000)]
    credentials: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// How many of the generator's good targets, the largest, to time in detail.
    #[arg(long, default_value_t = 10)]
    targets: usize,
    /// Where to write the generated files (replaced).
    #[arg(long, default_value = "bench-out/synth")]
    out: PathBuf,
    /// Objectives to plan with (repeatable).
    #[arg(long, value_parser = parse_objective, default_values = ["cost"])]
    objective: Vec<ObjectiveDto>,
    #[command(flatten)]
    common: Common,
}

/// A plan request as every benchmark here makes it: a learner who holds
/// nothing, at the default hours a week, no budget, nothing avoided.
fn benchmark_request(
    target: &CredentialId,
    start: Date,
    objective: Objective,
    time_limit: Duration,
) -> PlanRequest {
    PlanRequest {
        time_limit: Some(time_limit),
        ..PlanRequest::new(target.clone(), start, objective)
    }
}

fn parse_objective(s: &str) -> Result<ObjectiveDto, String> {
    ObjectiveDto::ALL
        .into_iter()
        .find(|o| o.as_str() == s)
        .ok_or_else(|| format!("unknown objective \"{s}\": time, cost, effort or count"))
}

// The allocator of the `stackpath` CLI, so that the in-process timings are
// those of the shipped program.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Ucsd(args) => run_ucsd(&args),
        Command::Synth(args) => run_synth(&args),
    }
}

fn learner_dto(start: &str) -> LearnerDto {
    LearnerDto {
        name: "benchmark learner".into(),
        holdings: Vec::new(),
        target: None,
        constraints: ConstraintsDto {
            start: Some(start.into()),
            hours_per_week: Some(DEFAULT_HOURS_PER_WEEK),
            budget: None,
            avoid: Vec::new(),
        },
    }
}

fn parse_start(s: &str) -> anyhow::Result<Date> {
    Date::parse_from_str(s, "%Y-%m-%d").with_context(|| format!("--start {s}"))
}

/// An optimal cost in cents, the one currency both sides use.
fn cents(dollars: f64) -> i64 {
    (dollars * 100.0).round() as i64
}

/// Loads a catalog once, timed, and refuses one with errors.
fn load(path: &Path) -> anyhow::Result<(Engine, Duration)> {
    let t = Instant::now();
    let engine = Engine::load(&[path.to_path_buf()]).map_err(|e| anyhow::anyhow!("{e}"))?;
    let took = t.elapsed();
    let errors: Vec<String> = engine
        .diagnostics()
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    if !errors.is_empty() {
        bail!(
            "{} has {} errors, the first: {}",
            path.display(),
            errors.len(),
            errors[0]
        );
    }
    Ok((engine, took))
}

/// Runs `f` up to `runs` times (at least 3), stopping early once `budget`
/// of wall time is spent: a slow planner must not make the benchmark take
/// hours. The summary says how many runs were made.
fn measure_within<T>(runs: usize, budget: Duration, mut f: impl FnMut() -> T) -> (Samples, T) {
    let started = Instant::now();
    let mut times = Vec::new();
    let mut last;
    loop {
        let t = Instant::now();
        last = f();
        times.push(t.elapsed());
        if times.len() >= runs.max(1) || (times.len() >= 3 && started.elapsed() >= budget) {
            break;
        }
    }
    (Samples::new(times), last)
}

/// The stages of one proven-optimal plan, each timed on its own.
struct Stages {
    /// Reducing the catalog to the target's part (`Instance::build`).
    build: Samples,
    /// The proven-optimal set (`select`), on a built instance.
    select: Samples,
    selection: Result<Selection, NoSelection>,
    /// `stackpath_planner::plan`: build, select and date the set.
    plan: Samples,
    outcome: PlanOutcome,
    /// `stackpath_planner::plan` under each other objective, as
    /// `Engine::plan` computes them for its alternatives: (objective, time,
    /// proven optimal).
    others: Vec<(Objective, Samples, bool)>,
}

fn time_stages(
    engine: &Engine,
    target: &CredentialId,
    start: Date,
    objective: Objective,
    runs: usize,
    budget: Duration,
    time_limit: Duration,
) -> Stages {
    let catalog = engine.catalog();
    let build = || Instance::build(catalog, target, &[], start, DEFAULT_HOURS_PER_WEEK, &[]);
    let inst = build();
    let (build_samples, _) = measure_within(runs, budget, build);
    let set_objective = match objective {
        Objective::Effort => SetObjective::Effort,
        Objective::Count => SetObjective::Count,
        Objective::Cost | Objective::Time => SetObjective::Cost,
    };
    let select_once = || {
        select(
            &inst,
            &SelectOptions {
                objective: set_objective,
                budget: None,
                currency: None,
                deadline: Some(Instant::now() + time_limit),
            },
        )
    };
    let (select_samples, selection) = measure_within(runs, budget, select_once);
    let request = benchmark_request(target, start, objective, time_limit);
    let (plan_samples, outcome) =
        measure_within(runs, budget, || stackpath_planner::plan(catalog, &request));
    let others = Objective::ALL
        .into_iter()
        .filter(|&o| o != objective)
        .map(|o| {
            let other = PlanRequest {
                objective: o,
                ..request.clone()
            };
            let (samples, outcome) =
                measure_within(runs, budget, || stackpath_planner::plan(catalog, &other));
            (o, samples, outcome.optimal)
        })
        .collect();
    Stages {
        build: build_samples,
        select: select_samples,
        selection,
        plan: plan_samples,
        outcome,
        others,
    }
}

/// In-process timings of one plan.
struct InProcessPlan {
    plan: PlanDto,
    samples: Samples,
}

fn time_plan(
    engine: &Engine,
    learner: &LearnerDto,
    target: &str,
    objective: ObjectiveDto,
    runs: usize,
    budget: Duration,
) -> Result<InProcessPlan, String> {
    // The first plan warms caches and allocators; it is not counted.
    engine
        .plan(learner, target, objective)
        .map_err(|e| e.message)?;
    let (samples, plan) = measure_within(runs, budget, || engine.plan(learner, target, objective));
    Ok(InProcessPlan {
        plan: plan.map_err(|e| e.message)?,
        samples,
    })
}

fn time_audit(
    engine: &Engine,
    target: &CredentialId,
    holdings: &[String],
    start: Date,
    runs: usize,
) -> anyhow::Result<(Samples, bool)> {
    let learner = Learner {
        name: "audit".into(),
        holdings: holdings
            .iter()
            .map(|id| {
                Ok(Holding {
                    id: CredentialId::parse(id).map_err(|e| anyhow::anyhow!("{id}: {e}"))?,
                    earned: start,
                    source: None,
                })
            })
            .collect::<anyhow::Result<_>>()?,
        target: Some(target.clone()),
        constraints: Default::default(),
    };
    let catalog = engine.catalog();
    stackpath_planner::audit(catalog, &learner, target, start);
    let (samples, audit) = Samples::measure(runs, || {
        stackpath_planner::audit(catalog, &learner, target, start)
    });
    Ok((samples, audit.satisfied))
}

/// Whole-process runs of one command, summarised.
struct ProcessSummary {
    wall: Samples,
    /// Runs killed at `--process-timeout`.
    timed_out: usize,
    /// Median CPU time (user + system, every thread).
    cpu: Option<Duration>,
    last: ProcessRun,
}

fn summarise(runs: Vec<ProcessRun>) -> ProcessSummary {
    let wall = Samples::new(runs.iter().map(|r| r.wall).collect());
    let cpu = runs
        .iter()
        .map(|r| r.cpu)
        .collect::<Option<Vec<_>>>()
        .map(|c| Samples::new(c).median());
    ProcessSummary {
        wall,
        timed_out: runs.iter().filter(|r| r.timed_out).count(),
        cpu,
        last: runs.into_iter().last().expect("at least one run"),
    }
}

fn fmt_ms(d: Duration) -> String {
    let v = ms(d);
    if v < 1.0 {
        format!("{v:.3}")
    } else if v < 100.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.0}")
    }
}

/// A process summary as the tables show it: median wall (median CPU).
fn fmt_process(p: &ProcessSummary) -> String {
    let killed = if p.timed_out > 0 {
        format!(
            ", {} of {} killed at the time limit",
            p.timed_out,
            p.wall.len()
        )
    } else {
        String::new()
    };
    format!("{} ({}){killed}", fmt_ms(p.wall.median()), fmt_cpu(p.cpu))
}

fn fmt_cpu(d: Option<Duration>) -> String {
    d.map(fmt_ms).unwrap_or_else(|| "?".into())
}

fn dollars(c: i64) -> String {
    format!("${}.{:02}", c / 100, c % 100)
}

struct UcsdRow {
    target: String,
    relevant_items: usize,
    stages: Stages,
    app: Result<InProcessPlan, String>,
    audit_empty: Samples,
    audit_full: (Samples, bool),
    cli: Option<ProcessSummary>,
    cli_cents: Option<i64>,
    peer: Option<ProcessSummary>,
    peer_cents: Option<i64>,
    peer_checked_ours: Option<bool>,
}

impl UcsdRow {
    /// Our optimal cost in cents, from the in-process plan.
    fn ours_cents(&self) -> Option<i64> {
        let totals = self.stages.outcome.totals.as_ref()?;
        Some(match totals.cost.len() {
            0 => 0,
            _ => cents(totals.cost.iter().find(|(c, _)| c == "USD")?.1),
        })
    }

    fn proven(&self) -> bool {
        self.stages.outcome.feasible && self.stages.outcome.optimal
    }
}

fn run_ucsd(args: &UcsdArgs) -> anyhow::Result<()> {
    let common = &args.common;
    let start = parse_start(&common.start)?;
    let targets_path = args.catalog.join(ucsd::TARGETS_FILE);
    let targets: Value = serde_json::from_str(
        &std::fs::read_to_string(&targets_path)
            .with_context(|| format!("reading {}", targets_path.display()))?,
    )
    .with_context(|| format!("parsing {}", targets_path.display()))?;
    let targets: Vec<&Value> = targets
        .as_array()
        .context("targets.json is a list")?
        .iter()
        .filter(|t| {
            args.only.is_empty()
                || args
                    .only
                    .iter()
                    .any(|o| t["id"].as_str() == Some(o.as_str()))
        })
        .collect();

    let (engine, load_time) = load(&args.catalog)?;
    eprintln!(
        "loaded {} credentials in {} ms ({} diagnostics)",
        engine.catalog().credentials().len(),
        fmt_ms(load_time),
        engine.diagnostics().len()
    );
    let learner = learner_dto(&common.start);
    let plans_dir = args.catalog.join("plans");
    std::fs::create_dir_all(&plans_dir)?;

    let mut rows = Vec::new();
    for t in targets {
        let id = t["id"].as_str().context("a target has an id")?.to_string();
        let cid = CredentialId::parse(&id).map_err(|e| anyhow::anyhow!("{id}: {e}"))?;
        eprintln!("{id}: in-process");
        let stages = time_stages(
            &engine,
            &cid,
            start,
            Objective::Cost,
            common.runs,
            common.budget(),
            common.time_limit(),
        );
        let relevant_items = Instance::build(
            engine.catalog(),
            &cid,
            &[],
            start,
            DEFAULT_HOURS_PER_WEEK,
            &[],
        )
        .n_items();
        let app = time_plan(
            &engine,
            &learner,
            &id,
            ObjectiveDto::Cost,
            common.runs,
            common.budget(),
        );
        let audit_empty = time_audit(&engine, &cid, &[], start, common.runs)?.0;
        // A senior's audit: every course of the program held, so the exact
        // assignment must choose which electives count toward the 4 and which
        // toward the credit pool.
        let mut everything: Vec<String> = Vec::new();
        for key in ["core", "pool"] {
            for c in t[key].as_array().into_iter().flatten() {
                everything.extend(c.as_str().map(str::to_string));
            }
        }
        let audit_full = time_audit(&engine, &cid, &everything, start, common.runs)?;
        let mut row = UcsdRow {
            target: id.clone(),
            relevant_items,
            stages,
            app,
            audit_empty,
            audit_full,
            cli: None,
            cli_cents: None,
            peer: None,
            peer_cents: None,
            peer_checked_ours: None,
        };

        if let Some(cli) = &common.cli {
            eprintln!("{id}: whole process, ours against the peer");
            let cli_args: Vec<String> = [
                "plan",
                "--catalog",
                &args.catalog.display().to_string(),
                "--target",
                &id,
                "--objective",
                "cost",
                "--json",
                "--no-alternatives",
                "--start",
                &common.start,
            ]
            .iter()
            .map(|s| s.to_string())
            .collect();
            let peer_args: Vec<String> = vec![
                args.peer.display().to_string(),
                "--catalog".into(),
                args.catalog.display().to_string(),
                "--target".into(),
                id.clone(),
            ];
            let mut ours = Vec::new();
            let mut theirs = Vec::new();
            // Interleaved, so a burst of load on the shared machine hits both.
            for _ in 0..common.process_runs.max(1) {
                ours.push(
                    process::run(cli, &cli_args, common.process_timeout())
                        .context("running stackpath")?,
                );
                if let Some(python) = &args.python {
                    theirs.push(
                        process::run(python, &peer_args, common.process_timeout())
                            .context("running the peer")?,
                    );
                }
            }
            let ours = summarise(ours);
            let cli_plan: Option<Value> = serde_json::from_str(&ours.last.stdout).ok();
            row.cli_cents = cli_plan
                .as_ref()
                .filter(|v| v["optimal"] == json!(true))
                .and_then(|v| v["totals"]["cost"]["USD"].as_f64())
                .map(cents);
            if !ours.last.success() {
                eprintln!(
                    "  stackpath exited {:?}: {}",
                    ours.last.exit_code,
                    ours.last.stderr.trim()
                );
            }
            let plan_file = plans_dir.join(format!("{}.plan.json", id.replace(':', "_")));
            std::fs::write(&plan_file, &ours.last.stdout)?;
            row.cli = Some(ours);
            if let Some(python) = &args.python {
                let theirs = summarise(theirs);
                let peer_out: Option<Value> = serde_json::from_str(&theirs.last.stdout).ok();
                row.peer_cents = peer_out
                    .as_ref()
                    .filter(|v| v["optimal"] == json!(true))
                    .and_then(|v| v["value"].as_i64());
                if row.peer_cents.is_none() {
                    eprintln!(
                        "  the peer gave no optimum: {} {}",
                        theirs.last.stdout.trim(),
                        theirs.last.stderr.trim()
                    );
                }
                row.peer = Some(theirs);
                if cli_plan.is_some() {
                    // The peer checks that our plan's set is a valid,
                    // well-founded plan and what it costs.
                    let mut check = peer_args.clone();
                    check.push("--check-plan".into());
                    check.push(plan_file.display().to_string());
                    let verdict = process::run(python, &check, common.process_timeout())?;
                    let v: Option<Value> = serde_json::from_str(&verdict.stdout).ok();
                    let our_cost = cli_plan
                        .as_ref()
                        .and_then(|p| p["totals"]["cost"]["USD"].as_f64())
                        .map(cents);
                    row.peer_checked_ours = Some(v.is_some_and(|v| {
                        v["feasible"] == json!(true) && v["cost_cents"].as_i64() == our_cost
                    }));
                }
            }
        }
        rows.push(row);
    }

    println!("{}", ucsd_table(&rows, load_time, common));
    if let Some(path) = &common.results {
        let json = ucsd_json(&rows, load_time, common);
        std::fs::write(path, serde_json::to_string_pretty(&json)? + "\n")?;
        eprintln!("wrote {}", path.display());
    }
    let unproven: Vec<&str> = rows
        .iter()
        .filter(|r| !r.proven())
        .map(|r| r.target.as_str())
        .collect();
    let mismatched: Vec<&str> = rows
        .iter()
        .filter(|r| {
            let theirs = r.peer_cents;
            let ours = [r.ours_cents(), r.cli_cents];
            theirs.is_some() && ours.iter().any(|o| o.is_some() && *o != theirs)
        })
        .map(|r| r.target.as_str())
        .collect();
    let unverified: Vec<&str> = rows
        .iter()
        .filter(|r| r.peer_checked_ours == Some(false))
        .map(|r| r.target.as_str())
        .collect();
    if !mismatched.is_empty() {
        bail!("the optimum differs from the peer's for {mismatched:?}");
    }
    if !unverified.is_empty() {
        bail!("the peer found our plan invalid for {unverified:?}");
    }
    if !unproven.is_empty() {
        bail!("no proven-optimal plan for {unproven:?}");
    }
    Ok(())
}

fn ucsd_table(rows: &[UcsdRow], load_time: Duration, common: &Common) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "In-process: the UCSD catalog loaded once ({} ms); each figure is the median of up to {} runs \
         (p95 in parentheses), a measurement stopping early after {} s.\n",
        fmt_ms(load_time),
        common.runs,
        common.budget_seconds
    );
    let _ = writeln!(
        s,
        "| target | items | plan steps | optimal cost | proven | build ms | select ms | iterations / landmarks / nodes | plan ms (select + dates) | other objectives' plans ms | `Engine::plan` ms (+ alternatives) | audit ms: none / all held |"
    );
    let _ = writeln!(
        s,
        "|---|---:|---:|---:|:---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    let med = |x: &Samples| format!("{} ({})", fmt_ms(x.median()), fmt_ms(x.percentile(95.0)));
    for r in rows {
        let st = &r.stages;
        let stats = match &st.selection {
            Ok(sel) => format!(
                "{} / {} / {}",
                sel.stats.iterations, sel.stats.constraints, sel.stats.search_nodes
            ),
            Err(e) => format!("{e:?}"),
        };
        let app = match &r.app {
            Ok(p) => format!(
                "{}{}",
                med(&p.samples),
                if p.plan.optimal { "" } else { " not proven" }
            ),
            Err(e) => format!("error: {e}"),
        };
        let others = st
            .others
            .iter()
            .map(|(o, t, optimal)| {
                format!(
                    "{} {}{}",
                    o.as_str(),
                    fmt_ms(t.median()),
                    if *optimal { "" } else { " (not proven)" }
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(
            s,
            "| `{}` | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} / {}{} |",
            r.target,
            r.relevant_items,
            st.outcome.steps.len(),
            r.ours_cents().map(dollars).unwrap_or_else(|| "-".into()),
            if r.proven() { "yes" } else { "NO" },
            med(&st.build),
            med(&st.select),
            stats,
            med(&st.plan),
            others,
            app,
            fmt_ms(r.audit_empty.median()),
            fmt_ms(r.audit_full.0.median()),
            if r.audit_full.1 {
                ""
            } else {
                " (unsatisfied!)"
            }
        );
    }
    if rows.iter().all(|r| r.cli.is_none()) {
        return s;
    }
    let _ = writeln!(
        s,
        "\nWhole process against whole process, on the identical files: `stackpath plan --objective cost --json --no-alternatives` \
         (release) and `peer_cpsat.py` (OR-Tools CP-SAT), interleaved, {} runs each; median wall time \
         (median CPU time, all threads, in parentheses).\n",
        common.process_runs
    );
    let _ = writeln!(
        s,
        "| target | ours | peer | same optimum | our plan checked by the peer | `stackpath plan` ms (cpu) | peer ms (cpu) | speed-up, wall | speed-up, cpu |"
    );
    let _ = writeln!(s, "|---|---:|---:|:---:|:---:|---:|---:|---:|---:|");
    for r in rows {
        let (Some(cli), peer) = (&r.cli, &r.peer) else {
            continue;
        };
        let same = match (r.peer_cents, r.cli_cents) {
            (Some(p), Some(o)) if p == o => "yes",
            (Some(_), Some(_)) => "NO",
            _ => "-",
        };
        let checked = match r.peer_checked_ours {
            Some(true) => "valid, same cost",
            Some(false) => "INVALID",
            None => "-",
        };
        let proc_ms =
            |p: &ProcessSummary| format!("{} ({})", fmt_ms(p.wall.median()), fmt_cpu(p.cpu));
        let ratio = |a: Option<Duration>, b: Option<Duration>| match (a, b) {
            (Some(a), Some(b)) if !b.is_zero() => {
                format!("{:.1}×", a.as_secs_f64() / b.as_secs_f64())
            }
            _ => "-".into(),
        };
        let _ = writeln!(
            s,
            "| `{}` | {} | {} | {} | {} | {} | {} | {} | {} |",
            r.target,
            r.cli_cents
                .map(dollars)
                .unwrap_or_else(|| "not proven".into()),
            r.peer_cents.map(dollars).unwrap_or_else(|| "-".into()),
            same,
            checked,
            proc_ms(cli),
            peer.as_ref().map(proc_ms).unwrap_or_else(|| "-".into()),
            ratio(
                peer.as_ref().map(|p| p.wall.median()),
                Some(cli.wall.median())
            ),
            ratio(peer.as_ref().and_then(|p| p.cpu), cli.cpu),
        );
    }
    s
}

fn samples_json(s: &Samples) -> Value {
    json!({
        "median_ms": ms(s.median()),
        "p95_ms": ms(s.percentile(95.0)),
        "min_ms": ms(s.min()),
        "max_ms": ms(s.max()),
        "runs": s.len(),
    })
}

fn process_json(p: &ProcessSummary) -> Value {
    json!({
        "wall": samples_json(&p.wall),
        "cpu_median_ms": p.cpu.map(ms),
        "timed_out": p.timed_out,
    })
}

fn ucsd_json(rows: &[UcsdRow], load_time: Duration, common: &Common) -> Value {
    json!({
        "benchmark": "ucsd",
        "start": common.start,
        "load_ms": ms(load_time),
        "targets": rows.iter().map(|r| json!({
            "target": r.target,
            "items": r.relevant_items,
            "steps": r.stages.outcome.steps.len(),
            "optimal": r.proven(),
            "ours_cents": r.ours_cents(),
            "cli_cents": r.cli_cents,
            "peer_cents": r.peer_cents,
            "peer_verified_our_plan": r.peer_checked_ours,
            "select_stats": r.stages.selection.as_ref().ok().map(|s| json!({
                "iterations": s.stats.iterations,
                "constraints": s.stats.constraints,
                "search_nodes": s.stats.search_nodes,
                "optimal": s.optimal,
                "value": s.value,
                "lower_bound": s.lower_bound,
            })),
            "build": samples_json(&r.stages.build),
            "select": samples_json(&r.stages.select),
            "plan": samples_json(&r.stages.plan),
            "other_objectives": r.stages.others.iter().map(|(o, t, optimal)| json!({
                "objective": o.as_str(),
                "plan": samples_json(t),
                "optimal": optimal,
            })).collect::<Vec<_>>(),
            "engine_plan": r.app.as_ref().ok().map(|p| samples_json(&p.samples)),
            "audit_no_holdings": samples_json(&r.audit_empty),
            "audit_all_held": samples_json(&r.audit_full.0),
            "cli_process": r.cli.as_ref().map(process_json),
            "peer_process": r.peer.as_ref().map(process_json),
        })).collect::<Vec<_>>(),
    })
}

fn run_synth(args: &SynthArgs) -> anyhow::Result<()> {
    let common = &args.common;
    let start = parse_start(&common.start)?;
    let config = stackpath_synth::SynthConfig::new(args.credentials, args.seed);
    let t = Instant::now();
    let synthetic = stackpath_synth::generate_catalog(&config);
    let files = stackpath_synth::to_files(&synthetic);
    if args.out.exists() {
        std::fs::remove_dir_all(&args.out)
            .with_context(|| format!("clearing {}", args.out.display()))?;
    }
    std::fs::create_dir_all(&args.out)?;
    let mut bytes = 0;
    for (name, text) in &files {
        bytes += text.len();
        std::fs::write(args.out.join(name), text)?;
    }
    eprintln!(
        "generated {} credentials in {} files ({:.1} MB) in {} ms",
        args.credentials,
        files.len(),
        bytes as f64 / 1e6,
        fmt_ms(t.elapsed())
    );
    let (engine, load_time) = load(&args.out)?;
    eprintln!("loaded in {} ms", fmt_ms(load_time));
    let catalog = engine.catalog();

    // Every good target once: the distribution over the whole list.
    // (target, reduced items, time, proven optimal, a plan found)
    let mut sweep: Vec<(CredentialId, usize, Duration, bool, bool)> = Vec::new();
    for target in &synthetic.targets {
        let items =
            Instance::build(catalog, target, &[], start, DEFAULT_HOURS_PER_WEEK, &[]).n_items();
        let request = benchmark_request(
            target,
            start,
            args.objective[0].into_objective(),
            common.time_limit(),
        );
        let t = Instant::now();
        let outcome = stackpath_planner::plan(catalog, &request);
        sweep.push((
            target.clone(),
            items,
            t.elapsed(),
            outcome.feasible && outcome.optimal,
            outcome.feasible,
        ));
    }
    let all = Samples::new(sweep.iter().map(|s| s.2).collect());
    let proven = sweep.iter().filter(|s| s.3).count();
    // The targets without a proven plan, and whether each has a plan.
    let not_proven: Vec<(String, bool)> = sweep
        .iter()
        .filter(|s| !s.3)
        .map(|s| (s.0.to_string(), s.4))
        .collect();
    // The target: a plan within 50 ms of loading.
    const TARGET: Duration = Duration::from_millis(50);
    let mut over: Vec<(String, f64)> = sweep
        .iter()
        .filter(|s| s.2 > TARGET)
        .map(|s| (s.0.to_string(), ms(s.2)))
        .collect();
    over.sort_by(|a, b| b.1.total_cmp(&a.1));
    let slowest = sweep
        .iter()
        .max_by_key(|s| s.2)
        .map(|s| s.0.to_string())
        .unwrap_or_default();

    let mut s = String::new();
    let _ = writeln!(
        s,
        "Synthetic catalog: {} credentials, seed {}, {} files, {:.1} MB; loaded in-process in {} ms.\n\n\
         All {} good targets of the generator, one `{}` plan each after loading: median {} ms, p95 {} ms, \
         max {} ms (`{}`); {} of {} within 50 ms; {} of {} proven optimal (not proven: {}).\n\n\
         The {} targets with the largest reduced instances, median of up to {} runs (p95 in parentheses):\n",
        args.credentials,
        args.seed,
        files.len(),
        bytes as f64 / 1e6,
        fmt_ms(load_time),
        sweep.len(),
        args.objective[0].as_str(),
        fmt_ms(all.median()),
        fmt_ms(all.percentile(95.0)),
        fmt_ms(all.max()),
        slowest,
        sweep.len() - over.len(),
        sweep.len(),
        proven,
        sweep.len(),
        not_proven
            .iter()
            .map(|(id, plan)| format!(
                "`{id}`, {}",
                if *plan { "a plan" } else { "no plan" }
            ))
            .collect::<Vec<_>>()
            .join("; "),
        args.targets,
        common.runs,
    );
    let _ = write!(s, "| target | items |");
    for o in &args.objective {
        let _ = write!(s, " {} plan ms | proven |", o.as_str());
    }
    if common.cli.is_some() {
        let _ = write!(
            s,
            " `stackpath plan` whole process ms (cpu), with alternatives |"
        );
    }
    let _ = writeln!(s);
    let _ = writeln!(
        s,
        "|---|---:|{}{}",
        "---:|:---:|".repeat(args.objective.len()),
        if common.cli.is_some() { "---:|" } else { "" }
    );

    let mut largest = sweep.clone();
    largest.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut results = Vec::new();
    for (target, items, ..) in largest.iter().take(args.targets) {
        let id = target.to_string();
        let _ = write!(s, "| `{id}` | {items} |");
        let mut per_objective = BTreeMap::new();
        for &o in &args.objective {
            eprintln!("{id}: {} plan", o.as_str());
            let request = benchmark_request(target, start, o.into_objective(), common.time_limit());
            stackpath_planner::plan(catalog, &request);
            let (samples, outcome) = measure_within(common.runs, common.budget(), || {
                stackpath_planner::plan(catalog, &request)
            });
            let _ = write!(
                s,
                " {} ({}) | {} |",
                fmt_ms(samples.median()),
                fmt_ms(samples.percentile(95.0)),
                if outcome.feasible && outcome.optimal {
                    "yes"
                } else {
                    "NO"
                }
            );
            per_objective.insert(
                o.as_str(),
                json!({
                    "plan": samples_json(&samples),
                    "optimal": outcome.optimal,
                    "feasible": outcome.feasible,
                    "steps": outcome.steps.len(),
                    "lower_bound": outcome.lower_bound,
                }),
            );
        }
        let mut process_result = None;
        if let Some(cli) = &common.cli {
            let cli_args: Vec<String> = [
                "plan",
                "--catalog",
                &args.out.display().to_string(),
                "--target",
                &id,
                "--objective",
                args.objective[0].as_str(),
                "--json",
                "--start",
                &common.start,
            ]
            .iter()
            .map(|s| s.to_string())
            .collect();
            let runs = (0..common.process_runs.max(1))
                .map(|_| process::run(cli, &cli_args, common.process_timeout()))
                .collect::<std::io::Result<Vec<_>>>()?;
            let summary = summarise(runs);
            let _ = write!(s, " {} |", fmt_process(&summary));
            process_result = Some(process_json(&summary));
        }
        let _ = writeln!(s);
        results.push(json!({
            "target": id,
            "items": items,
            "objectives": per_objective,
            "cli_process": process_result,
        }));
    }
    println!("{s}");
    if let Some(path) = &common.results {
        let json = json!({
            "benchmark": "synth",
            "credentials": args.credentials,
            "seed": args.seed,
            "files": files.len(),
            "bytes": bytes,
            "load_ms": ms(load_time),
            "sweep": {
                "objective": args.objective[0].as_str(),
                "targets": sweep.len(),
                "proven": proven,
                "median_ms": ms(all.median()),
                "p95_ms": ms(all.percentile(95.0)),
                "max_ms": ms(all.max()),
                "slowest": slowest,
                "not_proven": not_proven
                    .iter()
                    .map(|(id, plan)| json!({ "target": id, "plan": plan }))
                    .collect::<Vec<_>>(),
                "within_50_ms": sweep.len() - over.len(),
                "over_50_ms": over
                    .iter()
                    .map(|(id, ms)| json!({ "target": id, "ms": ms }))
                    .collect::<Vec<_>>(),
            },
            "largest": results,
        });
        std::fs::write(path, serde_json::to_string_pretty(&json)? + "\n")?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

/// The planner's objective for a transport one.
trait IntoObjective {
    fn into_objective(self) -> Objective;
}

impl IntoObjective for ObjectiveDto {
    fn into_objective(self) -> Objective {
        match self {
            ObjectiveDto::Time => Objective::Time,
            ObjectiveDto::Cost => Objective::Cost,
            ObjectiveDto::Effort => Objective::Effort,
            ObjectiveDto::Count => Objective::Count,
        }
    }
}
