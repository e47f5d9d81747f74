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
    ))?;
    precompress(&crate::run::root().join("dist"))
}

/// Write `.br` (quality 11) and `.gz` (level 9) beside each asset; the server sends them to
/// browsers that accept them, so nobody pays for compression at request time.
fn precompress(dist: &Path) -> Result<()> {
    let entries =
        std::fs::read_dir(dist).map_err(|e| format!("reading {}: {e}", dist.display()))?;
    for entry in entries.filter_map(|e| e.ok()) {
        let path = entry.path();
        let compressible = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "wasm" | "js" | "css" | "html"));
        if !compressible {
            continue;
        }
        let data = std::fs::read(&path).map_err(|e| format!("reading {}: {e}", path.display()))?;
        let mut br = Vec::new();
        let params = brotli::enc::BrotliEncoderParams {
            quality: 11,
            lgwin: 22,
            ..Default::default()
        };
        brotli::BrotliCompress(&mut data.as_slice(), &mut br, &params)
            .map_err(|e| format!("brotli: {e}"))?;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        std::io::Write::write_all(&mut gz, &data).map_err(|e| format!("gzip: {e}"))?;
        let gz = gz.finish().map_err(|e| format!("gzip: {e}"))?;
        let name = path.to_string_lossy().into_owned();
        std::fs::write(format!("{name}.br"), &br).map_err(|e| e.to_string())?;
        std::fs::write(format!("{name}.gz"), &gz).map_err(|e| e.to_string())?;
        if name.ends_with(".wasm") {
            println!(
                "web bundle: {} bytes, {} gzip, {} brotli",
                data.len(),
                gz.len(),
                br.len()
            );
        }
    }
    Ok(())
}
