//! Getting a tier: the checklist, a request, the admin's queue and decision, renewal dates and
//! the history of every grant and revocation.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{error_of, spawn_app, TestApp};
use crate::sharing::{owner_with_workspace, WS};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

fn now_ms() -> i64 {
    i64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap()
}

async fn my_tier(app: &TestApp, tier: &str) -> Value {
    let tiers: Value = app.get("/tiers").await.json().await.unwrap();
    tiers["tiers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["tier"] == tier)
        .cloned()
        .unwrap()
}

/// Mark every requirement of `tier` done.
async fn complete_checklist(app: &TestApp, tier: &str) {
    let standing = my_tier(app, tier).await;
    for item in standing["requirements"].as_array().unwrap() {
        let id = item["requirement"]["id"].as_i64().unwrap();
        let done = app
            .put(&format!("/tiers/requirements/{id}/completion"), &json!({}))
            .await;
        assert_eq!(done.status(), StatusCode::OK);
    }
}

async fn admin_and_newcomer() -> (TestApp, TestApp) {
    let mut admin = spawn_app().await;
    admin.signup_admin("admin@carrel.test", "Ada Admin").await;
    let newcomer = admin.new_user("new@lab.org", "Nia New").await;
    (admin, newcomer)
}

#[tokio::test]
async fn a_newcomer_completes_the_checklist_asks_and_is_granted_until_a_renewal_date() {
    let (admin, newcomer) = admin_and_newcomer().await;
    let registered = my_tier(&newcomer, "registered").await;
    assert_eq!(registered["held"], false);
    let kinds: Vec<&str> = registered["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["requirement"]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["identity", "training", "data_use_agreement"]);

    let early = newcomer
        .post(
            "/tiers/registered/requests",
            &json!({ "note": "PhD student" }),
        )
        .await;
    let (status, code, message) = error_of(early).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::CONFLICT, "tier_requirements_incomplete")
    );
    assert!(message.contains("Verify your identity"), "{message}");

    complete_checklist(&newcomer, "registered").await;
    let asked = newcomer
        .post(
            "/tiers/registered/requests",
            &json!({ "note": "PhD student" }),
        )
        .await;
    assert_eq!(asked.status(), StatusCode::CREATED);
    let again = newcomer
        .post("/tiers/registered/requests", &json!({}))
        .await;
    assert_eq!(error_of(again).await.1, "tier_request_pending");
    let standing = my_tier(&newcomer, "registered").await;
    assert_eq!(standing["latest_request"]["status"], "pending");

    let (status, code, _) = error_of(newcomer.get("/admin/tier-requests").await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::FORBIDDEN, "site_admin_required")
    );
    let queue: Value = admin
        .get("/admin/tier-requests")
        .await
        .json()
        .await
        .unwrap();
    let request = &queue[0];
    assert_eq!(request["email"], "new@lab.org");
    assert_eq!(request["note"], "PhD student");
    assert!(request["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .all(|item| item["completed_at"].is_i64()));

    let renewal = now_ms() + 365 * DAY_MS;
    let id = request["id"].as_i64().unwrap();
    let decided = admin
        .post(
            &format!("/admin/tier-requests/{id}/decision"),
            &json!({ "grant": true, "reason": "Checklist complete", "expires_at": renewal }),
        )
        .await;
    assert_eq!(decided.status(), StatusCode::OK);
    let decided: Value = decided.json().await.unwrap();
    assert_eq!(decided["status"], "granted");
    assert_eq!(decided["decided_by"], "admin@carrel.test");

    let standing = my_tier(&newcomer, "registered").await;
    assert_eq!(standing["held"], true);
    assert_eq!(standing["expires_at"], renewal);
    let me: Value = newcomer.get("/me").await.json().await.unwrap();
    assert_eq!(me["tiers"], json!(["registered"]));
    let queue: Value = admin
        .get("/admin/tier-requests")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(queue, json!([]));
    let history: Value = admin
        .get("/admin/tier-history?email=new@lab.org")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(history[0]["event"], "granted");
    assert_eq!(history[0]["by"], "admin@carrel.test");
    assert_eq!(history[0]["reason"], "Checklist complete");
    assert_eq!(history[0]["expires_at"], renewal);
}

#[tokio::test]
async fn the_controlled_tier_needs_the_registered_tier() {
    let (admin, newcomer) = admin_and_newcomer().await;
    let refused = admin
        .post(
            "/admin/users/new@lab.org/tiers",
            &json!({ "tier": "controlled" }),
        )
        .await;
    let (status, code, _) = error_of(refused).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::CONFLICT, "tier_needs_registered")
    );
    complete_checklist(&newcomer, "controlled").await;
    let asked = newcomer
        .post("/tiers/controlled/requests", &json!({}))
        .await;
    assert_eq!(error_of(asked).await.1, "tier_needs_registered");

    admin.grant_tier("new@lab.org", "registered").await;
    admin.grant_tier("new@lab.org", "controlled").await;
    let revoke_first = admin
        .delete("/admin/users/new@lab.org/tiers/registered?reason=Left%20the%20lab")
        .await;
    let (status, code, _) = error_of(revoke_first).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::CONFLICT, "tier_controlled_still_held")
    );
    let me: Value = newcomer.get("/me").await.json().await.unwrap();
    assert_eq!(me["tiers"], json!(["registered", "controlled"]));
    let revoked = admin
        .delete("/admin/users/new@lab.org/tiers/controlled?reason=Left%20the%20lab")
        .await;
    assert_eq!(revoked.status(), StatusCode::OK);
    let history: Value = admin.get("/admin/tier-history").await.json().await.unwrap();
    assert_eq!(history[0]["event"], "revoked");
    assert_eq!(history[0]["reason"], "Left the lab");
    assert_eq!(history[0]["tier"], "controlled");
}

#[tokio::test]
async fn a_denial_gives_its_reason_to_the_person_and_is_decided_once() {
    let (admin, newcomer) = admin_and_newcomer().await;
    complete_checklist(&newcomer, "registered").await;
    newcomer
        .post("/tiers/registered/requests", &json!({}))
        .await;
    let queue: Value = admin
        .get("/admin/tier-requests")
        .await
        .json()
        .await
        .unwrap();
    let decision = format!("/admin/tier-requests/{}/decision", queue[0]["id"]);
    let terse = admin
        .post(&decision, &json!({ "grant": false, "reason": "no" }))
        .await;
    let (status, code, _) = error_of(terse).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::BAD_REQUEST, "validation")
    );
    assert_eq!(
        my_tier(&newcomer, "registered").await["latest_request"]["status"],
        "pending"
    );

    let reason = "The training certificate is from another site; upload ours.";
    let denied = admin
        .post(&decision, &json!({ "grant": false, "reason": reason }))
        .await;
    assert_eq!(denied.status(), StatusCode::OK);
    let standing = my_tier(&newcomer, "registered").await;
    assert_eq!(standing["held"], false);
    assert_eq!(standing["latest_request"]["status"], "denied");
    assert_eq!(standing["latest_request"]["reason"], reason);
    let twice = admin
        .post(&decision, &json!({ "grant": true, "reason": "" }))
        .await;
    assert_eq!(error_of(twice).await.1, "tier_request_decided");
    let history: Value = admin.get("/admin/tier-history").await.json().await.unwrap();
    assert_eq!(history[0]["event"], "denied");
    // Denied, they may ask again.
    let again = newcomer
        .post("/tiers/registered/requests", &json!({}))
        .await;
    assert_eq!(again.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_grant_past_its_renewal_date_no_longer_opens_workspaces_and_its_end_is_kept() {
    let (admin, owner) = owner_with_workspace().await;
    let past = admin
        .post(
            "/admin/users/owner@lab.org/tiers",
            &json!({ "tier": "registered", "expires_at": now_ms() - DAY_MS }),
        )
        .await;
    let (status, code, _) = error_of(past).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::BAD_REQUEST, "validation")
    );
    let renewed = admin
        .post(
            "/admin/users/owner@lab.org/tiers",
            &json!({ "tier": "registered", "expires_at": now_ms() + DAY_MS, "reason": "Renewed" }),
        )
        .await;
    assert_eq!(renewed.status(), StatusCode::OK);
    assert_eq!(
        owner.get(&format!("/workspaces/{WS}")).await.status(),
        StatusCode::OK
    );
    // A renewal is due within 30 days: the owner may ask again.
    complete_checklist(&owner, "registered").await;
    let renewal = owner.post("/tiers/registered/requests", &json!({})).await;
    assert_eq!(renewal.status(), StatusCode::CREATED);

    sqlx::query("UPDATE user_tiers SET expires_at = $1")
        .bind(now_ms() - 1)
        .execute(admin.store.pool())
        .await
        .unwrap();
    let (status, code, _) = error_of(owner.get(&format!("/workspaces/{WS}")).await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::FORBIDDEN, "tier_registered_required")
    );
    let limits = carrel_server::config::Limits::default();
    let swept = carrel_server::janitor::sweep(&admin.store, &limits)
        .await
        .unwrap();
    assert_eq!(swept.tier_grants, 1);
    let history: Value = admin.get("/admin/tier-history").await.json().await.unwrap();
    assert_eq!(history[0]["event"], "expired");
    assert_eq!(history[0]["by"], Value::Null);
}

#[tokio::test]
async fn site_admins_configure_the_checklist_and_people_see_it() {
    let (admin, newcomer) = admin_and_newcomer().await;
    let blank = admin
        .post(
            "/admin/tier-requirements",
            &json!({ "tier": "registered", "kind": "training", "title": "  " }),
        )
        .await;
    let (status, code, _) = error_of(blank).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::BAD_REQUEST, "validation")
    );
    let by_newcomer = newcomer
        .post(
            "/admin/tier-requirements",
            &json!({ "tier": "registered", "kind": "training", "title": "Mine" }),
        )
        .await;
    assert_eq!(by_newcomer.status(), StatusCode::FORBIDDEN);
    let added = admin
        .post(
            "/admin/tier-requirements",
            &json!({ "tier": "registered", "kind": "training", "title": "Genomics primer", "details": "30 minutes" }),
        )
        .await;
    assert_eq!(added.status(), StatusCode::CREATED);
    let added: Value = added.json().await.unwrap();
    let titles = |tier: Value| -> Vec<String> {
        tier["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| item["requirement"]["title"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(titles(my_tier(&newcomer, "registered").await).contains(&"Genomics primer".to_owned()));
    let removed = admin
        .delete(&format!("/admin/tier-requirements/{}", added["id"]))
        .await;
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    assert!(!titles(my_tier(&newcomer, "registered").await).contains(&"Genomics primer".to_owned()));
    let gone = admin
        .delete(&format!("/admin/tier-requirements/{}", added["id"]))
        .await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
}
