//! The workspace bucket through the API: streamed upload and download, folders, previews, move
//! and delete, the key rules and the size limit (nothing kept when refused), and the ledger the
//! bucket feeds: egress per download, storage per byte-time, sums that agree.
//!
//! Runs against a local folder, or against the S3-compatible server named by
//! `CARREL_TEST_S3_ENDPOINT` (the test command starts one and runs this suite again).

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{error_of, spawn_app_with, TestApp};
use crate::sharing::WS;

pub async fn lab(
    configure: impl FnOnce(&mut carrel_server::Config),
) -> (TestApp, TestApp, TestApp) {
    let mut admin = spawn_app_with(configure).await;
    admin.signup_admin("admin@carrel.test", "Admin").await;
    let owner = admin.new_user("owner@lab.org", "Olive Owner").await;
    admin.grant_tier("owner@lab.org", "registered").await;
    let reader = admin.new_user("r@lab.org", "Rea Der").await;
    admin.grant_tier("r@lab.org", "registered").await;
    assert_eq!(
        owner
            .create_workspace("owner-personal", "Study", "registered")
            .await
            .status(),
        StatusCode::CREATED
    );
    let shared = owner
        .share(
            WS,
            json!([{ "op": "set", "principal": { "kind": "user", "email": "r@lab.org" }, "role": "reader" }]),
        )
        .await;
    assert_eq!(shared.status(), StatusCode::OK);
    (admin, owner, reader)
}

async fn upload(app: &TestApp, key: &str, bytes: Vec<u8>) -> reqwest::Response {
    let encoded = key.replace('/', "%2F");
    app.client
        .put(app.url(&format!("/workspaces/{WS}/files/{encoded}")))
        .header("x-csrf-token", app.csrf.clone().unwrap_or_default())
        .body(bytes)
        .send()
        .await
        .unwrap()
}

async fn listing(app: &TestApp, prefix: &str) -> Value {
    app.get(&format!("/workspaces/{WS}/files?prefix={prefix}"))
        .await
        .json()
        .await
        .unwrap()
}

fn names(listing: &Value) -> Vec<String> {
    listing["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn files_upload_list_download_move_and_delete_as_the_roles_allow() {
    let (_admin, owner, reader) = lab(|_| {}).await;
    // Larger than the JSON body limit: uploads stream past it.
    let reads: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
    let uploaded = upload(&owner, "data/raw/reads.bin", reads.clone()).await;
    assert_eq!(uploaded.status(), StatusCode::CREATED);
    let entry: Value = uploaded.json().await.unwrap();
    assert_eq!(entry["size"], 3_000_000);
    assert_eq!(entry["uploaded_by"], "Olive Owner");
    let csv = b"sample,depth\n\"S1, left\",30\nS2,45\n".to_vec();
    assert_eq!(
        upload(&owner, "data/samples.csv", csv.clone())
            .await
            .status(),
        StatusCode::CREATED
    );
    assert_eq!(
        upload(&owner, "README.txt", b"Read me first.".to_vec())
            .await
            .status(),
        StatusCode::CREATED
    );

    let top = listing(&reader, "").await;
    assert_eq!(top["folders"], json!(["data/"]));
    assert_eq!(names(&top), ["README.txt"]);
    assert_eq!(top["total_bytes"], 3_000_000 + csv.len() as u64 + 14);
    let data = listing(&reader, "data/").await;
    assert_eq!(data["folders"], json!(["data/raw/"]));
    assert_eq!(names(&data), ["samples.csv"]);

    let downloaded = reader
        .client
        .get(reader.url(&format!("/workspaces/{WS}/files/data%2Fraw%2Freads.bin")))
        .header("accept-encoding", "gzip, br")
        .send()
        .await
        .unwrap();
    assert_eq!(downloaded.status(), StatusCode::OK);
    assert!(
        downloaded.headers().get("content-encoding").is_none(),
        "a file's bytes are sent as they are"
    );
    assert_eq!(downloaded.headers()["content-length"], "3000000");
    assert!(downloaded.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    assert_eq!(downloaded.bytes().await.unwrap().to_vec(), reads);

    let preview: Value = reader
        .get(&format!("/workspaces/{WS}/previews/data%2Fsamples.csv"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(preview["kind"], "table");
    assert_eq!(
        preview["rows"],
        json!([["sample", "depth"], ["S1, left", "30"], ["S2", "45"]])
    );
    let binary: Value = reader
        .get(&format!("/workspaces/{WS}/previews/data%2Fraw%2Freads.bin"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(binary["kind"], "none", "{binary}");

    // A reader reads; only writers change.
    let (status, code, message) = error_of(upload(&reader, "mine.txt", b"x".to_vec()).await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::FORBIDDEN, "role_too_low")
    );
    assert!(message.contains("upload files"), "{message}");
    let (status, code, _) = error_of(
        reader
            .delete(&format!("/workspaces/{WS}/files/README.txt"))
            .await,
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::FORBIDDEN, "role_too_low")
    );

    // Move: the new key lists, the old one is gone; a taken name is refused.
    let moved = owner
        .patch(
            &format!("/workspaces/{WS}/files/data%2Fsamples.csv"),
            &json!({ "to": "data/raw/samples.csv" }),
        )
        .await;
    assert_eq!(moved.status(), StatusCode::OK);
    assert_eq!(
        names(&listing(&reader, "data/raw/").await),
        ["reads.bin", "samples.csv"]
    );
    let (status, code, _) = error_of(
        owner
            .patch(
                &format!("/workspaces/{WS}/files/README.txt"),
                &json!({ "to": "data/raw/samples.csv" }),
            )
            .await,
    )
    .await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::CONFLICT, "file_exists")
    );
    let moved_bytes = reader
        .get(&format!("/workspaces/{WS}/files/data%2Fraw%2Fsamples.csv"))
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(moved_bytes.to_vec(), csv);

    // A second upload at a taken key is refused unless it asks to replace.
    let (status, code, _) = error_of(upload(&owner, "README.txt", b"again".to_vec()).await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::CONFLICT, "file_exists")
    );

    // Locked: reading and downloading go on, changes stop.
    assert_eq!(
        owner
            .post(&format!("/workspaces/{WS}/lock"), &json!({}))
            .await
            .status(),
        StatusCode::OK
    );
    let (status, code, _) = error_of(upload(&owner, "late.txt", b"x".to_vec()).await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::FORBIDDEN, "workspace_locked")
    );
    assert_eq!(
        reader
            .get(&format!("/workspaces/{WS}/files/README.txt"))
            .await
            .status(),
        StatusCode::OK
    );
    owner
        .post(&format!("/workspaces/{WS}/unlock"), &json!({}))
        .await;

    assert_eq!(
        owner
            .delete(&format!("/workspaces/{WS}/files/data%2Fraw%2Freads.bin"))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let (status, _, _) = error_of(
        reader
            .get(&format!("/workspaces/{WS}/files/data%2Fraw%2Freads.bin"))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(names(&listing(&reader, "data/raw/").await), ["samples.csv"]);
}

#[tokio::test]
async fn bad_keys_and_oversize_uploads_are_refused_and_leave_nothing() {
    let folder = std::env::temp_dir().join(format!("carrel-bucket-limits-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    let local = std::env::var("CARREL_TEST_S3_ENDPOINT").is_err();
    let (_admin, owner, _reader) = lab(|config| {
        config.max_upload_bytes = 100_000;
        if local {
            config.bucket = carrel_server::config::BucketConfig::Local(folder.clone());
        }
    })
    .await;
    for key in [
        "..%2Fescape.txt",
        "a%2F..%2Fb",
        "%2Fabsolute",
        "a%2F%2Fb",
        "a%0Ab",
        "a%E2%80%AEb",
    ] {
        let refused = owner
            .client
            .put(owner.url(&format!("/workspaces/{WS}/files/{key}")))
            .header("x-csrf-token", owner.csrf.clone().unwrap())
            .body("x")
            .send()
            .await
            .unwrap();
        let (status, code, _) = error_of(refused).await;
        assert_eq!(
            (status, code.as_str()),
            (StatusCode::BAD_REQUEST, "bad_file_key"),
            "{key}"
        );
    }
    let long = "x".repeat(1025);
    let (status, code, _) = error_of(upload(&owner, &long, b"x".to_vec()).await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::BAD_REQUEST, "bad_file_key")
    );

    // Over the limit, with a length announced: refused before a byte is kept.
    let (status, code, message) = error_of(upload(&owner, "big.bin", vec![7; 100_001]).await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, "file_too_large")
    );
    assert!(message.contains("100000"), "{message}");
    // Over the limit with no length (a stream): refused once it passes, and aborted.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        (0..30).map(|_| Ok(vec![1u8; 8_192])).collect();
    let streamed = owner
        .client
        .put(owner.url(&format!("/workspaces/{WS}/files/stream.bin")))
        .header("x-csrf-token", owner.csrf.clone().unwrap())
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
            chunks,
        )))
        .send()
        .await
        .unwrap();
    let (status, code, _) = error_of(streamed).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, "file_too_large")
    );

    let top = listing(&owner, "").await;
    assert_eq!(top["files"], json!([]));
    assert_eq!(top["total_bytes"], 0);
    if local {
        let mut left = Vec::new();
        for entry in walk(&folder) {
            left.push(entry);
        }
        assert!(
            left.is_empty(),
            "nothing half-written in the bucket: {left:?}"
        );
    }
    let (status, _, _) = error_of(
        owner
            .get(&format!("/workspaces/{WS}/files/stream.bin"))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[tokio::test]
async fn downloads_and_stored_bytes_are_charged_and_the_ledger_adds_up() {
    let (admin, owner, reader) = lab(|_| {}).await;
    let bytes = vec![9u8; 500_000];
    upload(&owner, "a.bin", bytes.clone()).await;
    for _ in 0..3 {
        let got = reader.get(&format!("/workspaces/{WS}/files/a.bin")).await;
        assert_eq!(got.bytes().await.unwrap().len(), 500_000);
    }
    // A storage sample charges the bytes kept so far; deleting charges the rest.
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let prices = carrel_core::costs::Prices::default();
    carrel_server::janitor::sample_storage(&admin.store, &prices)
        .await
        .unwrap();
    owner.delete(&format!("/workspaces/{WS}/files/a.bin")).await;

    let report: Value = owner
        .get(&format!("/workspaces/{WS}/spend"))
        .await
        .json()
        .await
        .unwrap();
    let egress = report["by_category"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["category"] == "egress")
        .expect("egress charged")["spend_nanos"]
        .as_i64()
        .unwrap();
    assert_eq!(egress, 3 * prices.egress(500_000).amount_nanos);
    let storage_events = report["recent"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["category"] == "storage")
        .count();
    assert!(storage_events >= 1, "{report}");
    // Every view of the ledger agrees with the events and with the project's running total.
    let events_sum: i64 = sqlx::query_scalar::<_, i64>(
        "SELECT CAST(COALESCE(SUM(amount_nanos), 0) AS BIGINT) FROM cost_events",
    )
    .fetch_one(admin.store.pool())
    .await
    .unwrap();
    let running: i64 = sqlx::query_scalar::<_, i64>(
        "SELECT spent_nanos FROM billing_projects WHERE name = 'owner-personal'",
    )
    .fetch_one(admin.store.pool())
    .await
    .unwrap();
    let categories: i64 = report["by_category"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["spend_nanos"].as_i64().unwrap())
        .sum();
    let days: i64 = report["by_day"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            d["storage_nanos"].as_i64().unwrap()
                + d["compute_nanos"].as_i64().unwrap()
                + d["egress_nanos"].as_i64().unwrap()
        })
        .sum();
    assert_eq!(report["spend_nanos"], events_sum);
    assert_eq!(
        (running, categories, days),
        (events_sum, events_sum, events_sum)
    );

    // The ledger is append-only, in the database itself.
    let changed = sqlx::query("UPDATE cost_events SET amount_nanos = 0")
        .execute(admin.store.pool())
        .await;
    assert!(changed.is_err(), "an event cannot be changed");
    let removed = sqlx::query("DELETE FROM cost_events")
        .execute(admin.store.pool())
        .await;
    assert!(removed.is_err(), "an event cannot be removed");

    // Owners add credits; the balance follows.
    let project: Value = owner
        .post(
            "/billing-projects/owner-personal/credits",
            &json!({ "amount_cents": 1_000 }),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(project["credits_cents"], 31_000);
    let (status, _, _) = error_of(
        owner
            .post(
                "/billing-projects/owner-personal/credits",
                &json!({ "amount_cents": 0 }),
            )
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, code, _) = error_of(reader.get(&format!("/workspaces/{WS}/spend")).await).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::FORBIDDEN, "role_too_low")
    );
}

#[tokio::test]
async fn a_duplicate_carries_the_files_and_a_deleted_workspace_takes_its_bucket_along() {
    let folder = std::env::temp_dir().join(format!("carrel-bucket-dup-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    let local = std::env::var("CARREL_TEST_S3_ENDPOINT").is_err();
    let (_admin, owner, _reader) = lab(|config| {
        if local {
            config.bucket = carrel_server::config::BucketConfig::Local(folder.clone());
        }
    })
    .await;
    upload(&owner, "data/a.txt", b"alpha".to_vec()).await;
    upload(&owner, "b.txt", b"beta".to_vec()).await;
    let with_files = owner
        .post(
            &format!("/workspaces/{WS}/duplicate"),
            &json!({ "billing_project": "owner-personal", "display_name": "With files" }),
        )
        .await;
    assert_eq!(with_files.status(), StatusCode::CREATED);
    let without = owner
        .post(
            &format!("/workspaces/{WS}/duplicate"),
            &json!({ "billing_project": "owner-personal", "display_name": "Without files",
                     "copy_files": false }),
        )
        .await;
    assert_eq!(without.status(), StatusCode::CREATED);
    let copied: Value = owner
        .get("/workspaces/owner-personal/with-files/files?prefix=data/")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(names(&copied), ["a.txt"]);
    assert_eq!(copied["total_bytes"], 9);
    let bytes = owner
        .get("/workspaces/owner-personal/with-files/files/data%2Fa.txt")
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(&bytes[..], b"alpha");
    let empty: Value = owner
        .get("/workspaces/owner-personal/without-files/files")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(empty["total_bytes"], 0);

    // Deleting the copy removes its objects; the source keeps its own.
    let deleted = owner
        .delete("/workspaces/owner-personal/with-files?confirm=with-files")
        .await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let source = owner
        .get(&format!("/workspaces/{WS}/files/data%2Fa.txt"))
        .await;
    assert_eq!(source.status(), StatusCode::OK);
    if local {
        let left: Vec<String> = walk(&folder)
            .iter()
            .map(|path| {
                path.strip_prefix(&folder)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert!(
            left.iter().all(|path| path.starts_with("ws-1/")),
            "only the source's objects remain: {left:?}"
        );
        assert_eq!(left.len(), 2, "{left:?}");
    }
}

#[tokio::test]
async fn replacing_heads_empty_files_and_cross_site_links_behave() {
    let (admin, owner, reader) = lab(|_| {}).await;
    upload(&owner, "notes.txt", b"first".to_vec()).await;
    let replaced = owner
        .client
        .put(owner.url(&format!("/workspaces/{WS}/files/notes.txt?replace=true")))
        .header("x-csrf-token", owner.csrf.clone().unwrap())
        .body("second version")
        .send()
        .await
        .unwrap();
    assert_eq!(replaced.status(), StatusCode::CREATED);
    let bytes = reader
        .get(&format!("/workspaces/{WS}/files/notes.txt"))
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(&bytes[..], b"second version");

    // Folders that differ only in case stay apart (SQLite's LIKE would mix them).
    upload(&owner, "Data/upper.txt", b"u".to_vec()).await;
    upload(&owner, "data/lower.txt", b"l".to_vec()).await;
    assert_eq!(names(&listing(&reader, "Data/").await), ["upper.txt"]);
    assert_eq!(names(&listing(&reader, "data/").await), ["lower.txt"]);

    upload(&owner, "empty.txt", Vec::new()).await;
    let preview: Value = reader
        .get(&format!("/workspaces/{WS}/previews/empty.txt"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(preview["kind"], "text", "{preview}");

    let egress_events = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM cost_events WHERE category = 'egress'")
            .fetch_one(admin.store.pool())
            .await
            .unwrap()
    };
    let before = egress_events().await;
    let head = reader
        .client
        .head(reader.url(&format!("/workspaces/{WS}/files/notes.txt")))
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(
        egress_events().await,
        before,
        "a HEAD sends no bytes and costs nothing"
    );
    let cross_site = reader
        .client
        .get(reader.url(&format!("/workspaces/{WS}/files/notes.txt")))
        .header("sec-fetch-site", "cross-site")
        .send()
        .await
        .unwrap();
    let (status, code, _) = error_of(cross_site).await;
    assert_eq!(
        (status, code.as_str()),
        (StatusCode::FORBIDDEN, "cross_site")
    );
    assert_eq!(egress_events().await, before);
}
