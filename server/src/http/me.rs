//! The signed-in user: who they are, and changing their own password.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use carrel_core::api::{ChangePasswordRequest, Me};
use carrel_core::validate::check_password;

use super::error::ApiError;
use super::extract::{ApiJson, CurrentUser};
use crate::store::{sessions, users};
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(me))
        .routes(routes!(change_password))
}

#[utoipa::path(get, path = "/me", tag = "auth", responses((status = 200, body = carrel_core::api::Me), (status = 401, body = carrel_core::api::ErrorBody)))]
async fn me(State(state): State<AppState>, user: CurrentUser) -> Json<Me> {
    Json(Me {
        email: user.email,
        display_name: user.display_name,
        tiers: user.tiers,
        is_site_admin: user.is_site_admin,
        csrf_token: user.csrf_token,
        site_domain: state.config.site_domain.clone(),
    })
}

/// Change your password with the current one; every other session of yours ends.
#[utoipa::path(post, path = "/me/password", tag = "auth", request_body = carrel_core::api::ChangePasswordRequest, responses((status = 204, description = "Changed; your other sessions ended"), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 503, body = carrel_core::api::ErrorBody)))]
async fn change_password(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(request): ApiJson<ChangePasswordRequest>,
) -> Result<StatusCode, ApiError> {
    check_password(&request.new_password).map_err(|mut error| {
        error.field = "new_password".to_owned();
        error
    })?;
    let mut conn = state.store.pool().acquire().await?;
    let stored = users::find_by_id(&mut conn, user.id)
        .await?
        .map(|record| record.password_hash);
    drop(conn);
    if !state
        .hasher
        .verify(request.current_password, stored)
        .await?
    {
        return Err(ApiError::field(
            "current_password",
            "This is not your current password.",
        ));
    }
    let password_hash = state.hasher.hash(request.new_password).await?;
    let mut tx = state.store.begin_write().await?;
    users::set_password(&mut tx, user.id, &password_hash).await?;
    sessions::delete_for_user(&mut tx, user.id, Some(&user.session_hash)).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
