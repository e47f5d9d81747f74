//! Data tables through the API: Terra-style TSV import (entity, update, membership), pages
//! sorted by any column and filtered, versioned cell edits, deletes confirmed when referenced,
//! columns renamed and deleted, export that imports back to the same table, copies between
//! workspaces (references followed, conflicts listed, never Controlled → Registered), and
//! duplicate and delete carrying the tables. Bad input is refused with its line and column and
//! changes nothing.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{error_of, TestApp};
use crate::sharing::WS;

const PARTICIPANTS: &str = "entity:participant_id\tage\tsex\n\
P1\t34\tF\n\
P2\t51\tM\n\
P3\t29\tF\n";

const SAMPLES: &str = "entity:sample_id\tparticipant\tdepth\tbam\ttumor\n\
S1\tP1\t30.5\tgs://bucket/S1.bam\ttrue\n\
S2\tP1\t12\tgs://bucket/S2.bam\tfalse\n\
S3\tP2\t45\tgs://bucket/S3.bam\ttrue\n\
S4\tP3\t\tgs://bucket/S4.bam\tfalse\n";

const MEMBERSHIP: &str = "membership:sample_set_id\tsample\n\
tumors\tS1\n\
tumors\tS3\n\
normals\tS2\n";

async fn lab() -> (TestApp, TestApp, TestApp) {
    crate::files::lab(|_| {}).await
}

async fn entity(app: &TestApp, workspace: &str, table: &str, name: &str) -> Value {
    app.get(&format!("/workspaces/{workspace}/entities/{table}/{name}"))
        .await
        .json()
        .await
        .unwrap()
}

async fn tables_of(app: &TestApp, workspace: &str) -> Value {
    app.get(&format!("/workspaces/{workspace}/entities"))
        .await
        .json()
        .await
        .unwrap()
}

async fn import(app: &TestApp, workspace: &str, tsv: &str) -> reqwest::Response {
    app.send_raw(
        Method::POST,
        &format!("/workspaces/{workspace}/entities/import"),
        tsv.to_owned(),
    )
    .await
}

async fn imported(app: &TestApp, workspace: &str, tsv: &str) -> Value {
    let response = import(app, workspace, tsv).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn page(app: &TestApp, workspace: &str, query: &str) -> Value {
    let response = app
        .get(&format!("/workspaces/{workspace}/entities/{query}"))
        .await;
    assert_eq!(response.status(), StatusCode::OK, "{query}");
    response.json().await.unwrap()
}

fn names(page: &Value) -> Vec<String> {
    page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_owned())
        .collect()
}

async fn export(app: &TestApp, workspace: &str, table: &str) -> reqwest::Response {
    app.get(&format!("/workspaces/{workspace}/entities/{table}/export"))
        .await
}

async fn count(app: &TestApp, table: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(app.store.pool())
        .await
        .unwrap()
}

async fn row_count(app: &TestApp) -> i64 {
    count(app, "entities").await
}

async fn sort_key_count(app: &TestApp) -> i64 {
    count(app, "entity_sort").await
}

#[tokio::test]
async fn terra_files_import_into_tables_that_page_sort_and_filter() {
    let (_admin, owner, reader) = lab().await;
    let summary = imported(&owner, WS, PARTICIPANTS).await;
    assert_eq!(
        summary,
        json!({ "entity_type": "participant", "rows": 3, "created": 3, "updated": 0 })
    );
    imported(&owner, WS, SAMPLES).await;
    imported(&owner, WS, MEMBERSHIP).await;

    let types = tables_of(&reader, WS).await;
    assert_eq!(
        types["types"],
        json!([
            { "name": "participant", "count": 3, "columns": ["age", "sex"] },
            { "name": "sample", "count": 4, "columns": ["participant", "depth", "bam", "tumor"] },
            { "name": "sample_set", "count": 2, "columns": ["samples"], "members_of": "sample" },
        ])
    );

    // Values keep their types; a column named after a table holds references.
    let s1 = entity(&reader, WS, "sample", "S1").await;
    assert_eq!(
        s1["attributes"]["depth"],
        json!({ "type": "number", "value": 30.5 })
    );
    assert_eq!(
        s1["attributes"]["tumor"],
        json!({ "type": "boolean", "value": true })
    );
    assert_eq!(
        s1["attributes"]["participant"],
        json!({ "type": "reference", "value": { "entityType": "participant", "entityName": "P1" } })
    );
    let tumors = entity(&reader, WS, "sample_set", "tumors").await;
    assert_eq!(
        tumors["attributes"]["samples"]["value"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // Sorted by any column, both ways; an empty cell sorts last going up.
    assert_eq!(
        names(&page(&reader, WS, "sample?sort=depth").await),
        ["S2", "S1", "S3", "S4"]
    );
    assert_eq!(
        names(&page(&reader, WS, "sample?sort=depth&desc=true").await),
        ["S4", "S3", "S1", "S2"]
    );
    assert_eq!(
        names(&page(&reader, WS, "sample?sort=sample_id&desc=true").await),
        ["S4", "S3", "S2", "S1"]
    );
    // Filtered by text in any cell, any case.
    assert_eq!(
        names(&page(&reader, WS, "sample?filter=p1").await),
        ["S1", "S2"]
    );
    assert_eq!(
        names(&page(&reader, WS, "participant?filter=f&sort=age").await),
        ["P3", "P1"]
    );

    // Pages follow each other without gaps or repeats, in every order.
    for sort in [
        "",
        "&sort=depth",
        "&sort=tumor&desc=true",
        "&sort=participant",
    ] {
        let mut seen = Vec::new();
        let mut after = String::new();
        loop {
            let one = page(&reader, WS, &format!("sample?limit=1{sort}{after}")).await;
            assert_eq!(one["total"], 4);
            seen.extend(names(&one));
            match one["next"].as_str() {
                Some(next) => after = format!("&after={}", urlencode(next)),
                None => break,
            }
        }
        seen.sort();
        assert_eq!(seen, ["S1", "S2", "S3", "S4"], "{sort}");
    }
    let forged = reader
        .get(&format!(
            "/workspaces/{WS}/entities/sample?after=not-a-cursor"
        ))
        .await;
    assert_eq!(error_of(forged).await.1, "bad_cursor");
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn a_bad_file_is_refused_with_every_problem_and_changes_nothing() {
    let (_admin, owner, _reader) = lab().await;
    imported(&owner, WS, PARTICIPANTS).await;
    let before = row_count(&owner).await;
    let cases = [
        ("participant_id\tage\nP9\t1\n", 1, None),
        ("entity:participant_id\tage\nP9\t1\t2\nP10\n", 2, None),
        (
            "entity:sample_id\tparticipant\nS9\tP404\n",
            2,
            Some("participant"),
        ),
        (
            "entity:participant_id\tage\nP9\t[1, \"a\"]\n",
            2,
            Some("age"),
        ),
        ("update:participant_id\tage\nP404\t3\n", 2, Some("name")),
        (
            "membership:sample_set_id\tsample\nset1\tS404\n",
            2,
            Some("samples"),
        ),
        (
            "entity:participant_id\tparticipant_id\nP9\tx\n",
            1,
            Some("participant_id"),
        ),
    ];
    for (tsv, line, column) in cases {
        let response = import(&owner, WS, tsv).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{tsv}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "import_problems", "{tsv}");
        let first = &body["error"]["problems"][0];
        assert_eq!(first["line"], line, "{tsv}: {body}");
        if let Some(column) = column {
            assert_eq!(first["column"], column, "{tsv}: {body}");
        }
        assert!(!first["message"].as_str().unwrap().is_empty());
    }
    // Every problem of a ragged file is listed, not only the first.
    let ragged = import(
        &owner,
        WS,
        "entity:participant_id\tage\nP9\nP10\t1\t2\nP11\t3\n",
    )
    .await;
    let body: Value = ragged.json().await.unwrap();
    let lines: Vec<i64> = body["error"]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["line"].as_i64().unwrap())
        .collect();
    assert_eq!(lines, [2, 3]);
    // A line longer than the limit is refused without being held whole.
    let long = format!(
        "entity:participant_id\tnote\nP9\t{}\n",
        "x".repeat(2 * 1024 * 1024)
    );
    let response = import(&owner, WS, &long).await;
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["problems"][0]["line"], 2);
    // A good row before a bad reference is not kept either: the import is atomic.
    let half = import(&owner, WS, "entity:participant_id\tfriend\nP7\t{\"entityType\":\"participant\",\"entityName\":\"P1\"}\nP8\t{\"entityType\":\"participant\",\"entityName\":\"P404\"}\n").await;
    assert_eq!(half.status(), StatusCode::BAD_REQUEST);
    assert_eq!(row_count(&owner).await, before);
    let participants = page(&owner, WS, "participant").await;
    assert_eq!(names(&participants), ["P1", "P2", "P3"]);
    assert_eq!(participants["columns"], json!(["age", "sex"]));
}

#[tokio::test]
async fn cell_edits_are_versioned_and_typed() {
    let (_admin, owner, reader) = lab().await;
    imported(&owner, WS, PARTICIPANTS).await;
    let path = format!("/workspaces/{WS}/entities/participant/P1");
    let edited = owner
        .patch(
            &path,
            &json!({ "version": 1, "set": { "age": { "type": "number", "value": 35 } } }),
        )
        .await;
    assert_eq!(edited.status(), StatusCode::OK);
    let edited: Value = edited.json().await.unwrap();
    assert_eq!(edited["version"], 2);
    // A second edit made against the first version is refused with the current row.
    let stale = owner
        .patch(
            &path,
            &json!({ "version": 1, "set": { "age": { "type": "number", "value": 99 } } }),
        )
        .await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let body: Value = stale.json().await.unwrap();
    assert_eq!(body["error"]["code"], "entity_changed");
    assert_eq!(
        body["error"]["table"]["current"]["attributes"]["age"]["value"],
        35.0
    );
    // A value a table cannot hold, or a reference to nothing, is refused and changes nothing.
    for bad in [
        json!({ "version": 2, "set": { "age": { "type": "list", "value": [{ "type": "number", "value": 1 }, { "type": "string", "value": "x" }] } } }),
        json!({ "version": 2, "set": { "age": { "type": "string", "value": "tab\there" } } }),
        json!({ "version": 2, "set": { "friend": { "type": "reference", "value": { "entityType": "participant", "entityName": "P404" } } } }),
        json!({ "version": 2, "set": { "participant_id": { "type": "string", "value": "renamed" } } }),
    ] {
        let refused = owner.patch(&path, &bad).await;
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST, "{bad}");
    }
    let now: Value = reader.get(&path).await.json().await.unwrap();
    assert_eq!(now["version"], 2);
    assert_eq!(now["attributes"]["age"]["value"], 35.0);
    assert!(now["attributes"].get("friend").is_none());
    // The new value sorts where it belongs; once a column is sorted, edits keep its keys.
    assert_eq!(
        names(&page(&reader, WS, "participant?sort=age&desc=true").await),
        ["P2", "P1", "P3"]
    );
    let older = owner
        .patch(
            &path,
            &json!({ "version": 2, "set": { "age": { "type": "number", "value": 60 } } }),
        )
        .await;
    assert_eq!(older.status(), StatusCode::OK);
    assert_eq!(
        names(&page(&reader, WS, "participant?sort=age").await),
        ["P3", "P2", "P1"]
    );
    let cleared = owner
        .patch(&path, &json!({ "version": 3, "remove": ["age"] }))
        .await;
    assert_eq!(cleared.status(), StatusCode::OK);
    assert_eq!(
        names(&page(&reader, WS, "participant?sort=age").await),
        ["P3", "P2", "P1"],
        "an empty cell sorts last"
    );
    assert_eq!(
        names(&page(&reader, WS, "participant?sort=age&desc=true").await),
        ["P1", "P2", "P3"]
    );
    assert_eq!(
        sort_key_count(&owner).await,
        3,
        "one key per row of the sorted column"
    );
}

#[tokio::test]
async fn deleting_a_referenced_entity_needs_confirmation_that_removes_the_references() {
    let (_admin, owner, _reader) = lab().await;
    imported(&owner, WS, PARTICIPANTS).await;
    imported(&owner, WS, SAMPLES).await;
    imported(&owner, WS, MEMBERSHIP).await;
    let path = format!("/workspaces/{WS}/entities/sample");
    assert_eq!(
        names(&page(&owner, WS, "sample?sort=depth").await),
        ["S2", "S1", "S3", "S4"]
    );
    let refused = owner
        .send(Method::DELETE, &path, Some(&json!({ "names": ["S1"] })))
        .await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "entity_referenced");
    assert_eq!(
        body["error"]["table"]["entities"],
        json!([{ "entityType": "sample_set", "entityName": "tumors" }])
    );
    assert_eq!(names(&page(&owner, WS, "sample").await).len(), 4);
    let deleted = owner
        .send(
            Method::DELETE,
            &path,
            Some(&json!({ "names": ["S1"], "remove_references": true })),
        )
        .await;
    assert_eq!(deleted.status(), StatusCode::OK);
    assert_eq!(
        deleted.json::<Value>().await.unwrap(),
        json!({ "deleted": 1, "references_removed": 1 })
    );
    assert_eq!(
        names(&page(&owner, WS, "sample?sort=depth").await),
        ["S2", "S3", "S4"]
    );
    assert_eq!(
        sort_key_count(&owner).await,
        3,
        "the deleted row's key went with it"
    );
    let tumors = entity(&owner, WS, "sample_set", "tumors").await;
    assert_eq!(
        tumors["attributes"]["samples"]["value"],
        json!([{ "type": "reference", "value": { "entityType": "sample", "entityName": "S3" } }])
    );
    // A participant a sample still refers to is refused the same way.
    let both = owner
        .send(
            Method::DELETE,
            &format!("/workspaces/{WS}/entities/participant"),
            Some(&json!({ "names": ["P3"] })),
        )
        .await;
    assert_eq!(error_of(both).await.1, "entity_referenced");
}

#[tokio::test]
async fn columns_are_renamed_and_deleted_with_their_values() {
    let (_admin, owner, _reader) = lab().await;
    imported(&owner, WS, PARTICIPANTS).await;
    imported(&owner, WS, SAMPLES).await;
    let path = format!("/workspaces/{WS}/entities/sample");
    let renamed = owner
        .patch(
            &path,
            &json!({ "column": "depth", "rename_to": "coverage" }),
        )
        .await;
    assert_eq!(renamed.json::<Value>().await.unwrap(), json!({ "rows": 3 }));
    let taken = owner
        .patch(&path, &json!({ "column": "coverage", "rename_to": "bam" }))
        .await;
    assert_eq!(error_of(taken).await.1, "column_exists");
    assert_eq!(
        names(&page(&owner, WS, "sample?sort=coverage").await),
        ["S2", "S1", "S3", "S4"]
    );
    // Deleting the reference column lets the participants go without confirmation.
    let dropped = owner
        .patch(&path, &json!({ "column": "participant" }))
        .await;
    assert_eq!(dropped.status(), StatusCode::OK);
    let sample = page(&owner, WS, "sample").await;
    assert_eq!(sample["columns"], json!(["coverage", "bam", "tumor"]));
    assert!(sample["rows"][0]["attributes"].get("participant").is_none());
    let deleted = owner
        .send(
            Method::DELETE,
            &format!("/workspaces/{WS}/entities/participant"),
            Some(&json!({ "names": ["P1", "P2", "P3"] })),
        )
        .await;
    assert_eq!(deleted.status(), StatusCode::OK);
    let types = tables_of(&owner, WS).await;
    assert_eq!(
        types["types"].as_array().unwrap().len(),
        1,
        "an emptied table goes"
    );
    let name_column = owner.patch(&path, &json!({ "column": "sample_id" })).await;
    assert_eq!(error_of(name_column).await.1, "name_column");
}

#[tokio::test]
async fn an_export_imports_back_as_the_same_table() {
    let (_admin, owner, _reader) = lab().await;
    imported(&owner, WS, PARTICIPANTS).await;
    imported(&owner, WS, SAMPLES).await;
    imported(&owner, WS, MEMBERSHIP).await;
    let tsv = export(&owner, WS, "sample").await;
    assert_eq!(tsv.status(), StatusCode::OK);
    assert!(tsv.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("sample.tsv"));
    let tsv = tsv.text().await.unwrap();
    assert!(
        tsv.starts_with("entity:sample_id\tparticipant\tdepth\tbam\ttumor\n"),
        "{tsv}"
    );
    assert!(
        tsv.contains("S1\tP1\t30.5\tgs://bucket/S1.bam\ttrue\n"),
        "{tsv}"
    );
    let set = export(&owner, WS, "sample_set").await;
    assert_eq!(set.headers()["content-type"], "application/zip");
    assert!(set.bytes().await.unwrap().starts_with(b"PK"));

    let copy = owner
        .create_workspace("owner-personal", "Copy", "registered")
        .await;
    assert_eq!(copy.status(), StatusCode::CREATED);
    let other = "owner-personal/copy";
    let participants = export(&owner, WS, "participant")
        .await
        .text()
        .await
        .unwrap();
    imported(&owner, other, &participants).await;
    imported(&owner, other, &tsv).await;
    for table in ["participant", "sample"] {
        let here = page(&owner, WS, table).await;
        let there = page(&owner, other, table).await;
        assert_eq!(here["rows"], there["rows"], "{table}");
        assert_eq!(here["columns"], there["columns"], "{table}");
    }
    // Importing the export again changes no value, only versions; a sorted column keeps one
    // key per row.
    let by_depth = names(&page(&owner, WS, "sample?sort=depth").await);
    let again = imported(&owner, WS, &tsv).await;
    assert_eq!(again["updated"], 4);
    assert_eq!(
        names(&page(&owner, WS, "sample?sort=depth").await),
        by_depth
    );
    let keys: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM entity_sort s JOIN entity_columns c ON c.id = s.column_id \
         JOIN entity_types t ON t.id = c.type_id WHERE t.name = 'sample' AND t.workspace_id = \
         (SELECT id FROM workspaces WHERE name = 'study')",
    )
    .fetch_one(owner.store.pool())
    .await
    .unwrap();
    assert_eq!(keys, 4);
    let reexported = export(&owner, WS, "sample").await.text().await.unwrap();
    assert_eq!(reexported, tsv);
}

#[tokio::test]
async fn copies_follow_references_list_conflicts_and_never_go_down_a_tier() {
    let (admin, owner, reader) = lab().await;
    imported(&owner, WS, PARTICIPANTS).await;
    imported(&owner, WS, SAMPLES).await;
    imported(&owner, WS, MEMBERSHIP).await;
    let created = reader
        .create_workspace("r-personal", "Mine", "registered")
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let request = |names: Value| json!({ "to_namespace": "r-personal", "to_name": "mine", "entity_type": "sample_set", "names": names });
    let copied = reader
        .post(
            &format!("/workspaces/{WS}/entities/copy"),
            &request(json!(["tumors"])),
        )
        .await;
    assert_eq!(copied.status(), StatusCode::OK);
    // The set, its two samples and their two participants.
    assert_eq!(
        copied.json::<Value>().await.unwrap(),
        json!({ "copied": 5 })
    );
    let mine = "r-personal/mine";
    assert_eq!(
        names(&page(&reader, mine, "participant").await),
        ["P1", "P2"]
    );
    assert_eq!(names(&page(&reader, mine, "sample").await), ["S1", "S3"]);
    // The copy's references are live: deleting a referenced sample needs confirmation there.
    let refused = reader
        .send(
            Method::DELETE,
            &format!("/workspaces/{mine}/entities/sample"),
            Some(&json!({ "names": ["S1"] })),
        )
        .await;
    assert_eq!(error_of(refused).await.1, "entity_referenced");
    // normals holds S2 → P1, which is already there: nothing is copied, the conflict is listed.
    let conflict = reader
        .post(
            &format!("/workspaces/{WS}/entities/copy"),
            &request(json!(["normals"])),
        )
        .await;
    assert_eq!(conflict.status(), StatusCode::CONFLICT);
    let body: Value = conflict.json().await.unwrap();
    assert_eq!(body["error"]["code"], "copy_conflicts");
    assert_eq!(
        body["error"]["table"]["entities"],
        json!([{ "entityType": "participant", "entityName": "P1" }])
    );
    assert_eq!(names(&page(&reader, mine, "sample").await), ["S1", "S3"]);

    // Controlled → Registered is refused; Registered → Controlled is fine.
    admin.grant_tier("owner@lab.org", "controlled").await;
    let secret = owner
        .create_workspace("owner-personal", "Secret", "controlled")
        .await;
    assert_eq!(secret.status(), StatusCode::CREATED);
    let up = owner
        .post(
            &format!("/workspaces/{WS}/entities/copy"),
            &json!({ "to_namespace": "owner-personal", "to_name": "secret", "entity_type": "participant", "names": ["P1"] }),
        )
        .await;
    assert_eq!(up.status(), StatusCode::OK);
    let target = owner
        .create_workspace("owner-personal", "Open", "registered")
        .await;
    assert_eq!(target.status(), StatusCode::CREATED);
    let down = owner
        .post(
            "/workspaces/owner-personal/secret/entities/copy",
            &json!({ "to_namespace": "owner-personal", "to_name": "open", "entity_type": "participant", "names": ["P1"] }),
        )
        .await;
    let (status, code, _) = error_of(down).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::FORBIDDEN, "cross_tier_copy")
    );
}

#[tokio::test]
async fn duplicate_carries_the_tables_and_delete_removes_them() {
    let (_admin, owner, _reader) = lab().await;
    imported(&owner, WS, PARTICIPANTS).await;
    imported(&owner, WS, SAMPLES).await;
    imported(&owner, WS, MEMBERSHIP).await;
    let attributes = owner
        .patch(
            &format!("/workspaces/{WS}/attributes"),
            &json!({ "set": { "reference": { "type": "string", "value": "hg38" } } }),
        )
        .await;
    assert_eq!(attributes.status(), StatusCode::OK);
    let by_depth = names(&page(&owner, WS, "sample?sort=depth").await);
    let duplicated = owner
        .post(
            &format!("/workspaces/{WS}/duplicate"),
            &json!({ "billing_project": "owner-personal", "display_name": "Twin" }),
        )
        .await;
    assert_eq!(duplicated.status(), StatusCode::CREATED);
    let twin = "owner-personal/twin";
    for table in ["participant", "sample", "sample_set"] {
        let here = page(&owner, WS, table).await;
        let there = page(&owner, twin, table).await;
        assert_eq!(here["rows"], there["rows"], "{table}");
    }
    assert_eq!(
        names(&page(&owner, twin, "sample?sort=depth").await),
        by_depth
    );
    assert_eq!(
        sort_key_count(&owner).await,
        8,
        "the sorted column's keys came along"
    );
    let twin_attributes: Value = owner
        .get(&format!("/workspaces/{twin}/attributes"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(twin_attributes["attributes"]["reference"]["value"], "hg38");
    // References came along: the twin's S1 is held by its own set.
    let refused = owner
        .send(
            Method::DELETE,
            &format!("/workspaces/{twin}/entities/sample"),
            Some(&json!({ "names": ["S1"] })),
        )
        .await;
    assert_eq!(error_of(refused).await.1, "entity_referenced");

    let before = row_count(&owner).await;
    assert_eq!(before, 18);
    let deleted = owner
        .delete("/workspaces/owner-personal/twin?confirm=twin")
        .await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(row_count(&owner).await, 9);
    // The source's keys for the one column sorted by (sample.depth) are all that is left.
    assert_eq!(sort_key_count(&owner).await, 4);
}

#[tokio::test]
async fn chosen_rows_are_saved_as_a_set_of_existing_members() {
    let (_admin, owner, reader) = lab().await;
    imported(&owner, WS, PARTICIPANTS).await;
    imported(&owner, WS, SAMPLES).await;
    let member = |name: &str| json!({ "type": "reference", "value": { "entityType": "sample", "entityName": name } });
    let set = |name: &str, members: Vec<Value>| json!({ "name": name, "attributes": { "samples": { "type": "list", "value": members } } });
    let path = format!("/workspaces/{WS}/entities/sample_set");
    let saved = owner
        .post(&path, &set("deep", vec![member("S1"), member("S3")]))
        .await;
    assert_eq!(saved.status(), StatusCode::CREATED);
    let types = tables_of(&reader, WS).await;
    assert_eq!(
        types["types"][2],
        json!({ "name": "sample_set", "count": 1, "columns": ["samples"], "members_of": "sample" })
    );
    // The same name again, or a member that does not exist, is refused and changes nothing.
    let again = owner.post(&path, &set("deep", vec![member("S2")])).await;
    assert_eq!(error_of(again).await.1, "entity_exists");
    let dangling = owner
        .post(&path, &set("ghosts", vec![member("S404")]))
        .await;
    let (status, code, message) = error_of(dangling).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::BAD_REQUEST, "bad_value")
    );
    assert!(message.contains("S404"), "{message}");
    assert_eq!(names(&page(&owner, WS, "sample_set").await), ["deep"]);
    // A reader may not save one.
    let refused = reader.post(&path, &set("mine", vec![member("S2")])).await;
    assert_eq!(error_of(refused).await.1, "role_too_low");
}

#[tokio::test]
async fn text_that_names_a_bucket_file_is_marked_for_a_link() {
    let (_admin, owner, reader) = lab().await;
    let uploaded = owner
        .send_raw(
            Method::PUT,
            &format!("/workspaces/{WS}/files/reads%2FS1.bam"),
            "bam bytes".to_owned(),
        )
        .await;
    assert_eq!(uploaded.status(), StatusCode::CREATED);
    imported(
        &owner,
        WS,
        "entity:sample_id\tbam\tnote\nS1\treads/S1.bam\treads/S1.bam is the tumor\nS2\treads/S2.bam\t\n",
    )
    .await;
    let found = page(&reader, WS, "sample").await;
    assert_eq!(
        found["files"],
        json!(["reads/S1.bam"]),
        "only names of files that exist"
    );
}

#[tokio::test]
async fn every_batch_of_a_refused_file_is_checked_and_none_is_kept() {
    let (_admin, owner, _reader) = lab().await;
    let mut rows = String::from("entity:participant_id\tage\n");
    for n in 0..600 {
        rows.push_str(&format!("P{n:04}\t{n}\n"));
    }
    imported(&owner, WS, &rows).await;
    // A missing row in the first batch of 500 and another in the second: both are listed.
    let mut update = String::from("update:participant_id\tage\nMISSING1\t1\n");
    for n in 0..550 {
        update.push_str(&format!("P{n:04}\t{}\n", n + 1000));
    }
    update.push_str("MISSING2\t2\n");
    let refused = import(&owner, WS, &update).await;
    let body: Value = refused.json().await.unwrap();
    let lines: Vec<i64> = body["error"]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["line"].as_i64().unwrap())
        .collect();
    assert_eq!(lines, [2, 553], "{body}");
    let first = entity(&owner, WS, "participant", "P0000").await;
    assert_eq!(first["attributes"]["age"]["value"], 0.0, "nothing was kept");
}

#[tokio::test]
async fn a_membership_file_lists_each_member_once_across_batches() {
    let (_admin, owner, _reader) = lab().await;
    let mut samples = String::from("entity:sample_id\tdepth\n");
    let mut membership = String::from("membership:sample_set_id\tsample\n");
    for n in 0..700 {
        samples.push_str(&format!("S{n:04}\t{n}\n"));
        membership.push_str(&format!("all\tS{n:04}\n"));
    }
    // Every member again, in a later batch: nothing is listed twice.
    for n in 0..700 {
        membership.push_str(&format!("all\tS{n:04}\n"));
    }
    imported(&owner, WS, &samples).await;
    imported(&owner, WS, &membership).await;
    let all = entity(&owner, WS, "sample_set", "all").await;
    assert_eq!(
        all["attributes"]["samples"]["value"]
            .as_array()
            .unwrap()
            .len(),
        700
    );
}
