//! Site administration: granting and revoking data-access tiers. Site admins only.

use axum::extract::{Path, State};
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use carrel_core::api::{TierRequest, UserTiers};
use carrel_core::{authz::require_site_admin, AccessTier, Email};

use super::error::ApiError;
use super::extract::{ApiJson, CurrentUser};
use crate::store::{audit, users};
use crate::{now_ms, AppState};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(grant))
        .routes(routes!(revoke))
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
