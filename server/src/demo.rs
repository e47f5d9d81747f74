//! Demo accounts for trying Carrel out (`cargo xtask serve --demo`).

use carrel_core::billing::{BillingRole, INITIAL_CREDITS_CENTS};
use carrel_core::tier_requests::TierEvent;
use carrel_core::AccessTier;

use crate::store::{billing, tier_requests, users, Store};
use crate::{now_ms, password};

pub const DEMO_PASSWORD: &str = "carrel-demo-password";

/// (email, name, tiers): a site admin, and researchers from the lab scenario.
const ACCOUNTS: [(&str, &str, &[AccessTier]); 4] = [
    (
        "admin@carrel.test",
        "Site Admin",
        &[AccessTier::Registered, AccessTier::Controlled],
    ),
    (
        "lab-head@carrel.test",
        "Lena Head",
        &[AccessTier::Registered, AccessTier::Controlled],
    ),
    (
        "postdoc@carrel.test",
        "Pat Postdoc",
        &[AccessTier::Registered, AccessTier::Controlled],
    ),
    (
        "student@carrel.test",
        "Sam Student",
        &[AccessTier::Registered],
    ),
];

/// Create the demo accounts that do not exist yet. Idempotent.
pub async fn seed(store: &Store) -> anyhow::Result<()> {
    let hash = password::hash(DEMO_PASSWORD.to_owned()).await?;
    let now = now_ms();
    let mut tx = store.begin_write().await?;
    for (index, (email, name, tiers)) in ACCOUNTS.into_iter().enumerate() {
        // The demo's own admin account is made explicitly: the first in the list.
        let is_site_admin = index == 0;
        let Some(user) = users::insert(&mut tx, email, name, &hash, is_site_admin, now).await?
        else {
            continue;
        };
        for tier in tiers {
            users::grant_tier(&mut tx, user, *tier, now, None).await?;
            let line = tier_requests::HistoryLine {
                user,
                tier: *tier,
                event: TierEvent::Granted,
                actor: None,
                reason: "A demo account.",
                expires_at: None,
                at: now,
            };
            tier_requests::record(&mut tx, &line).await?;
        }
        let local = email.split('@').next().unwrap_or("demo");
        if let Some(project) = billing::insert_project(
            &mut tx,
            &format!("{local}-personal"),
            INITIAL_CREDITS_CENTS,
            now,
        )
        .await?
        {
            billing::set_member(&mut tx, project, user, BillingRole::Owner).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

pub fn print_instructions() {
    println!("Demo accounts (password: {DEMO_PASSWORD}):");
    for (email, name, _) in ACCOUNTS {
        println!("  {email:<24} {name}");
    }
}
