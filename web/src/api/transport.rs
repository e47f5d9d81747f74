//! Requests and their answers: the CSRF token on every mutation, one decoding of every body.

use std::cell::RefCell;

use gloo_net::http::{Method, Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;

use carrel_core::api::{ErrorBody, ErrorDetail, CSRF_HEADER};

use super::ApiError;

thread_local! {
    /// The session's CSRF token, learned from sign-in or `/me`; sent with every mutation.
    static CSRF_TOKEN: RefCell<Option<String>> = const { RefCell::new(None) };
}

pub fn remember_csrf(token: Option<String>) {
    CSRF_TOKEN.with(|slot| *slot.borrow_mut() = token);
}

pub fn csrf_token() -> Option<String> {
    CSRF_TOKEN.with(|slot| slot.borrow().clone())
}

pub fn url(path: &str) -> String {
    format!("/api/v1{path}")
}

fn with_csrf(builder: RequestBuilder) -> RequestBuilder {
    match csrf_token() {
        Some(token) => builder.header(CSRF_HEADER, &token),
        None => builder,
    }
}

fn unreadable(status: u16, what: &str) -> ApiError {
    ApiError::Server {
        status,
        detail: Box::new(ErrorDetail::new("unexpected_response", what)),
    }
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|error| ApiError::Network(error.to_string()))?;
    decode_text(status, response.ok(), &text)
}

/// An answer's body, read once: the value, or the server's refusal.
pub fn decode_text<T: DeserializeOwned>(status: u16, ok: bool, text: &str) -> Result<T, ApiError> {
    if ok {
        let text = if text.is_empty() { "null" } else { text };
        return serde_json::from_str(text).map_err(|_| {
            unreadable(
                status,
                "Carrel's answer could not be read. Reload the page and try again.",
            )
        });
    }
    match serde_json::from_str::<ErrorBody>(text) {
        Ok(body) => Err(ApiError::Server {
            status,
            detail: Box::new(body.error),
        }),
        Err(_) => Err(unreadable(
            status,
            "Carrel's server did not answer as expected. Try again in a moment.",
        )),
    }
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

/// Encode one path segment (emails, names) for a URL.
pub fn segment(raw: &str) -> String {
    String::from(js_sys::encode_uri_component(raw))
}
