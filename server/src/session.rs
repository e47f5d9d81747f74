//! Server-side sessions: a random token in an HttpOnly cookie, its SHA-256 in the database,
//! and a per-session CSRF token that every mutation must echo in a header.

use axum::http::HeaderMap;
use rand::RngCore;
use sha2::{Digest, Sha256};

use carrel_core::api::SESSION_COOKIE;

/// Sessions last 14 days.
pub const SESSION_TTL_MS: i64 = 14 * 24 * 60 * 60 * 1000;

pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The session cookie's name: over HTTPS with the `__Host-` prefix, which browsers accept only
/// when Secure, for Path=/ and without Domain, so no other host can plant one.
pub fn cookie_name(secure: bool) -> String {
    if secure {
        format!("__Host-{SESSION_COOKIE}")
    } else {
        SESSION_COOKIE.to_owned()
    }
}

pub fn session_token(headers: &HeaderMap, secure: bool) -> Option<String> {
    let wanted = cookie_name(secure);
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == wanted)
        .map(|(_, value)| value.to_owned())
}

pub fn set_cookie(token: &str, secure: bool) -> String {
    let max_age = SESSION_TTL_MS / 1000;
    let name = cookie_name(secure);
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

pub fn clear_cookie(secure: bool) -> String {
    let name = cookie_name(secure);
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
}

/// Compare without an early exit, so timing does not reveal how much of a token matched.
pub fn tokens_match(expected: &str, given: &str) -> bool {
    expected.len() == given.len()
        && expected
            .bytes()
            .zip(given.bytes())
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
}
