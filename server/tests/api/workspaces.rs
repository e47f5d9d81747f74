use carrel_core::api::WorkspaceList;
use reqwest::StatusCode;

use crate::helpers::{error_of, spawn_app};

#[tokio::test]
async fn a_new_user_has_an_empty_workspace_list() {
    let mut app = spawn_app().await;
    app.signup("ada@example.org", "Ada").await;
    let response = app.get("/workspaces").await;
    assert_eq!(response.status(), StatusCode::OK);
    let list: WorkspaceList = response.json().await.unwrap();
    assert!(list.workspaces.is_empty());
}

#[tokio::test]
async fn the_workspace_list_needs_a_session() {
    let app = spawn_app().await;
    let (status, code, _) = error_of(app.get("/workspaces").await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::UNAUTHORIZED, "unauthenticated")
    );
}

#[tokio::test]
async fn a_form_without_a_billing_project_is_told_to_choose_one() {
    let (_admin, owner) = crate::sharing::owner_with_workspace().await;
    let before = owner
        .get("/workspaces")
        .await
        .json::<WorkspaceList>()
        .await
        .unwrap();
    for path in [
        "/workspaces".to_owned(),
        format!("/workspaces/{}/duplicate", crate::sharing::WS),
    ] {
        let response = if path == "/workspaces" {
            owner
                .create_workspace("", "Second study", "registered")
                .await
        } else {
            owner
                .post(
                    &path,
                    &serde_json::json!({ "billing_project": " ", "display_name": "Copy" }),
                )
                .await
        };
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        let body: serde_json::Value = response.json().await.unwrap();
        let fields = body["error"]["fields"].as_array().unwrap();
        let project = fields
            .iter()
            .find(|f| f["field"] == "billing_project")
            .unwrap_or_else(|| panic!("{path}: {body}"));
        assert_eq!(
            project["message"], "Choose the billing project the workspace's costs are charged to.",
            "{path}"
        );
    }
    let after = owner
        .get("/workspaces")
        .await
        .json::<WorkspaceList>()
        .await
        .unwrap();
    assert_eq!(before, after, "nothing was created");
}

#[tokio::test]
async fn names_with_hidden_direction_marks_are_refused_and_change_nothing() {
    let (_admin, owner) = crate::sharing::owner_with_workspace().await;
    let before = owner
        .get("/workspaces")
        .await
        .json::<WorkspaceList>()
        .await
        .unwrap();
    let response = owner
        .create_workspace("owner-personal", "Study\u{202E}fdp.exe", "registered")
        .await;
    let status = response.status();
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let message = body["error"]["fields"][0]["message"].as_str().unwrap();
    assert!(message.contains("U+202E"), "{message}");
    let after = owner
        .get("/workspaces")
        .await
        .json::<WorkspaceList>()
        .await
        .unwrap();
    assert_eq!(before, after);
    let signup = crate::helpers::spawn_app().await;
    let refused = signup
        .signup_raw(
            "mallory@example.org",
            "Ana\u{2066}Lee",
            "a long enough password",
        )
        .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn names_in_any_script_or_only_emoji_get_readable_unique_url_names() {
    let (_admin, owner) = crate::sharing::owner_with_workspace().await;
    let mut names = Vec::new();
    for display_name in ["دراسة القلب", "🧬🧪", "🧬🧪"] {
        let created = owner
            .create_workspace("owner-personal", display_name, "registered")
            .await;
        assert_eq!(created.status(), StatusCode::CREATED, "{display_name}");
        let created: serde_json::Value = created.json().await.unwrap();
        assert_eq!(created["display_name"], display_name);
        names.push(created["name"].as_str().unwrap().to_owned());
    }
    assert_eq!(names, ["دراسة-القلب", "workspace", "workspace-2"]);
    let encoded: String = url_encode(&names[0]);
    let read = owner
        .get(&format!("/workspaces/owner-personal/{encoded}"))
        .await;
    assert_eq!(read.status(), StatusCode::OK);
}

fn url_encode(raw: &str) -> String {
    raw.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'-' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
