use std::collections::BTreeMap;

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

pub async fn set_password(
    conn: &mut AnyConnection,
    id: UserId,
    password_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(db_id(id))
        .execute(conn)
        .await?;
    Ok(())
}

/// The tiers a user holds at `now` (a grant past its renewal date is no longer held).
pub async fn tiers(conn: &mut AnyConnection, id: UserId, now: i64) -> Result<TierSet, sqlx::Error> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT tier FROM user_tiers WHERE user_id = $1 AND (expires_at IS NULL OR expires_at > $2)",
    )
    .bind(db_id(id))
    .bind(now)
    .fetch_all(conn)
    .await?;
    names.iter().try_fold(TierSet::NONE, |held, name| {
        Ok(held.with(super::decode::tier(name)?))
    })
}

/// Grant a tier, until `expires_at` when given; granting a held tier again renews it.
pub async fn grant_tier(
    conn: &mut AnyConnection,
    id: UserId,
    tier: AccessTier,
    now: i64,
    expires_at: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO user_tiers (user_id, tier, granted_at, expires_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (user_id, tier) DO UPDATE SET granted_at = $3, expires_at = $4",
    )
    .bind(db_id(id))
    .bind(tier.as_str())
    .bind(now)
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// How a user is shown beside an ACL entry: address, name and the tiers they hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserLabel {
    pub email: String,
    pub display_name: String,
    pub tiers: TierSet,
}

/// Tiers of each listed user (users without tiers are absent).
pub async fn tiers_of_many(
    conn: &mut AnyConnection,
    ids: &[UserId],
) -> Result<BTreeMap<UserId, TierSet>, sqlx::Error> {
    let mut tiers: BTreeMap<UserId, TierSet> = BTreeMap::new();
    if ids.is_empty() {
        return Ok(tiers);
    }
    let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT user_id, tier FROM user_tiers WHERE user_id IN ({})",
        placeholders.join(", ")
    );
    let mut query = sqlx::query(&sql);
    for id in ids {
        query = query.bind(db_id(*id));
    }
    for row in query.fetch_all(conn).await? {
        let tier: String = row.try_get("tier")?;
        let tier = super::decode::tier(&tier)?;
        let entry = tiers.entry(user_id(row.try_get("user_id")?)).or_default();
        *entry = entry.with(tier);
    }
    Ok(tiers)
}

pub async fn revoke_tier(
    conn: &mut AnyConnection,
    id: UserId,
    tier: AccessTier,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM user_tiers WHERE user_id = $1 AND tier = $2")
        .bind(db_id(id))
        .bind(tier.as_str())
        .execute(conn)
        .await?;
    Ok(())
}

/// Users whose email or name contains `needle` (case-insensitive), optionally holding `tier`.
pub async fn search(
    conn: &mut AnyConnection,
    needle: &str,
    tier: Option<AccessTier>,
    limit: i64,
) -> Result<Vec<(String, String, TierSet)>, sqlx::Error> {
    let pattern = super::like_pattern(needle);
    let tier_clause = if tier.is_some() {
        " AND id IN (SELECT user_id FROM user_tiers WHERE tier = $3)"
    } else {
        ""
    };
    let sql = format!(
        "SELECT id, email, display_name FROM users \
         WHERE (email LIKE $1 ESCAPE '\\' OR LOWER(display_name) LIKE $1 ESCAPE '\\'){tier_clause} \
         ORDER BY email LIMIT $2"
    );
    let mut query = sqlx::query(&sql).bind(&pattern).bind(limit);
    if let Some(tier) = tier {
        query = query.bind(tier.as_str());
    }
    let rows = query.fetch_all(&mut *conn).await?;
    let ids: Vec<UserId> = rows
        .iter()
        .map(|row| row.try_get("id").map(user_id))
        .collect::<Result<_, _>>()?;
    let tiers = tiers_of_many(conn, &ids).await?;
    rows.iter()
        .zip(&ids)
        .map(|(row, id)| {
            Ok((
                row.try_get("email")?,
                row.try_get("display_name")?,
                tiers.get(id).copied().unwrap_or_default(),
            ))
        })
        .collect()
}
