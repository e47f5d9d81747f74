//! Developer commands. `cargo xtask serve` builds and runs the app; `cargo xtask test` runs every
//! test layer. Both install what they need on a fresh machine first.

mod bench;
mod bench_files;
mod bench_site;
mod bench_tables;
mod openapi_probe;
mod postgres;
mod release_server;
mod rules_check;
mod run;
mod s3;
mod scale;
mod serve;
mod test;
mod toolchain;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  serve [--demo] [--address ADDR] [--sqlite-path FILE] [--database-url URL]
        build the web app (release) and run the server at http://127.0.0.1:8080
  test  install what the tests need, then run every test layer with a summary
  rules list every line of web/src and server/src/http that decides on a role (the test's first layer)
  seed-scale [--sqlite-path FILE | --database-url URL] [--users N] [--groups N] [--projects N]
             [--workspaces N] [--heavy-users N] [--seed N]
        fill an empty database with the scale world of SPEC §7 (default: the full size)
  web   build the release web app into dist/ and print the size browsers receive
  bench (--sqlite-path FILE | --database-url URL) [--seconds N] [--user EMAIL]
        load-test the release server on a seeded database with wrk; prints a results table
  bench-files [--database-url URL] [--s3]
        a 1 GiB upload and download through the release server beside cp, with peak memory
  bench-tables [--database-url URL] [--rows N] [--seconds N]
        a 1,000,000-row TSV import, sorted and filtered pages (wrk p99) and the export's rate
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve::serve(&args[1..]),
        Some("test") => test::test(&args[1..]),
        Some("seed-scale") => scale::seed_scale(&args[1..]),
        Some("bench") => bench::bench(&args[1..]),
        Some("bench-files") => bench_files::bench_files(&args[1..]),
        Some("bench-tables") => bench_tables::bench_tables(&args[1..]),
        Some("rules") => rules_check::check().map(|()| ExitCode::SUCCESS),
        Some("web") => toolchain::build_web_release().map(|()| ExitCode::SUCCESS),
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("xtask: {error}");
            ExitCode::FAILURE
        }
    }
}
