//! `cargo xtask bench-tables`: SPEC §7's data-table budgets through the release server. A
//! 1,000,000-row × 10-column TSV import (time and the server's peak memory), pages of 100 rows
//! sorted by a column and filtered by text (wrk, one connection: p50 and p99), and the
//! export's rate. On a fresh SQLite file by default, on PostgreSQL with `--database-url` (an
//! empty database).

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use crate::bench_site::{wrk_get, BenchSite};
use crate::release_server;
use crate::run::{cmd, output, run, Result};

const PORT: u16 = 18_183;

pub fn bench_tables(args: &[String]) -> Result<ExitCode> {
    let mut database_url = None;
    let mut rows: u64 = 1_000_000;
    let mut seconds: u32 = 10;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |name: &str| iter.next().cloned().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--database-url" => database_url = Some(value("--database-url")?),
            "--rows" => {
                rows = value("--rows")?
                    .parse()
                    .map_err(|_| "--rows takes a number")?
            }
            "--seconds" => {
                seconds = value("--seconds")?
                    .parse()
                    .map_err(|_| "--seconds takes a number")?
            }
            other => return Err(format!("unknown option {other}\n{}", crate::USAGE)),
        }
    }
    if output("wrk", &["--version"]).is_none()
        && std::process::Command::new("wrk")
            .arg("--version")
            .output()
            .is_err()
    {
        if !crate::run::is_root() {
            return Err("wrk is missing: sudo apt-get install -y wrk".into());
        }
        run(&mut cmd("apt-get", &["install", "-y", "-qq", "wrk"]))?;
    }
    let server = release_server::build()?;
    let work = std::env::temp_dir().join(format!("carrel-bench-tables-{}", std::process::id()));
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let outcome = measure(server, &work, database_url.as_deref(), rows, seconds);
    let _ = std::fs::remove_dir_all(&work);
    outcome.map(|()| ExitCode::SUCCESS)
}

/// A Terra-style sample table: numbers, text, booleans, repeated and unique values.
fn write_tsv(path: &Path, rows: u64) -> Result<u64> {
    let file = std::fs::File::create(path).map_err(|e| e.to_string())?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    let statuses = ["ok", "failed", "pending"];
    writeln!(
        out,
        "entity:sample_id\tdepth\tscore\tsite\tstatus\ttumor\tbatch\tnote\tage\tweight\tgroup"
    )
    .map_err(|e| e.to_string())?;
    for i in 0..rows {
        writeln!(
            out,
            "S{i:07}\t{}\t{:.2}\tsite-{}\t{}\t{}\tbatch-{:04}\tsample {i} from donor D{}\t{}\t{:.1}\tg{}",
            (i * 7919) % 100_000,
            (i as f64 * 0.37) % 100.0,
            i % 50,
            statuses[(i % 3) as usize],
            i % 2 == 0,
            i / 1000,
            i % 9973,
            20 + i % 60,
            40.0 + (i % 700) as f64 / 10.0,
            i % 13
        )
        .map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())?;
    std::fs::metadata(path)
        .map(|m| m.len())
        .map_err(|e| e.to_string())
}

fn measure(
    server: std::process::Command,
    work: &Path,
    database_url: Option<&str>,
    rows: u64,
    seconds: u32,
) -> Result<()> {
    let tsv = work.join("samples.tsv");
    let bytes = write_tsv(&tsv, rows)?;
    let site = BenchSite::start(server, PORT, work, database_url, "Tables")?;
    let idle = site.peak_mib();

    let started = Instant::now();
    let answer = site
        .curl()
        .args([
            "-X",
            "POST",
            "-H",
            "content-type: text/tab-separated-values",
            "--data-binary",
        ])
        .arg(format!("@{}", tsv.display()))
        .arg(site.workspace_api("/entities/import"))
        .output()
        .map_err(|e| format!("import: {e}"))?;
    let import = started.elapsed();
    let summary = String::from_utf8_lossy(&answer.stdout).into_owned();
    if !summary.contains("\"created\"") {
        return Err(format!("the import failed: {summary:.300}"));
    }
    let after_import = site.peak_mib();

    let table = site.workspace_api("/entities/sample");
    let middle = rows / 2;
    let scenarios = [
        ("first page, by name", format!("{table}?limit=100")),
        (
            "by a number column (depth), ascending",
            format!("{table}?limit=100&sort=depth"),
        ),
        (
            "by a text column (site), descending",
            format!("{table}?limit=100&sort=site&desc=true"),
        ),
        (
            "by depth, a page from the middle (cursor)",
            format!(
                "{table}?limit=100&sort=depth&after={middle}~0{:016X}",
                50_000f64.to_bits() | (1 << 63)
            ),
        ),
        (
            "filtered by text in 1 row of 3 (\"failed\")",
            format!("{table}?limit=100&filter=failed"),
        ),
        (
            "filtered (\"failed\") and sorted by depth",
            format!("{table}?limit=100&filter=failed&sort=depth"),
        ),
        (
            "filtered by text in 1 row of 1,000 (\"batch-0420\"), by depth",
            format!("{table}?limit=100&filter=batch-0420&sort=depth"),
        ),
        (
            "filtered by text in 1 row (\"S0999999\")",
            format!("{table}?limit=100&filter=s0999999"),
        ),
    ];
    // The first sort by a column builds its keys, once: timed on its own.
    let mut first_sorts = Vec::new();
    for column in ["depth", "site"] {
        let started = Instant::now();
        let status = site
            .curl()
            .args(["-o", "/dev/null", "-w", "%{http_code}"])
            .arg(format!("{table}?limit=100&sort={column}"))
            .output()
            .map_err(|e| format!("first sort: {e}"))?;
        first_sorts.push(format!(
            "| first sort by {column} (builds its keys once; HTTP {}) | {:.1} s |",
            String::from_utf8_lossy(&status.stdout),
            started.elapsed().as_secs_f64()
        ));
    }
    let after_sorts = site.peak_mib();
    let cookie = site.cookie();
    // Warm up (discarded).
    let _ = wrk_get(&scenarios[0].1, &cookie, 2);
    let mut lines = Vec::new();
    for (name, url) in &scenarios {
        let w = wrk_get(url, &cookie, seconds)?;
        lines.push(format!(
            "| {name} | {} | {} | {} | {} |",
            w.rate, w.p50, w.p99, w.non_2xx
        ));
    }

    let started = Instant::now();
    let exported = site
        .curl()
        .args(["-o", "/dev/null", "-w", "%{size_download}"])
        .arg(site.workspace_api("/entities/sample/export"))
        .output()
        .map_err(|e| format!("export: {e}"))?;
    let export = started.elapsed();
    let exported_bytes: f64 = String::from_utf8_lossy(&exported.stdout)
        .trim()
        .parse()
        .unwrap_or(0.0);
    let after_export = site.peak_mib();

    let database = if database_url.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!(
        "\n{rows} rows × 10 columns ({:.0} MiB of TSV), {database}:",
        bytes as f64 / 1048576.0
    );
    println!("| what | figure |\n|---|---|");
    println!(
        "| import (one request, atomic) | {:.1} s, {:.0} rows/s |",
        import.as_secs_f64(),
        rows as f64 / import.as_secs_f64()
    );
    println!(
        "| export (streamed) | {:.1} s, {:.0} rows/s, {:.0} MiB |",
        export.as_secs_f64(),
        rows as f64 / export.as_secs_f64(),
        exported_bytes / 1048576.0
    );
    for line in first_sorts {
        println!("{line}");
    }
    println!(
        "| server peak memory (VmHWM) | {idle:.0} MiB idle, {after_import:.0} MiB after the import, {after_sorts:.0} MiB after building two columns' keys, {after_export:.0} MiB after the pages and the export |"
    );
    println!("\nPages of 100 rows ({seconds} s each, one connection):");
    println!("| page | requests/s | p50 | p99 | non-2xx |\n|---|---|---|---|---|");
    for line in lines {
        println!("{line}");
    }
    Ok(())
}
