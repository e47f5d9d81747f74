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
