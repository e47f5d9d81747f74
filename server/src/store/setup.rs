//! One-time setup tokens: the account that signs up with one becomes the first site admin.

use sqlx::AnyConnection;

pub async fn has_site_admin(conn: &mut AnyConnection) -> Result<bool, sqlx::Error> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT id FROM users WHERE is_site_admin = 1 LIMIT 1")
            .fetch_optional(conn)
            .await?;
    Ok(found.is_some())
}

pub async fn add(conn: &mut AnyConnection, token_hash: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO setup_tokens (token_hash, created_at) VALUES ($1, $2) \
         ON CONFLICT (token_hash) DO NOTHING",
    )
    .bind(token_hash)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Use the token: `true` if it was outstanding, and then no token is left. Two sign-ups racing
/// with the same token cannot both succeed: the second DELETE finds nothing (on PostgreSQL it
/// waits for the first transaction and re-checks the row).
pub async fn consume(conn: &mut AnyConnection, token_hash: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM setup_tokens WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM setup_tokens")
        .execute(conn)
        .await?;
    Ok(true)
}
