//! Site administration: granting and revoking data-access tiers. Site admins only.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use carrel_core::api::{PasswordResetLink, TierRequest, UserTiers};
use carrel_core::{authz::require_site_admin, AccessTier, Email};

use super::error::ApiError;
use super::extract::{ApiJson, CurrentUser};
use crate::session::{random_token, token_hash};
use crate::store::{audit, password_resets, users};
use crate::{now_ms, AppState};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(grant))
        .routes(routes!(revoke))
        .routes(routes!(password_reset))
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

async fn change(
    state: &AppState,
    admin: &CurrentUser,
    email: &str,
    tier: AccessTier,
    granted: bool,
) -> Result<Json<UserTiers>, ApiError> {
    require_site_admin(admin.is_site_admin)?;
    let email = Email::parse(email)?;
    let mut tx = state.store.begin_write().await?;
    let user = users::find_by_email(&mut tx, email.as_str())
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("Nobody has signed up as {email}.")))?;
    if granted {
        users::grant_tier(&mut tx, user.id, tier, now_ms()).await?;
    } else {
        users::revoke_tier(&mut tx, user.id, tier).await?;
    }
    let tiers = users::tiers(&mut tx, user.id).await?;
    let action = if granted { "tier.grant" } else { "tier.revoke" };
    let detail = serde_json::json!({ "user": user.email, "tier": tier });
    audit::record_site(&mut tx, admin.id, action, &detail, now_ms()).await?;
    tx.commit().await?;
    Ok(Json(UserTiers {
        email: user.email,
        tiers,
    }))
}

#[utoipa::path(post, path = "/admin/users/{email}/tiers", tag = "admin", params(("email" = String, Path)), request_body = carrel_core::api::TierRequest, responses((status = 200, body = carrel_core::api::UserTiers), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody)))]
async fn grant(
    State(state): State<AppState>,
    admin: CurrentUser,
    Path(email): Path<String>,
    ApiJson(request): ApiJson<TierRequest>,
) -> Result<Json<UserTiers>, ApiError> {
    change(&state, &admin, &email, request.tier, true).await
}

#[utoipa::path(delete, path = "/admin/users/{email}/tiers/{tier}", tag = "admin", params(("email" = String, Path), ("tier" = String, Path)), responses((status = 200, body = carrel_core::api::UserTiers), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody)))]
async fn revoke(
    State(state): State<AppState>,
    admin: CurrentUser,
    Path((email, tier)): Path<(String, String)>,
) -> Result<Json<UserTiers>, ApiError> {
    let tier = AccessTier::parse(&tier)
        .ok_or_else(|| ApiError::field("tier", "A tier is either registered or controlled."))?;
    change(&state, &admin, &email, tier, false).await
}
