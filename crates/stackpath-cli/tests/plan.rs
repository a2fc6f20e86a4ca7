//! `stackpath audit` and `stackpath plan` run as an advisor runs them, on the
//! bundled catalog and learner files: snapshots of the text and JSON, the
//! `plan --json` contract of spec/cli.md, and exit statuses.
//!
//! Snapshots live in `tests/snapshots/`; `UPDATE_EXPECT=1 cargo test -p
//! stackpath-cli` rewrites them after a deliberate change. Review the diff:
//! a snapshot that changes is a plan that changed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn stackpath(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stackpath"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("the stackpath binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn expect_snapshot(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, actual).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing snapshot {}; run with UPDATE_EXPECT=1",
            path.display()
        )
    });
    if expected != actual {
        panic!(
            "{} differs from the snapshot (UPDATE_EXPECT=1 to accept):\n--- expected\n{expected}\n--- actual\n{actual}",
            path.display()
        );
    }
}

const LEARNERS: [&str; 6] = [
    "career-changer",
    "returning-student",
    "certified-professional",
    "micromasters-to-masters",
    "eu-upskiller",
    "sample",
];

fn learner(name: &str) -> String {
    format!("pathways/learners/{name}.learner.json")
}

#[test]
fn audits_of_every_bundled_learner_match_their_snapshots() {
    for name in LEARNERS {
        let out = stackpath(&["audit", "--learner", &learner(name)]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out.stderr));
        expect_snapshot(&format!("audit-{name}.txt"), &text(&out.stdout));
    }
}

/// The set objectives are proven optimal, so what they earn and what it
/// totals is fixed by the catalog: those are the snapshots. The dates come
/// from scheduling that set and are checked by the invariants below. (Where
/// two plans tie on every objective, finish date included, which one is
/// listed depends on the search: a change to the search may swap it, with
/// the same totals, as `returning-student`'s cost plan did at `9dcaef9`,
/// and back at `54cf0e0`: `nova:csc-221` for `nova:itp-100`, both sets
/// finishing on day 612.)
#[test]
fn set_objective_plans_match_their_snapshots_and_are_proven_optimal() {
    for name in LEARNERS {
        let mut summary = String::new();
        for objective in ["cost", "effort", "count"] {
            let plan = plan_json(name, objective);
            assert_eq!(
                plan["optimal"], true,
                "{name} {objective}: not proven optimal"
            );
            let totals = &plan["totals"];
            let mut ids: Vec<&str> = plan["steps"]
                .as_array()
                .expect("steps")
                .iter()
                .map(|s| s["id"].as_str().expect("id"))
                .collect();
            ids.sort_unstable();
            summary.push_str(&format!(
                "{objective}: feasible {}, lower bound {}, {} steps, cost {}, effort {} h\n  {}\n",
                plan["feasible"],
                plan["lower_bound"],
                totals["count"],
                totals["cost"],
                totals["effort_hours"],
                ids.join("\n  ")
            ));
        }
        expect_snapshot(&format!("plan-{name}.txt"), &summary);
    }
}

fn plan_json(name: &str, objective: &str) -> serde_json::Value {
    let args = if objective == "time" {
        // A short limit keeps the suite fast: the time objective's
        // invariants hold however early its search stops.
        vec!["--time-limit", "0.5"]
    } else {
        // The set objectives end once proven (the test fails if they are
        // not), so a long limit costs nothing; a short one would let the
        // clock, not the node limits, decide between plans that tie on
        // every objective on a slow (debug, loaded) machine. Without the
        // alternatives, whose `time` search would run to the limit.
        vec!["--time-limit", "60", "--no-alternatives"]
    };
    let learner = learner(name);
    let out = stackpath(
        &[
            &[
                "plan",
                "--learner",
                &learner,
                "--objective",
                objective,
                "--json",
            ][..],
            &args,
        ]
        .concat(),
    );
    let stdout = text(&out.stdout);
    let plan: serde_json::Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{name} {objective}: not JSON ({e}): {stdout}"));
    let expected = if plan["feasible"] == true { 0 } else { 3 };
    assert_eq!(out.status.code(), Some(expected), "{name} {objective}");
    plan
}

fn days(date: &str) -> i64 {
    let d = |s: &str| s.parse::<i64>().expect("a date part");
    let (y, m, day) = (d(&date[0..4]), d(&date[5..7]), d(&date[8..10]));
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The fastest plan is never slower than any other plan it lists, its
/// lower bound never above its value, its dates consistent, and when it
/// claims optimality the bound equals the value.
#[test]
fn time_plans_are_consistent_with_their_bounds_and_alternatives() {
    for name in LEARNERS {
        let plan = plan_json(name, "time");
        if plan["feasible"] != true {
            continue;
        }
        let totals = &plan["totals"];
        let value = totals["days"].as_i64().expect("days");
        let start = plan["start"].as_str().expect("start");
        let finish = totals["finish"].as_str().expect("finish");
        assert_eq!(
            days(finish) - days(start),
            value,
            "{name}: days and finish agree"
        );
        let bound = plan["lower_bound"].as_f64().expect("bound");
        assert!(
            bound <= value as f64,
            "{name}: bound {bound} above value {value}"
        );
        if plan["optimal"] == true {
            assert_eq!(
                bound, value as f64,
                "{name}: optimal, so the bound is the value"
            );
        }
        for alt in plan["alternatives"].as_array().expect("alternatives") {
            let other = alt["totals"]["days"].as_i64().expect("days");
            assert!(
                value <= other,
                "{name}: the fastest plan takes {value} days but the {} plan {other}",
                alt["objective"]
            );
        }
        for s in plan["steps"].as_array().expect("steps") {
            let (a, b) = (
                s["start"].as_str().expect("start"),
                s["finish"].as_str().expect("finish"),
            );
            assert!(start <= a && a <= b && b <= finish, "{name}: {s}");
        }
    }
}

/// Every field of the `plan --json` document of spec/cli.md, with the
/// invariants a reader relies on.
#[test]
fn plan_json_follows_the_contract() {
    let out = stackpath(&[
        "plan",
        "--learner",
        &learner("career-changer"),
        "--objective",
        "cost",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    for field in [
        "target",
        "objective",
        "feasible",
        "optimal",
        "lower_bound",
        "start",
        "steps",
        "totals",
        "unreachable",
    ] {
        assert!(plan.get(field).is_some(), "missing {field}");
    }
    assert_eq!(plan["target"], "nova:aas-cybersecurity");
    assert_eq!(plan["objective"], "cost");
    assert_eq!(plan["start"], "2027-01-04");
    assert!(plan["unreachable"].is_null());
    let totals = &plan["totals"];
    for field in ["count", "cost", "effort_hours", "finish", "days"] {
        assert!(totals.get(field).is_some(), "missing totals.{field}");
    }
    let steps = plan["steps"].as_array().expect("steps");
    assert_eq!(totals["count"].as_u64(), Some(steps.len() as u64));
    let cost: f64 = steps
        .iter()
        .filter_map(|s| s["cost"]["amount"].as_f64())
        .sum();
    assert!((totals["cost"]["USD"].as_f64().expect("USD") - cost).abs() < 0.005);
    assert_eq!(
        plan["lower_bound"], totals["cost"]["USD"],
        "optimal: bound equals value"
    );
    // Steps respect every requirement: each starts no earlier than the start
    // and finishes no later than the plan.
    let finish = totals["finish"].as_str().expect("finish");
    for s in steps {
        let (start, end) = (
            s["start"].as_str().expect("start"),
            s["finish"].as_str().expect("finish"),
        );
        assert!(
            start >= "2027-01-04" && start <= end && end <= finish,
            "{s}"
        );
        for field in ["id", "title", "satisfies"] {
            assert!(s.get(field).is_some(), "step misses {field}");
        }
    }
    assert_eq!(
        steps.last().expect("a step")["id"],
        "nova:aas-cybersecurity",
        "the target is earned last"
    );
}

#[test]
fn an_unreachable_target_exits_3_and_says_why() {
    let out = stackpath(&[
        "plan",
        "--target",
        "nova:aas-cybersecurity",
        "--start",
        "2027-01-04",
        "--budget",
        "100",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(plan["feasible"], false);
    assert_eq!(plan["steps"].as_array().map(Vec::len), Some(0));
    let why = plan["unreachable"]["message"].as_str().expect("a reason");
    assert!(why.contains("budget"), "{why}");

    let human = stackpath(&[
        "plan",
        "--target",
        "nova:aas-cybersecurity",
        "--start",
        "2027-01-04",
        "--avoid",
        "nova:cst-100",
    ]);
    assert_eq!(human.status.code(), Some(3));
    let said = text(&human.stdout);
    assert!(
        said.contains("nova:cst-100"),
        "names the avoided requirement: {said}"
    );
}

#[test]
fn bad_input_exits_1_with_a_message() {
    for args in [
        vec![
            "plan",
            "--target",
            "nova:no-such-degree",
            "--start",
            "2027-01-04",
        ],
        vec![
            "plan",
            "--target",
            "nova:aas-cybersecurity",
            "--holding",
            "comptia:a-plus@2025-13-45",
        ],
        vec![
            "plan",
            "--target",
            "nova:aas-cybersecurity",
            "--hours-per-week",
            "0",
        ],
        vec!["audit", "--target", "not an id"],
        vec!["plan", "--learner", "no-such.learner.json"],
    ] {
        let out = stackpath(&args);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{args:?}: {}",
            text(&out.stdout)
        );
        let err = text(&out.stderr);
        assert!(
            err.starts_with("stackpath: ") && err.len() > 20,
            "{args:?}: {err}"
        );
    }
}

#[test]
fn holdings_from_flags_count_like_a_learner_file() {
    let from_file = stackpath(&["audit", "--learner", &learner("career-changer"), "--json"]);
    let from_flags = stackpath(&[
        "audit",
        "--target",
        "nova:aas-cybersecurity",
        "--holding",
        "google:data-analytics@2025-06-01",
        "--holding",
        "comptia:a-plus@2025-03-15",
        "--start",
        "2027-01-04",
        "--json",
    ]);
    let a: serde_json::Value = serde_json::from_slice(&from_file.stdout).expect("JSON");
    let b: serde_json::Value = serde_json::from_slice(&from_flags.stdout).expect("JSON");
    assert_eq!(a["requirements"], b["requirements"]);
}

#[test]
fn no_alternatives_plans_the_one_objective_alike() {
    let args = |extra: &[&'static str]| {
        let mut a = vec![
            "plan",
            "--target",
            "isc2:cissp",
            "--holding",
            "comptia:security-plus@2024-09-16",
            "--holding",
            "isc2:cissp-experience-4y@2026-10-01",
            "--start",
            "2027-01-04",
            "--objective",
            "cost",
            "--json",
        ];
        a.extend_from_slice(extra);
        a
    };
    let with: serde_json::Value =
        serde_json::from_slice(&stackpath(&args(&[])).stdout).expect("JSON");
    let without: serde_json::Value =
        serde_json::from_slice(&stackpath(&args(&["--no-alternatives"])).stdout).expect("JSON");
    assert_eq!(with["totals"], without["totals"]);
    assert_eq!(with["steps"], without["steps"]);
    assert_eq!(without["alternatives"].as_array().map(Vec::len), Some(0));
}

#[test]
fn holdings_and_avoided_credentials_no_file_defines_are_named_on_standard_error() {
    let learner = [
        "--target",
        "nova:aas-cybersecurity",
        "--holding",
        "comptia:a-plus@2025-03-15",
        "--holding",
        "comptia:a-plsu@2025-03-15",
        "--avoid",
        "comptia:a-plus-core-1",
        "--avoid",
        "nova:cst-1000",
        "--start",
        "2027-01-04",
        "--json",
    ];
    let audit = [&["audit"][..], &learner].concat();
    let plan = [
        &["plan", "--objective", "cost", "--no-alternatives"][..],
        &learner,
    ]
    .concat();
    for args in [audit, plan] {
        let out = stackpath(&args);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let warned = text(&out.stderr);
        assert!(
            warned.contains("\"comptia:a-plsu\" is not defined by any loaded pathway file"),
            "{args:?}: {warned}"
        );
        assert!(
            warned.contains("\"nova:cst-1000\" is not defined by any loaded pathway file"),
            "{args:?}: {warned}"
        );
        assert!(!warned.contains("\"comptia:a-plus\""), "{args:?}: {warned}");
        assert!(
            !warned.contains("\"comptia:a-plus-core-1\""),
            "{args:?}: {warned}"
        );
        // Standard output stays one JSON document.
        serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("JSON");
    }
}
