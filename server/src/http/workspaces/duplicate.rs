//! Duplicating a workspace: reader on the source, creator rights on the destination project.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;

use carrel_core::api::ErrorCode;
use carrel_core::api::{DuplicateWorkspaceRequest, WorkspaceDetail};
use carrel_core::billing::may_create_workspace;
use carrel_core::validate::FieldError;
use carrel_core::workspace::{parse_display_name, url_name_of};
use carrel_core::{Action, Grant, Principal, Role};

use super::{chosen_project, detail, WorkspaceContext};
use crate::http::error::ApiError;
use crate::http::extract::{ApiJson, CurrentUser};
use crate::store::files::{self as index, Stored};
use crate::store::workspaces::{self, NewWorkspace};
use crate::store::{audit, billing, directory, ledger};
use crate::{now_ms, AppState};

#[utoipa::path(post, path = "/workspaces/{namespace}/{name}/duplicate", tag = "workspaces", params(("namespace" = String, Path, description = "Billing project"), ("name" = String, Path, description = "Workspace URL name")), request_body = carrel_core::api::DuplicateWorkspaceRequest, responses((status = 201, body = carrel_core::api::WorkspaceDetail), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody), (status = 409, body = carrel_core::api::ErrorBody)))]
pub async fn duplicate(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((namespace, name)): Path<(String, String)>,
    ApiJson(request): ApiJson<DuplicateWorkspaceRequest>,
) -> Result<(StatusCode, Json<WorkspaceDetail>), ApiError> {
    let mut problems: Vec<FieldError> = Vec::new();
    let display_name = parse_display_name(&request.display_name)
        .map_err(|e| problems.push(e))
        .ok();
    if let Some(purpose) = &request.research_purpose {
        problems.extend(purpose.problems());
    }
    let mut tx = state.store.begin_write().await?;
    let source = WorkspaceContext::load(&mut tx, &user, &namespace, &name).await?;
    source.require(&user, Action::Duplicate)?;
    let project = chosen_project(&mut tx, &request.billing_project, &mut problems).await?;
    let (Some(display_name), Some(project), true) = (display_name, project, problems.is_empty())
    else {
        return Err(ApiError::Validation(problems));
    };
    let role = billing::role_of(&mut tx, project.id, user.id).await?;
    may_create_workspace(user.tiers, role, source.row.tier)?;

    let purpose = request
        .research_purpose
        .clone()
        .unwrap_or_else(|| source.row.research_purpose.clone());
    let now = now_ms();
    let new = NewWorkspace {
        project: project.id,
        display_name: &display_name,
        description: &source.row.description,
        tier: source.row.tier,
        creator: user.id,
        dataset_version: &source.row.dataset_version,
        replication_statement: &source.row.replication_statement,
        research_purpose: &purpose,
        now,
    };
    let (id, new_name) = workspaces::insert(&mut tx, &new, &url_name_of(&display_name))
        .await?
        .ok_or_else(|| ApiError::Conflict {
            code: ErrorCode::NameTaken.as_str(),
            message: "Too many workspaces in this billing project share this name; choose another."
                .to_owned(),
        })?;
    let me = Principal::User(user.id);
    workspaces::upsert_grant(&mut tx, id, &Grant::new(me.clone(), Role::Owner)).await?;
    if request.copy_collaborators {
        workspaces::copy_grants(&mut tx, source.row.id, id, &me).await?;
    }
    workspaces::bump_acl_version(&mut tx, id, 0, now).await?;
    crate::store::entities::duplicate(&mut tx, source.row.id, id).await?;
    let copy = WorkspaceContext::load(&mut tx, &user, &project.name, &new_name).await?;
    directory::publish(&mut tx, &copy.row).await?;
    let event = serde_json::json!({
        "duplicated_from": format!("{namespace}/{name}"),
        "copied_collaborators": request.copy_collaborators,
    });
    audit::record(&mut tx, id, user.id, "duplicate", &event, now).await?;
    let files = if request.copy_files {
        index::all(&mut tx, source.row.id).await?
    } else {
        Vec::new()
    };
    tx.commit().await?;
    if !files.is_empty() {
        copy_files(&state, &user, (source.row.id, &copy), &files).await?;
    }
    Ok((StatusCode::CREATED, Json(detail(&copy, &user))))
}

/// Copy the source's objects into the new bucket (server-side, outside any transaction), then
/// record the files copied — from the same list, so every row has its object — and start the
/// copy's storage meter. A file deleted from the source meanwhile is skipped.
async fn copy_files(
    state: &AppState,
    user: &CurrentUser,
    (source, copy): (i64, &WorkspaceContext),
    files: &[(String, Stored, Option<i64>)],
) -> Result<(), ApiError> {
    let objects: Vec<String> = files.iter().map(|(_, s, _)| s.object.clone()).collect();
    let copied = state
        .buckets
        .copy_objects(source, copy.row.id, &objects)
        .await
        .map_err(|error| ApiError::Internal(error.into()))?;
    let mut tx = state.store.begin_write().await?;
    let now = now_ms();
    let mut count = 0;
    for (file, copied) in files.iter().zip(copied) {
        if copied {
            index::record_copy(&mut tx, copy.row.id, file, now).await?;
            count += 1;
        }
    }
    ledger::meter_storage(
        &mut tx,
        &super::files::payer(copy),
        &state.config.prices,
        now,
    )
    .await?;
    let stored = index::total_bytes(&mut tx, copy.row.id).await?;
    audit::record(
        &mut tx,
        copy.row.id,
        user.id,
        "files.copy",
        &serde_json::json!({ "files": count, "bytes": stored }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
