use carrel_core::api::{Me, CSRF_HEADER};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{error_of, spawn_app, PASSWORD};

#[tokio::test]
async fn signup_signs_in_with_a_session_cookie() {
    let mut app = spawn_app().await;
    let response = app
        .signup_raw("Ada@Example.org", "Ada Lovelace", PASSWORD)
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .expect("a session cookie")
        .to_owned();
    assert!(cookie.starts_with("carrel_session="));
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    let me: Me = response.json().await.unwrap();
    assert_eq!(me.email, "ada@example.org", "emails are stored lower-cased");
    assert!(!me.is_site_admin, "only the setup token makes a site admin");
    app.csrf = Some(me.csrf_token);

    let me: Me = app.get("/me").await.json().await.unwrap();
    assert_eq!(me.display_name, "Ada Lovelace");

    let mut second = app.another_client();
    let me = second.signup("grace@example.org", "Grace Hopper").await;
    assert!(!me.is_site_admin);
}

#[tokio::test]
async fn passwords_are_stored_as_argon2id_hashes() {
    let mut app = spawn_app().await;
    app.signup("ada@example.org", "Ada").await;
    let stored: String = sqlx::query_scalar("SELECT password_hash FROM users")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert!(stored.starts_with("$argon2id$"), "{stored}");
    assert!(!stored.contains(PASSWORD));
}

#[tokio::test]
async fn signup_gives_a_personal_billing_project_with_initial_credits() {
    let mut app = spawn_app().await;
    app.signup("ada@example.org", "Ada").await;
    let (name, credits): (String, i64) = sqlx::query_as(
        "SELECT p.name, p.credits_cents FROM billing_projects p \
         JOIN billing_members m ON m.project_id = p.id WHERE m.role = 'owner'",
    )
    .fetch_one(app.store.pool())
    .await
    .unwrap();
    assert_eq!(name, "ada-personal");
    assert_eq!(credits, 30_000);
}

#[tokio::test]
async fn signup_refuses_each_bad_field_with_its_own_message_and_creates_nothing() {
    let app = spawn_app().await;
    let response = app.signup_raw("not-an-email", "   ", "short").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "validation");
    let fields: Vec<&str> = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["email", "display_name", "password"]);
    assert_eq!(app.user_count().await, 0);
}

#[tokio::test]
async fn signup_refuses_an_email_already_taken_in_any_case() {
    let mut app = spawn_app().await;
    app.signup("ada@example.org", "Ada").await;
    let other = app.another_client();
    let (status, code, _) = error_of(
        other
            .signup_raw("ADA@example.ORG", "Imposter", PASSWORD)
            .await,
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::CONFLICT, "email_taken")
    );
    assert_eq!(app.user_count().await, 1);
}

#[tokio::test]
async fn login_gives_the_same_answer_for_a_wrong_password_and_an_unknown_email() {
    let mut app = spawn_app().await;
    app.signup("ada@example.org", "Ada").await;
    let visitor = app.another_client();
    let wrong = error_of(
        visitor
            .login_raw("ada@example.org", "not the password")
            .await,
    )
    .await;
    let unknown = error_of(visitor.login_raw("nobody@example.org", PASSWORD).await).await;
    assert_eq!(wrong.0, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.1, "invalid_credentials");
    assert_eq!(wrong, unknown, "no hint about which accounts exist");
    assert_eq!(visitor.get("/me").await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn login_with_the_right_password_starts_a_session() {
    let mut app = spawn_app().await;
    app.signup("ada@example.org", "Ada").await;
    let mut later = app.another_client();
    let me = later.login("ADA@example.org").await;
    assert_eq!(me.email, "ada@example.org");
    assert_eq!(later.get("/me").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn logout_needs_the_csrf_token_then_ends_the_session() {
    let mut app = spawn_app().await;
    app.signup("ada@example.org", "Ada").await;
    let forged = app
        .client
        .post(app.url("/auth/logout"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    let (status, code, _) = error_of(forged).await;
    assert_eq!((status, code.as_str()), (StatusCode::FORBIDDEN, "csrf"));
    assert_eq!(
        app.get("/me").await.status(),
        StatusCode::OK,
        "still signed in"
    );

    let wrong_token = app
        .client
        .post(app.url("/auth/logout"))
        .header(CSRF_HEADER, "0".repeat(64))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_token.status(), StatusCode::FORBIDDEN);

    let response = app.post("/auth/logout", &json!({})).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.get("/me").await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_mutation_from_another_site_is_refused() {
    let mut app = spawn_app().await;
    app.signup("ada@example.org", "Ada").await;
    let response = app
        .client
        .post(app.url("/auth/logout"))
        .header(CSRF_HEADER, app.csrf.clone().unwrap())
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    let (status, code, _) = error_of(response).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::FORBIDDEN, "cross_site")
    );
    assert_eq!(app.get("/me").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn me_without_a_session_is_401_in_the_error_shape() {
    let app = spawn_app().await;
    let (status, code, _) = error_of(app.get("/me").await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::UNAUTHORIZED, "unauthenticated")
    );
}

#[tokio::test]
async fn repeated_sign_in_attempts_are_slowed_for_known_and_unknown_emails_alike() {
    let mut app = spawn_app().await;
    app.signup("ada@example.org", "Ada").await;
    let visitor = app.another_client();
    for email in ["ada@example.org", "nobody@example.org"] {
        for _ in 0..10 {
            let response = visitor.login_raw(email, "wrong password!").await;
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        }
        let response = visitor.login_raw(email, PASSWORD).await;
        assert!(response.headers().contains_key("retry-after"));
        let (status, code, message) = error_of(response).await;
        assert_eq!(
            (status, code.as_str()),
            (StatusCode::TOO_MANY_REQUESTS, "rate_limited")
        );
        assert!(message.contains("try again in"), "{message}");
    }
    let (status, _, _) = error_of(
        app.another_client()
            .login_raw("ADA@example.org", PASSWORD)
            .await,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "the limit is per account and address, in any case"
    );
}

#[tokio::test]
async fn concurrent_sign_ins_all_succeed() {
    let mut app = spawn_app().await;
    for i in 0..8 {
        app.another_client()
            .signup_raw(&format!("user{i}@example.org"), "User", PASSWORD)
            .await;
    }
    app.signup("ada@example.org", "Ada").await;
    let mut attempts = Vec::new();
    for round in 0..3 {
        for i in 0..8 {
            let client = app.another_client();
            attempts.push(tokio::spawn(async move {
                let email = format!("user{}@example.org", (i + round) % 8);
                client.login_raw(&email, PASSWORD).await.status()
            }));
        }
    }
    for attempt in attempts {
        assert_eq!(
            attempt.await.unwrap(),
            StatusCode::OK,
            "no sign-in fails because another one is writing"
        );
    }
}
