//! The `stackpath` command: argument parsing and glue over the use-case
//! layer (`stackpath-app`). Exit statuses follow spec/cli.md.

mod check;
mod learner_args;
mod render;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use learner_args::LearnerArgs;
use stackpath_app::dto::ObjectiveDto;

#[derive(Debug, Parser)]
#[command(
    name = "stackpath",
    version,
    about = "Plans stackable learning pathways: the shortest remaining path to a diploma or degree."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate pathway files; prints every problem as FILE:LINE:COL: error|warning: message.
    Check(check::CheckArgs),
    /// What the learner holds toward the target: each requirement, by which holdings, progress.
    Audit {
        #[command(flatten)]
        learner: LearnerArgs,
        /// Print one JSON document instead of text.
        #[arg(long)]
        json: bool,
    },
    /// The shortest remaining path to the target and its schedule.
    Plan {
        #[command(flatten)]
        learner: LearnerArgs,
        /// What to minimise: time (the finish date), cost, effort or count.
        #[arg(long, value_enum, default_value = "time")]
        objective: Objective,
        /// Print one JSON document instead of text.
        #[arg(long)]
        json: bool,
        /// Stop searching after this many seconds and print the best plan found with its
        /// lower bound instead of a proof of optimality. The limit covers the whole search:
        /// the chosen objective gets half of it, the alternatives share the rest.
        #[arg(long = "time-limit", value_name = "SECONDS", default_value_t = 2.0)]
        time_limit: f64,
        /// Plan under the chosen objective only, without the best plans under the others.
        #[arg(long)]
        no_alternatives: bool,
    },
    /// List the catalog's files and its awards (diplomas, degrees, certificates, certifications).
    List {
        /// Pathway files or folders (default: the bundled catalog).
        #[arg(long = "catalog", value_name = "PATH")]
        catalog: Vec<std::path::PathBuf>,
        /// List every credential, not just awards.
        #[arg(long)]
        all: bool,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Objective {
    Time,
    Cost,
    Effort,
    Count,
}

impl From<Objective> for ObjectiveDto {
    fn from(o: Objective) -> Self {
        match o {
            Objective::Time => ObjectiveDto::Time,
            Objective::Cost => ObjectiveDto::Cost,
            Objective::Effort => ObjectiveDto::Effort,
            Objective::Count => ObjectiveDto::Count,
        }
    }
}

/// Exit status for input the command cannot use (`plan` and `audit`).
const EXIT_BAD_INPUT: u8 = 1;
/// Exit status for `check` given arguments it cannot use.
const EXIT_UNUSABLE_ARGUMENTS: u8 = 2;
/// Exit status of `plan` when the target cannot be reached.
const EXIT_UNREACHABLE: u8 = 3;

// Loading a catalog makes hundreds of thousands of small allocations (ids,
// titles, requirement trees); mimalloc serves them about a fifth faster than
// the system allocator (BENCHMARKS.md, "Planning on real data").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ if std::env::args().nth(1).as_deref() == Some("check") => {
                    ExitCode::from(EXIT_UNUSABLE_ARGUMENTS)
                }
                _ => ExitCode::from(EXIT_BAD_INPUT),
            };
        }
    };
    let result = match cli.command {
        Command::Check(args) => return check::run(&args),
        Command::Audit { learner, json } => audit(&learner, json),
        Command::Plan {
            learner,
            objective,
            json,
            time_limit,
            no_alternatives,
        } => plan(
            &learner,
            objective.into(),
            json,
            time_limit,
            !no_alternatives,
        ),
        Command::List { catalog, all } => list(&catalog, all),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("stackpath: {e:#}");
            ExitCode::from(EXIT_BAD_INPUT)
        }
    }
}

/// Names on standard error each holding and each avoided credential that no
/// loaded file defines (a mistyped id, say): it changes nothing, and the plan
/// or audit would otherwise only show that by what it leaves out.
fn warn_unknown_ids(session: &learner_args::Session) {
    let unknown = |id: &str| session.engine.credential(id).is_err();
    for h in session.learner.holdings.iter().filter(|h| unknown(&h.id)) {
        eprintln!(
            "stackpath: warning: the holding \"{}\" is not defined by any loaded pathway file, so it counts for nothing; check its id",
            h.id
        );
    }
    for id in session
        .learner
        .constraints
        .avoid
        .iter()
        .filter(|id| unknown(id))
    {
        eprintln!(
            "stackpath: warning: the avoided credential \"{id}\" is not defined by any loaded pathway file, so avoiding it changes nothing; check its id"
        );
    }
}

fn audit(args: &LearnerArgs, json: bool) -> anyhow::Result<ExitCode> {
    let session = args.resolve()?;
    warn_unknown_ids(&session);
    let audit = session.engine.audit(&session.learner, &session.target)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&audit)?);
    } else {
        print!("{}", render::audit(&audit, &session.learner.name));
    }
    // The process ends here; the operating system frees the catalog at once
    // (see `check::run`).
    std::mem::forget(session);
    Ok(ExitCode::SUCCESS)
}

fn plan(
    args: &LearnerArgs,
    objective: ObjectiveDto,
    json: bool,
    time_limit: f64,
    alternatives: bool,
) -> anyhow::Result<ExitCode> {
    let Ok(limit) = stackpath_app::time_limit_of(time_limit) else {
        anyhow::bail!(
            "--time-limit must be more than 0 and at most {} seconds, not {time_limit}",
            stackpath_app::MAX_TIME_LIMIT.as_secs()
        );
    };
    let session = args.resolve()?;
    warn_unknown_ids(&session);
    let plan = session.engine.plan_within(
        &session.learner,
        &session.target,
        objective,
        limit,
        alternatives,
    )?;
    if json {
        println!("{}", serde_json::to_string_pretty(&plan)?);
    } else {
        print!("{}", render::plan(&plan));
    }
    // The process ends here; the operating system frees the catalog at once
    // (see `check::run`).
    std::mem::forget(session);
    if let (false, Some(why)) = (plan.feasible, &plan.unreachable) {
        if json {
            eprintln!("stackpath: {}", why.message);
        }
        return Ok(ExitCode::from(EXIT_UNREACHABLE));
    }
    Ok(ExitCode::SUCCESS)
}

fn list(paths: &[std::path::PathBuf], all: bool) -> anyhow::Result<ExitCode> {
    let engine = learner_args::load_engine(paths)?;
    let info = engine.catalog_info();
    print!("{}", render::catalog(&info, &engine, all));
    Ok(ExitCode::SUCCESS)
}
