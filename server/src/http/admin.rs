//! Site administration: granting and revoking data-access tiers. Site admins only.

use axum::extract::{Path, State};
use axum::routing::{delete, post};
use axum::{Json, Router};

use carrel_core::api::{TierRequest, UserTiers};
use carrel_core::{authz::require_site_admin, AccessTier, Email};

use super::error::ApiError;
use super::extract::{ApiJson, CurrentUser};
use crate::store::users;
use crate::{now_ms, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/users/{email}/tiers", post(grant))
        .route("/admin/users/{email}/tiers/{tier}", delete(revoke))
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
    tx.commit().await?;
    Ok(Json(UserTiers {
        email: user.email,
        tiers,
    }))
}

async fn grant(
    State(state): State<AppState>,
    admin: CurrentUser,
    Path(email): Path<String>,
    ApiJson(request): ApiJson<TierRequest>,
) -> Result<Json<UserTiers>, ApiError> {
    change(&state, &admin, &email, request.tier, true).await
}

async fn revoke(
    State(state): State<AppState>,
    admin: CurrentUser,
    Path((email, tier)): Path<(String, String)>,
) -> Result<Json<UserTiers>, ApiError> {
    let tier = AccessTier::parse(&tier)
        .ok_or_else(|| ApiError::field("tier", "A tier is either registered or controlled."))?;
    change(&state, &admin, &email, tier, false).await
}
