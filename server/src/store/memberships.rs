//! What a user belongs to, as `core` needs it for every decision about them.

use carrel_core::{BillingProjectId, GroupId, UserId};
use sqlx::{AnyConnection, Row};

use super::billing::project_id;
use super::groups::group_id;
use super::users::db_id;

/// The groups a user is in (directly or through nesting) and the billing projects they own.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Memberships {
    pub groups: Vec<GroupId>,
    pub owned_projects: Vec<BillingProjectId>,
}

/// One query: the group closure (direct memberships, then parents level by level, over
/// `group_members_by_user` and `group_subgroups_by_child`) beside the owned projects. Both sorted.
pub async fn of_user(conn: &mut AnyConnection, user: UserId) -> Result<Memberships, sqlx::Error> {
    let rows = sqlx::query(
        "WITH RECURSIVE member_of(group_id) AS ( \
             SELECT group_id FROM group_members WHERE user_id = $1 \
             UNION \
             SELECT s.parent_id FROM group_subgroups s JOIN member_of m ON s.child_id = m.group_id \
         ) \
         SELECT 'group' AS kind, group_id AS id FROM member_of \
         UNION ALL \
         SELECT 'project', project_id FROM billing_members WHERE user_id = $1 AND role = 'owner' \
         ORDER BY kind, id",
    )
    .bind(db_id(user))
    .fetch_all(conn)
    .await?;
    let mut memberships = Memberships::default();
    for row in &rows {
        let id: i64 = row.try_get("id")?;
        match row.try_get::<String, _>("kind")?.as_str() {
            "group" => memberships.groups.push(group_id(id)),
            _ => memberships.owned_projects.push(project_id(id)),
        }
    }
    Ok(memberships)
}
