//! `stackpath check PATH...`: validates pathway (and learner) files and prints
//! every problem as `FILE:LINE:COL: error|warning: message`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use stackpath_format::{LoadOptions, TrustedKey};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Pathway files, folders searched recursively for *.pathway.json, or learner files.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Print one JSON report on standard output, for publishers' CI.
    #[arg(long)]
    pub json: bool,
    /// Trust this ed25519 public key for a publisher's signatures; repeatable.
    #[arg(long = "trust", value_name = "PUBLISHER=KEY")]
    pub trust: Vec<String>,
    /// Load files whose signature does not match, with a warning, instead of refusing them.
    #[arg(long)]
    pub allow_tampered: bool,
}

pub fn run(args: &CheckArgs) -> ExitCode {
    let mut trusted_keys = Vec::new();
    for spec in &args.trust {
        match TrustedKey::parse(spec) {
            Ok(k) => trusted_keys.push(k),
            Err(e) => {
                eprintln!("stackpath: --trust {e}");
                return ExitCode::from(super::EXIT_UNUSABLE_ARGUMENTS);
            }
        }
    }
    let options = LoadOptions {
        trusted_keys,
        allow_tampered: args.allow_tampered,
        ..LoadOptions::default()
    };
    let checked = stackpath_format::check(&args.paths, &options);
    let loaded = &checked.loaded;
    if args.json {
        println!(
            "{}",
            stackpath_format::render_check_json(&loaded.files, &loaded.diagnostics)
        );
    } else {
        print!(
            "{}",
            stackpath_format::render_check_text(&loaded.diagnostics)
        );
    }
    eprintln!(
        "{}",
        stackpath_format::summary_line(&loaded.files, &loaded.diagnostics)
    );
    let code = ExitCode::from(u8::try_from(checked.exit_code).unwrap_or(1));
    // The process ends here: handing a large catalog back to the allocator
    // piece by piece would only add to the time `check` takes (about 5% at
    // 100,000 credentials); the operating system frees it at once.
    std::mem::forget(checked);
    code
}
