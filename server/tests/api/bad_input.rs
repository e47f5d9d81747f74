//! Bad input on every endpoint that takes a body, taken from the OpenAPI document: malformed,
//! mistyped, oversized and hostile values each get a specific 4xx, and the database is unchanged.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{error_of, spawn_app, user, TestApp};

const TABLES: [&str; 16] = [
    "users",
    "user_tiers",
    "sessions",
    "billing_projects",
    "billing_members",
    "workspaces",
    "workspace_grants",
    "groups",
    "group_members",
    "group_subgroups",
    "group_requests",
    "audit_events",
    "directory_entries",
    "entity_types",
    "entities",
    "workspace_attributes",
];

async fn snapshot(app: &TestApp) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in TABLES {
        let count: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(app.store.pool())
            .await
            .unwrap();
        counts.push(count);
    }
    counts
}

/// A concrete path for a documented template, naming things that exist.
fn concrete(template: &str) -> String {
    template
        .replace("{namespace}", "owner-personal")
        .replace(
            "/workspaces/owner-personal/{name}",
            "/workspaces/owner-personal/study",
        )
        .replace(
            "/billing-projects/{name}",
            "/billing-projects/owner-personal",
        )
        .replace("/groups/{name}", "/groups/club")
        .replace("{email}", "reader@lab.org")
        .replace("{principal}", "reader@lab.org")
        .replace("{tier}", "registered")
        .replace("{id}", "1")
}

/// The site admin (who keeps the test database alive) and an owner with a workspace and a group.
async fn world() -> (TestApp, TestApp) {
    let mut admin = spawn_app().await;
    admin.signup_admin("admin@carrel.test", "Admin").await;
    let owner = admin.new_user("owner@lab.org", "Owner").await;
    admin.new_user("reader@lab.org", "Reader").await;
    admin.grant_tier("owner@lab.org", "registered").await;
    assert_eq!(
        owner
            .create_workspace("owner-personal", "Study", "registered")
            .await
            .status(),
        StatusCode::CREATED
    );
    assert_eq!(
        owner
            .post("/groups", &json!({ "name": "club" }))
            .await
            .status(),
        StatusCode::CREATED
    );
    (admin, owner)
}

#[tokio::test]
async fn malformed_mistyped_and_oversized_bodies_change_nothing() {
    let (_admin, owner) = world().await;
    let document: Value = owner.get("/openapi.json").await.json().await.unwrap();
    let before = snapshot(&owner).await;
    let huge = format!("{{\"name\": \"{}\"}}", "x".repeat(10 * 1024 * 1024));
    let mut checked = 0;
    for (template, operations) in document["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            // JSON bodies only: an upload's body is the file's bytes (its refusals are
            // tested in files.rs).
            if operation["requestBody"]["content"]
                .get("application/json")
                .is_none()
            {
                continue;
            }
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let url = owner.url(&concrete(template));
            let send = |body: String| {
                owner
                    .client
                    .request(method.clone(), &url)
                    .header("content-type", "application/json")
                    .header("x-csrf-token", owner.csrf.clone().unwrap())
                    .body(body)
                    .send()
            };
            let cases = [
                (
                    "{,: not json".to_owned(),
                    StatusCode::BAD_REQUEST,
                    "malformed_json",
                ),
                (
                    "{\"unexpected\": [1, 2, 3]}".to_owned(),
                    StatusCode::BAD_REQUEST,
                    "invalid_body",
                ),
                (
                    huge.clone(),
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "payload_too_large",
                ),
            ];
            for (body, status, code) in cases {
                let response = send(body).await.unwrap();
                let (got_status, got_code, _) = error_of(response).await;
                assert_eq!(
                    (got_status, got_code.as_str()),
                    (status, code),
                    "{method} {template}"
                );
                checked += 1;
            }
        }
    }
    assert!(
        checked >= 3 * 13,
        "every endpoint with a body was tried: {checked}"
    );
    assert_eq!(
        snapshot(&owner).await,
        before,
        "nothing changed in the database"
    );
}

#[tokio::test]
async fn hostile_values_are_refused_specifically_and_change_nothing() {
    let (_admin, owner) = world().await;
    let before = snapshot(&owner).await;
    let cases: Vec<(Method, String, Value, StatusCode, &str)> = vec![
        (
            Method::POST,
            "/groups".into(),
            json!({ "name": "x'; DROP TABLE users;--" }),
            StatusCode::BAD_REQUEST,
            "validation",
        ),
        (
            Method::POST,
            "/billing-projects".into(),
            json!({ "name": "Robert'); DROP TABLE billing_projects;--" }),
            StatusCode::BAD_REQUEST,
            "validation",
        ),
        (
            Method::POST,
            "/workspaces".into(),
            json!({ "billing_project": "owner-personal", "display_name": "bad\u{0}name", "tier": "registered", "research_purpose": crate::helpers::research_purpose() }),
            StatusCode::BAD_REQUEST,
            "validation",
        ),
        (
            Method::POST,
            "/workspaces".into(),
            json!({ "billing_project": "' OR 1=1 --", "display_name": "研究 🧬", "tier": "registered", "research_purpose": crate::helpers::research_purpose() }),
            StatusCode::BAD_REQUEST,
            "validation",
        ),
        (
            Method::POST,
            "/workspaces".into(),
            json!({ "billing_project": "owner-personal", "display_name": "Fine", "tier": "secret", "research_purpose": {} }),
            StatusCode::BAD_REQUEST,
            "invalid_body",
        ),
        (
            Method::PUT,
            "/groups/club/members/'%20OR%201=1--".into(),
            json!({ "role": "member" }),
            StatusCode::BAD_REQUEST,
            "validation",
        ),
        (
            Method::PUT,
            "/groups/club/members/nobody@x.org".into(),
            json!({ "role": "emperor" }),
            StatusCode::BAD_REQUEST,
            "invalid_body",
        ),
        (
            Method::PATCH,
            "/workspaces/owner-personal/study/acl".into(),
            json!({ "version": 1, "changes": [{ "op": "set", "principal": user("a@b.c'--"), "role": "reader" }] }),
            StatusCode::BAD_REQUEST,
            "unknown_principal",
        ),
        (
            Method::PATCH,
            "/workspaces/owner-personal/study/acl".into(),
            json!({ "version": 1, "changes": [] }),
            StatusCode::BAD_REQUEST,
            "validation",
        ),
        (
            Method::PATCH,
            "/workspaces/owner-personal/study".into(),
            json!({ "about_version": 0, "display_name": "x".repeat(81) }),
            StatusCode::BAD_REQUEST,
            "validation",
        ),
        (
            Method::POST,
            "/admin/users/'%3B%20DROP%20TABLE%20users/tiers".into(),
            json!({ "tier": "controlled" }),
            StatusCode::FORBIDDEN,
            "site_admin_required",
        ),
        (
            Method::GET,
            "/workspaces/'%20OR%201=1--/x".into(),
            Value::Null,
            StatusCode::NOT_FOUND,
            "not_found",
        ),
    ];
    for (method, path, body, status, code) in cases {
        let body = (!body.is_null()).then_some(body);
        let response = owner.send(method.clone(), &path, body.as_ref()).await;
        let (got_status, got_code, message) = error_of(response).await;
        assert_eq!(
            (got_status, got_code.as_str()),
            (status, code),
            "{method} {path}: {message}"
        );
    }
    let found: Value = owner
        .get("/users?q=%25'%20OR%201=1%20--")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found, json!([]), "search treats SQL as text");
    assert_eq!(
        snapshot(&owner).await,
        before,
        "nothing changed in the database"
    );
}
