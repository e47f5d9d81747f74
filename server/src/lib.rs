//! Carrel's server: a thin JSON API over `carrel-core`, plus the built web app.
//!
//! A handler reads state, asks `core`, writes the change and its audit event in one transaction,
//! and returns. Nothing here decides a permission on its own.

pub mod bucket;
pub mod config;
pub mod demo;
pub mod http;
pub mod janitor;
pub mod markdown;
pub mod password;
pub mod scale;
pub mod serve;
pub mod session;
pub mod store;
pub mod tables;

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use tokio::net::TcpListener;

pub use config::Config;
use store::Store;

/// Shared by every handler.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
    pub hasher: Arc<password::Hasher>,
    /// The web app's Content-Security-Policy, with the hashes of its inline loader.
    pub web_policy: Arc<str>,
    pub buckets: bucket::Buckets,
}

pub struct Application {
    listener: TcpListener,
    state: AppState,
    setup_token: Option<String>,
}

impl Application {
    /// Connect to the database, run migrations and bind the address (port 0 picks a free port).
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let store = Store::connect(&config.database_url).await?;
        store.migrate().await?;
        if config.demo {
            demo::seed(&store).await?;
        }
        let setup_token = register_setup_token(&store, config.setup_token.clone()).await?;
        let listener = TcpListener::bind(config.address)
            .await
            .with_context(|| format!("binding {}", config.address))?;
        let hasher =
            password::Hasher::new(config.limits.password_workers, config.limits.password_queue);
        let index_html = config
            .static_dir
            .as_ref()
            .and_then(|dir| std::fs::read_to_string(dir.join("index.html")).ok());
        let web_policy = http::headers::web_app_policy(index_html.as_deref());
        let buckets = bucket::Buckets::open(&config.bucket)?;
        let state = AppState {
            buckets,
            store,
            config: Arc::new(config),
            hasher: Arc::new(hasher),
            web_policy: web_policy.into(),
        };
        Ok(Self {
            listener,
            state,
            setup_token,
        })
    }

    /// The one-time token that makes its user the site admin, while the site has none.
    pub fn setup_token(&self) -> Option<&str> {
        self.setup_token.as_deref()
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let janitor = tokio::spawn(janitor::run(
            self.state.store.clone(),
            self.state.config.limits.clone(),
            self.state.config.prices,
        ));
        let limits = self.state.config.limits.connections;
        let app = http::app(self.state);
        let served = serve::serve(self.listener, app, limits, shutdown_signal()).await;
        janitor.abort();
        served
    }
}

/// While the site has no admin, register a setup token (the configured one, or a new random
/// one) and return it to be shown; `None` once an admin exists.
async fn register_setup_token(
    store: &Store,
    configured: Option<String>,
) -> anyhow::Result<Option<String>> {
    let mut tx = store.begin_write().await?;
    if store::setup::has_site_admin(&mut tx).await? {
        return Ok(None);
    }
    let token = configured.unwrap_or_else(session::random_token);
    store::setup::add(&mut tx, &session::token_hash(&token), now_ms()).await?;
    tx.commit().await?;
    Ok(Some(token))
}

async fn shutdown_signal() {
    // If the signal handler cannot be installed the server simply runs until killed.
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// Milliseconds since the Unix epoch: the server's one clock, passed to `core` as a parameter.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX)
        })
}
