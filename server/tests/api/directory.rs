//! The public research directory: filters, pages, the search's reach, each entry's own page,
//! and workspace ids never reused (a deleted workspace's history is never a new one's).

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{error_of, spawn_app, spawn_replica, TestApp};

fn purpose(purposes: &[&str], questions: &str) -> Value {
    json!({
        "purposes": purposes,
        "disease_name": if purposes.contains(&"disease_focused") { "Malaria" } else { "" },
        "scientific_questions": questions,
        "scientific_approaches": "Compare cohorts across sites.",
        "anticipated_findings": "Findings that hold up.",
        "focuses_on_underrepresented": false,
        "review_requested": true
    })
}

async fn create(owner: &TestApp, name: &str, tier: &str, purpose: Value) -> Value {
    let created = owner
        .post(
            "/workspaces",
            &json!({ "billing_project": "olive-personal", "display_name": name, "tier": tier,
                     "research_purpose": purpose }),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED, "creating {name}");
    created.json().await.unwrap()
}

async fn lab() -> (TestApp, TestApp) {
    let mut admin = spawn_app().await;
    admin.signup_admin("admin@carrel.test", "Admin").await;
    let owner = admin.new_user("olive@lab.org", "Olive Owner").await;
    admin.grant_tier("olive@lab.org", "registered").await;
    admin.grant_tier("olive@lab.org", "controlled").await;
    (admin, owner)
}

async fn names(visitor: &TestApp, query: &str) -> Vec<String> {
    let page: Value = visitor
        .get(&format!("/directory?{query}"))
        .await
        .json()
        .await
        .unwrap();
    page["entries"]
        .as_array()
        .unwrap_or_else(|| panic!("entries for {query}: {page}"))
        .iter()
        .map(|e| e["display_name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_directory_filters_by_purpose_tier_and_status_and_searches_names_and_questions() {
    let (admin, owner) = lab().await;
    create(
        &owner,
        "Malaria genomes",
        "controlled",
        purpose(
            &["disease_focused", "genetic"],
            "Which variants protect against malaria?",
        ),
    )
    .await;
    create(
        &owner,
        "Teaching set",
        "registered",
        purpose(&["educational"], "How do students learn cohort building?"),
    )
    .await;
    let gone = create(
        &owner,
        "Old pilot",
        "registered",
        purpose(&["genetic"], "Does the pilot pipeline call variants well?"),
    )
    .await;
    let gone_name = gone["name"].as_str().unwrap();
    assert_eq!(
        owner
            .delete(&format!(
                "/workspaces/olive-personal/{gone_name}?confirm={gone_name}"
            ))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let visitor = admin.another_client();

    assert_eq!(
        names(&visitor, "purpose=genetic").await,
        ["Old pilot", "Malaria genomes"]
    );
    assert_eq!(
        names(&visitor, "purpose=educational").await,
        ["Teaching set"]
    );
    assert_eq!(
        names(&visitor, "tier=controlled").await,
        ["Malaria genomes"]
    );
    assert_eq!(names(&visitor, "status=inactive").await, ["Old pilot"]);
    assert_eq!(
        names(&visitor, "status=active&purpose=genetic").await,
        ["Malaria genomes"]
    );
    // The search reads names and the answers, in any case, never the JSON's field names.
    assert_eq!(names(&visitor, "q=TEACHING").await, ["Teaching set"]);
    assert_eq!(
        names(&visitor, "q=protect%20against").await,
        ["Malaria genomes"]
    );
    assert_eq!(names(&visitor, "q=malaria").await, ["Malaria genomes"]);
    assert!(names(&visitor, "q=scientific_questions").await.is_empty());
    assert!(names(&visitor, "q=review_requested").await.is_empty());

    for (query, field) in [
        ("purpose=astrology", "purpose"),
        ("tier=secret", "tier"),
        ("status=hidden", "status"),
        ("page=0", "page"),
        ("page=501", "page"),
    ] {
        let refused = visitor.get(&format!("/directory?{query}")).await;
        let (status, code, message) = error_of(refused).await;
        assert_eq!(
            (status, code.as_str()),
            (StatusCode::BAD_REQUEST, "validation"),
            "{query}"
        );
        assert!(!message.is_empty(), "{field}: {message}");
    }
}

#[tokio::test]
async fn the_directory_comes_a_page_at_a_time_newest_first() {
    let (admin, owner) = lab().await;
    for n in 1..=23 {
        create(
            &owner,
            &format!("Study {n:02}"),
            "registered",
            purpose(
                &["methods_development"],
                "Which methods travel between sites?",
            ),
        )
        .await;
    }
    let visitor = admin.another_client();
    let first: Value = visitor.get("/directory").await.json().await.unwrap();
    assert_eq!(first["page"], 1);
    assert_eq!(first["per_page"], 20);
    assert_eq!(first["has_more"], true);
    let first_names: Vec<&str> = first["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["display_name"].as_str().unwrap())
        .collect();
    assert_eq!(first_names.len(), 20);
    assert_eq!(first_names[0], "Study 23");
    let second = names(&visitor, "page=2").await;
    assert_eq!(second, ["Study 03", "Study 02", "Study 01"]);
    let third: Value = visitor.get("/directory?page=3").await.json().await.unwrap();
    assert_eq!(third["entries"], json!([]));
    assert_eq!(third["has_more"], false);
}

#[tokio::test]
async fn each_entry_has_a_public_page_that_outlives_its_workspace_and_ids_are_never_reused() {
    let (admin, owner) = lab().await;
    create(
        &owner,
        "Kept study",
        "registered",
        purpose(&["genetic"], "Which variants matter at all?"),
    )
    .await;
    let first = create(
        &owner,
        "First study",
        "registered",
        purpose(&["genetic"], "Which variants matter most here?"),
    )
    .await;
    let first_name = first["name"].as_str().unwrap();
    owner
        .share(
            &format!("olive-personal/{first_name}"),
            json!([{ "op": "set", "principal": { "kind": "user", "email": "someone@else.org" }, "role": "reader" }]),
        )
        .await;
    let visitor = admin.another_client();
    let listed: Value = visitor.get("/directory").await.json().await.unwrap();
    let id = listed["entries"][0]["id"].as_i64().expect("an id");

    // The newest workspace deleted, then another created: a new id, a history of its own.
    assert_eq!(
        owner
            .delete(&format!(
                "/workspaces/olive-personal/{first_name}?confirm={first_name}"
            ))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    // A fresh server on the same database (a restart, another replica): a fresh connection.
    let mut restarted = spawn_replica(&admin, |_| {}).await;
    restarted.login("olive@lab.org").await;
    let second = create(
        &restarted,
        "Second study",
        "registered",
        purpose(&["educational"], "How do students learn cohort building?"),
    )
    .await;
    let second_name = second["name"].as_str().unwrap();
    let audit: Value = restarted
        .get(&format!("/workspaces/olive-personal/{second_name}/audit"))
        .await
        .json()
        .await
        .unwrap();
    let told = audit.to_string();
    assert!(
        !told.contains("someone@else.org") && !told.contains("First study"),
        "the deleted workspace's history never shows as the new one's: {told}"
    );

    let page: Value = visitor
        .get(&format!("/directory/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["display_name"], "First study");
    assert_eq!(page["active"], false);
    assert_eq!(
        page["research_purpose"]["scientific_questions"],
        "Which variants matter most here?"
    );
    assert!(page["research_purpose"]["review_requested"].is_null());
    let listed: Value = visitor.get("/directory").await.json().await.unwrap();
    let second_id = listed["entries"][0]["id"].as_i64().unwrap();
    assert_ne!(second_id, id);
    let (status, code, _) = error_of(visitor.get(&format!("/directory/{}", id + 1000)).await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::NOT_FOUND, "not_found")
    );
}
