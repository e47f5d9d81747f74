//! Workspaces: list, create, read, change, share. Every decision is `core`'s.

mod acl;
mod context;
mod duplicate;
pub mod entities;
mod entity_files;
pub mod files;
mod lifecycle;
pub mod spend;
mod transparency;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use carrel_core::access::WorkspaceFacts;
use carrel_core::api::ErrorCode;
use carrel_core::api::{
    ActionPermission, CreateWorkspaceRequest, WorkspaceDetail, WorkspaceList, WorkspaceSummary,
};
use carrel_core::billing::check_project_choice;
use carrel_core::validate::FieldError;
use carrel_core::workspace::{choose_dataset_version, parse_display_name, url_name_of};
use carrel_core::{authorize, billing::may_create_workspace, effective_access, Action, Decision};
use carrel_core::{Grant, Principal, Role};

use super::error::ApiError;
use super::extract::{ApiJson, CurrentUser, Session};
use crate::store::workspaces::{self, NewWorkspace};
use crate::store::{audit, billing, datasets, directory};
use crate::{now_ms, AppState};
pub use context::{Memberships, WorkspaceContext};

pub const DESCRIPTION_MAX_CHARS: usize = 20_000;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(lifecycle::read, lifecycle::edit, lifecycle::delete))
        .routes(routes!(lifecycle::lock))
        .routes(routes!(lifecycle::unlock))
        .routes(routes!(lifecycle::leave))
        .routes(routes!(duplicate::duplicate))
        .routes(routes!(acl::read, acl::patch))
        .routes(routes!(transparency::permissions))
        .routes(routes!(transparency::audit))
        .routes(routes!(transparency::directory))
        .routes(routes!(transparency::directory_entry))
        .routes(routes!(files::list))
        .routes(routes!(
            files::upload,
            files::download,
            files::rename,
            files::delete
        ))
        .routes(routes!(files::preview))
        .routes(routes!(spend::spend))
        .routes(routes!(entities::types))
        .routes(routes!(entity_files::import))
        .routes(routes!(entity_files::copy))
        .routes(routes!(
            entities::page,
            entities::add,
            entities::change_column,
            entities::delete
        ))
        .routes(routes!(entity_files::export))
        .routes(routes!(entities::read, entities::edit))
        .routes(routes!(entities::attributes, entities::edit_attributes))
}

#[utoipa::path(get, path = "/workspaces", tag = "workspaces", responses((status = 200, body = carrel_core::api::WorkspaceList), (status = 401, body = carrel_core::api::ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<WorkspaceList>, ApiError> {
    let mut conn = state.store.pool().acquire().await?;
    let user = session.identify(&mut conn).await?;
    let memberships = Memberships::load(&mut conn, &user).await?;
    let grants = workspaces::grants_for_user(&mut conn, user.id, &memberships.groups).await?;
    let rows = workspaces::summaries_for(&mut conn, user.id, &memberships.groups).await?;
    let actor = memberships.actor(&user);
    let summaries = rows
        .into_iter()
        .filter_map(|row| {
            let facts = WorkspaceFacts {
                tier: row.tier,
                locked: row.locked,
                billing_project: row.billing_project,
                grants: grants.get(&row.id).map_or(&[], Vec::as_slice),
            };
            let access = effective_access(&actor, &facts);
            let role = access.role?;
            let inaccessible_reason = match authorize(&actor, &facts, Action::Read) {
                Decision::Allow => None,
                Decision::Deny(reason) => Some(reason.to_string()),
            };
            Some(WorkspaceSummary {
                namespace: row.namespace,
                name: row.name,
                display_name: row.display_name,
                tier: row.tier,
                role,
                can_share: access.can_share,
                can_compute: access.can_compute,
                locked: row.locked,
                creator: row.creator_email,
                modified_at: row.modified_at,
                inaccessible_reason,
            })
        })
        .collect();
    Ok(Json(WorkspaceList {
        workspaces: summaries,
    }))
}

#[utoipa::path(post, path = "/workspaces", tag = "workspaces", request_body = carrel_core::api::CreateWorkspaceRequest, responses((status = 201, body = carrel_core::api::WorkspaceDetail), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 409, body = carrel_core::api::ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(request): ApiJson<CreateWorkspaceRequest>,
) -> Result<(StatusCode, Json<WorkspaceDetail>), ApiError> {
    let mut problems: Vec<FieldError> = Vec::new();
    let display_name = parse_display_name(&request.display_name)
        .map_err(|e| problems.push(e))
        .ok();
    problems.extend(request.research_purpose.problems());
    if request.description.chars().count() > DESCRIPTION_MAX_CHARS {
        problems.push(FieldError::new(
            "description",
            "Keep the description to at most 20,000 characters.",
        ));
    }
    let mut tx = state.store.begin_write().await?;
    let project = chosen_project(&mut tx, &request.billing_project, &mut problems).await?;
    let versions = datasets::versions(&mut tx).await?;
    let version = choose_dataset_version(
        &versions,
        request.tier,
        request.dataset_version.as_deref(),
        request.replication_statement.as_deref(),
    )
    .map_err(|e| problems.push(e))
    .ok();
    let (Some(display_name), Some(project), Some(version), true) =
        (display_name, project, version, problems.is_empty())
    else {
        return Err(ApiError::Validation(problems));
    };
    let role = billing::role_of(&mut tx, project.id, user.id).await?;
    may_create_workspace(user.tiers, role, request.tier)?;

    let now = now_ms();
    let new = NewWorkspace {
        project: project.id,
        display_name: &display_name,
        description: &request.description,
        tier: request.tier,
        creator: user.id,
        dataset_version: &version.id,
        replication_statement: request.replication_statement.as_deref().unwrap_or(""),
        research_purpose: &request.research_purpose,
        now,
    };
    let (id, name) = workspaces::insert(&mut tx, &new, &url_name_of(&display_name))
        .await?
        .ok_or_else(|| ApiError::Conflict {
            code: ErrorCode::NameTaken.as_str(),
            message: "Too many workspaces in this billing project share this name; choose another."
                .to_owned(),
        })?;
    let owner = Grant::new(Principal::User(user.id), Role::Owner);
    workspaces::upsert_grant(&mut tx, id, &owner).await?;
    workspaces::bump_acl_version(&mut tx, id, 0, now).await?;
    let loaded = WorkspaceContext::load(&mut tx, &user, &project.name, &name).await?;
    directory::publish(&mut tx, &loaded.row).await?;
    let event = serde_json::json!({ "display_name": display_name, "tier": request.tier });
    audit::record(&mut tx, id, user.id, "create", &event, now).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(detail(&loaded, &user))))
}

/// The workspace page's data: fields, the caller's access and every action's decision.
/// The billing project a create or duplicate form chose: `core`'s "choose one", then that it
/// exists; each problem is added to the form's.
pub(crate) async fn chosen_project(
    conn: &mut sqlx::AnyConnection,
    name: &str,
    problems: &mut Vec<FieldError>,
) -> Result<Option<crate::store::billing::ProjectRecord>, ApiError> {
    if let Err(problem) = check_project_choice(name) {
        problems.push(problem);
        return Ok(None);
    }
    let found = billing::find_by_name(conn, name).await?;
    if found.is_none() {
        problems.push(FieldError::new(
            "billing_project",
            "There is no billing project with this name.",
        ));
    }
    Ok(found)
}

pub fn detail(loaded: &WorkspaceContext, user: &CurrentUser) -> WorkspaceDetail {
    let actor = loaded.actor(user);
    let facts = loaded.facts();
    let actions = Action::ALL
        .into_iter()
        .map(|action| match authorize(&actor, &facts, action) {
            Decision::Allow => ActionPermission {
                action,
                allowed: true,
                reason: None,
            },
            Decision::Deny(reason) => ActionPermission {
                action,
                allowed: false,
                reason: Some(reason.to_string()),
            },
        })
        .collect();
    let row = &loaded.row;
    WorkspaceDetail {
        namespace: row.namespace.clone(),
        name: row.name.clone(),
        display_name: row.display_name.clone(),
        description: row.description.clone(),
        description_html: crate::markdown::to_safe_html(&row.description),
        tier: row.tier,
        dataset_version: row.dataset_version.clone(),
        locked: row.locked,
        creator: row.creator_email.clone(),
        created_at: row.created_at,
        modified_at: row.modified_at,
        about_version: row.about_version,
        research_purpose: row.research_purpose.clone(),
        access: effective_access(&actor, &facts),
        actions,
    }
}
