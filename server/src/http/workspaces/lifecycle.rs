//! Reading, editing, locking, deleting and leaving one workspace.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;

use carrel_core::api::ErrorCode;
use carrel_core::api::{EditWorkspaceRequest, WorkspaceDetail};
use carrel_core::validate::FieldError;
use carrel_core::workspace::confirms_deletion;
use carrel_core::workspace::parse_display_name;
use carrel_core::{Action, Principal};

use super::{detail, WorkspaceContext, DESCRIPTION_MAX_CHARS};
use crate::http::error::ApiError;
use crate::http::extract::{ApiJson, CurrentUser};
use crate::store::{audit, directory, ledger, workspaces};
use crate::{now_ms, AppState};

#[utoipa::path(get, path = "/workspaces/{namespace}/{name}", tag = "workspaces", params(("namespace" = String, Path, description = "Billing project"), ("name" = String, Path, description = "Workspace URL name")), responses((status = 200, body = carrel_core::api::WorkspaceDetail), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody)))]
pub async fn read(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((namespace, name)): Path<(String, String)>,
) -> Result<Json<WorkspaceDetail>, ApiError> {
    let mut conn = state.store.pool().acquire().await?;
    let loaded = WorkspaceContext::load(&mut conn, &user, &namespace, &name).await?;
    loaded.require(&user, Action::Read)?;
    Ok(Json(detail(&loaded, &user)))
}

#[utoipa::path(patch, path = "/workspaces/{namespace}/{name}", tag = "workspaces", params(("namespace" = String, Path, description = "Billing project"), ("name" = String, Path, description = "Workspace URL name")), request_body = carrel_core::api::EditWorkspaceRequest, responses((status = 200, body = carrel_core::api::WorkspaceDetail), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody), (status = 409, body = carrel_core::api::ErrorBody)))]
pub async fn edit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((namespace, name)): Path<(String, String)>,
    ApiJson(request): ApiJson<EditWorkspaceRequest>,
) -> Result<Json<WorkspaceDetail>, ApiError> {
    let mut problems = Vec::new();
    let display_name = match &request.display_name {
        Some(raw) => parse_display_name(raw).map_err(|e| problems.push(e)).ok(),
        None => None,
    };
    if let Some(purpose) = &request.research_purpose {
        problems.extend(purpose.problems());
    }
    if request
        .description
        .as_ref()
        .is_some_and(|d| d.chars().count() > DESCRIPTION_MAX_CHARS)
    {
        problems.push(FieldError::new(
            "description",
            "Keep the description to at most 20,000 characters.",
        ));
    }
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems));
    }
    let mut tx = state.store.begin_write().await?;
    let loaded = WorkspaceContext::load(&mut tx, &user, &namespace, &name).await?;
    if display_name.is_some() || request.research_purpose.is_some() {
        loaded.require(&user, Action::EditAbout)?;
    }
    if request.description.is_some() {
        loaded.require(&user, Action::Write)?;
    }
    if loaded.row.about_version != request.about_version {
        return Err(ApiError::Conflict {
            code: ErrorCode::Stale.as_str(),
            message: format!(
                "Someone else edited this workspace first (now version {}); reload and try again.",
                loaded.row.about_version
            ),
        });
    }
    let now = now_ms();
    let changed = workspaces::edit_about(
        &mut tx,
        loaded.row.id,
        request.about_version,
        display_name.as_deref(),
        request.research_purpose.as_ref(),
        request.description.as_deref(),
        now,
    )
    .await?;
    if !changed {
        return Err(ApiError::Conflict {
            code: ErrorCode::Stale.as_str(),
            message: "Someone else edited this workspace first; reload and try again.".to_owned(),
        });
    }
    let reloaded = WorkspaceContext::load(&mut tx, &user, &namespace, &name).await?;
    directory::publish(&mut tx, &reloaded.row).await?;
    let event = serde_json::json!({
        "display_name": display_name,
        "research_purpose_changed": request.research_purpose.is_some(),
        "description_changed": request.description.is_some(),
    });
    audit::record(&mut tx, loaded.row.id, user.id, "edit", &event, now).await?;
    tx.commit().await?;
    Ok(Json(detail(&reloaded, &user)))
}

async fn set_lock(
    state: AppState,
    user: CurrentUser,
    namespace: String,
    name: String,
    locked: bool,
) -> Result<Json<WorkspaceDetail>, ApiError> {
    let action = if locked { Action::Lock } else { Action::Unlock };
    let mut tx = state.store.begin_write().await?;
    let loaded = WorkspaceContext::load(&mut tx, &user, &namespace, &name).await?;
    loaded.require(&user, action)?;
    let now = now_ms();
    workspaces::set_locked(&mut tx, loaded.row.id, locked, now).await?;
    let verb = if locked { "lock" } else { "unlock" };
    audit::record(
        &mut tx,
        loaded.row.id,
        user.id,
        verb,
        &serde_json::json!({}),
        now,
    )
    .await?;
    let reloaded = WorkspaceContext::load(&mut tx, &user, &namespace, &name).await?;
    tx.commit().await?;
    Ok(Json(detail(&reloaded, &user)))
}

#[utoipa::path(post, path = "/workspaces/{namespace}/{name}/lock", tag = "workspaces", params(("namespace" = String, Path, description = "Billing project"), ("name" = String, Path, description = "Workspace URL name")), responses((status = 200, body = carrel_core::api::WorkspaceDetail), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody)))]
pub async fn lock(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((namespace, name)): Path<(String, String)>,
) -> Result<Json<WorkspaceDetail>, ApiError> {
    set_lock(state, user, namespace, name, true).await
}

#[utoipa::path(post, path = "/workspaces/{namespace}/{name}/unlock", tag = "workspaces", params(("namespace" = String, Path, description = "Billing project"), ("name" = String, Path, description = "Workspace URL name")), responses((status = 200, body = carrel_core::api::WorkspaceDetail), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody)))]
pub async fn unlock(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((namespace, name)): Path<(String, String)>,
) -> Result<Json<WorkspaceDetail>, ApiError> {
    set_lock(state, user, namespace, name, false).await
}

#[derive(Debug, Deserialize)]
pub struct DeleteQuery {
    confirm: Option<String>,
}

/// Delete, confirmed by the workspace's name. Its directory entry stays, marked inactive.
#[utoipa::path(delete, path = "/workspaces/{namespace}/{name}", tag = "workspaces", params(("namespace" = String, Path, description = "Billing project"), ("name" = String, Path, description = "Workspace URL name"), ("confirm" = String, Query, description = "The workspace name, typed to confirm")), responses((status = 204), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((namespace, name)): Path<(String, String)>,
    Query(query): Query<DeleteQuery>,
) -> Result<StatusCode, ApiError> {
    let mut tx = state.store.begin_write().await?;
    let loaded = WorkspaceContext::load(&mut tx, &user, &namespace, &name).await?;
    loaded.require(&user, Action::Delete)?;
    let confirmed = query
        .confirm
        .as_deref()
        .is_some_and(|typed| confirms_deletion(typed, &loaded.row.name));
    if !confirmed {
        return Err(ApiError::field(
            "confirm",
            "Type the workspace's name to confirm that it should be deleted for everyone.",
        ));
    }
    let now = now_ms();
    let event = serde_json::json!({ "workspace": format!("{namespace}/{name}") });
    audit::record(&mut tx, loaded.row.id, user.id, "delete", &event, now).await?;
    directory::unpublish(&mut tx, &loaded.row).await?;
    // The bytes kept until now are charged; the index and meter go with the row.
    crate::store::files::remove_all(&mut tx, loaded.row.id).await?;
    ledger::meter_storage(
        &mut tx,
        &super::files::payer(&loaded),
        &state.config.prices,
        now,
    )
    .await?;
    workspaces::delete(&mut tx, loaded.row.id).await?;
    tx.commit().await?;
    if let Err(error) = state.buckets.delete_all(loaded.row.id).await {
        tracing::warn!(%error, workspace = loaded.row.id, "a deleted workspace's objects remain");
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Remove the caller's own direct grant.
#[utoipa::path(post, path = "/workspaces/{namespace}/{name}/leave", tag = "workspaces", params(("namespace" = String, Path, description = "Billing project"), ("name" = String, Path, description = "Workspace URL name")), responses((status = 204), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody), (status = 409, body = carrel_core::api::ErrorBody)))]
pub async fn leave(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((namespace, name)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let mut tx = state.store.begin_write().await?;
    let loaded = WorkspaceContext::load(&mut tx, &user, &namespace, &name).await?;
    loaded.require(&user, Action::Leave)?;
    let now = now_ms();
    let me = Principal::User(user.id);
    let moved =
        workspaces::bump_acl_version(&mut tx, loaded.row.id, loaded.row.acl_version, now).await?;
    if !moved || !workspaces::delete_grant(&mut tx, loaded.row.id, &me).await? {
        return Err(ApiError::Conflict {
            code: ErrorCode::Stale.as_str(),
            message: "The sharing settings changed at the same moment; try again.".to_owned(),
        });
    }
    audit::record(
        &mut tx,
        loaded.row.id,
        user.id,
        "leave",
        &serde_json::json!({}),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
