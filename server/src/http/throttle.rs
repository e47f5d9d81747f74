//! Who is asking (their address), and the sign-in and sign-up allowances counted in the
//! database, so every replica shares them and a restart forgets nothing.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use sqlx::AnyConnection;

use super::error::ApiError;
use crate::config::{Limits, SignInLimits};
use crate::store::throttle::{self, Counter};
use crate::AppState;

/// The client's address: the trusted load balancer's header when configured, else the peer.
#[derive(Clone, Debug)]
pub struct ClientAddress(pub String);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let forwarded = state
            .config
            .client_address_header
            .as_deref()
            .and_then(|name| parts.headers.get_all(name).iter().next_back())
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.rsplit(',').next())
            .map(|value| value.trim().to_owned())
            .filter(|value| !value.is_empty());
        let peer = crate::serve::peer_of(&parts.extensions).map(|peer| peer.ip().to_string());
        Ok(ClientAddress(
            forwarded.or(peer).unwrap_or_else(|| "unknown".to_owned()),
        ))
    }
}

fn millis(duration: std::time::Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

fn limited(counter: Counter, now: i64) -> ApiError {
    let wait_ms = counter.resets_at.saturating_sub(now).max(0);
    ApiError::RateLimited {
        retry_after_secs: u64::try_from(wait_ms).unwrap_or(0).div_ceil(1000),
    }
}

/// The counters of one sign-in attempt: by address, by account, and by the pair.
pub struct SignInThrottle<'a> {
    limits: &'a SignInLimits,
    address_key: String,
    account_key: String,
    pair_key: String,
}

impl<'a> SignInThrottle<'a> {
    /// `account` is the address typed, lower-cased, whether or not it has an account, so the
    /// answer reveals nothing about which do.
    pub fn new(limits: &'a SignInLimits, address: &ClientAddress, account: &str) -> Self {
        SignInThrottle {
            limits,
            address_key: format!("signin:address:{}", address.0),
            account_key: format!("signin:account:{account}"),
            pair_key: format!("signin:pair:{account}|{}", address.0),
        }
    }

    /// Refused with 429 and Retry-After when this address, or this address against this
    /// account, has failed too often; or when the account has been attacked from many
    /// addresses and this address is one of those that failed against it.
    pub async fn check(&self, conn: &mut AnyConnection, now: i64) -> Result<(), ApiError> {
        let window = millis(self.limits.window);
        let address = throttle::hits(conn, &self.address_key, now, window).await?;
        if address.hits >= self.limits.per_address {
            return Err(limited(address, now));
        }
        let pair = throttle::hits(conn, &self.pair_key, now, window).await?;
        if pair.hits >= self.limits.per_account_and_address {
            return Err(limited(pair, now));
        }
        if pair.hits > 0 {
            let account = throttle::hits(conn, &self.account_key, now, window).await?;
            if account.hits >= self.limits.per_account {
                return Err(limited(account, now));
            }
        }
        Ok(())
    }

    pub async fn failed(&self, conn: &mut AnyConnection, now: i64) -> Result<(), ApiError> {
        let window = millis(self.limits.window);
        for key in [&self.address_key, &self.account_key, &self.pair_key] {
            throttle::hit(conn, key, now, window).await?;
        }
        Ok(())
    }

    /// A correct password clears this address's failures against the account (not the
    /// address's own count: one valid account must not reset a spraying allowance).
    pub async fn succeeded(&self, conn: &mut AnyConnection) -> Result<(), ApiError> {
        throttle::clear(conn, &self.pair_key).await?;
        Ok(())
    }
}

/// Sign-ups are counted per hour.
pub const SIGNUP_WINDOW: std::time::Duration = std::time::Duration::from_secs(60 * 60);

fn signup_key(address: &ClientAddress) -> String {
    format!("signup:address:{}", address.0)
}

/// Refused with 429 once an address has made its hourly allowance of accounts.
pub async fn check_signup(
    conn: &mut AnyConnection,
    limits: &Limits,
    address: &ClientAddress,
    now: i64,
) -> Result<(), ApiError> {
    let counter = throttle::hits(conn, &signup_key(address), now, millis(SIGNUP_WINDOW)).await?;
    if counter.hits >= limits.signups_per_address_per_hour {
        return Err(limited(counter, now));
    }
    Ok(())
}

pub async fn count_signup(
    conn: &mut AnyConnection,
    address: &ClientAddress,
    now: i64,
) -> Result<(), ApiError> {
    throttle::hit(conn, &signup_key(address), now, millis(SIGNUP_WINDOW)).await?;
    Ok(())
}
