//! `cargo xtask test`: every test layer in order, each summarised at the end; non-zero exit if
//! any layer fails.

use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use crate::postgres::Cluster;
use crate::run::{cargo, cmd, status, Result};
use crate::s3::S3Server;
use crate::toolchain::{self, CHROMEDRIVER, WASM_TARGET};

struct Outcome {
    layer: &'static str,
    passed: bool,
    took: Duration,
    note: String,
}

pub fn test(args: &[String]) -> Result<ExitCode> {
    if let Some(extra) = args.first() {
        return Err(format!("unknown option {extra}\n{}", crate::USAGE));
    }
    let started = Instant::now();
    toolchain::ensure_web_build()?;
    toolchain::ensure_test_tools()?;
    let mut outcomes = Vec::new();
    let rules_started = Instant::now();
    let (passed, note) = match crate::rules_check::check() {
        Ok(()) => (true, String::new()),
        Err(error) => (false, error),
    };
    outcomes.push(Outcome {
        layer: "rules only in core",
        passed,
        took: rules_started.elapsed(),
        note,
    });
    let cargo = cargo();
    let mut layer = |layer: &'static str, command: &mut Command| {
        outcomes.push(run_layer(layer, command));
    };

    layer("format", &mut cmd(&cargo, &["fmt", "--all", "--check"]));
    layer(
        "clippy (native)",
        &mut cmd(
            &cargo,
            &[
                "clippy",
                "--workspace",
                "--exclude",
                "carrel-web",
                "--all-targets",
                "--features",
                "carrel-server/e2e",
                "--",
                "-D",
                "warnings",
            ],
        ),
    );
    layer(
        "clippy (wasm32: core, web)",
        &mut cmd(
            &cargo,
            &[
                "clippy",
                "--package",
                "carrel-core",
                "--package",
                "carrel-web",
                "--lib",
                "--bins",
                "--tests",
                "--target",
                WASM_TARGET,
                "--",
                "-D",
                "warnings",
            ],
        ),
    );
    layer(
        "core builds for wasm32",
        &mut cmd(
            &cargo,
            &["check", "--package", "carrel-core", "--target", WASM_TARGET],
        ),
    );
    layer(
        "native tests (core, server on SQLite)",
        &mut cmd(&cargo, &["test", "--workspace", "--exclude", "carrel-web"]),
    );

    // PostgreSQL and an S3-compatible bucket together: the same suite, the other database and
    // the other kind of object store.
    match Cluster::start().and_then(|cluster| Ok((cluster, S3Server::start()?))) {
        Ok((cluster, s3)) => {
            let mut command = cmd(
                &cargo,
                &[
                    "test",
                    "--package",
                    "carrel-server",
                    "--test",
                    "api",
                    "--test",
                    "probes",
                ],
            );
            command
                .env("CARREL_TEST_POSTGRES_URL", cluster.url())
                .env("CARREL_TEST_S3_ENDPOINT", s3.endpoint());
            layer("server tests on PostgreSQL and S3", &mut command);
            drop(s3);
            drop(cluster);
        }
        Err(error) => outcomes.push(Outcome {
            layer: "server tests on PostgreSQL and S3",
            passed: false,
            took: Duration::ZERO,
            note: format!("could not start PostgreSQL or s3s-fs: {error}"),
        }),
    }

    let probe_started = Instant::now();
    let (passed, note) = match crate::openapi_probe::probe() {
        Ok(passed) => (passed, String::new()),
        Err(error) => (false, error),
    };
    outcomes.push(Outcome {
        layer: "OpenAPI probe (schemathesis)",
        passed,
        took: probe_started.elapsed(),
        note,
    });

    let mut wasm = cmd(
        &cargo,
        &["test", "--package", "carrel-web", "--target", WASM_TARGET],
    );
    wasm.env("CHROMEDRIVER", CHROMEDRIVER).env(
        "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
        "wasm-bindgen-test-runner",
    );
    outcomes.push(run_layer("web components in headless Chromium", &mut wasm));

    let e2e_started = Instant::now();
    match toolchain::build_web_release() {
        Ok(()) => {
            let mut e2e = cmd(
                &cargo,
                &[
                    "test",
                    "--package",
                    "carrel-server",
                    "--features",
                    "e2e",
                    "--test",
                    "e2e",
                ],
            );
            e2e.env("CARREL_DIST", crate::run::root().join("dist"))
                .env("CHROMEDRIVER", CHROMEDRIVER);
            let mut outcome = run_layer("end-to-end in headless Chromium", &mut e2e);
            outcome.took = e2e_started.elapsed();
            outcomes.push(outcome);
        }
        Err(error) => outcomes.push(Outcome {
            layer: "end-to-end in headless Chromium",
            passed: false,
            took: e2e_started.elapsed(),
            note: format!("release web build failed: {error}"),
        }),
    }

    println!(
        "\n== cargo xtask test: summary ({:.0} s in all)",
        started.elapsed().as_secs_f64()
    );
    for outcome in &outcomes {
        println!(
            "  {}  {:<40} {:>6.1} s  {}",
            if outcome.passed { "PASS" } else { "FAIL" },
            outcome.layer,
            outcome.took.as_secs_f64(),
            outcome.note
        );
    }
    let failed = outcomes.iter().filter(|o| !o.passed).count();
    println!(
        "layers: {} passed, {failed} failed",
        outcomes.len() - failed
    );
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn run_layer(layer: &'static str, command: &mut Command) -> Outcome {
    println!("\n== {layer}");
    let started = Instant::now();
    let (passed, note) = match status(command) {
        Ok(exit) if exit.success() => (true, String::new()),
        Ok(exit) => (false, format!("({exit})")),
        Err(error) => (false, error),
    };
    Outcome {
        layer,
        passed,
        took: started.elapsed(),
        note,
    }
}
