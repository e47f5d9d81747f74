//! The release server the benchmarks run: built once, started as a child process that is
//! killed when dropped, and waited for until it answers.

use std::path::PathBuf;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use crate::run::{cargo, cmd, output, root, run, Result};

pub struct Server(pub Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Build the release server and return the command that runs it.
pub fn build() -> Result<Command> {
    run(&mut cmd(
        &cargo(),
        &["build", "--release", "--package", "carrel-server"],
    ))?;
    let target =
        std::env::var("CARGO_TARGET_DIR").map_or_else(|_| root().join("target"), PathBuf::from);
    Ok(Command::new(target.join("release").join("carrel-server")))
}

/// Wait (up to a minute) until the server at `api` (`http://…/api/v1`) serves its document.
pub fn wait_until_serving(api: &str) -> Result<()> {
    let started = Instant::now();
    let document = format!("{api}/openapi.json");
    while output(
        "curl",
        &["-s", "-o", "/dev/null", "-w", "%{http_code}", &document],
    )
    .as_deref()
        != Some("200")
    {
        if started.elapsed() > Duration::from_secs(60) {
            return Err("the server did not start".into());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Ok(())
}
