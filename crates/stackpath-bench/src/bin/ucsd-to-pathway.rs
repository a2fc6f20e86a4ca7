//! `ucsd-to-pathway`: converts the UC San Diego course catalog into a
//! Stackpath pathway file with program-like targets (see the library's `ucsd`
//! module for every convention).

use std::path::PathBuf;

use anyhow::Context;
use clap::Parser;
use stackpath_bench::ucsd::{self, ConvertOptions};

/// Convert ucsd_courses.json into OUT/ucsd.pathway.json and OUT/targets.json.
#[derive(Debug, Parser)]
#[command(version)]
struct Args {
    /// The UCSD catalog (ucsd-course-grapher's ucsd_courses.json).
    #[arg(
        long,
        default_value = "../shared/data/catalogs/ucsd-course-grapher/ucsd_courses.json"
    )]
    input: PathBuf,
    /// The folder to write into; created if missing. Never commit its content.
    #[arg(long, default_value = "bench-out/ucsd")]
    out: PathBuf,
    /// Seeds the choice of each program's courses.
    #[arg(long, default_value_t = ucsd::DEFAULT_SEED)]
    seed: u64,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let options = ConvertOptions {
        seed: args.seed,
        ..ConvertOptions::default()
    };
    let conversion = ucsd::convert_file(&args.input, &args.out, &options)
        .with_context(|| format!("converting {}", args.input.display()))?;
    eprintln!("{}", conversion.stats);
    for t in &conversion.targets {
        eprintln!("target {}: {}", t.id, t.title);
    }
    eprintln!("wrote {}", args.out.join(ucsd::PATHWAY_FILE).display());
    Ok(())
}
