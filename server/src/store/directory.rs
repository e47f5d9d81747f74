//! The public research directory: every workspace's published research purpose, written when a
//! workspace is created or its About changes, kept (inactive) after it is deleted.

use carrel_core::api::DirectoryEntry;
use sqlx::{AnyConnection, Row};

use super::workspaces::WorkspaceRow;

/// Entries whose name or published purpose contains `needle`, newest first.
pub async fn search(
    conn: &mut AnyConnection,
    needle: &str,
    limit: i64,
) -> Result<Vec<DirectoryEntry>, sqlx::Error> {
    let pattern = super::like_pattern(needle);
    let rows = sqlx::query(
        "SELECT namespace, name, display_name, tier, research_purpose, creator_name, created_at, \
                active FROM directory_entries \
         WHERE LOWER(display_name) LIKE $1 ESCAPE '\\' OR LOWER(research_purpose) LIKE $1 ESCAPE '\\' \
         ORDER BY created_at DESC LIMIT $2",
    )
    .bind(pattern)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let tier: String = row.try_get("tier")?;
            let purpose: String = row.try_get("research_purpose")?;
            Ok(DirectoryEntry {
                namespace: row.try_get("namespace")?,
                name: row.try_get("name")?,
                display_name: row.try_get("display_name")?,
                tier: super::decode::tier(&tier)?,
                research_purpose: super::decode::json(
                    "directory_entries.research_purpose",
                    &purpose,
                )?,
                creator: row.try_get("creator_name")?,
                created_at: row.try_get("created_at")?,
                active: row.try_get::<i64, _>("active")? != 0,
            })
        })
        .collect()
}

pub fn directory_key(namespace: &str, name: &str, id: i64) -> String {
    format!("{namespace}/{name}#{id}")
}

/// Publish (or republish) a workspace's name and research purpose.
pub async fn publish(conn: &mut AnyConnection, row: &WorkspaceRow) -> Result<(), sqlx::Error> {
    let published =
        serde_json::to_string(&row.research_purpose.published()).unwrap_or_else(|_| "{}".into());
    sqlx::query(
        "INSERT INTO directory_entries (workspace_key, namespace, name, display_name, tier, \
             research_purpose, creator_name, created_at, active) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1) \
         ON CONFLICT (workspace_key) DO UPDATE SET display_name = excluded.display_name, \
             research_purpose = excluded.research_purpose",
    )
    .bind(directory_key(&row.namespace, &row.name, row.id))
    .bind(&row.namespace)
    .bind(&row.name)
    .bind(&row.display_name)
    .bind(row.tier.as_str())
    .bind(published)
    .bind(&row.creator_name)
    .bind(row.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// A deleted workspace stays in the directory, marked inactive.
pub async fn unpublish(conn: &mut AnyConnection, row: &WorkspaceRow) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE directory_entries SET active = 0 WHERE workspace_key = $1")
        .bind(directory_key(&row.namespace, &row.name, row.id))
        .execute(conn)
        .await?;
    Ok(())
}
