//! What one workspace has cost, for its owners.

use axum::extract::{Path, State};
use axum::Json;

use carrel_core::api::SpendReport;
use carrel_core::costs::UsageBanner;
use carrel_core::Action;

use super::WorkspaceContext;
use crate::http::error::ApiError;
use crate::http::extract::CurrentUser;
use crate::store::ledger::{self, Scope};
use crate::store::Tx;
use crate::AppState;

/// The latest events a report lists.
pub const RECENT_EVENTS: i64 = 50;

#[utoipa::path(get, path = "/workspaces/{namespace}/{name}/spend", tag = "costs", params(("namespace" = String, Path, description = "Billing project"), ("name" = String, Path, description = "Workspace URL name")), responses((status = 200, body = carrel_core::api::SpendReport), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody)))]
pub async fn spend(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((namespace, name)): Path<(String, String)>,
) -> Result<Json<SpendReport>, ApiError> {
    let mut tx = state.store.begin().await?;
    let loaded = WorkspaceContext::load(&mut tx, &user, &namespace, &name).await?;
    loaded.require(&user, Action::ReadSpend)?;
    let credits = crate::store::billing::credits_of(&mut tx, loaded.row.billing_project).await?;
    let project_spend = ledger::project_spend(&mut tx, loaded.row.billing_project).await?;
    let mut report = report(&mut tx, Scope::Workspace(loaded.row.id)).await?;
    report.credits_cents = credits;
    report.banner = UsageBanner::of(credits, project_spend);
    tx.commit().await?;
    Ok(Json(report))
}

/// Everything a scope has cost, three ways, and its latest events.
pub async fn report(tx: &mut Tx, scope: Scope) -> Result<SpendReport, ApiError> {
    Ok(SpendReport {
        credits_cents: 0,
        spend_nanos: ledger::total(tx, scope).await?,
        banner: None,
        by_workspace: ledger::by_workspace(tx, scope).await?,
        by_category: ledger::by_category(tx, scope).await?,
        by_day: ledger::by_day(tx, scope).await?,
        recent: ledger::recent(tx, scope, RECENT_EVENTS).await?,
    })
}
