//! Billing projects: the last owner stays, only owners manage members.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::error_of;
use crate::sharing::owner_with_workspace;

#[tokio::test]
async fn a_billing_project_keeps_its_last_owner_and_only_owners_manage_it() {
    let (admin, owner) = owner_with_workspace().await;
    let _other = admin.new_user("u@x.org", "Use R").await;
    let (status, code, _) = error_of(
        owner
            .delete("/billing-projects/owner-personal/members/owner@lab.org")
            .await,
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::CONFLICT, "last_owner")
    );
    let added = owner
        .put(
            "/billing-projects/owner-personal/members/u@x.org",
            &json!({ "role": "user" }),
        )
        .await;
    assert_eq!(added.status(), StatusCode::OK);
    let user_client = admin.another_client();
    let mut user_client = user_client;
    user_client.login("u@x.org").await;
    let (status, code, _) = error_of(
        user_client
            .put(
                "/billing-projects/owner-personal/members/admin@carrel.test",
                &json!({ "role": "owner" }),
            )
            .await,
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::FORBIDDEN, "billing_owner_required")
    );
}

#[tokio::test]
async fn a_billing_project_shows_its_workspaces_and_its_balance_to_its_members_only() {
    let (admin, owner) = owner_with_workspace().await;
    let created = owner
        .create_workspace("owner-personal", "Another study", "registered")
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let project: serde_json::Value = owner
        .get("/billing-projects/owner-personal")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(project["credits_cents"], 30_000);
    assert_eq!(project["spend_cents"], 0);
    assert_eq!(project["workspace_count"], 2);
    let shown: Vec<(&str, &str)> = project["workspaces"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["display_name"].as_str().unwrap(),
                w["creator_name"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        shown,
        [("Another study", "Olive Owner"), ("Study", "Olive Owner")]
    );
    assert_eq!(project["workspaces"][1]["namespace"], "owner-personal");
    assert_eq!(project["workspaces"][1]["name"], "study");

    let listed: serde_json::Value = owner.get("/billing-projects").await.json().await.unwrap();
    assert_eq!(listed[0]["name"], "owner-personal");
    assert_eq!(listed[0]["workspace_count"], 2);

    let stranger = admin.new_user("s@x.org", "Stran Ger").await;
    let (status, code, message) =
        error_of(stranger.get("/billing-projects/owner-personal").await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::FORBIDDEN, "billing_member_required")
    );
    assert!(!message.contains("Another study"), "{message}");
}
