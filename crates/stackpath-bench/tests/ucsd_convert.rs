//! The UCSD converter on small hand-written catalogs shaped like
//! `ucsd_courses.json`, and once on the real file.

use std::path::PathBuf;

use serde_json::{json, Value};
use stackpath_bench::ucsd::{
    self, convert, convert_prereqs, cost_cents, local_id, parse_units, ConvertError,
    ConvertOptions, ConvertedPrereqs, ProgramSpec,
};

fn requires(own: &str, prereqs: Value) -> Value {
    match convert_prereqs(own, Some(&prereqs)).expect("converts") {
        ConvertedPrereqs::Requires(r) => r,
        other => panic!("expected a requirement, got {other:?}"),
    }
}

/// A course entry as UCSD writes it.
fn course(code: &str, units: &str, prereqs: Option<Value>) -> (String, Value) {
    let mut c = json!({
        "code": code,
        "title": format!("Title of {code}"),
        "units": units,
        "dept": code.split(' ').next().unwrap(),
        "description": "A course.",
    });
    if let Some(p) = prereqs {
        c["prereqs"] = p;
    }
    (code.to_string(), c)
}

fn catalog(courses: Vec<(String, Value)>) -> Value {
    Value::Object(courses.into_iter().collect())
}

fn no_programs() -> ConvertOptions {
    ConvertOptions {
        programs: Vec::new(),
        ..ConvertOptions::default()
    }
}

fn credential<'a>(doc: &'a Value, local: &str) -> &'a Value {
    doc["credentials"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == local)
        .unwrap_or_else(|| panic!("no credential {local}"))
}

#[test]
fn a_single_code_becomes_an_id_leaf() {
    assert_eq!(requires("CSE 100", json!("CSE 12")), json!("CSE-12"));
}

#[test]
fn all_one_and_two_become_all_any_and_at_least_2() {
    let tree = json!({"type": "all", "courses": [
        "CSE 21",
        {"type": "one", "courses": ["MATH 18", "MATH 31AH"]},
        {"type": "two", "courses": ["PHYS 2A", "PHYS 2B", "PHYS 2C"]}
    ]});
    assert_eq!(
        requires("CSE 100", tree),
        json!({"all": [
            "CSE-21",
            {"any": ["MATH-18", "MATH-31AH"]},
            {"at_least": 2, "of": ["PHYS-2A", "PHYS-2B", "PHYS-2C"]}
        ]})
    );
}

#[test]
fn a_tree_naming_one_course_twice_is_shared() {
    // BIBC 100: BENG 120 satisfies both chemistry requirements at UCSD.
    let tree = json!({"type": "all", "courses": [
        {"type": "one", "courses": ["BENG 120", "CHEM 40A"]},
        {"type": "one", "courses": ["BENG 120", "CHEM 40B"]}
    ]});
    assert_eq!(
        requires("BIBC 100", tree),
        json!({"shared": true, "all": [
            {"any": ["BENG-120", "CHEM-40A"]},
            {"any": ["BENG-120", "CHEM-40B"]}
        ]})
    );
}

#[test]
fn self_references_are_dropped_and_a_course_needing_itself_is_not_earnable() {
    assert_eq!(
        requires(
            "PHB 243B",
            json!({"type": "one", "courses": ["FMPH 243A", "PHB 243B"]})
        ),
        json!({"any": ["FMPH-243A"]})
    );
    assert_eq!(
        requires(
            "VIS 129F",
            json!({"type": "one", "courses": ["VIS 112", {"type": "two", "courses": ["VIS 113AN", "VIS 129F"]}]})
        ),
        json!({"any": ["VIS-112"]})
    );
    assert_eq!(
        convert_prereqs("DSC 500", Some(&json!("DSC 500"))),
        Ok(ConvertedPrereqs::NeverMet)
    );
    let doc = convert(
        &catalog(vec![course("DSC 500", "1", Some(json!("DSC 500")))]),
        &no_programs(),
    )
    .expect("converts")
    .document;
    let dsc = credential(&doc, "DSC-500");
    assert_eq!(dsc["earnable"], json!(false));
    assert!(dsc.get("requires").is_none());
}

#[test]
fn malformed_trees_are_refused() {
    for bad in [
        json!({"type": "some", "courses": ["A 1"]}),
        json!({"type": "all", "courses": []}),
        json!({"type": "two", "courses": ["A 1"]}),
        json!({"type": "all", "courses": ["A 1"], "extra": 1}),
        json!(12),
    ] {
        assert!(convert_prereqs("B 2", Some(&bad)).is_err(), "{bad}");
    }
    assert_eq!(convert_prereqs("B 2", None), Ok(ConvertedPrereqs::None));
    assert_eq!(
        convert_prereqs("B 2", Some(&Value::Null)),
        Ok(ConvertedPrereqs::None)
    );
}

#[test]
fn unknown_prerequisites_are_kept_as_references() {
    let conversion = convert(
        &catalog(vec![
            course("CSE 12", "4", None),
            course(
                "CSE 100",
                "4",
                Some(json!({"type": "one", "courses": ["CSE 12", "CSE 9999"]})),
            ),
            course("CSE 101", "4", Some(json!("RETIRED 1"))),
        ]),
        &no_programs(),
    )
    .expect("converts");
    let doc = &conversion.document;
    assert_eq!(
        credential(doc, "CSE-100")["requires"],
        json!({"any": ["CSE-12", "CSE-9999"]})
    );
    assert_eq!(credential(doc, "CSE-101")["requires"], json!("RETIRED-1"));
    assert_eq!(conversion.stats.unknown_references, 2);
    // CSE 100 is attainable through CSE 12; CSE 101 never is.
    assert_eq!(conversion.stats.attainable, 2);
}

#[test]
fn ids_are_made_valid() {
    assert_eq!(local_id("CSE 100"), "CSE-100");
    assert_eq!(local_id("VIS 129A–F"), "VIS-129A-F");
    assert_eq!(local_id("LISP 5A, 5B, 5C"), "LISP-5A-5B-5C");
    assert_eq!(local_id("BGGN 249A-B-C"), "BGGN-249A-B-C");
    assert_eq!(ucsd::course_id("MATH 20A"), "ucsd:MATH-20A");
}

#[test]
fn two_codes_with_the_same_id_are_an_error() {
    let err = convert(
        &catalog(vec![course("A 1", "4", None), course("A  1", "4", None)]),
        &no_programs(),
    )
    .unwrap_err();
    assert!(matches!(err, ConvertError::IdCollision { .. }), "{err}");
}

#[test]
fn units_take_the_smallest_number() {
    assert_eq!(parse_units("4"), Some(4.0));
    assert_eq!(parse_units("1–4"), Some(1.0));
    assert_eq!(parse_units("2 or 4"), Some(2.0));
    assert_eq!(parse_units("4-4-4"), Some(4.0));
    assert_eq!(parse_units("2.5"), Some(2.5));
    assert_eq!(parse_units("0–4/0–4/0–4"), Some(0.0));
    assert_eq!(parse_units("?"), None);
}

#[test]
fn courses_carry_credits_cost_and_effort_from_their_units() {
    let doc = convert(
        &catalog(vec![
            course("CSE 12", "4", None),
            course("CSE 99", "?", None),
            course("CSE 13", "2.5", None),
        ]),
        &no_programs(),
    )
    .expect("converts")
    .document;
    let c = credential(&doc, "CSE-12");
    assert_eq!(c["kind"], "course");
    assert_eq!(c["title"], "Title of CSE 12");
    assert_eq!(c["credits"], json!({"value": 4.0, "unit": "UCSD-QU"}));
    assert_eq!(c["effort_hours"], json!(120.0));
    let cents = cost_cents("CSE 12", 4.0);
    assert!((140_000..150_000).contains(&cents));
    assert_eq!(
        c["cost"],
        json!({"amount": cents as f64 / 100.0, "currency": "USD"})
    );
    assert!(credential(&doc, "CSE-99").get("credits").is_none());
    assert!(cost_cents("CSE 99", 0.0) < 10_000);
    assert!((87_500..97_500).contains(&cost_cents("CSE 13", 2.5)));
    assert_eq!(doc["publisher"]["id"], "ucsd");
    assert_eq!(doc["format"], "stackpath.pathway/1");
}

/// A department `ABC` of 30 upper-division courses, each needing a
/// lower-division one, plus two unattainable courses that must never be
/// chosen.
fn department() -> Value {
    let mut courses = vec![course("ABC 1", "4", None)];
    for n in 100..130 {
        courses.push(course(&format!("ABC {n}"), "4", Some(json!("ABC 1"))));
    }
    courses.push(course("ABC 150", "4", Some(json!("GONE 1"))));
    courses.push(course("ABC 151", "4", Some(json!("ABC 150"))));
    courses.push(course("ABC 195", "4", None));
    catalog(courses)
}

fn abc(seed: u64) -> ConvertOptions {
    ConvertOptions {
        seed,
        programs: vec![ProgramSpec {
            key: "abc",
            title: "ABC Studies",
            prefixes: &["ABC"],
        }],
    }
}

#[test]
fn a_program_has_8_core_4_of_12_electives_and_16_credits_from_a_pool() {
    let conversion = convert(&department(), &abc(7)).expect("converts");
    let target = &conversion.targets[0];
    assert_eq!(target.id, "ucsd:program-abc");
    assert_eq!(target.core.len(), 8);
    assert_eq!(target.electives.len(), 12);
    assert_eq!(target.pool[..12], target.electives[..]);
    let mut chosen: Vec<&String> = target.core.iter().chain(&target.pool).collect();
    assert_eq!(chosen.len(), 30);
    chosen.sort();
    chosen.dedup();
    assert_eq!(chosen.len(), 30, "core and pool never overlap");
    for id in &chosen {
        assert!(
            !["ucsd:ABC-150", "ucsd:ABC-151", "ucsd:ABC-195", "ucsd:ABC-1"].contains(&id.as_str()),
            "{id} is unattainable, lower-division or a seminar"
        );
    }

    let degree = credential(&conversion.document, "program-abc");
    assert_eq!(degree["kind"], "degree");
    let parts = degree["requires"]["all"].as_array().unwrap();
    let local = |ids: &[String]| {
        ids.iter()
            .map(|i| i.trim_start_matches("ucsd:").to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(parts[0]["all"], json!(local(&target.core)));
    assert_eq!(parts[1]["at_least"], 4);
    assert_eq!(parts[1]["of"], json!(local(&target.electives)));
    assert_eq!(parts[2]["credits"], json!(16.0));
    assert_eq!(parts[2]["unit"], "UCSD-QU");
    assert_eq!(parts[2]["from"], json!(local(&target.pool)));
    assert!(degree["requires"].get("shared").is_none());
}

#[test]
fn programs_are_chosen_deterministically_by_seed() {
    let a = convert(&department(), &abc(7)).expect("converts");
    let b = convert(&department(), &abc(7)).expect("converts");
    let c = convert(&department(), &abc(8)).expect("converts");
    assert_eq!(a.targets, b.targets);
    assert_eq!(a.document, b.document);
    assert_ne!(a.targets[0].core, c.targets[0].core);
}

#[test]
fn a_department_too_small_for_a_program_is_an_error() {
    let small = catalog(
        (100..110)
            .map(|n| course(&format!("ABC {n}"), "4", None))
            .collect(),
    );
    let err = convert(&small, &abc(1)).unwrap_err();
    assert!(
        matches!(err, ConvertError::TooFewCourses { found: 10, .. }),
        "{err}"
    );
}

fn real_file() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/catalogs/ucsd-course-grapher/ucsd_courses.json")
}

#[test]
fn the_real_ucsd_catalog_converts_with_reachable_programs() {
    let out = std::env::temp_dir().join(format!("stackpath-bench-test-{}", std::process::id()));
    let conversion =
        ucsd::convert_file(&real_file(), &out, &ConvertOptions::default()).expect("converts");
    let stats = &conversion.stats;
    assert_eq!(stats.courses, 7375);
    assert_eq!(stats.unknown_references, 212);
    assert_eq!(stats.self_references_dropped, 3);
    assert_eq!(stats.not_earnable, 1);
    let credentials = conversion.document["credentials"].as_array().unwrap();
    assert_eq!(credentials.len(), 7375 + ProgramSpec::DEFAULT.len());
    assert_eq!(conversion.targets.len(), ProgramSpec::DEFAULT.len());

    let written: Value = serde_json::from_str(
        &std::fs::read_to_string(out.join(ucsd::PATHWAY_FILE)).expect("written"),
    )
    .expect("JSON");
    assert_eq!(written, conversion.document);
    assert!(out.join(ucsd::TARGETS_FILE).is_file());
    std::fs::remove_dir_all(&out).ok();
}
