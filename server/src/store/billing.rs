use carrel_core::api::BillingWorkspaceView;
use carrel_core::billing::BillingRole;
use carrel_core::{BillingProjectId, UserId};
use sqlx::{AnyConnection, Row};

use super::users::{db_id, user_id};

pub fn project_id(raw: i64) -> BillingProjectId {
    BillingProjectId(u64::try_from(raw).unwrap_or_default())
}

pub fn project_db_id(id: BillingProjectId) -> i64 {
    i64::try_from(id.0).unwrap_or(i64::MAX)
}

fn role_name(role: BillingRole) -> &'static str {
    role.as_str()
}

fn parse_role(raw: &str) -> Result<BillingRole, sqlx::Error> {
    super::decode::billing_role(raw)
}

#[derive(Clone, Debug)]
pub struct ProjectRecord {
    pub id: BillingProjectId,
    pub name: String,
    pub credits_cents: i64,
    /// The ledger's running total.
    pub spent_nanos: i64,
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

pub async fn find_by_name(
    conn: &mut AnyConnection,
    name: &str,
) -> Result<Option<ProjectRecord>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, name, credits_cents, spent_nanos FROM billing_projects WHERE name = $1",
    )
    .bind(name)
    .fetch_optional(conn)
    .await?;
    row.map(|row| {
        Ok(ProjectRecord {
            id: project_id(row.try_get("id")?),
            name: row.try_get("name")?,
            credits_cents: row.try_get("credits_cents")?,
            spent_nanos: row.try_get("spent_nanos")?,
        })
    })
    .transpose()
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
    .bind(project_db_id(project))
    .bind(db_id(user))
    .bind(role_name(role))
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn remove_member(
    conn: &mut AnyConnection,
    project: BillingProjectId,
    user: UserId,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM billing_members WHERE project_id = $1 AND user_id = $2")
        .bind(project_db_id(project))
        .bind(db_id(user))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn role_of(
    conn: &mut AnyConnection,
    project: BillingProjectId,
    user: UserId,
) -> Result<Option<BillingRole>, sqlx::Error> {
    let role: Option<String> = sqlx::query_scalar(
        "SELECT role FROM billing_members WHERE project_id = $1 AND user_id = $2",
    )
    .bind(project_db_id(project))
    .bind(db_id(user))
    .fetch_optional(conn)
    .await?;
    role.as_deref().map(parse_role).transpose()
}

/// Owners of a project, sorted.
pub async fn owners_of(
    conn: &mut AnyConnection,
    project: BillingProjectId,
) -> Result<Vec<UserId>, sqlx::Error> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT user_id FROM billing_members WHERE project_id = $1 AND role = 'owner' \
         ORDER BY user_id",
    )
    .bind(project_db_id(project))
    .fetch_all(conn)
    .await?;
    Ok(ids.into_iter().map(user_id).collect())
}

pub struct MemberRecord {
    pub email: String,
    pub display_name: String,
    pub role: BillingRole,
}

pub async fn members_of(
    conn: &mut AnyConnection,
    project: BillingProjectId,
) -> Result<Vec<MemberRecord>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT u.email, u.display_name, m.role FROM billing_members m \
         JOIN users u ON u.id = m.user_id WHERE m.project_id = $1 ORDER BY u.email",
    )
    .bind(project_db_id(project))
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let role: String = row.try_get("role")?;
            Ok(MemberRecord {
                email: row.try_get("email")?,
                display_name: row.try_get("display_name")?,
                role: parse_role(&role)?,
            })
        })
        .collect()
}

/// The projects the user belongs to, with their role and how many workspaces each holds.
pub async fn projects_of(
    conn: &mut AnyConnection,
    user: UserId,
) -> Result<Vec<(ProjectRecord, BillingRole, i64)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT p.id, p.name, p.credits_cents, p.spent_nanos, m.role, \
                (SELECT COUNT(*) FROM workspaces w WHERE w.project_id = p.id) AS workspace_count \
         FROM billing_members m \
         JOIN billing_projects p ON p.id = m.project_id WHERE m.user_id = $1 ORDER BY p.name",
    )
    .bind(db_id(user))
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let role: String = row.try_get("role")?;
            Ok((
                ProjectRecord {
                    id: project_id(row.try_get("id")?),
                    name: row.try_get("name")?,
                    credits_cents: row.try_get("credits_cents")?,
                    spent_nanos: row.try_get("spent_nanos")?,
                },
                parse_role(&role)?,
                row.try_get("workspace_count")?,
            ))
        })
        .collect()
}

/// A billing project's workspaces by display name, at most `limit`, and how many there are.
pub async fn workspaces_of(
    conn: &mut AnyConnection,
    project: BillingProjectId,
    limit: i64,
) -> Result<(Vec<BillingWorkspaceView>, i64), sqlx::Error> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM workspaces WHERE project_id = $1")
        .bind(project_db_id(project))
        .fetch_one(&mut *conn)
        .await?;
    let rows = sqlx::query(
        "SELECT p.name AS namespace, w.name, w.display_name, w.tier, w.locked, w.created_at, \
                c.display_name AS creator_name, \
                (SELECT CAST(COALESCE(SUM(e.amount_nanos), 0) AS BIGINT) FROM cost_events e \
                 WHERE e.workspace_id = w.id) AS spend \
         FROM workspaces w JOIN billing_projects p ON p.id = w.project_id \
         JOIN users c ON c.id = w.creator_id \
         WHERE w.project_id = $1 ORDER BY LOWER(w.display_name), w.id LIMIT $2",
    )
    .bind(project_db_id(project))
    .bind(limit)
    .fetch_all(conn)
    .await?;
    let workspaces = rows
        .iter()
        .map(|row| {
            let tier: String = row.try_get("tier")?;
            Ok(BillingWorkspaceView {
                namespace: row.try_get("namespace")?,
                name: row.try_get("name")?,
                display_name: row.try_get("display_name")?,
                tier: super::decode::tier(&tier)?,
                creator_name: row.try_get("creator_name")?,
                created_at: row.try_get("created_at")?,
                locked: row.try_get::<i64, _>("locked")? != 0,
                spend_cents: carrel_core::costs::cents_of(row.try_get("spend")?),
            })
        })
        .collect::<Result<_, sqlx::Error>>()?;
    Ok((workspaces, count))
}

pub async fn credits_of(
    conn: &mut AnyConnection,
    project: BillingProjectId,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT credits_cents FROM billing_projects WHERE id = $1")
        .bind(project_db_id(project))
        .fetch_one(conn)
        .await
}
