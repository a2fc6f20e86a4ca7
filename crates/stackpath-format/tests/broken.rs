//! One snapshot per kind of problem: every `tests/broken/NAME.pathway.json`
//! (or `NAME.learner.json`) is checked on its own, and the
//! `FILE:LINE:COL: severity: message` lines must equal `NAME.expected`.
//! Run with `UPDATE_EXPECT=1` to rewrite the expectations after a deliberate
//! change, then review the diff.

use std::path::{Path, PathBuf};

use stackpath_format::{check, render_check_text, LoadOptions};

fn fixtures() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir("tests/broken")
        .expect("tests/broken exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            n.ends_with(".pathway.json") || n.ends_with(".learner.json")
        })
        .collect();
    out.sort();
    out
}

fn expected_path(fixture: &Path) -> PathBuf {
    let name = fixture
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let stem = name
        .strip_suffix(".pathway.json")
        .or_else(|| name.strip_suffix(".learner.json"))
        .unwrap_or(name);
    fixture.with_file_name(format!("{stem}.expected"))
}

#[test]
fn every_broken_file_gives_its_expected_diagnostics() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let fixtures = fixtures();
    assert!(fixtures.len() >= 25, "only {} fixtures", fixtures.len());
    let mut failures = Vec::new();
    for fixture in &fixtures {
        let checked = check(std::slice::from_ref(fixture), &LoadOptions::default());
        let actual = render_check_text(&checked.loaded.diagnostics);
        let exit = format!("exit {}\n", checked.exit_code);
        let actual = format!("{actual}{exit}");
        assert!(
            !checked.loaded.diagnostics.is_empty(),
            "{} gives no diagnostic at all",
            fixture.display()
        );
        for d in &checked.loaded.diagnostics {
            assert!(
                d.at.line >= 1 && d.at.column >= 1,
                "{}: diagnostic without a position: {d}",
                fixture.display()
            );
        }
        let path = expected_path(fixture);
        if update {
            std::fs::write(&path, &actual).expect("write expectation");
            continue;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        if expected != actual {
            failures.push(format!(
                "--- {}\n+++ actual\n{expected}\n=== actual:\n{actual}",
                path.display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixtures differ (UPDATE_EXPECT=1 rewrites them):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every stable diagnostic code the format can give for a single file is
/// pinned by at least one fixture.
#[test]
fn fixtures_cover_every_kind_of_problem() {
    let mut codes = std::collections::BTreeSet::new();
    for fixture in fixtures() {
        let checked = check(std::slice::from_ref(&fixture), &LoadOptions::default());
        codes.extend(checked.loaded.diagnostics.iter().map(|d| d.code));
    }
    for code in [
        "json-syntax",
        "trailing-comma",
        "unterminated-string",
        "bad-escape",
        "invalid-utf8",
        "lone-surrogate",
        "duplicate-key",
        "trailing-content",
        "too-deep",
        "byte-order-mark",
        "wrong-type",
        "missing-field",
        "unknown-field",
        "unknown-key",
        "bad-format",
        "unsupported-version",
        "bad-id",
        "bad-publisher-id",
        "bad-tag",
        "unknown-kind",
        "at-least-out-of-range",
        "empty-list",
        "empty-pool",
        "credits-not-positive",
        "misplaced-key",
        "bad-requirement",
        "out-of-range",
        "not-an-integer",
        "bad-currency",
        "bad-date",
        "bad-starts",
        "too-long",
        "duplicate-id",
        "unknown-credential",
        "unknown-tag",
        "foreign-grant",
        "hard-cycle",
        "soft-cycle",
        "tampered",
    ] {
        assert!(codes.contains(code), "no fixture gives \"{code}\"");
    }
}
