//! Everyone an ACL view or change mentions, in one query: the users and groups of its grants,
//! the addresses and group names a batch names, and the billing project's owners.

use std::collections::BTreeMap;

use carrel_core::{BillingProjectId, GroupId, TierSet, UserId};
use sqlx::{AnyConnection, Row};

use super::billing::project_db_id;
use super::groups::{group_db_id, group_id};
use super::users::{db_id, user_id, UserLabel};

/// Whom to look up.
pub struct Wanted<'a> {
    /// Its owners are always included (they hold owner on every workspace of the project).
    pub project: BillingProjectId,
    pub user_ids: &'a [UserId],
    pub emails: &'a [String],
    pub group_ids: &'a [GroupId],
    pub group_names: &'a [String],
}

/// The users and groups found; a wanted one that does not exist is absent.
#[derive(Clone, Debug, Default)]
pub struct People {
    pub users: BTreeMap<UserId, UserLabel>,
    pub groups: BTreeMap<GroupId, String>,
    /// The project's owners, sorted.
    pub project_owners: Vec<UserId>,
}

impl People {
    pub fn user_by_email(&self, email: &str) -> Option<UserId> {
        self.users
            .iter()
            .find(|(_, label)| label.email == email)
            .map(|(id, _)| *id)
    }

    pub fn group_by_name(&self, name: &str) -> Option<GroupId> {
        self.groups
            .iter()
            .find(|(_, group)| group.as_str() == name)
            .map(|(id, _)| *id)
    }

    pub fn tiers(&self) -> BTreeMap<UserId, TierSet> {
        self.users
            .iter()
            .map(|(id, label)| (*id, label.tiers))
            .collect()
    }
}

/// `$first, $first+1, …` for `count` values.
fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One query; every step of its plan is an index search on SQLite and PostgreSQL alike.
pub async fn find(conn: &mut AnyConnection, wanted: &Wanted<'_>) -> Result<People, sqlx::Error> {
    let mut next = 2;
    let mut take = |count: usize| {
        let list = placeholders(next, count);
        next += count;
        list
    };
    let mut wanted_users = vec![
        "SELECT user_id FROM billing_members WHERE project_id = $1 AND role = 'owner'".to_owned(),
    ];
    if !wanted.user_ids.is_empty() {
        let list = take(wanted.user_ids.len());
        wanted_users.push(format!("SELECT id FROM users WHERE id IN ({list})"));
    }
    if !wanted.emails.is_empty() {
        let list = take(wanted.emails.len());
        wanted_users.push(format!("SELECT id FROM users WHERE email IN ({list})"));
    }
    let mut group_terms = Vec::new();
    if !wanted.group_ids.is_empty() {
        group_terms.push(format!("g.id IN ({})", take(wanted.group_ids.len())));
    }
    if !wanted.group_names.is_empty() {
        group_terms.push(format!("g.name IN ({})", take(wanted.group_names.len())));
    }
    // A UNION of lookups, not an OR: PostgreSQL turns `id IN (subquery) OR …` into a scan of
    // every user (23 ms at 100,000 users, measured); each branch here is an index search.
    let mut sql = format!(
        "WITH wanted(id) AS ({}) \
         SELECT 'user' AS kind, u.id, u.email AS name, u.display_name, t.tier, \
             CAST(CASE WHEN o.user_id IS NULL THEN 0 ELSE 1 END AS BIGINT) AS project_owner \
         FROM wanted JOIN users u ON u.id = wanted.id \
         LEFT JOIN billing_members o ON o.user_id = u.id AND o.project_id = $1 AND o.role = 'owner' \
         LEFT JOIN user_tiers t ON t.user_id = u.id",
        wanted_users.join(" UNION ")
    );
    if !group_terms.is_empty() {
        sql.push_str(&format!(
            " UNION ALL SELECT 'group', g.id, g.name, '', NULL, CAST(0 AS BIGINT) \
             FROM groups g WHERE {}",
            group_terms.join(" OR ")
        ));
    }
    let mut query = sqlx::query(&sql).bind(project_db_id(wanted.project));
    for id in wanted.user_ids {
        query = query.bind(db_id(*id));
    }
    for email in wanted.emails {
        query = query.bind(email.as_str());
    }
    for id in wanted.group_ids {
        query = query.bind(group_db_id(*id));
    }
    for name in wanted.group_names {
        query = query.bind(name.as_str());
    }
    let mut people = People::default();
    for row in query.fetch_all(conn).await? {
        let id: i64 = row.try_get("id")?;
        let name: String = row.try_get("name")?;
        if row.try_get::<String, _>("kind")? == "group" {
            people.groups.insert(group_id(id), name);
            continue;
        }
        let id = user_id(id);
        let label = people.users.entry(id).or_insert(UserLabel {
            email: name,
            display_name: row.try_get("display_name")?,
            tiers: TierSet::default(),
        });
        let tier: Option<String> = row.try_get("tier")?;
        if let Some(tier) = tier.as_deref() {
            label.tiers = label.tiers.with(super::decode::tier(tier)?);
        }
        if row.try_get::<i64, _>("project_owner")? != 0 && !people.project_owners.contains(&id) {
            people.project_owners.push(id);
        }
    }
    people.project_owners.sort();
    Ok(people)
}
