use carrel_core::UserId;
use sqlx::{AnyConnection, Row};

use super::users::db_id;

/// The statement that records one event; each argument is an SQL expression (a `$N` parameter,
/// `NULL` or a literal).
pub(super) fn insert_sql(
    workspace: &str,
    actor: &str,
    action: &str,
    detail: &str,
    at: &str,
) -> String {
    format!(
        "INSERT INTO audit_events (workspace_id, actor_id, action, detail, at) \
         VALUES ({workspace}, {actor}, {action}, {detail}, {at})"
    )
}

/// Record one change. Runs inside the transaction that made the change.
pub async fn record(
    conn: &mut AnyConnection,
    workspace: i64,
    actor: UserId,
    action: &str,
    detail: &serde_json::Value,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(&insert_sql("$1", "$2", "$3", "$4", "$5"))
        .bind(workspace)
        .bind(db_id(actor))
        .bind(action)
        .bind(detail.to_string())
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

pub struct EventRecord {
    pub at: i64,
    pub actor: String,
    pub actor_name: String,
    pub action: String,
    pub detail: serde_json::Value,
}

/// The newest events first, at most `limit`.
pub async fn events_of(
    conn: &mut AnyConnection,
    workspace: i64,
    limit: i64,
) -> Result<Vec<EventRecord>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT e.at, COALESCE(u.email, '') AS actor, COALESCE(u.display_name, '') AS actor_name, \
             e.action, e.detail FROM audit_events e \
         LEFT JOIN users u ON u.id = e.actor_id WHERE e.workspace_id = $1 \
         ORDER BY e.id DESC LIMIT $2",
    )
    .bind(workspace)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let detail: String = row.try_get("detail")?;
            Ok(EventRecord {
                at: row.try_get("at")?,
                actor: row.try_get("actor")?,
                actor_name: row.try_get("actor_name")?,
                action: row.try_get("action")?,
                detail: super::decode::json("audit_events.detail", &detail)?,
            })
        })
        .collect()
}

/// Record a change that belongs to no workspace (groups, billing projects, tiers), in the
/// transaction that made it.
pub async fn record_site(
    conn: &mut AnyConnection,
    actor: UserId,
    action: &str,
    detail: &serde_json::Value,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(&insert_sql("NULL", "$1", "$2", "$3", "$4"))
        .bind(db_id(actor))
        .bind(action)
        .bind(detail.to_string())
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}
