use carrel_core::groups::GroupRole;
use carrel_core::{GroupId, UserId};
use sqlx::{AnyConnection, Row};

use super::users::db_id;

pub fn group_id(raw: i64) -> GroupId {
    GroupId(u64::try_from(raw).unwrap_or_default())
}

pub fn group_db_id(id: GroupId) -> i64 {
    i64::try_from(id.0).unwrap_or(i64::MAX)
}

#[derive(Clone, Debug)]
pub struct GroupRecord {
    pub id: GroupId,
    pub name: String,
    pub allows_requests: bool,
    pub access_instructions: String,
}

pub async fn find_by_name(
    conn: &mut AnyConnection,
    name: &str,
) -> Result<Option<GroupRecord>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, name, allows_requests, access_instructions FROM groups \
         WHERE lower(name) = lower($1)",
    )
    .bind(name)
    .fetch_optional(conn)
    .await?;
    row.map(|row| {
        Ok(GroupRecord {
            id: group_id(row.try_get("id")?),
            name: row.try_get("name")?,
            allows_requests: row.try_get::<i64, _>("allows_requests")? != 0,
            access_instructions: row.try_get("access_instructions")?,
        })
    })
    .transpose()
}

pub async fn names_of(
    conn: &mut AnyConnection,
    ids: &[GroupId],
) -> Result<Vec<(GroupId, String)>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT id, name FROM groups WHERE id IN ({}) ORDER BY id",
        placeholders.join(", ")
    );
    let mut query = sqlx::query(&sql);
    for id in ids {
        query = query.bind(group_db_id(*id));
    }
    query
        .fetch_all(conn)
        .await?
        .iter()
        .map(|row| Ok((group_id(row.try_get("id")?), row.try_get("name")?)))
        .collect()
}

/// Create a group with its creator as admin; `None` if the name is taken.
pub async fn insert(
    conn: &mut AnyConnection,
    name: &str,
    creator: UserId,
    now: i64,
) -> Result<Option<GroupId>, sqlx::Error> {
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO groups (name, created_at) VALUES ($1, $2) \
         ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(name)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(id) = id.map(group_id) else {
        return Ok(None);
    };
    set_member(conn, id, creator, GroupRole::Admin).await?;
    Ok(Some(id))
}

pub async fn set_member(
    conn: &mut AnyConnection,
    group: GroupId,
    user: UserId,
    role: GroupRole,
) -> Result<(), sqlx::Error> {
    let role = role.as_str();
    sqlx::query(
        "INSERT INTO group_members (group_id, user_id, role) VALUES ($1, $2, $3) \
         ON CONFLICT (group_id, user_id) DO UPDATE SET role = excluded.role",
    )
    .bind(group_db_id(group))
    .bind(db_id(user))
    .bind(role)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn role_of(
    conn: &mut AnyConnection,
    group: GroupId,
    user: UserId,
) -> Result<Option<GroupRole>, sqlx::Error> {
    let role: Option<String> =
        sqlx::query_scalar("SELECT role FROM group_members WHERE group_id = $1 AND user_id = $2")
            .bind(group_db_id(group))
            .bind(db_id(user))
            .fetch_optional(conn)
            .await?;
    role.map(|role| parse_role(&role)).transpose()
}

fn parse_role(raw: &str) -> Result<GroupRole, sqlx::Error> {
    super::decode::group_role(raw)
}

/// Direct user members: (email, display name, role).
pub async fn members_of(
    conn: &mut AnyConnection,
    group: GroupId,
) -> Result<Vec<(String, String, GroupRole)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT u.email, u.display_name, m.role FROM group_members m \
         JOIN users u ON u.id = m.user_id WHERE m.group_id = $1 ORDER BY u.email",
    )
    .bind(group_db_id(group))
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let role: String = row.try_get("role")?;
            Ok((
                row.try_get("email")?,
                row.try_get("display_name")?,
                parse_role(&role)?,
            ))
        })
        .collect()
}

pub async fn admins_of(
    conn: &mut AnyConnection,
    group: GroupId,
) -> Result<Vec<UserId>, sqlx::Error> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT user_id FROM group_members WHERE group_id = $1 AND role = 'admin' ORDER BY user_id",
    )
    .bind(group_db_id(group))
    .fetch_all(conn)
    .await?;
    Ok(ids.into_iter().map(super::users::user_id).collect())
}

pub async fn subgroups_of(
    conn: &mut AnyConnection,
    group: GroupId,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT g.name FROM group_subgroups s JOIN groups g ON g.id = s.child_id \
         WHERE s.parent_id = $1 ORDER BY g.name",
    )
    .bind(group_db_id(group))
    .fetch_all(conn)
    .await
}

/// The nesting edges above `group` (the groups that contain it, transitively), for `core`'s
/// cycle check.
pub async fn graph_above(
    conn: &mut AnyConnection,
    group: GroupId,
) -> Result<carrel_core::groups::GroupGraph, sqlx::Error> {
    let rows = sqlx::query(
        "WITH RECURSIVE above(parent_id, child_id) AS ( \
             SELECT parent_id, child_id FROM group_subgroups WHERE child_id = $1 \
             UNION \
             SELECT s.parent_id, s.child_id FROM group_subgroups s \
             JOIN above a ON s.child_id = a.parent_id \
         ) SELECT parent_id, child_id FROM above",
    )
    .bind(group_db_id(group))
    .fetch_all(conn)
    .await?;
    let mut graph = carrel_core::groups::GroupGraph::default();
    for row in rows {
        graph.add_edge(
            group_id(row.try_get("parent_id")?),
            group_id(row.try_get("child_id")?),
        );
    }
    Ok(graph)
}

pub async fn add_subgroup(
    conn: &mut AnyConnection,
    parent: GroupId,
    child: GroupId,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO group_subgroups (parent_id, child_id) VALUES ($1, $2) \
         ON CONFLICT (parent_id, child_id) DO NOTHING",
    )
    .bind(group_db_id(parent))
    .bind(group_db_id(child))
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn remove_subgroup(
    conn: &mut AnyConnection,
    parent: GroupId,
    child: GroupId,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM group_subgroups WHERE parent_id = $1 AND child_id = $2")
        .bind(group_db_id(parent))
        .bind(group_db_id(child))
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn remove_member(
    conn: &mut AnyConnection,
    group: GroupId,
    user: UserId,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM group_members WHERE group_id = $1 AND user_id = $2")
        .bind(group_db_id(group))
        .bind(db_id(user))
        .execute(conn)
        .await?;
    Ok(())
}

/// Where the group is still used: parent groups and workspaces shared with it.
pub async fn uses_of(
    conn: &mut AnyConnection,
    group: GroupId,
) -> Result<carrel_core::groups::GroupUses, sqlx::Error> {
    let parent_groups = sqlx::query_scalar(
        "SELECT g.name FROM group_subgroups s JOIN groups g ON g.id = s.parent_id \
         WHERE s.child_id = $1 ORDER BY g.name",
    )
    .bind(group_db_id(group))
    .fetch_all(&mut *conn)
    .await?;
    let workspaces = sqlx::query_scalar(
        "SELECT p.name || '/' || w.name FROM workspace_grants gr \
         JOIN workspaces w ON w.id = gr.workspace_id \
         JOIN billing_projects p ON p.id = w.project_id \
         WHERE gr.principal_key = $1 ORDER BY 1",
    )
    .bind(format!("g:{}", group.0))
    .fetch_all(&mut *conn)
    .await?;
    Ok(carrel_core::groups::GroupUses {
        parent_groups,
        workspaces,
        billing_projects: Vec::new(),
    })
}

pub async fn delete(conn: &mut AnyConnection, group: GroupId) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM groups WHERE id = $1")
        .bind(group_db_id(group))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn update_settings(
    conn: &mut AnyConnection,
    group: GroupId,
    allows_requests: Option<bool>,
    access_instructions: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE groups SET allows_requests = COALESCE($1, allows_requests), \
             access_instructions = COALESCE($2, access_instructions) WHERE id = $3",
    )
    .bind(allows_requests.map(super::flag))
    .bind(access_instructions)
    .bind(group_db_id(group))
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn add_request(
    conn: &mut AnyConnection,
    group: GroupId,
    user: UserId,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO group_requests (group_id, user_id, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (group_id, user_id) DO NOTHING",
    )
    .bind(group_db_id(group))
    .bind(db_id(user))
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn requests_of(
    conn: &mut AnyConnection,
    group: GroupId,
) -> Result<Vec<carrel_core::api::GroupRequestView>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT r.id, u.email, u.display_name, r.created_at FROM group_requests r \
         JOIN users u ON u.id = r.user_id WHERE r.group_id = $1 ORDER BY r.id",
    )
    .bind(group_db_id(group))
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(carrel_core::api::GroupRequestView {
                id: row.try_get("id")?,
                email: row.try_get("email")?,
                display_name: row.try_get("display_name")?,
                requested_at: row.try_get("created_at")?,
            })
        })
        .collect()
}

/// Remove a pending request; the requester, if it existed.
pub async fn take_request(
    conn: &mut AnyConnection,
    group: GroupId,
    request: i64,
) -> Result<Option<UserId>, sqlx::Error> {
    let user: Option<i64> = sqlx::query_scalar(
        "DELETE FROM group_requests WHERE id = $1 AND group_id = $2 RETURNING user_id",
    )
    .bind(request)
    .bind(group_db_id(group))
    .fetch_optional(conn)
    .await?;
    Ok(user.map(super::users::user_id))
}

/// Groups with the user's role in each: the user's own (`needle` absent), or every group whose
/// name contains `needle` (at most `limit`). One query either way.
pub async fn listed_for(
    conn: &mut AnyConnection,
    user: UserId,
    needle: Option<&str>,
    limit: i64,
) -> Result<Vec<(GroupRecord, Option<GroupRole>)>, sqlx::Error> {
    const COLUMNS: &str = "g.id, g.name, g.allows_requests, g.access_instructions, m.role";
    let rows = match needle {
        None => {
            sqlx::query(&format!(
                "SELECT {COLUMNS} FROM group_members m JOIN groups g ON g.id = m.group_id \
                 WHERE m.user_id = $1 ORDER BY g.name"
            ))
            .bind(db_id(user))
            .fetch_all(conn)
            .await?
        }
        Some(needle) => {
            sqlx::query(&format!(
                "SELECT {COLUMNS} FROM groups g \
                 LEFT JOIN group_members m ON m.group_id = g.id AND m.user_id = $1 \
                 WHERE LOWER(g.name) LIKE $2 ESCAPE '\\' ORDER BY g.name LIMIT $3"
            ))
            .bind(db_id(user))
            .bind(super::like_pattern(needle))
            .bind(limit)
            .fetch_all(conn)
            .await?
        }
    };
    rows.iter()
        .map(|row| {
            let role: Option<String> = row.try_get("role")?;
            Ok((
                GroupRecord {
                    id: group_id(row.try_get("id")?),
                    name: row.try_get("name")?,
                    allows_requests: row.try_get::<i64, _>("allows_requests")? != 0,
                    access_instructions: row.try_get("access_instructions")?,
                },
                role.as_deref().map(parse_role).transpose()?,
            ))
        })
        .collect()
}
