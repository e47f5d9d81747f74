//! The public research directory: every workspace's published research purpose, written when a
//! workspace is created or its About changes, kept (inactive) after it is deleted.

use carrel_core::api::{DirectoryEntry, DirectorySearch, DirectoryStatus};
use carrel_core::workspace::ResearchPurpose;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::workspaces::WorkspaceRow;

const COLUMNS: &str = "workspace_id, namespace, name, display_name, tier, research_purpose, \
     creator_name, created_at, active";

/// One page of the entries the search matches, newest first, and whether more follow.
pub async fn search(
    conn: &mut AnyConnection,
    search: &DirectorySearch,
) -> Result<(Vec<DirectoryEntry>, bool), sqlx::Error> {
    let mut sql = format!("SELECT {COLUMNS} FROM directory_entries WHERE 1 = 1");
    let mut next = 0;
    let mut placeholder = || {
        next += 1;
        format!("${next}")
    };
    if !search.words.is_empty() {
        sql += &format!(" AND search_text LIKE {} ESCAPE '\\'", placeholder());
    }
    if search.purpose.is_some() {
        sql += &format!(" AND purposes LIKE {}", placeholder());
    }
    if search.tier.is_some() {
        sql += &format!(" AND tier = {}", placeholder());
    }
    match search.status {
        DirectoryStatus::All => {}
        DirectoryStatus::Active => sql += " AND active = 1",
        DirectoryStatus::Inactive => sql += " AND active = 0",
    }
    sql += &format!(
        " ORDER BY created_at DESC, workspace_id DESC LIMIT {} OFFSET {}",
        placeholder(),
        placeholder()
    );
    let mut query = sqlx::query(&sql);
    if !search.words.is_empty() {
        query = query.bind(super::like_pattern(&search.words));
    }
    if let Some(purpose) = search.purpose {
        query = query.bind(format!("%,{},%", purpose.as_str()));
    }
    if let Some(tier) = search.tier {
        query = query.bind(tier.as_str());
    }
    let per_page = i64::from(DirectorySearch::PER_PAGE);
    let rows = query
        .bind(per_page + 1)
        .bind(search.offset())
        .fetch_all(conn)
        .await?;
    let has_more = rows.len() > DirectorySearch::PER_PAGE as usize;
    let entries = rows
        .iter()
        .take(DirectorySearch::PER_PAGE as usize)
        .map(entry)
        .collect::<Result<_, _>>()?;
    Ok((entries, has_more))
}

/// One entry by its number: the newest, should an old database hold two.
pub async fn find(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Option<DirectoryEntry>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM directory_entries WHERE workspace_id = $1 \
         ORDER BY created_at DESC LIMIT 1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(entry).transpose()
}

fn entry(row: &AnyRow) -> Result<DirectoryEntry, sqlx::Error> {
    let tier: String = row.try_get("tier")?;
    let purpose: String = row.try_get("research_purpose")?;
    Ok(DirectoryEntry {
        id: row.try_get("workspace_id")?,
        namespace: row.try_get("namespace")?,
        name: row.try_get("name")?,
        display_name: row.try_get("display_name")?,
        tier: super::decode::tier(&tier)?,
        research_purpose: super::decode::json("directory_entries.research_purpose", &purpose)?,
        creator: row.try_get("creator_name")?,
        created_at: row.try_get("created_at")?,
        active: row.try_get::<i64, _>("active")? != 0,
    })
}

/// What the directory's filters read: `,genetic,other,`.
pub fn purposes_column(purpose: &ResearchPurpose) -> String {
    let names: Vec<&str> = purpose.purposes.iter().map(|p| p.as_str()).collect();
    format!(",{},", names.join(","))
}

/// What the directory's search reads: the names and the published answers, lower-cased.
pub fn search_column(display_name: &str, name: &str, purpose: &ResearchPurpose) -> String {
    format!("{display_name}\n{name}\n{}", purpose.searchable_text()).to_lowercase()
}

pub fn directory_key(namespace: &str, name: &str, id: i64) -> String {
    format!("{namespace}/{name}#{id}")
}

/// Publish (or republish) a workspace's name and research purpose.
pub async fn publish(conn: &mut AnyConnection, row: &WorkspaceRow) -> Result<(), sqlx::Error> {
    let published = row.research_purpose.published();
    let purposes = purposes_column(&published);
    let search_text = search_column(&row.display_name, &row.name, &published);
    let published = serde_json::to_string(&published).unwrap_or_else(|_| "{}".into());
    sqlx::query(
        "INSERT INTO directory_entries (workspace_key, namespace, name, display_name, tier, \
             research_purpose, creator_name, created_at, active, workspace_id, purposes, \
             search_text) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10, $11) \
         ON CONFLICT (workspace_key) DO UPDATE SET display_name = excluded.display_name, \
             research_purpose = excluded.research_purpose, purposes = excluded.purposes, \
             search_text = excluded.search_text",
    )
    .bind(directory_key(&row.namespace, &row.name, row.id))
    .bind(&row.namespace)
    .bind(&row.name)
    .bind(&row.display_name)
    .bind(row.tier.as_str())
    .bind(published)
    .bind(&row.creator_name)
    .bind(row.created_at)
    .bind(row.id)
    .bind(purposes)
    .bind(search_text)
    .execute(conn)
    .await?;
    Ok(())
}

/// A deleted workspace stays in the directory, marked inactive.
pub async fn unpublish(conn: &mut AnyConnection, row: &WorkspaceRow) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE directory_entries SET active = 0 WHERE workspace_key = $1")
        .bind(directory_key(&row.namespace, &row.name, row.id))
        .execute(conn)
        .await?;
    Ok(())
}
