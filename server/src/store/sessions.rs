use carrel_core::UserId;
use sqlx::{AnyConnection, Row};

use super::users::{db_id, user_id};

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

pub async fn delete(conn: &mut AnyConnection, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// The signed-in user behind a live session, with their tiers: one query for every request.
pub struct SignedIn {
    pub user_id: UserId,
    pub csrf_token: String,
    pub email: String,
    pub display_name: String,
    pub is_site_admin: bool,
    pub tiers: carrel_core::TierSet,
}

pub async fn find_signed_in(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: i64,
) -> Result<Option<SignedIn>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT s.user_id, s.csrf_token, u.email, u.display_name, u.is_site_admin, \
             CAST(CASE WHEN EXISTS (SELECT 1 FROM user_tiers t \
                 WHERE t.user_id = u.id AND t.tier = 'registered' \
                 AND (t.expires_at IS NULL OR t.expires_at > $2)) THEN 1 ELSE 0 END AS BIGINT), \
             CAST(CASE WHEN EXISTS (SELECT 1 FROM user_tiers t \
                 WHERE t.user_id = u.id AND t.tier = 'controlled' \
                 AND (t.expires_at IS NULL OR t.expires_at > $2)) THEN 1 ELSE 0 END AS BIGINT) \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    row.map(|row| {
        let mut tiers = carrel_core::TierSet::NONE;
        if row.try_get::<i64, _>(5)? != 0 {
            tiers = tiers.with(carrel_core::AccessTier::Registered);
        }
        if row.try_get::<i64, _>(6)? != 0 {
            tiers = tiers.with(carrel_core::AccessTier::Controlled);
        }
        Ok(SignedIn {
            user_id: user_id(row.try_get(0)?),
            csrf_token: row.try_get(1)?,
            email: row.try_get(2)?,
            display_name: row.try_get(3)?,
            is_site_admin: row.try_get::<i64, _>(4)? != 0,
            tiers,
        })
    })
    .transpose()
}

/// Delete every session that has expired; how many went.
pub async fn delete_expired(conn: &mut AnyConnection, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// Sign a user out everywhere, except the session `keep` (by its hash) when given.
pub async fn delete_for_user(
    conn: &mut AnyConnection,
    user: UserId,
    keep: Option<&str>,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(db_id(user))
        .bind(keep.unwrap_or(""))
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

pub async fn count_for_user(conn: &mut AnyConnection, user: UserId) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE user_id = $1")
        .bind(db_id(user))
        .fetch_one(conn)
        .await
}
