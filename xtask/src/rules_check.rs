//! "No rule outside `core`": the web app and the HTTP layer may name roles (to construct grants,
//! to show them) but never decide by comparing them. A comparison or match on a role there is a
//! rule leaking out of `core`; this check lists each one and fails.

use std::path::{Path, PathBuf};

use crate::run::{root, Result};

/// Where rules must not be written.
const GUARDED: [&str; 2] = ["web/src", "server/src/http"];

const ROLE_TYPES: [&str; 3] = ["Role::", "GroupRole::", "BillingRole::"];

/// Whether `line` decides something by comparing or matching a role.
fn decides_on_a_role(line: &str) -> bool {
    let code = line.split("//").next().unwrap_or_default();
    ROLE_TYPES.iter().any(|role| {
        let bare = |prefix: &str| {
            code.match_indices(&format!("{prefix}{role}"))
                .any(|(at, _)| !preceded_by_identifier(code, at))
        };
        let compared = ["== ", "!= ", "== Some(", "!= Some(", "== &", "!= &"]
            .iter()
            .any(|op| bare(op));
        let compared_after = code.match_indices(role).any(|(at, _)| {
            !preceded_by_identifier(code, at) && {
                let rest = &code[at + role.len()..];
                let variant_end = rest
                    .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                let after = rest[variant_end..].trim_start_matches([')', ' ']);
                after.starts_with("==") || after.starts_with("!=") || after.starts_with("=>")
            }
        });
        let matched = code.contains("matches!(") && code.contains(role);
        compared || compared_after || matched
    })
}

/// `Role::` inside `GroupRole::` must not count twice: the role type starts a path only after a
/// character that cannot continue an identifier.
fn preceded_by_identifier(code: &str, at: usize) -> bool {
    code[..at]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_alphanumeric() || c == '_')
}

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            found.push(path);
        }
    }
}

/// Every line of the guarded folders that decides on a role, as `path:line: text`.
pub fn leaks() -> Vec<String> {
    let mut files = Vec::new();
    for dir in GUARDED {
        rust_files(&root().join(dir), &mut files);
    }
    files.sort();
    let mut found = Vec::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        let shown = file
            .strip_prefix(root())
            .unwrap_or(&file)
            .display()
            .to_string();
        for (number, line) in text.lines().enumerate() {
            if decides_on_a_role(line) {
                found.push(format!("{shown}:{}: {}", number + 1, line.trim()));
            }
        }
    }
    found
}

pub fn check() -> Result<()> {
    let leaks = leaks();
    if leaks.is_empty() {
        println!("no role is compared outside core");
        return Ok(());
    }
    for leak in &leaks {
        println!("  {leak}");
    }
    Err(format!(
        "{} lines decide on a role outside core: move each rule into a core function and call it",
        leaks.len()
    ))
}

#[cfg(test)]
mod tests {
    use super::decides_on_a_role;

    #[test]
    fn comparisons_and_matches_are_caught_and_constructors_are_not() {
        for leak in [
            "if role == Role::Owner {",
            "let owner = p.my_role == Some(BillingRole::Owner);",
            "x && row.role != Role::Reader",
            "if Role::Owner == role {",
            "Some(GroupRole::Admin) => \"Admin\",",
            "matches!(grant.role, Role::Owner)",
        ] {
            assert!(decides_on_a_role(leak), "{leak}");
        }
        for fine in [
            "let owner = Grant::new(Principal::User(user.id), Role::Owner);",
            "billing::set_member(tx, project, user, BillingRole::Owner).await?;",
            "let member_role = RwSignal::new(GroupRole::Member);",
            "selected=choice == m.role",
            "// if role == Role::Owner, in a comment",
        ] {
            assert!(!decides_on_a_role(fine), "{fine}");
        }
    }
}
