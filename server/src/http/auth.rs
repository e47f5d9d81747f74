//! Sign-up, sign-in and sign-out.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use carrel_core::api::{LoginRequest, Me, SignupRequest};
use carrel_core::billing::{BillingRole, INITIAL_CREDITS_CENTS};
use carrel_core::validate::{check_password, parse_person_name, FieldError};
use carrel_core::{workspace::slug_of, Email, TierSet, UserId};

use super::error::ApiError;
use super::extract::{ApiJson, CurrentUser};
use crate::session::{self, random_token, token_hash, SESSION_TTL_MS};
use crate::store::{billing, sessions, users, workspaces, Tx};
use crate::{now_ms, password, AppState};

/// Sign-in attempts per email address: 10 at once, then one more every 6 seconds. Keyed by the
/// address typed, whether or not it has an account, so the limit reveals nothing.
pub type SignInLimiter = governor::DefaultKeyedRateLimiter<String>;

pub fn sign_in_limiter() -> SignInLimiter {
    let burst = std::num::NonZeroU32::new(10).unwrap_or(std::num::NonZeroU32::MIN);
    let quota = governor::Quota::with_period(std::time::Duration::from_secs(6))
        .map_or(governor::Quota::per_minute(burst), |quota| {
            quota.allow_burst(burst)
        });
    governor::RateLimiter::keyed(quota)
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(signup))
        .routes(routes!(login))
        .routes(routes!(logout))
}

#[utoipa::path(post, path = "/auth/signup", tag = "auth", request_body = carrel_core::api::SignupRequest, responses((status = 201, description = "Signed up and signed in", body = carrel_core::api::Me), (status = 400, body = carrel_core::api::ErrorBody), (status = 409, body = carrel_core::api::ErrorBody)))]
async fn signup(
    State(state): State<AppState>,
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
    let password_hash = password::hash(request.password).await?;
    let now = now_ms();
    let mut tx = state.store.begin_write().await?;
    let is_first = users::count(&mut tx).await? == 0;
    let user = users::insert(
        &mut tx,
        email.as_str(),
        &display_name,
        &password_hash,
        is_first,
        now,
    )
    .await?
    .ok_or_else(|| ApiError::Conflict {
        code: "email_taken",
        message: "An account with this email already exists; sign in instead.".to_owned(),
    })?;
    create_personal_billing_project(&mut tx, &email, user, now).await?;
    workspaces::activate_invitations(&mut tx, &email, user).await?;
    let (token, csrf_token) = start_session(&mut tx, user, now).await?;
    tx.commit().await?;
    let me = Me {
        email: email.to_string(),
        display_name,
        tiers: TierSet::NONE,
        is_site_admin: is_first,
        csrf_token,
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

#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = carrel_core::api::LoginRequest, responses((status = 200, description = "Signed in", body = carrel_core::api::Me), (status = 401, body = carrel_core::api::ErrorBody), (status = 429, body = carrel_core::api::ErrorBody)))]
async fn login(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<LoginRequest>,
) -> Result<Response, ApiError> {
    let key = request.email.trim().to_lowercase();
    if state.sign_in_limiter.check_key(&key).is_err() {
        return Err(ApiError::RateLimited);
    }
    // A malformed email cannot match an account: same answer as a wrong password.
    let email = Email::parse(&request.email).ok();
    let mut conn = state.store.pool().acquire().await?;
    let user = match &email {
        Some(email) => users::find_by_email(&mut conn, email.as_str()).await?,
        None => None,
    };
    drop(conn);
    let stored_hash = user.as_ref().map(|user| user.password_hash.clone());
    if !password::verify(request.password, stored_hash).await? {
        return Err(ApiError::InvalidCredentials);
    }
    let user = user.ok_or(ApiError::InvalidCredentials)?;
    let now = now_ms();
    let mut tx = state.store.begin_write().await?;
    let tiers = users::tiers(&mut tx, user.id).await?;
    let (token, csrf_token) = start_session(&mut tx, user.id, now).await?;
    tx.commit().await?;
    let me = Me {
        email: user.email,
        display_name: user.display_name,
        tiers,
        is_site_admin: user.is_site_admin,
        csrf_token,
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
