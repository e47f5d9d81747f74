use carrel_core::{AccessTier, TierSet, UserId};
use sqlx::{AnyConnection, Row};

use super::flag;

#[derive(Clone, Debug)]
pub struct UserRecord {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub is_site_admin: bool,
}

pub fn user_id(raw: i64) -> UserId {
    UserId(u64::try_from(raw).unwrap_or_default())
}

pub fn db_id(id: UserId) -> i64 {
    i64::try_from(id.0).unwrap_or(i64::MAX)
}

pub async fn count(conn: &mut AnyConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(conn)
        .await
}

/// Insert a user; `None` if the email is taken.
pub async fn insert(
    conn: &mut AnyConnection,
    email: &str,
    display_name: &str,
    password_hash: &str,
    is_site_admin: bool,
    now: i64,
) -> Result<Option<UserId>, sqlx::Error> {
    // ON CONFLICT rather than catching the violation: in PostgreSQL an error aborts the transaction.
    let inserted = sqlx::query_scalar::<_, i64>(
        "INSERT INTO users (email, display_name, password_hash, is_site_admin, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(email)
    .bind(display_name)
    .bind(password_hash)
    .bind(flag(is_site_admin))
    .bind(now)
    .fetch_optional(conn)
    .await?;
    Ok(inserted.map(user_id))
}

const USER_COLUMNS: &str = "id, email, display_name, password_hash, is_site_admin";

fn record(row: &sqlx::any::AnyRow) -> Result<UserRecord, sqlx::Error> {
    Ok(UserRecord {
        id: user_id(row.try_get("id")?),
        email: row.try_get("email")?,
        display_name: row.try_get("display_name")?,
        password_hash: row.try_get("password_hash")?,
        is_site_admin: row.try_get::<i64, _>("is_site_admin")? != 0,
    })
}

pub async fn find_by_email(
    conn: &mut AnyConnection,
    email: &str,
) -> Result<Option<UserRecord>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {USER_COLUMNS} FROM users WHERE email = $1"
    ))
    .bind(email)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(record).transpose()
}

pub async fn find_by_id(
    conn: &mut AnyConnection,
    id: UserId,
) -> Result<Option<UserRecord>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
        .bind(db_id(id))
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(record).transpose()
}

pub async fn tiers(conn: &mut AnyConnection, id: UserId) -> Result<TierSet, sqlx::Error> {
    let names: Vec<String> = sqlx::query_scalar("SELECT tier FROM user_tiers WHERE user_id = $1")
        .bind(db_id(id))
        .fetch_all(conn)
        .await?;
    Ok(names
        .iter()
        .filter_map(|name| AccessTier::parse(name))
        .fold(TierSet::NONE, TierSet::with))
}

pub async fn grant_tier(
    conn: &mut AnyConnection,
    id: UserId,
    tier: AccessTier,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO user_tiers (user_id, tier, granted_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_id, tier) DO NOTHING",
    )
    .bind(db_id(id))
    .bind(tier.as_str())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}
