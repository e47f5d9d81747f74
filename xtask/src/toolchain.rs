//! Installing what builds and tests need, when it is missing. Versions follow shared/TOOLCHAIN.md.

use std::path::Path;

use crate::run::{cargo, cmd, is_root, output, run, Result};

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
pub const TRUNK_VERSION: &str = "0.21";
/// Must equal the `wasm-bindgen` pinned in Cargo.toml and `[tools]` in Trunk.toml.
pub const WASM_BINDGEN_VERSION: &str = "0.2.130";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The wasm target, trunk and wasm-bindgen-cli: what `trunk build` needs.
pub fn ensure_web_build() -> Result<()> {
    let targets = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !targets.lines().any(|line| line.trim() == WASM_TARGET) {
        println!("Adding the {WASM_TARGET} target (the web app compiles to WebAssembly)…");
        run(&mut cmd("rustup", &["target", "add", WASM_TARGET]))?;
    }
    let trunk = output("trunk", &["--version"]).unwrap_or_default();
    if !trunk.starts_with(&format!("trunk {TRUNK_VERSION}.")) {
        println!(
            "Installing trunk {TRUNK_VERSION} (builds the web app). It compiles from source: expect 5–8 minutes on 2 cores, once."
        );
        let version = format!("~{TRUNK_VERSION}");
        run(&mut cmd(
            &cargo(),
            &["install", "--locked", "trunk", "--version", &version],
        ))?;
    }
    let bindgen = output("wasm-bindgen", &["--version"]).unwrap_or_default();
    if !bindgen.contains(WASM_BINDGEN_VERSION) {
        println!(
            "Installing wasm-bindgen-cli {WASM_BINDGEN_VERSION} (must match the project's wasm-bindgen). It compiles from source: expect 3–5 minutes, once."
        );
        // Without --locked: the registry lacks one of its locked dependencies.
        run(&mut cmd(
            &cargo(),
            &[
                "install",
                "wasm-bindgen-cli",
                "--version",
                WASM_BINDGEN_VERSION,
            ],
        ))?;
    }
    Ok(())
}

/// Chromium, chromedriver and PostgreSQL: what the test layers need beyond the build.
pub fn ensure_test_tools() -> Result<()> {
    let mut missing = Vec::new();
    if !Path::new(CHROMIUM).exists() {
        missing.push("chromium");
    }
    if !Path::new(CHROMEDRIVER).exists() {
        missing.push("chromium-driver");
    }
    if crate::postgres::bin_dir().is_none() {
        missing.push("postgresql");
    }
    if missing.is_empty() {
        return Ok(());
    }
    apt_install(
        &missing,
        "browser tests use headless Chromium; server tests use a throwaway PostgreSQL",
    )
}

fn apt_install(packages: &[&str], why: &str) -> Result<()> {
    let list = packages.join(" ");
    if !is_root() {
        return Err(format!(
            "missing system packages: {list} ({why}). Install them with: sudo apt-get install -y {list}"
        ));
    }
    println!("Installing {list} with apt-get ({why}); this takes a few minutes…");
    let mut update = cmd("apt-get", &["update", "-qq"]);
    run(&mut update)?;
    let mut install_args = vec!["install", "-y", "-qq"];
    install_args.extend_from_slice(packages);
    let mut install = cmd("apt-get", &install_args);
    install.env("DEBIAN_FRONTEND", "noninteractive");
    run(&mut install)
}

/// `trunk build --release --offline` with the size-tuned profile, into `dist/`.
pub fn build_web_release() -> Result<()> {
    ensure_web_build()?;
    println!("Building the web app (release, optimised for size)…");
    run(&mut cmd(
        "trunk",
        &[
            "build",
            "--release",
            "--offline",
            "--cargo-profile",
            "wasm-release",
        ],
    ))
}
