//! The bucket's index: one row per file (key, size, who uploaded it, when). The bytes live in
//! the object store; listings, sizes and the storage meter read this table.

use carrel_core::api::FileEntry;
use carrel_core::files::file_name;
use carrel_core::UserId;
use sqlx::{AnyConnection, Row};

use super::users::db_id;

/// Files under `prefix` (at any depth), by key, at most `limit`.
pub async fn under(
    conn: &mut AnyConnection,
    workspace: i64,
    prefix: &str,
    limit: i64,
) -> Result<Vec<FileEntry>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT f.file_key, f.size, f.modified_at, COALESCE(u.display_name, '') AS uploaded_by \
         FROM workspace_files f LEFT JOIN users u ON u.id = f.uploaded_by \
         WHERE f.workspace_id = $1 AND f.file_key LIKE $2 ESCAPE '\\' \
         ORDER BY f.file_key LIMIT $3",
    )
    .bind(workspace)
    .bind(format!("{}%", escape_like(prefix)))
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let key: String = row.try_get("file_key")?;
            Ok(FileEntry {
                name: file_name(&key).to_owned(),
                key,
                size: u64::try_from(row.try_get::<i64, _>("size")?).unwrap_or_default(),
                modified_at: row.try_get("modified_at")?,
                uploaded_by: row.try_get("uploaded_by")?,
            })
        })
        .collect()
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// One file's size, if it exists.
pub async fn size_of(
    conn: &mut AnyConnection,
    workspace: i64,
    key: &str,
) -> Result<Option<u64>, sqlx::Error> {
    let size: Option<i64> = sqlx::query_scalar(
        "SELECT size FROM workspace_files WHERE workspace_id = $1 AND file_key = $2",
    )
    .bind(workspace)
    .bind(key)
    .fetch_optional(conn)
    .await?;
    Ok(size.map(|s| u64::try_from(s).unwrap_or_default()))
}

/// Record an uploaded file (replacing the row of an earlier one at the same key).
pub async fn record(
    conn: &mut AnyConnection,
    workspace: i64,
    key: &str,
    size: u64,
    uploader: UserId,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO workspace_files (workspace_id, file_key, size, uploaded_by, modified_at) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (workspace_id, file_key) DO UPDATE SET size = excluded.size, \
             uploaded_by = excluded.uploaded_by, modified_at = excluded.modified_at",
    )
    .bind(workspace)
    .bind(key)
    .bind(i64::try_from(size).unwrap_or(i64::MAX))
    .bind(db_id(uploader))
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn rename(
    conn: &mut AnyConnection,
    workspace: i64,
    from: &str,
    to: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE workspace_files SET file_key = $1, modified_at = $2 \
         WHERE workspace_id = $3 AND file_key = $4",
    )
    .bind(to)
    .bind(now)
    .bind(workspace)
    .bind(from)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn remove(
    conn: &mut AnyConnection,
    workspace: i64,
    key: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM workspace_files WHERE workspace_id = $1 AND file_key = $2")
        .bind(workspace)
        .bind(key)
        .execute(conn)
        .await?;
    Ok(())
}

/// Every file's bytes in a workspace.
pub async fn total_bytes(conn: &mut AnyConnection, workspace: i64) -> Result<u64, sqlx::Error> {
    let total: Option<i64> = sqlx::query_scalar(
        "SELECT CAST(SUM(size) AS BIGINT) FROM workspace_files WHERE workspace_id = $1",
    )
    .bind(workspace)
    .fetch_one(conn)
    .await?;
    Ok(u64::try_from(total.unwrap_or_default()).unwrap_or_default())
}

/// Every file of a workspace with its size (to copy them).
pub async fn all(
    conn: &mut AnyConnection,
    workspace: i64,
) -> Result<Vec<(String, u64)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT file_key, size FROM workspace_files WHERE workspace_id = $1 ORDER BY file_key",
    )
    .bind(workspace)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get("file_key")?,
                u64::try_from(row.try_get::<i64, _>("size")?).unwrap_or_default(),
            ))
        })
        .collect()
}

/// Copy the index rows of `from` into `to` (after their objects were copied).
pub async fn copy_rows(
    conn: &mut AnyConnection,
    from: i64,
    to: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO workspace_files (workspace_id, file_key, size, uploaded_by, modified_at) \
         SELECT $1, file_key, size, uploaded_by, $2 FROM workspace_files WHERE workspace_id = $3",
    )
    .bind(to)
    .bind(now)
    .bind(from)
    .execute(conn)
    .await?;
    Ok(())
}
