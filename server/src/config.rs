use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

pub use crate::bucket::BucketConfig;
pub use crate::serve::ConnectionLimits;
use carrel_core::costs::Prices;
use carrel_core::files::DEFAULT_MAX_UPLOAD_BYTES;

/// The setup token test servers register, so tests can make their site admin.
pub const TEST_SETUP_TOKEN: &str = "test-setup-token-0123456789";

#[derive(Clone, Debug)]
pub struct Config {
    pub address: SocketAddr,
    /// `sqlite://path/to/file.db` or `postgres://…`.
    pub database_url: String,
    /// The built web app (trunk's `dist/`); `None` serves the API alone.
    pub static_dir: Option<PathBuf>,
    /// Served over HTTPS: cookies are `Secure` with the `__Host-` prefix, and HSTS is sent.
    pub secure_cookies: bool,
    /// Seed demo accounts at start.
    pub demo: bool,
    /// The site's domain: group addresses are `NAME@groups.<site_domain>`.
    pub site_domain: String,
    /// The one-time token that makes its user the first site admin; random when `None`. Only
    /// registered while the site has no admin.
    pub setup_token: Option<String>,
    /// A header carrying the client's address, set by a trusted load balancer (its last value
    /// is used). Without it the socket's peer address is the client's.
    pub client_address_header: Option<String>,
    pub limits: Limits,
    /// Where workspace buckets live.
    pub bucket: BucketConfig,
    /// The largest upload accepted, in bytes.
    pub max_upload_bytes: u64,
    /// What metered actions cost.
    pub prices: Prices,
}

/// What bounds the work one client can cause.
#[derive(Clone, Debug)]
pub struct Limits {
    pub connections: ConnectionLimits,
    /// Password hashes computed at once (each about 19 MiB and one core).
    pub password_workers: usize,
    /// How long a sign-in or sign-up waits for a password worker before "busy, retry".
    pub password_queue: Duration,
    /// A request body that sends nothing for this long is cut off.
    pub body_idle_timeout: Duration,
    pub sign_in: SignInLimits,
    /// Sign-ups allowed from one address per hour.
    pub signups_per_address_per_hour: i64,
    /// How often expired sessions, throttle windows and reset links are deleted.
    pub janitor_every: Duration,
}

/// Failed sign-ins allowed in one window, counted in the database so replicas share them.
#[derive(Clone, Debug)]
pub struct SignInLimits {
    pub window: Duration,
    /// Failures from one address, whatever the accounts (password spraying).
    pub per_address: i64,
    /// Failures against one account from one address (guessing one password).
    pub per_account_and_address: i64,
    /// Failures against one account from anywhere; once reached, only addresses that have not
    /// failed against it may still try, so a victim's own correct password still works.
    pub per_account: i64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            connections: ConnectionLimits::default(),
            password_workers: std::thread::available_parallelism().map_or(2, usize::from),
            password_queue: Duration::from_secs(5),
            body_idle_timeout: Duration::from_secs(30),
            sign_in: SignInLimits {
                window: Duration::from_secs(15 * 60),
                per_address: 30,
                per_account_and_address: 10,
                per_account: 100,
            },
            signups_per_address_per_hour: 20,
            janitor_every: Duration::from_secs(10 * 60),
        }
    }
}

impl Config {
    /// A server for tests: a free port on loopback, no static files, a known setup token, and
    /// sign-up limits loose enough for tests that create many accounts from one address.
    pub fn for_tests(database_url: String) -> Self {
        let limits = Limits {
            signups_per_address_per_hour: 10_000,
            ..Limits::default()
        };
        Config {
            address: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url,
            static_dir: None,
            secure_cookies: false,
            demo: false,
            site_domain: "carrel.test".to_owned(),
            setup_token: Some(TEST_SETUP_TOKEN.to_owned()),
            client_address_header: None,
            limits,
            bucket: test_bucket(),
            max_upload_bytes: DEFAULT_MAX_UPLOAD_BYTES,
            prices: Prices::default(),
        }
    }
}

/// Each test server's buckets apart from every other's: a fresh folder, or — when
/// `CARREL_TEST_S3_ENDPOINT` names an S3-compatible server (the test command starts one) — a
/// fresh prefix in its `carrel-test` bucket.
fn test_bucket() -> BucketConfig {
    let mut unique = crate::session::random_token();
    unique.truncate(16);
    match std::env::var("CARREL_TEST_S3_ENDPOINT") {
        Ok(endpoint) => BucketConfig::S3 {
            bucket: "carrel-test".to_owned(),
            endpoint,
            region: "us-east-1".to_owned(),
            access_key: "carrel-test-key".to_owned(),
            secret_key: "carrel-test-secret".to_owned(),
            prefix: format!("run-{unique}"),
        },
        Err(_) => {
            BucketConfig::Local(std::env::temp_dir().join(format!("carrel-buckets-{unique}")))
        }
    }
}
