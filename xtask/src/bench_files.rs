//! `cargo xtask bench-files`: a 1 GiB upload and download through the release server, beside `cp`
//! of the same file on the same disk, with the server's peak memory. On a fresh SQLite file by
//! default, on PostgreSQL with `--database-url` (an empty database), and into an S3-compatible
//! bucket (`s3s-fs`) with `--s3`.

use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use crate::bench_site::BenchSite;
use crate::release_server;
use crate::run::{run, Result};
use crate::s3::S3Server;

const PORT: u16 = 18_182;
const GIB: u64 = 1024 * 1024 * 1024;

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
    if let Some(s3) = &s3 {
        server
            .args([
                "--s3-bucket",
                "carrel-test",
                "--s3-endpoint",
                &s3.endpoint(),
            ])
            .env("CARREL_S3_ACCESS_KEY", "carrel-test-key")
            .env("CARREL_S3_SECRET_KEY", "carrel-test-secret");
    }
    let site = BenchSite::start(server, PORT, work, database_url.as_deref(), "Bench")?;
    let url = site.workspace_api("/files/one-gib.bin");
    let idle = site.peak_mib();
    let upload = timed(
        "upload",
        site.curl()
            .args(["-f", "-o", "/dev/null", "-T"])
            .arg(&source)
            .arg(&url),
    )?;
    let after_upload = site.peak_mib();
    let downloaded = work.join("downloaded.bin");
    let download = timed(
        "download",
        site.curl().args(["-f", "-o"]).arg(&downloaded).arg(&url),
    )?;
    let to_null = timed(
        "download to /dev/null",
        site.curl().args(["-f", "-o", "/dev/null"]).arg(&url),
    )?;
    let after_download = site.peak_mib();
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
    drop(site);
    drop(s3);
    Ok(())
}
