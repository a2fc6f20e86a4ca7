//! `check` as the command line uses it: exit statuses, the text and JSON
//! reports, learner files named explicitly.

use std::path::PathBuf;

use stackpath_format::{check, render_check_json, render_check_text, LoadOptions};

fn run(paths: &[&str]) -> stackpath_format::Checked {
    let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    check(&paths, &LoadOptions::default())
}

#[test]
fn exit_statuses_follow_the_cli_contract() {
    assert_eq!(
        run(&["tests/broken/soft-cycle.pathway.json"]).exit_code,
        0,
        "warnings only"
    );
    assert_eq!(
        run(&["tests/broken/unknown-kind.pathway.json"]).exit_code,
        1
    );
    assert_eq!(run(&["tests/broken/bad-learner.learner.json"]).exit_code, 1);
    let missing = run(&[
        "tests/broken/soft-cycle.pathway.json",
        "no/such/file.pathway.json",
    ]);
    assert_eq!(missing.exit_code, 2);
    assert!(render_check_text(&missing.loaded.diagnostics)
        .contains("no/such/file.pathway.json: error: no such file or folder"));
}

#[test]
fn a_folder_without_pathway_files_is_nothing_to_check() {
    let dir = std::env::temp_dir().join(format!("stackpath-empty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let checked = check(std::slice::from_ref(&dir), &LoadOptions::default());
    let _ = std::fs::remove_dir(&dir);
    assert_eq!(checked.exit_code, 2);
    assert_eq!(checked.loaded.diagnostics[0].code, "nothing-to-check");
}

#[test]
fn folders_are_searched_recursively_and_references_cross_files() {
    let checked = run(&["../../pathways"]);
    if checked.loaded.files.is_empty() {
        return; // no bundled catalog in this checkout
    }
    assert_eq!(
        checked.exit_code,
        0,
        "{}",
        render_check_text(&checked.loaded.diagnostics)
    );
    let names: Vec<&str> = checked.loaded.files.iter().map(|f| &*f.file).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "files are loaded in sorted order");
    assert!(names.iter().all(|n| n.ends_with(".pathway.json")));
}

#[test]
fn the_json_report_is_json_with_matching_counts() {
    let checked = run(&[
        "tests/broken/partial-load.pathway.json",
        "tests/broken/unknown-fields.pathway.json",
        "tests/broken/bad-learner.learner.json",
    ]);
    let text = render_check_json(&checked.loaded.files, &checked.loaded.diagnostics);
    let v: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let diags = v["diagnostics"].as_array().expect("list");
    assert_eq!(diags.len(), checked.loaded.diagnostics.len());
    let errors = diags.iter().filter(|d| d["severity"] == "error").count();
    assert_eq!(v["counts"]["errors"], errors);
    assert_eq!(v["counts"]["warnings"], diags.len() - errors);
    assert_eq!(v["counts"]["files"], 3);
    assert_eq!(v["valid"], false);
    let first = &diags[0];
    for key in ["file", "line", "column", "severity", "code", "message"] {
        assert!(!first[key].is_null(), "{key} missing: {first}");
    }
    let files = v["files"].as_array().expect("files");
    let partial = files
        .iter()
        .find(|f| {
            f["file"]
                .as_str()
                .is_some_and(|s| s.ends_with("partial-load.pathway.json"))
        })
        .expect("reported");
    assert_eq!(partial["loaded"], true);
    assert_eq!(
        partial["credentials"], 2,
        "the broken credential is left out"
    );
    assert_eq!(partial["signature"], "unsigned");
    let learner = files
        .iter()
        .find(|f| f["kind"] == "learner")
        .expect("learner reported");
    assert_eq!(learner["loaded"], false);
}
