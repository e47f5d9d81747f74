//! Races found by probing, run often enough to have caught each before its fix, on whichever
//! database the suite runs against (SQLite, and PostgreSQL under `cargo xtask test`).

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, user, TestApp, PASSWORD};

async fn two_owners() -> (TestApp, TestApp, TestApp, &'static str) {
    let mut admin = spawn_app().await;
    admin.signup_admin("admin@carrel.test", "Admin").await;
    let first = admin.new_user("first@lab.org", "First").await;
    let second = admin.new_user("second@lab.org", "Second").await;
    admin.grant_tier("first@lab.org", "registered").await;
    admin.grant_tier("second@lab.org", "registered").await;
    first
        .create_workspace("first-personal", "Raced", "registered")
        .await;
    let ws = "first-personal/raced";
    let response = first
        .share(
            ws,
            json!([{ "op": "set", "principal": user("second@lab.org"), "role": "owner" }]),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    (admin, first, second, ws)
}

fn set(email: &str, role: &str) -> Value {
    json!({ "op": "set", "principal": user(email), "role": role })
}

#[tokio::test]
async fn batches_touching_the_same_grants_in_opposite_orders_never_fail_with_500() {
    let (_admin, first, second, ws) = two_owners().await;
    let path = format!("/workspaces/{ws}/acl");
    for round in 0..25 {
        let role = if round % 2 == 0 { "writer" } else { "reader" };
        let version = first.acl_version(ws).await;
        let forward = json!({ "version": version, "changes": [set("a@x.org", role), set("b@x.org", role), set("c@x.org", role)] });
        let backward = json!({ "version": version, "changes": [set("c@x.org", role), set("b@x.org", role), set("a@x.org", role)] });
        let (one, two) = tokio::join!(first.patch(&path, &forward), second.patch(&path, &backward));
        let statuses = [one.status(), two.status()];
        assert!(
            statuses
                .iter()
                .all(|s| *s == StatusCode::OK || *s == StatusCode::CONFLICT),
            "round {round}: {statuses:?}"
        );
        assert_eq!(
            statuses.iter().filter(|s| **s == StatusCode::OK).count(),
            1,
            "round {round}: exactly one batch applies ({statuses:?})"
        );
    }
}

#[tokio::test]
async fn a_removal_racing_an_invitations_activation_never_claims_a_success_it_did_not_have() {
    let (admin, first, _second, ws) = two_owners().await;
    let path = format!("/workspaces/{ws}/acl");
    // The activation commits at the end of a sign-up: time one, then start each removal so
    // that its read-then-write falls at a different moment around that commit.
    let started = std::time::Instant::now();
    let timed = admin
        .another_client()
        .signup_raw("timing@x.org", "Timing", PASSWORD)
        .await;
    assert_eq!(timed.status(), StatusCode::CREATED);
    let sign_up_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(0);
    for round in 0..40u64 {
        let email = format!("invitee{round}@x.org");
        let invited = first.share(ws, json!([set(&email, "reader")])).await;
        assert_eq!(invited.status(), StatusCode::OK);
        let version = first.acl_version(ws).await;
        let removal = json!({ "version": version, "changes": [{ "op": "remove", "principal": user(&email) }] });
        let newcomer = admin.another_client();
        let delay = std::time::Duration::from_millis(sign_up_ms.saturating_sub(20) + round % 25);
        let (removed, signed_up) = tokio::join!(
            async {
                tokio::time::sleep(delay).await;
                first.patch(&path, &removal).await
            },
            newcomer.signup_raw(&email, "Invitee", PASSWORD)
        );
        assert_eq!(signed_up.status(), StatusCode::CREATED, "round {round}");
        let acl: Value = first.get(&path).await.json().await.unwrap();
        let still_there = acl["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|entry| entry["who"]["reference"]["email"] == email.as_str());
        match removed.status() {
            StatusCode::OK => assert!(
                !still_there,
                "round {round}: removal said done, grant stayed"
            ),
            StatusCode::CONFLICT => {
                assert!(still_there, "round {round}: stale, so nothing removed")
            }
            other => panic!("round {round}: removal answered {other}"),
        }
    }
}

#[tokio::test]
async fn two_sign_ups_racing_with_the_setup_token_make_one_site_admin() {
    for round in 0..8 {
        let app = spawn_app().await;
        let token = carrel_server::config::TEST_SETUP_TOKEN;
        let body = |email: &str| json!({ "email": email, "display_name": "Racer", "password": PASSWORD, "setup_token": token });
        let (racer_one, racer_two) = (app.another_client(), app.another_client());
        let (body_one, body_two) = (body("one@x.org"), body("two@x.org"));
        let (one, two) = tokio::join!(
            racer_one.post("/auth/signup", &body_one),
            racer_two.post("/auth/signup", &body_two)
        );
        let mut statuses = [one.status(), two.status()];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::CREATED, StatusCode::BAD_REQUEST],
            "round {round}"
        );
        let admins: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE is_site_admin = 1")
            .fetch_one(app.store.pool())
            .await
            .unwrap();
        assert_eq!(admins, 1, "round {round}");
    }
}
