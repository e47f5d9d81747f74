//! One-time password reset links made by a site admin; only the token's hash is stored.

use carrel_core::UserId;
use sqlx::AnyConnection;

use super::users::{db_id, user_id};

/// Record a new link for `user`, replacing any earlier one of theirs.
pub async fn insert(
    conn: &mut AnyConnection,
    token_hash: &str,
    user: UserId,
    created_by: UserId,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM password_resets WHERE user_id = $1")
        .bind(db_id(user))
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO password_resets (token_hash, user_id, created_by, expires_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(db_id(user))
    .bind(db_id(created_by))
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Use a link: the user it was made for, if it is live; it is gone afterwards either way.
pub async fn consume(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: i64,
) -> Result<Option<UserId>, sqlx::Error> {
    let found: Option<(i64, i64)> =
        sqlx::query_as("SELECT user_id, expires_at FROM password_resets WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&mut *conn)
            .await?;
    let Some((user, expires_at)) = found else {
        return Ok(None);
    };
    let done = sqlx::query("DELETE FROM password_resets WHERE token_hash = $1")
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok((done.rows_affected() == 1 && expires_at > now).then(|| user_id(user)))
}

pub async fn delete_expired(conn: &mut AnyConnection, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM password_resets WHERE expires_at <= $1")
        .bind(now)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}
