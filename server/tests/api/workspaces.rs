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
