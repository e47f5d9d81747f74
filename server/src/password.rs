//! Password hashing with argon2id, off the async runtime and bounded.
//!
//! Each hash takes about 19 MiB and a core for tens of milliseconds. Unbounded, a flood of
//! sign-ins ran hundreds at once (6 GB). Requests take a permit from a pool sized to the cores;
//! one that cannot get a permit within the queue timeout is answered "busy, retry later". The
//! hashes run on the pool's own long-lived threads, each with its own argon2 working memory
//! allocated once and reused: allocated per hash, the 19 MiB blocks spread over the allocator's
//! arenas and stayed there (700 MiB measured on tokio's blocking pool, 345 MiB on two threads).

use std::sync::Arc;
use std::time::Duration;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{Output, ParamsString, PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
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

/// A job gets its worker's argon2 working memory.
type Job = Box<dyn FnOnce(&mut Vec<Block>) + Send>;

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
                .spawn(move || {
                    let mut memory = Vec::new();
                    loop {
                        let next = match queue.lock() {
                            Ok(receiver) => receiver.recv(),
                            Err(_) => return,
                        };
                        match next {
                            Ok(job) => job(&mut memory),
                            Err(_) => return,
                        }
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
        work: impl FnOnce(&mut Vec<Block>) -> anyhow::Result<T> + Send + 'static,
    ) -> Result<T, HashError> {
        let permit = self.permit().await?;
        let (done, answer) = tokio::sync::oneshot::channel();
        self.jobs
            .send(Box::new(move |memory: &mut Vec<Block>| {
                let _ = done.send(work(memory));
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
        self.on_worker(move |memory| hash_in(memory, &password))
            .await
    }

    /// Whether `password` matches `stored`. With no stored hash (unknown account) it still
    /// spends the same work on a dummy hash, so response times do not reveal which emails have
    /// accounts.
    pub async fn verify(
        &self,
        password: String,
        stored: Option<String>,
    ) -> Result<bool, HashError> {
        self.on_worker(move |memory| {
            let known = stored.is_some();
            let stored = stored.unwrap_or_else(|| dummy_hash().to_owned());
            Ok(verify_in(memory, &password, &stored)? && known)
        })
        .await
    }
}

fn argon_error(error: impl std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!("argon2: {error}")
}

/// Run `argon2` over `password` and `salt` into `output`, in `memory` (grown to the parameters'
/// block count once, then reused).
fn compute(
    argon2: &Argon2<'_>,
    memory: &mut Vec<Block>,
    password: &str,
    salt: &[u8],
    output: &mut [u8],
) -> anyhow::Result<()> {
    memory.resize(argon2.params().block_count(), Block::default());
    argon2
        .hash_password_into_with_memory(password.as_bytes(), salt, output, &mut memory[..])
        .map_err(argon_error)
}

/// Hash with argon2id's default parameters into a PHC string, in `memory`.
fn hash_in(memory: &mut Vec<Block>, password: &str) -> anyhow::Result<String> {
    let params = Params::default();
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_buffer = [0u8; 64];
    let salt_bytes = salt
        .as_salt()
        .decode_b64(&mut salt_buffer)
        .map_err(argon_error)?;
    let mut output = [0u8; Params::DEFAULT_OUTPUT_LEN];
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    compute(&argon2, memory, password, salt_bytes, &mut output)?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(argon_error)?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&output).map_err(argon_error)?),
    };
    Ok(hash.to_string())
}

/// Whether `password` matches the PHC string `stored`, computed in `memory` with the stored
/// parameters; `Output`'s comparison takes constant time.
fn verify_in(memory: &mut Vec<Block>, password: &str, stored: &str) -> anyhow::Result<bool> {
    let parsed = PasswordHash::new(stored)
        .map_err(|error| anyhow::anyhow!("stored password hash is malformed: {error}"))?;
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return Ok(false);
    };
    let params = Params::try_from(&parsed).map_err(argon_error)?;
    let algorithm = Algorithm::try_from(parsed.algorithm).map_err(argon_error)?;
    let version = match parsed.version {
        Some(version) => Version::try_from(version).map_err(argon_error)?,
        None => Version::default(),
    };
    let mut salt_buffer = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_buffer).map_err(argon_error)?;
    let mut output = vec![0u8; expected.len()];
    compute(
        &Argon2::new(algorithm, version, params),
        memory,
        password,
        salt_bytes,
        &mut output,
    )?;
    Ok(Output::new(&output).map_err(argon_error)? == expected)
}

/// Hash without the pool: for the server's own setup work (demo accounts), never per request.
pub async fn hash(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || hash_in(&mut Vec::new(), &password)).await?
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_made_in_reused_memory_verifies_with_the_argon2_crate_and_back() {
        use argon2::password_hash::PasswordVerifier;
        let mut memory = Vec::new();
        let stored = hash_in(&mut memory, "correct horse battery").unwrap();
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
        let parsed = PasswordHash::new(&stored).unwrap();
        assert!(Argon2::default()
            .verify_password(b"correct horse battery", &parsed)
            .is_ok());
        assert!(verify_in(&mut memory, "correct horse battery", &stored).unwrap());
        assert!(!verify_in(&mut memory, "wrong horse battery", &stored).unwrap());
        let theirs = Argon2::default()
            .hash_password(b"made elsewhere", &SaltString::generate(&mut OsRng))
            .unwrap()
            .to_string();
        assert!(verify_in(&mut memory, "made elsewhere", &theirs).unwrap());
    }
}
