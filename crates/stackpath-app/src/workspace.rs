//! The desktop's stateful use cases: an [`Engine`] over the bundled and the
//! imported pathway files, and a [`Store`] that keeps the learners, imported
//! files, saved plans and settings. The desktop shell's commands are
//! one-line calls into [`Workspace`]; everything here runs, and is tested,
//! without a window.
//!
//! **Architecture invariant:** every change is written to the database the
//! moment it is made (one transaction each, by the store), so there is no
//! "save" step for a user to forget and nothing to lose when the app is
//! killed. The engine is immutable; importing or removing a pathway file
//! builds a new one and swaps it in, so a plan already running keeps the
//! catalog it started with.
//!
//! The first time a database is opened it is seeded with the sample learner,
//! so a newcomer sees a real audit and plan without typing anything.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use stackpath_store::{ConstraintsRecord, HoldingRecord, LearnerRecord, Store, StoreError};
use ts_rs::TS;

use crate::dto::{
    AuditDto, CatalogInfoDto, ConstraintsDto, CredentialSummaryDto, ErrorCodeDto, GraphDto,
    HoldingDto, LearnerDto, MoneyDto, ObjectiveDto, PlanDto,
};
use crate::engine::{learner_to_dto, time_limit_of, DEFAULT_TIME_LIMIT};
use crate::{AppError, Engine, LearnerInput};

/// The most nodes the requirement graph shows; larger graphs are cut to the
/// ones nearest the target.
pub const GRAPH_MAX_NODES: usize = 150;

/// How long the draft plan may search: short enough that a change is
/// re-planned on screen at once.
pub const DRAFT_TIME_LIMIT: Duration = Duration::from_millis(10);

/// Setting keys in the store.
const CURRENT_LEARNER: &str = "desktop.current_learner";
const THEME: &str = "desktop.theme";
const OBJECTIVE: &str = "desktop.objective";
const SEEDED: &str = "desktop.seeded";

/// One line of the learner picker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LearnerEntryDto {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ThemeDto {
    /// Follow the operating system's light or dark preference.
    System,
    Light,
    Dark,
}

impl ThemeDto {
    fn as_str(self) -> &'static str {
        match self {
            ThemeDto::System => "system",
            ThemeDto::Light => "light",
            ThemeDto::Dark => "dark",
        }
    }

    fn parse(s: &str) -> Option<ThemeDto> {
        match s {
            "system" => Some(ThemeDto::System),
            "light" => Some(ThemeDto::Light),
            "dark" => Some(ThemeDto::Dark),
            _ => None,
        }
    }
}

/// The user's preferences, kept across restarts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SettingsDto {
    pub theme: ThemeDto,
    /// The objective the plan view last showed.
    pub objective: ObjectiveDto,
}

/// A pathway file the user imported, as the database keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportedFileDto {
    pub file: String,
    /// The publisher id the file declares (empty if it could not be read).
    pub publisher: String,
    /// The file's own `version` member.
    pub version: Option<String>,
    /// SHA-256 of the content, lowercase hexadecimal.
    pub sha256: String,
    /// 1 for the first import under this name, one more at each re-import.
    #[ts(type = "number")]
    pub revision: i64,
    /// RFC 3339, UTC.
    pub imported_at: String,
}

/// The catalog the app plans on and which of its files were imported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CatalogStateDto {
    pub info: CatalogInfoDto,
    pub imported: Vec<ImportedFileDto>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportResultDto {
    pub file: ImportedFileDto,
    /// A file of the same name was there before (imported or bundled).
    pub replaced: bool,
    pub catalog: CatalogStateDto,
}

/// Everything the window needs for its first paint, in one call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WorkspaceDto {
    pub learners: Vec<LearnerEntryDto>,
    /// The learner the window shows, if there is any learner.
    #[ts(type = "number | null")]
    pub current: Option<i64>,
    pub learner: Option<LearnerDto>,
    pub catalog: CatalogStateDto,
    pub settings: SettingsDto,
}

/// A plan with the requirement graph it is drawn on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanViewDto {
    pub plan: PlanDto,
    pub graph: GraphDto,
}

/// The running program, for the About line and for start-up timings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AppInfoDto {
    pub version: String,
    /// When the process started, in milliseconds since the Unix epoch.
    pub started_at_ms: f64,
    /// The database file this window reads and writes.
    pub database: String,
    /// How long a plan searches unless the window asks for longer.
    pub time_limit_seconds: f64,
}

/// A scenario the user kept: the learner and the plan as they were.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SavedPlanDto {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub learner_id: i64,
    pub name: String,
    /// RFC 3339, UTC.
    pub saved_at: String,
    pub learner: LearnerDto,
    pub plan: PlanDto,
}

/// What a saved plan's JSON column holds.
#[derive(Serialize, Deserialize)]
struct SavedPlanBody {
    learner: LearnerDto,
    plan: PlanDto,
}

/// A pathway file given as its name and bytes.
pub type Source = (String, Vec<u8>);

/// The desktop's state: see the module documentation.
#[derive(Debug)]
pub struct Workspace {
    store: Mutex<Store>,
    engine: RwLock<Arc<Engine>>,
    /// The catalog shipped with the app; imported files of the same name
    /// take their place.
    bundled: Vec<Source>,
    /// How long a plan searches unless asked for longer.
    time_limit: Duration,
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        let code = match &e {
            StoreError::NotFound { .. } => ErrorCodeDto::NotFound,
            StoreError::PlanNameTaken { .. } | StoreError::Invalid { .. } => ErrorCodeDto::BadInput,
            _ => ErrorCodeDto::Storage,
        };
        AppError::new(code, e.to_string())
    }
}

impl Workspace {
    /// Opens (or creates) the database at `database` and builds the engine
    /// over `bundled` plus the files imported earlier. On the first open of
    /// a database, `sample` (a learner file's name and bytes) becomes its
    /// first learner and the one the window opens on.
    pub fn open(
        database: &Path,
        bundled: Vec<Source>,
        sample: Option<Source>,
    ) -> Result<Workspace, AppError> {
        if let Some(folder) = database.parent() {
            std::fs::create_dir_all(folder).map_err(|e| {
                AppError::new(
                    ErrorCodeDto::Storage,
                    format!("cannot create the data folder {}: {e}", folder.display()),
                )
            })?;
        }
        let mut store = Store::open(database)?;
        if store.setting(SEEDED)?.is_none() {
            seed(&mut store, sample)?;
        }
        let engine = Arc::new(build_engine(&store, &bundled)?);
        Ok(Workspace {
            store: Mutex::new(store),
            engine: RwLock::new(engine),
            bundled,
            time_limit: DEFAULT_TIME_LIMIT,
        })
    }

    /// The workspace with plans searching `time_limit` unless asked for
    /// longer (the desktop's `--time-limit`).
    pub fn with_time_limit(self, time_limit: Duration) -> Workspace {
        Workspace { time_limit, ..self }
    }

    /// How long a plan searches unless asked for longer.
    pub fn time_limit(&self) -> Duration {
        self.time_limit
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock cannot leave the store half-written
        // (every write is one transaction), so a poisoned lock is still usable.
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The engine planning runs on now. Cheap: callers plan on their own
    /// `Arc` without holding any lock.
    pub fn engine(&self) -> Arc<Engine> {
        self.engine
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// What the window shows first: the learners, the current one, the
    /// catalog and the settings.
    pub fn workspace(&self) -> Result<WorkspaceDto, AppError> {
        let store = self.store();
        let learners = entries(&store)?;
        let remembered = store
            .setting(CURRENT_LEARNER)?
            .and_then(|s| s.parse::<i64>().ok())
            .filter(|id| learners.iter().any(|l| l.id == *id));
        let current = remembered.or_else(|| learners.first().map(|l| l.id));
        let learner = match current {
            Some(id) => Some(load_learner(&store, id)?),
            None => None,
        };
        let settings = read_settings(&store)?;
        let catalog = self.catalog_state_with(&store)?;
        Ok(WorkspaceDto {
            learners,
            current,
            learner,
            catalog,
            settings,
        })
    }

    pub fn learners(&self) -> Result<Vec<LearnerEntryDto>, AppError> {
        entries(&self.store())
    }

    pub fn learner(&self, id: i64) -> Result<LearnerDto, AppError> {
        load_learner(&self.store(), id)
    }

    /// Makes `id` the learner the window opens on, and returns it.
    pub fn select_learner(&self, id: i64) -> Result<LearnerDto, AppError> {
        let mut store = self.store();
        let learner = load_learner(&store, id)?;
        store.set_setting(CURRENT_LEARNER, &id.to_string())?;
        Ok(learner)
    }

    /// Creates an empty learner and makes it the current one.
    pub fn create_learner(&self, name: &str) -> Result<LearnerEntryDto, AppError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(AppError::bad_input("a learner needs a name"));
        }
        let mut store = self.store();
        let id = store.save_learner(&LearnerRecord {
            id: None,
            name: name.to_string(),
            ..LearnerRecord::default()
        })?;
        store.set_setting(CURRENT_LEARNER, &id.to_string())?;
        Ok(LearnerEntryDto {
            id,
            name: name.to_string(),
        })
    }

    /// Writes the learner whole, after checking that its dates, ids and
    /// constraints make sense.
    pub fn save_learner(&self, id: i64, learner: &LearnerDto) -> Result<(), AppError> {
        if learner.name.trim().is_empty() {
            return Err(AppError::bad_input("a learner needs a name"));
        }
        LearnerInput::from_dto(learner, crate::engine::today())?;
        self.store().save_learner(&to_record(Some(id), learner))?;
        Ok(())
    }

    /// Deletes the learner and its saved plans; the window then shows
    /// another learner, if any is left.
    pub fn delete_learner(&self, id: i64) -> Result<WorkspaceDto, AppError> {
        {
            let mut store = self.store();
            store.delete_learner(id)?;
            if store.setting(CURRENT_LEARNER)?.as_deref() == Some(id.to_string().as_str()) {
                store.remove_setting(CURRENT_LEARNER)?;
            }
        }
        self.workspace()
    }

    pub fn search(
        &self,
        query: &str,
        awards_only: bool,
        limit: usize,
    ) -> Vec<CredentialSummaryDto> {
        self.engine()
            .search(query, awards_only, limit.clamp(1, 200))
    }

    pub fn credential(&self, id: &str) -> Result<CredentialSummaryDto, AppError> {
        self.engine().credential(id)
    }

    /// Audits the learner (as the window holds it) against its target.
    pub fn audit(&self, learner: &LearnerDto) -> Result<AuditDto, AppError> {
        let target = target_of(learner)?;
        self.engine().audit(learner, target)
    }

    /// Plans the learner's path to its target, with the graph to draw. The
    /// search stops after `seconds` (the workspace's time limit when
    /// `None`) with its best plan and a lower bound, if it has not proven
    /// one optimal by then.
    pub fn plan(
        &self,
        learner: &LearnerDto,
        objective: ObjectiveDto,
        seconds: Option<f64>,
    ) -> Result<PlanViewDto, AppError> {
        let limit = self.limit(seconds)?;
        self.plan_view(learner, |engine, target| {
            engine.plan_within(learner, target, objective, limit, true)
        })
    }

    /// Stops every plan being searched, as if its time limit had passed:
    /// each answers at once with its best plan found, unproven. Plans asked
    /// for afterwards run as usual.
    pub fn stop_planning(&self) {
        stackpath_planner::stop_searches();
    }

    /// The search time limit `seconds` asks for, or the workspace's.
    fn limit(&self, seconds: Option<f64>) -> Result<Duration, AppError> {
        match seconds {
            None => Ok(self.time_limit),
            Some(s) => time_limit_of(s).map_err(AppError::bad_input),
        }
    }

    /// A first plan within [`DRAFT_TIME_LIMIT`], without alternatives: the
    /// window shows it at once and replaces it with [`Workspace::plan`]'s
    /// answer, which may search for seconds to prove a plan optimal.
    pub fn plan_draft(
        &self,
        learner: &LearnerDto,
        objective: ObjectiveDto,
    ) -> Result<PlanViewDto, AppError> {
        // Never longer than the plan it stands in for.
        let limit = DRAFT_TIME_LIMIT.min(self.time_limit);
        self.plan_view(learner, |engine, target| {
            engine.plan_draft(learner, target, objective, limit)
        })
    }

    /// The plan `plan` makes toward the learner's target, with its graph.
    fn plan_view(
        &self,
        learner: &LearnerDto,
        plan: impl FnOnce(&Engine, &str) -> Result<PlanDto, AppError>,
    ) -> Result<PlanViewDto, AppError> {
        let target = target_of(learner)?;
        let engine = self.engine();
        let plan = plan(&engine, target)?;
        let graph = engine.graph(learner, target, Some(&plan), GRAPH_MAX_NODES)?;
        Ok(PlanViewDto { plan, graph })
    }

    pub fn catalog_state(&self) -> Result<CatalogStateDto, AppError> {
        self.catalog_state_with(&self.store())
    }

    fn catalog_state_with(&self, store: &Store) -> Result<CatalogStateDto, AppError> {
        Ok(CatalogStateDto {
            info: self.engine().catalog_info(),
            imported: imported_files(store)?,
        })
    }

    /// Checks a pathway file, keeps it in the database and rebuilds the
    /// catalog with it. A file with errors is refused with the first of
    /// them (file, line, column); warnings are kept and shown with the
    /// catalog. A file named like a bundled or earlier imported file
    /// replaces it.
    pub fn import_pathway(
        &self,
        file_name: &str,
        content: &str,
    ) -> Result<ImportResultDto, AppError> {
        let name = Path::new(file_name)
            .file_name()
            .and_then(|n| n.to_str())
            .filter(|n| n.ends_with(".json"))
            .ok_or_else(|| {
                AppError::bad_input(format!(
                    "\"{file_name}\" is not a pathway file: its name must end in .pathway.json"
                ))
            })?
            .to_string();
        let (document, diagnostics) = stackpath_format::parse_pathway(&name, content.as_bytes());
        if let Some(error) = diagnostics
            .iter()
            .find(|d| d.severity == stackpath_model::Severity::Error)
        {
            return Err(AppError::bad_input(format!(
                "{name} was not imported: {}:{}:{}: {}",
                name, error.at.line, error.at.column, error.message
            )));
        }
        let Some(document) = document else {
            return Err(AppError::bad_input(format!(
                "{name} was not imported: it is not a pathway file"
            )));
        };
        let mut store = self.store();
        let replaced =
            store.pathway(&name)?.is_some() || self.bundled.iter().any(|(n, _)| *n == name);
        let imported = store.import_pathway(&name, content)?;
        self.rebuild(&store)?;
        let file = ImportedFileDto {
            file: imported.name,
            publisher: document.publisher.id.to_string(),
            version: imported.version,
            sha256: imported.hash,
            revision: imported.revision,
            imported_at: imported.imported_at,
        };
        Ok(ImportResultDto {
            file,
            replaced,
            catalog: self.catalog_state_with(&store)?,
        })
    }

    /// Forgets an imported file and rebuilds the catalog without it (a
    /// bundled file of the same name comes back).
    pub fn remove_pathway(&self, file: &str) -> Result<CatalogStateDto, AppError> {
        let mut store = self.store();
        store.delete_pathway(file)?;
        self.rebuild(&store)?;
        self.catalog_state_with(&store)
    }

    fn rebuild(&self, store: &Store) -> Result<(), AppError> {
        let engine = Arc::new(build_engine(store, &self.bundled)?);
        *self.engine.write().unwrap_or_else(|p| p.into_inner()) = engine;
        Ok(())
    }

    /// Plans the stored learner under `objective` and keeps the result
    /// under `name`.
    pub fn save_plan(
        &self,
        learner_id: i64,
        name: &str,
        objective: ObjectiveDto,
        seconds: Option<f64>,
    ) -> Result<SavedPlanDto, AppError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(AppError::bad_input("give the plan a name"));
        }
        let limit = self.limit(seconds)?;
        // Checked before planning, which can take seconds; the store's
        // unique key still guards against a race.
        if self
            .store()
            .plans(learner_id)?
            .iter()
            .any(|p| p.name == name)
        {
            return Err(AppError::bad_input(format!(
                "a plan named \"{name}\" is already saved for this learner; choose another name or delete that plan"
            )));
        }
        let learner = self.learner(learner_id)?;
        let plan =
            self.engine()
                .plan_within(&learner, target_of(&learner)?, objective, limit, true)?;
        let body = serde_json::to_string(&SavedPlanBody { learner, plan })
            .map_err(|e| AppError::new(ErrorCodeDto::Internal, e.to_string()))?;
        let mut store = self.store();
        let id = store.save_plan(learner_id, name, objective.as_str(), &body)?;
        saved_plan(&store, id)
    }

    /// The learner's saved plans, newest first.
    pub fn saved_plans(&self, learner_id: i64) -> Result<Vec<SavedPlanDto>, AppError> {
        let store = self.store();
        let mut plans = store
            .plans(learner_id)?
            .into_iter()
            .map(|p| saved_plan(&store, p.id))
            .collect::<Result<Vec<_>, _>>()?;
        plans.reverse();
        Ok(plans)
    }

    pub fn delete_saved_plan(&self, id: i64) -> Result<(), AppError> {
        self.store().delete_plan(id)?;
        Ok(())
    }

    pub fn settings(&self) -> Result<SettingsDto, AppError> {
        read_settings(&self.store())
    }

    pub fn save_settings(&self, settings: &SettingsDto) -> Result<(), AppError> {
        let mut store = self.store();
        store.set_setting(THEME, settings.theme.as_str())?;
        store.set_setting(OBJECTIVE, settings.objective.as_str())?;
        Ok(())
    }
}

fn target_of(learner: &LearnerDto) -> Result<&str, AppError> {
    learner
        .target
        .as_deref()
        .ok_or_else(|| AppError::bad_input("choose a target first"))
}

fn seed(store: &mut Store, sample: Option<Source>) -> Result<(), AppError> {
    if let Some((file, bytes)) = sample {
        if store.list_learners()?.is_empty() {
            let (learner, diagnostics) = stackpath_format::parse_learner(&file, &bytes);
            let learner = learner.ok_or_else(|| {
                let why = diagnostics
                    .first()
                    .map(|d| d.message.as_str())
                    .unwrap_or("unreadable");
                AppError::new(
                    ErrorCodeDto::Internal,
                    format!("the sample learner {file} is broken: {why}"),
                )
            })?;
            let id = store.save_learner(&to_record(None, &learner_to_dto(&learner)))?;
            store.set_setting(CURRENT_LEARNER, &id.to_string())?;
        }
    }
    store.set_setting(SEEDED, "1")?;
    Ok(())
}

fn build_engine(store: &Store, bundled: &[Source]) -> Result<Engine, AppError> {
    let imported = store.pathways()?;
    let mut sources: Vec<Source> = bundled
        .iter()
        .filter(|(name, _)| !imported.iter().any(|i| i.name == *name))
        .cloned()
        .collect();
    for file in &imported {
        if let Some(content) = store.pathway_content(&file.name)? {
            sources.push((file.name.clone(), content.into_bytes()));
        }
    }
    Ok(Engine::from_sources(sources))
}

fn imported_files(store: &Store) -> Result<Vec<ImportedFileDto>, AppError> {
    let files = store.pathways()?;
    let mut out = Vec::with_capacity(files.len());
    for f in files {
        // The publisher is read back from the content rather than stored, so
        // the store stays ignorant of the pathway format.
        let publisher = store
            .pathway_content(&f.name)?
            .and_then(|c| stackpath_format::parse_pathway(&f.name, c.as_bytes()).0)
            .map(|d| d.publisher.id.to_string())
            .unwrap_or_default();
        out.push(ImportedFileDto {
            file: f.name,
            publisher,
            version: f.version,
            sha256: f.hash,
            revision: f.revision,
            imported_at: f.imported_at,
        });
    }
    Ok(out)
}

fn entries(store: &Store) -> Result<Vec<LearnerEntryDto>, AppError> {
    Ok(store
        .list_learners()?
        .into_iter()
        .map(|l| LearnerEntryDto {
            id: l.id,
            name: l.name,
        })
        .collect())
}

fn load_learner(store: &Store, id: i64) -> Result<LearnerDto, AppError> {
    store
        .learner(id)?
        .map(|r| to_dto(&r))
        .ok_or_else(|| AppError::new(ErrorCodeDto::NotFound, format!("there is no learner {id}")))
}

fn read_settings(store: &Store) -> Result<SettingsDto, AppError> {
    let theme = store
        .setting(THEME)?
        .and_then(|s| ThemeDto::parse(&s))
        .unwrap_or(ThemeDto::System);
    let objective = store
        .setting(OBJECTIVE)?
        .and_then(|s| ObjectiveDto::ALL.into_iter().find(|o| o.as_str() == s))
        .unwrap_or(ObjectiveDto::Time);
    Ok(SettingsDto { theme, objective })
}

fn saved_plan(store: &Store, id: i64) -> Result<SavedPlanDto, AppError> {
    let record = store.plan(id)?.ok_or_else(|| {
        AppError::new(
            ErrorCodeDto::NotFound,
            format!("there is no saved plan {id}"),
        )
    })?;
    let body: SavedPlanBody = serde_json::from_str(&record.plan_json).map_err(|e| {
        AppError::new(
            ErrorCodeDto::Storage,
            format!("the saved plan \"{}\" cannot be read: {e}", record.name),
        )
    })?;
    Ok(SavedPlanDto {
        id: record.id,
        learner_id: record.learner,
        name: record.name,
        saved_at: record.created_at,
        learner: body.learner,
        plan: body.plan,
    })
}

fn to_record(id: Option<i64>, learner: &LearnerDto) -> LearnerRecord {
    let c = &learner.constraints;
    LearnerRecord {
        id,
        name: learner.name.trim().to_string(),
        target: learner.target.clone(),
        holdings: learner
            .holdings
            .iter()
            .map(|h| HoldingRecord {
                credential: h.id.clone(),
                earned: h.earned.clone(),
                source: h.source.clone(),
            })
            .collect(),
        constraints: ConstraintsRecord {
            start: c.start.clone(),
            hours_per_week: c.hours_per_week,
            budget: c.budget.as_ref().map(|b| (b.amount, b.currency.clone())),
            avoid: c.avoid.clone(),
        },
    }
}

fn to_dto(record: &LearnerRecord) -> LearnerDto {
    let c = &record.constraints;
    LearnerDto {
        name: record.name.clone(),
        holdings: record
            .holdings
            .iter()
            .map(|h| HoldingDto {
                id: h.credential.clone(),
                earned: h.earned.clone(),
                source: h.source.clone(),
            })
            .collect(),
        target: record.target.clone(),
        constraints: ConstraintsDto {
            start: c.start.clone(),
            hours_per_week: c.hours_per_week,
            budget: c.budget.as_ref().map(|(amount, currency)| MoneyDto {
                amount: *amount,
                currency: currency.clone(),
            }),
            avoid: c.avoid.clone(),
        },
    }
}
