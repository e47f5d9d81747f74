//! Billing projects: create, list, members (owners manage; the last owner stays).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use carrel_core::api::ErrorCode;
use carrel_core::api::{
    AddCreditsRequest, BillingMemberRequest, BillingMemberView, BillingProjectView,
    CreateBillingProjectRequest, SpendReport,
};
use carrel_core::billing::{
    check_owner_removal, check_role_change, may_do, may_manage_members, may_read,
    parse_project_name, BillingRole, BillingTask,
};
use carrel_core::costs::{cents_of, check_credit_amount, UsageBanner};
use carrel_core::Email;

use super::error::ApiError;
use super::extract::{ApiJson, CurrentUser};
use crate::store::billing::{self, ProjectRecord};
use crate::store::ledger::{self, Scope};
use crate::store::{audit, users, Tx};
use crate::{now_ms, AppState};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(read))
        .routes(routes!(set_member, remove_member))
        .routes(routes!(spend))
        .routes(routes!(add_credits))
}

#[utoipa::path(get, path = "/billing-projects/{name}/spend", tag = "costs", params(("name" = String, Path, description = "Billing project name")), responses((status = 200, body = carrel_core::api::SpendReport), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody)))]
async fn spend(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(name): Path<String>,
) -> Result<Json<SpendReport>, ApiError> {
    let mut tx = state.store.begin().await?;
    let record = load(&mut tx, &name).await?;
    let role = billing::role_of(&mut tx, record.id, user.id).await?;
    may_do(role, BillingTask::ReadSpend)?;
    let mut report = super::workspaces::spend::report(&mut tx, Scope::Project(record.id)).await?;
    report.credits_cents = record.credits_cents;
    report.banner = UsageBanner::of(record.credits_cents, report.spend_nanos);
    tx.commit().await?;
    Ok(Json(report))
}

#[utoipa::path(post, path = "/billing-projects/{name}/credits", tag = "costs", params(("name" = String, Path, description = "Billing project name")), request_body = carrel_core::api::AddCreditsRequest, responses((status = 200, body = carrel_core::api::BillingProjectView), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody)))]
async fn add_credits(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(name): Path<String>,
    ApiJson(request): ApiJson<AddCreditsRequest>,
) -> Result<Json<BillingProjectView>, ApiError> {
    check_credit_amount(request.amount_cents)?;
    let mut tx = state.store.begin_write().await?;
    let record = load(&mut tx, &name).await?;
    let role = billing::role_of(&mut tx, record.id, user.id).await?;
    may_do(role, BillingTask::AddCredits)?;
    ledger::add_credits(&mut tx, record.id, request.amount_cents).await?;
    audit::record_site(
        &mut tx,
        user.id,
        "billing.add_credits",
        &serde_json::json!({ "project": record.name, "amount_cents": request.amount_cents }),
        crate::now_ms(),
    )
    .await?;
    let record = load(&mut tx, &name).await?;
    let view = project_view(&mut tx, &record, role).await?;
    tx.commit().await?;
    Ok(Json(view))
}

#[utoipa::path(post, path = "/billing-projects", tag = "billing", request_body = carrel_core::api::CreateBillingProjectRequest, responses((status = 201, body = carrel_core::api::BillingProjectView), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 409, body = carrel_core::api::ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(request): ApiJson<CreateBillingProjectRequest>,
) -> Result<(StatusCode, Json<BillingProjectView>), ApiError> {
    let name = parse_project_name(&request.name)?;
    carrel_core::authz::require_registered(user.tiers)?;
    let mut tx = state.store.begin_write().await?;
    // New projects start without credits; a user's personal project carries the initial ones.
    let id = billing::insert_project(&mut tx, &name, 0, now_ms())
        .await?
        .ok_or_else(|| ApiError::Conflict {
            code: ErrorCode::NameTaken.as_str(),
            message: format!("A billing project named {name} already exists."),
        })?;
    billing::set_member(&mut tx, id, user.id, BillingRole::Owner).await?;
    let record = ProjectRecord {
        id,
        name,
        credits_cents: 0,
        spent_nanos: 0,
    };
    let view = project_view(&mut tx, &record, Some(BillingRole::Owner)).await?;
    audit::record_site(
        &mut tx,
        user.id,
        "billing.create",
        &serde_json::json!({ "project": record.name }),
        crate::now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(view)))
}

#[utoipa::path(get, path = "/billing-projects", tag = "billing", responses((status = 200, body = Vec<carrel_core::api::BillingProjectView>), (status = 401, body = carrel_core::api::ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<BillingProjectView>>, ApiError> {
    let mut conn = state.store.pool().acquire().await?;
    let projects = billing::projects_of(&mut conn, user.id).await?;
    let views = projects
        .into_iter()
        .map(|(record, role, workspace_count)| BillingProjectView {
            name: record.name,
            credits_cents: record.credits_cents,
            spend_cents: cents_of(record.spent_nanos),
            my_role: Some(role),
            members: Vec::new(),
            workspaces: Vec::new(),
            workspace_count,
        })
        .collect();
    Ok(Json(views))
}

async fn load(tx: &mut Tx, name: &str) -> Result<ProjectRecord, ApiError> {
    billing::find_by_name(tx, name)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("There is no billing project named {name}.")))
}

async fn project_view(
    tx: &mut Tx,
    record: &ProjectRecord,
    my_role: Option<BillingRole>,
) -> Result<BillingProjectView, ApiError> {
    let members = billing::members_of(tx, record.id)
        .await?
        .into_iter()
        .map(|m| BillingMemberView {
            email: m.email,
            display_name: m.display_name,
            role: m.role,
        })
        .collect();
    let (workspaces, workspace_count) =
        billing::workspaces_of(tx, record.id, BillingProjectView::WORKSPACES_SHOWN).await?;
    Ok(BillingProjectView {
        name: record.name.clone(),
        credits_cents: record.credits_cents,
        spend_cents: cents_of(record.spent_nanos),
        my_role,
        members,
        workspaces,
        workspace_count,
    })
}

#[utoipa::path(get, path = "/billing-projects/{name}", tag = "billing", params(("name" = String, Path, description = "Billing project name")), responses((status = 200, body = carrel_core::api::BillingProjectView), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody)))]
async fn read(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(name): Path<String>,
) -> Result<Json<BillingProjectView>, ApiError> {
    let mut tx = state.store.begin().await?;
    let record = load(&mut tx, &name).await?;
    let role = billing::role_of(&mut tx, record.id, user.id).await?;
    may_read(role)?;
    let view = project_view(&mut tx, &record, role).await?;
    tx.commit().await?;
    Ok(Json(view))
}

#[utoipa::path(put, path = "/billing-projects/{name}/members/{email}", tag = "billing", params(("name" = String, Path, description = "Billing project name"), ("email" = String, Path)), request_body = carrel_core::api::BillingMemberRequest, responses((status = 200, body = carrel_core::api::BillingProjectView), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody), (status = 409, body = carrel_core::api::ErrorBody)))]
async fn set_member(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((name, email)): Path<(String, String)>,
    ApiJson(request): ApiJson<BillingMemberRequest>,
) -> Result<Json<BillingProjectView>, ApiError> {
    let email = Email::parse(&email)?;
    let mut tx = state.store.begin_write().await?;
    let record = load(&mut tx, &name).await?;
    let my_role = billing::role_of(&mut tx, record.id, user.id).await?;
    may_manage_members(my_role)?;
    let member = users::find_by_email(&mut tx, email.as_str())
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("Nobody has signed up as {email} yet.")))?;
    let owners = billing::owners_of(&mut tx, record.id).await?;
    check_role_change(&owners, member.id, request.role)?;
    billing::set_member(&mut tx, record.id, member.id, request.role).await?;
    let my_role = billing::role_of(&mut tx, record.id, user.id).await?;
    let view = project_view(&mut tx, &record, my_role).await?;
    audit::record_site(
        &mut tx,
        user.id,
        "billing.set_member",
        &serde_json::json!({ "project": name, "member": email.as_str(), "role": request.role }),
        crate::now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(view))
}

#[utoipa::path(delete, path = "/billing-projects/{name}/members/{email}", tag = "billing", params(("name" = String, Path, description = "Billing project name"), ("email" = String, Path)), responses((status = 204), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody), (status = 409, body = carrel_core::api::ErrorBody)))]
async fn remove_member(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((name, email)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let email = Email::parse(&email)?;
    let mut tx = state.store.begin_write().await?;
    let record = load(&mut tx, &name).await?;
    let my_role = billing::role_of(&mut tx, record.id, user.id).await?;
    may_manage_members(my_role)?;
    let member = users::find_by_email(&mut tx, email.as_str())
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("Nobody has signed up as {email} yet.")))?;
    if billing::role_of(&mut tx, record.id, member.id)
        .await?
        .is_none()
    {
        return Err(ApiError::NotFound(format!(
            "{email} is not a member of {name}."
        )));
    }
    let owners = billing::owners_of(&mut tx, record.id).await?;
    check_owner_removal(&owners, member.id)?;
    billing::remove_member(&mut tx, record.id, member.id).await?;
    audit::record_site(
        &mut tx,
        user.id,
        "billing.remove_member",
        &serde_json::json!({ "project": name, "member": email.as_str() }),
        crate::now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
