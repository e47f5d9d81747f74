use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use carrel_server::config::BucketConfig;
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
    /// Served over HTTPS: Secure `__Host-` cookies and HSTS.
    #[arg(long)]
    secure_cookies: bool,
    /// The one-time setup token that makes its user the first site admin (random when unset;
    /// printed at start while the site has no admin).
    #[arg(long, env = "CARREL_SETUP_TOKEN")]
    setup_token: Option<String>,
    /// A header holding the client's address, set by a trusted load balancer.
    #[arg(long)]
    client_address_header: Option<String>,
    /// Connections held at once; more wait to be accepted.
    #[arg(long, default_value_t = 512)]
    max_connections: usize,
    /// Seconds a connection may take to send a request head (or stay idle between requests).
    #[arg(long, default_value_t = 10)]
    header_timeout_secs: u64,
    /// Seed demo accounts and print how to sign in.
    #[arg(long)]
    demo: bool,
    /// The site's domain; group addresses are NAME@groups.<site-domain>.
    #[arg(long, default_value = "carrel.test")]
    site_domain: String,
    /// The folder holding workspace buckets (when no S3 bucket is given).
    #[arg(long, default_value = "data/buckets")]
    buckets_dir: PathBuf,
    /// An S3-compatible bucket for workspace files instead of the folder; with --s3-endpoint
    /// and the keys in CARREL_S3_ACCESS_KEY and CARREL_S3_SECRET_KEY.
    #[arg(long, env = "CARREL_S3_BUCKET")]
    s3_bucket: Option<String>,
    #[arg(
        long,
        env = "CARREL_S3_ENDPOINT",
        default_value = "https://s3.amazonaws.com"
    )]
    s3_endpoint: String,
    #[arg(long, env = "CARREL_S3_REGION", default_value = "us-east-1")]
    s3_region: String,
    #[arg(
        long,
        env = "CARREL_S3_ACCESS_KEY",
        default_value = "",
        hide_env_values = true
    )]
    s3_access_key: String,
    #[arg(
        long,
        env = "CARREL_S3_SECRET_KEY",
        default_value = "",
        hide_env_values = true
    )]
    s3_secret_key: String,
    /// The largest upload accepted, in bytes (default 5 GiB).
    #[arg(long, default_value_t = carrel_core::files::DEFAULT_MAX_UPLOAD_BYTES)]
    max_upload_bytes: u64,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Fill an empty database with the scale world of SPEC §7 (sizes as options), then exit.
    SeedScale {
        #[arg(long, default_value_t = 100_000)]
        users: u64,
        #[arg(long, default_value_t = 10_000)]
        groups: u64,
        #[arg(long, default_value_t = 5_000)]
        projects: u64,
        #[arg(long, default_value_t = 1_000_000)]
        workspaces: u64,
        #[arg(long, default_value_t = 10)]
        heavy_users: u64,
        /// The random seed: the same seed and sizes give the same world.
        #[arg(long, default_value_t = 7)]
        seed: u64,
    },
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
    let uses_sqlite = args.database_url.is_none();
    let database_url = args
        .database_url
        .unwrap_or_else(|| format!("sqlite://{}", args.sqlite_path.display()));
    if let Some(Command::SeedScale {
        users,
        groups,
        projects,
        workspaces,
        heavy_users,
        seed,
    }) = args.command
    {
        let sizes = carrel_server::scale::Sizes {
            users,
            groups,
            projects,
            workspaces,
            heavy_users,
        };
        let sqlite_path = uses_sqlite.then_some(args.sqlite_path.as_path());
        return seed_scale(&database_url, &sizes, seed, sqlite_path).await;
    }
    let static_dir = args.static_dir.is_dir().then_some(args.static_dir);
    if static_dir.is_none() {
        tracing::warn!("no built web app found: serving the API only (run `cargo xtask serve`)");
    }
    let mut limits = carrel_server::config::Limits::default();
    limits.connections.max_connections = args.max_connections;
    limits.connections.header_read_timeout =
        std::time::Duration::from_secs(args.header_timeout_secs);
    let app = Application::build(Config {
        address: args.address,
        database_url,
        static_dir,
        secure_cookies: args.secure_cookies,
        demo: args.demo,
        site_domain: args.site_domain,
        setup_token: args.setup_token,
        client_address_header: args.client_address_header,
        limits,
        bucket: match args.s3_bucket {
            Some(bucket) => BucketConfig::S3 {
                bucket,
                endpoint: args.s3_endpoint,
                region: args.s3_region,
                access_key: args.s3_access_key,
                secret_key: args.s3_secret_key,
                prefix: String::new(),
            },
            None => BucketConfig::Local(args.buckets_dir),
        },
        max_upload_bytes: args.max_upload_bytes,
        prices: carrel_core::costs::Prices::default(),
    })
    .await?;
    let addr = app.local_addr()?;
    println!("Carrel is running at http://{addr}/  (Ctrl-C stops it)");
    if let Some(token) = app.setup_token() {
        println!(
            "No site admin yet. The first admin signs up at http://{addr}/sign-up?setup={token}\n\
             (this one-time link works once; restarting without an admin prints a new one)."
        );
    }
    if args.demo {
        carrel_server::demo::print_instructions();
    }
    app.run_until_stopped().await?;
    Ok(())
}

async fn seed_scale(
    database_url: &str,
    sizes: &carrel_server::scale::Sizes,
    seed: u64,
    sqlite_path: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    let store = carrel_server::store::Store::connect(database_url).await?;
    store.migrate().await?;
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(store.pool())
        .await?;
    anyhow::ensure!(
        existing == 0,
        "seed-scale fills an empty database; this one has {existing} users"
    );
    println!("Generating {sizes:?} (seed {seed}); this takes a while at full size…");
    let report = carrel_server::scale::seed(&store, sizes, seed, sqlite_path).await?;
    for (table, rows) in &report.rows {
        println!("  {table:<20} {rows:>10} rows");
    }
    println!(
        "Done in {:.1} s; database {:.1} MB. Heavy users (password {}): {}",
        report.elapsed.as_secs_f64(),
        report.database_bytes as f64 / 1_048_576.0,
        carrel_server::scale::SCALE_PASSWORD,
        report.heavy_users.join(", ")
    );
    Ok(())
}
