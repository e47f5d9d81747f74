//! The scale generator at a small size: the world it builds is the one SPEC §7 describes.

use carrel_core::api::WorkspaceList;
use carrel_server::scale::{self, Sizes, SCALE_PASSWORD};
use carrel_server::store::memberships;
use reqwest::StatusCode;

use crate::helpers::spawn_app;

#[tokio::test]
async fn the_scale_world_has_heavy_users_nested_groups_and_an_owner_everywhere() {
    let app = spawn_app().await;
    let sizes = Sizes {
        users: 300,
        groups: 96,
        projects: 10,
        workspaces: 4_000,
        heavy_users: 3,
    };
    let report = scale::seed(&app.store, &sizes, 11, None).await.unwrap();
    assert_eq!(report.rows["workspaces"], 4_000);
    assert_eq!(report.rows["users"], 300);
    let grants = report.rows["workspace_grants"];
    assert!(
        (4_000..=40_000).contains(&grants),
        "1-10 grants a workspace on average: {grants}"
    );

    let ownerless: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM workspaces w WHERE NOT EXISTS (SELECT 1 FROM workspace_grants g \
         WHERE g.workspace_id = w.id AND g.role = 'owner' AND g.user_id IS NOT NULL)",
    )
    .fetch_one(app.store.pool())
    .await
    .unwrap();
    assert_eq!(ownerless, 0, "every workspace keeps a direct user owner");

    // A heavy user sits at the bottom of a chain of 8 nested groups ...
    let mut conn = app.store.pool().acquire().await.unwrap();
    let heavy: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(&report.heavy_users[0])
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    let closure = memberships::of_user(&mut conn, carrel_server::store::users::user_id(heavy))
        .await
        .unwrap()
        .groups;
    let chain: Vec<carrel_core::GroupId> = (1..=8).map(carrel_core::GroupId).collect();
    assert!(
        chain.iter().all(|g| closure.contains(g)),
        "the whole chain of 8 nested groups: {closure:?}"
    );
    drop(conn);

    // ... and reaches 1,400+ workspaces, directly and through those groups, over the real API.
    let mut client = app.another_client();
    let login = client
        .login_raw(&report.heavy_users[0], SCALE_PASSWORD)
        .await;
    assert_eq!(login.status(), StatusCode::OK);
    client.csrf = None;
    let list: WorkspaceList = client.get("/workspaces").await.json().await.unwrap();
    assert!(
        list.workspaces.len() >= 1_400,
        "a heavy user's list: {}",
        list.workspaces.len()
    );
    assert!(
        list.workspaces
            .iter()
            .any(|w| w.inaccessible_reason.is_some()),
        "some are Controlled Tier"
    );

    let again = scale::seed(&spawn_app().await.store, &sizes, 11, None)
        .await
        .unwrap();
    assert_eq!(
        again.rows, report.rows,
        "the same seed gives the same world"
    );
}

/// SQLite's readers read through a memory map; its one writer does not (each commit through a
/// mapped connection remapped the whole file: see BENCHMARKS.md).
#[tokio::test]
async fn sqlite_readers_map_the_file_and_the_writer_does_not() {
    let app = spawn_app().await;
    if app.store.backend() != carrel_server::store::Backend::Sqlite {
        return;
    }
    let mut reader = app.store.pool().acquire().await.unwrap();
    let mapped: i64 = sqlx::query_scalar("PRAGMA mmap_size")
        .fetch_one(&mut *reader)
        .await
        .unwrap();
    assert!(mapped > 0, "readers map the file: {mapped}");
    drop(reader);
    let mut writer = app.store.begin_write().await.unwrap();
    let unmapped: i64 = sqlx::query_scalar("PRAGMA mmap_size")
        .fetch_one(&mut *writer)
        .await
        .unwrap();
    assert_eq!(unmapped, 0, "the writer reads and writes without the map");
}
