//! Password hashing with argon2id, off the async runtime and bounded.
//!
//! Each hash takes about 19 MiB and a core for tens of milliseconds. Unbounded, a flood of
//! sign-ins ran hundreds at once (6 GB). Requests take a permit from a pool sized to the cores;
//! one that cannot get a permit within the queue timeout is answered "busy, retry later".

use std::sync::Arc;
use std::time::Duration;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// Every worker was busy for the whole queue timeout.
    #[error("every password worker is busy")]
    Busy,
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

/// The bounded pool request handlers hash and verify through.
#[derive(Debug)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    queue_timeout: Duration,
}

impl Hasher {
    pub fn new(workers: usize, queue_timeout: Duration) -> Self {
        Hasher {
            permits: Arc::new(Semaphore::new(workers.max(1))),
            queue_timeout,
        }
    }

    async fn permit(&self) -> Result<OwnedSemaphorePermit, HashError> {
        match tokio::time::timeout(self.queue_timeout, self.permits.clone().acquire_owned()).await
        {
            Ok(Ok(permit)) => Ok(permit),
            Ok(Err(_)) | Err(_) => Err(HashError::Busy),
        }
    }

    pub async fn hash(&self, password: String) -> Result<String, HashError> {
        let permit = self.permit().await?;
        let hashed = hash(password).await;
        drop(permit);
        Ok(hashed?)
    }

    pub async fn verify(&self, password: String, stored: Option<String>) -> Result<bool, HashError> {
        let permit = self.permit().await?;
        let matches = verify(password, stored).await;
        drop(permit);
        Ok(matches?)
    }
}

/// Hash without the pool: for the server's own setup work (demo accounts), never per request.
pub async fn hash(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|error| anyhow::anyhow!("hashing a password: {error}"))
    })
    .await?
}

/// Whether `password` matches `stored`. With no stored hash (unknown account) it still spends the
/// same time on a dummy hash, so response times do not reveal which emails have accounts.
async fn verify(password: String, stored: Option<String>) -> anyhow::Result<bool> {
    tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| dummy_hash().to_owned());
        let parsed = PasswordHash::new(&stored)
            .map_err(|error| anyhow::anyhow!("stored password hash is malformed: {error}"))?;
        let matches = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(known && matches)
    })
    .await?
}

fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(salt.as_str().as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .unwrap_or_default()
    })
}
