//! Sharing and workspace rules over HTTP: who may and who may not, and what each refusal says.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{action, error_of, group, spawn_app, user, TestApp};

/// A site admin, and an owner with the Registered Tier and a workspace `owner-personal/study`.
pub async fn owner_with_workspace() -> (TestApp, TestApp) {
    let mut admin = spawn_app().await;
    admin.signup_admin("admin@carrel.test", "Admin").await;
    let owner = admin.new_user("owner@lab.org", "Olive Owner").await;
    admin.grant_tier("owner@lab.org", "registered").await;
    let created = owner
        .create_workspace("owner-personal", "Study", "registered")
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    (admin, owner)
}

pub const WS: &str = "owner-personal/study";

#[tokio::test]
async fn a_stale_version_is_refused_with_the_current_acl_and_nothing_applied() {
    let (_admin, owner) = owner_with_workspace().await;
    let version = owner.acl_version(WS).await;
    let first = owner
        .patch(
            &format!("/workspaces/{WS}/acl"),
            &json!({ "version": version, "changes": [
                { "op": "set", "principal": user("a@x.org"), "role": "reader" }
            ]}),
        )
        .await;
    assert_eq!(first.status(), StatusCode::OK);
    let second = owner
        .patch(
            &format!("/workspaces/{WS}/acl"),
            &json!({ "version": version, "changes": [
                { "op": "set", "principal": user("b@x.org"), "role": "reader" }
            ]}),
        )
        .await;
    assert_eq!(second.status(), StatusCode::CONFLICT);
    let body: Value = second.json().await.unwrap();
    assert_eq!(body["error"]["code"], "stale");
    assert_eq!(body["error"]["current"]["version"], version + 1);
    let labels: Vec<&str> = body["error"]["current"]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["who"]["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"a@x.org") && !labels.contains(&"b@x.org"));
}

#[tokio::test]
async fn a_batch_with_any_refused_entry_applies_nothing_and_lists_every_refusal() {
    let (_admin, owner) = owner_with_workspace().await;
    let before: Value = owner
        .get(&format!("/workspaces/{WS}/acl"))
        .await
        .json()
        .await
        .unwrap();
    let response = owner
        .share(WS, json!([
            { "op": "set", "principal": user("fine@x.org"), "role": "writer" },
            { "op": "set", "principal": user("bad@x.org"), "role": "reader", "can_compute": true },
            { "op": "set", "principal": user("owner@lab.org"), "role": "reader" }
        ]))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let body: Value = response.json().await.unwrap();
    let codes: Vec<&str> = body["error"]["refusals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["reader_with_compute", "self_change"]);
    assert_eq!(
        body["error"]["refusals"][0]["principal"]["email"],
        "bad@x.org"
    );
    assert!(body["error"]["refusals"][1]["message"]
        .as_str()
        .unwrap()
        .contains("your own access"));
    let after: Value = owner
        .get(&format!("/workspaces/{WS}/acl"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(before, after, "nothing was applied");
}

#[tokio::test]
async fn unknown_groups_and_bad_emails_are_refused_by_name() {
    let (_admin, owner) = owner_with_workspace().await;
    let response = owner
        .share(
            WS,
            json!([
                { "op": "set", "principal": group("no-such-group"), "role": "reader" },
                { "op": "set", "principal": user("not an email"), "role": "reader" }
            ]),
        )
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    let codes: Vec<&str> = body["error"]["refusals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["unknown_group", "invalid_email"]);
}

#[tokio::test]
async fn an_invitation_becomes_access_when_the_person_signs_up() {
    let (admin, owner) = owner_with_workspace().await;
    let shared = owner
        .share(
            WS,
            json!([{ "op": "set", "principal": user("Newcomer@X.org"), "role": "writer" }]),
        )
        .await;
    assert_eq!(shared.status(), StatusCode::OK);
    let body: Value = shared.json().await.unwrap();
    assert_eq!(
        body["warnings"].as_array().unwrap().len(),
        1,
        "an invitee holds no tier yet"
    );
    let entry = body["acl"]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["who"]["label"] == "newcomer@x.org")
        .expect("a pending invitation");
    assert_eq!(entry["who"]["principal"]["kind"], "invitation");
    assert_eq!(entry["waiting_for_tier"], "registered");
    assert_eq!(
        entry["can_compute"], true,
        "a writer added by an owner can compute"
    );

    let newcomer = admin.new_user("newcomer@x.org", "New Comer").await;
    let list: Value = newcomer.get("/workspaces").await.json().await.unwrap();
    assert_eq!(list["workspaces"][0]["role"], "writer");
    assert!(list["workspaces"][0]["inaccessible_reason"]
        .as_str()
        .unwrap()
        .contains("Registered Tier"));
    admin.grant_tier("newcomer@x.org", "registered").await;
    let detail = newcomer.get(&format!("/workspaces/{WS}")).await;
    assert_eq!(detail.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_controlled_tier_workspace_waits_for_the_tier() {
    let (admin, owner) = owner_with_workspace().await;
    let refused = owner
        .create_workspace("owner-personal", "Cohort", "controlled")
        .await;
    let (status, code, _) = error_of(refused).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::FORBIDDEN, "tier_required")
    );
    admin.grant_tier("owner@lab.org", "controlled").await;
    let created = owner
        .create_workspace("owner-personal", "Cohort", "controlled")
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);

    let reader = admin.new_user("reader@x.org", "Rea Der").await;
    admin.grant_tier("reader@x.org", "registered").await;
    let shared = owner
        .share(
            "owner-personal/cohort",
            json!([{ "op": "set", "principal": user("reader@x.org"), "role": "reader" }]),
        )
        .await;
    let body: Value = shared.json().await.unwrap();
    assert_eq!(
        body["warnings"][0],
        "They will get access only once they hold the Controlled Tier."
    );
    let (status, code, message) =
        error_of(reader.get("/workspaces/owner-personal/cohort").await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::FORBIDDEN, "tier_required")
    );
    assert!(message.contains("Controlled Tier"));
    admin.grant_tier("reader@x.org", "controlled").await;
    assert_eq!(
        reader
            .get("/workspaces/owner-personal/cohort")
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn lock_refuses_writes_and_deletion_but_not_sharing() {
    let (admin, owner) = owner_with_workspace().await;
    let _writer = admin.new_user("w@x.org", "Wri Ter").await;
    admin.grant_tier("w@x.org", "registered").await;
    assert_eq!(
        owner
            .post(&format!("/workspaces/{WS}/lock"), &json!({}))
            .await
            .status(),
        StatusCode::OK
    );
    let (status, code, _) = error_of(
        owner
            .post(&format!("/workspaces/{WS}/lock"), &json!({}))
            .await,
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::FORBIDDEN, "already_locked")
    );
    let (status, code, _) = error_of(
        owner
            .delete(&format!("/workspaces/{WS}?confirm=study"))
            .await,
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::FORBIDDEN, "workspace_locked")
    );
    let shared = owner
        .share(
            WS,
            json!([{ "op": "set", "principal": user("w@x.org"), "role": "writer" }]),
        )
        .await;
    assert_eq!(
        shared.status(),
        StatusCode::OK,
        "sharing still works when locked"
    );
    let detail: Value = owner
        .get(&format!("/workspaces/{WS}"))
        .await
        .json()
        .await
        .unwrap();
    let (may_write, why) = action(&detail, "write");
    assert!(!may_write && why.contains("locked"), "{why}");
    assert_eq!(
        owner
            .post(&format!("/workspaces/{WS}/unlock"), &json!({}))
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn delete_needs_the_name_and_an_owner_and_leaves_an_inactive_directory_entry() {
    let (admin, owner) = owner_with_workspace().await;
    let reader = admin.new_user("r@x.org", "Rea Der").await;
    admin.grant_tier("r@x.org", "registered").await;
    owner
        .share(
            WS,
            json!([{ "op": "set", "principal": user("r@x.org"), "role": "reader" }]),
        )
        .await;
    let (status, code, _) = error_of(
        reader
            .delete(&format!("/workspaces/{WS}?confirm=study"))
            .await,
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::FORBIDDEN, "role_too_low")
    );
    let (status, code, _) = error_of(
        owner
            .delete(&format!("/workspaces/{WS}?confirm=wrong"))
            .await,
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::BAD_REQUEST, "validation")
    );
    assert_eq!(
        owner
            .delete(&format!("/workspaces/{WS}?confirm=study"))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        reader.get(&format!("/workspaces/{WS}")).await.status(),
        StatusCode::NOT_FOUND
    );

    let visitor = admin.another_client();
    let directory: Value = visitor
        .get("/directory?q=study")
        .await
        .json()
        .await
        .unwrap();
    let entry = &directory["entries"][0];
    assert_eq!(entry["display_name"], "Study");
    assert_eq!(entry["active"], false);
    assert!(
        entry["research_purpose"]["review_requested"].is_null(),
        "never published"
    );
}

#[tokio::test]
async fn leaving_removes_your_own_grant_unless_you_are_the_last_owner() {
    let (admin, owner) = owner_with_workspace().await;
    let reader = admin.new_user("r@x.org", "Rea Der").await;
    admin.grant_tier("r@x.org", "registered").await;
    owner
        .share(
            WS,
            json!([{ "op": "set", "principal": user("r@x.org"), "role": "reader" }]),
        )
        .await;
    assert_eq!(
        reader
            .post(&format!("/workspaces/{WS}/leave"), &json!({}))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let (status, code, _) = error_of(reader.get(&format!("/workspaces/{WS}")).await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::FORBIDDEN, "no_access")
    );
    let (status, code, _) = error_of(
        owner
            .post(&format!("/workspaces/{WS}/leave"), &json!({}))
            .await,
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::FORBIDDEN, "last_direct_owner")
    );
}

#[tokio::test]
async fn creating_a_workspace_checks_every_field_and_the_dataset_version() {
    let (_admin, owner) = owner_with_workspace().await;
    let response = owner
        .post("/workspaces", &json!({
            "billing_project": "nobody-project", "display_name": "", "tier": "registered",
            "dataset_version": "r2024q2",
            "research_purpose": { "purposes": [], "scientific_questions": "", "scientific_approaches": "x",
                                  "anticipated_findings": "y", "focuses_on_underrepresented": null,
                                  "review_requested": false }
        }))
        .await;
    let body: Value = response.json().await.unwrap();
    let fields: Vec<&str> = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "display_name",
            "purposes",
            "scientific_questions",
            "scientific_approaches",
            "anticipated_findings",
            "focuses_on_underrepresented",
            "billing_project",
            "dataset_version"
        ]
    );
    let older = owner
        .post("/workspaces", &json!({
            "billing_project": "owner-personal", "display_name": "Replication", "tier": "registered",
            "dataset_version": "r2025q4", "research_purpose": crate::helpers::research_purpose()
        }))
        .await;
    let body: Value = older.json().await.unwrap();
    assert_eq!(body["error"]["fields"][0]["field"], "replication_statement");
}

#[tokio::test]
async fn a_reader_duplicates_into_their_own_project_and_becomes_creator_and_owner() {
    let (admin, owner) = owner_with_workspace().await;
    let reader = admin.new_user("r@x.org", "Rea Der").await;
    admin.grant_tier("r@x.org", "registered").await;
    owner
        .share(
            WS,
            json!([
                { "op": "set", "principal": user("r@x.org"), "role": "reader" },
                { "op": "set", "principal": user("friend@x.org"), "role": "writer" }
            ]),
        )
        .await;
    let body = json!({ "billing_project": "owner-personal", "display_name": "Duplicate of Study" });
    let (status, code, _) = error_of(
        reader
            .post(&format!("/workspaces/{WS}/duplicate"), &body)
            .await,
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::FORBIDDEN, "billing_member_required")
    );

    let body = json!({ "billing_project": "r-personal", "display_name": "Duplicate of Study", "copy_collaborators": true });
    let response = reader
        .post(&format!("/workspaces/{WS}/duplicate"), &body)
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let copy: Value = response.json().await.unwrap();
    assert_eq!(copy["creator"], "r@x.org");
    assert_eq!(copy["access"]["role"], "owner");
    assert_eq!(copy["name"], "duplicate-of-study");
    let acl: Value = reader
        .get("/workspaces/r-personal/duplicate-of-study/acl")
        .await
        .json()
        .await
        .unwrap();
    let labels: Vec<&str> = acl["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["who"]["label"].as_str().unwrap())
        .collect();
    assert!(
        labels.contains(&"friend@x.org") && labels.contains(&"Olive Owner"),
        "{labels:?}"
    );

    let stranger = admin.new_user("s@x.org", "Stran Ger").await;
    admin.grant_tier("s@x.org", "registered").await;
    let body = json!({ "billing_project": "s-personal", "display_name": "Mine now" });
    let (status, code, _) = error_of(
        stranger
            .post(&format!("/workspaces/{WS}/duplicate"), &body)
            .await,
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::FORBIDDEN, "no_access")
    );
}

/// The ACL endpoints and the permission check identify the caller their own way (on the
/// connection they read with; before the write lock); the refusals are the same as everywhere:
/// no page token or no live session, and nothing changes.
#[tokio::test]
async fn an_acl_change_needs_the_page_token_and_a_live_session() {
    let (_admin, owner) = owner_with_workspace().await;
    let version = owner.acl_version(WS).await;
    let batch = json!({ "version": version, "changes": [
        { "op": "set", "principal": user("a@x.org"), "role": "reader" }
    ]});
    let url = owner.url(&format!("/workspaces/{WS}/acl"));

    let without_token = owner.client.patch(&url).json(&batch).send().await.unwrap();
    let (status, code, _) = error_of(without_token).await;
    assert_eq!((status, code.as_str()), (StatusCode::FORBIDDEN, "csrf"));

    let forged_token = owner
        .client
        .patch(&url)
        .header("x-csrf-token", "0".repeat(64))
        .json(&batch)
        .send()
        .await
        .unwrap();
    let (status, code, _) = error_of(forged_token).await;
    assert_eq!((status, code.as_str()), (StatusCode::FORBIDDEN, "csrf"));

    let unknown_session = crate::helpers::new_client()
        .patch(&url)
        .header("cookie", format!("carrel_session={}", "f".repeat(64)))
        .header("x-csrf-token", owner.csrf.clone().unwrap())
        .json(&batch)
        .send()
        .await
        .unwrap();
    let (status, code, _) = error_of(unknown_session).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::UNAUTHORIZED, "unauthenticated")
    );
    for path in ["acl", "permissions"] {
        let response = crate::helpers::new_client()
            .get(owner.url(&format!("/workspaces/{WS}/{path}")))
            .header("cookie", format!("carrel_session={}", "f".repeat(64)))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "GET {path}");
    }

    assert_eq!(owner.acl_version(WS).await, version, "nothing was applied");
    assert_eq!(
        owner.share(WS, batch["changes"].clone()).await.status(),
        StatusCode::OK
    );
}
