//! The engine: a loaded catalog and the use cases that run on it.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use stackpath_model::{
    Catalog, CredIdx, Credential, CredentialId, Date, Diagnostic, Holding, Learner, Money,
};

use stackpath_format::{FileReport, LoadOptions};
use stackpath_planner::{
    AuditKind, AuditNode, HeldVia, HoldingStatus, Objective, PlanOutcome, PlanRequest,
};

use crate::dto::{
    AlternativeDto, AuditDto, AuditHoldingDto, AuditNodeDto, CatalogFileDto, CatalogInfoDto,
    CredentialSummaryDto, CreditsDto, DiagnosticDto, GraphDto, GraphEdgeDto, GraphNodeDto,
    GraphNodeStatusDto, HoldingDto, HoldingStatusDto, LearnerDto, MoneyDto, ObjectiveDto, PlanDto,
    ProgressDto, StepDto, TotalsDto, UnreachableDto,
};
use crate::error::AppError;

/// The default weekly hours when neither the learner nor a flag says.
pub use stackpath_planner::DEFAULT_HOURS_PER_WEEK;

/// The bundled `pathways/` catalog: `STACKPATH_PATHWAYS` when set, else the
/// folder beside the installed program (`../share/stackpath/pathways` or
/// `pathways`), else the source tree's.
pub fn bundled_catalog_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("STACKPATH_PATHWAYS") {
        return PathBuf::from(dir);
    }
    if let Ok(exe) = std::env::current_exe() {
        if let Some(bin) = exe.parent() {
            for candidate in [
                bin.join("pathways"),
                bin.join("../share/stackpath/pathways"),
                bin.join("../lib/stackpath/pathways"),
            ] {
                if candidate.is_dir() {
                    return candidate;
                }
            }
        }
    }
    let source_tree = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../pathways");
    let source_tree = source_tree.canonicalize().unwrap_or(source_tree);
    // Shown relative to the working directory when it lies inside it, so
    // diagnostics read `pathways/...` from the repository root.
    match std::env::current_dir() {
        Ok(cwd) => source_tree
            .strip_prefix(&cwd)
            .map(Path::to_path_buf)
            .unwrap_or(source_tree),
        Err(_) => source_tree,
    }
}

/// A learner resolved for planning: domain holdings and every constraint
/// with its default applied.
#[derive(Debug, Clone)]
pub struct LearnerInput {
    pub learner: Learner,
    pub start: Date,
    pub hours_per_week: f64,
    pub budget: Option<Money>,
    pub avoid: Vec<CredentialId>,
}

impl LearnerInput {
    /// Resolves a transport learner; `today` is the start date when the
    /// learner gives none.
    pub fn from_dto(dto: &LearnerDto, today: Date) -> Result<LearnerInput, AppError> {
        let mut holdings = Vec::with_capacity(dto.holdings.len());
        for h in &dto.holdings {
            holdings.push(Holding {
                id: parse_id(&h.id)?,
                earned: parse_date(&h.earned, "earned date")?,
                source: h.source.clone(),
            });
        }
        let c = &dto.constraints;
        let start = match &c.start {
            Some(s) => parse_date(s, "start date")?,
            None => today,
        };
        let hours_per_week = c.hours_per_week.unwrap_or(DEFAULT_HOURS_PER_WEEK);
        if !(hours_per_week.is_finite() && hours_per_week > 0.0 && hours_per_week <= 168.0) {
            return Err(AppError::bad_input(format!(
                "hours per week must be more than 0 and at most 168, not {hours_per_week}"
            )));
        }
        let budget = match &c.budget {
            Some(b) if !(b.amount.is_finite() && b.amount >= 0.0) => {
                return Err(AppError::bad_input(format!(
                    "the budget must be 0 or more, not {}",
                    b.amount
                )))
            }
            Some(b) => Some(Money {
                amount: b.amount,
                currency: b.currency.clone(),
            }),
            None => None,
        };
        let avoid = c
            .avoid
            .iter()
            .map(|a| parse_id(a))
            .collect::<Result<Vec<_>, _>>()?;
        let target = dto.target.as_deref().map(parse_id).transpose()?;
        Ok(LearnerInput {
            learner: Learner {
                name: dto.name.clone(),
                holdings,
                target,
                constraints: stackpath_model::Constraints {
                    start: Some(start),
                    hours_per_week: Some(hours_per_week),
                    budget: budget.clone(),
                    avoid: avoid.clone(),
                },
            },
            start,
            hours_per_week,
            budget,
            avoid,
        })
    }
}

/// A learner as the transport layer carries it.
pub fn learner_to_dto(learner: &Learner) -> LearnerDto {
    LearnerDto {
        name: learner.name.clone(),
        holdings: learner
            .holdings
            .iter()
            .map(|h| HoldingDto {
                id: h.id.to_string(),
                earned: h.earned.to_string(),
                source: h.source.clone(),
            })
            .collect(),
        target: learner.target.as_ref().map(|t| t.to_string()),
        constraints: crate::dto::ConstraintsDto {
            start: learner.constraints.start.map(|d| d.to_string()),
            hours_per_week: learner.constraints.hours_per_week,
            budget: learner.constraints.budget.as_ref().map(money_dto),
            avoid: learner
                .constraints
                .avoid
                .iter()
                .map(|a| a.to_string())
                .collect(),
        },
    }
}

pub(crate) fn parse_id(s: &str) -> Result<CredentialId, AppError> {
    CredentialId::parse(s.trim()).map_err(|e| {
        AppError::bad_input(format!(
            "\"{s}\" is not a credential id: {e}; write it as publisher:local, e.g. comptia:a-plus"
        ))
    })
}

pub(crate) fn parse_date(s: &str, what: &str) -> Result<Date, AppError> {
    Date::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        AppError::bad_input(format!(
            "the {what} \"{s}\" is not a date; write it as YYYY-MM-DD, e.g. 2027-01-04"
        ))
    })
}

pub(crate) fn money_dto(m: &Money) -> MoneyDto {
    MoneyDto {
        amount: m.amount,
        currency: m.currency.clone(),
    }
}

fn file_dto(f: &FileReport, catalog: &Catalog) -> CatalogFileDto {
    let document = catalog.documents().iter().find(|d| d.file == f.file);
    CatalogFileDto {
        file: f.file.to_string(),
        publisher: f
            .publisher
            .as_ref()
            .map(|p| p.to_string())
            .unwrap_or_default(),
        publisher_name: document
            .map(|d| d.publisher.name.clone())
            .unwrap_or_default(),
        title: document.map(|d| d.title.clone()).unwrap_or_default(),
        credentials: f.credentials as u32,
        signature: f.signature.as_str().to_string(),
    }
}

fn diagnostic_dto(d: &Diagnostic) -> DiagnosticDto {
    DiagnosticDto {
        file: d.at.file.to_string(),
        line: d.at.line,
        column: d.at.column,
        severity: d.severity.as_str().to_string(),
        code: d.code.to_string(),
        message: d.message.clone(),
    }
}

/// A loaded catalog and the use cases over it. Immutable once built, so the
/// desktop shell can share it between threads.
#[derive(Debug)]
pub struct Engine {
    catalog: Catalog,
    diagnostics: Vec<Diagnostic>,
    files: Vec<CatalogFileDto>,
    /// Lower-cased search text per credential: id, title, publisher name.
    search_text: Vec<String>,
    publisher_names: HashMap<String, String>,
}

impl Engine {
    /// Loads pathway files and folders (searched recursively for
    /// `*.pathway.json`). Problems in the files are kept in
    /// [`Engine::diagnostics`]; only a catalog with nothing in it at all is an
    /// error, since one broken file must not hide the others.
    pub fn load(paths: &[PathBuf]) -> Result<Engine, AppError> {
        Engine::load_with(paths, &LoadOptions::default())
    }

    /// [`Engine::load`] with options: the command line's planning commands,
    /// which print only errors, load without "did you mean" hints.
    pub fn load_with(paths: &[PathBuf], options: &LoadOptions) -> Result<Engine, AppError> {
        let loaded = stackpath_format::load(paths, options);
        if loaded.files.is_empty() {
            let why = loaded
                .diagnostics
                .first()
                .map(|d| d.to_string())
                .unwrap_or_else(|| "no *.pathway.json files found".into());
            return Err(AppError::bad_input(format!(
                "no pathway files to load: {why}"
            )));
        }
        let files = loaded
            .files
            .iter()
            .map(|f| file_dto(f, &loaded.catalog))
            .collect();
        Ok(Engine::from_catalog(
            loaded.catalog,
            loaded.diagnostics,
            files,
        ))
    }

    /// Builds a catalog from files already in memory (the bundled catalog
    /// plus files imported into the desktop app's database), in the order
    /// given.
    pub fn from_sources(sources: Vec<(String, Vec<u8>)>) -> Engine {
        let options = LoadOptions::default();
        let mut documents = Vec::new();
        let mut diagnostics = Vec::new();
        let mut files = Vec::new();
        for (name, bytes) in sources {
            let parsed = stackpath_format::parse_pathway_with(&name, &bytes, &options);
            let errors = parsed.diagnostics.iter().filter(|d| d.is_error()).count();
            if let Some(doc) = &parsed.document {
                files.push(CatalogFileDto {
                    file: name.clone(),
                    publisher: doc.publisher.id.to_string(),
                    publisher_name: doc.publisher.name.clone(),
                    title: doc.title.clone(),
                    credentials: doc.credentials.len() as u32,
                    signature: parsed.signature.as_str().to_string(),
                });
            } else {
                debug_assert!(errors > 0, "a file without a document has errors");
            }
            diagnostics.extend(parsed.diagnostics);
            documents.extend(parsed.document);
        }
        let (catalog, catalog_diagnostics) = Catalog::build(documents);
        diagnostics.extend(catalog_diagnostics);
        diagnostics.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.severity.cmp(&b.severity)));
        Engine::from_catalog(catalog, diagnostics, files)
    }

    /// Reads a learner file into the transport form the UI edits.
    pub fn learner_from_file(path: &Path) -> Result<LearnerDto, AppError> {
        let (learner, diagnostics) = stackpath_format::load_learner(path);
        let errors: Vec<String> = diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.to_string())
            .collect();
        match learner {
            Some(l) if errors.is_empty() => Ok(learner_to_dto(&l)),
            _ => Err(AppError::bad_input(if errors.is_empty() {
                format!("{}: the learner file cannot be read", path.display())
            } else {
                errors.join("\n")
            })),
        }
    }

    /// An engine over an already-built catalog (tests, benchmarks).
    pub fn from_catalog(
        catalog: Catalog,
        diagnostics: Vec<Diagnostic>,
        files: Vec<CatalogFileDto>,
    ) -> Engine {
        let publisher_names: HashMap<String, String> = catalog
            .documents()
            .iter()
            .map(|d| (d.publisher.id.to_string(), d.publisher.name.clone()))
            .collect();
        let search_text = catalog
            .credentials()
            .iter()
            .map(|c| {
                let publisher = publisher_names
                    .get(c.id.publisher())
                    .map(String::as_str)
                    .unwrap_or("");
                format!("{} {} {}", c.id, c.title, publisher).to_lowercase()
            })
            .collect();
        Engine {
            catalog,
            diagnostics,
            files,
            search_text,
            publisher_names,
        }
    }

    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    pub fn catalog_info(&self) -> CatalogInfoDto {
        CatalogInfoDto {
            files: self.files.clone(),
            credentials: self.catalog.credentials().len() as u32,
            diagnostics: self.diagnostics.iter().map(diagnostic_dto).collect(),
        }
    }

    fn lookup(&self, id: &str) -> Result<(CredIdx, &Credential), AppError> {
        let parsed = parse_id(id)?;
        let idx = self
            .catalog
            .index_of(&parsed)
            .ok_or_else(|| AppError::unknown_credential(id))?;
        Ok((idx, self.catalog.credential(idx)))
    }

    pub fn credential(&self, id: &str) -> Result<CredentialSummaryDto, AppError> {
        let (_, c) = self.lookup(id)?;
        Ok(self.summary(c))
    }

    fn summary(&self, c: &Credential) -> CredentialSummaryDto {
        CredentialSummaryDto {
            id: c.id.to_string(),
            title: c.title.clone(),
            kind: c.kind.as_str().to_string(),
            publisher: c.id.publisher().to_string(),
            publisher_name: self
                .publisher_names
                .get(c.id.publisher())
                .cloned()
                .unwrap_or_else(|| c.id.publisher().to_string()),
            cost: c.cost.as_ref().map(money_dto),
            effort_hours: c.effort_hours,
            duration_weeks: c.duration_weeks,
            credits: c
                .credits
                .iter()
                .map(|k| CreditsDto {
                    value: k.value,
                    unit: k.unit.clone(),
                })
                .collect(),
            url: c.url.clone(),
            description: c.description.clone(),
            earnable: c.earnable,
        }
    }

    /// Credentials whose id, title or publisher contain every word of
    /// `query` (case-insensitive), best matches first: a title that starts
    /// with the query, then a word of the title that does, then the rest, each
    /// by title. `awards_only` keeps what a learner would pick as a target.
    pub fn search(
        &self,
        query: &str,
        awards_only: bool,
        limit: usize,
    ) -> Vec<CredentialSummaryDto> {
        let query = query.trim().to_lowercase();
        let words: Vec<&str> = query.split_whitespace().collect();
        let mut hits: Vec<(u8, &Credential)> = self
            .catalog
            .credentials()
            .iter()
            .zip(&self.search_text)
            .filter(|(c, _)| !awards_only || c.kind.is_award())
            .filter(|(_, text)| words.iter().all(|w| text.contains(w)))
            .map(|(c, _)| {
                let title = c.title.to_lowercase();
                let rank = if query.is_empty() || title.starts_with(&query) {
                    0
                } else if title.split_whitespace().any(|w| w.starts_with(&query)) {
                    1
                } else {
                    2
                };
                (rank, c)
            })
            .collect();
        hits.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| a.1.title.cmp(&b.1.title))
                .then_with(|| a.1.id.cmp(&b.1.id))
        });
        hits.into_iter()
            .take(limit)
            .map(|(_, c)| self.summary(c))
            .collect()
    }

    /// The target's requirement graph: every credential it depends on, with
    /// what the learner holds and what the plan earns marked. Large graphs
    /// are cut to the `max_nodes` nearest the target.
    pub fn graph(
        &self,
        learner: &LearnerDto,
        target: &str,
        plan: Option<&PlanDto>,
        max_nodes: usize,
    ) -> Result<GraphDto, AppError> {
        let (target_idx, credential) = self.lookup(target)?;
        // Held as the audit counts it: the holdings, what they imply and what
        // the equivalences grant for them.
        let input = LearnerInput::from_dto(learner, today())?;
        let audit =
            stackpath_planner::audit(&self.catalog, &input.learner, &credential.id, input.start);
        let held: HashSet<String> = learner
            .holdings
            .iter()
            .map(|h| h.id.clone())
            .chain(
                audit
                    .holdings
                    .iter()
                    .filter(|h| !h.expired && !h.unknown)
                    .map(|h| h.id.to_string()),
            )
            .collect();
        // Planned: what the plan earns, and what the equivalences grant for
        // it on the way (a step "counts toward" them), so the plan's path
        // through a granted credential is drawn whole.
        let planned: HashSet<&str> = plan
            .map(|p| {
                p.steps
                    .iter()
                    .flat_map(|s| std::iter::once(&s.id).chain(&s.satisfies))
                    .map(String::as_str)
                    .collect()
            })
            .unwrap_or_default();
        let expired: HashSet<String> = self.expired_holdings(learner)?;
        let mut order = vec![target_idx];
        let mut seen: HashSet<CredIdx> = HashSet::from([target_idx]);
        let mut at = 0;
        while at < order.len() && order.len() < max_nodes {
            let i = order[at];
            at += 1;
            for next in self.catalog.requires(i).into_iter().chain(self.granting(i)) {
                if order.len() < max_nodes && seen.insert(next) {
                    order.push(next);
                }
            }
        }
        let nodes = order
            .iter()
            .map(|&i| {
                let c = self.catalog.credential(i);
                let id = c.id.as_str();
                let status = if i == target_idx {
                    GraphNodeStatusDto::Target
                } else if expired.contains(id) {
                    GraphNodeStatusDto::Expired
                } else if held.contains(id) {
                    GraphNodeStatusDto::Held
                } else if planned.contains(id) {
                    GraphNodeStatusDto::Planned
                } else {
                    GraphNodeStatusDto::Remaining
                };
                GraphNodeDto {
                    id: id.to_string(),
                    title: c.title.clone(),
                    kind: c.kind.as_str().to_string(),
                    status,
                }
            })
            .collect();
        let mut edges = Vec::new();
        for &i in &order {
            let from = self.catalog.credential(i).id.to_string();
            for j in self.catalog.requires(i) {
                if seen.contains(&j) {
                    edges.push(GraphEdgeDto {
                        from: from.clone(),
                        to: self.catalog.credential(j).id.to_string(),
                        kind: "requires".into(),
                    });
                }
            }
            for j in self.granting(i) {
                if seen.contains(&j) {
                    edges.push(GraphEdgeDto {
                        from: from.clone(),
                        to: self.catalog.credential(j).id.to_string(),
                        kind: "granted-by".into(),
                    });
                }
            }
        }
        Ok(GraphDto { nodes, edges })
    }

    /// Credentials mentioned by the equivalences that grant `i`.
    fn granting(&self, i: CredIdx) -> Vec<CredIdx> {
        let mut out: Vec<CredIdx> = self
            .catalog
            .granted_by(i)
            .flat_map(|eq| self.catalog.members(&eq.when))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    fn expired_holdings(&self, learner: &LearnerDto) -> Result<HashSet<String>, AppError> {
        let input = LearnerInput::from_dto(learner, today())?;
        Ok(input
            .learner
            .holdings
            .iter()
            .filter(|h| {
                self.catalog
                    .get(&h.id)
                    .and_then(|c| c.expires_on(h.earned))
                    .is_some_and(|end| end < input.start)
            })
            .map(|h| h.id.to_string())
            .collect())
    }

    /// The currency a bare `--budget` amount is in: the one most credentials
    /// relevant to the target are priced in (ties: alphabetical), else USD.
    pub fn currency_for(&self, target: &str) -> String {
        let Ok((idx, _)) = self.lookup(target) else {
            return "USD".into();
        };
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for i in self.catalog.relevant_to(idx) {
            if let Some(m) = &self.catalog.credential(i).cost {
                *counts.entry(m.currency.as_str()).or_default() += 1;
            }
        }
        counts
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(c, _)| c.to_string())
            .unwrap_or_else(|| "USD".into())
    }

    /// Targets a learner may pick: awards in the catalog.
    pub fn targets(&self) -> Vec<CredentialSummaryDto> {
        self.catalog
            .credentials()
            .iter()
            .filter(|c| c.kind.is_award())
            .map(|c| self.summary(c))
            .collect()
    }
}

/// Today's date in local time: the default start of a plan.
pub fn today() -> Date {
    chrono::Local::now().date_naive()
}

impl Engine {
    /// What the learner holds toward `target`: every requirement node,
    /// satisfied or not, with progress and the holdings counted where.
    pub fn audit(&self, learner: &LearnerDto, target: &str) -> Result<AuditDto, AppError> {
        let input = LearnerInput::from_dto(learner, today())?;
        let (_, credential) = self.lookup(target)?;
        let audit =
            stackpath_planner::audit(&self.catalog, &input.learner, &credential.id, input.start);
        Ok(AuditDto {
            target: audit.target.to_string(),
            target_title: audit
                .title
                .clone()
                .unwrap_or_else(|| audit.target.to_string()),
            start: audit.start.to_string(),
            held: audit.target_held.is_some(),
            satisfied: audit.satisfied,
            requirements: audit.requirement.as_ref().map(audit_node_dto),
            holdings: audit.holdings.iter().map(|h| self.holding_dto(h)).collect(),
        })
    }

    fn holding_dto(&self, h: &HoldingStatus) -> AuditHoldingDto {
        let (status, via) = if h.unknown {
            (HoldingStatusDto::Unknown, None)
        } else if h.expired {
            (HoldingStatusDto::Expired, None)
        } else {
            match &h.via {
                HeldVia::Holding => (HoldingStatusDto::Held, None),
                HeldVia::Implied { by } => (HoldingStatusDto::Implied, Some(by.to_string())),
                HeldVia::Granted { equivalence } => (
                    HoldingStatusDto::Granted,
                    self.catalog.equivalences().get(*equivalence).map(|eq| {
                        let when = eq
                            .when
                            .mentioned()
                            .iter()
                            .map(|id| id.to_string())
                            .collect::<Vec<_>>()
                            .join(", ");
                        match &eq.note {
                            Some(note) => format!("{when} ({note})"),
                            None => when,
                        }
                    }),
                ),
            }
        };
        AuditHoldingDto {
            id: h.id.to_string(),
            title: self
                .catalog
                .get(&h.id)
                .map(|c| c.title.clone())
                .unwrap_or_else(|| h.id.to_string()),
            status,
            earned: Some(h.earned.to_string()),
            expires: h.expires.map(|d| d.to_string()),
            via,
        }
    }
}

fn audit_node_dto(n: &AuditNode) -> AuditNodeDto {
    let (kind, text, credential) = match &n.kind {
        AuditKind::Credential { id, title } => (
            "credential",
            title
                .clone()
                .unwrap_or_else(|| format!("{id} (not in the catalog)")),
            Some(id.to_string()),
        ),
        AuditKind::All => ("all", "All of".to_string(), None),
        AuditKind::Any => ("any", "Any of".to_string(), None),
        AuditKind::AtLeast { k } => (
            "at_least",
            format!("At least {k} of {}", n.children.len()),
            None,
        ),
        AuditKind::Credits { credits, unit } => {
            ("credits", format!("{credits} {unit} from a pool"), None)
        }
    };
    AuditNodeDto {
        kind: kind.to_string(),
        label: n.label.clone(),
        text,
        credential,
        shared: n.shared,
        satisfied: n.satisfied,
        progress: ProgressDto {
            have: n.progress.done,
            need: n.progress.of,
            unit: n.progress.unit.clone(),
            text: n.progress.to_string(),
        },
        counted: n.counted.iter().map(|c| c.id.to_string()).collect(),
        expired: n.expired.iter().map(|h| h.id.to_string()).collect(),
        children: n.children.iter().map(audit_node_dto).collect(),
    }
}

/// How long one plan may search before it returns its best plan with a
/// lower bound instead of a proof.
pub const DEFAULT_TIME_LIMIT: Duration = Duration::from_secs(2);

/// The longest search a plan may be given: an hour.
pub const MAX_TIME_LIMIT: Duration = Duration::from_secs(3600);

/// A search time limit of `seconds`: more than 0 and at most
/// [`MAX_TIME_LIMIT`], or why not.
pub fn time_limit_of(seconds: f64) -> Result<Duration, String> {
    if seconds.is_finite() && seconds > 0.0 && seconds <= MAX_TIME_LIMIT.as_secs_f64() {
        Ok(Duration::from_secs_f64(seconds))
    } else {
        Err(format!(
            "a search time limit must be more than 0 and at most {} seconds, not {seconds}",
            MAX_TIME_LIMIT.as_secs()
        ))
    }
}

impl Engine {
    /// The shortest remaining path to `target` under `objective`, with the
    /// best plan under each other objective where it differs.
    pub fn plan(
        &self,
        learner: &LearnerDto,
        target: &str,
        objective: ObjectiveDto,
    ) -> Result<PlanDto, AppError> {
        self.plan_within(learner, target, objective, DEFAULT_TIME_LIMIT, true)
    }

    /// [`Engine::plan`] with an explicit search time limit, and without the
    /// alternatives when `alternatives` is false (scripts that want one
    /// objective only; a `time` plan still takes a faster dated plan found
    /// by the other objectives when its search stops early).
    pub fn plan_within(
        &self,
        learner: &LearnerDto,
        target: &str,
        objective: ObjectiveDto,
        time_limit: Duration,
        alternatives: bool,
    ) -> Result<PlanDto, AppError> {
        let request = self.request(learner, target, objective, time_limit)?;
        let (main, others) = if alternatives || request.objective == Objective::Time {
            stackpath_planner::plan_with_alternatives(&self.catalog, &request)
        } else {
            (stackpath_planner::plan(&self.catalog, &request), Vec::new())
        };
        let others = if alternatives { others } else { Vec::new() };
        let mut dto = self.plan_dto(&main);
        dto.alternatives = others
            .iter()
            .map(|p| AlternativeDto {
                objective: objective_dto(p.objective),
                optimal: p.optimal,
                totals: totals_dto(p),
                steps: p.steps.iter().map(|s| s.id.to_string()).collect(),
            })
            .collect();
        Ok(dto)
    }

    /// A first plan for a screen that replaces it with [`Engine::plan`]'s
    /// answer: the objective's own search only, stopped at `time_limit`,
    /// without alternatives. Unlike [`Engine::plan_within`], a `time` draft
    /// does not also plan the other objectives to adopt a faster dated plan
    /// they may find, so it can finish later than the final answer.
    pub fn plan_draft(
        &self,
        learner: &LearnerDto,
        target: &str,
        objective: ObjectiveDto,
        time_limit: Duration,
    ) -> Result<PlanDto, AppError> {
        let request = self.request(learner, target, objective, time_limit)?;
        Ok(self.plan_dto(&stackpath_planner::plan(&self.catalog, &request)))
    }

    fn request(
        &self,
        learner: &LearnerDto,
        target: &str,
        objective: ObjectiveDto,
        time_limit: Duration,
    ) -> Result<PlanRequest, AppError> {
        let input = LearnerInput::from_dto(learner, today())?;
        let (_, target) = self.lookup(target)?;
        Ok(PlanRequest {
            target: target.id.clone(),
            holdings: input.learner.holdings,
            start: input.start,
            hours_per_week: input.hours_per_week,
            budget: input.budget,
            avoid: input.avoid,
            objective: objective_of(objective),
            time_limit: Some(time_limit),
        })
    }

    fn plan_dto(&self, p: &PlanOutcome) -> PlanDto {
        PlanDto {
            target: p.target.to_string(),
            objective: objective_dto(p.objective),
            feasible: p.feasible,
            optimal: p.optimal,
            lower_bound: p.lower_bound,
            start: p.start.to_string(),
            steps: p
                .steps
                .iter()
                .map(|s| {
                    let credential = self.catalog.get(&s.id);
                    StepDto {
                        id: s.id.to_string(),
                        title: s.title.clone(),
                        kind: credential
                            .map(|c| c.kind.as_str())
                            .unwrap_or("")
                            .to_string(),
                        start: s.start.to_string(),
                        finish: s.finish.to_string(),
                        satisfies: s.satisfies.iter().map(|x| x.to_string()).collect(),
                        cost: credential.and_then(|c| c.cost.as_ref()).map(money_dto),
                        effort_hours: credential.map(|c| c.effort_hours).unwrap_or(0.0),
                    }
                })
                .collect(),
            totals: totals_dto(p),
            unreachable: p.unreachable.as_ref().map(|u| UnreachableDto {
                message: u.message.clone(),
                requirements: u.requirements.clone(),
                reasons: u.reasons.iter().map(|r| r.to_string()).collect(),
                stopped: u.stopped(),
            }),
            alternatives: Vec::new(),
        }
    }
}

fn objective_of(o: ObjectiveDto) -> Objective {
    match o {
        ObjectiveDto::Time => Objective::Time,
        ObjectiveDto::Cost => Objective::Cost,
        ObjectiveDto::Effort => Objective::Effort,
        ObjectiveDto::Count => Objective::Count,
    }
}

fn objective_dto(o: Objective) -> ObjectiveDto {
    match o {
        Objective::Time => ObjectiveDto::Time,
        Objective::Cost => ObjectiveDto::Cost,
        Objective::Effort => ObjectiveDto::Effort,
        Objective::Count => ObjectiveDto::Count,
    }
}

/// A plan's totals; an infeasible plan has none, shown as zero days from
/// its start.
fn totals_dto(p: &PlanOutcome) -> TotalsDto {
    match &p.totals {
        Some(t) => TotalsDto {
            count: t.count as u32,
            cost: t.cost.iter().cloned().collect(),
            effort_hours: t.effort_hours,
            finish: t.finish.to_string(),
            days: i64::from(t.days),
        },
        None => TotalsDto {
            count: 0,
            cost: BTreeMap::new(),
            effort_hours: 0.0,
            finish: p.start.to_string(),
            days: 0,
        },
    }
}
