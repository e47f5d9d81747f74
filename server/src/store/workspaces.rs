//! Workspaces, their ACL rows, and the public directory.

use std::collections::BTreeMap;

use carrel_core::workspace::ResearchPurpose;
use carrel_core::{AccessTier, BillingProjectId, Email, Grant, GroupId, Principal, UserId};
use sqlx::{AnyConnection, Row};

use super::billing::{project_db_id, project_id};
use super::decode;
use super::flag;
use super::users::{db_id, user_id};

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
    pub description: String,
    pub tier: AccessTier,
    pub locked: bool,
    pub billing_project: BillingProjectId,
    pub creator_id: UserId,
    pub creator_email: String,
    pub creator_name: String,
    pub acl_version: u64,
    pub about_version: u64,
    pub dataset_version: String,
    pub research_purpose: ResearchPurpose,
    pub replication_statement: String,
    pub created_at: i64,
    pub modified_at: i64,
}

const WORKSPACE_COLUMNS: &str =
    "w.id, p.name AS namespace, w.name, w.display_name, w.description, \
     w.tier, w.locked, w.project_id, w.creator_id, c.email AS creator_email, \
     c.display_name AS creator_name, w.acl_version, w.about_version, w.dataset_version, \
     w.research_purpose, w.replication_statement, w.created_at, w.modified_at";

const WORKSPACE_FROM: &str = "FROM workspaces w \
     JOIN billing_projects p ON p.id = w.project_id \
     JOIN users c ON c.id = w.creator_id";

fn unsigned(raw: i64) -> u64 {
    u64::try_from(raw).unwrap_or_default()
}

fn row_to_workspace(row: &sqlx::any::AnyRow) -> Result<WorkspaceRow, sqlx::Error> {
    let tier: String = row.try_get("tier")?;
    let purpose: String = row.try_get("research_purpose")?;
    Ok(WorkspaceRow {
        id: row.try_get("id")?,
        namespace: row.try_get("namespace")?,
        name: row.try_get("name")?,
        display_name: row.try_get("display_name")?,
        description: row.try_get("description")?,
        tier: decode::tier(&tier)?,
        locked: row.try_get::<i64, _>("locked")? != 0,
        billing_project: project_id(row.try_get("project_id")?),
        creator_id: user_id(row.try_get("creator_id")?),
        creator_email: row.try_get("creator_email")?,
        creator_name: row.try_get("creator_name")?,
        acl_version: unsigned(row.try_get("acl_version")?),
        about_version: unsigned(row.try_get("about_version")?),
        dataset_version: row.try_get("dataset_version")?,
        research_purpose: decode::json("workspaces.research_purpose", &purpose)?,
        replication_statement: row.try_get("replication_statement")?,
        created_at: row.try_get("created_at")?,
        modified_at: row.try_get("modified_at")?,
    })
}

/// One card of the user's list: only the columns the list shows.
#[derive(Clone, Debug)]
pub struct SummaryRow {
    pub id: i64,
    pub namespace: String,
    pub name: String,
    pub display_name: String,
    pub tier: AccessTier,
    pub locked: bool,
    pub billing_project: BillingProjectId,
    pub creator_email: String,
    pub modified_at: i64,
}

/// Workspaces the user may see in their list: a direct grant, a grant to one of their groups,
/// or ownership of the billing project. Newest change first.
pub async fn summaries_for(
    conn: &mut AnyConnection,
    user: UserId,
    groups: &[GroupId],
) -> Result<Vec<SummaryRow>, sqlx::Error> {
    let group_keys: Vec<String> = groups
        .iter()
        .map(|g| principal_key(&Principal::Group(*g)))
        .collect();
    let placeholders: Vec<String> = (0..group_keys.len())
        .map(|i| format!("${}", i + 2))
        .collect();
    let group_clause = if placeholders.is_empty() {
        String::new()
    } else {
        format!(
            " UNION SELECT workspace_id FROM workspace_grants WHERE principal_key IN ({})",
            placeholders.join(", ")
        )
    };
    // Each branch is one indexed lookup; an OR of the three made SQLite walk every workspace of
    // every billing project (see BENCHMARKS.md, "What keeps it fast").
    let sql = format!(
        "WITH mine(id) AS ( \
             SELECT workspace_id FROM workspace_grants WHERE user_id = $1 \
             UNION SELECT w.id FROM workspaces w \
                 JOIN billing_members m ON m.project_id = w.project_id \
                 WHERE m.user_id = $1 AND m.role = 'owner'{group_clause}) \
         SELECT w.id, p.name AS namespace, w.name, w.display_name, w.tier, w.locked, \
                w.project_id, c.email AS creator_email, w.modified_at \
         FROM mine JOIN workspaces w ON w.id = mine.id \
         JOIN billing_projects p ON p.id = w.project_id \
         JOIN users c ON c.id = w.creator_id \
         ORDER BY w.modified_at DESC"
    );
    let mut query = sqlx::query(&sql).bind(db_id(user));
    for key in &group_keys {
        query = query.bind(key.as_str());
    }
    let rows = query.fetch_all(conn).await?;
    rows.iter()
        .map(|row| {
            let tier: String = row.try_get(4)?;
            Ok(SummaryRow {
                id: row.try_get(0)?,
                namespace: row.try_get(1)?,
                name: row.try_get(2)?,
                display_name: row.try_get(3)?,
                tier: decode::tier(&tier)?,
                locked: row.try_get::<i64, _>(5)? != 0,
                billing_project: project_id(row.try_get(6)?),
                creator_email: row.try_get(7)?,
                modified_at: row.try_get(8)?,
            })
        })
        .collect()
}

/// A grant from its row; `None` for a row without one (an outer join). An unreadable key or
/// role is a corrupt row: an error.
fn row_to_grant(row: &sqlx::any::AnyRow) -> Result<Option<Grant>, sqlx::Error> {
    let Some(key) = row.try_get::<Option<String>, _>("principal_key")? else {
        return Ok(None);
    };
    let principal = parse_principal_key(&key)
        .ok_or_else(|| decode::corrupt("workspace_grants.principal_key", &key))?;
    let role: String = row.try_get("role")?;
    Ok(Some(
        Grant {
            principal,
            role: decode::role(&role)?,
            can_share: row.try_get::<i64, _>("can_share")? != 0,
            can_compute: row.try_get::<i64, _>("can_compute")? != 0,
        }
        .normalized(),
    ))
}

/// One workspace with its whole ACL in a stable order, in one query: the workspace's columns
/// repeat on each grant's row.
pub async fn find_with_acl(
    conn: &mut AnyConnection,
    namespace: &str,
    name: &str,
) -> Result<Option<(WorkspaceRow, Vec<Grant>)>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {WORKSPACE_COLUMNS}, g.principal_key, g.role, g.can_share, g.can_compute \
         {WORKSPACE_FROM} LEFT JOIN workspace_grants g ON g.workspace_id = w.id \
         WHERE p.name = $1 AND w.name = $2 ORDER BY g.principal_key"
    ))
    .bind(namespace)
    .bind(name)
    .fetch_all(conn)
    .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let workspace = row_to_workspace(first)?;
    let mut grants = Vec::with_capacity(rows.len());
    for row in &rows {
        grants.extend(row_to_grant(row)?);
    }
    Ok(Some((workspace, grants)))
}

/// The grants of many workspaces that concern one user: their own and their groups'.
pub async fn grants_for_user(
    conn: &mut AnyConnection,
    user: UserId,
    groups: &[GroupId],
) -> Result<BTreeMap<i64, Vec<Grant>>, sqlx::Error> {
    let mut keys = vec![principal_key(&Principal::User(user))];
    keys.extend(groups.iter().map(|g| principal_key(&Principal::Group(*g))));
    let placeholders: Vec<String> = (1..=keys.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT workspace_id, principal_key, role, can_share, can_compute FROM workspace_grants \
         WHERE principal_key IN ({})",
        placeholders.join(", ")
    );
    let mut query = sqlx::query(&sql);
    for key in &keys {
        query = query.bind(key.as_str());
    }
    let mut grants: BTreeMap<i64, Vec<Grant>> = BTreeMap::new();
    for row in query.fetch_all(conn).await? {
        if let Some(grant) = row_to_grant(&row)? {
            grants
                .entry(row.try_get("workspace_id")?)
                .or_default()
                .push(grant);
        }
    }
    Ok(grants)
}

/// The statement that sets one grant, with its parameters numbered as given: the workspace, then
/// `first` and on for the principal key, user id, role, can-share and can-compute.
pub(super) fn upsert_grant_sql(workspace: usize, first: usize) -> String {
    let [key, user, role, share, compute] = [first, first + 1, first + 2, first + 3, first + 4];
    format!(
        "INSERT INTO workspace_grants \
             (workspace_id, principal_key, user_id, role, can_share, can_compute) \
         VALUES (${workspace}, ${key}, ${user}, ${role}, ${share}, ${compute}) \
         ON CONFLICT (workspace_id, principal_key) DO UPDATE SET \
             role = excluded.role, can_share = excluded.can_share, \
             can_compute = excluded.can_compute"
    )
}

/// The statement that removes one grant: the workspace and principal key parameters as given.
pub(super) fn delete_grant_sql(workspace: usize, key: usize) -> String {
    format!(
        "DELETE FROM workspace_grants WHERE workspace_id = ${workspace} AND principal_key = ${key}"
    )
}

/// `$1` the time, `$2` the workspace, `$3` the version the change was validated against.
pub(super) const BUMP_ACL_VERSION_SQL: &str =
    "UPDATE workspaces SET acl_version = acl_version + 1, modified_at = $1 \
     WHERE id = $2 AND acl_version = $3";

pub async fn upsert_grant(
    conn: &mut AnyConnection,
    workspace: i64,
    grant: &Grant,
) -> Result<(), sqlx::Error> {
    sqlx::query(&upsert_grant_sql(1, 2))
        .bind(workspace)
        .bind(principal_key(&grant.principal))
        .bind(grant.principal.as_user().map(db_id))
        .bind(grant.role.as_str())
        .bind(flag(grant.can_share))
        .bind(flag(grant.can_compute))
        .execute(conn)
        .await?;
    Ok(())
}

/// Give the copy `to` every grant of `from` except `except`'s: one statement.
pub async fn copy_grants(
    conn: &mut AnyConnection,
    from: i64,
    to: i64,
    except: &Principal,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO workspace_grants \
             (workspace_id, principal_key, user_id, role, can_share, can_compute) \
         SELECT $1, principal_key, user_id, role, can_share, can_compute \
         FROM workspace_grants WHERE workspace_id = $2 AND principal_key <> $3",
    )
    .bind(to)
    .bind(from)
    .bind(principal_key(except))
    .execute(conn)
    .await?;
    Ok(())
}

/// Remove a grant; `false` if there was none to remove (someone else changed it first).
pub async fn delete_grant(
    conn: &mut AnyConnection,
    workspace: i64,
    principal: &Principal,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(&delete_grant_sql(1, 2))
        .bind(workspace)
        .bind(principal_key(principal))
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The ACL's version as committed now.
pub async fn acl_version_of(conn: &mut AnyConnection, workspace: i64) -> Result<u64, sqlx::Error> {
    let version: i64 = sqlx::query_scalar("SELECT acl_version FROM workspaces WHERE id = $1")
        .bind(workspace)
        .fetch_one(conn)
        .await?;
    Ok(u64::try_from(version).unwrap_or_default())
}

/// Move the ACL from `expected` to `expected + 1`; `false` if someone else changed it first.
pub async fn bump_acl_version(
    conn: &mut AnyConnection,
    workspace: i64,
    expected: u64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let expected = i64::try_from(expected).unwrap_or(i64::MAX);
    let done = sqlx::query(BUMP_ACL_VERSION_SQL)
        .bind(now)
        .bind(workspace)
        .bind(expected)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_locked(
    conn: &mut AnyConnection,
    workspace: i64,
    locked: bool,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE workspaces SET locked = $1, modified_at = $2 WHERE id = $3")
        .bind(flag(locked))
        .bind(now)
        .bind(workspace)
        .execute(conn)
        .await?;
    Ok(())
}

pub struct NewWorkspace<'a> {
    pub project: BillingProjectId,
    pub display_name: &'a str,
    pub description: &'a str,
    pub tier: AccessTier,
    pub creator: UserId,
    pub dataset_version: &'a str,
    pub replication_statement: &'a str,
    pub research_purpose: &'a ResearchPurpose,
    pub now: i64,
}

/// Insert under the first free URL name (`base`, `base-2`, …); the new id and name.
pub async fn insert(
    conn: &mut AnyConnection,
    new: &NewWorkspace<'_>,
    base_name: &str,
) -> Result<Option<(i64, String)>, sqlx::Error> {
    let purpose = serde_json::to_string(new.research_purpose).unwrap_or_else(|_| "{}".into());
    let insert_sql = if conn.backend_name().eq_ignore_ascii_case("sqlite") {
        INSERT_WORKSPACE_SQLITE
    } else {
        INSERT_WORKSPACE
    };
    for attempt in 1..=1000 {
        let name = if attempt == 1 {
            base_name.to_owned()
        } else {
            format!("{base_name}-{attempt}")
        };
        let id: Option<i64> = sqlx::query_scalar(insert_sql)
            .bind(project_db_id(new.project))
            .bind(&name)
            .bind(new.display_name)
            .bind(new.description)
            .bind(new.tier.as_str())
            .bind(db_id(new.creator))
            .bind(new.dataset_version)
            .bind(new.replication_statement)
            .bind(&purpose)
            .bind(new.now)
            .fetch_optional(&mut *conn)
            .await?;
        if let Some(id) = id {
            return Ok(Some((id, name)));
        }
    }
    Ok(None)
}

const INSERT_WORKSPACE: &str = "INSERT INTO workspaces (project_id, name, display_name, \
     description, tier, creator_id, dataset_version, replication_statement, research_purpose, \
     created_at, modified_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) \
     ON CONFLICT (project_id, name) DO NOTHING RETURNING id";

/// SQLite would give a new row the id of the newest workspace if that one was deleted, and the
/// audit log and directory entry kept under that id would then read as the new workspace's: the
/// id is chosen past every id ever used (PostgreSQL's sequence never reuses one).
const INSERT_WORKSPACE_SQLITE: &str = "INSERT INTO workspaces (id, project_id, name, \
     display_name, description, tier, creator_id, dataset_version, replication_statement, \
     research_purpose, created_at, modified_at) \
     VALUES ((SELECT MAX(next) FROM ( \
         SELECT COALESCE(MAX(id), 0) + 1 AS next FROM workspaces \
         UNION ALL SELECT COALESCE(MAX(workspace_id), 0) + 1 FROM directory_entries \
         UNION ALL SELECT COALESCE(MAX(workspace_id), 0) + 1 FROM audit_events)), \
         $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) \
     ON CONFLICT (project_id, name) DO NOTHING RETURNING id";

pub async fn delete(conn: &mut AnyConnection, workspace: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM workspaces WHERE id = $1")
        .bind(workspace)
        .execute(conn)
        .await?;
    Ok(())
}

/// Turn the pending invitations for `email` into grants for the user who just signed up.
/// Turn every pending invitation for `email` into the new user's grant. Each workspace touched
/// moves its ACL version first (locking its row, in id order, as every ACL change does), so a
/// batch validated against the invitation is refused as stale instead of missing its target.
pub async fn activate_invitations(
    conn: &mut AnyConnection,
    email: &Email,
    user: UserId,
) -> Result<u64, sqlx::Error> {
    let invitation = principal_key(&Principal::Invitation(email.clone()));
    let touched: Vec<i64> = sqlx::query_scalar(
        "SELECT workspace_id FROM workspace_grants WHERE principal_key = $1 ORDER BY workspace_id",
    )
    .bind(&invitation)
    .fetch_all(&mut *conn)
    .await?;
    for workspace in touched {
        sqlx::query("UPDATE workspaces SET acl_version = acl_version + 1 WHERE id = $1")
            .bind(workspace)
            .execute(&mut *conn)
            .await?;
    }
    let done = sqlx::query(
        "UPDATE workspace_grants SET principal_key = $1, user_id = $2 WHERE principal_key = $3",
    )
    .bind(principal_key(&Principal::User(user)))
    .bind(db_id(user))
    .bind(&invitation)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Apply an About/description edit if `about_version` still matches; `false` if it moved on.
pub async fn edit_about(
    conn: &mut AnyConnection,
    workspace: i64,
    about_version: u64,
    display_name: Option<&str>,
    research_purpose: Option<&ResearchPurpose>,
    description: Option<&str>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let purpose =
        research_purpose.map(|p| serde_json::to_string(p).unwrap_or_else(|_| "{}".into()));
    let done = sqlx::query(
        "UPDATE workspaces SET \
             display_name = COALESCE($1, display_name), \
             research_purpose = COALESCE($2, research_purpose), \
             description = COALESCE($3, description), \
             about_version = about_version + 1, modified_at = $4 \
         WHERE id = $5 AND about_version = $6",
    )
    .bind(display_name)
    .bind(purpose)
    .bind(description)
    .bind(now)
    .bind(workspace)
    .bind(i64::try_from(about_version).unwrap_or(i64::MAX))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
