//! The writes of one ACL change, applied together: every grant set or removed, the version moved,
//! the audit event.

use carrel_core::share::GrantDiff;
use carrel_core::UserId;
use sqlx::AnyConnection;

use super::users::db_id;
use super::workspaces::{self, principal_key};
use super::{audit, flag, Backend};

pub struct AclWrite<'a> {
    pub workspace: i64,
    pub diffs: &'a [GrantDiff],
    /// The version the change was validated against; it moves to the next one.
    pub expected_version: u64,
    pub actor: UserId,
    pub audit_detail: &'a serde_json::Value,
    pub now: i64,
}

/// Apply the change; `false` if the version had moved (nothing must then be committed). On SQLite
/// the statements go to its connection thread in one string, sharing numbered parameters: one
/// round trip instead of one per statement. On PostgreSQL, which takes one statement per round
/// trip with parameters, they go one by one.
pub async fn apply(
    conn: &mut AnyConnection,
    backend: Backend,
    write: &AclWrite<'_>,
) -> Result<bool, sqlx::Error> {
    match backend {
        Backend::Sqlite => apply_in_one_batch(conn, write).await,
        Backend::Postgres => apply_one_by_one(conn, write).await,
    }
}

/// The version moves first: its row lock orders every writer of this ACL (two batches touching
/// the same grants in opposite orders used to deadlock on PostgreSQL), and a batch that lost the
/// race stops before touching a grant. Grants are then written in principal order.
async fn apply_one_by_one(
    conn: &mut AnyConnection,
    write: &AclWrite<'_>,
) -> Result<bool, sqlx::Error> {
    let moved = workspaces::bump_acl_version(
        &mut *conn,
        write.workspace,
        write.expected_version,
        write.now,
    )
    .await?;
    if !moved {
        return Ok(false);
    }
    let mut diffs: Vec<&GrantDiff> = write.diffs.iter().collect();
    diffs.sort_by_key(|diff| principal_key(&diff.principal));
    for diff in diffs {
        match &diff.after {
            Some(grant) => workspaces::upsert_grant(&mut *conn, write.workspace, grant).await?,
            None => {
                if !workspaces::delete_grant(&mut *conn, write.workspace, &diff.principal).await? {
                    return Ok(false);
                }
            }
        }
    }
    audit::record(
        conn,
        write.workspace,
        write.actor,
        "share",
        write.audit_detail,
        write.now,
    )
    .await?;
    Ok(true)
}

async fn apply_in_one_batch(
    conn: &mut AnyConnection,
    write: &AclWrite<'_>,
) -> Result<bool, sqlx::Error> {
    // $1 now, $2 workspace, $3 expected version; then each diff's own; then the audit event's.
    let mut statements = vec![workspaces::BUMP_ACL_VERSION_SQL.to_owned()];
    let mut next = 4;
    for diff in write.diffs {
        if diff.after.is_some() {
            statements.push(workspaces::upsert_grant_sql(2, next));
            next += 5;
        } else {
            statements.push(workspaces::delete_grant_sql(2, next));
            next += 1;
        }
    }
    statements.push(audit::insert_sql(
        "$2",
        &format!("${next}"),
        "'share'",
        &format!("${}", next + 1),
        "$1",
    ));
    let sql = statements.join("; ");
    let expected = i64::try_from(write.expected_version).unwrap_or(i64::MAX);
    let mut query = sqlx::query(&sql)
        .bind(write.now)
        .bind(write.workspace)
        .bind(expected);
    for diff in write.diffs {
        query = query.bind(principal_key(&diff.principal));
        if let Some(grant) = &diff.after {
            query = query
                .bind(grant.principal.as_user().map(db_id))
                .bind(grant.role.as_str())
                .bind(flag(grant.can_share))
                .bind(flag(grant.can_compute));
        }
    }
    let done = query
        .bind(db_id(write.actor))
        .bind(write.audit_detail.to_string())
        .execute(conn)
        .await?;
    // Every statement touches exactly one row when the version was the expected one.
    let expected_rows = u64::try_from(write.diffs.len()).unwrap_or(u64::MAX) + 2;
    Ok(done.rows_affected() == expected_rows)
}
