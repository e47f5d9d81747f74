//! Many clients editing one ACL at once: no lost update, no half-applied batch, always an owner.

use std::collections::BTreeSet;

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, user};

#[tokio::test]
async fn fifty_clients_editing_one_acl_at_once() {
    let mut admin = spawn_app().await;
    admin.signup_admin("admin@carrel.test", "Admin").await;
    let first = admin.new_user("owner0@lab.org", "Owner 0").await;
    admin.grant_tier("owner0@lab.org", "registered").await;
    assert_eq!(
        first
            .create_workspace("owner0-personal", "Shared", "registered")
            .await
            .status(),
        StatusCode::CREATED
    );
    let ws = "owner0-personal/shared";
    let mut owners = vec![first];
    let mut initial = Vec::new();
    for i in 1..10 {
        let email = format!("owner{i}@lab.org");
        owners.push(admin.new_user(&email, &format!("Owner {i}")).await);
        admin.grant_tier(&email, "registered").await;
        initial.push(json!({ "op": "set", "principal": user(&email), "role": "owner" }));
    }
    assert_eq!(
        owners[0].share(ws, json!(initial)).await.status(),
        StatusCode::OK
    );
    let start_version = owners[0].acl_version(ws).await;

    // 40 clients add an invitee each; 10 try to demote another owner. Each retries when stale.
    let mut tasks = Vec::new();
    for i in 0..50usize {
        let client = owners[i % 10].another_handle();
        let change = if i < 40 {
            json!({ "op": "set", "principal": user(&format!("guest{i}@x.org")), "role": "reader" })
        } else {
            json!({ "op": "set", "principal": user(&format!("owner{}@lab.org", (i + 1) % 10)), "role": "reader" })
        };
        tasks.push(tokio::spawn(async move {
            for _ in 0..200 {
                let version = client.acl_version(ws).await;
                let response = client
                    .patch(
                        &format!("/workspaces/{ws}/acl"),
                        &json!({ "version": version, "changes": [change.clone()] }),
                    )
                    .await;
                match response.status() {
                    StatusCode::CONFLICT => continue,
                    StatusCode::OK => return (i, true),
                    other => {
                        let body: Value = response.json().await.unwrap();
                        assert_eq!(other, StatusCode::FORBIDDEN, "{body}");
                        return (i, false);
                    }
                }
            }
            panic!("client {i} never got through");
        }));
    }
    let mut accepted = BTreeSet::new();
    for task in tasks {
        let (i, ok) = task.await.unwrap();
        if ok {
            accepted.insert(i);
        }
    }

    let acl: Value = owners[0]
        .get(&format!("/workspaces/{ws}/acl"))
        .await
        .json()
        .await
        .unwrap();
    let entries = acl["entries"].as_array().unwrap();
    let role_of = |label: &str| {
        entries
            .iter()
            .find(|e| e["who"]["reference"]["email"] == label)
            .map(|e| e["role"].as_str().unwrap().to_owned())
    };
    for i in &accepted {
        if *i < 40 {
            assert_eq!(
                role_of(&format!("guest{i}@x.org")).as_deref(),
                Some("reader"),
                "accepted add {i} is present"
            );
        } else {
            assert_eq!(
                role_of(&format!("owner{}@lab.org", (i + 1) % 10)).as_deref(),
                Some("reader"),
                "accepted demotion {i} is present"
            );
        }
    }
    let direct_owners = entries
        .iter()
        .filter(|e| e["role"] == "owner" && e["who"]["principal"]["kind"] == "user")
        .count();
    assert!(direct_owners >= 1, "always at least one direct owner");
    assert_eq!(
        acl["version"].as_u64().unwrap(),
        start_version + accepted.len() as u64,
        "one version per accepted batch"
    );
    // A refused invitation is explained: its sender had been demoted by then.
    for i in (0..40).filter(|i| !accepted.contains(i)) {
        assert_eq!(
            role_of(&format!("owner{}@lab.org", i % 10)).as_deref(),
            Some("reader"),
            "refused add {i}"
        );
    }
    assert!(!accepted.is_empty());
}
