//! Housekeeping on a timer: expired sessions, passed throttle windows and expired reset links
//! are deleted, so none of them grows without bound; tier grants past their renewal date end
//! (the session lookup already stops counting them the moment the date passes).

use carrel_core::costs::Prices;

use crate::config::Limits;
use crate::http::throttle::SIGNUP_WINDOW;
use crate::now_ms;
use crate::store::{ledger, password_resets, sessions, throttle, tier_requests, Store};

/// Run one sweep now and then one every `limits.janitor_every`, until the task is aborted; each
/// also samples the storage meters.
pub async fn run(store: Store, limits: Limits, prices: Prices) {
    let mut ticks = tokio::time::interval(limits.janitor_every);
    loop {
        ticks.tick().await;
        if let Err(error) = sweep(&store, &limits).await {
            tracing::warn!(error = ?error, "housekeeping failed; will try again");
        }
        if let Err(error) = sample_storage(&store, &prices).await {
            tracing::warn!(error = ?error, "the storage sample failed; will try again");
        }
    }
}

/// Charge every workspace for the bytes it has kept since its meter last ran: the sample that
/// keeps storage costs current between changes. Returns how many workspaces were charged.
pub async fn sample_storage(store: &Store, prices: &Prices) -> Result<usize, sqlx::Error> {
    let mut tx = store.begin_write().await?;
    let metered = ledger::metered(&mut tx).await?;
    let now = now_ms();
    for payer in &metered {
        ledger::meter_storage(&mut tx, payer, prices, now).await?;
    }
    tx.commit().await?;
    Ok(metered.len())
}

/// What one sweep removed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Swept {
    pub sessions: u64,
    pub throttle_windows: u64,
    pub reset_links: u64,
    /// Tier grants past their renewal date (and Controlled grants left without Registered).
    pub tier_grants: u64,
}

pub async fn sweep(store: &Store, limits: &Limits) -> Result<Swept, sqlx::Error> {
    let now = now_ms();
    let longest_window = limits.sign_in.window.max(SIGNUP_WINDOW);
    let window_ms = i64::try_from(longest_window.as_millis()).unwrap_or(i64::MAX);
    let mut tx = store.begin_write().await?;
    let swept = Swept {
        sessions: sessions::delete_expired(&mut tx, now).await?,
        throttle_windows: throttle::prune(&mut tx, now.saturating_sub(window_ms)).await?,
        reset_links: password_resets::delete_expired(&mut tx, now).await?,
        tier_grants: tier_requests::expire(&mut tx, now).await?,
    };
    tx.commit().await?;
    Ok(swept)
}
