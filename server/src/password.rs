//! Password hashing with argon2id, off the async runtime and bounded.
//!
//! Each hash takes about 19 MiB and a core for tens of milliseconds. Unbounded, a flood of
//! sign-ins ran hundreds at once (6 GB). Requests take a permit from a pool sized to the cores;
//! one that cannot get a permit within the queue timeout is answered "busy, retry later". The
//! hashes run on the pool's own long-lived threads: on tokio's blocking pool each hash could land
//! on a fresh thread, and every thread's allocator arena kept its 19 MiB (700 MiB measured).

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
pub struct Hasher {
    permits: Arc<Semaphore>,
    queue_timeout: Duration,
    jobs: std::sync::mpsc::Sender<Job>,
}

type Job = Box<dyn FnOnce() + Send>;

impl std::fmt::Debug for Hasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hasher")
            .field("queue_timeout", &self.queue_timeout)
            .finish_non_exhaustive()
    }
}

impl Hasher {
    pub fn new(workers: usize, queue_timeout: Duration) -> Self {
        let workers = workers.max(1);
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        let queue = Arc::new(std::sync::Mutex::new(queue));
        for index in 0..workers {
            let queue = Arc::clone(&queue);
            let spawned = std::thread::Builder::new()
                .name(format!("password-{index}"))
                .spawn(move || loop {
                    let next = match queue.lock() {
                        Ok(receiver) => receiver.recv(),
                        Err(_) => return,
                    };
                    match next {
                        Ok(job) => job(),
                        Err(_) => return,
                    }
                });
            if let Err(error) = spawned {
                tracing::error!(%error, "could not start a password worker");
            }
        }
        Hasher {
            permits: Arc::new(Semaphore::new(workers)),
            queue_timeout,
            jobs,
        }
    }

    /// Run `work` on one of the pool's threads.
    async fn on_worker<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
    ) -> Result<T, HashError> {
        let permit = self.permit().await?;
        let (done, answer) = tokio::sync::oneshot::channel();
        self.jobs
            .send(Box::new(move || {
                let _ = done.send(work());
            }))
            .map_err(|_| anyhow::anyhow!("the password workers have stopped"))?;
        let result = answer
            .await
            .map_err(|_| anyhow::anyhow!("a password worker dropped its job"))?;
        drop(permit);
        Ok(result?)
    }

    async fn permit(&self) -> Result<OwnedSemaphorePermit, HashError> {
        match tokio::time::timeout(self.queue_timeout, self.permits.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            Ok(Err(_)) | Err(_) => Err(HashError::Busy),
        }
    }

    pub async fn hash(&self, password: String) -> Result<String, HashError> {
        self.on_worker(move || hash_now(&password)).await
    }

    pub async fn verify(
        &self,
        password: String,
        stored: Option<String>,
    ) -> Result<bool, HashError> {
        self.on_worker(move || verify_now(&password, stored)).await
    }
}

fn hash_now(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| anyhow::anyhow!("hashing a password: {error}"))
}

/// Hash without the pool: for the server's own setup work (demo accounts), never per request.
pub async fn hash(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || hash_now(&password)).await?
}

/// Whether `password` matches `stored`. With no stored hash (unknown account) it still spends the
/// same time on a dummy hash, so response times do not reveal which emails have accounts.
fn verify_now(password: &str, stored: Option<String>) -> anyhow::Result<bool> {
    let known = stored.is_some();
    let stored = stored.unwrap_or_else(|| dummy_hash().to_owned());
    let parsed = PasswordHash::new(&stored)
        .map_err(|error| anyhow::anyhow!("stored password hash is malformed: {error}"))?;
    let matches = Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok();
    Ok(known && matches)
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
