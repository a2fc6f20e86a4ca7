//! Loads and checks pathway files, printing the summary and timings: the
//! loading benchmark's stand-in for `stackpath check` (bench/load.sh).

use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let paths: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    if std::env::var_os("PHASES").is_some() {
        let t = Instant::now();
        let (files, _) = stackpath_format::find_pathway_files(&paths);
        let mut docs = Vec::new();
        for f in &files {
            let bytes = std::fs::read(f).unwrap_or_default();
            let (d, _) = stackpath_format::parse_pathway(&f.display().to_string(), &bytes);
            docs.extend(d);
        }
        eprintln!("parse {:.3}", t.elapsed().as_secs_f64());
        let t = Instant::now();
        let (_c, d) = stackpath_model::Catalog::build(docs);
        eprintln!(
            "build {:.3} ({} diagnostics)",
            t.elapsed().as_secs_f64(),
            d.len()
        );
    }
    let start = Instant::now();
    let checked = stackpath_format::check(&paths, &stackpath_format::LoadOptions::default());
    let elapsed = start.elapsed();
    if std::env::var_os("QUIET").is_none() {
        print!(
            "{}",
            stackpath_format::render_check_text(&checked.loaded.diagnostics)
        );
    }
    eprintln!(
        "{} ({} credentials) in {:.3} s",
        stackpath_format::summary_line(&checked.loaded.files, &checked.loaded.diagnostics),
        checked.loaded.catalog.credentials().len(),
        elapsed.as_secs_f64()
    );
    std::process::exit(checked.exit_code);
}
