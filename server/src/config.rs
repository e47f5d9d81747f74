use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct Config {
    pub address: SocketAddr,
    /// `sqlite://path/to/file.db` or `postgres://…`.
    pub database_url: String,
    /// The built web app (trunk's `dist/`); `None` serves the API alone.
    pub static_dir: Option<PathBuf>,
    /// Mark cookies `Secure` (behind HTTPS).
    pub secure_cookies: bool,
    /// Seed demo accounts at start.
    pub demo: bool,
    /// The site's domain: group addresses are `NAME@groups.<site_domain>`.
    pub site_domain: String,
}

impl Config {
    /// A server for tests: a free port on loopback, no static files.
    pub fn for_tests(database_url: String) -> Self {
        Config {
            address: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url,
            static_dir: None,
            secure_cookies: false,
            demo: false,
            site_domain: "carrel.test".to_owned(),
        }
    }
}
