//! `cargo xtask bench-files`: a 1 GiB upload and download through the release server, beside `cp`
//! of the same file on the same disk, with the server's peak memory. On a fresh SQLite file by
//! default, on PostgreSQL with `--database-url` (an empty database), and into an S3-compatible
//! bucket (`s3s-fs`) with `--s3`.

use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::release_server::{self, Server};
use crate::run::{output, run, Result};
use crate::s3::S3Server;

const PORT: u16 = 18_182;
const SETUP_TOKEN: &str = "bench-files-setup-token-0123456789";
const GIB: u64 = 1024 * 1024 * 1024;

fn base() -> String {
    format!("http://127.0.0.1:{PORT}/api/v1")
}

fn curl(args: &[&str]) -> Result<String> {
    let jar = "/tmp/carrel-bench-files-cookies";
    output("curl", &[&["-s", "-b", jar, "-c", jar][..], args].concat())
        .ok_or_else(|| format!("curl {args:?} failed"))
}

fn post(path: &str, body: &str, csrf: &str) -> Result<Value> {
    let text = curl(&[
        "-H",
        "content-type: application/json",
        "-H",
        &format!("x-csrf-token: {csrf}"),
        "-d",
        body,
        &format!("{}{path}", base()),
    ])?;
    serde_json::from_str(&text).map_err(|e| format!("{path}: {text:.200} ({e})"))
}

/// The server's peak resident memory so far, in MiB.
fn peak_mib(pid: u32) -> f64 {
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

fn timed(what: &str, command: &mut Command) -> Result<Duration> {
    let started = Instant::now();
    let status = command.status().map_err(|e| format!("{what}: {e}"))?;
    if !status.success() {
        return Err(format!("{what} failed"));
    }
    Ok(started.elapsed())
}

fn rate(duration: Duration) -> String {
    format!(
        "{:.1} s, {:.0} MiB/s",
        duration.as_secs_f64(),
        1024.0 / duration.as_secs_f64()
    )
}

pub fn bench_files(args: &[String]) -> Result<ExitCode> {
    let mut database_url = None;
    let mut use_s3 = false;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--database-url" => {
                database_url = Some(iter.next().ok_or("--database-url needs a value")?.clone())
            }
            "--s3" => use_s3 = true,
            other => return Err(format!("unknown option {other}\n{}", crate::USAGE)),
        }
    }
    let server = release_server::build()?;
    let work = std::env::temp_dir().join(format!("carrel-bench-files-{}", std::process::id()));
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let outcome = measure(server, &work, database_url, use_s3);
    let _ = std::fs::remove_dir_all(&work);
    outcome.map(|()| ExitCode::SUCCESS)
}

fn measure(
    mut server: Command,
    work: &Path,
    database_url: Option<String>,
    use_s3: bool,
) -> Result<()> {
    let source = work.join("one-gib.bin");
    run(Command::new("dd")
        .arg("if=/dev/urandom")
        .arg(format!("of={}", source.display()))
        .args(["bs=4M", "count=256", "status=none"]))?;
    let copy_time = timed(
        "cp",
        Command::new("cp")
            .arg(&source)
            .arg(work.join("cp-copy.bin")),
    )?;
    let _ = std::fs::remove_file(work.join("cp-copy.bin"));

    let s3 = if use_s3 {
        Some(S3Server::start()?)
    } else {
        None
    };
    server
        .args(["--address", &format!("127.0.0.1:{PORT}")])
        .args(["--setup-token", SETUP_TOKEN])
        .args(["--static-dir", &work.join("no-web").to_string_lossy()])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    match &database_url {
        Some(url) => server.args(["--database-url", url]),
        None => server.args(["--sqlite-path", &work.join("carrel.db").to_string_lossy()]),
    };
    match &s3 {
        Some(s3) => server
            .args([
                "--s3-bucket",
                "carrel-test",
                "--s3-endpoint",
                &s3.endpoint(),
            ])
            .env("CARREL_S3_ACCESS_KEY", "carrel-test-key")
            .env("CARREL_S3_SECRET_KEY", "carrel-test-secret"),
        None => server.args(["--buckets-dir", &work.join("buckets").to_string_lossy()]),
    };
    let server = Server(
        server
            .spawn()
            .map_err(|e| format!("starting the server: {e}"))?,
    );
    let pid = server.0.id();
    release_server::wait_until_serving(&base())?;
    let _ = std::fs::remove_file("/tmp/carrel-bench-files-cookies");
    let me = post(
        "/auth/signup",
        &format!(
            "{{\"email\":\"bench@carrel.test\",\"display_name\":\"Bench\",\"password\":\"bench-password\",\"setup_token\":\"{SETUP_TOKEN}\"}}"
        ),
        "",
    )?;
    let csrf = me["csrf_token"]
        .as_str()
        .ok_or(format!("sign-up: {me}"))?
        .to_owned();
    post(
        "/admin/users/bench@carrel.test/tiers",
        "{\"tier\":\"registered\"}",
        &csrf,
    )?;
    let workspace = post(
        "/workspaces",
        "{\"billing_project\":\"bench-personal\",\"display_name\":\"Bench\",\"tier\":\"registered\",\
          \"research_purpose\":{\"purposes\":[\"methods_development\"],\"scientific_questions\":\"How fast are uploads?\",\
          \"scientific_approaches\":\"Time a large file.\",\"anticipated_findings\":\"A throughput figure.\",\
          \"focuses_on_underrepresented\":false,\"review_requested\":false}}",
        &csrf,
    )?;
    let url = format!(
        "{}/workspaces/bench-personal/{}/files/one-gib.bin",
        base(),
        workspace["name"]
            .as_str()
            .ok_or(format!("workspace: {workspace}"))?
    );
    let idle = peak_mib(pid);
    let jar = "/tmp/carrel-bench-files-cookies";
    let upload = timed(
        "upload",
        Command::new("curl")
            .args(["-s", "-f", "-o", "/dev/null", "-b", jar, "-T"])
            .arg(&source)
            .args(["-H", &format!("x-csrf-token: {csrf}"), &url]),
    )?;
    let after_upload = peak_mib(pid);
    let downloaded = work.join("downloaded.bin");
    let download = timed(
        "download",
        Command::new("curl")
            .args(["-s", "-f", "-b", jar, "-o"])
            .arg(&downloaded)
            .arg(&url),
    )?;
    let to_null = timed(
        "download to /dev/null",
        Command::new("curl")
            .args(["-s", "-f", "-b", jar, "-o", "/dev/null"])
            .arg(&url),
    )?;
    let after_download = peak_mib(pid);
    let same = std::fs::metadata(&downloaded).map(|m| m.len()).unwrap_or(0) == GIB;
    let database = if database_url.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let store = if s3.is_some() {
        "S3 (s3s-fs)"
    } else {
        "local folder"
    };
    println!("\n1 GiB of random bytes, {database}, bucket on {store}:");
    println!("| what | time and throughput |");
    println!("|---|---|");
    println!("| `cp` on the same disk | {} |", rate(copy_time));
    println!("| upload (PUT, streamed) | {} |", rate(upload));
    println!(
        "| download (GET, streamed){} | {} |",
        if same { "" } else { " — SIZE MISMATCH" },
        rate(download)
    );
    println!(
        "| download to /dev/null (the server's part alone) | {} |",
        rate(to_null)
    );
    println!(
        "| server peak memory (VmHWM) | {idle:.0} MiB idle, {after_upload:.0} MiB after the upload, {after_download:.0} MiB after the download |"
    );
    drop(server);
    drop(s3);
    Ok(())
}
