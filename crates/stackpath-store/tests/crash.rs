//! Crash test: every change the store reports as committed survives the
//! writing process being killed, and no change is ever half done.
//!
//! The test re-runs its own binary as a child writer (selected by an
//! environment variable). The child opens the database and performs a
//! stream of writes, each one transaction, printing `committed N` after each
//! write returns. The parent kills it with `Child::kill` (SIGKILL on Unix)
//! after a chosen number of reports, reopens the database and checks:
//! `integrity_check` is `ok`; every reported write is present, whole; at most
//! one write beyond the last report (committed, killed before printing) is
//! present, and it too is whole. Several rounds run against the same file,
//! so each round also starts from a database whose writer was killed.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use stackpath_store::{ConstraintsRecord, HoldingRecord, LearnerRecord, Store};

/// Set in the child: `<database path>\t<round>`.
const CHILD_ENV: &str = "STACKPATH_STORE_CRASH_CHILD";
const TEST_NAME: &str = "committed_writes_survive_sigkill";
/// Holdings in each new learner; the hot learner has `HOLDINGS + seq % 5`.
const HOLDINGS: usize = 12;
/// The writer's kinds of write, chosen by `seq % 4`.
const NEW_LEARNER: u64 = 0;
const RESAVE_HOT: u64 = 1;
const REIMPORT: u64 = 2;
const SAVE_PLAN: u64 = 3;

#[test]
fn committed_writes_survive_sigkill() {
    if let Some(spec) = std::env::var_os(CHILD_ENV) {
        let spec = spec.into_string().expect("child spec is UTF-8");
        let (path, round) = spec.split_once('\t').expect("child spec is path<TAB>round");
        write_forever(Path::new(path), round.parse().expect("round is a number"));
        return;
    }

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db");
    // Each round kills the writer after a number of reported commits and a
    // delay. The writer keeps going meanwhile, so the delays (a write takes
    // a millisecond or so) spread the kills over every phase of a write.
    let kill_points = [
        (1, 0),
        (6, 150),
        (23, 300),
        (57, 500),
        (2, 700),
        (90, 900),
        (11, 1100),
        (3, 1400),
        (40, 1700),
        (17, 2000),
        (8, 2500),
        (70, 3000),
    ];
    let mut rounds: Vec<Vec<u64>> = Vec::new();
    for (round, &(kill_after, delay_us)) in kill_points.iter().enumerate() {
        let reported = run_and_kill(&db, round, kill_after, Duration::from_micros(delay_us));
        let store = Store::open(&db).unwrap();
        store.integrity_check().unwrap();
        verify_round(&store, round, &reported);
        rounds.push(reported);
    }
    // Later crashes and recoveries left earlier rounds' writes alone.
    let store = Store::open(&db).unwrap();
    for (round, reported) in rounds.iter().enumerate() {
        verify_round(&store, round, reported);
    }
}

/// Runs a writer for `round`, kills it `delay` after its `kill_after`th
/// report and returns every sequence number it reported, including any
/// still in the pipe when it died.
fn run_and_kill(db: &Path, round: usize, kill_after: usize, delay: Duration) -> Vec<u64> {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([TEST_NAME, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, format!("{}\t{round}", db.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let mut reported = Vec::new();
    let mut killed = false;
    for line in stdout.lines() {
        let line = line.unwrap();
        // libtest may print the test's name on the same line as the first
        // report, so look for the marker anywhere in the line.
        if let Some((_, seq)) = line.split_once("committed ") {
            reported.push(seq.parse::<u64>().unwrap());
            if !killed && reported.len() >= kill_after {
                std::thread::sleep(delay);
                child.kill().unwrap();
                killed = true;
            }
        }
    }
    let status = child.wait().unwrap();
    assert!(
        killed,
        "round {round}: the writer exited on its own after {} commits: {status}",
        reported.len()
    );
    for (i, &seq) in reported.iter().enumerate() {
        assert_eq!(seq, i as u64, "round {round}: reports out of order");
    }
    reported
}

/// The child: writes until killed (or until a generous bound, so that a
/// writer orphaned by a failed parent does not run for ever).
fn write_forever(db: &Path, round: usize) {
    let mut store = Store::open(db).unwrap();
    let mut hot_id = None;
    let mut last_new_learner = None;
    for seq in 0..100_000u64 {
        match seq % 4 {
            NEW_LEARNER => {
                last_new_learner = Some(store.save_learner(&new_learner(round, seq)).unwrap());
            }
            RESAVE_HOT => {
                let mut hot = hot_learner(round, seq);
                hot.id = hot_id;
                hot_id = Some(store.save_learner(&hot).unwrap());
            }
            REIMPORT => {
                store
                    .import_pathway(&pathway_name(round), &pathway_content(round, seq))
                    .unwrap();
            }
            _ => {
                let learner = last_new_learner.expect("a learner is written first");
                store
                    .save_plan(learner, &plan_name(seq), "time", &plan_json(round, seq))
                    .unwrap();
            }
        }
        println!("committed {seq}");
    }
}

fn new_learner(round: usize, seq: u64) -> LearnerRecord {
    LearnerRecord {
        id: None,
        name: format!("r{round}-s{seq}"),
        target: Some(format!("stress:target-{seq}")),
        holdings: (0..HOLDINGS)
            .map(|i| HoldingRecord {
                credential: format!("stress:r{round}-s{seq}-h{i}"),
                earned: "2025-06-01".into(),
                source: (i % 2 == 0).then(|| "openbadges".into()),
            })
            .collect(),
        constraints: ConstraintsRecord {
            start: Some("2027-01-04".into()),
            hours_per_week: Some(seq as f64 + 1.0),
            budget: Some((seq as f64 * 10.0, "USD".into())),
            avoid: vec![
                format!("stress:avoid-{seq}-a"),
                format!("stress:avoid-{seq}-b"),
            ],
        },
    }
}

/// One learner per round, saved over and over: each generation replaces all
/// holdings with a different number of differently named ones.
fn hot_learner(round: usize, generation: u64) -> LearnerRecord {
    LearnerRecord {
        id: None,
        name: format!("hot-r{round}"),
        target: Some(format!("stress:gen-{generation}")),
        holdings: (0..HOLDINGS + (generation % 5) as usize)
            .map(|i| HoldingRecord {
                credential: format!("stress:g{generation}-h{i}"),
                earned: "2024-02-29".into(),
                source: None,
            })
            .collect(),
        constraints: ConstraintsRecord {
            avoid: vec![format!("stress:g{generation}-avoid")],
            ..ConstraintsRecord::default()
        },
    }
}

fn pathway_name(round: usize) -> String {
    format!("r{round}.pathway.json")
}

fn pathway_content(round: usize, seq: u64) -> String {
    let padding = "x".repeat(2000 + seq as usize % 3000);
    format!(
        r#"{{"format":"stackpath.pathway/1","version":"{seq}","round":{round},"padding":"{padding}"}}"#
    )
}

fn plan_name(seq: u64) -> String {
    format!("plan-{seq}")
}

fn plan_json(round: usize, seq: u64) -> String {
    format!(r#"{{"round":{round},"seq":{seq},"items":["a","b","c"]}}"#)
}

/// Checks one round's writes against what its writer reported.
fn verify_round(store: &Store, round: usize, reported: &[u64]) {
    let last = *reported.last().expect("every round reports a commit");
    let unreported = last + 1;
    // What the database may hold for write `seq`: it must hold every
    // reported write, and may hold the one after the last report.
    let allowed = |seq: u64| seq <= unreported;
    let kind_seqs = |kind: u64| (0..=last).filter(move |s| s % 4 == kind);

    let learners = store.list_learners().unwrap();
    let prefix = format!("r{round}-s");
    let mut new_learner_seqs = Vec::new();
    for summary in &learners {
        let Some(seq) = summary.name.strip_prefix(&prefix) else {
            continue;
        };
        let seq: u64 = seq.parse().unwrap();
        assert!(
            allowed(seq) && seq % 4 == NEW_LEARNER,
            "round {round}: unexpected learner {seq}"
        );
        let stored = store.learner(summary.id).unwrap().unwrap();
        assert_eq!(
            stored,
            LearnerRecord {
                id: Some(summary.id),
                ..new_learner(round, seq)
            },
            "round {round}: learner {seq} is not whole"
        );
        new_learner_seqs.push(seq);
    }
    new_learner_seqs.sort_unstable();
    let expected: Vec<u64> = kind_seqs(NEW_LEARNER).collect();
    assert_eq!(
        new_learner_seqs
            .iter()
            .filter(|&&s| s <= last)
            .copied()
            .collect::<Vec<_>>(),
        expected,
        "round {round}: a reported learner is missing"
    );

    // The hot learner is at the last reported generation, or the one after.
    let hot: Vec<_> = learners
        .iter()
        .filter(|l| l.name == format!("hot-r{round}"))
        .collect();
    let reported_generation = kind_seqs(RESAVE_HOT).next_back();
    match (hot.as_slice(), reported_generation) {
        ([], None) => {}
        ([summary], _) => {
            let stored = store.learner(summary.id).unwrap().unwrap();
            let generation: u64 = stored
                .target
                .as_deref()
                .and_then(|t| t.strip_prefix("stress:gen-"))
                .unwrap()
                .parse()
                .unwrap();
            assert!(
                Some(generation) == reported_generation
                    || (generation == unreported && generation % 4 == RESAVE_HOT),
                "round {round}: hot learner at generation {generation}, reported {reported_generation:?}"
            );
            assert_eq!(
                stored,
                LearnerRecord {
                    id: Some(summary.id),
                    ..hot_learner(round, generation)
                },
                "round {round}: hot learner generation {generation} is not whole"
            );
        }
        (found, generation) => {
            panic!(
                "round {round}: {} hot learners, reported generation {generation:?}",
                found.len()
            )
        }
    }

    // The pathway file is at the last reported import, or the one after.
    let reported_import = kind_seqs(REIMPORT).next_back();
    match (
        store.pathway(&pathway_name(round)).unwrap(),
        reported_import,
    ) {
        (None, None) => {}
        (Some(file), _) => {
            let seq: u64 = file.version.as_deref().unwrap().parse().unwrap();
            assert!(
                Some(seq) == reported_import || (seq == unreported && seq % 4 == REIMPORT),
                "round {round}: pathway at {seq}, reported {reported_import:?}"
            );
            assert_eq!(file.revision as u64, seq / 4 + 1, "round {round}: revision");
            let content = store.pathway_content(&file.name).unwrap().unwrap();
            assert_eq!(
                content,
                pathway_content(round, seq),
                "round {round}: content"
            );
        }
        (None, Some(seq)) => panic!("round {round}: reported import {seq} is missing"),
    }

    // Every reported plan is there, attached to the learner written before it.
    let mut plan_seqs = Vec::new();
    for summary in learners.iter().filter(|l| l.name.starts_with(&prefix)) {
        let learner_seq: u64 = summary.name[prefix.len()..].parse().unwrap();
        for plan in store.plans(summary.id).unwrap() {
            let seq: u64 = plan.name.strip_prefix("plan-").unwrap().parse().unwrap();
            assert!(
                allowed(seq) && seq % 4 == SAVE_PLAN,
                "round {round}: unexpected plan {seq}"
            );
            assert_eq!(
                seq,
                learner_seq + 3,
                "round {round}: plan {seq} on the wrong learner"
            );
            let record = store.plan(plan.id).unwrap().unwrap();
            assert_eq!(record.plan_json, plan_json(round, seq));
            plan_seqs.push(seq);
        }
    }
    plan_seqs.sort_unstable();
    assert_eq!(
        plan_seqs
            .into_iter()
            .filter(|&s| s <= last)
            .collect::<Vec<_>>(),
        kind_seqs(SAVE_PLAN).collect::<Vec<_>>(),
        "round {round}: a reported plan is missing"
    );
}
