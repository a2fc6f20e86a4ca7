//! `stackpath check` run as a publisher runs it: output lines and exit
//! statuses of spec/cli.md.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn stackpath(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stackpath"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("the stackpath binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_bundled_catalog_is_valid_with_only_soft_cycle_warnings() {
    let out = stackpath(&["check", "pathways"], &repo());
    let stdout = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "stdout:\n{stdout}\nstderr:\n{}",
        text(&out.stderr)
    );
    assert!(!stdout.contains(": error:"), "{stdout}");
    for line in stdout.lines() {
        assert!(
            line.contains(": warning: soft cycle:"),
            "unexpected line: {line}"
        );
    }
    assert!(text(&out.stderr).contains("0 errors"));
}

#[test]
fn errors_are_positioned_and_exit_1() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("bad.pathway.json");
    std::fs::write(
        &file,
        r#"{
  "format": "stackpath.pathway/1",
  "publisher": { "id": "acme", "name": "Acme" },
  "title": "Broken",
  "credentials": [
    { "id": "a", "title": "A", "kind": "lecture" }
  ]
}
"#,
    )
    .expect("write fixture");
    let out = stackpath(&["check", "bad.pathway.json"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    let line = stdout
        .lines()
        .find(|l| l.contains("error"))
        .expect("an error line");
    assert!(line.starts_with("bad.pathway.json:6:"), "{line}");
    assert!(line.contains("unknown kind \"lecture\""), "{line}");
    assert!(
        line.contains("course"),
        "the message lists the kinds: {line}"
    );
}

#[test]
fn a_missing_path_is_an_unusable_argument() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = stackpath(&["check", "no-such.pathway.json"], dir.path());
    assert_eq!(out.status.code(), Some(2));
    let out = stackpath(&["check"], dir.path());
    assert_eq!(out.status.code(), Some(2), "no paths at all");
}

#[test]
fn json_report_counts_problems() {
    let out = stackpath(&["check", "--json", "pathways"], &repo());
    assert_eq!(out.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(report["valid"], true);
    assert_eq!(report["counts"]["errors"], 0);
    let files = report["counts"]["files"].as_u64().expect("a count");
    assert!(files >= 8, "at least eight publishers: {files}");
    let diagnostics = report["diagnostics"].as_array().expect("a list");
    assert!(diagnostics
        .iter()
        .all(|d| d["code"] == "soft-cycle" && d["line"].as_u64() > Some(0)));
}
