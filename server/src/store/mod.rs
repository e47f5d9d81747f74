//! The one store layer: every query of the server, for SQLite and PostgreSQL alike.
//!
//! Queries are written once in the SQL both databases accept: `$1`-style parameters numbered in
//! order of first use, booleans as 0/1 integers, times as Unix milliseconds.

pub mod acl_writes;
pub mod audit;
pub mod billing;
pub mod bulk;
pub mod datasets;
pub mod decode;
pub mod directory;
pub mod entities;
pub mod files;
pub mod groups;
pub mod ledger;
pub mod memberships;
pub mod password_resets;
pub mod people;
pub mod sessions;
pub mod setup;
pub mod throttle;
pub mod tier_requests;
pub mod users;
pub mod workspaces;

use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{Any, AnyPool, Executor, Transaction};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    /// Where writing transactions run: on SQLite one connection of its own, on PostgreSQL the
    /// same pool.
    writer: AnyPool,
    backend: Backend,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Role {
    Reader,
    Writer,
}

async fn open_pool(
    backend: Backend,
    options: AnyConnectOptions,
    max_connections: u32,
    role: Role,
) -> Result<AnyPool, sqlx::Error> {
    AnyPoolOptions::new()
        .max_connections(max_connections)
        // An SQLite connection is a file in this process: pinging it before each use only
        // costs a round trip to its worker thread. PostgreSQL's can drop, so those are tested.
        .test_before_acquire(backend == Backend::Postgres)
        .acquire_timeout(Duration::from_secs(10))
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                         PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; \
                         PRAGMA temp_store = MEMORY; PRAGMA cache_size = -32768;",
                    )
                    .await?;
                    if role == Role::Reader {
                        conn.execute("PRAGMA mmap_size = 1073741824;").await?;
                    }
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await
}

pub type Tx = Transaction<'static, Any>;

impl Store {
    pub async fn connect(url: &str) -> anyhow::Result<Store> {
        sqlx::any::install_default_drivers();
        let (backend, url) = if let Some(path) = url.strip_prefix("sqlite://") {
            let path = path.split('?').next().unwrap_or(path);
            if let Some(dir) = Path::new(path)
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
            {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("creating the data folder {}", dir.display()))?;
            }
            (Backend::Sqlite, format!("sqlite://{path}?mode=rwc"))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_owned())
        } else {
            anyhow::bail!("unsupported database URL {url:?}: use sqlite://FILE or postgres://…");
        };
        let options: AnyConnectOptions = url.parse().context("parsing the database URL")?;
        let connect = |max_connections, role| {
            let options = options.clone();
            let url = &url;
            async move {
                open_pool(backend, options, max_connections, role)
                    .await
                    .with_context(|| format!("connecting to {}", redact(url)))
            }
        };
        let (pool, writer) = match backend {
            // SQLite has one writer at a time anyway. Its connection does without the memory
            // map: each commit through a mapped connection unmapped and remapped the whole file
            // (592 MB at 1M workspaces, seen with strace), a third of an ACL change's time.
            // Readers keep the map: the heavy user's list is 10% faster with it.
            Backend::Sqlite => (
                connect(8, Role::Reader).await?,
                connect(1, Role::Writer).await?,
            ),
            Backend::Postgres => {
                let pool = connect(16, Role::Reader).await?;
                (pool.clone(), pool)
            }
        };
        Ok(Store {
            pool,
            writer,
            backend,
        })
    }

    pub async fn migrate(&self) -> anyhow::Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&self.pool).await.context("running migrations")
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        self.pool.begin().await
    }

    /// A transaction that will write. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`), so concurrent read-then-write transactions queue instead of failing with
    /// SQLITE_BUSY; PostgreSQL's row locks and the version checks in the UPDATEs do the rest.
    pub async fn begin_write(&self) -> Result<Tx, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.writer.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.writer.begin().await,
        }
    }
}

fn redact(url: &str) -> String {
    match url.split_once('@') {
        Some((_, host)) => format!("…@{host}"),
        None => url.to_owned(),
    }
}

pub fn flag(value: bool) -> i64 {
    i64::from(value)
}

/// A case-insensitive "contains" pattern for `LIKE … ESCAPE '\'`: the needle's own `%`, `_` and
/// `\` match themselves.
pub fn like_pattern(needle: &str) -> String {
    let escaped = needle
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}
