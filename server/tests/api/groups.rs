//! Managed groups: nesting without cycles, the last admin, deletion while used, access requests, search.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{error_of, group};
use crate::sharing::{owner_with_workspace, WS};

#[tokio::test]
async fn groups_refuse_cycles_keep_an_admin_and_are_not_deleted_while_used() {
    let (admin, owner) = owner_with_workspace().await;
    for name in ["outer", "inner"] {
        assert_eq!(
            owner
                .post("/groups", &json!({ "name": name }))
                .await
                .status(),
            StatusCode::CREATED
        );
    }
    let nested = owner
        .put(
            "/groups/outer/members/inner@groups.carrel.test",
            &json!({ "role": "member" }),
        )
        .await;
    assert_eq!(nested.status(), StatusCode::OK);
    let (status, code, _) = error_of(
        owner
            .put(
                "/groups/inner/members/outer@groups.carrel.test",
                &json!({ "role": "member" }),
            )
            .await,
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::CONFLICT, "group_cycle")
    );
    let (status, code, _) =
        error_of(owner.delete("/groups/inner/members/owner@lab.org").await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::CONFLICT, "last_admin")
    );
    owner
        .share(
            WS,
            json!([{ "op": "set", "principal": group("outer"), "role": "reader" }]),
        )
        .await;
    let (status, code, message) = error_of(owner.delete("/groups/inner").await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::CONFLICT, "group_in_use")
    );
    assert!(message.contains("member of group outer"), "{message}");
    let (_, _, message) = error_of(owner.delete("/groups/outer").await).await;
    assert!(message.contains("owner-personal/study"), "{message}");
    let stranger = admin.new_user("s@x.org", "Stran Ger").await;
    let (status, code, _) = error_of(
        stranger
            .put("/groups/outer/members/s@x.org", &json!({ "role": "admin" }))
            .await,
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::FORBIDDEN, "group_admin_required")
    );
}

#[tokio::test]
async fn access_requests_need_an_open_group_and_an_admin_to_decide() {
    let (admin, owner) = owner_with_workspace().await;
    assert_eq!(
        owner
            .post("/groups", &json!({ "name": "journal-club" }))
            .await
            .status(),
        StatusCode::CREATED
    );
    let asker = admin.new_user("ask@x.org", "Ask Er").await;
    let (status, code, _) = error_of(
        asker
            .post("/groups/journal-club/requests", &json!({}))
            .await,
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::CONFLICT, "requests_closed")
    );
    let opened = owner
        .patch(
            "/groups/journal-club",
            &json!({ "allows_requests": true, "access_instructions": "Ask Olive." }),
        )
        .await;
    assert_eq!(opened.status(), StatusCode::OK);
    let view: Value = asker
        .get("/groups/journal-club")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(view["access_instructions"], "Ask Olive.");
    assert_eq!(
        asker
            .post("/groups/journal-club/requests", &json!({}))
            .await
            .status(),
        StatusCode::ACCEPTED
    );
    let (status, code, _) = error_of(asker.get("/groups/journal-club/requests").await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::FORBIDDEN, "group_admin_required")
    );
    let pending: Value = owner
        .get("/groups/journal-club/requests")
        .await
        .json()
        .await
        .unwrap();
    let id = pending[0]["id"].as_i64().unwrap();
    assert_eq!(pending[0]["email"], "ask@x.org");
    let approved = owner
        .post(
            &format!("/groups/journal-club/requests/{id}"),
            &json!({ "approve": true }),
        )
        .await;
    assert_eq!(approved.status(), StatusCode::NO_CONTENT);
    let view: Value = asker
        .get("/groups/journal-club")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(view["my_role"], "member");
    let (status, code, _) = error_of(
        asker
            .post("/groups/journal-club/requests", &json!({}))
            .await,
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::CONFLICT, "already_member")
    );
}

#[tokio::test]
async fn the_share_dialog_finds_groups_by_name() {
    let (admin, owner) = owner_with_workspace().await;
    owner
        .post("/groups", &json!({ "name": "intro-students" }))
        .await;
    let stranger = admin.new_user("s@x.org", "Stran Ger").await;
    let found: Value = stranger.get("/groups?q=STUD").await.json().await.unwrap();
    assert_eq!(found[0]["name"], "intro-students");
    assert!(found[0]["my_role"].is_null(), "not a member");
    let mine: Value = stranger.get("/groups").await.json().await.unwrap();
    assert_eq!(mine, json!([]), "without q: only your own groups");
    let none: Value = stranger.get("/groups?q=%25").await.json().await.unwrap();
    assert_eq!(none, json!([]), "wildcards are text");
}

#[tokio::test]
async fn group_names_are_told_apart_regardless_of_case() {
    let (_admin, owner) = owner_with_workspace().await;
    let created = owner.post("/groups", &json!({ "name": "Team" })).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let (status, code, message) =
        error_of(owner.post("/groups", &json!({ "name": "team" })).await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::CONFLICT, "name_taken")
    );
    assert!(message.contains("whatever their case"), "{message}");
    let found: Value = owner.get("/groups/TEAM").await.json().await.unwrap();
    assert_eq!(
        found["name"], "Team",
        "the group is found by any case of its name"
    );
    let listed: Vec<Value> = owner.get("/groups").await.json().await.unwrap();
    assert_eq!(
        listed
            .iter()
            .filter(|g| g["name"].as_str().unwrap().eq_ignore_ascii_case("team"))
            .count(),
        1
    );
}
