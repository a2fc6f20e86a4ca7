// The application state and every action the views can take. Views read the
// state and call actions; actions call the backend, update the state and ask
// for the affected parts of the page to be drawn again.
//
// Every edit of the learner is saved at once (`save_learner`), and the audit
// and plan are recomputed from the edited learner in parallel with the save,
// so the screen follows the user without waiting for the disk. Answers that
// arrive after a newer edit are dropped (`generation`).

import type { AppInfoDto } from "./bindings/AppInfoDto";
import type { AuditDto } from "./bindings/AuditDto";
import type { CatalogStateDto } from "./bindings/CatalogStateDto";
import type { CredentialSummaryDto } from "./bindings/CredentialSummaryDto";
import type { GraphDto } from "./bindings/GraphDto";
import type { LearnerDto } from "./bindings/LearnerDto";
import type { LearnerEntryDto } from "./bindings/LearnerEntryDto";
import type { ObjectiveDto } from "./bindings/ObjectiveDto";
import type { PlanDto } from "./bindings/PlanDto";
import type { PlanViewDto } from "./bindings/PlanViewDto";
import type { SavedPlanDto } from "./bindings/SavedPlanDto";
import type { SettingsDto } from "./bindings/SettingsDto";
import type { ThemeDto } from "./bindings/ThemeDto";
import type { WorkspaceDto } from "./bindings/WorkspaceDto";
import { backend, BackendError } from "./backend";
import { afterPaint, perf, recordChange, recordFirstPlan } from "./perf";

export type Section =
  | "header"
  | "learner"
  | "target"
  | "audit"
  | "plan"
  | "graph"
  | "saved"
  | "catalog"
  | "status";

export interface State {
  info: AppInfoDto | null;
  learners: LearnerEntryDto[];
  learnerId: number | null;
  learner: LearnerDto | null;
  settings: SettingsDto;
  catalog: CatalogStateDto | null;
  audit: AuditDto | null;
  plan: PlanDto | null;
  graph: GraphDto | null;
  saved: SavedPlanDto[];
  /** Titles of credentials seen so far, for holdings and requirement ids. */
  titles: Map<string, string>;
  /** Kinds of credentials seen so far (course, degree…), where known. */
  kinds: Map<string, string>;
  auditing: boolean;
  planning: boolean;
  /** The plan on screen is a quick draft; the full search is still running. */
  draft: boolean;
  /**
   * The time limit, in seconds, of a longer search the user asked for: the
   * one running (while `planning`) or the one the plan on screen came from;
   * `null` for the app's own limit.
   */
  longerSearch: number | null;
  auditError: BackendError | null;
  planError: BackendError | null;
  /** A problem to show in the banner (failed save, bad import). */
  notice: { kind: "error" | "info"; text: string } | null;
  /** Words for the polite live region. */
  status: string;
}

export const state: State = {
  info: null,
  learners: [],
  learnerId: null,
  learner: null,
  settings: { theme: "system", objective: "time" },
  catalog: null,
  audit: null,
  plan: null,
  graph: null,
  saved: [],
  titles: new Map(),
  kinds: new Map(),
  auditing: false,
  planning: false,
  draft: false,
  longerSearch: null,
  auditError: null,
  planError: null,
  notice: null,
  status: "",
};

type Renderer = (sections: Section[]) => void;
let renderer: Renderer = () => {};

export function onRender(r: Renderer): void {
  renderer = r;
}

function render(...sections: Section[]): void {
  renderer(sections);
}

function asBackendError(e: unknown): BackendError {
  return e instanceof BackendError ? e : new BackendError({ code: "internal", message: String(e) });
}

function notify(kind: "error" | "info", text: string): void {
  state.notice = { kind, text };
  render("status");
}

export function titleOf(id: string): string {
  return state.titles.get(id) ?? id;
}

/** The kind of a credential seen so far, if known. */
export function kindOf(id: string): string | undefined {
  return state.kinds.get(id);
}

function learnTitles(credentials: { id: string; title: string; kind?: string }[]): void {
  for (const c of credentials) {
    state.titles.set(c.id, c.title);
    if (c.kind) state.kinds.set(c.id, c.kind);
  }
}

/** Applies the theme setting to the document. */
export function applyTheme(theme: ThemeDto): void {
  const dark = theme === "dark" || (theme === "system" && matchMedia("(prefers-color-scheme: dark)").matches);
  document.documentElement.dataset.theme = dark ? "dark" : "light";
}

function takeWorkspace(ws: WorkspaceDto): void {
  state.learners = ws.learners;
  state.learnerId = ws.current;
  state.learner = ws.learner;
  state.catalog = ws.catalog;
  state.settings = ws.settings;
  applyTheme(ws.settings.theme);
}

async function loadHoldingTitles(): Promise<void> {
  const unknown = (state.learner?.holdings ?? []).filter((h) => !state.titles.has(h.id));
  const target = state.learner?.target;
  const ids = unknown.map((h) => h.id);
  if (target && !(state.titles.has(target) && state.kinds.has(target))) ids.push(target);
  const found = await Promise.all(ids.map((id) => backend.credential(id).catch(() => null)));
  learnTitles(found.filter((c): c is CredentialSummaryDto => c !== null));
}

async function loadSaved(): Promise<void> {
  state.saved = state.learnerId === null ? [] : await backend.savedPlans(state.learnerId);
}

export async function boot(): Promise<void> {
  const [info, ws] = await Promise.all([backend.appInfo(), backend.workspace()]);
  state.info = info;
  perf.processStartedAt = info.started_at_ms;
  takeWorkspace(ws);
  render("header", "learner", "target", "catalog", "saved");
  await refresh(null);
  await loadHoldingTitles();
  await loadSaved();
  render("learner", "target", "saved");
}

let generation = 0;

/**
 * Re-audits and re-plans the current learner. `change` names the user action
 * that caused it, for the timings; `null` for loads that no user caused.
 */
export async function refresh(change: string | null, startedAt = performance.now()): Promise<void> {
  const mine = ++generation;
  // A longer search still running would search on beside this plan for the
  // rest of its limit: stopped first (its answer is dropped).
  if (longerRunning) {
    longerRunning = false;
    await backend.stopPlanning().catch(() => {});
    if (mine !== generation) return;
  }
  const learner = state.learner;
  state.longerSearch = null;
  if (!learner || !learner.target) {
    state.audit = null;
    state.plan = null;
    state.graph = null;
    state.auditError = state.planError = null;
    state.auditing = state.planning = false;
    render("audit", "plan", "graph", "status");
    return;
  }
  state.auditing = state.planning = true;
  state.status = "Planning…";
  render("status");
  // The slow-work indicator only appears if the answer takes a while, so a
  // fast re-plan does not flash.
  const slow = window.setTimeout(() => {
    if (mine === generation) render("audit", "plan");
  }, 150);

  const objective = state.settings.objective;
  const audit = backend.audit(learner).then(
    (a) => {
      if (mine !== generation) return;
      if (change) recordChange(`${change}:audit-answered`, startedAt);
      state.audit = a;
      state.auditError = null;
      state.auditing = false;
      learnTitles(a.holdings);
      state.titles.set(a.target, a.target_title);
      // The audit is quick; show it without waiting for a slow plan.
      if (state.planning) render("audit", "target");
    },
    (e) => {
      if (mine !== generation) return;
      state.audit = null;
      state.auditError = asBackendError(e);
    },
  );
  // Two answers: a draft found within a few milliseconds, painted at once,
  // then the full search (which may take seconds to prove a plan optimal)
  // replaces it. The timing of a change is the draft's; `:final` the full one's.
  const plan = backend
    .planDraft(learner, objective)
    .then(async (draft) => {
      if (mine !== generation) return false;
      if (change) recordChange(`${change}:draft-answered`, startedAt);
      showPlan(draft, true);
      window.clearTimeout(slow);
      state.status = "Plan ready; looking for a better one…";
      render("plan", "graph", "target", "status");
      if (change) recordChange(`${change}:draft-drawn`, startedAt);
      await afterPaint();
      if (mine !== generation) return false;
      recordFirstPlan();
      if (change) recordChange(change, startedAt);
      return true;
    })
    .catch((e) => {
      if (mine === generation) showPlanError(e);
      return false;
    })
    .then(async () => {
      if (mine !== generation) return;
      try {
        const full = await backend.plan(learner, objective);
        if (mine === generation) showPlan(full, false);
      } catch (e) {
        if (mine === generation) showPlanError(e);
      }
    });
  await Promise.all([audit, plan]);
  window.clearTimeout(slow);
  if (mine !== generation) return;
  state.auditing = state.planning = false;
  state.status = statusLine();
  render("audit", "plan", "graph", "target", "learner", "status");
  await afterPaint();
  if (state.plan) recordFirstPlan();
  if (change) recordChange(`${change}:final`, startedAt);
}

/** Puts a plan answer on screen (`draft`: the quick first answer). */
function showPlan(view: PlanViewDto, draft: boolean): void {
  state.plan = view.plan;
  state.graph = view.graph;
  state.planError = null;
  state.draft = draft;
  learnTitles(view.plan.steps);
  learnTitles(view.graph.nodes);
}

/** Puts why planning failed on screen, in place of the plan. */
function showPlanError(e: unknown): void {
  state.plan = null;
  state.graph = null;
  state.draft = false;
  state.planError = asBackendError(e);
}

/** How long a longer search may run, in seconds. */
export const LONGER_SEARCH_SECONDS = 30;

/** A longer search is running in the backend. */
let longerRunning = false;

/**
 * Whether the plan on screen may gain from a longer search: it is the full
 * answer, not proven (or no plan was found in time), and it was not already
 * given the longer limit.
 */
export function canSearchLonger(): boolean {
  const p = state.plan;
  if (!p || state.planning || state.draft || state.longerSearch !== null) return false;
  if ((state.info?.time_limit_seconds ?? 0) >= LONGER_SEARCH_SECONDS) return false;
  return p.feasible ? !p.optimal : p.unreachable?.stopped === true;
}

/**
 * Plans again under the same constraints with [`LONGER_SEARCH_SECONDS`]
 * instead of the app's limit, keeping the plan on screen until the answer
 * comes. Any edit meanwhile stops it (`refresh`) and drops its answer.
 */
export async function searchLonger(): Promise<void> {
  const learner = state.learner;
  if (!learner || !learner.target || !canSearchLonger()) return;
  const mine = ++generation;
  const seconds = LONGER_SEARCH_SECONDS;
  state.longerSearch = seconds;
  state.planning = true;
  state.status = `Searching for up to ${seconds} seconds…`;
  render("plan", "status");
  longerRunning = true;
  // A newer `refresh` (the only other thing that moves `generation`) has
  // already stopped this search and cleared `longerRunning`.
  try {
    const view = await backend.plan(learner, state.settings.objective, seconds);
    if (mine !== generation) return;
    showPlan(view, false);
  } catch (e) {
    if (mine !== generation) return;
    showPlanError(e);
  }
  longerRunning = false;
  state.planning = false;
  state.status = statusLine();
  render("plan", "graph", "target", "status");
}

/**
 * Stops the longer search: it answers at once with the best plan it found,
 * which replaces the one on screen.
 */
export function stopLongerSearch(): Promise<void> {
  return guarded(async () => {
    if (longerRunning) await backend.stopPlanning();
  });
}

function statusLine(): string {
  const p = state.plan;
  if (state.planError) return `Could not plan: ${state.planError.message}`;
  if (!p) return "";
  if (!p.feasible) {
    return p.unreachable?.stopped ? "No plan found in the time allowed." : "This target cannot be reached from here.";
  }
  return `Plan ready: ${p.totals.count} steps, finishing ${p.totals.finish}.`;
}

/** Edits the current learner, saves it, and re-plans. */
export function editLearner(kind: string, mutate: (learner: LearnerDto) => void): void {
  const startedAt = performance.now();
  if (!state.learner || state.learnerId === null) return;
  const next: LearnerDto = structuredClone(state.learner);
  mutate(next);
  state.learner = next;
  const id = state.learnerId;
  backend.saveLearner(id, next).catch((e) => notify("error", `Not saved: ${asBackendError(e).message}`));
  if (kind === "name") {
    state.learners = state.learners.map((l) => (l.id === id ? { ...l, name: next.name } : l));
    render("header");
    return;
  }
  render("learner", "target");
  void refresh(kind, startedAt);
}

export function setObjective(objective: ObjectiveDto): void {
  const startedAt = performance.now();
  if (state.settings.objective === objective) return;
  state.settings = { ...state.settings, objective };
  backend.saveSettings(state.settings).catch((e) => notify("error", asBackendError(e).message));
  void refresh("objective", startedAt);
}

export function setTheme(theme: ThemeDto): void {
  state.settings = { ...state.settings, theme };
  applyTheme(theme);
  backend.saveSettings(state.settings).catch((e) => notify("error", asBackendError(e).message));
  render("header", "graph");
}

async function guarded(action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (e) {
    notify("error", asBackendError(e).message);
  }
}

export function selectLearner(id: number): Promise<void> {
  return guarded(async () => {
    state.learner = await backend.selectLearner(id);
    state.learnerId = id;
    render("header", "learner", "target");
    await refresh("learner");
    await loadHoldingTitles();
    await loadSaved();
    render("learner", "target", "saved");
  });
}

export function createLearner(name: string): Promise<void> {
  return guarded(async () => {
    const entry = await backend.createLearner(name);
    state.learners = [...state.learners, entry];
    await selectLearner(entry.id);
  });
}

export function deleteLearner(id: number): Promise<void> {
  return guarded(async () => {
    takeWorkspace(await backend.deleteLearner(id));
    render("header", "learner", "target");
    await refresh("learner");
    await loadHoldingTitles();
    await loadSaved();
    render("learner", "target", "saved");
  });
}

export function search(query: string, awardsOnly: boolean): Promise<CredentialSummaryDto[]> {
  return backend.searchCredentials(query, awardsOnly, 30).then(
    (found) => {
      learnTitles(found);
      return found;
    },
    (e) => {
      notify("error", asBackendError(e).message);
      return [];
    },
  );
}

export function importFile(file: File): Promise<void> {
  return guarded(async () => {
    const content = await file.text();
    const result = await backend.importPathway(file.name, content);
    state.catalog = result.catalog;
    const f = result.file;
    notify(
      "info",
      `${result.replaced ? "Replaced" : "Imported"} ${f.file} (${f.publisher}${f.version ? `, version ${f.version}` : ""}).`,
    );
    render("catalog");
    await refresh(null);
  });
}

export function removePathway(file: string): Promise<void> {
  return guarded(async () => {
    state.catalog = await backend.removePathway(file);
    notify("info", `Removed ${file}.`);
    render("catalog");
    await refresh(null);
  });
}

export function savePlan(name: string): Promise<void> {
  return guarded(async () => {
    if (state.learnerId === null) return;
    // Saved as searched: with the longer limit if the plan on screen had it.
    // Saving plans again, which can take that long: say so meanwhile.
    const seconds = state.longerSearch ?? state.info?.time_limit_seconds ?? null;
    notify("info", seconds !== null ? `Saving “${name}”: planning again, up to ${seconds} seconds…` : `Saving “${name}”…`);
    const saved = await backend.savePlan(state.learnerId, name, state.settings.objective, state.longerSearch);
    state.saved = [saved, ...state.saved];
    notify("info", `Saved “${saved.name}”.`);
    render("saved");
  });
}

export function deleteSavedPlan(id: number): Promise<void> {
  return guarded(async () => {
    await backend.deleteSavedPlan(id);
    state.saved = state.saved.filter((p) => p.id !== id);
    render("saved");
  });
}

export function dismissNotice(): void {
  state.notice = null;
  render("status");
}
