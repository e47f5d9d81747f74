//! A typed client for the server's API. Errors carry the server's own message.

use std::cell::RefCell;

use gloo_net::http::{Method, Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;

use carrel_core::api::{
    AclPatchRequest, AclPatchResponse, AclRefusalView, AclView, ErrorBody, ErrorDetail,
    LoginRequest, Me, SignupRequest, UserMatch, WorkspaceDetail, WorkspaceList, CSRF_HEADER,
};
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
    pub fn message(&self) -> String {
        match self {
            ApiError::Network(_) => {
                "Carrel's server could not be reached. Check your connection and try again."
                    .to_owned()
            }
            ApiError::Server { detail, .. } => detail.message.clone(),
        }
    }

    pub fn code(&self) -> &str {
        match self {
            ApiError::Server { detail, .. } => &detail.code,
            ApiError::Network(_) => "network",
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

    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Server { status, .. } => Some(*status),
            ApiError::Network(_) => None,
        }
    }

    pub fn fields(&self) -> &[FieldError] {
        match self {
            ApiError::Server { detail, .. } => &detail.fields,
            ApiError::Network(_) => &[],
        }
    }
}

thread_local! {
    /// The session's CSRF token, learned from sign-in or `/me`; sent with every mutation.
    static CSRF_TOKEN: RefCell<Option<String>> = const { RefCell::new(None) };
}

pub fn remember_csrf(token: Option<String>) {
    CSRF_TOKEN.with(|slot| *slot.borrow_mut() = token);
}

fn url(path: &str) -> String {
    format!("/api/v1{path}")
}

fn with_csrf(builder: RequestBuilder) -> RequestBuilder {
    match CSRF_TOKEN.with(|slot| slot.borrow().clone()) {
        Some(token) => builder.header(CSRF_HEADER, &token),
        None => builder,
    }
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|error| ApiError::Network(error.to_string()))?;
    if response.ok() {
        let text = if text.is_empty() { "null" } else { &text };
        return serde_json::from_str(text).map_err(|error| ApiError::Server {
            status,
            detail: Box::new(ErrorDetail::new(
                "unexpected_response",
                &format!("The server's answer could not be read: {error}"),
            )),
        });
    }
    let detail = match serde_json::from_str::<ErrorBody>(&text) {
        Ok(body) => body.error,
        Err(_) => ErrorDetail::new(
            "unexpected_response",
            &format!("The server answered with status {status}."),
        ),
    };
    Err(ApiError::Server {
        status,
        detail: Box::new(detail),
    })
}

pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let response = Request::get(&url(path))
        .send()
        .await
        .map_err(|error| ApiError::Network(error.to_string()))?;
    decode(response).await
}

/// Send a mutation with a JSON body and the session's CSRF token.
pub async fn send<B: Serialize, T: DeserializeOwned>(
    method: Method,
    path: &str,
    body: &B,
) -> Result<T, ApiError> {
    let request = with_csrf(RequestBuilder::new(&url(path)).method(method))
        .json(body)
        .map_err(|error| ApiError::Network(error.to_string()))?;
    let response = request
        .send()
        .await
        .map_err(|error| ApiError::Network(error.to_string()))?;
    decode(response).await
}

pub async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    send(Method::POST, path, body).await
}

/// Encode one path segment (emails, names) for a URL.
pub fn segment(raw: &str) -> String {
    String::from(js_sys::encode_uri_component(raw))
}

pub async fn me() -> Result<Me, ApiError> {
    get("/me").await
}

pub async fn sign_in(request: &LoginRequest) -> Result<Me, ApiError> {
    post("/auth/login", request).await
}

pub async fn sign_up(request: &SignupRequest) -> Result<Me, ApiError> {
    post("/auth/signup", request).await
}

pub async fn sign_out() -> Result<(), ApiError> {
    post("/auth/logout", &()).await
}

pub async fn workspaces() -> Result<WorkspaceList, ApiError> {
    get("/workspaces").await
}

pub async fn workspace(namespace: &str, name: &str) -> Result<WorkspaceDetail, ApiError> {
    get(&format!(
        "/workspaces/{}/{}",
        segment(namespace),
        segment(name)
    ))
    .await
}

pub async fn acl(namespace: &str, name: &str) -> Result<AclView, ApiError> {
    get(&format!(
        "/workspaces/{}/{}/acl",
        segment(namespace),
        segment(name)
    ))
    .await
}

pub async fn patch_acl(
    namespace: &str,
    name: &str,
    request: &AclPatchRequest,
) -> Result<AclPatchResponse, ApiError> {
    let path = format!("/workspaces/{}/{}/acl", segment(namespace), segment(name));
    send(Method::PATCH, &path, request).await
}

pub async fn find_users(query: &str) -> Result<Vec<UserMatch>, ApiError> {
    get(&format!("/users?q={}", segment(query))).await
}

pub async fn find_groups(query: &str) -> Result<Vec<carrel_core::api::GroupView>, ApiError> {
    get(&format!("/groups?q={}", segment(query))).await
}
