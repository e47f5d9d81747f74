//! A throwaway S3-compatible server for one test run: `s3s-fs` (pinned; installed once under the
//! target folder's tools) serving a temporary folder on a free loopback port, killed and removed
//! when dropped. The server tests' buckets use it when `CARREL_TEST_S3_ENDPOINT` names it.

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::openapi_probe::target_dir;
use crate::postgres::free_port;
use crate::run::{cargo, cmd, run, Result};

const S3S_FS_VERSION: &str = "0.14.1";
/// The keys and bucket the server tests' configuration uses (`Config::for_tests`).
const ACCESS_KEY: &str = "carrel-test-key";
const SECRET_KEY: &str = "carrel-test-secret";
const BUCKET: &str = "carrel-test";

fn binary() -> PathBuf {
    target_dir()
        .join("tools")
        .join(format!("s3s-fs-{S3S_FS_VERSION}"))
        .join("bin")
        .join("s3s-fs")
}

/// The pinned `s3s-fs`, compiled once (about 2 minutes on 2 cores).
pub fn ensure_s3s_fs() -> Result<PathBuf> {
    let binary = binary();
    if binary.exists() {
        return Ok(binary);
    }
    println!("== installing s3s-fs {S3S_FS_VERSION} (an S3-compatible server for the bucket tests), once");
    let root = target_dir()
        .join("tools")
        .join(format!("s3s-fs-{S3S_FS_VERSION}"));
    run(&mut cmd(
        &cargo(),
        &[
            "install",
            "--locked",
            "s3s-fs",
            "--version",
            S3S_FS_VERSION,
            "--features",
            "binary",
            "--root",
            &root.to_string_lossy(),
        ],
    ))?;
    Ok(binary)
}

pub struct S3Server {
    child: Child,
    dir: PathBuf,
    port: u16,
}

impl S3Server {
    pub fn start() -> Result<S3Server> {
        let binary = ensure_s3s_fs()?;
        let port = free_port()?;
        let dir = std::env::temp_dir().join(format!("carrel-s3-{}-{port}", std::process::id()));
        std::fs::create_dir_all(dir.join(BUCKET))
            .map_err(|e| format!("creating {}: {e}", dir.display()))?;
        let child = Command::new(&binary)
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY])
            .arg(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("starting {}: {e}", binary.display()))?;
        let server = S3Server { child, dir, port };
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if started.elapsed() > Duration::from_secs(15) {
                return Err(format!("s3s-fs did not listen on port {port} within 15 s"));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(server)
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
