// The one door into Rust. Every `invoke` of the app goes through this module,
// so the list of commands the UI uses can be read in one place and matches
// `src-tauri/build.rs` and `src-tauri/capabilities/main.json`.
//
// Types come from `./bindings/`, generated from the Rust DTOs by ts-rs
// (`cargo test -p stackpath-app`); none is retyped here.

import { invoke } from "@tauri-apps/api/core";

import type { AppInfoDto } from "./bindings/AppInfoDto";
import type { AuditDto } from "./bindings/AuditDto";
import type { CatalogStateDto } from "./bindings/CatalogStateDto";
import type { CredentialSummaryDto } from "./bindings/CredentialSummaryDto";
import type { ErrorCodeDto } from "./bindings/ErrorCodeDto";
import type { ErrorDto } from "./bindings/ErrorDto";
import type { ImportResultDto } from "./bindings/ImportResultDto";
import type { LearnerDto } from "./bindings/LearnerDto";
import type { LearnerEntryDto } from "./bindings/LearnerEntryDto";
import type { ObjectiveDto } from "./bindings/ObjectiveDto";
import type { PlanViewDto } from "./bindings/PlanViewDto";
import type { SavedPlanDto } from "./bindings/SavedPlanDto";
import type { SettingsDto } from "./bindings/SettingsDto";
import type { WorkspaceDto } from "./bindings/WorkspaceDto";

/** A failed command: the `{ code, message }` that crossed IPC. */
export class BackendError extends Error {
  readonly code: ErrorCodeDto;
  constructor(dto: ErrorDto) {
    super(dto.message);
    this.code = dto.code;
  }
}

function isErrorDto(value: unknown): value is ErrorDto {
  return typeof value === "object" && value !== null && "code" in value && "message" in value;
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    if (isErrorDto(e)) throw new BackendError(e);
    throw new BackendError({ code: "internal", message: String(e) });
  }
}

export const backend = {
  appInfo: () => call<AppInfoDto>("app_info"),
  workspace: () => call<WorkspaceDto>("workspace"),

  selectLearner: (id: number) => call<LearnerDto>("select_learner", { id }),
  createLearner: (name: string) => call<LearnerEntryDto>("create_learner", { name }),
  saveLearner: (id: number, learner: LearnerDto) => call<void>("save_learner", { id, learner }),
  deleteLearner: (id: number) => call<WorkspaceDto>("delete_learner", { id }),

  searchCredentials: (query: string, awardsOnly: boolean, limit: number) =>
    call<CredentialSummaryDto[]>("search_credentials", { query, awardsOnly, limit }),
  credential: (id: string) => call<CredentialSummaryDto>("credential", { id }),

  audit: (learner: LearnerDto) => call<AuditDto>("audit", { learner }),
  planDraft: (learner: LearnerDto, objective: ObjectiveDto) =>
    call<PlanViewDto>("plan_draft", { learner, objective }),
  /** `seconds`: how long the search may run; `null` for the app's limit. */
  plan: (learner: LearnerDto, objective: ObjectiveDto, seconds: number | null = null) =>
    call<PlanViewDto>("plan", { learner, objective, seconds }),

  importPathway: (fileName: string, content: string) =>
    call<ImportResultDto>("import_pathway", { fileName, content }),
  removePathway: (file: string) => call<CatalogStateDto>("remove_pathway", { file }),

  /** Stops the plans being searched: each answers at once with its best plan found. */
  stopPlanning: () => call<void>("stop_planning", {}),
  savePlan: (learnerId: number, name: string, objective: ObjectiveDto, seconds: number | null = null) =>
    call<SavedPlanDto>("save_plan", { learnerId, name, objective, seconds }),
  savedPlans: (learnerId: number) => call<SavedPlanDto[]>("saved_plans", { learnerId }),
  deleteSavedPlan: (id: number) => call<void>("delete_saved_plan", { id }),

  saveSettings: (settings: SettingsDto) => call<void>("save_settings", { settings }),
};
