//! What the workspace tests share: the bundled catalog and the sample
//! learner, read from the repository. Each test file uses part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use stackpath_app::workspace::{Source, Workspace};

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every bundled pathway file, by name.
pub fn bundled() -> Vec<Source> {
    let mut out = Vec::new();
    let mut stack = vec![repo().join("pathways")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.to_string_lossy().ends_with(".pathway.json") {
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                out.push((name, std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

pub fn sample() -> Option<Source> {
    let path = repo().join("pathways/learners/sample.learner.json");
    Some(("sample.learner.json".into(), std::fs::read(path).unwrap()))
}

/// A workspace on the bundled catalog, seeded with the sample learner.
pub fn open(db: &Path) -> Workspace {
    Workspace::open(db, bundled(), sample()).expect("workspace opens")
}
