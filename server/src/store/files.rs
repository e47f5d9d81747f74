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

/// Which of `keys` are files of the workspace.
pub async fn existing(
    conn: &mut AnyConnection,
    workspace: i64,
    keys: &[String],
) -> Result<Vec<String>, sqlx::Error> {
    let mut found = Vec::new();
    for chunk in keys.chunks(100) {
        let list = (0..chunk.len())
            .map(|i| format!("${}", i + 2))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT file_key FROM workspace_files WHERE workspace_id = $1 AND file_key IN ({list})"
        );
        let mut query = sqlx::query(&sql).bind(workspace);
        for key in chunk {
            query = query.bind(key);
        }
        for row in query.fetch_all(&mut *conn).await? {
            found.push(row.try_get("file_key")?);
        }
    }
    Ok(found)
}

/// A file's bytes: their size and the object holding them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    pub size: u64,
    pub object: String,
}

/// One file, if it exists.
pub async fn find(
    conn: &mut AnyConnection,
    workspace: i64,
    key: &str,
) -> Result<Option<Stored>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT size, object_name FROM workspace_files WHERE workspace_id = $1 AND file_key = $2",
    )
    .bind(workspace)
    .bind(key)
    .fetch_optional(conn)
    .await?;
    row.map(|row| {
        Ok(Stored {
            size: u64::try_from(row.try_get::<i64, _>("size")?).unwrap_or_default(),
            object: row.try_get("object_name")?,
        })
    })
    .transpose()
}

/// Record an uploaded file at a free key; false (nothing written) when the key is taken.
pub async fn insert(
    conn: &mut AnyConnection,
    workspace: i64,
    key: &str,
    stored: &Stored,
    (uploader, now): (UserId, i64),
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "INSERT INTO workspace_files (workspace_id, file_key, object_name, size, uploaded_by, \
             modified_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (workspace_id, file_key) DO NOTHING",
    )
    .bind(workspace)
    .bind(key)
    .bind(&stored.object)
    .bind(i64::try_from(stored.size).unwrap_or(i64::MAX))
    .bind(db_id(uploader))
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Point an existing key at new bytes.
pub async fn replace(
    conn: &mut AnyConnection,
    workspace: i64,
    key: &str,
    stored: &Stored,
    (uploader, now): (UserId, i64),
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE workspace_files SET object_name = $1, size = $2, uploaded_by = $3, \
             modified_at = $4 WHERE workspace_id = $5 AND file_key = $6",
    )
    .bind(&stored.object)
    .bind(i64::try_from(stored.size).unwrap_or(i64::MAX))
    .bind(db_id(uploader))
    .bind(now)
    .bind(workspace)
    .bind(key)
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

/// Every file of a workspace: its key, bytes and uploader (to copy them).
pub async fn all(
    conn: &mut AnyConnection,
    workspace: i64,
) -> Result<Vec<(String, Stored, Option<i64>)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT file_key, size, object_name, uploaded_by FROM workspace_files \
         WHERE workspace_id = $1 ORDER BY file_key",
    )
    .bind(workspace)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get("file_key")?,
                Stored {
                    size: u64::try_from(row.try_get::<i64, _>("size")?).unwrap_or_default(),
                    object: row.try_get("object_name")?,
                },
                row.try_get("uploaded_by")?,
            ))
        })
        .collect()
}

/// Record a copied file in another workspace (its object already copied there).
pub async fn record_copy(
    conn: &mut AnyConnection,
    workspace: i64,
    (key, stored, uploader): &(String, Stored, Option<i64>),
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO workspace_files (workspace_id, file_key, object_name, size, uploaded_by, \
             modified_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (workspace_id, file_key) DO NOTHING",
    )
    .bind(workspace)
    .bind(key)
    .bind(&stored.object)
    .bind(i64::try_from(stored.size).unwrap_or(i64::MAX))
    .bind(*uploader)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Forget every file of a workspace (it is being deleted; its objects go after the commit).
pub async fn remove_all(conn: &mut AnyConnection, workspace: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM workspace_files WHERE workspace_id = $1")
        .bind(workspace)
        .execute(conn)
        .await?;
    Ok(())
}
