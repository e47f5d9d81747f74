use reqwest::StatusCode;

use crate::helpers::{error_of, spawn_app};

#[tokio::test]
async fn malformed_json_is_a_400_in_the_error_shape() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/auth/login"))
        .header("content-type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .unwrap();
    let (status, code, _) = error_of(response).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::BAD_REQUEST, "malformed_json")
    );
}

#[tokio::test]
async fn wrong_types_name_the_field() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/auth/signup"))
        .json(&serde_json::json!({ "email": 42, "display_name": "x", "password": "y" }))
        .send()
        .await
        .unwrap();
    let (status, code, message) = error_of(response).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::BAD_REQUEST, "invalid_body")
    );
    assert!(message.contains("email"), "{message}");
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_415() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/auth/login"))
        .body("email=a&password=b")
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    let (status, code, _) = error_of(response).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, "json_required")
    );
}

#[tokio::test]
async fn an_oversized_body_is_refused_and_creates_nothing() {
    let app = spawn_app().await;
    let huge = "x".repeat(10 * 1024 * 1024);
    let response = app
        .signup_raw("ada@example.org", &huge, "a long enough password")
        .await;
    let (status, code, _) = error_of(response).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
    );
    assert_eq!(app.user_count().await, 0);
}

#[tokio::test]
async fn unknown_api_routes_and_methods_answer_in_the_error_shape() {
    let app = spawn_app().await;
    let (status, code, _) = error_of(app.get("/no-such-thing").await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::NOT_FOUND, "no_such_endpoint")
    );
    let response = app.client.delete(app.url("/me")).send().await.unwrap();
    let (status, code, _) = error_of(response).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed")
    );
}
