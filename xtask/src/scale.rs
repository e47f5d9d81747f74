//! `cargo xtask seed-scale`: the release server's generator, with the database options first.

use std::process::ExitCode;

use crate::run::{cargo, cmd, status, Result};

pub fn seed_scale(args: &[String]) -> Result<ExitCode> {
    let mut database = Vec::new();
    let mut sizes = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let value = iter.next().ok_or(format!("{arg} needs a value"))?;
        let target = match arg.as_str() {
            "--sqlite-path" | "--database-url" => &mut database,
            "--users" | "--groups" | "--projects" | "--workspaces" | "--heavy-users" | "--seed" => {
                &mut sizes
            }
            other => return Err(format!("unknown option {other}\n{}", crate::USAGE)),
        };
        target.push(arg.clone());
        target.push(value.clone());
    }
    let mut command = cmd(
        &cargo(),
        &["run", "--release", "--package", "carrel-server", "--"],
    );
    command.args(&database).arg("seed-scale").args(&sizes);
    let exit = status(&mut command)?;
    Ok(if exit.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
