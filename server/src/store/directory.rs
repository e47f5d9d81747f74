use carrel_core::api::DirectoryEntry;
use sqlx::{AnyConnection, Row};

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
