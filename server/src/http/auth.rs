//! Sign-up, sign-in and sign-out.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use carrel_core::api::ErrorCode;
use carrel_core::api::{LoginRequest, Me, ResetPasswordRequest, SessionsEnded, SignupRequest};
use carrel_core::billing::{BillingRole, INITIAL_CREDITS_CENTS};
use carrel_core::validate::{check_password, parse_person_name, FieldError};
use carrel_core::{workspace::slug_of, Email, TierSet, UserId};

use super::error::ApiError;
use super::extract::{ApiJson, CurrentUser};
use super::throttle::{self, ClientAddress, SignInThrottle};
use crate::session::{self, random_token, token_hash, SESSION_TTL_MS};
use crate::store::{billing, password_resets, sessions, setup, users, workspaces, Tx};
use crate::{now_ms, AppState};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(signup))
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(logout_everywhere))
        .routes(routes!(reset_password))
}

#[utoipa::path(post, path = "/auth/signup", tag = "auth", request_body = carrel_core::api::SignupRequest, responses((status = 201, description = "Signed up and signed in", body = carrel_core::api::Me), (status = 400, body = carrel_core::api::ErrorBody), (status = 409, body = carrel_core::api::ErrorBody), (status = 429, description = "Too many sign-ups from this address; see Retry-After", body = carrel_core::api::ErrorBody), (status = 503, description = "Busy; see Retry-After", body = carrel_core::api::ErrorBody)))]
async fn signup(
    State(state): State<AppState>,
    address: ClientAddress,
    ApiJson(request): ApiJson<SignupRequest>,
) -> Result<Response, ApiError> {
    let mut problems: Vec<FieldError> = Vec::new();
    let email = Email::parse(&request.email)
        .map_err(|e| problems.push(e))
        .ok();
    let display_name = parse_person_name(&request.display_name)
        .map_err(|e| problems.push(e))
        .ok();
    let _ = check_password(&request.password).map_err(|e| problems.push(e));
    let (Some(email), Some(display_name), true) = (email, display_name, problems.is_empty()) else {
        return Err(ApiError::Validation(problems));
    };
    let mut conn = state.store.pool().acquire().await?;
    throttle::check_signup(&mut conn, &state.config.limits, &address, now_ms()).await?;
    drop(conn);
    let password_hash = state.hasher.hash(request.password).await?;
    let now = now_ms();
    let mut tx = state.store.begin_write().await?;
    let is_site_admin = match &request.setup_token {
        Some(token) => {
            if !setup::consume(&mut tx, &token_hash(token)).await? {
                return Err(ApiError::field(
                    "setup_token",
                    "This setup link has already been used or is not valid; sign up without it, or ask your site admin.",
                ));
            }
            true
        }
        None => false,
    };
    let user = users::insert(
        &mut tx,
        email.as_str(),
        &display_name,
        &password_hash,
        is_site_admin,
        now,
    )
    .await?
    .ok_or_else(|| ApiError::Conflict {
        code: ErrorCode::EmailTaken.as_str(),
        message: "An account with this email already exists; sign in instead.".to_owned(),
    })?;
    throttle::count_signup(&mut tx, &address, now).await?;
    create_personal_billing_project(&mut tx, &email, user, now).await?;
    workspaces::activate_invitations(&mut tx, &email, user).await?;
    let (token, csrf_token) = start_session(&mut tx, user, now).await?;
    tx.commit().await?;
    let me = Me {
        email: email.to_string(),
        display_name,
        tiers: TierSet::NONE,
        is_site_admin,
        csrf_token,
        site_domain: state.config.site_domain.clone(),
    };
    Ok(signed_in(StatusCode::CREATED, &state, &token, me))
}

/// Every user gets a billing project of their own with the initial credits.
async fn create_personal_billing_project(
    tx: &mut Tx,
    email: &Email,
    user: UserId,
    now: i64,
) -> Result<(), ApiError> {
    let local = email.as_str().split('@').next().unwrap_or("user");
    let base = format!("{}-personal", slug_of(local));
    for attempt in 1..=100 {
        let name = if attempt == 1 {
            base.clone()
        } else {
            format!("{base}-{attempt}")
        };
        if let Some(project) =
            billing::insert_project(tx, &name, INITIAL_CREDITS_CENTS, now).await?
        {
            billing::set_member(tx, project, user, BillingRole::Owner).await?;
            return Ok(());
        }
    }
    Err(ApiError::Internal(anyhow::anyhow!(
        "no free personal billing project name for {base}"
    )))
}

async fn start_session(tx: &mut Tx, user: UserId, now: i64) -> Result<(String, String), ApiError> {
    let token = random_token();
    let csrf_token = random_token();
    sessions::insert(
        tx,
        &token_hash(&token),
        user,
        &csrf_token,
        now,
        now + SESSION_TTL_MS,
    )
    .await?;
    Ok((token, csrf_token))
}

fn signed_in(status: StatusCode, state: &AppState, token: &str, me: Me) -> Response {
    let cookie = session::set_cookie(token, state.config.secure_cookies);
    (status, [(header::SET_COOKIE, cookie)], Json(me)).into_response()
}

#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = carrel_core::api::LoginRequest, responses((status = 200, description = "Signed in", body = carrel_core::api::Me), (status = 401, body = carrel_core::api::ErrorBody), (status = 429, description = "Too many failed attempts; see Retry-After", body = carrel_core::api::ErrorBody), (status = 503, description = "Busy; see Retry-After", body = carrel_core::api::ErrorBody)))]
async fn login(
    State(state): State<AppState>,
    address: ClientAddress,
    ApiJson(request): ApiJson<LoginRequest>,
) -> Result<Response, ApiError> {
    let account = request.email.trim().to_lowercase();
    let gate = SignInThrottle::new(&state.config.limits.sign_in, &address, &account);
    // A malformed email cannot match an account: same answer as a wrong password.
    let email = Email::parse(&request.email).ok();
    let mut conn = state.store.pool().acquire().await?;
    gate.check(&mut conn, now_ms()).await?;
    let user = match &email {
        Some(email) => users::find_by_email(&mut conn, email.as_str()).await?,
        None => None,
    };
    drop(conn);
    let stored_hash = user.as_ref().map(|user| user.password_hash.clone());
    let matches = state.hasher.verify(request.password, stored_hash).await?;
    let now = now_ms();
    let mut tx = state.store.begin_write().await?;
    let Some(user) = user.filter(|_| matches) else {
        gate.failed(&mut tx, now).await?;
        tx.commit().await?;
        return Err(ApiError::InvalidCredentials);
    };
    gate.succeeded(&mut tx).await?;
    let tiers = users::tiers(&mut tx, user.id, now).await?;
    let (token, csrf_token) = start_session(&mut tx, user.id, now).await?;
    tx.commit().await?;
    let me = Me {
        email: user.email,
        display_name: user.display_name,
        tiers,
        is_site_admin: user.is_site_admin,
        csrf_token,
        site_domain: state.config.site_domain.clone(),
    };
    Ok(signed_in(StatusCode::OK, &state, &token, me))
}

#[utoipa::path(post, path = "/auth/logout", tag = "auth", responses((status = 204, description = "Signed out"), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody)))]
async fn logout(State(state): State<AppState>, user: CurrentUser) -> Result<Response, ApiError> {
    let mut tx = state.store.begin_write().await?;
    sessions::delete(&mut tx, &user.session_hash).await?;
    tx.commit().await?;
    let cookie = session::clear_cookie(state.config.secure_cookies);
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

/// End every session of the signed-in user, this one included.
#[utoipa::path(post, path = "/auth/logout-everywhere", tag = "auth", responses((status = 200, description = "Every session ended", body = carrel_core::api::SessionsEnded), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody)))]
async fn logout_everywhere(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, ApiError> {
    let mut tx = state.store.begin_write().await?;
    let ended = sessions::delete_for_user(&mut tx, user.id, None).await?;
    tx.commit().await?;
    let cookie = session::clear_cookie(state.config.secure_cookies);
    Ok((
        StatusCode::OK,
        [(header::SET_COOKIE, cookie)],
        Json(SessionsEnded { ended }),
    )
        .into_response())
}

/// Set a new password with a one-time reset link (made by a site admin); every session of the
/// account ends, and the caller is not signed in by it.
#[utoipa::path(post, path = "/auth/reset-password", tag = "auth", request_body = carrel_core::api::ResetPasswordRequest, responses((status = 204, description = "Password changed; sign in with it"), (status = 400, body = carrel_core::api::ErrorBody), (status = 503, body = carrel_core::api::ErrorBody)))]
async fn reset_password(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<ResetPasswordRequest>,
) -> Result<StatusCode, ApiError> {
    check_password(&request.new_password).map_err(|mut error| {
        error.field = "new_password".to_owned();
        error
    })?;
    let password_hash = state.hasher.hash(request.new_password).await?;
    let mut tx = state.store.begin_write().await?;
    let user = password_resets::consume(&mut tx, &token_hash(&request.token), now_ms())
        .await?
        .ok_or_else(|| {
            ApiError::field(
                "token",
                "This reset link has expired or was already used; ask a site admin for a new one.",
            )
        })?;
    users::set_password(&mut tx, user, &password_hash).await?;
    sessions::delete_for_user(&mut tx, user, None).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
