//! The one application error. Each variant maps to a status and the SPEC §6 body; internal errors
//! are logged and answered with a generic message.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

use carrel_core::api::ErrorCode;
use carrel_core::api::{ErrorBody, ErrorDetail};
use carrel_core::validate::FieldError;
use carrel_core::{Reason, Refusal, RefusalKind};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    #[error("Some fields need attention.")]
    Validation(Vec<FieldError>),
    #[error("Sign in to continue.")]
    Unauthenticated,
    #[error("The email or password is not right.")]
    InvalidCredentials,
    #[error("{message}")]
    Forbidden { code: &'static str, message: String },
    #[error("{0}")]
    NotFound(String),
    #[error("There is no such API endpoint.")]
    NoSuchEndpoint,
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error("The request body is larger than the {0} bytes this endpoint accepts.")]
    PayloadTooLarge(usize),
    /// An upload past its limit, with the rule that refused it.
    #[error("{message}")]
    Oversize { code: &'static str, message: String },
    #[error("Send the body as JSON with the header Content-Type: application/json.")]
    UnsupportedMediaType,
    #[error("This method is not supported on this address.")]
    MethodNotAllowed,
    #[error("Too many attempts; try again in {}.", wait_words(*retry_after_secs))]
    RateLimited { retry_after_secs: u64 },
    #[error("The server is busy; try again in a few seconds.")]
    Busy { retry_after_secs: u64 },
    /// The database refused this transaction because a concurrent one won; the handler may
    /// retry it, and the client is asked to otherwise.
    #[error("Someone else changed this at the same moment; try again.")]
    LostRace,
    /// An ACL batch refused or stale: every refusal listed, or the current ACL to review.
    #[error("{}", .detail.message)]
    AclChange {
        status: StatusCode,
        detail: Box<ErrorDetail>,
    },
    /// A refusal that carries more than its sentence (an import's problems, a row as it is now).
    #[error("{}", .detail.message)]
    Detailed {
        status: StatusCode,
        code: &'static str,
        detail: Box<ErrorDetail>,
    },
    /// What the request names does not exist, with the rule's code.
    #[error("{message}")]
    Missing { code: &'static str, message: String },
    #[error("Something went wrong on our side; it has been logged.")]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    pub fn field(field: &str, message: &str) -> Self {
        ApiError::Validation(vec![FieldError::new(field, message)])
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } | ApiError::Validation(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthenticated | ApiError::InvalidCredentials => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden { .. } => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) | ApiError::NoSuchEndpoint | ApiError::Missing { .. } => {
                StatusCode::NOT_FOUND
            }
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge(_) | ApiError::Oversize { .. } => {
                StatusCode::PAYLOAD_TOO_LARGE
            }
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Busy { .. } | ApiError::LostRace => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::AclChange { status, .. } | ApiError::Detailed { status, .. } => *status,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest { code, .. }
            | ApiError::Forbidden { code, .. }
            | ApiError::Conflict { code, .. }
            | ApiError::Oversize { code, .. }
            | ApiError::Missing { code, .. }
            | ApiError::Detailed { code, .. } => code,
            ApiError::Validation(_) => ErrorCode::Validation.as_str(),
            ApiError::Unauthenticated => ErrorCode::Unauthenticated.as_str(),
            ApiError::InvalidCredentials => ErrorCode::InvalidCredentials.as_str(),
            ApiError::NotFound(_) => ErrorCode::NotFound.as_str(),
            ApiError::NoSuchEndpoint => ErrorCode::NoSuchEndpoint.as_str(),
            ApiError::PayloadTooLarge(_) => ErrorCode::PayloadTooLarge.as_str(),
            ApiError::UnsupportedMediaType => ErrorCode::JsonRequired.as_str(),
            ApiError::MethodNotAllowed => ErrorCode::MethodNotAllowed.as_str(),
            ApiError::RateLimited { .. } => ErrorCode::RateLimited.as_str(),
            ApiError::Busy { .. } | ApiError::LostRace => ErrorCode::Busy.as_str(),
            ApiError::AclChange { .. } => ErrorCode::AclChangeRefused.as_str(),
            ApiError::Internal(_) => ErrorCode::Internal.as_str(),
        }
    }
}

impl ApiError {
    /// Every `core` refusal is answered here: its kind picks the status, its code names the rule
    /// and its sentence explains it.
    pub fn refused(refusal: &impl Refusal) -> ApiError {
        let code = refusal.code();
        let message = refusal.to_string();
        match refusal.kind() {
            RefusalKind::Invalid => ApiError::BadRequest { code, message },
            RefusalKind::Forbidden => ApiError::Forbidden { code, message },
            RefusalKind::Conflict => ApiError::Conflict { code, message },
            RefusalKind::Missing => ApiError::Missing { code, message },
        }
    }

    /// A refusal with what it carries beyond its sentence.
    pub fn refused_with(
        refusal: &impl Refusal,
        detail: impl FnOnce(ErrorDetail) -> ErrorDetail,
    ) -> ApiError {
        let plain = ApiError::refused(refusal);
        let (status, code) = (plain.status(), plain.code());
        ApiError::Detailed {
            status,
            code,
            detail: Box::new(detail(ErrorDetail::new(code, &refusal.to_string()))),
        }
    }
}

/// The refusal types of `core`, each answered through [`ApiError::refused`]. (One blanket impl
/// is not allowed beside `From<sqlx::Error>`: another crate could make that a refusal too.)
macro_rules! answered_as_refusals {
    ($($refusal:ty),*) => {$(
        impl From<$refusal> for ApiError {
            fn from(refusal: $refusal) -> Self {
                ApiError::refused(&refusal)
            }
        }
    )*};
}

answered_as_refusals!(
    Reason,
    carrel_core::share::ShareRefusal,
    carrel_core::groups::GroupRefusal,
    carrel_core::billing::BillingRefusal,
    carrel_core::tier_requests::TierRefusal,
    carrel_core::tables::TableRefusal
);

/// A missing file is a 404 and an oversize upload a 413; the key rules are 400s.
impl From<carrel_core::files::FileRefusal> for ApiError {
    fn from(refusal: carrel_core::files::FileRefusal) -> Self {
        use carrel_core::files::FileRefusal;
        match refusal {
            FileRefusal::NotFound { .. } => ApiError::NotFound(refusal.to_string()),
            FileRefusal::TooLarge { .. } => ApiError::Oversize {
                code: refusal.code(),
                message: refusal.to_string(),
            },
            _ => ApiError::refused(&refusal),
        }
    }
}

/// A field's problem keeps its field, so the form can show it beside the input.
impl From<FieldError> for ApiError {
    fn from(error: FieldError) -> Self {
        ApiError::Validation(vec![error])
    }
}

/// A race the database resolved by refusing one side (PostgreSQL's serialization failure or
/// deadlock, SQLite's busy) is "try again", never a 500.
impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        if is_lost_race(&error) {
            tracing::info!(error = %error, "a concurrent write won");
            return ApiError::LostRace;
        }
        ApiError::Internal(error.into())
    }
}

fn is_lost_race(error: &sqlx::Error) -> bool {
    let Some(database) = error.as_database_error() else {
        return false;
    };
    matches!(
        database.code().as_deref(),
        Some("40001" | "40P01" | "5" | "517" | "261")
    )
}

impl From<crate::password::HashError> for ApiError {
    fn from(error: crate::password::HashError) -> Self {
        match error {
            crate::password::HashError::Busy => ApiError::Busy {
                retry_after_secs: 2,
            },
            crate::password::HashError::Failed(error) => ApiError::Internal(error),
        }
    }
}

/// "5 seconds", "1 minute", "14 minutes".
fn wait_words(seconds: u64) -> String {
    match seconds {
        0..=1 => "a second".to_owned(),
        2..=59 => format!("{seconds} seconds"),
        60..=119 => "a minute".to_owned(),
        _ => format!("{} minutes", seconds.div_ceil(60)),
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(error) = &self {
            tracing::error!(error = ?error, "internal error");
        }
        if let ApiError::AclChange { status, detail } | ApiError::Detailed { status, detail, .. } =
            self
        {
            return (status, Json(ErrorBody { error: *detail })).into_response();
        }
        let message = match &self {
            ApiError::Validation(fields) if fields.len() == 1 => fields[0].message.clone(),
            other => other.to_string(),
        };
        let fields = match self {
            ApiError::Validation(ref fields) => fields.clone(),
            _ => Vec::new(),
        };
        let retry_after = match self {
            ApiError::RateLimited { retry_after_secs } | ApiError::Busy { retry_after_secs } => {
                Some(retry_after_secs.max(1))
            }
            ApiError::LostRace => Some(1),
            _ => None,
        };
        let body = ErrorBody {
            error: ErrorDetail {
                fields,
                ..ErrorDetail::new(self.code(), &message)
            },
        };
        let mut response = (self.status(), Json(body)).into_response();
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}
