//! Holes found by probing, each closed and kept closed: authorization before any data, the
//! first admin, sign-in throttling shared by replicas, bounded hashing, sessions, headers,
//! disclosure, and the ACL size cap.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{
    error_of, group, spawn_app, spawn_app_with, spawn_replica, user, TestApp, PASSWORD,
};

/// The header the tests' servers trust for the client's address, to play several addresses.
const CLIENT_HEADER: &str = "x-test-client";

async fn login_from(
    app: &TestApp,
    address: &str,
    email: &str,
    password: &str,
) -> reqwest::Response {
    app.client
        .post(app.url("/auth/login"))
        .header(CLIENT_HEADER, address)
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap()
}

/// An admin, an owner with a workspace, and a stranger who holds the Registered Tier.
async fn owner_and_stranger() -> (TestApp, TestApp, TestApp, &'static str) {
    let mut admin = spawn_app().await;
    admin.signup_admin("admin@carrel.test", "Admin").await;
    let owner = admin.new_user("owner@lab.org", "Owner").await;
    let stranger = admin.new_user("stranger@else.org", "Stranger").await;
    admin.grant_tier("owner@lab.org", "registered").await;
    admin.grant_tier("stranger@else.org", "registered").await;
    let created = owner
        .create_workspace("owner-personal", "Private", "registered")
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let ws = "owner-personal/private";
    let shared = owner
        .share(
            ws,
            json!([{ "op": "set", "principal": user("friend@lab.org"), "role": "writer" }]),
        )
        .await;
    assert_eq!(shared.status(), StatusCode::OK);
    (admin, owner, stranger, ws)
}

#[tokio::test]
async fn a_stranger_learns_nothing_of_an_acl_through_a_stale_or_refused_change() {
    let (_admin, _owner, stranger, ws) = owner_and_stranger().await;
    for changes in [
        json!([{ "op": "set", "principal": user("x@y.org"), "role": "reader" }]),
        json!([{ "op": "set", "principal": group("no-such-group"), "role": "reader" }]),
    ] {
        for version in [0, 1, 99] {
            let response = stranger
                .patch(
                    &format!("/workspaces/{ws}/acl"),
                    &json!({ "version": version, "changes": changes }),
                )
                .await;
            assert_eq!(response.status(), StatusCode::FORBIDDEN);
            let body = response.text().await.unwrap();
            assert!(!body.contains("friend@lab.org"), "{body}");
            assert!(!body.contains("owner@lab.org"), "{body}");
            assert!(!body.contains("unknown_group"), "{body}");
            let body: Value = serde_json::from_str(&body).unwrap();
            assert_eq!(body["error"]["refusals"][0]["code"], "no_access", "{body}");
            assert!(body["error"].get("current").is_none_or(Value::is_null));
        }
    }
}

#[tokio::test]
async fn a_reader_without_can_share_is_refused_before_principals_are_looked_up() {
    let (admin, owner, _stranger, ws) = owner_and_stranger().await;
    let reader = admin.new_user("reader@lab.org", "Reader").await;
    admin.grant_tier("reader@lab.org", "registered").await;
    let shared = owner
        .share(
            ws,
            json!([{ "op": "set", "principal": user("reader@lab.org"), "role": "reader" }]),
        )
        .await;
    assert_eq!(shared.status(), StatusCode::OK);
    let response = reader
        .patch(
            &format!("/workspaces/{ws}/acl"),
            &json!({ "version": 0, "changes": [
                { "op": "set", "principal": group("no-such-group"), "role": "reader" }] }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body["error"]["refusals"][0]["code"], "can_share_required",
        "{body}"
    );
    assert!(body["error"].get("current").is_none_or(Value::is_null));
}

#[tokio::test]
async fn why_do_i_have_access_answers_only_people_with_access() {
    let (_admin, owner, stranger, ws) = owner_and_stranger().await;
    let (status, code, _) =
        error_of(stranger.get(&format!("/workspaces/{ws}/permissions")).await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::FORBIDDEN, "no_access")
    );
    let mine = owner.get(&format!("/workspaces/{ws}/permissions")).await;
    assert_eq!(mine.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_non_member_sees_a_group_but_not_its_members() {
    let mut admin = spawn_app().await;
    admin.signup_admin("admin@carrel.test", "Admin").await;
    let lead = admin.new_user("lead@lab.org", "Lead").await;
    let outsider = admin.new_user("outsider@else.org", "Outsider").await;
    admin.grant_tier("lead@lab.org", "registered").await;
    assert_eq!(
        lead.post("/groups", &json!({ "name": "lab" }))
            .await
            .status(),
        StatusCode::CREATED
    );
    let seen: Value = outsider.get("/groups/lab").await.json().await.unwrap();
    assert_eq!(seen["name"], "lab");
    assert_eq!(seen["members"], json!([]), "{seen}");
    let own: Value = lead.get("/groups/lab").await.json().await.unwrap();
    assert_eq!(own["members"][0]["email"], "lead@lab.org");
    let as_admin: Value = admin.get("/groups/lab").await.json().await.unwrap();
    assert_eq!(as_admin["members"][0]["email"], "lead@lab.org");
    // Removing someone says "not allowed" before it says whether they have an account.
    for email in ["lead@lab.org", "nobody@nowhere.org"] {
        let (status, _, _) = error_of(
            outsider
                .delete(&format!("/groups/lab/members/{email}"))
                .await,
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{email}");
    }
}

#[tokio::test]
async fn the_first_admin_comes_from_the_setup_token_not_from_signing_up_first() {
    let mut first = spawn_app().await;
    let me = first.signup("first@example.org", "First").await;
    assert!(!me.is_site_admin, "signing up first makes nobody an admin");
    let mut wrong = first.another_client();
    let refused = wrong
        .post(
            "/auth/signup",
            &json!({ "email": "w@example.org", "display_name": "W", "password": PASSWORD,
                     "setup_token": "not-the-token" }),
        )
        .await;
    let (status, code, _) = error_of(refused).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::BAD_REQUEST, "validation")
    );
    assert_eq!(
        first.user_count().await,
        1,
        "a refused sign-up writes nothing"
    );
    let admin = wrong.signup_admin("admin@example.org", "Admin").await;
    assert!(admin.is_site_admin);
    let again = first
        .another_client()
        .post(
            "/auth/signup",
            &json!({ "email": "late@example.org", "display_name": "Late", "password": PASSWORD,
                     "setup_token": carrel_server::config::TEST_SETUP_TOKEN }),
        )
        .await;
    assert_eq!(
        again.status(),
        StatusCode::BAD_REQUEST,
        "the token works once"
    );
}

#[tokio::test]
async fn failed_sign_ins_are_throttled_per_pair_and_address_but_not_for_the_victim_elsewhere() {
    let mut app = spawn_app_with(|config| {
        config.client_address_header = Some(CLIENT_HEADER.to_owned());
        config.limits.sign_in.per_account_and_address = 3;
        config.limits.sign_in.per_address = 6;
        config.limits.sign_in.per_account = 5;
    })
    .await;
    app.signup("victim@example.org", "Victim").await;
    let attacker = app.another_client();
    for _ in 0..3 {
        let response =
            login_from(&attacker, "10.0.0.1", "victim@example.org", "wrong guess!").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let limited = login_from(&attacker, "10.0.0.1", "victim@example.org", PASSWORD).await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry), "Retry-After {retry}");

    // Spraying other accounts from the same address runs out too.
    for i in 0..3 {
        let response = login_from(
            &attacker,
            "10.0.0.1",
            &format!("other{i}@example.org"),
            "guess!!!!!",
        )
        .await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let sprayed = login_from(&attacker, "10.0.0.1", "fresh@example.org", "guess!!!!!").await;
    assert_eq!(sprayed.status(), StatusCode::TOO_MANY_REQUESTS);

    // More failures against the victim from other addresses pass the account's limit …
    for address in ["10.0.0.2", "10.0.0.3"] {
        let response = login_from(&attacker, address, "victim@example.org", "wrong guess!").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let failed_before = login_from(&attacker, "10.0.0.2", "victim@example.org", PASSWORD).await;
    assert_eq!(
        failed_before.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "an address that failed against the account waits"
    );
    // … yet the victim, from an address that never failed, signs in with the right password.
    let victim = login_from(
        &app.another_client(),
        "192.168.1.9",
        "victim@example.org",
        PASSWORD,
    )
    .await;
    assert_eq!(victim.status(), StatusCode::OK);
}

#[tokio::test]
async fn replicas_share_one_sign_in_allowance() {
    let configure = |config: &mut carrel_server::Config| {
        config.client_address_header = Some(CLIENT_HEADER.to_owned());
        config.limits.sign_in.per_account_and_address = 4;
    };
    let mut first = spawn_app_with(configure).await;
    first.signup("ada@example.org", "Ada").await;
    let second = spawn_replica(&first, configure).await;
    for replica in [&first, &second, &first, &second] {
        let response = login_from(replica, "10.1.1.1", "ada@example.org", "wrong guess!").await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    for replica in [&first, &second] {
        let response = login_from(replica, "10.1.1.1", "ada@example.org", PASSWORD).await;
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    }
}

#[tokio::test]
async fn sign_ups_from_one_address_are_limited() {
    let app = spawn_app_with(|config| config.limits.signups_per_address_per_hour = 2).await;
    for i in 0..2 {
        let response = app
            .another_client()
            .signup_raw(&format!("u{i}@example.org"), "User", PASSWORD)
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let refused = app
        .another_client()
        .signup_raw("u9@example.org", "User", PASSWORD)
        .await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.headers().contains_key("retry-after"));
    assert_eq!(app.user_count().await, 2);
}

#[tokio::test]
async fn password_hashing_is_bounded_and_an_overflow_is_told_to_retry() {
    let mut app = spawn_app_with(|config| {
        config.limits.password_workers = 1;
        config.limits.password_queue = Duration::from_millis(1);
    })
    .await;
    app.signup("ada@example.org", "Ada").await;
    let mut attempts = Vec::new();
    for _ in 0..12 {
        let client = app.another_client();
        attempts.push(tokio::spawn(async move {
            let response = client.login_raw("ada@example.org", PASSWORD).await;
            let retry = response.headers().get("retry-after").cloned();
            (response.status(), retry)
        }));
    }
    let mut busy = 0;
    for attempt in attempts {
        let (status, retry) = attempt.await.unwrap();
        match status {
            StatusCode::OK => {}
            StatusCode::SERVICE_UNAVAILABLE => {
                busy += 1;
                assert!(retry.is_some(), "503 carries Retry-After");
            }
            other => panic!("unexpected {other}"),
        }
    }
    assert!(
        busy > 0,
        "one worker and no queue: some sign-ins must be told to retry"
    );
}

#[tokio::test]
async fn sign_out_everywhere_ends_every_session() {
    let mut app = spawn_app().await;
    app.signup("ada@example.org", "Ada").await;
    let mut laptop = app.another_client();
    laptop.login("ada@example.org").await;
    let response = app.post("/auth/logout-everywhere", &json!({})).await;
    assert_eq!(response.status(), StatusCode::OK);
    let ended: Value = response.json().await.unwrap();
    assert_eq!(ended["ended"], 2);
    assert_eq!(app.get("/me").await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(laptop.get("/me").await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_ends_other_sessions() {
    let mut app = spawn_app().await;
    app.signup("ada@example.org", "Ada").await;
    let mut laptop = app.another_client();
    laptop.login("ada@example.org").await;
    let wrong = app
        .post(
            "/me/password",
            &json!({ "current_password": "not my password", "new_password": "a brand new password" }),
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    let changed = app
        .post(
            "/me/password",
            &json!({ "current_password": PASSWORD, "new_password": "a brand new password" }),
        )
        .await;
    assert_eq!(changed.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/me").await.status(),
        StatusCode::OK,
        "this session stays"
    );
    assert_eq!(laptop.get("/me").await.status(), StatusCode::UNAUTHORIZED);
    let visitor = app.another_client();
    assert_eq!(
        visitor
            .login_raw("ada@example.org", PASSWORD)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        visitor
            .login_raw("ada@example.org", "a brand new password")
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_site_admin_makes_a_one_time_reset_link() {
    let mut admin = spawn_app().await;
    admin.signup_admin("admin@carrel.test", "Admin").await;
    let ada = admin.new_user("ada@example.org", "Ada").await;
    let (status, _, _) = error_of(
        ada.post("/admin/users/admin@carrel.test/password-reset", &json!({}))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "only site admins make links");
    let link: Value = admin
        .post("/admin/users/ada@example.org/password-reset", &json!({}))
        .await
        .json()
        .await
        .unwrap();
    let token = link["token"].as_str().unwrap().to_owned();
    let visitor = admin.another_client();
    let reset = visitor
        .post(
            "/auth/reset-password",
            &json!({ "token": token, "new_password": "a brand new password" }),
        )
        .await;
    assert_eq!(reset.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        ada.get("/me").await.status(),
        StatusCode::UNAUTHORIZED,
        "sessions end"
    );
    let again = visitor
        .post(
            "/auth/reset-password",
            &json!({ "token": token, "new_password": "another new password" }),
        )
        .await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST, "a link works once");
    assert_eq!(
        visitor
            .login_raw("ada@example.org", "a brand new password")
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn housekeeping_deletes_expired_sessions_and_passed_throttle_windows() {
    let mut app = spawn_app().await;
    app.signup("ada@example.org", "Ada").await;
    let visitor = app.another_client();
    assert_eq!(
        visitor
            .login_raw("ada@example.org", "wrong guess!")
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    sqlx::query("UPDATE sessions SET expires_at = 1")
        .execute(app.store.pool())
        .await
        .unwrap();
    sqlx::query("UPDATE throttle SET window_start = 1")
        .execute(app.store.pool())
        .await
        .unwrap();
    let swept =
        carrel_server::janitor::sweep(&app.store, &carrel_server::config::Limits::default())
            .await
            .unwrap();
    assert_eq!(swept.sessions, 1);
    assert_eq!(
        swept.throttle_windows, 4,
        "the sign-up and the failed sign-in's three"
    );
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(left, 0);
}

#[tokio::test]
async fn responses_carry_security_headers_and_api_answers_are_never_cached() {
    let mut app = spawn_app().await;
    app.signup("ada@example.org", "Ada").await;
    let me = app.get("/me").await;
    let headers = me.headers();
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "same-origin");
    let policy = headers["content-security-policy"].to_str().unwrap();
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert!(
        !headers.contains_key("strict-transport-security"),
        "no HSTS over plain HTTP"
    );
}

#[tokio::test]
async fn over_https_cookies_are_secure_host_cookies_and_hsts_is_sent() {
    let app = spawn_app_with(|config| config.secure_cookies = true).await;
    let response = app.signup_raw("ada@example.org", "Ada", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("__Host-carrel_session="), "{cookie}");
    assert!(cookie.contains("; Secure"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.to_lowercase().contains("domain="), "{cookie}");
    assert!(response.headers().contains_key("strict-transport-security"));
}

#[tokio::test]
async fn an_acl_is_capped_and_the_refusal_says_to_use_a_group() {
    let mut admin = spawn_app().await;
    admin.signup_admin("admin@carrel.test", "Admin").await;
    let owner = admin.new_user("owner@lab.org", "Owner").await;
    admin.grant_tier("owner@lab.org", "registered").await;
    owner
        .create_workspace("owner-personal", "Big", "registered")
        .await;
    let ws = "owner-personal/big";
    let max = carrel_core::share::MAX_ACL_ENTRIES;
    let mut added = 1;
    while added < max {
        let batch: Vec<Value> = (added..(added + 200).min(max))
            .map(|i| json!({ "op": "set", "principal": user(&format!("guest{i}@x.org")), "role": "reader" }))
            .collect();
        added += batch.len();
        let response = owner.share(ws, json!(batch)).await;
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "{}",
            response.text().await.unwrap()
        );
    }
    let full = owner
        .share(
            ws,
            json!([{ "op": "set", "principal": user("one-more@x.org"), "role": "reader" }]),
        )
        .await;
    assert_eq!(full.status(), StatusCode::FORBIDDEN);
    let body: Value = full.json().await.unwrap();
    assert_eq!(body["error"]["refusals"][0]["code"], "acl_full", "{body}");
    let acl: Value = owner
        .get(&format!("/workspaces/{ws}/acl"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(acl["entries"].as_array().unwrap().len(), max);
    // Changing an existing entry of a full ACL still works.
    let changed = owner
        .share(
            ws,
            json!([{ "op": "set", "principal": user("guest1@x.org"), "role": "writer" }]),
        )
        .await;
    assert_eq!(changed.status(), StatusCode::OK);
}
