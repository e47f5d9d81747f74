//! Workspaces: the list of the caller's workspaces, each with their effective access.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};

use carrel_core::access::WorkspaceFacts;
use carrel_core::api::{WorkspaceList, WorkspaceSummary};
use carrel_core::{authorize, effective_access, Action, Actor, Decision};

use super::error::ApiError;
use super::extract::CurrentUser;
use crate::store::{billing, workspaces};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/workspaces", get(list))
}

async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<WorkspaceList>, ApiError> {
    let mut conn = state.store.pool().acquire().await?;
    let owned = billing::owned_by(&mut conn, user.id).await?;
    let grants = workspaces::direct_grants_of(&mut conn, user.id).await?;
    let rows = workspaces::candidates_for(&mut conn, user.id).await?;
    let actor = Actor {
        user: user.id,
        tiers: user.tiers,
        groups: &[],
        owned_billing_projects: &owned,
    };
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
