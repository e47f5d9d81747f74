//! Wire types of the HTTP API, shared by the server and the web app.

use serde::{Deserialize, Serialize};

use crate::share::Role;
use crate::tier::{AccessTier, TierSet};
use crate::validate::FieldError;

/// The body of every error response: `{ "error": { "code": "...", "message": "..." } }`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    /// Per-field problems of a refused form, when there are any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignupRequest {
    pub email: String,
    pub display_name: String,
    pub password: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// The signed-in user. `csrf_token` must accompany every mutation as the `X-CSRF-Token` header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub email: String,
    pub display_name: String,
    pub tiers: TierSet,
    pub is_site_admin: bool,
    pub csrf_token: String,
}

/// One card of "Your workspaces".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceSummary {
    pub namespace: String,
    pub name: String,
    pub display_name: String,
    pub tier: AccessTier,
    pub role: Role,
    pub can_share: bool,
    pub can_compute: bool,
    pub locked: bool,
    pub creator: String,
    pub modified_at: i64,
    /// Why the contents are closed to the caller (for example the missing tier), if they are.
    pub inaccessible_reason: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceList {
    pub workspaces: Vec<WorkspaceSummary>,
}

pub const CSRF_HEADER: &str = "x-csrf-token";
pub const SESSION_COOKIE: &str = "carrel_session";
