//! Probes of the real server binary as a separate process, the way an attacker or a crash meets
//! it: half-sent requests by the thousand, a sign-in flood under a memory ceiling, and SIGKILL
//! under write load (SQLite by default; PostgreSQL when `CARREL_TEST_POSTGRES_URL` is set).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rand::Rng;
use reqwest::StatusCode;
use serde_json::{json, Value};
use tokio::io::AsyncWriteExt;

const SETUP_TOKEN: &str = "probe-setup-token";
const PASSWORD: &str = "a long enough password";

/// A server process; killed when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn peak_memory_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find(|line| line.starts_with("VmHWM:"))
            .and_then(|line| line.split_whitespace().nth(1))
            .and_then(|kib| kib.parse().ok())
            .unwrap()
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Start the binary with `args` under a file-descriptor limit, and wait until it listens.
async fn start(database: &[String], port: u16, fd_limit: u32, args: &[&str]) -> Server {
    let binary = env!("CARGO_BIN_EXE_carrel-server");
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(format!("ulimit -n {fd_limit} && exec \"$0\" \"$@\""))
        .arg(binary)
        .arg("--address")
        .arg(format!("127.0.0.1:{port}"))
        .args(database)
        .args(["--setup-token", SETUP_TOKEN])
        .args(args)
        .env("RUST_LOG", "error")
        .stdout(Stdio::null());
    let server = Server {
        child: command.spawn().unwrap(),
        port,
    };
    let started = Instant::now();
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the server did not start"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    server
}

/// A fresh database: SQLite in a temporary folder, or a new PostgreSQL database.
async fn fresh_database(name: &str) -> (Vec<String>, Option<PathBuf>) {
    let id = format!("{name}_{}", uuid::Uuid::new_v4().simple());
    if let Ok(admin_url) = std::env::var("CARREL_TEST_POSTGRES_URL") {
        sqlx::any::install_default_drivers();
        let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin_url)
            .await
            .unwrap();
        sqlx::Executor::execute(&mut admin, format!("CREATE DATABASE {id}").as_str())
            .await
            .unwrap();
        let base = admin_url
            .rsplit_once('/')
            .map_or(admin_url.as_str(), |(b, _)| b);
        return (vec!["--database-url".into(), format!("{base}/{id}")], None);
    }
    let dir = std::env::temp_dir().join(format!("carrel-probe-{id}"));
    let file = dir.join("carrel.db");
    (
        vec!["--sqlite-path".into(), file.display().to_string()],
        Some(dir),
    )
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap()
}

async fn sign_up_admin(base: &str, client: &reqwest::Client) -> String {
    let me: Value = client
        .post(format!("{base}/api/v1/auth/signup"))
        .json(
            &json!({ "email": "admin@probe.test", "display_name": "Admin",
                       "password": PASSWORD, "setup_token": SETUP_TOKEN }),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let csrf = me["csrf_token"].as_str().unwrap().to_owned();
    let granted = client
        .post(format!("{base}/api/v1/admin/users/admin@probe.test/tiers"))
        .header("x-csrf-token", &csrf)
        .json(&json!({ "tier": "registered" }))
        .send()
        .await
        .unwrap();
    assert_eq!(granted.status(), StatusCode::OK);
    csrf
}

#[tokio::test]
async fn half_sent_requests_by_the_thousand_do_not_starve_a_real_one() {
    let (database, dir) = fresh_database("slow").await;
    let port = free_port();
    let server = start(
        &database,
        port,
        1024,
        &["--max-connections", "200", "--header-timeout-secs", "2"],
    )
    .await;
    let mut held = Vec::new();
    for _ in 0..1_100 {
        let connect = tokio::net::TcpStream::connect(("127.0.0.1", port));
        if let Ok(Ok(mut stream)) = tokio::time::timeout(Duration::from_millis(200), connect).await
        {
            let _ = stream
                .write_all(b"GET /api/v1/me HTTP/1.1\r\nHost: probe\r\nX-Slow: ")
                .await;
            held.push(stream);
        }
    }
    let started = Instant::now();
    let answer = reqwest::Client::builder()
        .timeout(Duration::from_secs(40))
        .build()
        .unwrap()
        .get(format!("{}/api/v1/me", server.base()))
        .send()
        .await
        .expect("a real request is answered while slow clients hold connections");
    assert_eq!(answer.status(), StatusCode::UNAUTHORIZED);
    println!(
        "{} half-sent connections held; a real request answered in {:.1} s",
        held.len(),
        started.elapsed().as_secs_f64()
    );
    drop(held);
    drop(server);
    if let Some(dir) = dir {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// The server's memory through three floods of 256 concurrent sign-ins, each from its own
/// address (as a botnet's would be), must stay under the ceiling.
#[tokio::test]
async fn a_sign_in_flood_stays_under_a_memory_ceiling() {
    const CEILING_MIB: u64 = 150;
    let (database, dir) = fresh_database("flood").await;
    let port = free_port();
    let server = start(
        &database,
        port,
        4096,
        &["--client-address-header", "x-forwarded-for"],
    )
    .await;
    let base = server.base();
    let before = server.peak_memory_kib();
    let mut statuses = std::collections::BTreeMap::new();
    for flood in 0..3 {
        let mut attempts = Vec::new();
        for i in 0..256 {
            let base = base.clone();
            attempts.push(tokio::spawn(async move {
                reqwest::Client::new()
                    .post(format!("{base}/api/v1/auth/login"))
                    .header("x-forwarded-for", format!("10.{flood}.{}.{}", i / 250, i % 250))
                    .json(&json!({ "email": format!("victim{i}@probe.test"), "password": "guess guess guess" }))
                    .timeout(Duration::from_secs(60))
                    .send()
                    .await
                    .map(|response| response.status().as_u16())
                    .unwrap_or(0)
            }));
        }
        for attempt in attempts {
            *statuses.entry(attempt.await.unwrap()).or_insert(0u32) += 1;
        }
    }
    let peak_mib = server.peak_memory_kib() / 1024;
    println!(
        "sign-in flood: peak {peak_mib} MiB (before {} MiB); answers {statuses:?}",
        before / 1024
    );
    assert!(
        statuses.keys().all(|status| [401, 503].contains(status)),
        "only 'wrong password' and 'busy, retry': {statuses:?}"
    );
    assert!(
        peak_mib < CEILING_MIB,
        "peak {peak_mib} MiB is over the {CEILING_MIB} MiB ceiling"
    );
    drop(server);
    if let Some(dir) = dir {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// A client creates groups as fast as it can while the server is killed with SIGKILL at random
/// moments and restarted on the same database: every group it was told was created is there
/// afterwards, and the database is intact.
#[tokio::test]
async fn acknowledged_writes_survive_sigkill() {
    let (database, dir) = fresh_database("crash").await;
    let port = free_port();
    let mut server = start(&database, port, 4096, &[]).await;
    let base = server.base();
    let client = client();
    let csrf = sign_up_admin(&base, &client).await;
    let mut acknowledged: Vec<String> = Vec::new();
    let mut next = 0u32;
    for _crash in 0..4 {
        let kill_after = Duration::from_millis(rand::thread_rng().gen_range(200..900));
        let started = Instant::now();
        loop {
            let name = format!("g{next}");
            next += 1;
            let created = client
                .post(format!("{base}/api/v1/groups"))
                .header("x-csrf-token", &csrf)
                .json(&json!({ "name": name }))
                .timeout(Duration::from_secs(5))
                .send()
                .await;
            if matches!(&created, Ok(response) if response.status() == StatusCode::CREATED) {
                acknowledged.push(name);
            }
            if started.elapsed() >= kill_after {
                // SIGKILL while the next request may be in flight.
                let in_flight = {
                    let client = client.clone();
                    let (base, csrf) = (base.clone(), csrf.clone());
                    let name = format!("g{next}");
                    tokio::spawn(async move {
                        client
                            .post(format!("{base}/api/v1/groups"))
                            .header("x-csrf-token", &csrf)
                            .json(&json!({ "name": name }))
                            .send()
                            .await
                            .map(|r| (r.status(), name))
                    })
                };
                next += 1;
                tokio::time::sleep(Duration::from_millis(2)).await;
                server.child.kill().unwrap();
                server.child.wait().unwrap();
                if let Ok(Ok((StatusCode::CREATED, name))) = in_flight.await {
                    acknowledged.push(name);
                }
                break;
            }
        }
        server = start(&database, port, 4096, &[]).await;
    }
    assert!(
        acknowledged.len() > 20,
        "the client wrote: {}",
        acknowledged.len()
    );
    for name in &acknowledged {
        let found = client
            .get(format!("{base}/api/v1/groups/{name}"))
            .send()
            .await
            .unwrap();
        assert_eq!(
            found.status(),
            StatusCode::OK,
            "acknowledged group {name} is lost"
        );
    }
    // Intact: SQLite's own check, or on PostgreSQL the schema's invariants (every group keeps
    // its admin, no membership without its group).
    if let Some(dir) = &dir {
        let url = format!("sqlite://{}", dir.join("carrel.db").display());
        let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url)
            .await
            .unwrap();
        let check: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(check, "ok");
    } else {
        let url = &database[1];
        let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(url)
            .await
            .unwrap();
        let orphans: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM groups g WHERE NOT EXISTS \
             (SELECT 1 FROM group_members m WHERE m.group_id = g.id AND m.role = 'admin')",
        )
        .fetch_one(&mut conn)
        .await
        .unwrap();
        assert_eq!(orphans, 0, "every group keeps its admin");
    }
    println!(
        "{} acknowledged groups survived 4 SIGKILLs",
        acknowledged.len()
    );
    drop(server);
    if let Some(dir) = dir {
        let _ = std::fs::remove_dir_all(dir);
    }
}
