//! The JSON Schemas in `pathways/schema/` (for publishers' editors) agree
//! with the reader: every bundled file is valid, and every broken fixture
//! whose problem a schema can express is refused.

mod support;

use std::path::Path;

use serde_json::Value;

fn schema(name: &str) -> jsonschema::Validator {
    let text = std::fs::read_to_string(Path::new("../../pathways/schema").join(name))
        .expect("schema file exists");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    assert_eq!(
        schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
        "draft 2020-12"
    );
    jsonschema::validator_for(&schema).expect("schema compiles")
}

fn errors(v: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    v.iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect()
}

#[test]
fn every_bundled_file_is_valid_against_its_schema() {
    let pathway = schema("pathway.schema.json");
    let learner = schema("learner.schema.json");
    let mut count = 0;
    for (ending, v) in [(".pathway.json", &pathway), (".learner.json", &learner)] {
        for p in support::bundled(ending) {
            let text = std::fs::read_to_string(&p).expect("readable");
            let instance: Value = serde_json::from_str(&text).expect("JSON");
            let errs = errors(v, &instance);
            assert!(errs.is_empty(), "{}: {errs:#?}", p.display());
            count += 1;
        }
    }
    assert!(
        count > 0 || std::env::var_os("CI").is_none(),
        "no bundled files found"
    );
}

/// Fixtures whose problem a JSON Schema can express: each must be refused.
const REFUSED: &[&str] = &[
    "at-least-out-of-range",
    "bad-dates",
    "bad-format-version",
    "bad-ids",
    "bad-learner",
    "bad-publisher-id",
    "bad-starts",
    "bad-values",
    "credits-not-positive",
    "credits-shape",
    "empty-list",
    "future-learner",
    "learner-format-in-pathway",
    "malformed-format",
    "misplaced-key",
    "missing-fields",
    "missing-publisher",
    "negative-cost",
    "not-an-object",
    "oversize-strings",
    "partial-load",
    "requirement-shapes",
    "unknown-kind",
    "unknown-requirement-key",
    "wrong-types",
];

/// Fixtures a schema cannot judge: problems across credentials (duplicates,
/// references, cycles, foreign grants), signatures, nesting depth,
/// duplicate keys (which JSON Schema tools silently merge), and warnings.
const ACCEPTED: &[&str] = &[
    "dangling-reference",
    "duplicate-id",
    "duplicate-key",
    "foreign-grant",
    "hard-cycle",
    "requirement-too-deep",
    "soft-cycle",
    "tampered-signature",
    "unknown-fields",
];

#[test]
fn schema_detectable_broken_fixtures_are_refused() {
    let pathway = schema("pathway.schema.json");
    let learner = schema("learner.schema.json");
    let mut entries: Vec<_> = std::fs::read_dir("tests/broken")
        .expect("fixtures")
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    let mut judged = 0;
    for p in entries {
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let (stem, v) = if let Some(s) = name.strip_suffix(".pathway.json") {
            (s, &pathway)
        } else if let Some(s) = name.strip_suffix(".learner.json") {
            (s, &learner)
        } else {
            continue;
        };
        let Ok(text) = std::fs::read_to_string(&p) else {
            continue; // not UTF-8: not a schema's business
        };
        let Ok(instance) = serde_json::from_str::<Value>(&text) else {
            continue; // not JSON: not a schema's business
        };
        judged += 1;
        let errs = errors(v, &instance);
        if REFUSED.contains(&stem) {
            assert!(!errs.is_empty(), "the schema accepts broken {name}");
        } else if ACCEPTED.contains(&stem) {
            assert!(errs.is_empty(), "the schema refuses {name}: {errs:#?}");
        } else {
            panic!("{name} is JSON: add it to REFUSED or ACCEPTED in tests/schema.rs");
        }
    }
    assert_eq!(judged, REFUSED.len() + ACCEPTED.len());
}
