//! The cost ledger: append-only cost events charged to billing projects, each with the running
//! total it adds to; the storage meters that turn stored bytes into byte-time; and the reports.

use carrel_core::api::{CategorySpend, CostEventView, DaySpend, WorkspaceSpend};
use carrel_core::costs::{Charge, CostCategory, Prices};
use carrel_core::{BillingProjectId, UserId};
use sqlx::{AnyConnection, Row};

use super::billing::project_db_id;
use super::users::db_id;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Which workspace a charge belongs to, and the billing project that pays.
#[derive(Clone, Debug)]
pub struct Payer {
    pub project: BillingProjectId,
    pub workspace: i64,
    /// `namespace/name`, kept with the event (the workspace may be deleted later).
    pub label: String,
}

/// Record `charge` and add it to the project's total, in the caller's transaction.
pub async fn charge(
    conn: &mut AnyConnection,
    payer: &Payer,
    charge: &Charge,
    cause: &str,
    actor: Option<UserId>,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO cost_events (project_id, workspace_id, workspace_label, category, quantity, \
             unit, unit_price_nanos, amount_nanos, cause, actor_id, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(project_db_id(payer.project))
    .bind(payer.workspace)
    .bind(&payer.label)
    .bind(charge.category.as_str())
    .bind(charge.quantity)
    .bind(charge.unit)
    .bind(charge.unit_price_nanos)
    .bind(charge.amount_nanos)
    .bind(cause)
    .bind(actor.map(db_id))
    .bind(at)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE billing_projects SET spent_nanos = spent_nanos + $1 WHERE id = $2")
        .bind(charge.amount_nanos)
        .bind(project_db_id(payer.project))
        .execute(conn)
        .await?;
    Ok(())
}

/// Charge the bytes a workspace has kept since its meter last ran, then restart the meter at the
/// bytes its files hold now. Called in the transaction of every change of its files and by the
/// janitor's sample. The workspace's row is locked first, so two changes (or a change and the
/// sample) never charge the same interval twice, on PostgreSQL as on SQLite.
pub async fn meter_storage(
    conn: &mut AnyConnection,
    payer: &Payer,
    prices: &Prices,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE workspaces SET modified_at = modified_at WHERE id = $1")
        .bind(payer.workspace)
        .execute(&mut *conn)
        .await?;
    let meter = sqlx::query("SELECT bytes, since FROM storage_meters WHERE workspace_id = $1")
        .bind(payer.workspace)
        .fetch_optional(&mut *conn)
        .await?;
    if let Some(meter) = meter {
        let bytes = u64::try_from(meter.try_get::<i64, _>("bytes")?).unwrap_or_default();
        let since: i64 = meter.try_get("since")?;
        if bytes > 0 && now > since {
            let stored = prices.storage(bytes, now - since);
            charge(conn, payer, &stored, "storage", None, now).await?;
        }
    }
    let bytes_now = super::files::total_bytes(conn, payer.workspace).await?;
    sqlx::query(
        "INSERT INTO storage_meters (workspace_id, bytes, since) VALUES ($1, $2, $3) \
         ON CONFLICT (workspace_id) DO UPDATE SET bytes = excluded.bytes, since = excluded.since",
    )
    .bind(payer.workspace)
    .bind(i64::try_from(bytes_now).unwrap_or(i64::MAX))
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Workspaces whose meters hold bytes: the janitor's sample charges them.
pub async fn metered(conn: &mut AnyConnection) -> Result<Vec<Payer>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT m.workspace_id, w.project_id, p.name AS namespace, w.name \
         FROM storage_meters m JOIN workspaces w ON w.id = m.workspace_id \
         JOIN billing_projects p ON p.id = w.project_id WHERE m.bytes > 0",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let namespace: String = row.try_get("namespace")?;
            let name: String = row.try_get("name")?;
            Ok(Payer {
                project: super::billing::project_id(row.try_get("project_id")?),
                workspace: row.try_get("workspace_id")?,
                label: format!("{namespace}/{name}"),
            })
        })
        .collect()
}

/// The running total of a project's spend.
pub async fn project_spend(
    conn: &mut AnyConnection,
    project: BillingProjectId,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT spent_nanos FROM billing_projects WHERE id = $1")
        .bind(project_db_id(project))
        .fetch_one(conn)
        .await
}

/// Whose events a report sums: a whole project, or one workspace of it.
#[derive(Copy, Clone, Debug)]
pub enum Scope {
    Project(BillingProjectId),
    Workspace(i64),
}

impl Scope {
    fn filter(self) -> (&'static str, i64) {
        match self {
            Scope::Project(project) => ("e.project_id = $1", project_db_id(project)),
            Scope::Workspace(workspace) => ("e.workspace_id = $1", workspace),
        }
    }
}

pub async fn total(conn: &mut AnyConnection, scope: Scope) -> Result<i64, sqlx::Error> {
    let (filter, id) = scope.filter();
    let total: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT CAST(SUM(e.amount_nanos) AS BIGINT) FROM cost_events e WHERE {filter}"
    ))
    .bind(id)
    .fetch_one(conn)
    .await?;
    Ok(total.unwrap_or_default())
}

pub async fn by_workspace(
    conn: &mut AnyConnection,
    scope: Scope,
) -> Result<Vec<WorkspaceSpend>, sqlx::Error> {
    let (filter, id) = scope.filter();
    let rows = sqlx::query(&format!(
        "SELECT e.workspace_label, COALESCE(MAX(w.display_name), e.workspace_label) AS display_name, \
             CAST(SUM(e.amount_nanos) AS BIGINT) AS spend FROM cost_events e \
         LEFT JOIN workspaces w ON w.id = e.workspace_id WHERE {filter} \
         GROUP BY e.workspace_label ORDER BY spend DESC, e.workspace_label"
    ))
    .bind(id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let label: String = row.try_get("workspace_label")?;
            let (namespace, name) = label.split_once('/').unwrap_or((&label, ""));
            Ok(WorkspaceSpend {
                namespace: namespace.to_owned(),
                name: name.to_owned(),
                display_name: row.try_get("display_name")?,
                spend_nanos: row.try_get("spend")?,
            })
        })
        .collect()
}

pub async fn by_category(
    conn: &mut AnyConnection,
    scope: Scope,
) -> Result<Vec<CategorySpend>, sqlx::Error> {
    let (filter, id) = scope.filter();
    let rows = sqlx::query(&format!(
        "SELECT e.category, CAST(SUM(e.amount_nanos) AS BIGINT) AS spend FROM cost_events e WHERE {filter} \
         GROUP BY e.category ORDER BY e.category"
    ))
    .bind(id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let category: String = row.try_get("category")?;
            Ok(CategorySpend {
                category: super::decode::cost_category(&category)?,
                spend_nanos: row.try_get("spend")?,
            })
        })
        .collect()
}

/// Spend per UTC day and category, oldest first.
pub async fn by_day(conn: &mut AnyConnection, scope: Scope) -> Result<Vec<DaySpend>, sqlx::Error> {
    let (filter, id) = scope.filter();
    let rows = sqlx::query(&format!(
        "SELECT (e.at / {DAY_MS}) * {DAY_MS} AS day, e.category, CAST(SUM(e.amount_nanos) AS BIGINT) AS spend \
         FROM cost_events e WHERE {filter} GROUP BY (e.at / {DAY_MS}) * {DAY_MS}, e.category \
         ORDER BY day"
    ))
    .bind(id)
    .fetch_all(conn)
    .await?;
    let mut days: Vec<DaySpend> = Vec::new();
    for row in &rows {
        let day: i64 = row.try_get("day")?;
        let category: String = row.try_get("category")?;
        let spend: i64 = row.try_get("spend")?;
        if days.last().is_none_or(|last| last.day != day) {
            days.push(DaySpend {
                day,
                storage_nanos: 0,
                compute_nanos: 0,
                egress_nanos: 0,
            });
        }
        if let Some(entry) = days.last_mut() {
            match super::decode::cost_category(&category)? {
                CostCategory::Storage => entry.storage_nanos += spend,
                CostCategory::Compute => entry.compute_nanos += spend,
                CostCategory::Egress => entry.egress_nanos += spend,
            }
        }
    }
    Ok(days)
}

pub async fn recent(
    conn: &mut AnyConnection,
    scope: Scope,
    limit: i64,
) -> Result<Vec<CostEventView>, sqlx::Error> {
    let (filter, id) = scope.filter();
    let rows = sqlx::query(&format!(
        "SELECT e.at, e.workspace_label, e.category, e.quantity, e.unit, e.amount_nanos, e.cause \
         FROM cost_events e WHERE {filter} ORDER BY e.id DESC LIMIT $2"
    ))
    .bind(id)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let category: String = row.try_get("category")?;
            Ok(CostEventView {
                at: row.try_get("at")?,
                workspace: row.try_get("workspace_label")?,
                category: super::decode::cost_category(&category)?,
                quantity: row.try_get("quantity")?,
                unit: row.try_get("unit")?,
                amount_nanos: row.try_get("amount_nanos")?,
                cause: row.try_get("cause")?,
            })
        })
        .collect()
}

pub async fn add_credits(
    conn: &mut AnyConnection,
    project: BillingProjectId,
    cents: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE billing_projects SET credits_cents = credits_cents + $1 WHERE id = $2")
        .bind(cents)
        .bind(project_db_id(project))
        .execute(conn)
        .await?;
    Ok(())
}
