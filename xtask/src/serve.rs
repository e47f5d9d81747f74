//! `cargo xtask serve`: build the release web app and the server, then run ONE server process
//! that serves both.

use std::os::unix::process::CommandExt;
use std::process::ExitCode;

use crate::run::{cargo, cmd, root, run, Result};
use crate::toolchain::build_web_release;

pub fn serve(args: &[String]) -> Result<ExitCode> {
    let mut server_args: Vec<String> = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--demo" => server_args.push(arg.clone()),
            "--address" | "--sqlite-path" | "--database-url" => {
                let value = iter.next().ok_or(format!("{arg} needs a value"))?;
                server_args.push(arg.clone());
                server_args.push(value.clone());
            }
            other => return Err(format!("unknown option {other}\n{}", crate::USAGE)),
        }
    }
    build_web_release()?;
    println!("Building the server (release)…");
    run(&mut cmd(
        &cargo(),
        &["build", "--release", "--package", "carrel-server"],
    ))?;
    let target_dir = std::env::var("CARGO_TARGET_DIR")
        .map_or_else(|_| root().join("target"), std::path::PathBuf::from);
    let binary = target_dir.join("release").join("carrel-server");
    let dist = root().join("dist");
    // Replace this process with the server: one process serves the app and the API.
    let error = cmd(&binary.to_string_lossy(), &[])
        .arg("--static-dir")
        .arg(&dist)
        .args(&server_args)
        .exec();
    Err(format!("could not start {}: {error}", binary.display()))
}
