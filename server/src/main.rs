use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

use carrel_server::{Application, Config};

/// Carrel's server: the JSON API under /api/v1 and the web app.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    address: SocketAddr,
    /// Database URL; a PostgreSQL URL switches from the embedded SQLite file.
    #[arg(long, env = "DATABASE_URL")]
    database_url: Option<String>,
    /// The SQLite file used when no DATABASE_URL is given (created if missing).
    #[arg(long, default_value = "data/carrel.db")]
    sqlite_path: PathBuf,
    /// The built web app to serve (trunk's output).
    #[arg(long, default_value = "dist")]
    static_dir: PathBuf,
    /// Mark cookies Secure (when served over HTTPS).
    #[arg(long)]
    secure_cookies: bool,
    /// Seed demo accounts and print how to sign in.
    #[arg(long)]
    demo: bool,
    /// The site's domain; group addresses are NAME@groups.<site-domain>.
    #[arg(long, default_value = "carrel.test")]
    site_domain: String,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let args = Args::parse();
    let database_url = args
        .database_url
        .unwrap_or_else(|| format!("sqlite://{}", args.sqlite_path.display()));
    let static_dir = args.static_dir.is_dir().then_some(args.static_dir);
    if static_dir.is_none() {
        tracing::warn!("no built web app found: serving the API only (run `cargo xtask serve`)");
    }
    let app = Application::build(Config {
        address: args.address,
        database_url,
        static_dir,
        secure_cookies: args.secure_cookies,
        demo: args.demo,
        site_domain: args.site_domain,
    })
    .await?;
    let addr = app.local_addr()?;
    println!("Carrel is running at http://{addr}/  (Ctrl-C stops it)");
    if args.demo {
        carrel_server::demo::print_instructions();
    }
    app.run_until_stopped().await?;
    Ok(())
}
