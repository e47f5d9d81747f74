//! Carrel's server: a thin JSON API over `carrel-core`, plus the built web app.
//!
//! A handler reads state, asks `core`, writes the change and its audit event in one transaction,
//! and returns. Nothing here decides a permission on its own.

pub mod config;
pub mod demo;
pub mod http;
pub mod password;
pub mod scale;
pub mod session;
pub mod store;

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
    pub sign_in_limiter: Arc<http::auth::SignInLimiter>,
}

pub struct Application {
    listener: TcpListener,
    state: AppState,
}

impl Application {
    /// Connect to the database, run migrations and bind the address (port 0 picks a free port).
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let store = Store::connect(&config.database_url).await?;
        store.migrate().await?;
        if config.demo {
            demo::seed(&store).await?;
        }
        let listener = TcpListener::bind(config.address)
            .await
            .with_context(|| format!("binding {}", config.address))?;
        let state = AppState {
            store,
            config: Arc::new(config),
            sign_in_limiter: Arc::new(http::auth::sign_in_limiter()),
        };
        Ok(Self { listener, state })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let app = http::app(self.state);
        axum::serve(self.listener, app)
            .with_graceful_shutdown(shutdown_signal())
            .await
    }
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
