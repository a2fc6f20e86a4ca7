//! Headless IPC tests: every command of the desktop shell, called the way
//! the page calls it (an IPC message with camelCase arguments), on Tauri's
//! mock runtime, with no display. The builder is the app's own
//! ([`stackpath_desktop::setup`]).

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{json, Value};
use stackpath_app::dto::LearnerDto;
use stackpath_desktop::{setup, Options};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{
    get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY,
};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

struct Harness {
    _dir: tempfile::TempDir,
    database: PathBuf,
    _app: App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
}

fn harness() -> Harness {
    harness_with(None)
}

/// A harness whose plans search `time_limit` unless asked for longer.
fn harness_with(time_limit: Option<Duration>) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("stackpath.db");
    let app = setup(
        mock_builder(),
        Options {
            database: Some(database.clone()),
            time_limit,
        },
    )
    .build(mock_context(noop_assets()))
    .expect("the app builds on the mock runtime");
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    Harness {
        _dir: dir,
        database,
        _app: app,
        window,
    }
}

fn request(cmd: &str, args: Value) -> InvokeRequest {
    InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    }
}

fn call_on(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    get_ipc_response(window, request(cmd, args)).map(|body| body.deserialize::<Value>().unwrap())
}

impl Harness {
    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        call_on(&self.window, cmd, args)
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    fn err(&self, cmd: &str, args: Value) -> Value {
        match self.call(cmd, args) {
            Ok(v) => panic!("{cmd} should have failed, answered {v}"),
            Err(e) => e,
        }
    }

    fn current(&self) -> (i64, Value) {
        let ws = self.ok("workspace", json!({}));
        (ws["current"].as_i64().unwrap(), ws["learner"].clone())
    }
}

fn as_learner(v: Value) -> LearnerDto {
    serde_json::from_value(v).unwrap()
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn xss_fixture() -> String {
    std::fs::read_to_string(repo().join("tests/e2e/fixtures/xss.pathway.json")).unwrap()
}

#[test]
fn app_info_names_the_database_and_the_start_time() {
    let h = harness();
    let info = h.ok("app_info", json!({}));
    assert_eq!(info["database"], h.database.display().to_string());
    assert!(info["started_at_ms"].as_f64().unwrap() > 1.6e12);
    assert!(!info["version"].as_str().unwrap().is_empty());
    assert_eq!(info["time_limit_seconds"], 2.0);
}

/// The app's `--time-limit` sets how long plans search; the window may ask
/// one plan, or one saved plan, for longer (its "search longer" button).
#[test]
fn plans_search_the_app_time_limit_unless_asked_for_longer() {
    let h = harness_with(Some(Duration::from_micros(1)));
    assert_eq!(h.ok("app_info", json!({}))["time_limit_seconds"], 1e-6);
    let (id, learner) = h.current();
    let short = h.ok("plan", json!({ "learner": learner, "objective": "cost" }));
    assert_eq!(short["plan"]["optimal"], false);
    let long = h.ok(
        "plan",
        json!({ "learner": learner, "objective": "cost", "seconds": 4.0 }),
    );
    assert_eq!(long["plan"]["optimal"], true);
    let saved = h.ok(
        "save_plan",
        json!({ "learnerId": id, "name": "Longer", "objective": "cost", "seconds": 4.0 }),
    );
    assert_eq!(saved["plan"]["optimal"], true);
    let refused = h.err(
        "plan",
        json!({ "learner": learner, "objective": "cost", "seconds": 0 }),
    );
    assert_eq!(refused["code"], "bad-input");
}

#[test]
fn workspace_opens_on_the_sample_learner_and_the_bundled_catalog() {
    let h = harness();
    let ws = h.ok("workspace", json!({}));
    assert_eq!(ws["learners"].as_array().unwrap().len(), 1);
    assert_eq!(ws["learner"]["name"], "Sample learner");
    assert_eq!(ws["learner"]["target"], "nova:aas-cybersecurity");
    assert_eq!(ws["current"], ws["learners"][0]["id"]);
    assert!(ws["catalog"]["info"]["files"].as_array().unwrap().len() >= 5);
    assert!(ws["catalog"]["info"]["credentials"].as_u64().unwrap() > 50);
    assert_eq!(ws["catalog"]["imported"], json!([]));
    assert_eq!(
        ws["settings"],
        json!({ "theme": "system", "objective": "time" })
    );
}

#[test]
fn create_and_select_learner_switch_the_current_learner() {
    let h = harness();
    let (sample, _) = h.current();
    let created = h.ok("create_learner", json!({ "name": "  Grace  " }));
    assert_eq!(created["name"], "Grace");
    let (current, learner) = h.current();
    assert_eq!(current, created["id"].as_i64().unwrap());
    assert_eq!(learner["holdings"], json!([]));

    let back = h.ok("select_learner", json!({ "id": sample }));
    assert_eq!(back["name"], "Sample learner");
    assert_eq!(h.current().0, sample);

    assert_eq!(
        h.err("create_learner", json!({ "name": " " }))["code"],
        "bad-input"
    );
    assert_eq!(
        h.err("select_learner", json!({ "id": 999 }))["code"],
        "not-found"
    );
}

#[test]
fn save_learner_keeps_every_field_and_refuses_bad_dates() {
    let h = harness();
    let (id, mut learner) = h.current();
    learner["holdings"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "id": "comptia:network-plus", "earned": "2026-02-03" }));
    learner["constraints"]["hours_per_week"] = json!(6.5);
    learner["constraints"]["budget"] = json!({ "amount": 900, "currency": "USD" });
    h.ok("save_learner", json!({ "id": id, "learner": learner }));
    assert_eq!(as_learner(h.current().1), as_learner(learner.clone()));

    let mut bad = learner.clone();
    bad["holdings"][0]["earned"] = json!("2026-13-40");
    assert_eq!(
        h.err("save_learner", json!({ "id": id, "learner": bad }))["code"],
        "bad-input"
    );
    assert_eq!(
        as_learner(h.current().1),
        as_learner(learner),
        "a refused save changes nothing"
    );
}

#[test]
fn delete_learner_moves_to_another_learner() {
    let h = harness();
    let (sample, _) = h.current();
    let other = h.ok("create_learner", json!({ "name": "Other" }))["id"]
        .as_i64()
        .unwrap();
    let ws = h.ok("delete_learner", json!({ "id": other }));
    assert_eq!(ws["current"], sample);
    assert_eq!(ws["learners"].as_array().unwrap().len(), 1);
    let ws = h.ok("delete_learner", json!({ "id": sample }));
    assert_eq!(ws["current"], Value::Null);
    assert_eq!(ws["learner"], Value::Null);
    assert_eq!(
        h.err("delete_learner", json!({ "id": sample }))["code"],
        "not-found"
    );
}

#[test]
fn search_credentials_finds_courses_and_awards() {
    let h = harness();
    let all = h.ok(
        "search_credentials",
        json!({ "query": "security", "awardsOnly": false, "limit": 50 }),
    );
    let all = all.as_array().unwrap();
    assert!(all.iter().any(|c| c["id"] == "comptia:security-plus"));
    let awards = h.ok(
        "search_credentials",
        json!({ "query": "cyber", "awardsOnly": true, "limit": 50 }),
    );
    let awards = awards.as_array().unwrap();
    assert!(awards.iter().any(|c| c["id"] == "nova:aas-cybersecurity"));
    assert!(awards.iter().all(|c| c["kind"] != "course"));
    let few = h.ok(
        "search_credentials",
        json!({ "query": "", "awardsOnly": false, "limit": 3 }),
    );
    assert_eq!(few.as_array().unwrap().len(), 3);
}

#[test]
fn credential_describes_one_credential_or_says_it_is_unknown() {
    let h = harness();
    let c = h.ok("credential", json!({ "id": "nova:aas-cybersecurity" }));
    assert_eq!(c["kind"], "degree");
    assert_eq!(c["publisher"], "nova");
    assert_eq!(
        h.err("credential", json!({ "id": "nova:nothing" }))["code"],
        "unknown-credential"
    );
}

#[test]
fn audit_counts_the_sample_learners_holdings() {
    let h = harness();
    let (_, learner) = h.current();
    let audit = h.ok("audit", json!({ "learner": learner }));
    assert_eq!(audit["target"], "nova:aas-cybersecurity");
    assert_eq!(audit["start"], "2027-01-04");
    assert!(audit["requirements"].is_object());
    let held: Vec<&str> = audit["holdings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap())
        .collect();
    assert!(held.contains(&"google:data-analytics"));
    assert!(held.contains(&"comptia:a-plus"));

    let mut no_target = learner.clone();
    no_target["target"] = Value::Null;
    assert_eq!(
        h.err("audit", json!({ "learner": no_target }))["code"],
        "bad-input"
    );
}

#[test]
fn plan_schedules_the_target_under_each_objective_with_its_graph() {
    let h = harness();
    let (_, learner) = h.current();
    for objective in ["time", "cost", "effort", "count"] {
        let view = h.ok(
            "plan",
            json!({ "learner": learner, "objective": objective }),
        );
        let plan = &view["plan"];
        assert_eq!(plan["objective"], objective);
        assert_eq!(plan["feasible"], true);
        let steps = plan["steps"].as_array().unwrap();
        assert_eq!(steps.last().unwrap()["id"], "nova:aas-cybersecurity");
        assert_eq!(
            plan["totals"]["count"].as_u64().unwrap() as usize,
            steps.len()
        );
        // Alternatives: the other objectives' best plans where they differ
        // (ties with the same totals are left out).
        let alternatives = plan["alternatives"].as_array().unwrap();
        assert!(alternatives.len() <= 3);
        assert!(alternatives.iter().all(|a| a["objective"] != objective));
        let nodes = view["graph"]["nodes"].as_array().unwrap();
        assert!(nodes.iter().any(|n| n["status"] == "target"));
        assert!(nodes.iter().any(|n| n["status"] == "planned"));
    }
    let refused = h.err("plan", json!({ "learner": learner, "objective": "fun" }));
    assert!(
        refused.as_str().unwrap().contains("objective"),
        "an unknown objective is refused when the arguments are read: {refused}"
    );
}

#[test]
fn plan_draft_answers_quickly_with_a_valid_plan_and_no_alternatives() {
    let h = harness();
    let (_, learner) = h.current();
    let started = std::time::Instant::now();
    let view = h.ok(
        "plan_draft",
        json!({ "learner": learner, "objective": "time" }),
    );
    let plan = &view["plan"];
    assert_eq!(plan["feasible"], true);
    assert_eq!(
        plan["steps"].as_array().unwrap().last().unwrap()["id"],
        "nova:aas-cybersecurity"
    );
    assert_eq!(plan["alternatives"], json!([]));
    assert!(!view["graph"]["nodes"].as_array().unwrap().is_empty());
    // Generous for a debug build on a busy machine; the point is "not the full search".
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn import_pathway_adds_a_file_to_the_catalog_and_remove_pathway_takes_it_away() {
    let h = harness();
    let before = h.ok("workspace", json!({}))["catalog"]["info"]["credentials"]
        .as_u64()
        .unwrap();
    let result = h.ok(
        "import_pathway",
        json!({ "fileName": "/home/x/xss.pathway.json", "content": xss_fixture() }),
    );
    assert_eq!(result["file"]["file"], "xss.pathway.json");
    assert_eq!(result["file"]["publisher"], "xss-test");
    assert_eq!(result["file"]["version"], "1");
    assert_eq!(result["file"]["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(result["replaced"], false);
    assert_eq!(
        result["catalog"]["info"]["credentials"].as_u64().unwrap(),
        before + 3
    );

    // The payloads are data: they come back byte for byte, as text.
    let found = h.ok(
        "search_credentials",
        json!({ "query": "payloads", "awardsOnly": true, "limit": 5 }),
    );
    assert_eq!(
        found[0]["title"],
        "Diploma of <b>Payloads</b> <img src=x onerror=\"window.__xss=1\">"
    );

    let again = h.ok(
        "import_pathway",
        json!({ "fileName": "xss.pathway.json", "content": xss_fixture() }),
    );
    assert_eq!(again["replaced"], true);
    assert_eq!(again["file"]["revision"], 2);

    let refused = h.err(
        "import_pathway",
        json!({ "fileName": "broken.pathway.json", "content": "{ \"format\": 1" }),
    );
    assert_eq!(refused["code"], "bad-input");
    assert!(refused["message"]
        .as_str()
        .unwrap()
        .contains("broken.pathway.json:"));
    let refused = h.err(
        "import_pathway",
        json!({ "fileName": "notes.txt", "content": "{}" }),
    );
    assert_eq!(refused["code"], "bad-input");

    let after = h.ok("remove_pathway", json!({ "file": "xss.pathway.json" }));
    assert_eq!(after["imported"], json!([]));
    assert_eq!(after["info"]["credentials"].as_u64().unwrap(), before);
    assert_eq!(
        h.err("remove_pathway", json!({ "file": "xss.pathway.json" }))["code"],
        "not-found"
    );
}

#[test]
fn save_plan_saved_plans_and_delete_saved_plan_keep_scenarios() {
    let h = harness();
    let (id, _) = h.current();
    let saved = h.ok(
        "save_plan",
        json!({ "learnerId": id, "name": "Cheapest", "objective": "cost" }),
    );
    assert_eq!(saved["name"], "Cheapest");
    assert_eq!(saved["plan"]["objective"], "cost");
    assert_eq!(saved["learner"]["name"], "Sample learner");
    h.ok(
        "save_plan",
        json!({ "learnerId": id, "name": "Fastest", "objective": "time" }),
    );
    let taken = h.err(
        "save_plan",
        json!({ "learnerId": id, "name": "Fastest", "objective": "time" }),
    );
    assert_eq!(taken["code"], "bad-input");

    let list = h.ok("saved_plans", json!({ "learnerId": id }));
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Fastest", "Cheapest"], "newest first");

    h.ok("delete_saved_plan", json!({ "id": saved["id"] }));
    assert_eq!(
        h.ok("saved_plans", json!({ "learnerId": id }))
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        h.err("delete_saved_plan", json!({ "id": saved["id"] }))["code"],
        "not-found"
    );
}

#[test]
fn save_settings_is_remembered() {
    let h = harness();
    h.ok(
        "save_settings",
        json!({ "settings": { "theme": "dark", "objective": "effort" } }),
    );
    assert_eq!(
        h.ok("workspace", json!({}))["settings"],
        json!({ "theme": "dark", "objective": "effort" })
    );
}

#[test]
fn a_second_start_on_the_same_database_finds_the_same_learners() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("stackpath.db");
    let start = || {
        let app = setup(
            mock_builder(),
            Options {
                database: Some(database.clone()),
                ..Options::default()
            },
        )
        .build(mock_context(noop_assets()))
        .unwrap();
        let window = WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap();
        (app, window)
    };
    let (app, window) = start();
    let created = call_on(&window, "create_learner", json!({ "name": "Kept" })).unwrap();
    drop(window);
    drop(app);
    let (_app, window) = start();
    let ws = call_on(&window, "workspace", json!({})).unwrap();
    assert_eq!(
        ws["learners"].as_array().unwrap().len(),
        2,
        "not seeded twice"
    );
    assert_eq!(ws["current"], created["id"]);
}

#[test]
fn every_declared_command_is_registered_and_allowed_by_the_capability() {
    let h = harness();
    let capability: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("capabilities/main.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let allowed: Vec<String> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect();
    let expected: Vec<String> = stackpath_desktop::manifest::COMMANDS
        .iter()
        .map(|c| format!("allow-{}", c.replace('_', "-")))
        .collect();
    assert_eq!(
        allowed, expected,
        "capabilities/main.json allows exactly the commands of build.rs"
    );
    assert_eq!(capability["windows"], json!(["main"]));
    for command in stackpath_desktop::manifest::COMMANDS {
        // Empty arguments: a registered command answers (maybe with an
        // argument error); an unregistered one is "not found".
        if let Err(e) = h.call(command, json!({})) {
            let text = e.to_string();
            assert!(
                !text.contains("not found"),
                "{command} is not registered: {text}"
            );
        }
    }
}

/// With the app's real context (its capability file compiled in), the main
/// window may call the app's commands and any other window may not.
#[test]
fn commands_are_denied_outside_the_capability() {
    let dir = tempfile::tempdir().unwrap();
    let app = setup(
        mock_builder(),
        Options {
            database: Some(dir.path().join("stackpath.db")),
            ..Options::default()
        },
    )
    .build(tauri::generate_context!("tauri.conf.json", test = true))
    .unwrap();
    let main = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    let intruder = WebviewWindowBuilder::new(&app, "intruder", Default::default())
        .build()
        .unwrap();
    assert!(call_on(&main, "workspace", json!({})).is_ok());
    let denied = call_on(&intruder, "workspace", json!({})).unwrap_err();
    assert!(denied.to_string().contains("not allowed"), "{denied}");
}
