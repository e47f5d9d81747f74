//! Accounts and sessions: sign-up, sign-in, passwords, the signed-in user.

use serde::{Deserialize, Serialize};

use crate::tier::TierSet;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignupRequest {
    #[cfg_attr(feature = "openapi", schema(format = "email", max_length = 254))]
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 80))]
    pub display_name: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 10, max_length = 512))]
    pub password: String,
    /// The one-time setup token the server printed at its first start: the account signing up
    /// with it becomes the site admin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub setup_token: Option<String>,
}

/// Change your own password: the current one proves it is you. Your other sessions end.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangePasswordRequest {
    #[cfg_attr(feature = "openapi", schema(max_length = 512))]
    pub current_password: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 10, max_length = 512))]
    pub new_password: String,
}

/// Set a new password with a one-time reset link's token. Every session of the account ends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResetPasswordRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 128))]
    pub token: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 10, max_length = 512))]
    pub new_password: String,
}

/// A one-time password reset link a site admin made, to hand to its user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordResetLink {
    pub email: String,
    /// The path to open, with the token: `/reset-password?token=…`.
    pub path: String,
    pub token: String,
    /// Unix milliseconds after which the link no longer works.
    pub expires_at: i64,
}

/// How many sessions "sign out everywhere" ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionsEnded {
    pub ended: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 512))]
    pub password: String,
}

/// The signed-in user. `csrf_token` must accompany every mutation as the `X-CSRF-Token` header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub email: String,
    pub display_name: String,
    pub tiers: TierSet,
    pub is_site_admin: bool,
    pub csrf_token: String,
    /// The site's domain: group addresses are `NAME@groups.<site_domain>`.
    #[serde(default)]
    pub site_domain: String,
}

pub const CSRF_HEADER: &str = "x-csrf-token";
pub const SESSION_COOKIE: &str = "carrel_session";
