//! Getting a tier, as the signed-in user: each tier's checklist and where their request stands;
//! marking a requirement done; asking for a tier.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use carrel_core::api::{MyTier, MyTiers, NewTierRequest};
use carrel_core::tier_requests::{TierRefusal, REASON_MAX_CHARS};
use carrel_core::validate::check_text;
use carrel_core::{AccessTier, UserId};
use sqlx::AnyConnection;

use super::error::ApiError;
use super::extract::{ApiJson, CurrentUser};
use crate::store::tier_requests as store;
use crate::{now_ms, AppState};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(my_tiers))
        .routes(routes!(complete, undo))
        .routes(routes!(request))
}

/// Every tier as `user` stands with it at `now`.
async fn standing(
    conn: &mut AnyConnection,
    user: UserId,
    now: i64,
) -> Result<MyTiers, sqlx::Error> {
    let held = store::held(conn, user, now).await?;
    let mut tiers = Vec::new();
    for tier in AccessTier::ALL {
        let holding = held.iter().find(|h| h.tier == tier);
        tiers.push(MyTier {
            tier,
            held: holding.is_some(),
            granted_at: holding.map(|h| h.granted_at),
            expires_at: holding.and_then(|h| h.expires_at),
            requirements: store::progress(conn, user, tier).await?,
            latest_request: store::latest_request(conn, user, tier).await?,
        });
    }
    Ok(MyTiers { tiers, now })
}

pub fn parse_tier(raw: &str) -> Result<AccessTier, ApiError> {
    AccessTier::parse(raw)
        .ok_or_else(|| ApiError::field("tier", "A tier is either registered or controlled."))
}

/// Each tier's requirements with your progress, whether you hold it (and until when), and your
/// latest request.
#[utoipa::path(get, path = "/tiers", tag = "tiers", responses((status = 200, body = carrel_core::api::MyTiers), (status = 401, body = carrel_core::api::ErrorBody)))]
async fn my_tiers(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<MyTiers>, ApiError> {
    let mut conn = state.store.pool().acquire().await?;
    Ok(Json(standing(&mut conn, user.id, now_ms()).await?))
}

async fn set_completed(
    state: &AppState,
    user: &CurrentUser,
    requirement: i64,
    done: bool,
) -> Result<Json<MyTiers>, ApiError> {
    let now = now_ms();
    let mut tx = state.store.begin_write().await?;
    if store::requirement_by_id(&mut tx, requirement)
        .await?
        .is_none()
    {
        return Err(ApiError::NotFound(
            "There is no such requirement; a site admin may have removed it.".to_owned(),
        ));
    }
    store::set_completed(&mut tx, user.id, requirement, done.then_some(now)).await?;
    let answer = standing(&mut tx, user.id, now).await?;
    tx.commit().await?;
    Ok(Json(answer))
}

/// Mark a requirement as done (you confirm you completed it; the site admin sees when).
#[utoipa::path(put, path = "/tiers/requirements/{id}/completion", tag = "tiers", params(("id" = i64, Path)), responses((status = 200, body = carrel_core::api::MyTiers), (status = 401, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody)))]
async fn complete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<MyTiers>, ApiError> {
    set_completed(&state, &user, id, true).await
}

/// Mark a requirement as not done.
#[utoipa::path(delete, path = "/tiers/requirements/{id}/completion", tag = "tiers", params(("id" = i64, Path)), responses((status = 200, body = carrel_core::api::MyTiers), (status = 401, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody)))]
async fn undo(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<MyTiers>, ApiError> {
    set_completed(&state, &user, id, false).await
}

/// Ask the site admins for a tier, once its requirements are complete.
#[utoipa::path(post, path = "/tiers/{tier}/requests", tag = "tiers", params(("tier" = String, Path)), request_body = carrel_core::api::NewTierRequest, responses((status = 201, body = carrel_core::api::MyTiers), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody), (status = 409, body = carrel_core::api::ErrorBody)))]
async fn request(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(tier): Path<String>,
    ApiJson(body): ApiJson<NewTierRequest>,
) -> Result<(StatusCode, Json<MyTiers>), ApiError> {
    let tier = parse_tier(&tier)?;
    let note = body.note.trim();
    if let Some(problem) = check_text("note", note, REASON_MAX_CHARS, false, "your note") {
        return Err(problem.into());
    }
    let now = now_ms();
    let mut tx = state.store.begin_write().await?;
    standing(&mut tx, user.id, now).await?.check_request(tier)?;
    if store::insert_request(&mut tx, user.id, tier, note, now)
        .await?
        .is_none()
    {
        // Another request of theirs got in first.
        return Err(TierRefusal::AlreadyPending { tier }.into());
    }
    let after = standing(&mut tx, user.id, now).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(after)))
}
