//! Fixed-window counters in the database, so every replica shares one allowance.

use sqlx::AnyConnection;

/// How many hits `key` has in the window that contains `now` (0 when none).
pub async fn hits(
    conn: &mut AnyConnection,
    key: &str,
    now: i64,
    window_ms: i64,
) -> Result<Counter, sqlx::Error> {
    let row: Option<(i64, i64)> =
        sqlx::query_as("SELECT window_start, hits FROM throttle WHERE key = $1")
            .bind(key)
            .fetch_optional(conn)
            .await?;
    Ok(match row {
        Some((start, hits)) if now < start + window_ms => Counter {
            hits,
            resets_at: start + window_ms,
        },
        _ => Counter {
            hits: 0,
            resets_at: now + window_ms,
        },
    })
}

/// One key's count in its current window, and when the window ends.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Counter {
    pub hits: i64,
    pub resets_at: i64,
}

/// Count one more hit for `key`: a window that has passed starts again at `now`.
pub async fn hit(
    conn: &mut AnyConnection,
    key: &str,
    now: i64,
    window_ms: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO throttle (key, window_start, hits) VALUES ($1, $2, 1) \
         ON CONFLICT (key) DO UPDATE SET \
             hits = CASE WHEN throttle.window_start + $3 <= $2 THEN 1 ELSE throttle.hits + 1 END, \
             window_start = CASE WHEN throttle.window_start + $3 <= $2 THEN $2 \
                 ELSE throttle.window_start END",
    )
    .bind(key)
    .bind(now)
    .bind(window_ms)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn clear(conn: &mut AnyConnection, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM throttle WHERE key = $1")
        .bind(key)
        .execute(conn)
        .await?;
    Ok(())
}

/// Remove every counter whose window started before `before`.
pub async fn prune(conn: &mut AnyConnection, before: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM throttle WHERE window_start < $1")
        .bind(before)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}
