//! What the content benchmarks share: a release server on a fresh database (SQLite by default,
//! PostgreSQL with a URL), a signed-in site admin with one workspace, curl with that session,
//! the server's peak memory, and wrk's latency figures.

use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::release_server::{self, Server};
use crate::run::{output, Result};

pub struct BenchSite {
    pub server: Server,
    pub port: u16,
    pub csrf: String,
    /// `bench-personal/<workspace>`.
    pub workspace: String,
    jar: String,
}

const SETUP_TOKEN: &str = "bench-site-setup-token-0123456789";

impl BenchSite {
    /// Start `server` on `port` with its data under `work`, sign up, take the Registered Tier
    /// and create a workspace named `display_name`.
    pub fn start(
        mut server: Command,
        port: u16,
        work: &Path,
        database_url: Option<&str>,
        display_name: &str,
    ) -> Result<BenchSite> {
        server
            .args(["--address", &format!("127.0.0.1:{port}")])
            .args(["--setup-token", SETUP_TOKEN])
            .args(["--static-dir", &work.join("no-web").to_string_lossy()])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        match database_url {
            Some(url) => server.args(["--database-url", url]),
            None => server.args(["--sqlite-path", &work.join("carrel.db").to_string_lossy()]),
        };
        if !server.get_args().any(|a| a == "--s3-bucket") {
            server.args(["--buckets-dir", &work.join("buckets").to_string_lossy()]);
        }
        let server = Server(
            server
                .spawn()
                .map_err(|e| format!("starting the server: {e}"))?,
        );
        let jar = format!("/tmp/carrel-bench-{port}-cookies");
        let _ = std::fs::remove_file(&jar);
        let mut site = BenchSite {
            server,
            port,
            csrf: String::new(),
            workspace: String::new(),
            jar,
        };
        release_server::wait_until_serving(&site.api(""))?;
        let me = site.post(
            "/auth/signup",
            &format!(
                "{{\"email\":\"bench@carrel.test\",\"display_name\":\"Bench\",\"password\":\"bench-password\",\"setup_token\":\"{SETUP_TOKEN}\"}}"
            ),
        )?;
        site.csrf = me["csrf_token"]
            .as_str()
            .ok_or(format!("sign-up: {me}"))?
            .to_owned();
        site.post(
            "/admin/users/bench@carrel.test/tiers",
            "{\"tier\":\"registered\"}",
        )?;
        let workspace = site.post(
            "/workspaces",
            &format!(
                "{{\"billing_project\":\"bench-personal\",\"display_name\":\"{display_name}\",\"tier\":\"registered\",\
                  \"research_purpose\":{{\"purposes\":[\"methods_development\"],\"scientific_questions\":\"How fast is Carrel?\",\
                  \"scientific_approaches\":\"Time what researchers do.\",\"anticipated_findings\":\"Figures for BENCHMARKS.md.\",\
                  \"focuses_on_underrepresented\":false,\"review_requested\":false}}}}"
            ),
        )?;
        site.workspace = format!(
            "bench-personal/{}",
            workspace["name"]
                .as_str()
                .ok_or(format!("workspace: {workspace}"))?
        );
        Ok(site)
    }

    /// `http://127.0.0.1:PORT/api/v1{path}`.
    pub fn api(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/api/v1{path}", self.port)
    }

    /// The workspace's API address plus `suffix`.
    pub fn workspace_api(&self, suffix: &str) -> String {
        self.api(&format!("/workspaces/{}{suffix}", self.workspace))
    }

    /// curl with the session's cookies (and its CSRF token), `args` after.
    pub fn curl(&self) -> Command {
        let mut curl = Command::new("curl");
        curl.args(["-s", "-b", &self.jar, "-c", &self.jar]);
        if !self.csrf.is_empty() {
            curl.args(["-H", &format!("x-csrf-token: {}", self.csrf)]);
        }
        curl
    }

    pub fn post(&self, path: &str, body: &str) -> Result<Value> {
        let out = self
            .curl()
            .args([
                "-H",
                "content-type: application/json",
                "-d",
                body,
                &self.api(path),
            ])
            .output()
            .map_err(|e| format!("curl: {e}"))?;
        let text = String::from_utf8_lossy(&out.stdout);
        serde_json::from_str(&text).map_err(|e| format!("{path}: {text:.200} ({e})"))
    }

    /// The session cookie, for wrk.
    pub fn cookie(&self) -> String {
        std::fs::read_to_string(&self.jar)
            .unwrap_or_default()
            .lines()
            .filter(|line| !line.starts_with('#') || line.starts_with("#HttpOnly_"))
            .filter_map(|line| {
                let fields: Vec<&str> = line.split('\t').collect();
                (fields.len() == 7).then(|| format!("{}={}", fields[5], fields[6]))
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The server's peak resident memory so far, in MiB.
    pub fn peak_mib(&self) -> f64 {
        peak_mib(self.server.0.id())
    }
}

pub fn peak_mib(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmHWM:"))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kib| kib.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

/// What wrk reports for one run.
pub struct WrkFigures {
    pub rate: String,
    pub p50: String,
    pub p99: String,
    pub non_2xx: String,
}

/// Run wrk with `args` (which include `--latency`) and read its figures.
pub fn wrk(args: &[&str]) -> Result<WrkFigures> {
    let out = output("wrk", args).ok_or(format!("wrk failed: {args:?}"))?;
    let second_word = |prefix: &str| {
        out.lines()
            .map(str::trim)
            .find(|l| l.starts_with(prefix))
            .and_then(|l| l.split_whitespace().nth(1))
            .unwrap_or("?")
            .to_owned()
    };
    let non_2xx = out
        .lines()
        .find(|l| l.contains("Non-2xx"))
        .and_then(|l| l.split(':').nth(1))
        .map_or("0".to_owned(), |n| n.trim().to_owned());
    Ok(WrkFigures {
        rate: second_word("Requests/sec:"),
        p50: second_word("50%"),
        p99: second_word("99%"),
        non_2xx,
    })
}

/// wrk's figures for GET `url` with `cookie`, one connection for `seconds`.
pub fn wrk_get(url: &str, cookie: &str, seconds: u32) -> Result<WrkFigures> {
    let script = std::env::temp_dir().join("carrel-bench-get.lua");
    std::fs::write(&script, format!("wrk.headers[\"Cookie\"] = \"{cookie}\"\n"))
        .map_err(|e| e.to_string())?;
    wrk(&[
        "-t1",
        "-c1",
        "-d",
        &format!("{seconds}s"),
        "--latency",
        "-s",
        &script.to_string_lossy(),
        url,
    ])
}
