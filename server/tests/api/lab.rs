//! The lab scenario of the seeds (SPEC §8), over HTTP, as one story.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{action, group, spawn_app, user};

#[tokio::test]
async fn the_lab_scenario() {
    let mut admin = spawn_app().await;
    admin.signup_admin("admin@carrel.test", "Site Admin").await;
    let lab_head = admin.new_user("head@lab.org", "Lena Head").await;
    let postdoc = admin.new_user("postdoc@lab.org", "Pat Postdoc").await;
    let coworker = admin.new_user("coworker@lab.org", "Cory Coworker").await;
    let researcher = admin.new_user("teacher@other.org", "Robin Teacher").await;
    let student1 = admin.new_user("s1@other.org", "Student One").await;
    let student2 = admin.new_user("s2@other.org", "Student Two").await;
    for email in [
        "head@lab.org",
        "postdoc@lab.org",
        "coworker@lab.org",
        "teacher@other.org",
        "s1@other.org",
        "s2@other.org",
    ] {
        admin.grant_tier(email, "registered").await;
    }

    // 1. The lab head creates a billing project and makes the postdoc a workspace creator.
    let created = lab_head
        .post("/billing-projects", &json!({ "name": "smith-lab" }))
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let added = lab_head
        .put(
            "/billing-projects/smith-lab/members/postdoc@lab.org",
            &json!({ "role": "user" }),
        )
        .await;
    assert_eq!(added.status(), StatusCode::OK);

    // 2. The postdoc creates a workspace there, and is its owner.
    let created = postdoc
        .create_workspace("smith-lab", "Tumour methods", "registered")
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let detail: Value = created.json().await.unwrap();
    assert_eq!(detail["access"]["role"], "owner");
    let ws = "smith-lab/tumour-methods";

    // ... and gives a coworker writer + can-compute.
    let shared = postdoc
        .share(ws, json!([{ "op": "set", "principal": user("coworker@lab.org"), "role": "writer", "can_compute": true }]))
        .await;
    assert_eq!(shared.status(), StatusCode::OK);

    // 3. The coworker can edit and launch, but not share: refused with the reason.
    let detail: Value = coworker
        .get(&format!("/workspaces/{ws}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(action(&detail, "write"), (true, String::new()));
    assert_eq!(action(&detail, "launch"), (true, String::new()));
    let (may_share, why) = action(&detail, "share");
    assert!(!may_share);
    assert!(why.contains("can-share"), "{why}");
    let attempt = coworker
        .share(
            ws,
            json!([{ "op": "set", "principal": user("s1@other.org"), "role": "reader" }]),
        )
        .await;
    assert_eq!(attempt.status(), StatusCode::FORBIDDEN);
    let body: Value = attempt.json().await.unwrap();
    assert_eq!(body["error"]["refusals"][0]["code"], "can_share_required");

    // 4. An unrelated researcher creates a managed group with two students.
    let created = researcher
        .post("/groups", &json!({ "name": "intro-students" }))
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    for student in ["s1@other.org", "s2@other.org"] {
        let added = researcher
            .put(
                &format!("/groups/intro-students/members/{student}"),
                &json!({ "role": "member" }),
            )
            .await;
        assert_eq!(added.status(), StatusCode::OK);
    }

    // 5. The postdoc grants the group reader.
    let shared = postdoc
        .share(
            ws,
            json!([{ "op": "set", "principal": group("intro-students"), "role": "reader" }]),
        )
        .await;
    assert_eq!(shared.status(), StatusCode::OK);

    // 6. All three group members, the group's admin included, read and nothing more.
    for member in [&researcher, &student1, &student2] {
        let response = member.get(&format!("/workspaces/{ws}")).await;
        assert_eq!(response.status(), StatusCode::OK);
        let detail: Value = response.json().await.unwrap();
        assert_eq!(detail["access"]["role"], "reader");
        assert!(action(&detail, "read").0);
        assert!(action(&detail, "duplicate").0);
        for denied in [
            "write",
            "launch",
            "share",
            "edit_about",
            "lock",
            "delete",
            "read_audit",
        ] {
            assert!(
                !action(&detail, denied).0,
                "{denied} must be refused to a group reader"
            );
        }
        let why: Value = member
            .get(&format!("/workspaces/{ws}/permissions"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(why["sources"][0]["via"], "Member of group intro-students");
        let list: Value = member.get("/workspaces").await.json().await.unwrap();
        assert_eq!(list["workspaces"][0]["role"], "reader");
    }

    // 7. The lab head is a project owner: everything an owner can do, and no ACL edit removes it.
    let detail: Value = lab_head
        .get(&format!("/workspaces/{ws}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["access"]["role"], "owner");
    assert_eq!(detail["access"]["project_owner"], true);
    assert!(action(&detail, "delete").0 && action(&detail, "read_audit").0);
    let demote = postdoc
        .share(
            ws,
            json!([{ "op": "set", "principal": user("head@lab.org"), "role": "reader" }]),
        )
        .await;
    assert_eq!(demote.status(), StatusCode::FORBIDDEN);
    let body: Value = demote.json().await.unwrap();
    assert_eq!(body["error"]["refusals"][0]["code"], "project_owner");
    let detail: Value = lab_head
        .get(&format!("/workspaces/{ws}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["access"]["role"], "owner", "still an owner");

    // The audit log holds every change, for owners only.
    let audit: Value = postdoc
        .get(&format!("/workspaces/{ws}/audit"))
        .await
        .json()
        .await
        .unwrap();
    let actions: Vec<&str> = audit["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["share", "share", "create"]);
    assert_eq!(
        coworker
            .get(&format!("/workspaces/{ws}/audit"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}
