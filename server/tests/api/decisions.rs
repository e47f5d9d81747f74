//! Every actor kind × workspace endpoint × workspace tier × lock, over HTTP. The expected answer
//! is `core::authorize` on a model of the same world: the server must reach exactly `core`'s
//! decision, through the right action, on the data it loads.

use carrel_core::access::WorkspaceFacts;
use carrel_core::{
    authorize, AccessTier, Action, Actor, BillingProjectId, Decision, Grant, GroupId, Principal,
    Role, TierSet, UserId,
};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{group, spawn_app, user, TestApp};

const KINDS: [&str; 11] = [
    "nobody",
    "reader",
    "reader+share",
    "writer",
    "writer+compute",
    "writer+share",
    "co-owner",
    "group-reader",
    "group-writer",
    "project-owner",
    "unregistered",
];

/// Actions with an endpoint today (launching, copying out and downloading come with contents).
const ACTIONS: [Action; 10] = [
    Action::Read,
    Action::Duplicate,
    Action::Write,
    Action::EditAbout,
    Action::Lock,
    Action::Unlock,
    Action::Delete,
    Action::ReadAudit,
    Action::Share,
    Action::Leave,
];

fn email(kind: &str) -> String {
    format!("{}@lab.org", kind.replace('+', "-"))
}

/// The kind's grant on the workspace, as the creator shares it.
fn grant_change(kind: &str) -> Option<Value> {
    let set = |principal: Value, role: &str, share: bool, compute: bool| {
        Some(
            json!({ "op": "set", "principal": principal, "role": role, "can_share": share, "can_compute": compute }),
        )
    };
    let me = user(&email(kind));
    match kind {
        "reader" | "unregistered" => set(me, "reader", false, false),
        "reader+share" => set(me, "reader", true, false),
        "writer" => set(me, "writer", false, false),
        "writer+compute" => set(me, "writer", false, true),
        "writer+share" => set(me, "writer", true, false),
        "co-owner" => set(me, "owner", true, true),
        "group-reader" => set(group("readers"), "reader", false, false),
        "group-writer" => set(group("writers"), "writer", false, true),
        _ => None,
    }
}

/// `core`'s decision for the same world, with symbolic ids.
fn expected(kind: &str, action: Action, tier: AccessTier, locked: bool) -> Decision {
    let me = Principal::User(UserId(1));
    let creator = Grant::new(Principal::User(UserId(2)), Role::Owner);
    let mut grants = vec![creator];
    let mut groups = vec![];
    let mut owned = vec![];
    let mut tiers = TierSet::of(&[AccessTier::Registered]);
    match kind {
        "reader" => grants.push(Grant::new(me, Role::Reader)),
        "unregistered" => {
            tiers = TierSet::NONE;
            grants.push(Grant::new(me, Role::Reader));
        }
        "reader+share" => grants.push(Grant::new(me, Role::Reader).with_flags(true, false)),
        "writer" => grants.push(Grant::new(me, Role::Writer)),
        "writer+compute" => grants.push(Grant::new(me, Role::Writer).with_flags(false, true)),
        "writer+share" => grants.push(Grant::new(me, Role::Writer).with_flags(true, false)),
        "co-owner" => grants.push(Grant::new(me, Role::Owner)),
        "group-reader" => {
            groups.push(GroupId(10));
            grants.push(Grant::new(Principal::Group(GroupId(10)), Role::Reader));
        }
        "group-writer" => {
            groups.push(GroupId(11));
            grants.push(
                Grant::new(Principal::Group(GroupId(11)), Role::Writer).with_flags(false, true),
            );
        }
        "project-owner" => owned.push(BillingProjectId(7)),
        _ => {}
    }
    let actor = Actor {
        user: UserId(1),
        tiers,
        groups: &groups,
        owned_billing_projects: &owned,
    };
    let facts = WorkspaceFacts {
        tier,
        locked,
        billing_project: BillingProjectId(7),
        grants: &grants,
    };
    authorize(&actor, &facts, action)
}

/// Perform `action` on `ws` as `client`; the status and the refusal's rule code.
async fn attempt(
    client: &TestApp,
    creator: &TestApp,
    ws: &str,
    action: Action,
    kind: &str,
) -> (StatusCode, Option<String>) {
    let about_version = || async {
        let detail: Value = creator
            .get(&format!("/workspaces/{ws}"))
            .await
            .json()
            .await
            .unwrap();
        detail["about_version"].as_u64().unwrap()
    };
    let response = match action {
        Action::Read => client.get(&format!("/workspaces/{ws}")).await,
        Action::ReadAudit => client.get(&format!("/workspaces/{ws}/audit")).await,
        Action::Duplicate => {
            let project = format!("{}-personal", kind.replace('+', "-"));
            client
                .post(
                    &format!("/workspaces/{ws}/duplicate"),
                    &json!({ "billing_project": project, "display_name": "Copy" }),
                )
                .await
        }
        Action::Write => {
            let version = about_version().await;
            client
                .patch(
                    &format!("/workspaces/{ws}"),
                    &json!({ "about_version": version, "description": "Edited" }),
                )
                .await
        }
        Action::EditAbout => {
            let version = about_version().await;
            client
                .patch(
                    &format!("/workspaces/{ws}"),
                    &json!({ "about_version": version, "display_name": "Renamed" }),
                )
                .await
        }
        Action::Lock => {
            client
                .post(&format!("/workspaces/{ws}/lock"), &json!({}))
                .await
        }
        Action::Unlock => {
            client
                .post(&format!("/workspaces/{ws}/unlock"), &json!({}))
                .await
        }
        Action::Leave => {
            client
                .post(&format!("/workspaces/{ws}/leave"), &json!({}))
                .await
        }
        Action::Delete => {
            let name = ws.split('/').nth(1).unwrap();
            client
                .delete(&format!("/workspaces/{ws}?confirm={name}"))
                .await
        }
        Action::Share => {
            let version = creator.acl_version(ws).await;
            client
                .patch(&format!("/workspaces/{ws}/acl"), &json!({ "version": version, "changes": [
                    { "op": "set", "principal": user("invitee@x.org"), "role": "reader", "can_share": false, "can_compute": false }
                ]}))
                .await
        }
        other => panic!("no endpoint for {other:?}"),
    };
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    let code = if action == Action::Share {
        body["error"]["refusals"][0]["code"].as_str()
    } else {
        body["error"]["code"].as_str()
    };
    (status, code.map(str::to_owned))
}

#[tokio::test]
async fn every_actor_kind_action_tier_and_lock_gets_cores_decision_over_http() {
    let mut admin = spawn_app().await;
    admin.signup_admin("admin@carrel.test", "Admin").await;
    let creator = admin.new_user("creator@lab.org", "Creator").await;
    admin.grant_tier("creator@lab.org", "registered").await;
    admin.grant_tier("creator@lab.org", "controlled").await;
    let mut people = std::collections::BTreeMap::new();
    for kind in KINDS {
        people.insert(kind, admin.new_user(&email(kind), kind).await);
        if kind != "unregistered" {
            admin.grant_tier(&email(kind), "registered").await;
        }
    }
    let head = &people["project-owner"];
    assert_eq!(
        head.post("/billing-projects", &json!({ "name": "lab" }))
            .await
            .status(),
        StatusCode::CREATED
    );
    head.put(
        "/billing-projects/lab/members/creator@lab.org",
        &json!({ "role": "user" }),
    )
    .await;
    for (name, kind) in [("readers", "group-reader"), ("writers", "group-writer")] {
        creator.post("/groups", &json!({ "name": name })).await;
        creator
            .put(
                &format!("/groups/{name}/members/{}", email(kind)),
                &json!({ "role": "member" }),
            )
            .await;
    }

    let mut mismatches = Vec::new();
    let mut count = 0;
    for tier in [AccessTier::Registered, AccessTier::Controlled] {
        for locked in [false, true] {
            for action in ACTIONS {
                for kind in KINDS {
                    count += 1;
                    let display = format!("w{count}");
                    let created = creator
                        .create_workspace("lab", &display, tier.as_str())
                        .await;
                    assert_eq!(created.status(), StatusCode::CREATED);
                    let ws = format!("lab/{display}");
                    if let Some(change) = grant_change(kind) {
                        assert_eq!(
                            creator.share(&ws, json!([change])).await.status(),
                            StatusCode::OK
                        );
                    }
                    if locked {
                        assert_eq!(
                            creator
                                .post(&format!("/workspaces/{ws}/lock"), &json!({}))
                                .await
                                .status(),
                            StatusCode::OK
                        );
                    }
                    let (status, code) = attempt(&people[kind], &creator, &ws, action, kind).await;
                    let want = expected(kind, action, tier, locked);
                    let matches = match &want {
                        Decision::Allow => status.is_success(),
                        Decision::Deny(reason) => {
                            status == StatusCode::FORBIDDEN
                                && code.as_deref() == Some(reason.code())
                        }
                    };
                    if !matches {
                        mismatches.push(format!("{kind} {action:?} tier={tier:?} locked={locked}: core says {want:?}, server {status} {code:?}"));
                    }
                }
            }
        }
    }
    assert_eq!(count, 2 * 2 * ACTIONS.len() * KINDS.len());
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
