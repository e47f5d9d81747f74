use carrel_core::UserId;
use sqlx::{AnyConnection, Row};

use super::users::{db_id, user_id};

pub struct SessionRecord {
    pub user_id: UserId,
    pub csrf_token: String,
}

pub async fn insert(
    conn: &mut AnyConnection,
    token_hash: &str,
    user: UserId,
    csrf_token: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(db_id(user))
    .bind(csrf_token)
    .bind(now)
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// The live session with this token hash, if any.
pub async fn find(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: i64,
) -> Result<Option<SessionRecord>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT user_id, csrf_token FROM sessions WHERE token_hash = $1 AND expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    row.map(|row| {
        Ok(SessionRecord {
            user_id: user_id(row.try_get("user_id")?),
            csrf_token: row.try_get("csrf_token")?,
        })
    })
    .transpose()
}

pub async fn delete(conn: &mut AnyConnection, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(())
}
