//! The tier checklist, each person's progress, requests and decisions, and the tier history.

use std::collections::{BTreeMap, BTreeSet};

use carrel_core::api::{RequirementProgress, TierHistoryEntry, TierRequestView, TierRequirement};
use carrel_core::tier_requests::{RequestStatus, RequirementKind, TierEvent};
use carrel_core::{AccessTier, UserId};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::decode::{corrupt, tier};
use super::users::db_id;

fn kind(raw: &str) -> Result<RequirementKind, sqlx::Error> {
    RequirementKind::parse(raw).ok_or_else(|| corrupt("tier_requirements.kind", raw))
}

fn status(raw: &str) -> Result<RequestStatus, sqlx::Error> {
    RequestStatus::parse(raw).ok_or_else(|| corrupt("tier_requests.status", raw))
}

fn event(raw: &str) -> Result<TierEvent, sqlx::Error> {
    TierEvent::parse(raw).ok_or_else(|| corrupt("tier_history.event", raw))
}

const REQUIREMENT_COLUMNS: &str = "r.id, r.tier, r.kind, r.title, r.details";

fn requirement(row: &AnyRow) -> Result<TierRequirement, sqlx::Error> {
    Ok(TierRequirement {
        id: row.try_get("id")?,
        tier: tier(&row.try_get::<String, _>("tier")?)?,
        kind: kind(&row.try_get::<String, _>("kind")?)?,
        title: row.try_get("title")?,
        details: row.try_get("details")?,
    })
}

/// The checklist of every tier, in the order it was written.
pub async fn requirements(conn: &mut AnyConnection) -> Result<Vec<TierRequirement>, sqlx::Error> {
    let sql = format!("SELECT {REQUIREMENT_COLUMNS} FROM tier_requirements r ORDER BY r.id");
    sqlx::query(&sql)
        .fetch_all(conn)
        .await?
        .iter()
        .map(requirement)
        .collect()
}

pub async fn requirement_by_id(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Option<TierRequirement>, sqlx::Error> {
    let sql = format!("SELECT {REQUIREMENT_COLUMNS} FROM tier_requirements r WHERE r.id = $1");
    sqlx::query(&sql)
        .bind(id)
        .fetch_optional(conn)
        .await?
        .as_ref()
        .map(requirement)
        .transpose()
}

pub async fn insert_requirement(
    conn: &mut AnyConnection,
    tier: AccessTier,
    kind: RequirementKind,
    title: &str,
    details: &str,
    now: i64,
) -> Result<TierRequirement, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO tier_requirements (tier, kind, title, details, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(tier.as_str())
    .bind(kind.as_str())
    .bind(title)
    .bind(details)
    .bind(now)
    .fetch_one(conn)
    .await?;
    Ok(TierRequirement {
        id,
        tier,
        kind,
        title: title.to_owned(),
        details: details.to_owned(),
    })
}

/// Remove a checklist item (and everyone's completion of it); false if there was none.
pub async fn delete_requirement(conn: &mut AnyConnection, id: i64) -> Result<bool, sqlx::Error> {
    sqlx::query("DELETE FROM requirement_completions WHERE requirement_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let deleted = sqlx::query("DELETE FROM tier_requirements WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(deleted.rows_affected() > 0)
}

/// A person's checklist for one tier, each item with when they completed it.
pub async fn progress(
    conn: &mut AnyConnection,
    user: UserId,
    of_tier: AccessTier,
) -> Result<Vec<RequirementProgress>, sqlx::Error> {
    let sql = format!(
        "SELECT {REQUIREMENT_COLUMNS}, c.completed_at FROM tier_requirements r \
         LEFT JOIN requirement_completions c ON c.requirement_id = r.id AND c.user_id = $1 \
         WHERE r.tier = $2 ORDER BY r.id"
    );
    sqlx::query(&sql)
        .bind(db_id(user))
        .bind(of_tier.as_str())
        .fetch_all(conn)
        .await?
        .iter()
        .map(|row| {
            Ok(RequirementProgress {
                requirement: requirement(row)?,
                completed_at: row.try_get("completed_at")?,
            })
        })
        .collect()
}

/// Mark a checklist item done (or not done) for a person.
pub async fn set_completed(
    conn: &mut AnyConnection,
    user: UserId,
    requirement: i64,
    completed_at: Option<i64>,
) -> Result<(), sqlx::Error> {
    match completed_at {
        Some(at) => {
            sqlx::query(
                "INSERT INTO requirement_completions (requirement_id, user_id, completed_at) \
                 VALUES ($1, $2, $3) ON CONFLICT (user_id, requirement_id) DO NOTHING",
            )
            .bind(requirement)
            .bind(db_id(user))
            .bind(at)
            .execute(conn)
            .await?;
        }
        None => {
            sqlx::query(
                "DELETE FROM requirement_completions WHERE requirement_id = $1 AND user_id = $2",
            )
            .bind(requirement)
            .bind(db_id(user))
            .execute(conn)
            .await?;
        }
    }
    Ok(())
}

/// One held tier: since when and until when.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct HeldTier {
    pub tier: AccessTier,
    pub granted_at: i64,
    pub expires_at: Option<i64>,
}

/// The tiers a person holds now (a grant past its renewal date is not held).
pub async fn held(
    conn: &mut AnyConnection,
    user: UserId,
    now: i64,
) -> Result<Vec<HeldTier>, sqlx::Error> {
    sqlx::query(
        "SELECT tier, granted_at, expires_at FROM user_tiers \
         WHERE user_id = $1 AND (expires_at IS NULL OR expires_at > $2)",
    )
    .bind(db_id(user))
    .bind(now)
    .fetch_all(conn)
    .await?
    .iter()
    .map(|row| {
        Ok(HeldTier {
            tier: tier(&row.try_get::<String, _>("tier")?)?,
            granted_at: row.try_get("granted_at")?,
            expires_at: row.try_get("expires_at")?,
        })
    })
    .collect()
}

/// A request as stored, for deciding it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredRequest {
    pub id: i64,
    pub user: UserId,
    pub tier: AccessTier,
    pub status: RequestStatus,
}

pub async fn request_by_id(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Option<StoredRequest>, sqlx::Error> {
    let row = sqlx::query("SELECT id, user_id, tier, status FROM tier_requests WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.map(|row| {
        Ok(StoredRequest {
            id: row.try_get("id")?,
            user: super::users::user_id(row.try_get("user_id")?),
            tier: tier(&row.try_get::<String, _>("tier")?)?,
            status: status(&row.try_get::<String, _>("status")?)?,
        })
    })
    .transpose()
}

/// Record a new pending request; `None` when one is already pending (the unique index decides,
/// so two requests sent at once leave one).
pub async fn insert_request(
    conn: &mut AnyConnection,
    user: UserId,
    of_tier: AccessTier,
    note: &str,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO tier_requests (user_id, tier, note, status, requested_at) \
         VALUES ($1, $2, $3, 'pending', $4) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(db_id(user))
    .bind(of_tier.as_str())
    .bind(note)
    .bind(now)
    .fetch_optional(conn)
    .await
}

/// Decide every pending request of `user` for `tier` (one at most); returns how many.
pub async fn decide_pending(
    conn: &mut AnyConnection,
    user: UserId,
    of_tier: AccessTier,
    decision: RequestStatus,
    admin: UserId,
    reason: &str,
    now: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE tier_requests SET status = $1, decided_by = $2, decided_at = $3, reason = $4 \
         WHERE user_id = $5 AND tier = $6 AND status = 'pending'",
    )
    .bind(decision.as_str())
    .bind(db_id(admin))
    .bind(now)
    .bind(reason)
    .bind(db_id(user))
    .bind(of_tier.as_str())
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

const REQUEST_SELECT: &str = "SELECT q.id, q.user_id, u.email, u.display_name, q.tier, q.status, \
     q.note, q.requested_at, q.decided_at, d.email AS decided_by, q.reason \
     FROM tier_requests q JOIN users u ON u.id = q.user_id \
     LEFT JOIN users d ON d.id = q.decided_by";

/// The requests of `rows`, each with its person's checklist for the tier: the checklists and
/// everyone's completions are read once, not once per request.
async fn request_views(
    conn: &mut AnyConnection,
    rows: Vec<AnyRow>,
) -> Result<Vec<TierRequestView>, sqlx::Error> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let requirements = requirements(conn).await?;
    let people: BTreeSet<i64> = rows
        .iter()
        .map(|row| row.try_get::<i64, _>("user_id"))
        .collect::<Result<_, _>>()?;
    let placeholders: Vec<String> = (1..=people.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT user_id, requirement_id, completed_at FROM requirement_completions \
         WHERE user_id IN ({})",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as::<_, (i64, i64, i64)>(&sql);
    for person in &people {
        query = query.bind(*person);
    }
    let completed: BTreeMap<(i64, i64), i64> = query
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(|(user, requirement, at)| ((user, requirement), at))
        .collect();
    rows.iter()
        .map(|row| {
            let user: i64 = row.try_get("user_id")?;
            let of_tier = tier(&row.try_get::<String, _>("tier")?)?;
            let checklist = requirements
                .iter()
                .filter(|r| r.tier == of_tier)
                .map(|r| RequirementProgress {
                    requirement: r.clone(),
                    completed_at: completed.get(&(user, r.id)).copied(),
                })
                .collect();
            Ok(TierRequestView {
                id: row.try_get("id")?,
                email: row.try_get("email")?,
                display_name: row.try_get("display_name")?,
                tier: of_tier,
                status: status(&row.try_get::<String, _>("status")?)?,
                note: row.try_get("note")?,
                requested_at: row.try_get("requested_at")?,
                decided_at: row.try_get("decided_at")?,
                decided_by: row.try_get("decided_by")?,
                reason: row.try_get("reason")?,
                requirements: checklist,
            })
        })
        .collect()
}

pub async fn request_view(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Option<TierRequestView>, sqlx::Error> {
    let rows = sqlx::query(&format!("{REQUEST_SELECT} WHERE q.id = $1"))
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
    Ok(request_views(conn, rows).await?.pop())
}

/// A person's latest request for a tier, whatever its status.
pub async fn latest_request(
    conn: &mut AnyConnection,
    user: UserId,
    of_tier: AccessTier,
) -> Result<Option<TierRequestView>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "{REQUEST_SELECT} WHERE q.user_id = $1 AND q.tier = $2 ORDER BY q.id DESC LIMIT 1"
    ))
    .bind(db_id(user))
    .bind(of_tier.as_str())
    .fetch_all(&mut *conn)
    .await?;
    Ok(request_views(conn, rows).await?.pop())
}

/// Requests with a status, oldest first (the queue is worked in order), at most `limit`.
pub async fn requests_with_status(
    conn: &mut AnyConnection,
    wanted: RequestStatus,
    limit: i64,
) -> Result<Vec<TierRequestView>, sqlx::Error> {
    let order = if wanted == RequestStatus::Pending {
        "ASC"
    } else {
        "DESC"
    };
    let rows = sqlx::query(&format!(
        "{REQUEST_SELECT} WHERE q.status = $1 ORDER BY q.id {order} LIMIT $2"
    ))
    .bind(wanted.as_str())
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    request_views(conn, rows).await
}

/// One line of the history, as it is written.
pub struct HistoryLine<'a> {
    pub user: UserId,
    pub tier: AccessTier,
    pub event: TierEvent,
    pub actor: Option<UserId>,
    pub reason: &'a str,
    pub expires_at: Option<i64>,
    pub at: i64,
}

pub async fn record(conn: &mut AnyConnection, line: &HistoryLine<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO tier_history (user_id, tier, event, actor_id, reason, expires_at, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(db_id(line.user))
    .bind(line.tier.as_str())
    .bind(line.event.as_str())
    .bind(line.actor.map(db_id))
    .bind(line.reason)
    .bind(line.expires_at)
    .bind(line.at)
    .execute(conn)
    .await?;
    Ok(())
}

/// The history, newest first: of one person, or of everyone. At most `limit` lines.
pub async fn history(
    conn: &mut AnyConnection,
    of_user: Option<UserId>,
    limit: i64,
) -> Result<Vec<TierHistoryEntry>, sqlx::Error> {
    let filter = if of_user.is_some() {
        "WHERE h.user_id = $2"
    } else {
        ""
    };
    let sql = format!(
        "SELECT u.email, u.display_name, h.tier, h.event, a.email AS by_email, h.reason, \
             h.expires_at, h.at \
         FROM tier_history h JOIN users u ON u.id = h.user_id \
         LEFT JOIN users a ON a.id = h.actor_id {filter} ORDER BY h.id DESC LIMIT $1"
    );
    let mut query = sqlx::query(&sql).bind(limit);
    if let Some(user) = of_user {
        query = query.bind(db_id(user));
    }
    query
        .fetch_all(conn)
        .await?
        .iter()
        .map(|row| {
            Ok(TierHistoryEntry {
                email: row.try_get("email")?,
                display_name: row.try_get("display_name")?,
                tier: tier(&row.try_get::<String, _>("tier")?)?,
                event: event(&row.try_get::<String, _>("event")?)?,
                by: row.try_get("by_email")?,
                reason: row.try_get("reason")?,
                expires_at: row.try_get("expires_at")?,
                at: row.try_get("at")?,
            })
        })
        .collect()
}

/// End every grant past its renewal date, and every Controlled grant left without the
/// Registered one it needs; each ending goes into the history. Returns how many ended.
pub async fn expire(conn: &mut AnyConnection, now: i64) -> Result<u64, sqlx::Error> {
    let ended: Vec<(i64, String, Option<i64>)> = sqlx::query_as(
        "SELECT user_id, tier, expires_at FROM user_tiers \
         WHERE expires_at IS NOT NULL AND expires_at <= $1",
    )
    .bind(now)
    .fetch_all(&mut *conn)
    .await?;
    let orphans: Vec<(i64, String, Option<i64>)> = sqlx::query_as(
        "SELECT c.user_id, c.tier, c.expires_at FROM user_tiers c WHERE c.tier = 'controlled' \
         AND NOT EXISTS (SELECT 1 FROM user_tiers r WHERE r.user_id = c.user_id \
             AND r.tier = 'registered' AND (r.expires_at IS NULL OR r.expires_at > $1)) \
         AND (c.expires_at IS NULL OR c.expires_at > $1)",
    )
    .bind(now)
    .fetch_all(&mut *conn)
    .await?;
    let reasons = ended
        .iter()
        .map(|line| (line, "The renewal date passed."))
        .chain(
            orphans
                .iter()
                .map(|line| (line, "The Registered Tier it needs ended.")),
        );
    let mut count = 0;
    for ((user, raw_tier, expires_at), reason) in reasons {
        let user = super::users::user_id(*user);
        let of_tier = tier(raw_tier)?;
        super::users::revoke_tier(conn, user, of_tier).await?;
        let line = HistoryLine {
            user,
            tier: of_tier,
            event: TierEvent::Expired,
            actor: None,
            reason,
            expires_at: *expires_at,
            at: now,
        };
        record(conn, &line).await?;
        count += 1;
    }
    Ok(count)
}
