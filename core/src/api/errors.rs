//! The one error body every endpoint answers with, and the codes of errors that are not a rule's refusal.

use serde::{Deserialize, Serialize};

use super::entities::TableRefusalDetail;
use super::sharing::{AclRefusalView, AclView};
use crate::entities::TsvProblem;
use crate::validate::FieldError;

/// The body of every error response: `{ "error": { "code": "...", "message": "..." } }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    /// Per-field problems of a refused form, when there are any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
    /// A refused ACL batch: every entry refused, with its rule (nothing was applied).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refusals: Vec<AclRefusalView>,
    /// A stale ACL batch: the ACL as it is now, to review.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<Box<AclView>>,
    /// A refused import: every problem found (line, column, why), at most 100.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<TsvProblem>,
    /// A refused data-table change: the row as it is now, or the entities in the way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<Box<TableRefusalDetail>>,
}

impl ErrorDetail {
    pub fn new(code: &str, message: &str) -> Self {
        ErrorDetail {
            code: code.to_owned(),
            message: message.to_owned(),
            fields: Vec::new(),
            refusals: Vec::new(),
            current: None,
            problems: Vec::new(),
            table: None,
        }
    }
}

/// The codes of errors that are not one of `core`'s refusals (a refusal's code names its rule:
/// see [`crate::Refusal::code`]). One list, so the server writes no code by hand and the web app
/// can tell errors apart without comparing strings it made up.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    Validation,
    MalformedJson,
    InvalidBody,
    MalformedRequest,
    RequestRefused,
    JsonRequired,
    PayloadTooLarge,
    MethodNotAllowed,
    NotFound,
    /// A path the API does not have: a page sent a request it should not have.
    NoSuchEndpoint,
    Unauthenticated,
    InvalidCredentials,
    Csrf,
    CrossSite,
    EmailTaken,
    NameTaken,
    Stale,
    InvalidEmail,
    UnknownGroup,
    UnknownPrincipal,
    AclChangeRefused,
    RateLimited,
    Busy,
    Internal,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 24] = [
        ErrorCode::Validation,
        ErrorCode::MalformedJson,
        ErrorCode::InvalidBody,
        ErrorCode::MalformedRequest,
        ErrorCode::RequestRefused,
        ErrorCode::JsonRequired,
        ErrorCode::PayloadTooLarge,
        ErrorCode::MethodNotAllowed,
        ErrorCode::NotFound,
        ErrorCode::NoSuchEndpoint,
        ErrorCode::Unauthenticated,
        ErrorCode::InvalidCredentials,
        ErrorCode::Csrf,
        ErrorCode::CrossSite,
        ErrorCode::EmailTaken,
        ErrorCode::NameTaken,
        ErrorCode::Stale,
        ErrorCode::InvalidEmail,
        ErrorCode::UnknownGroup,
        ErrorCode::UnknownPrincipal,
        ErrorCode::AclChangeRefused,
        ErrorCode::RateLimited,
        ErrorCode::Busy,
        ErrorCode::Internal,
    ];

    /// The code an error body names, when it is one of these (a rule's refusal names its rule).
    pub fn parse(raw: &str) -> Option<ErrorCode> {
        Self::ALL.into_iter().find(|code| code.as_str() == raw)
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Validation => "validation",
            ErrorCode::MalformedJson => "malformed_json",
            ErrorCode::InvalidBody => "invalid_body",
            ErrorCode::MalformedRequest => "malformed_request",
            ErrorCode::RequestRefused => "request_refused",
            ErrorCode::JsonRequired => "json_required",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::NotFound => "not_found",
            ErrorCode::NoSuchEndpoint => "no_such_endpoint",
            ErrorCode::Unauthenticated => "unauthenticated",
            ErrorCode::InvalidCredentials => "invalid_credentials",
            ErrorCode::Csrf => "csrf",
            ErrorCode::CrossSite => "cross_site",
            ErrorCode::EmailTaken => "email_taken",
            ErrorCode::NameTaken => "name_taken",
            ErrorCode::Stale => "stale",
            ErrorCode::InvalidEmail => "invalid_email",
            ErrorCode::UnknownGroup => "unknown_group",
            ErrorCode::UnknownPrincipal => "unknown_principal",
            ErrorCode::AclChangeRefused => "acl_change_refused",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::Busy => "busy",
            ErrorCode::Internal => "internal",
        }
    }
}
