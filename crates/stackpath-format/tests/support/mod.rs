//! Helpers shared by the integration tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use stackpath_model::{Learner, Origin, PathwayDocument, Requirement};

/// The repository's bundled files with the given ending, sorted.
pub fn bundled(ending: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    walk(Path::new("../../pathways"), ending, &mut out);
    out.sort();
    out
}

fn walk(dir: &Path, ending: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, ending, out);
        } else if p.to_string_lossy().ends_with(ending) {
            out.push(p);
        }
    }
}

fn blank() -> Origin {
    Origin::synthetic("-")
}

fn strip_requirement(r: &mut Requirement) {
    r.origin = blank();
    match &mut r.kind {
        stackpath_model::RequirementKind::All(v) | stackpath_model::RequirementKind::Any(v) => {
            v.iter_mut().for_each(strip_requirement)
        }
        stackpath_model::RequirementKind::AtLeast { of, .. } => {
            of.iter_mut().for_each(strip_requirement)
        }
        _ => {}
    }
}

/// The document with every position and the file name blanked, so that
/// documents read from different texts can be compared.
pub fn strip(mut d: PathwayDocument) -> PathwayDocument {
    d.file = Arc::from("-");
    for c in &mut d.credentials {
        c.origin = blank();
        c.requires.iter_mut().for_each(strip_requirement);
        c.recommended.iter_mut().for_each(strip_requirement);
    }
    for e in &mut d.equivalences {
        e.origin = blank();
        strip_requirement(&mut e.when);
    }
    d
}

pub fn same_learner(a: &Learner, b: &Learner) -> bool {
    a == b
}

/// Checks that every diagnostic points inside `text` (or just past its end).
pub fn assert_positions_inside(text: &[u8], diags: &[stackpath_model::Diagnostic]) {
    let s = String::from_utf8_lossy(text);
    let s = s.strip_prefix('\u{feff}').unwrap_or(&s);
    let lines: Vec<usize> = s
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .split('\n')
        .map(|l| l.chars().count())
        .collect();
    for d in diags {
        let (line, col) = (d.at.line as usize, d.at.column as usize);
        assert!(line >= 1 && col >= 1, "unpositioned: {d}");
        assert!(
            line <= lines.len(),
            "line past the end ({} lines): {d}",
            lines.len()
        );
        assert!(
            col <= lines[line - 1] + 1,
            "column past the line ({} chars): {d}",
            lines[line - 1]
        );
    }
}
