//! "Why do I have this access", the audit log, and the public research directory.

use axum::extract::{Path, Query, State};
use axum::Json;

use carrel_core::access::Via;
use carrel_core::api::{
    AccessSourceView, AuditEvent, AuditLog, Directory, DirectoryEntry, DirectoryQuery,
    DirectorySearch, PermissionsView,
};
use carrel_core::authz::may_explain_access;
use carrel_core::{effective_access, explain_access, Action};

use super::WorkspaceContext;
use crate::http::error::ApiError;
use crate::http::extract::{CurrentUser, Session};
use crate::store::{audit, directory, groups};
use crate::AppState;

#[utoipa::path(get, path = "/workspaces/{namespace}/{name}/permissions", tag = "sharing", params(("namespace" = String, Path, description = "Billing project"), ("name" = String, Path, description = "Workspace URL name")), responses((status = 200, body = carrel_core::api::PermissionsView), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody)))]
pub async fn permissions(
    State(state): State<AppState>,
    session: Session,
    Path((namespace, name)): Path<(String, String)>,
) -> Result<Json<PermissionsView>, ApiError> {
    let mut conn = state.store.pool().acquire().await?;
    let user = session.identify(&mut conn).await?;
    let loaded = WorkspaceContext::load(&mut conn, &user, &namespace, &name).await?;
    let actor = loaded.actor(&user);
    let facts = loaded.facts();
    let access = effective_access(&actor, &facts);
    may_explain_access(&access)?;
    let sources = explain_access(&actor, &facts);
    let group_ids: Vec<_> = sources
        .iter()
        .filter_map(|s| match s.via {
            Via::Group(id) => Some(id),
            _ => None,
        })
        .collect();
    let names: std::collections::BTreeMap<_, _> = groups::names_of(&mut conn, &group_ids)
        .await?
        .into_iter()
        .collect();
    let sources = sources
        .into_iter()
        .map(|source| AccessSourceView {
            direct: source.via == Via::Direct,
            via: match source.via {
                Via::Direct => "Your own grant".to_owned(),
                Via::Group(id) => format!(
                    "Member of group {}",
                    names.get(&id).map_or("(deleted)", String::as_str)
                ),
                Via::ProjectOwner(_) => {
                    format!("Owner of billing project {}", loaded.row.namespace)
                }
            },
            role: source.role,
            can_share: source.can_share,
            can_compute: source.can_compute,
        })
        .collect();
    Ok(Json(PermissionsView { access, sources }))
}

#[utoipa::path(get, path = "/workspaces/{namespace}/{name}/audit", tag = "sharing", params(("namespace" = String, Path, description = "Billing project"), ("name" = String, Path, description = "Workspace URL name")), responses((status = 200, body = carrel_core::api::AuditLog), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody)))]
pub async fn audit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((namespace, name)): Path<(String, String)>,
) -> Result<Json<AuditLog>, ApiError> {
    let mut conn = state.store.pool().acquire().await?;
    let loaded = WorkspaceContext::load(&mut conn, &user, &namespace, &name).await?;
    loaded.require(&user, Action::ReadAudit)?;
    let events = audit::events_of(&mut conn, loaded.row.id, 500)
        .await?
        .into_iter()
        .map(|e| AuditEvent {
            at: e.at,
            actor: e.actor,
            actor_name: e.actor_name,
            action: e.action,
            detail: e.detail,
        })
        .collect();
    Ok(Json(AuditLog { events }))
}

/// Public: every workspace's published research purpose, active and inactive, newest first,
/// a page at a time. No sign-in.
#[utoipa::path(get, path = "/directory", tag = "directory", params(carrel_core::api::DirectoryQuery), responses((status = 200, description = "Public: no sign-in", body = carrel_core::api::Directory), (status = 400, body = carrel_core::api::ErrorBody)))]
pub async fn directory(
    State(state): State<AppState>,
    Query(query): Query<DirectoryQuery>,
) -> Result<Json<Directory>, ApiError> {
    let search = DirectorySearch::parse(&query)?;
    let mut conn = state.store.pool().acquire().await?;
    let (entries, has_more) = directory::search(&mut conn, &search).await?;
    Ok(Json(Directory {
        entries,
        page: search.page,
        per_page: DirectorySearch::PER_PAGE,
        has_more,
    }))
}

/// Public: one workspace's published research purpose, kept after the workspace is deleted.
#[utoipa::path(get, path = "/directory/{id}", tag = "directory", params(("id" = i64, Path, description = "The entry's number")), responses((status = 200, description = "Public: no sign-in", body = carrel_core::api::DirectoryEntry), (status = 400, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody)))]
pub async fn directory_entry(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Json<DirectoryEntry>, ApiError> {
    let mut conn = state.store.pool().acquire().await?;
    directory::find(&mut conn, id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("The directory has no entry {id}.")))
}
