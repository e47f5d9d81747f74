//! Site administration, for site admins only: the tier request queue and its decisions, granting
//! and revoking tiers, the tier history and checklists, password reset links.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use carrel_core::api::{
    NewTierRequirement, PasswordResetLink, TierDecision, TierGrant, TierHistoryEntry,
    TierRequestView, TierRequirement, TierRevocation, UserTiers,
};
use carrel_core::tier_requests::{
    check_decision, check_grant, check_renewal_date, check_revoke, parse_reason, parse_requirement,
    RequestStatus, TierEvent,
};
use carrel_core::{authz::require_site_admin, AccessTier, Email, TierSet, UserId};
use sqlx::AnyConnection;

use super::error::ApiError;
use super::extract::{ApiJson, CurrentUser};
use super::tiers::parse_tier;
use crate::session::{random_token, token_hash};
use crate::store::tier_requests::{self, HistoryLine};
use crate::store::{audit, password_resets, users};
use crate::{now_ms, AppState};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(grant))
        .routes(routes!(revoke))
        .routes(routes!(password_reset))
        .routes(routes!(queue))
        .routes(routes!(decide))
        .routes(routes!(history))
        .routes(routes!(requirements, add_requirement))
        .routes(routes!(remove_requirement))
}

/// How long a password reset link works.
const RESET_LINK_TTL_MS: i64 = 24 * 60 * 60 * 1000;

/// Make a one-time password reset link for a user who forgot theirs, to hand to them (Carrel
/// sends no mail). Any earlier link of theirs stops working.
#[utoipa::path(post, path = "/admin/users/{email}/password-reset", tag = "admin", params(("email" = String, Path)), responses((status = 201, body = carrel_core::api::PasswordResetLink), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody)))]
async fn password_reset(
    State(state): State<AppState>,
    admin: CurrentUser,
    Path(email): Path<String>,
) -> Result<(StatusCode, Json<PasswordResetLink>), ApiError> {
    require_site_admin(admin.is_site_admin)?;
    let email = Email::parse(&email)?;
    let mut tx = state.store.begin_write().await?;
    let user = users::find_by_email(&mut tx, email.as_str())
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("Nobody has signed up as {email}.")))?;
    let token = random_token();
    let expires_at = now_ms() + RESET_LINK_TTL_MS;
    password_resets::insert(&mut tx, &token_hash(&token), user.id, admin.id, expires_at).await?;
    let detail = serde_json::json!({ "user": user.email });
    audit::record_site(&mut tx, admin.id, "password.reset_link", &detail, now_ms()).await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(PasswordResetLink {
            email: user.email,
            path: format!("/reset-password?token={token}"),
            token,
            expires_at,
        }),
    ))
}

/// One grant or revocation by a site admin, with its history line; `request` decisions reuse it.
struct TierChange<'a> {
    tier: AccessTier,
    granted: bool,
    reason: &'a str,
    expires_at: Option<i64>,
}

/// Check `change` with core and write it, its history line and its audit event, in `tx`; a
/// pending request for the tier is decided with it.
async fn apply(
    tx: &mut AnyConnection,
    admin: UserId,
    user: &users::UserRecord,
    change: &TierChange<'_>,
    now: i64,
) -> Result<TierSet, ApiError> {
    let held = users::tiers(tx, user.id, now).await?;
    let reason = parse_reason(change.granted, change.reason)?;
    if change.granted {
        check_renewal_date(change.expires_at, now)?;
        check_grant(held, change.tier)?;
        users::grant_tier(tx, user.id, change.tier, now, change.expires_at).await?;
    } else {
        check_revoke(held, change.tier)?;
        if !held.contains(change.tier) {
            return Err(ApiError::NotFound(format!(
                "{} does not hold the {}.",
                user.email,
                change.tier.label()
            )));
        }
        users::revoke_tier(tx, user.id, change.tier).await?;
    }
    let (event, decision) = if change.granted {
        (TierEvent::Granted, RequestStatus::Granted)
    } else {
        (TierEvent::Revoked, RequestStatus::Denied)
    };
    tier_requests::decide_pending(tx, user.id, change.tier, decision, admin, &reason, now).await?;
    let line = HistoryLine {
        user: user.id,
        tier: change.tier,
        event,
        actor: Some(admin),
        reason: &reason,
        expires_at: change.expires_at.filter(|_| change.granted),
        at: now,
    };
    tier_requests::record(tx, &line).await?;
    let action = if change.granted {
        "tier.grant"
    } else {
        "tier.revoke"
    };
    let detail = serde_json::json!({ "user": user.email, "tier": change.tier, "reason": reason });
    audit::record_site(tx, admin, action, &detail, now).await?;
    users::tiers(tx, user.id, now).await.map_err(ApiError::from)
}

async fn change(
    state: &AppState,
    admin: &CurrentUser,
    email: &str,
    change: TierChange<'_>,
) -> Result<Json<UserTiers>, ApiError> {
    require_site_admin(admin.is_site_admin)?;
    let email = Email::parse(email)?;
    let now = now_ms();
    let mut tx = state.store.begin_write().await?;
    let user = users::find_by_email(&mut tx, email.as_str())
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("Nobody has signed up as {email}.")))?;
    let tiers = apply(&mut tx, admin.id, &user, &change, now).await?;
    tx.commit().await?;
    Ok(Json(UserTiers {
        email: user.email,
        tiers,
    }))
}

/// Grant a tier (until a renewal date, when given). Controlled needs Registered.
#[utoipa::path(post, path = "/admin/users/{email}/tiers", tag = "admin", params(("email" = String, Path)), request_body = carrel_core::api::TierGrant, responses((status = 200, body = carrel_core::api::UserTiers), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody), (status = 409, body = carrel_core::api::ErrorBody)))]
async fn grant(
    State(state): State<AppState>,
    admin: CurrentUser,
    Path(email): Path<String>,
    ApiJson(request): ApiJson<TierGrant>,
) -> Result<Json<UserTiers>, ApiError> {
    let change_made = TierChange {
        tier: request.tier,
        granted: true,
        reason: &request.reason,
        expires_at: request.expires_at,
    };
    change(&state, &admin, &email, change_made).await
}

/// Revoke a tier, with the reason. Registered stays while Controlled is held.
#[utoipa::path(delete, path = "/admin/users/{email}/tiers/{tier}", tag = "admin", params(("email" = String, Path), ("tier" = String, Path), TierRevocation), responses((status = 200, body = carrel_core::api::UserTiers), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody), (status = 409, body = carrel_core::api::ErrorBody)))]
async fn revoke(
    State(state): State<AppState>,
    admin: CurrentUser,
    Path((email, tier)): Path<(String, String)>,
    Query(TierRevocation { reason }): Query<TierRevocation>,
) -> Result<Json<UserTiers>, ApiError> {
    let tier = parse_tier(&tier)?;
    let change_made = TierChange {
        tier,
        granted: false,
        reason: &reason,
        expires_at: None,
    };
    change(&state, &admin, &email, change_made).await
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct QueueQuery {
    /// pending (the default), granted or denied.
    status: Option<String>,
}

/// The requests for tiers: pending ones oldest first (the queue), decided ones newest first.
#[utoipa::path(get, path = "/admin/tier-requests", tag = "admin", params(QueueQuery), responses((status = 200, body = Vec<carrel_core::api::TierRequestView>), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody)))]
async fn queue(
    State(state): State<AppState>,
    admin: CurrentUser,
    Query(query): Query<QueueQuery>,
) -> Result<Json<Vec<TierRequestView>>, ApiError> {
    require_site_admin(admin.is_site_admin)?;
    let status = match query.status.as_deref() {
        None => RequestStatus::Pending,
        Some(raw) => RequestStatus::parse(raw)
            .ok_or_else(|| ApiError::field("status", "A request is pending, granted or denied."))?,
    };
    let mut conn = state.store.pool().acquire().await?;
    Ok(Json(
        tier_requests::requests_with_status(&mut conn, status, QUEUE_LIMIT).await?,
    ))
}

/// The most requests or history lines one answer lists.
const QUEUE_LIMIT: i64 = 200;

/// Grant or deny a pending request, with a reason (a denial must give one).
#[utoipa::path(post, path = "/admin/tier-requests/{id}/decision", tag = "admin", params(("id" = i64, Path)), request_body = carrel_core::api::TierDecision, responses((status = 200, body = carrel_core::api::TierRequestView), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody), (status = 409, body = carrel_core::api::ErrorBody)))]
async fn decide(
    State(state): State<AppState>,
    admin: CurrentUser,
    Path(id): Path<i64>,
    ApiJson(decision): ApiJson<TierDecision>,
) -> Result<Json<TierRequestView>, ApiError> {
    require_site_admin(admin.is_site_admin)?;
    let now = now_ms();
    let mut tx = state.store.begin_write().await?;
    let request = tier_requests::request_by_id(&mut tx, id)
        .await?
        .ok_or_else(|| ApiError::NotFound("There is no such request.".to_owned()))?;
    check_decision(request.status)?;
    let user = users::find_by_id(&mut tx, request.user)
        .await?
        .ok_or_else(|| ApiError::NotFound("The person who asked has left.".to_owned()))?;
    if decision.grant {
        let change_made = TierChange {
            tier: request.tier,
            granted: true,
            reason: &decision.reason,
            expires_at: decision.expires_at,
        };
        apply(&mut tx, admin.id, &user, &change_made, now).await?;
    } else {
        let reason = parse_reason(false, &decision.reason)?;
        tier_requests::decide_pending(
            &mut tx,
            user.id,
            request.tier,
            RequestStatus::Denied,
            admin.id,
            &reason,
            now,
        )
        .await?;
        let line = HistoryLine {
            user: user.id,
            tier: request.tier,
            event: TierEvent::Denied,
            actor: Some(admin.id),
            reason: &reason,
            expires_at: None,
            at: now,
        };
        tier_requests::record(&mut tx, &line).await?;
    }
    let view = tier_requests::request_view(&mut tx, request.id)
        .await?
        .ok_or_else(|| ApiError::NotFound("There is no such request.".to_owned()))?;
    tx.commit().await?;
    Ok(Json(view))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct HistoryQuery {
    /// Only this person's history.
    email: Option<String>,
}

/// Every grant, revocation, denial and ending, newest first: who, when, why.
#[utoipa::path(get, path = "/admin/tier-history", tag = "admin", params(HistoryQuery), responses((status = 200, body = Vec<carrel_core::api::TierHistoryEntry>), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody)))]
async fn history(
    State(state): State<AppState>,
    admin: CurrentUser,
    Query(query): Query<HistoryQuery>,
) -> Result<Json<Vec<TierHistoryEntry>>, ApiError> {
    require_site_admin(admin.is_site_admin)?;
    let mut conn = state.store.pool().acquire().await?;
    let user = match query.email.as_deref().filter(|raw| !raw.trim().is_empty()) {
        None => None,
        Some(raw) => {
            let email = Email::parse(raw)?;
            let user = users::find_by_email(&mut conn, email.as_str())
                .await?
                .ok_or_else(|| ApiError::NotFound(format!("Nobody has signed up as {email}.")))?;
            Some(user.id)
        }
    };
    Ok(Json(
        tier_requests::history(&mut conn, user, QUEUE_LIMIT).await?,
    ))
}

/// Every tier's checklist.
#[utoipa::path(get, path = "/admin/tier-requirements", tag = "admin", responses((status = 200, body = Vec<carrel_core::api::TierRequirement>), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody)))]
async fn requirements(
    State(state): State<AppState>,
    admin: CurrentUser,
) -> Result<Json<Vec<TierRequirement>>, ApiError> {
    require_site_admin(admin.is_site_admin)?;
    let mut conn = state.store.pool().acquire().await?;
    Ok(Json(tier_requests::requirements(&mut conn).await?))
}

/// Add an item to a tier's checklist.
#[utoipa::path(post, path = "/admin/tier-requirements", tag = "admin", request_body = carrel_core::api::NewTierRequirement, responses((status = 201, body = carrel_core::api::TierRequirement), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody)))]
async fn add_requirement(
    State(state): State<AppState>,
    admin: CurrentUser,
    ApiJson(new): ApiJson<NewTierRequirement>,
) -> Result<(StatusCode, Json<TierRequirement>), ApiError> {
    require_site_admin(admin.is_site_admin)?;
    let (title, details) = parse_requirement(&new.title, &new.details)?;
    let now = now_ms();
    let mut tx = state.store.begin_write().await?;
    let added =
        tier_requests::insert_requirement(&mut tx, new.tier, new.kind, &title, &details, now)
            .await?;
    let detail = serde_json::json!({ "tier": added.tier, "title": added.title });
    audit::record_site(&mut tx, admin.id, "tier.requirement_added", &detail, now).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(added)))
}

/// Remove an item from a tier's checklist.
#[utoipa::path(delete, path = "/admin/tier-requirements/{id}", tag = "admin", params(("id" = i64, Path)), responses((status = 204, description = "Removed"), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody)))]
async fn remove_requirement(
    State(state): State<AppState>,
    admin: CurrentUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    require_site_admin(admin.is_site_admin)?;
    let now = now_ms();
    let mut tx = state.store.begin_write().await?;
    let Some(removed) = tier_requests::requirement_by_id(&mut tx, id).await? else {
        return Err(ApiError::NotFound(
            "There is no such requirement.".to_owned(),
        ));
    };
    tier_requests::delete_requirement(&mut tx, id).await?;
    let detail = serde_json::json!({ "tier": removed.tier, "title": removed.title });
    audit::record_site(&mut tx, admin.id, "tier.requirement_removed", &detail, now).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
