use carrel_core::billing::BillingRole;
use carrel_core::{BillingProjectId, UserId};
use sqlx::AnyConnection;

use super::users::db_id;

pub fn project_id(raw: i64) -> BillingProjectId {
    BillingProjectId(u64::try_from(raw).unwrap_or_default())
}

fn role_name(role: BillingRole) -> &'static str {
    match role {
        BillingRole::Owner => "owner",
        BillingRole::User => "user",
    }
}

/// Create a billing project; `None` if the name is taken.
pub async fn insert_project(
    conn: &mut AnyConnection,
    name: &str,
    credits_cents: i64,
    now: i64,
) -> Result<Option<BillingProjectId>, sqlx::Error> {
    let inserted = sqlx::query_scalar::<_, i64>(
        "INSERT INTO billing_projects (name, credits_cents, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (name) DO NOTHING RETURNING id",
    )
    .bind(name)
    .bind(credits_cents)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    Ok(inserted.map(project_id))
}

pub async fn set_member(
    conn: &mut AnyConnection,
    project: BillingProjectId,
    user: UserId,
    role: BillingRole,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO billing_members (project_id, user_id, role) VALUES ($1, $2, $3) \
         ON CONFLICT (project_id, user_id) DO UPDATE SET role = excluded.role",
    )
    .bind(i64::try_from(project.0).unwrap_or(i64::MAX))
    .bind(db_id(user))
    .bind(role_name(role))
    .execute(conn)
    .await?;
    Ok(())
}

/// The billing projects the user owns, sorted.
pub async fn owned_by(
    conn: &mut AnyConnection,
    user: UserId,
) -> Result<Vec<BillingProjectId>, sqlx::Error> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT project_id FROM billing_members WHERE user_id = $1 AND role = 'owner' \
         ORDER BY project_id",
    )
    .bind(db_id(user))
    .fetch_all(conn)
    .await?;
    Ok(ids.into_iter().map(project_id).collect())
}
