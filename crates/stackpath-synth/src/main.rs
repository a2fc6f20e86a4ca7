//! `stackpath-synth --credentials N --seed S --out DIR [--publishers P]`:
//! writes a deterministic synthetic catalog as `*.pathway.json` files in
//! DIR, and the good target ids, one a line, in `DIR/targets.txt`.

use std::path::PathBuf;
use std::process::ExitCode;

use stackpath_synth::{generate_catalog, to_files, SynthConfig};

const USAGE: &str =
    "usage: stackpath-synth --credentials N [--seed S] [--publishers P] [--soft-cycles C] --out DIR";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("stackpath-synth: {e}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let mut config = SynthConfig::new(1000, 1);
    let mut out: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        let number = |v: String| {
            v.parse::<u64>()
                .map_err(|_| format!("\"{v}\" is not a whole number"))
        };
        match flag.as_str() {
            "--credentials" => config.credentials = number(value()?)? as usize,
            "--seed" => config.seed = number(value()?)?,
            "--publishers" => config.publishers = Some(number(value()?)? as usize),
            "--soft-cycles" => config.soft_cycles = Some(number(value()?)? as usize),
            "--out" => out = Some(PathBuf::from(value()?)),
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            other => return Err(format!("unknown argument \"{other}\"")),
        }
    }
    let out = out.ok_or("--out DIR is required")?;
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let synthetic = generate_catalog(&config);
    let files = to_files(&synthetic);
    let mut bytes = 0;
    for (name, text) in &files {
        let path = out.join(name);
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        bytes += text.len();
    }
    let targets: String = synthetic.targets.iter().map(|t| format!("{t}\n")).collect();
    std::fs::write(out.join("targets.txt"), targets)
        .map_err(|e| format!("cannot write targets.txt: {e}"))?;
    eprintln!(
        "wrote {} credentials in {} files ({} bytes) to {}",
        config.credentials,
        files.len(),
        bytes,
        out.display()
    );
    Ok(())
}
