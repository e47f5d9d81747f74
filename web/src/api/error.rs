//! What a failed request tells the page: decoded once from the server's error body.

use carrel_core::api::{AclRefusalView, AclView, ErrorCode, ErrorDetail};
use carrel_core::validate::FieldError;

#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// The server could not be reached.
    Network(String),
    /// The server refused, with its reason, decoded once from the error body.
    Server {
        status: u16,
        detail: Box<ErrorDetail>,
    },
}

impl ApiError {
    /// The error as a sentence for people. The server's sentences are written for them already;
    /// the few answers that only a bug in a page can cause get a sentence of our own.
    pub fn message(&self) -> String {
        match self {
            ApiError::Network(_) => {
                "Carrel's server could not be reached. Check your connection and try again."
                    .to_owned()
            }
            ApiError::Server { detail, .. } => match self.code() {
                Some(ErrorCode::NoSuchEndpoint | ErrorCode::MethodNotAllowed) => {
                    "Carrel could not do that from this page. Reload the page and try again."
                        .to_owned()
                }
                Some(ErrorCode::Internal) => {
                    "Something went wrong on Carrel's side. Nothing was changed; try again in a moment."
                        .to_owned()
                }
                _ => detail.message.clone(),
            },
        }
    }

    /// The error's code when it is not a rule's refusal (those name their rule instead).
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ApiError::Server { detail, .. } => ErrorCode::parse(&detail.code),
            ApiError::Network(_) => None,
        }
    }

    /// Each refused entry of an ACL batch (empty for other errors).
    pub fn refusals(&self) -> &[AclRefusalView] {
        match self {
            ApiError::Server { detail, .. } => &detail.refusals,
            ApiError::Network(_) => &[],
        }
    }

    /// The current ACL, when a batch was stale.
    pub fn current_acl(&self) -> Option<&AclView> {
        match self {
            ApiError::Server { detail, .. } => detail.current.as_deref(),
            ApiError::Network(_) => None,
        }
    }

    /// Each problem of a refused import (line, column, why).
    pub fn problems(&self) -> &[carrel_core::entities::TsvProblem] {
        match self {
            ApiError::Server { detail, .. } => &detail.problems,
            ApiError::Network(_) => &[],
        }
    }

    /// What a refused data-table change carries: the row as it is now, the entities in the way.
    pub fn table_detail(&self) -> Option<&carrel_core::api::TableRefusalDetail> {
        match self {
            ApiError::Server { detail, .. } => detail.table.as_deref(),
            ApiError::Network(_) => None,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Server { status, .. } => Some(*status),
            ApiError::Network(_) => None,
        }
    }

    /// Per-field problems of a refused form.
    pub fn fields(&self) -> &[FieldError] {
        match self {
            ApiError::Server { detail, .. } => &detail.fields,
            ApiError::Network(_) => &[],
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for ApiError {}
