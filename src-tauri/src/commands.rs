//! The IPC commands: each one line over [`Workspace`], run on a blocking
//! thread so that neither solving nor disk writes ever stall the window.
//! Errors cross IPC as `{ code, message }` ([`ErrorDto`]).

use std::sync::Arc;

use stackpath_app::dto::{
    AuditDto, CredentialSummaryDto, ErrorCodeDto, ErrorDto, LearnerDto, ObjectiveDto,
};
use stackpath_app::workspace::{
    AppInfoDto, CatalogStateDto, ImportResultDto, LearnerEntryDto, PlanViewDto, SavedPlanDto,
    SettingsDto, Workspace, WorkspaceDto,
};
use stackpath_app::AppError;
use tauri::State;

use crate::{AppInfo, Opened};

type Shared<'a> = State<'a, Opened>;
type Answer<T> = Result<T, ErrorDto>;

/// Runs `work` on the blocking thread pool, or answers why the workspace
/// could not be opened.
async fn off_ui<T, F>(opened: &Opened, work: F) -> Answer<T>
where
    T: Send + 'static,
    F: FnOnce(&Workspace) -> Result<T, AppError> + Send + 'static,
{
    let workspace = Arc::clone(opened.0.as_ref().map_err(Clone::clone)?);
    tauri::async_runtime::spawn_blocking(move || work(&workspace))
        .await
        .map_err(|e| ErrorDto {
            code: ErrorCodeDto::Internal,
            message: format!("the command stopped unexpectedly: {e}"),
        })?
        .map_err(ErrorDto::from)
}

#[tauri::command]
pub async fn app_info(info: State<'_, AppInfo>) -> Answer<AppInfoDto> {
    Ok(info.0.clone())
}

#[tauri::command]
pub async fn workspace(ws: Shared<'_>) -> Answer<WorkspaceDto> {
    off_ui(&ws, |w| w.workspace()).await
}

#[tauri::command]
pub async fn select_learner(ws: Shared<'_>, id: i64) -> Answer<LearnerDto> {
    off_ui(&ws, move |w| w.select_learner(id)).await
}

#[tauri::command]
pub async fn create_learner(ws: Shared<'_>, name: String) -> Answer<LearnerEntryDto> {
    off_ui(&ws, move |w| w.create_learner(&name)).await
}

#[tauri::command]
pub async fn save_learner(ws: Shared<'_>, id: i64, learner: LearnerDto) -> Answer<()> {
    off_ui(&ws, move |w| w.save_learner(id, &learner)).await
}

#[tauri::command]
pub async fn delete_learner(ws: Shared<'_>, id: i64) -> Answer<WorkspaceDto> {
    off_ui(&ws, move |w| w.delete_learner(id)).await
}

#[tauri::command]
pub async fn search_credentials(
    ws: Shared<'_>,
    query: String,
    awards_only: bool,
    limit: usize,
) -> Answer<Vec<CredentialSummaryDto>> {
    off_ui(&ws, move |w| Ok(w.search(&query, awards_only, limit))).await
}

#[tauri::command]
pub async fn credential(ws: Shared<'_>, id: String) -> Answer<CredentialSummaryDto> {
    off_ui(&ws, move |w| w.credential(&id)).await
}

#[tauri::command]
pub async fn audit(ws: Shared<'_>, learner: LearnerDto) -> Answer<AuditDto> {
    off_ui(&ws, move |w| w.audit(&learner)).await
}

#[tauri::command]
pub async fn plan_draft(
    ws: Shared<'_>,
    learner: LearnerDto,
    objective: ObjectiveDto,
) -> Answer<PlanViewDto> {
    off_ui(&ws, move |w| w.plan_draft(&learner, objective)).await
}

#[tauri::command]
pub async fn plan(
    ws: Shared<'_>,
    learner: LearnerDto,
    objective: ObjectiveDto,
    seconds: Option<f64>,
) -> Answer<PlanViewDto> {
    off_ui(&ws, move |w| w.plan(&learner, objective, seconds)).await
}

/// Stops the plans being searched (a longer search the window no longer
/// wants): each answers at once with its best plan found, unproven.
#[tauri::command]
pub async fn stop_planning(ws: Shared<'_>) -> Answer<()> {
    off_ui(&ws, |w| {
        w.stop_planning();
        Ok(())
    })
    .await
}

#[tauri::command]
pub async fn import_pathway(
    ws: Shared<'_>,
    file_name: String,
    content: String,
) -> Answer<ImportResultDto> {
    off_ui(&ws, move |w| w.import_pathway(&file_name, &content)).await
}

#[tauri::command]
pub async fn remove_pathway(ws: Shared<'_>, file: String) -> Answer<CatalogStateDto> {
    off_ui(&ws, move |w| w.remove_pathway(&file)).await
}

#[tauri::command]
pub async fn save_plan(
    ws: Shared<'_>,
    learner_id: i64,
    name: String,
    objective: ObjectiveDto,
    seconds: Option<f64>,
) -> Answer<SavedPlanDto> {
    off_ui(&ws, move |w| {
        w.save_plan(learner_id, &name, objective, seconds)
    })
    .await
}

#[tauri::command]
pub async fn saved_plans(ws: Shared<'_>, learner_id: i64) -> Answer<Vec<SavedPlanDto>> {
    off_ui(&ws, move |w| w.saved_plans(learner_id)).await
}

#[tauri::command]
pub async fn delete_saved_plan(ws: Shared<'_>, id: i64) -> Answer<()> {
    off_ui(&ws, move |w| w.delete_saved_plan(id)).await
}

#[tauri::command]
pub async fn save_settings(ws: Shared<'_>, settings: SettingsDto) -> Answer<()> {
    off_ui(&ws, move |w| w.save_settings(&settings)).await
}
