//! The OpenAPI probe: schemathesis, pinned in a virtual environment the project owns (beside
//! the build, outside the clone), against a debug server on a throwaway SQLite file, signed out
//! and signed in. Zero 5xx and zero schema mismatches, or the layer fails.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::run::{cargo, cmd, root, run, status, Result};

const SCHEMATHESIS: &str = "schemathesis==4.32.5";
const VENV_NAME: &str = "schemathesis-4.32.5";
const SETUP_TOKEN: &str = "openapi-probe-setup-token";
/// Generated examples per operation and phase: enough to find shape errors in seconds.
const MAX_EXAMPLES: &str = "10";

pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from)
}

/// The virtual environment's Python, created and filled on first use.
pub fn ensure_schemathesis() -> Result<PathBuf> {
    let venv = target_dir().join("tools").join(VENV_NAME);
    let python = venv.join("bin").join("python");
    if venv.join("bin").join("schemathesis").exists() {
        return Ok(python);
    }
    println!("== installing {SCHEMATHESIS} into {}", venv.display());
    run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    run(Command::new(&python).args(["-m", "pip", "install", "--quiet", SCHEMATHESIS]))?;
    Ok(python)
}

/// Kills the server when the probe ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn probe() -> Result<bool> {
    let python = ensure_schemathesis()?;
    crate::run::run(&mut cmd(&cargo(), &["build", "--package", "carrel-server"]))?;
    let binary = target_dir().join("debug").join("carrel-server");
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map_err(|error| format!("finding a free port: {error}"))?
        .port();
    let data = std::env::temp_dir().join(format!("carrel-openapi-probe-{port}"));
    let _ = std::fs::remove_dir_all(&data);
    let base = format!("http://127.0.0.1:{port}");
    let child = Command::new(&binary)
        .arg("--address")
        .arg(format!("127.0.0.1:{port}"))
        .arg("--sqlite-path")
        .arg(data.join("carrel.db"))
        .arg("--setup-token")
        .arg(SETUP_TOKEN)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .map_err(|error| format!("starting {}: {error}", binary.display()))?;
    let server = Server(child);
    wait_until_listening(port)?;
    let script = root().join("server/tests/schemathesis/run.py");
    let passed =
        status(
            Command::new(&python)
                .arg(script)
                .args([base.as_str(), SETUP_TOKEN, MAX_EXAMPLES]),
        )?
        .success();
    drop(server);
    let _ = std::fs::remove_dir_all(&data);
    Ok(passed)
}

fn wait_until_listening(port: u16) -> Result<()> {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err(format!(
        "the server did not listen on port {port} within a minute"
    ))
}
