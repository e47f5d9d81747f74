use std::collections::BTreeMap;

use carrel_core::{AccessTier, Email, Grant, GroupId, Principal, Role, UserId};
use sqlx::{AnyConnection, Row};

use super::billing::project_id;
use super::users::db_id;

/// How a principal is stored in `workspace_grants.principal_key`.
pub fn principal_key(principal: &Principal) -> String {
    match principal {
        Principal::User(id) => format!("u:{}", id.0),
        Principal::Group(id) => format!("g:{}", id.0),
        Principal::Invitation(email) => format!("i:{email}"),
    }
}

pub fn parse_principal_key(key: &str) -> Option<Principal> {
    let (kind, rest) = key.split_once(':')?;
    match kind {
        "u" => rest.parse().ok().map(|id| Principal::User(UserId(id))),
        "g" => rest.parse().ok().map(|id| Principal::Group(GroupId(id))),
        "i" => Email::parse(rest).ok().map(Principal::Invitation),
        _ => None,
    }
}

#[derive(Clone, Debug)]
pub struct WorkspaceRow {
    pub id: i64,
    pub namespace: String,
    pub name: String,
    pub display_name: String,
    pub tier: AccessTier,
    pub locked: bool,
    pub billing_project: carrel_core::BillingProjectId,
    pub creator_email: String,
    pub modified_at: i64,
}

/// Workspaces the user may see in their list: a direct grant, or ownership of the billing project.
pub async fn candidates_for(
    conn: &mut AnyConnection,
    user: UserId,
) -> Result<Vec<WorkspaceRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT w.id, p.name AS namespace, w.name, w.display_name, w.tier, w.locked, \
                w.project_id, c.email AS creator_email, w.modified_at \
         FROM workspaces w \
         JOIN billing_projects p ON p.id = w.project_id \
         JOIN users c ON c.id = w.creator_id \
         WHERE w.id IN (SELECT workspace_id FROM workspace_grants WHERE user_id = $1) \
            OR w.project_id IN (SELECT project_id FROM billing_members \
                                WHERE user_id = $1 AND role = 'owner') \
         ORDER BY w.modified_at DESC",
    )
    .bind(db_id(user))
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let tier: String = row.try_get("tier")?;
            Ok(WorkspaceRow {
                id: row.try_get("id")?,
                namespace: row.try_get("namespace")?,
                name: row.try_get("name")?,
                display_name: row.try_get("display_name")?,
                tier: AccessTier::parse(&tier).unwrap_or(AccessTier::Controlled),
                locked: row.try_get::<i64, _>("locked")? != 0,
                billing_project: project_id(row.try_get("project_id")?),
                creator_email: row.try_get("creator_email")?,
                modified_at: row.try_get("modified_at")?,
            })
        })
        .collect()
}

/// The user's own direct grants, by workspace id.
pub async fn direct_grants_of(
    conn: &mut AnyConnection,
    user: UserId,
) -> Result<BTreeMap<i64, Vec<Grant>>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT workspace_id, role, can_share, can_compute FROM workspace_grants \
         WHERE user_id = $1",
    )
    .bind(db_id(user))
    .fetch_all(conn)
    .await?;
    let mut grants: BTreeMap<i64, Vec<Grant>> = BTreeMap::new();
    for row in rows {
        let role: String = row.try_get("role")?;
        let grant = Grant {
            principal: Principal::User(user),
            role: Role::parse(&role).unwrap_or(Role::Reader),
            can_share: row.try_get::<i64, _>("can_share")? != 0,
            can_compute: row.try_get::<i64, _>("can_compute")? != 0,
        }
        .normalized();
        grants
            .entry(row.try_get("workspace_id")?)
            .or_default()
            .push(grant);
    }
    Ok(grants)
}

/// Turn the pending invitations for `email` into grants for the user who just signed up.
pub async fn activate_invitations(
    conn: &mut AnyConnection,
    email: &Email,
    user: UserId,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE workspace_grants SET principal_key = $1, user_id = $2 WHERE principal_key = $3",
    )
    .bind(principal_key(&Principal::User(user)))
    .bind(db_id(user))
    .bind(principal_key(&Principal::Invitation(email.clone())))
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}
