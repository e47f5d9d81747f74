//! Extractors: JSON bodies that fail in our error shape, and the signed-in user.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::Method;
use serde::de::DeserializeOwned;
use sqlx::AnyConnection;

use carrel_core::api::ErrorCode;
use carrel_core::api::CSRF_HEADER;
use carrel_core::{TierSet, UserId};

use super::error::ApiError;
use super::BODY_LIMIT_BYTES;
use crate::session::{session_token, token_hash, tokens_match};
use crate::store::sessions;
use crate::{now_ms, AppState};

/// `axum::Json`, but a malformed, mistyped or oversized body is answered in the SPEC §6 shape.
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

fn json_rejection(rejection: JsonRejection) -> ApiError {
    match rejection {
        JsonRejection::JsonDataError(error) => ApiError::BadRequest {
            code: ErrorCode::InvalidBody.as_str(),
            message: format!(
                "The request body does not have the expected fields: {}",
                error.body_text().trim_start_matches(
                    "Failed to deserialize the JSON body into the target type: "
                )
            ),
        },
        JsonRejection::JsonSyntaxError(_) => ApiError::BadRequest {
            code: ErrorCode::MalformedJson.as_str(),
            message: "The request body is not valid JSON.".to_owned(),
        },
        JsonRejection::MissingJsonContentType(_) => ApiError::UnsupportedMediaType,
        JsonRejection::BytesRejection(_) => ApiError::PayloadTooLarge(BODY_LIMIT_BYTES),
        other => ApiError::BadRequest {
            code: ErrorCode::InvalidBody.as_str(),
            message: other.body_text(),
        },
    }
}

/// The signed-in user. Extracting it on a mutating request also checks the CSRF header.
#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub is_site_admin: bool,
    pub tiers: TierSet,
    pub csrf_token: String,
    pub session_hash: String,
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let session = Session::from_request_parts(parts, state).await?;
        let mut conn = state.store.pool().acquire().await?;
        session.identify(&mut conn).await
    }
}

/// A request's session cookie (and, on a mutation, its CSRF header), not yet looked up. Hot
/// handlers take this instead of [`CurrentUser`] and identify the caller on the connection or
/// transaction they use anyway: one pool checkout per request instead of two.
pub struct Session {
    token_hash: String,
    /// The header's token on a mutation; `None` on a safe method, which needs none.
    csrf_given: Option<String>,
}

impl Session {
    /// Who is signed in, with their tiers; refused without a live session or the page's token.
    pub async fn identify(&self, conn: &mut AnyConnection) -> Result<CurrentUser, ApiError> {
        let signed_in = sessions::find_signed_in(conn, &self.token_hash, now_ms())
            .await?
            .ok_or(ApiError::Unauthenticated)?;
        if let Some(given) = &self.csrf_given {
            if !tokens_match(&signed_in.csrf_token, given) {
                return Err(ApiError::Forbidden {
                    code: ErrorCode::Csrf.as_str(),
                    message: "This request lacks the page's security token; reload the page and try again.".to_owned(),
                });
            }
        }
        Ok(CurrentUser {
            id: signed_in.user_id,
            email: signed_in.email,
            display_name: signed_in.display_name,
            is_site_admin: signed_in.is_site_admin,
            tiers: signed_in.tiers,
            csrf_token: signed_in.csrf_token,
            session_hash: self.token_hash.clone(),
        })
    }
}

impl FromRequestParts<AppState> for Session {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = session_token(&parts.headers, state.config.secure_cookies)
            .ok_or(ApiError::Unauthenticated)?;
        let csrf_given = (!is_safe(&parts.method)).then(|| {
            parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|value| value.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        });
        Ok(Session {
            token_hash: token_hash(&token),
            csrf_given,
        })
    }
}

pub fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}
