//! Build script of the desktop shell.
//!
//! 1. Declares the app's commands to Tauri, so that each gets an
//!    `allow-<command>` permission and is denied unless a capability file
//!    (`capabilities/main.json`) grants it.
//! 2. Embeds the bundled catalog (`pathways/**/*.pathway.json`) and the
//!    sample learner in the binary, so the installed app needs no resource
//!    folder and starts without scanning the disk.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Every command `src/lib.rs` registers. Keep in step with
/// `generate_handler!` there and with `capabilities/main.json`; a test
/// checks all three agree.
const COMMANDS: &[&str] = &[
    "app_info",
    "workspace",
    "select_learner",
    "create_learner",
    "save_learner",
    "delete_learner",
    "search_credentials",
    "credential",
    "audit",
    "plan_draft",
    "plan",
    "stop_planning",
    "import_pathway",
    "remove_pathway",
    "save_plan",
    "saved_plans",
    "delete_saved_plan",
    "save_settings",
];

fn main() {
    embed_catalog();
    std::fs::write(
        Path::new(&std::env::var("OUT_DIR").unwrap()).join("commands.rs"),
        format!("pub const COMMANDS: &[&str] = &{COMMANDS:?};\n"),
    )
    .expect("cannot write commands.rs");
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri-build failed");
}

fn pathway_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            pathway_files(&path, out);
        } else if path.to_string_lossy().ends_with(".pathway.json") {
            out.push(path);
        }
    }
}

fn embed_catalog() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let pathways = manifest.join("../pathways");
    println!("cargo:rerun-if-changed={}", pathways.display());
    let mut files = Vec::new();
    pathway_files(&pathways, &mut files);
    files.sort();
    let mut code = String::from("pub static BUNDLED_PATHWAYS: &[(&str, &[u8])] = &[\n");
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy();
        let path = file.canonicalize().unwrap();
        writeln!(
            code,
            "    ({name:?}, include_bytes!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");
    let sample = pathways.join("learners/sample.learner.json");
    if sample.is_file() {
        let path = sample.canonicalize().unwrap();
        writeln!(
            code,
            "pub static SAMPLE_LEARNER: Option<(&str, &[u8])> = Some((\"sample.learner.json\", include_bytes!({:?})));",
            path.display().to_string()
        )
        .unwrap();
    } else {
        code.push_str("pub static SAMPLE_LEARNER: Option<(&str, &[u8])> = None;\n");
    }
    std::fs::write(
        Path::new(&std::env::var("OUT_DIR").unwrap()).join("bundled_catalog.rs"),
        code,
    )
    .expect("cannot write bundled_catalog.rs");
}
