//! The scale world of SPEC §7, generated deterministically through the store's bulk path:
//! users, nested groups, billing projects and workspaces with a realistic mix of grants, and a
//! few heavy users who reach 1,400+ workspaces directly and through groups nested 8 deep.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::store::bulk::{self, Value};
use crate::store::Store;
use crate::{now_ms, password};

/// The password of every generated account.
pub const SCALE_PASSWORD: &str = "scale-password";

#[derive(Clone, Debug)]
pub struct Sizes {
    pub users: u64,
    pub groups: u64,
    pub projects: u64,
    pub workspaces: u64,
    pub heavy_users: u64,
}

impl Sizes {
    /// SPEC §7: 100,000 users, 10,000 groups, 5,000 billing projects, 1,000,000 workspaces.
    pub fn spec() -> Sizes {
        Sizes {
            users: 100_000,
            groups: 10_000,
            projects: 5_000,
            workspaces: 1_000_000,
            heavy_users: 10,
        }
    }

    /// Direct grants each heavy user gets, and grants to the outer group of their chain.
    fn heavy_reach(&self) -> (u64, u64) {
        (1_000.min(self.workspaces / 2), 500.min(self.workspaces / 4))
    }
}

#[derive(Debug)]
pub struct Report {
    pub elapsed: Duration,
    pub rows: BTreeMap<&'static str, u64>,
    pub database_bytes: i64,
    /// Emails of the heavy users, for benchmarks.
    pub heavy_users: Vec<String>,
}

pub fn email(user: u64) -> String {
    format!("u{user}@scale.test")
}

fn owner_of_project(project: u64, sizes: &Sizes) -> u64 {
    (project - 1) % sizes.users + 1
}

/// Rows of one table, flushed in transactions of `BATCH` rows.
struct Table<'a> {
    store: &'a Store,
    name: &'static str,
    columns: &'static [&'static str],
    rows: Vec<Vec<Value>>,
    total: u64,
    /// Rows that reference others are flushed by the caller, after the rows they reference.
    deferred: bool,
}

const BATCH: usize = 20_000;
/// Parents (users, projects, groups, workspaces) written before the rows that reference them.
const PARENTS_PER_FLUSH: u64 = 5_000;

impl<'a> Table<'a> {
    fn new(store: &'a Store, name: &'static str, columns: &'static [&'static str]) -> Self {
        Table {
            store,
            name,
            columns,
            rows: Vec::with_capacity(BATCH),
            total: 0,
            deferred: false,
        }
    }

    fn deferred(store: &'a Store, name: &'static str, columns: &'static [&'static str]) -> Self {
        Table {
            deferred: true,
            ..Table::new(store, name, columns)
        }
    }

    async fn push(&mut self, row: Vec<Value>) -> Result<(), sqlx::Error> {
        self.rows.push(row);
        if !self.deferred && self.rows.len() >= BATCH {
            self.flush().await?;
        }
        Ok(())
    }

    async fn flush(&mut self) -> Result<(), sqlx::Error> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let mut tx = self.store.begin_write().await?;
        bulk::insert(&mut tx, self.name, self.columns, &self.rows).await?;
        tx.commit().await?;
        self.total += self.rows.len() as u64;
        self.rows.clear();
        Ok(())
    }
}

use Value::{Int, Text};

fn int(n: u64) -> Value {
    Int(i64::try_from(n).unwrap_or(i64::MAX))
}

/// Fill an empty, migrated database.
pub async fn seed(
    store: &Store,
    sizes: &Sizes,
    seed: u64,
    sqlite_path: Option<&std::path::Path>,
) -> anyhow::Result<Report> {
    anyhow::ensure!(
        sizes.users >= 2 + sizes.heavy_users,
        "need more users than heavy users"
    );
    anyhow::ensure!(
        sizes.groups >= 8 * sizes.heavy_users.max(1),
        "need 8 groups per heavy user"
    );
    anyhow::ensure!(
        sizes.projects >= 1 && sizes.workspaces >= 4,
        "need projects and workspaces"
    );
    let started = Instant::now();
    let mut rng = StdRng::seed_from_u64(seed);
    let now = now_ms();
    let hash = password::hash(SCALE_PASSWORD.to_owned()).await?;
    let mut rows = BTreeMap::new();

    let mut users = Table::new(
        store,
        "users",
        &[
            "id",
            "email",
            "display_name",
            "password_hash",
            "is_site_admin",
            "created_at",
        ],
    );
    let mut tiers = Table::deferred(store, "user_tiers", &["user_id", "tier", "granted_at"]);
    for user in 1..=sizes.users {
        users
            .push(vec![
                int(user),
                Text(email(user)),
                Text(format!("User {user}")),
                Text(hash.clone()),
                Int(i64::from(user == 1)),
                Int(now),
            ])
            .await?;
        tiers
            .push(vec![int(user), Text("registered".into()), Int(now)])
            .await?;
        if user % 3 == 0 {
            tiers
                .push(vec![int(user), Text("controlled".into()), Int(now)])
                .await?;
        }
        if user % PARENTS_PER_FLUSH == 0 {
            users.flush().await?;
            tiers.flush().await?;
        }
    }
    users.flush().await?;
    tiers.flush().await?;
    rows.insert("users", users.total);
    rows.insert("user_tiers", tiers.total);

    let mut projects = Table::new(
        store,
        "billing_projects",
        &["id", "name", "credits_cents", "created_at"],
    );
    let mut members = Table::deferred(store, "billing_members", &["project_id", "user_id", "role"]);
    for project in 1..=sizes.projects {
        projects
            .push(vec![
                int(project),
                Text(format!("scale-{project}")),
                Int(30_000),
                Int(now),
            ])
            .await?;
        let owner = owner_of_project(project, sizes);
        members
            .push(vec![int(project), int(owner), Text("owner".into())])
            .await?;
        let creator = rng.gen_range(1..=sizes.users);
        if creator != owner {
            members
                .push(vec![int(project), int(creator), Text("user".into())])
                .await?;
        }
        if project % PARENTS_PER_FLUSH == 0 {
            projects.flush().await?;
            members.flush().await?;
        }
    }
    projects.flush().await?;
    members.flush().await?;
    rows.insert("billing_projects", projects.total);
    rows.insert("billing_members", members.total);

    // Groups in chains of 8: group i is inside group i + 1 within its chain.
    let mut groups = Table::new(
        store,
        "groups",
        &[
            "id",
            "name",
            "allows_requests",
            "access_instructions",
            "created_at",
        ],
    );
    let mut group_members =
        Table::deferred(store, "group_members", &["group_id", "user_id", "role"]);
    let mut nesting = Table::deferred(store, "group_subgroups", &["parent_id", "child_id"]);
    let heavy: Vec<u64> = (2..2 + sizes.heavy_users).collect();
    for group in 1..=sizes.groups {
        groups
            .push(vec![
                int(group),
                Text(format!("g{group}")),
                Int(0),
                Text(String::new()),
                Int(now),
            ])
            .await?;
        let level = (group - 1) % 8;
        if level < 7 && group < sizes.groups {
            nesting.push(vec![int(group + 1), int(group)]).await?;
        }
        let mut in_group = BTreeSet::new();
        in_group.insert((group * 7) % sizes.users + 1);
        while in_group.len() < 4 {
            in_group.insert(rng.gen_range(1..=sizes.users));
        }
        // Heavy user k sits at the bottom of chain k.
        if let Some(user) = heavy.get(usize::try_from((group - 1) / 8).unwrap_or(usize::MAX)) {
            if level == 0 {
                in_group.insert(*user);
            }
        }
        for (i, user) in in_group.into_iter().enumerate() {
            let role = if i == 0 { "admin" } else { "member" };
            group_members
                .push(vec![int(group), int(user), Text(role.into())])
                .await?;
        }
        if group % PARENTS_PER_FLUSH == 0 {
            groups.flush().await?;
            group_members.flush().await?;
        }
    }
    groups.flush().await?;
    // Nesting references the next group of the chain: insert it once every group exists.
    groups.flush().await?;
    group_members.flush().await?;
    nesting.flush().await?;
    rows.insert("groups", groups.total);
    rows.insert("group_members", group_members.total);
    rows.insert("group_subgroups", nesting.total);

    // Heavy users' reach: direct reader grants, and grants to the outer group of their chain.
    let (direct, through_group) = sizes.heavy_reach();
    let mut extra: HashMap<u64, Vec<(String, Option<u64>)>> = HashMap::new();
    for (k, user) in heavy.iter().enumerate() {
        let mut chosen = BTreeSet::new();
        while (chosen.len() as u64) < direct {
            chosen.insert(rng.gen_range(1..=sizes.workspaces));
        }
        for ws in chosen {
            extra
                .entry(ws)
                .or_default()
                .push((format!("u:{user}"), Some(*user)));
        }
        let outer = (k as u64) * 8 + 8;
        let mut chosen = BTreeSet::new();
        while (chosen.len() as u64) < through_group {
            chosen.insert(rng.gen_range(1..=sizes.workspaces));
        }
        for ws in chosen {
            extra
                .entry(ws)
                .or_default()
                .push((format!("g:{outer}"), None));
        }
    }

    let mut workspaces = Table::new(
        store,
        "workspaces",
        &[
            "id",
            "project_id",
            "name",
            "display_name",
            "description",
            "tier",
            "creator_id",
            "locked",
            "acl_version",
            "created_at",
            "modified_at",
            "dataset_version",
            "research_purpose",
            "replication_statement",
            "about_version",
        ],
    );
    let mut grants = Table::deferred(
        store,
        "workspace_grants",
        &[
            "workspace_id",
            "principal_key",
            "user_id",
            "role",
            "can_share",
            "can_compute",
        ],
    );
    let mut directory = Table::deferred(
        store,
        "directory_entries",
        &[
            "workspace_key",
            "namespace",
            "name",
            "display_name",
            "tier",
            "research_purpose",
            "creator_name",
            "created_at",
            "active",
            "workspace_id",
            "purposes",
            "search_text",
        ],
    );
    for ws in 1..=sizes.workspaces {
        let project = (ws - 1) % sizes.projects + 1;
        let creator = owner_of_project(project, sizes);
        let tier = if ws % 7 == 0 {
            "controlled"
        } else {
            "registered"
        };
        let created = now - i64::try_from(sizes.workspaces - ws).unwrap_or_default() * 1_000;
        workspaces
            .push(vec![
                int(ws),
                int(project),
                Text(format!("w{ws}")),
                Text(format!("Workspace {ws}")),
                Text(String::new()),
                Text(tier.into()),
                int(creator),
                Int(i64::from(ws % 53 == 0)),
                Int(1),
                Int(created),
                Int(created),
                Text(if tier == "controlled" {
                    "c2026q3".into()
                } else {
                    "r2026q3".into()
                }),
                Text("{}".into()),
                Text(String::new()),
                Int(0),
            ])
            .await?;
        directory
            .push(vec![
                Text(format!("scale-{project}/w{ws}#{ws}")),
                Text(format!("scale-{project}")),
                Text(format!("w{ws}")),
                Text(format!("Workspace {ws}")),
                Text(tier.into()),
                Text(directory_purpose(ws)),
                Text(format!("User {creator}")),
                Int(created),
                Int(1),
                int(ws),
                Text(format!(",{},", scale_purpose(ws).as_str())),
                Text(format!("workspace {ws} w{ws} {}", scale_question(ws))),
            ])
            .await?;
        // 1-10 grants: the creator owns it; a few collaborators; sometimes a group.
        let mut acl: BTreeMap<String, (Option<u64>, &str, i64, i64)> = BTreeMap::new();
        acl.insert(format!("u:{creator}"), (Some(creator), "owner", 1, 1));
        let collaborators = match rng.gen_range(0..100) {
            0..=39 => 0,
            40..=79 => rng.gen_range(1..=3),
            _ => rng.gen_range(4..=8),
        };
        for _ in 0..collaborators {
            let user = rng.gen_range(1..=sizes.users);
            let (role, compute) = if rng.gen_bool(0.5) {
                ("writer", 1)
            } else {
                ("reader", 0)
            };
            acl.entry(format!("u:{user}"))
                .or_insert((Some(user), role, 0, compute));
        }
        if rng.gen_bool(0.1) {
            let group = rng.gen_range(1..=sizes.groups);
            acl.entry(format!("g:{group}"))
                .or_insert((None, "reader", 0, 0));
        }
        for (key, user) in extra.remove(&ws).unwrap_or_default() {
            acl.entry(key).or_insert((user, "reader", 0, 0));
        }
        for (key, (user, role, share, compute)) in acl {
            grants
                .push(vec![
                    int(ws),
                    Text(key),
                    user.map_or(Value::Null, int),
                    Text(role.into()),
                    Int(share),
                    Int(compute),
                ])
                .await?;
        }
        if ws % PARENTS_PER_FLUSH == 0 {
            workspaces.flush().await?;
            grants.flush().await?;
            directory.flush().await?;
        }
    }
    workspaces.flush().await?;
    grants.flush().await?;
    directory.flush().await?;
    rows.insert("workspaces", workspaces.total);
    rows.insert("workspace_grants", grants.total);
    rows.insert("directory_entries", directory.total);

    bulk::reset_identities(
        store,
        &["users", "billing_projects", "groups", "workspaces"],
    )
    .await?;
    if store.backend() == crate::store::Backend::Postgres {
        sqlx::Executor::execute(store.pool(), "ANALYZE").await?;
    } else {
        sqlx::Executor::execute(store.pool(), "PRAGMA optimize").await?;
    }
    Ok(Report {
        elapsed: started.elapsed(),
        rows,
        database_bytes: bulk::database_size(store, sqlite_path).await,
        heavy_users: heavy.iter().map(|u| email(*u)).collect(),
    })
}

fn scale_purpose(ws: u64) -> carrel_core::workspace::PrimaryPurpose {
    let all = carrel_core::workspace::PrimaryPurpose::ALL;
    all[usize::try_from(ws).unwrap_or_default() % all.len()]
}

fn scale_question(ws: u64) -> String {
    format!("does method {} travel?", ws % 1_000)
}

/// A published research purpose for a seeded workspace: one primary purpose in turn.
fn directory_purpose(ws: u64) -> String {
    serde_json::json!({
        "purposes": [scale_purpose(ws)],
        "scientific_questions": scale_question(ws),
        "scientific_approaches": "Compare.",
        "anticipated_findings": "Some do.",
        "focuses_on_underrepresented": false,
    })
    .to_string()
}
