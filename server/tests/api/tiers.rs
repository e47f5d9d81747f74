//! Data-access tiers: only site admins grant them, and every grant, revocation and group or billing change is audited.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{error_of, TestApp};
use crate::sharing::{owner_with_workspace, WS};

#[tokio::test]
async fn only_site_admins_grant_tiers() {
    let (admin, owner) = owner_with_workspace().await;
    let response = owner
        .post(
            "/admin/users/owner@lab.org/tiers",
            &json!({ "tier": "controlled" }),
        )
        .await;
    let (status, code, _) = error_of(response).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::FORBIDDEN, "site_admin_required")
    );
    let revoked = admin
        .delete("/admin/users/owner@lab.org/tiers/registered?reason=Left%20the%20project")
        .await;
    assert_eq!(revoked.status(), StatusCode::OK);
    let (status, code, _) = error_of(owner.get(&format!("/workspaces/{WS}")).await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::FORBIDDEN, "tier_registered_required")
    );
}

#[tokio::test]
async fn group_billing_and_tier_changes_are_audited_and_refusals_are_not() {
    let (admin, owner) = owner_with_workspace().await;
    let site_events = |app: &TestApp| {
        let pool = app.store.pool().clone();
        async move {
            let rows: Vec<(String, String)> = sqlx::query_as(
                "SELECT action, detail FROM audit_events WHERE workspace_id IS NULL ORDER BY id",
            )
            .fetch_all(&pool)
            .await
            .unwrap();
            rows
        }
    };
    let before = site_events(&owner).await.len();
    owner.post("/groups", &json!({ "name": "club" })).await;
    owner
        .put(
            "/billing-projects/owner-personal/members/admin@carrel.test",
            &json!({ "role": "user" }),
        )
        .await;
    admin.grant_tier("owner@lab.org", "controlled").await;
    let refused = owner
        .post(
            "/admin/users/owner@lab.org/tiers",
            &json!({ "tier": "controlled" }),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let events = site_events(&owner).await;
    let actions: Vec<&str> = events[before..].iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(
        actions,
        ["group.create", "billing.set_member", "tier.grant"]
    );
    assert!(events.last().unwrap().1.contains("owner@lab.org"));
}
