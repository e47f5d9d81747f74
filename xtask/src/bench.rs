//! `cargo xtask bench`: the release server on a seeded database (`cargo xtask seed-scale`),
//! loaded over loopback by wrk. Prints one table row per scenario.

use std::process::{Command, ExitCode, Stdio};

use serde_json::Value;

use crate::release_server::{self, Server};
use crate::run::{cmd, is_root, output, root, run, Result};

const PORT: u16 = 18_181;

fn base() -> String {
    format!("http://127.0.0.1:{PORT}")
}

/// `curl` with the session's cookie jar; the body as text.
fn curl(args: &[&str]) -> Result<String> {
    output(
        "curl",
        &[
            &[
                "-s",
                "-b",
                "/tmp/carrel-bench-cookies",
                "-c",
                "/tmp/carrel-bench-cookies",
            ][..],
            args,
        ]
        .concat(),
    )
    .ok_or_else(|| format!("curl {args:?} failed"))
}

fn json(text: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|e| format!("unexpected answer {text:.200}: {e}"))
}

pub fn bench(args: &[String]) -> Result<ExitCode> {
    let mut database = Vec::new();
    let mut seconds = "10".to_owned();
    let mut user = "u2@scale.test".to_owned();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let value = iter.next().ok_or(format!("{arg} needs a value"))?.clone();
        match arg.as_str() {
            "--sqlite-path" | "--database-url" => database.extend([arg.clone(), value]),
            "--seconds" => seconds = value,
            "--user" => user = value,
            other => return Err(format!("unknown option {other}\n{}", crate::USAGE)),
        }
    }
    if database.is_empty() {
        return Err("bench needs --sqlite-path or --database-url of a seeded database".into());
    }
    if output("wrk", &["--version"]).is_none()
        && Command::new("wrk").arg("--version").output().is_err()
    {
        if !is_root() {
            return Err("wrk is missing: sudo apt-get install -y wrk".into());
        }
        run(&mut cmd("apt-get", &["install", "-y", "-qq", "wrk"]))?;
    }
    let mut command = release_server::build()?;
    // Another server on the port would answer for ours and measure the wrong database.
    if let Err(error) = std::net::TcpListener::bind(("127.0.0.1", PORT)) {
        return Err(format!(
            "port {PORT} is taken ({error}): stop what listens there"
        ));
    }
    let server = Server(
        command
            .args(&database)
            .args(["--address", &format!("127.0.0.1:{PORT}")])
            .current_dir(root())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("starting the server: {e}"))?,
    );
    release_server::wait_until_serving(&format!("{}/api/v1", base()))?;
    let _ = std::fs::remove_file("/tmp/carrel-bench-cookies");
    let login = format!("{{\"email\":\"{user}\",\"password\":\"scale-password\"}}");
    let me = json(&curl(&[
        "-H",
        "content-type: application/json",
        "-d",
        &login,
        &format!("{}/api/v1/auth/login", base()),
    ])?)?;
    let csrf = me["csrf_token"]
        .as_str()
        .ok_or(format!("sign-in failed: {me}"))?
        .to_owned();
    let cookies =
        std::fs::read_to_string("/tmp/carrel-bench-cookies").map_err(|e| e.to_string())?;
    let session = cookies
        .lines()
        .find_map(|line| {
            line.split('\t')
                .collect::<Vec<_>>()
                .get(5..7)
                .filter(|f| f[0] == "carrel_session")
                .map(|f| f[1].to_owned())
        })
        .ok_or("no session cookie")?;
    let cookie = format!("carrel_session={session}");

    let list = json(&curl(&[&format!("{}/api/v1/workspaces", base())])?)?;
    let workspaces = list["workspaces"].as_array().cloned().unwrap_or_default();
    let owned = workspaces
        .iter()
        .find(|w| {
            w["role"] == "owner" && w["inaccessible_reason"].is_null() && w["locked"] == false
        })
        .ok_or("the user owns no open workspace")?;
    let path = format!(
        "/api/v1/workspaces/{}/{}",
        owned["namespace"].as_str().unwrap_or_default(),
        owned["name"].as_str().unwrap_or_default()
    );
    let acl = json(&curl(&[&format!("{}{path}/acl", base())])?)?;
    let version = acl["version"].as_u64().unwrap_or_default();
    let size = |compressed: bool, url: &str| -> String {
        let mut args = vec!["-o", "/dev/null", "-w", "%{size_download}"];
        if compressed {
            args.extend(["-H", "accept-encoding: gzip"]);
        }
        args.push(url);
        curl(&args).unwrap_or_default()
    };
    let list_url = format!("{}/api/v1/workspaces", base());
    println!(
        "\nHeavy user {user}: {} workspaces in the list; response {} bytes, {} bytes gzipped",
        workspaces.len(),
        size(false, &list_url),
        size(true, &list_url)
    );

    let scripts = std::env::temp_dir().join("carrel-bench");
    std::fs::create_dir_all(&scripts).map_err(|e| e.to_string())?;
    let headers = format!(
        "wrk.headers[\"Cookie\"] = \"{cookie}\"\nwrk.headers[\"Accept-Encoding\"] = \"gzip\"\n"
    );
    let acl_script = format!(
        "local version = {version}\nlocal flip = 0\n\
         request = function()\n  flip = 1 - flip\n  local role = flip == 1 and \"writer\" or \"reader\"\n  \
         local body = string.format('{{\"version\":%d,\"changes\":[{{\"op\":\"set\",\"principal\":{{\"kind\":\"user\",\"email\":\"u1@scale.test\"}},\"role\":\"%s\"}}]}}', version, role)\n  \
         return wrk.format(\"PATCH\", \"{path}/acl\", {{[\"Content-Type\"]=\"application/json\", [\"Cookie\"]=\"{cookie}\", [\"X-CSRF-Token\"]=\"{csrf}\"}}, body)\nend\n\
         response = function(status, headers, body)\n  local v = body:match('\"version\":(%d+)')\n  if v then version = tonumber(v) end\nend\n"
    );
    // Accounts u100..u899 exist in every generated world (the smallest has 1,000 users).
    let login_script = "local n = 0\nrequest = function()\n  n = n + 1\n  \
         local body = string.format('{\"email\":\"u%d@scale.test\",\"password\":\"scale-password\"}', 100 + (n % 800))\n  \
         return wrk.format(\"POST\", \"/api/v1/auth/login\", {[\"Content-Type\"]=\"application/json\"}, body)\nend\n".to_owned();
    let write = |name: &str, text: &str| -> Result<String> {
        let file = scripts.join(name);
        std::fs::write(&file, text).map_err(|e| e.to_string())?;
        Ok(file.to_string_lossy().into_owned())
    };
    let scenarios: Vec<(&str, String, String, &str)> = vec![
        (
            "workspace list of a heavy user",
            write("get.lua", &headers)?,
            list_url.clone(),
            "1",
        ),
        (
            "workspace list of a heavy user",
            write("get.lua", &headers)?,
            list_url.clone(),
            "4",
        ),
        (
            "permission check (…/permissions)",
            write("get2.lua", &headers)?,
            format!("{}{path}/permissions", base()),
            "1",
        ),
        (
            "permission check (…/permissions)",
            write("get2.lua", &headers)?,
            format!("{}{path}/permissions", base()),
            "4",
        ),
        (
            "ACL change, validated, audited, synced",
            write("acl.lua", &acl_script)?,
            format!("{}{path}/acl", base()),
            "1",
        ),
        (
            "sign-in (argon2id)",
            write("login.lua", &login_script)?,
            format!("{}/api/v1/auth/login", base()),
            "2",
        ),
    ];
    // Warm up (discarded): the first seconds after a start pay for SQLite's page cache and memory
    // map; BENCHMARKS.md reports those cold numbers separately.
    for (_, script, url, _) in &scenarios[..3] {
        let _ = output("wrk", &["-t1", "-c1", "-d3s", "-s", script, url]);
    }
    println!("\n| scenario | connections | requests/s | p50 | p99 | non-2xx |\n|---|---|---|---|---|---|");
    for (name, script, url, connections) in scenarios {
        let w = crate::bench_site::wrk(&[
            "-t1",
            "-c",
            connections,
            "-d",
            &format!("{seconds}s"),
            "--latency",
            "-s",
            &script,
            &url,
        ])?;
        println!(
            "| {name} | {connections} | {} | {} | {} | {} |",
            w.rate, w.p50, w.p99, w.non_2xx
        );
    }
    drop(server);
    Ok(ExitCode::SUCCESS)
}
