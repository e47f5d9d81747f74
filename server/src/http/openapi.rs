//! Keeping the OpenAPI document true: the answers every operation can give, and axum's own
//! rejections (a path or query that does not parse) in the same JSON error shape as ours.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use carrel_core::api::ErrorCode;
use utoipa::openapi::path::Operation;
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, ResponseBuilder};

use super::error::ApiError;

/// Answers any operation can give besides its own: a malformed request (400), no session (401),
/// a missing CSRF token or a cross-site request (403), an unknown name in the path (404), a
/// body too large (413) or not JSON (415), throttling (429) and "busy, retry" (503).
const COMMON: [(&str, &str); 8] = [
    (
        "400",
        "The request is malformed: a path, query or body that does not parse",
    ),
    ("401", "No live session"),
    ("403", "Refused: the rule is named in the error's code"),
    ("404", "Nothing by that name"),
    ("413", "The body is larger than the endpoint accepts"),
    ("415", "The body is not sent as JSON"),
    ("429", "Too many attempts; see Retry-After"),
    ("503", "Busy; see Retry-After"),
];

pub fn with_common_answers(mut document: OpenApi) -> OpenApi {
    for item in document.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in operations.into_iter().flatten() {
            add_common(operation);
        }
    }
    document
}

fn add_common(operation: &mut Operation) {
    for (status, description) in COMMON {
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| {
                RefOr::T(
                    ResponseBuilder::new()
                        .description(description)
                        .content(
                            "application/json",
                            ContentBuilder::new()
                                .schema(Some(Ref::from_schema_name("ErrorBody")))
                                .build(),
                        )
                        .build(),
                )
            });
    }
}

/// An error answered by axum itself (a path or query that does not parse, a missing header) is
/// plain text; re-answer it in the `{ "error": { "code", "message" } }` shape.
pub async fn errors_as_json(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let retry_after = response.headers().get(header::RETRY_AFTER).cloned();
    let text = match axum::body::to_bytes(response.into_body(), 64 * 1024).await {
        Ok(bytes) => String::from_utf8_lossy(&bytes).trim().to_owned(),
        Err(_) => String::new(),
    };
    let message = if text.is_empty() {
        status
            .canonical_reason()
            .unwrap_or("The request could not be served")
            .to_owned()
    } else {
        format!("The request could not be read: {text}")
    };
    let mut answer = match status.as_u16() {
        400 | 422 => ApiError::BadRequest {
            code: ErrorCode::MalformedRequest.as_str(),
            message,
        }
        .into_response(),
        _ => {
            let body = serde_json::json!({ "error": { "code": ErrorCode::RequestRefused.as_str(), "message": message } });
            (status, axum::Json(body)).into_response()
        }
    };
    *answer.status_mut() = status;
    if let Some(value) = retry_after {
        answer.headers_mut().insert(header::RETRY_AFTER, value);
    }
    answer
}
