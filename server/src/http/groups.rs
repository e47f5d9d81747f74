//! Managed groups: create, members and admins, nested groups (no cycles), delete when unused.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use carrel_core::api::ErrorCode;
use carrel_core::api::{
    CreateGroupRequest, DecideRequest, GroupMemberRequest, GroupMemberView, GroupRequestView,
    GroupSettingsRequest, GroupView,
};
use carrel_core::groups::{
    check_admin_removal, check_delete, check_role_change, may_remove_member, may_request_access,
    may_see_members, require_admin, GroupName, GroupRole,
};
use carrel_core::validate::check_text;
use carrel_core::Email;

use super::error::ApiError;
use super::extract::{ApiJson, CurrentUser};
use crate::store::groups::{self, GroupRecord};
use crate::store::{audit, users, Tx};
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(read, settings, delete))
        .routes(routes!(requests, request_access))
        .routes(routes!(decide))
        .routes(routes!(set_member, remove_member))
}

/// A member named in a URL: a user's email, or a group's address `NAME@groups.<site domain>`.
enum Member {
    User(Email),
    Group(GroupName),
}

fn parse_member(raw: &str, site_domain: &str) -> Result<Member, ApiError> {
    let group_suffix = format!("@groups.{site_domain}");
    if let Some(name) = raw.strip_suffix(&group_suffix) {
        return Ok(Member::Group(GroupName::parse(name)?));
    }
    Ok(Member::User(Email::parse(raw)?))
}

#[utoipa::path(post, path = "/groups", tag = "groups", request_body = carrel_core::api::CreateGroupRequest, responses((status = 201, body = carrel_core::api::GroupView), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 409, body = carrel_core::api::ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(request): ApiJson<CreateGroupRequest>,
) -> Result<(StatusCode, Json<GroupView>), ApiError> {
    let name = GroupName::parse(&request.name)?;
    carrel_core::authz::require_registered(user.tiers)?;
    let mut tx = state.store.begin_write().await?;
    groups::insert(&mut tx, name.as_str(), user.id, crate::now_ms())
        .await?
        .ok_or_else(|| ApiError::Conflict {
            code: ErrorCode::NameTaken.as_str(),
            message: format!(
                "A group named {} already exists (names are the same whatever their case).",
                name.as_str()
            ),
        })?;
    let record = load(&mut tx, name.as_str()).await?;
    let view = group_view(&mut tx, &record, &user, &state).await?;
    audit::record_site(
        &mut tx,
        user.id,
        "group.create",
        &serde_json::json!({ "group": name.as_str() }),
        crate::now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(view)))
}

#[derive(Debug, serde::Deserialize)]
struct ListQuery {
    q: Option<String>,
}

#[utoipa::path(get, path = "/groups", tag = "groups", params(("q" = Option<String>, Query, description = "Search every group by name; without it, your groups")), responses((status = 200, body = Vec<carrel_core::api::GroupView>), (status = 401, body = carrel_core::api::ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    axum::extract::Query(query): axum::extract::Query<ListQuery>,
) -> Result<Json<Vec<GroupView>>, ApiError> {
    let needle = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    if needle.is_some_and(|q| q.chars().count() > 100) {
        return Err(ApiError::field("q", "Search with at most 100 characters."));
    }
    let mut conn = state.store.pool().acquire().await?;
    let listed = groups::listed_for(&mut conn, user.id, needle, 20).await?;
    let views = listed
        .into_iter()
        .map(|(record, role)| {
            Ok(GroupView {
                address: GroupName::parse(&record.name)?.address(&state.config.site_domain),
                allows_requests: record.allows_requests,
                access_instructions: record.access_instructions,
                name: record.name,
                my_role: role,
                members: Vec::new(),
                subgroups: Vec::new(),
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(Json(views))
}

async fn load(tx: &mut Tx, name: &str) -> Result<GroupRecord, ApiError> {
    groups::find_by_name(tx, name)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("There is no group named {name}.")))
}

async fn group_view(
    tx: &mut Tx,
    record: &GroupRecord,
    user: &CurrentUser,
    state: &AppState,
) -> Result<GroupView, ApiError> {
    let my_role = groups::role_of(tx, record.id, user.id).await?;
    let (members, subgroups) = if may_see_members(my_role, user.is_site_admin) {
        let members = groups::members_of(tx, record.id)
            .await?
            .into_iter()
            .map(|(email, display_name, role)| GroupMemberView {
                email,
                display_name,
                role,
            })
            .collect();
        (members, groups::subgroups_of(tx, record.id).await?)
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(GroupView {
        name: record.name.clone(),
        address: GroupName::parse(&record.name)?.address(&state.config.site_domain),
        allows_requests: record.allows_requests,
        access_instructions: record.access_instructions.clone(),
        my_role,
        members,
        subgroups,
    })
}

#[utoipa::path(get, path = "/groups/{name}", tag = "groups", params(("name" = String, Path, description = "Group name")), responses((status = 200, body = carrel_core::api::GroupView), (status = 401, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody)))]
async fn read(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(name): Path<String>,
) -> Result<Json<GroupView>, ApiError> {
    let mut tx = state.store.begin().await?;
    let record = load(&mut tx, &name).await?;
    let view = group_view(&mut tx, &record, &user, &state).await?;
    tx.commit().await?;
    Ok(Json(view))
}

#[utoipa::path(put, path = "/groups/{name}/members/{principal}", tag = "groups", params(("name" = String, Path, description = "Group name"), ("principal" = String, Path, description = "A user's email or a group's address NAME@groups.<site domain>")), request_body = carrel_core::api::GroupMemberRequest, responses((status = 200, body = carrel_core::api::GroupView), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody), (status = 409, body = carrel_core::api::ErrorBody)))]
async fn set_member(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((name, principal)): Path<(String, String)>,
    ApiJson(request): ApiJson<GroupMemberRequest>,
) -> Result<Json<GroupView>, ApiError> {
    let member = parse_member(&principal, &state.config.site_domain)?;
    let mut tx = state.store.begin_write().await?;
    let record = load(&mut tx, &name).await?;
    require_admin(groups::role_of(&mut tx, record.id, user.id).await?)?;
    match member {
        Member::User(email) => {
            let target = users::find_by_email(&mut tx, email.as_str())
                .await?
                .ok_or_else(|| {
                    ApiError::NotFound(format!("Nobody has signed up as {email} yet."))
                })?;
            let admins = groups::admins_of(&mut tx, record.id).await?;
            check_role_change(&admins, target.id, request.role)?;
            groups::set_member(&mut tx, record.id, target.id, request.role).await?;
        }
        Member::Group(child_name) => {
            let child = load(&mut tx, child_name.as_str()).await?;
            let graph = groups::graph_above(&mut tx, record.id).await?;
            graph.check_nesting(record.id, child.id)?;
            groups::add_subgroup(&mut tx, record.id, child.id).await?;
        }
    }
    let view = group_view(&mut tx, &record, &user, &state).await?;
    audit::record_site(
        &mut tx,
        user.id,
        "group.set_member",
        &serde_json::json!({ "group": name, "member": principal, "role": request.role }),
        crate::now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(view))
}

#[utoipa::path(delete, path = "/groups/{name}/members/{principal}", tag = "groups", params(("name" = String, Path, description = "Group name"), ("principal" = String, Path)), responses((status = 204), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody), (status = 409, body = carrel_core::api::ErrorBody)))]
async fn remove_member(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((name, principal)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let member = parse_member(&principal, &state.config.site_domain)?;
    let mut tx = state.store.begin_write().await?;
    let record = load(&mut tx, &name).await?;
    let my_role = groups::role_of(&mut tx, record.id, user.id).await?;
    match member {
        Member::User(email) => {
            // Decided before the lookup, so a non-admin cannot probe which addresses have accounts.
            may_remove_member(my_role, email.as_str() == user.email)?;
            let target = users::find_by_email(&mut tx, email.as_str())
                .await?
                .ok_or_else(|| {
                    ApiError::NotFound(format!("Nobody has signed up as {email} yet."))
                })?;
            if groups::role_of(&mut tx, record.id, target.id)
                .await?
                .is_none()
            {
                return Err(ApiError::NotFound(format!(
                    "{email} is not a member of {name}."
                )));
            }
            let admins = groups::admins_of(&mut tx, record.id).await?;
            check_admin_removal(&admins, target.id)?;
            groups::remove_member(&mut tx, record.id, target.id).await?;
        }
        Member::Group(child_name) => {
            require_admin(my_role)?;
            let child = load(&mut tx, child_name.as_str()).await?;
            if !groups::remove_subgroup(&mut tx, record.id, child.id).await? {
                return Err(ApiError::NotFound(format!(
                    "{} is not a member of {name}.",
                    child.name
                )));
            }
        }
    }
    audit::record_site(
        &mut tx,
        user.id,
        "group.remove_member",
        &serde_json::json!({ "group": name, "member": principal }),
        crate::now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/groups/{name}", tag = "groups", params(("name" = String, Path, description = "Group name")), responses((status = 204), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody), (status = 409, body = carrel_core::api::ErrorBody)))]
async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(name): Path<String>,
) -> Result<StatusCode, ApiError> {
    let mut tx = state.store.begin_write().await?;
    let record = load(&mut tx, &name).await?;
    require_admin(groups::role_of(&mut tx, record.id, user.id).await?)?;
    let uses = groups::uses_of(&mut tx, record.id).await?;
    check_delete(&uses)?;
    groups::delete(&mut tx, record.id).await?;
    audit::record_site(
        &mut tx,
        user.id,
        "group.delete",
        &serde_json::json!({ "group": name }),
        crate::now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(patch, path = "/groups/{name}", tag = "groups", params(("name" = String, Path, description = "Group name")), request_body = carrel_core::api::GroupSettingsRequest, responses((status = 200, body = carrel_core::api::GroupView), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody)))]
async fn settings(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(name): Path<String>,
    ApiJson(request): ApiJson<GroupSettingsRequest>,
) -> Result<Json<GroupView>, ApiError> {
    if let Some(problem) = request.access_instructions.as_deref().and_then(|text| {
        check_text(
            "access_instructions",
            text,
            1000,
            false,
            "the access instructions",
        )
    }) {
        return Err(ApiError::Validation(vec![problem]));
    }
    let mut tx = state.store.begin_write().await?;
    let record = load(&mut tx, &name).await?;
    require_admin(groups::role_of(&mut tx, record.id, user.id).await?)?;
    groups::update_settings(
        &mut tx,
        record.id,
        request.allows_requests,
        request.access_instructions.as_deref(),
    )
    .await?;
    let record = load(&mut tx, &name).await?;
    let view = group_view(&mut tx, &record, &user, &state).await?;
    audit::record_site(&mut tx, user.id, "group.settings", &serde_json::json!({ "group": name, "allows_requests": request.allows_requests, "access_instructions_changed": request.access_instructions.is_some() }), crate::now_ms()).await?;
    tx.commit().await?;
    Ok(Json(view))
}

/// A non-member asks to join.
#[utoipa::path(post, path = "/groups/{name}/requests", tag = "groups", params(("name" = String, Path, description = "Group name")), responses((status = 202, description = "Request recorded"), (status = 401, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody), (status = 409, body = carrel_core::api::ErrorBody)))]
async fn request_access(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(name): Path<String>,
) -> Result<StatusCode, ApiError> {
    let mut tx = state.store.begin_write().await?;
    let record = load(&mut tx, &name).await?;
    let role = groups::role_of(&mut tx, record.id, user.id).await?;
    may_request_access(record.allows_requests, role)?;
    groups::add_request(&mut tx, record.id, user.id, crate::now_ms()).await?;
    audit::record_site(
        &mut tx,
        user.id,
        "group.request",
        &serde_json::json!({ "group": name }),
        crate::now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::ACCEPTED)
}

#[utoipa::path(get, path = "/groups/{name}/requests", tag = "groups", params(("name" = String, Path, description = "Group name")), responses((status = 200, body = Vec<carrel_core::api::GroupRequestView>), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody)))]
async fn requests(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(name): Path<String>,
) -> Result<Json<Vec<GroupRequestView>>, ApiError> {
    let mut tx = state.store.begin().await?;
    let record = load(&mut tx, &name).await?;
    require_admin(groups::role_of(&mut tx, record.id, user.id).await?)?;
    let pending = groups::requests_of(&mut tx, record.id).await?;
    tx.commit().await?;
    Ok(Json(pending))
}

/// An admin approves (the requester becomes a member) or denies a request.
#[utoipa::path(post, path = "/groups/{name}/requests/{id}", tag = "groups", params(("name" = String, Path, description = "Group name"), ("id" = i64, Path)), request_body = carrel_core::api::DecideRequest, responses((status = 204), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody)))]
async fn decide(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((name, id)): Path<(String, i64)>,
    ApiJson(request): ApiJson<DecideRequest>,
) -> Result<StatusCode, ApiError> {
    let mut tx = state.store.begin_write().await?;
    let record = load(&mut tx, &name).await?;
    require_admin(groups::role_of(&mut tx, record.id, user.id).await?)?;
    let requester = groups::take_request(&mut tx, record.id, id)
        .await?
        .ok_or_else(|| {
            ApiError::NotFound(format!("There is no pending request {id} for {name}."))
        })?;
    if request.approve {
        groups::set_member(&mut tx, record.id, requester, GroupRole::Member).await?;
    }
    audit::record_site(
        &mut tx,
        user.id,
        "group.decide",
        &serde_json::json!({ "group": name, "request": id, "approved": request.approve }),
        crate::now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
