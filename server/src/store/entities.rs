//! The data tables' queries: types and their columns, rows with their sort keys, references
//! between rows, and pages sorted by any column. Rows are written in batches (one statement for
//! many rows) so a million-row import stays within its budget.

use std::collections::BTreeMap;

use carrel_core::api::{EntityRow, EntityTypeInfo};
use carrel_core::entities::TsvProblem;
use carrel_core::entities::{attributes_from_json, attributes_to_json, set_members, Value};
use carrel_core::tables::{search_text, sort_key, PageCursor};
use sqlx::{AnyConnection, Row};

use super::decode::corrupt;

/// Rows one multi-row statement writes. SQLite looks each parameter up among the statement's
/// names in a list, so a statement's binding costs grow with the square of its parameters: a
/// statement of 2,500 spent 70% of an import there (perf). A hundred rows keep it small.
const ROWS_PER_STATEMENT: usize = 100;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeRow {
    pub id: i64,
    pub name: String,
    pub count: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnRow {
    pub id: i64,
    pub name: String,
    /// Whether its sort keys are kept (from the first time someone sorted by it).
    pub sorted: bool,
}

/// One stored row of a table.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredEntity {
    pub id: i64,
    pub name: String,
    pub version: i64,
    pub attributes: BTreeMap<String, Value>,
}

impl StoredEntity {
    pub fn into_row(self) -> EntityRow {
        EntityRow {
            name: self.name,
            version: self.version,
            attributes: self.attributes,
        }
    }
}

fn read_entity(row: &sqlx::any::AnyRow) -> Result<StoredEntity, sqlx::Error> {
    let raw: String = row.try_get("attributes")?;
    Ok(StoredEntity {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        version: row.try_get("version")?,
        attributes: attributes_from_json(&raw)
            .map_err(|error| corrupt("entities.attributes", &error))?,
    })
}

fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `sql` with its `{ids}` a list of `count` placeholders (the first is `$1`).
fn with_id_list(sql: &str, count: usize) -> String {
    sql.replace("{ids}", &placeholders(1, count))
}

/// Run a statement over one id list per chunk of `ids` (`{ids}` in `sql`); its rows.
async fn over_ids(
    conn: &mut AnyConnection,
    sql: &str,
    ids: &[i64],
) -> Result<Vec<sqlx::any::AnyRow>, sqlx::Error> {
    let mut rows = Vec::new();
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        let sql = with_id_list(sql, chunk.len());
        let mut query = sqlx::query(&sql);
        for id in chunk {
            query = query.bind(*id);
        }
        rows.extend(query.fetch_all(&mut *conn).await?);
    }
    Ok(rows)
}

/// Every table of a workspace with its count and columns, by name.
pub async fn types(
    conn: &mut AnyConnection,
    workspace: i64,
) -> Result<Vec<EntityTypeInfo>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT t.name AS type_name, t.entity_count, c.name AS column_name \
         FROM entity_types t LEFT JOIN entity_columns c ON c.type_id = t.id \
         WHERE t.workspace_id = $1 ORDER BY t.name, c.position",
    )
    .bind(workspace)
    .fetch_all(conn)
    .await?;
    let mut types: Vec<EntityTypeInfo> = Vec::new();
    for row in rows {
        let name: String = row.try_get("type_name")?;
        let column: Option<String> = row.try_get("column_name")?;
        if types.last().is_none_or(|last| last.name != name) {
            types.push(EntityTypeInfo {
                members_of: set_members(&name).map(|(member, _)| member),
                count: u64::try_from(row.try_get::<i64, _>("entity_count")?).unwrap_or_default(),
                name,
                columns: Vec::new(),
            });
        }
        if let (Some(column), Some(last)) = (column, types.last_mut()) {
            last.columns.push(column);
        }
    }
    Ok(types)
}

/// The names of every table of a workspace (a column named after one holds references).
pub async fn type_names(
    conn: &mut AnyConnection,
    workspace: i64,
) -> Result<std::collections::BTreeSet<String>, sqlx::Error> {
    let rows = sqlx::query("SELECT name FROM entity_types WHERE workspace_id = $1")
        .bind(workspace)
        .fetch_all(conn)
        .await?;
    rows.iter().map(|row| row.try_get("name")).collect()
}

pub async fn find_type(
    conn: &mut AnyConnection,
    workspace: i64,
    name: &str,
) -> Result<Option<TypeRow>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, name, entity_count FROM entity_types WHERE workspace_id = $1 AND name = $2",
    )
    .bind(workspace)
    .bind(name)
    .fetch_optional(conn)
    .await?;
    row.map(|row| {
        Ok(TypeRow {
            id: row.try_get("id")?,
            name: row.try_get("name")?,
            count: row.try_get("entity_count")?,
        })
    })
    .transpose()
}

/// The table of `name`, made if the workspace has none yet.
pub async fn ensure_type(
    conn: &mut AnyConnection,
    workspace: i64,
    name: &str,
) -> Result<TypeRow, sqlx::Error> {
    sqlx::query(
        "INSERT INTO entity_types (workspace_id, name, entity_count) VALUES ($1, $2, 0) \
         ON CONFLICT (workspace_id, name) DO NOTHING",
    )
    .bind(workspace)
    .bind(name)
    .execute(&mut *conn)
    .await?;
    find_type(conn, workspace, name)
        .await?
        .ok_or_else(|| sqlx::Error::RowNotFound)
}

/// Take the table's row lock (PostgreSQL; SQLite's writer holds the file's): whoever changes a
/// table's rows and whoever builds its sort keys go one after the other.
pub async fn lock_type(conn: &mut AnyConnection, type_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE entity_types SET entity_count = entity_count WHERE id = $1")
        .bind(type_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// PostgreSQL plans a transaction's queries with the table statistics of before it: a table
/// that grew by a million rows inside one import still looks empty, and each lookup of a batch's
/// names by `(type_id, name)` became a scan of every row written so far (0.4 s a batch, seen
/// in `pg_stat_activity`). For the rest of the transaction, indexes are preferred.
pub async fn prefer_indexes(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    if conn.backend_name() == "PostgreSQL" {
        sqlx::query("SET LOCAL enable_seqscan = off")
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// PostgreSQL: count the rows a transaction has written so far into the statistics its plans
/// use (ANALYZE samples the transaction's own rows), so a growing table is read by its indexes.
pub async fn refresh_statistics(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    if conn.backend_name() == "PostgreSQL" {
        sqlx::query("ANALYZE entities").execute(conn).await?;
    }
    Ok(())
}

pub async fn columns(
    conn: &mut AnyConnection,
    type_id: i64,
) -> Result<Vec<ColumnRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, name, sorted FROM entity_columns WHERE type_id = $1 ORDER BY position",
    )
    .bind(type_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(ColumnRow {
                id: row.try_get("id")?,
                name: row.try_get("name")?,
                sorted: row.try_get::<i64, _>("sorted")? == 1,
            })
        })
        .collect()
}

/// Add the columns of `names` the table lacks, at its end (without sort keys until someone
/// sorts by them). Returns all the table's columns.
pub async fn add_columns(
    conn: &mut AnyConnection,
    type_id: i64,
    names: &[String],
) -> Result<Vec<ColumnRow>, sqlx::Error> {
    let mut existing = columns(conn, type_id).await?;
    for name in names {
        if existing.iter().any(|c| &c.name == name) {
            continue;
        }
        let position = i64::try_from(existing.len()).unwrap_or(i64::MAX);
        let row = sqlx::query(
            "INSERT INTO entity_columns (type_id, name, position) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(type_id)
        .bind(name)
        .bind(position)
        .fetch_one(&mut *conn)
        .await?;
        let id: i64 = row.try_get("id")?;
        existing.push(ColumnRow {
            id,
            name: name.clone(),
            sorted: false,
        });
    }
    Ok(existing)
}

pub async fn rename_column(
    conn: &mut AnyConnection,
    column: i64,
    to: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE entity_columns SET name = $1 WHERE id = $2")
        .bind(to)
        .bind(column)
        .execute(conn)
        .await?;
    Ok(())
}

/// Remove a column and its cells' sort keys (the caller rewrites the rows' attributes).
pub async fn drop_column(conn: &mut AnyConnection, column: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM entity_sort WHERE column_id = $1")
        .bind(column)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM entity_columns WHERE id = $1")
        .bind(column)
        .execute(conn)
        .await?;
    Ok(())
}

/// Recount a table's rows; a table left without rows goes.
pub async fn refresh_count(conn: &mut AnyConnection, type_id: i64) -> Result<i64, sqlx::Error> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM entities WHERE type_id = $1")
        .bind(type_id)
        .fetch_one(&mut *conn)
        .await?;
    let count: i64 = row.try_get("n")?;
    if count == 0 {
        sqlx::query("DELETE FROM entity_types WHERE id = $1")
            .bind(type_id)
            .execute(conn)
            .await?;
    } else {
        sqlx::query("UPDATE entity_types SET entity_count = $1 WHERE id = $2")
            .bind(count)
            .bind(type_id)
            .execute(conn)
            .await?;
    }
    Ok(count)
}

pub async fn find(
    conn: &mut AnyConnection,
    type_id: i64,
    name: &str,
) -> Result<Option<StoredEntity>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, name, version, attributes FROM entities WHERE type_id = $1 AND name = $2",
    )
    .bind(type_id)
    .bind(name)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(read_entity).transpose()
}

/// The rows of `names` that exist.
pub async fn find_many(
    conn: &mut AnyConnection,
    type_id: i64,
    names: &[String],
) -> Result<Vec<StoredEntity>, sqlx::Error> {
    let mut found = Vec::new();
    for chunk in names.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "SELECT id, name, version, attributes FROM entities \
             WHERE type_id = $1 AND name IN ({})",
            placeholders(2, chunk.len())
        );
        let mut query = sqlx::query(&sql).bind(type_id);
        for name in chunk {
            query = query.bind(name);
        }
        for row in query.fetch_all(&mut *conn).await? {
            found.push(read_entity(&row)?);
        }
    }
    Ok(found)
}

/// Rows by id, each with its table's name.
pub async fn by_ids(
    conn: &mut AnyConnection,
    ids: &[i64],
) -> Result<Vec<(String, StoredEntity)>, sqlx::Error> {
    let sql = "SELECT e.id, e.name, e.version, e.attributes, t.name AS type_name \
               FROM entities e JOIN entity_types t ON t.id = e.type_id WHERE e.id IN ({ids})";
    over_ids(conn, sql, ids)
        .await?
        .iter()
        .map(|row| Ok((row.try_get("type_name")?, read_entity(row)?)))
        .collect()
}

/// Insert new rows; returns each name's id.
pub async fn insert_many(
    conn: &mut AnyConnection,
    type_id: i64,
    rows: &[(&str, &BTreeMap<String, Value>)],
) -> Result<BTreeMap<String, i64>, sqlx::Error> {
    let mut ids = BTreeMap::new();
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let values = (0..chunk.len())
            .map(|i| {
                let n = 2 + i * 3;
                format!("($1, ${n}, 1, ${}, ${})", n + 1, n + 2)
            })
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO entities (type_id, name, version, attributes, search_text) \
             VALUES {values} RETURNING id, name"
        );
        let mut query = sqlx::query(&sql).bind(type_id);
        for (name, attributes) in chunk {
            query = query
                .bind(*name)
                .bind(attributes_to_json(attributes))
                .bind(search_text(name, attributes));
        }
        for row in query.fetch_all(&mut *conn).await? {
            ids.insert(row.try_get("name")?, row.try_get("id")?);
        }
    }
    Ok(ids)
}

/// New attributes for an existing row; its version moves on.
pub async fn update(
    conn: &mut AnyConnection,
    entity: i64,
    name: &str,
    attributes: &BTreeMap<String, Value>,
) -> Result<i64, sqlx::Error> {
    let row = sqlx::query(
        "UPDATE entities SET version = version + 1, attributes = $1, search_text = $2 \
         WHERE id = $3 RETURNING version",
    )
    .bind(attributes_to_json(attributes))
    .bind(search_text(name, attributes))
    .bind(entity)
    .fetch_one(conn)
    .await?;
    row.try_get("version")
}

/// Forget the references these rows hold, and those `batch` still has to resolve from them.
pub async fn forget_refs(
    conn: &mut AnyConnection,
    ids: &[i64],
    batch: &str,
) -> Result<(), sqlx::Error> {
    over_ids(
        conn,
        "DELETE FROM entity_refs WHERE from_id IN ({ids})",
        ids,
    )
    .await?;
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "DELETE FROM entity_ref_staging WHERE batch = $1 AND from_id IN ({})",
            placeholders(2, chunk.len())
        );
        let mut query = sqlx::query(&sql).bind(batch);
        for id in chunk {
            query = query.bind(id);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

pub async fn forget_refs_of(conn: &mut AnyConnection, entity: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM entity_refs WHERE from_id = $1")
        .bind(entity)
        .execute(conn)
        .await?;
    Ok(())
}

/// The sort keys of rows in the sorted columns (an empty cell too): (column, key, row).
fn keys_of(
    columns: &[ColumnRow],
    rows: &[(i64, &BTreeMap<String, Value>)],
) -> Vec<(i64, String, i64)> {
    rows.iter()
        .flat_map(|(id, attributes)| {
            columns
                .iter()
                .filter(|column| column.sorted)
                .map(move |column| (column.id, sort_key(attributes.get(&column.name)), *id))
        })
        .collect()
}

async fn insert_keys(
    conn: &mut AnyConnection,
    keys: &[(i64, String, i64)],
) -> Result<(), sqlx::Error> {
    for chunk in keys.chunks(ROWS_PER_STATEMENT) {
        let values = (0..chunk.len())
            .map(|i| format!("({})", placeholders(1 + i * 3, 3)))
            .collect::<Vec<_>>()
            .join(", ");
        let sql =
            format!("INSERT INTO entity_sort (column_id, sort_key, entity_id) VALUES {values}");
        let mut query = sqlx::query(&sql);
        for (column, key, id) in chunk {
            query = query.bind(*column).bind(key.clone()).bind(*id);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Keep the sorted columns' keys of rows just written.
pub async fn write_sort_keys(
    conn: &mut AnyConnection,
    columns: &[ColumnRow],
    rows: &[(i64, &BTreeMap<String, Value>)],
) -> Result<(), sqlx::Error> {
    insert_keys(conn, &keys_of(columns, rows)).await
}

/// Remove the sorted columns' keys of rows as they were (`rows` holds their old attributes).
pub async fn delete_sort_keys(
    conn: &mut AnyConnection,
    columns: &[ColumnRow],
    rows: &[(i64, &BTreeMap<String, Value>)],
) -> Result<(), sqlx::Error> {
    for chunk in keys_of(columns, rows).chunks(ROWS_PER_STATEMENT) {
        let matches = (0..chunk.len())
            .map(|i| {
                let n = 1 + i * 3;
                format!(
                    "(column_id = ${n} AND sort_key = ${} AND entity_id = ${})",
                    n + 1,
                    n + 2
                )
            })
            .collect::<Vec<_>>()
            .join(" OR ");
        let sql = format!("DELETE FROM entity_sort WHERE {matches}");
        let mut query = sqlx::query(&sql);
        for (column, key, id) in chunk {
            query = query.bind(*column).bind(key.clone()).bind(*id);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Build a column's sort keys, once: every row's key, sorted here, written in key order (an
/// index filled in order is a fraction of the work of one filled at random), then the column
/// is marked sorted. Returns false if it already was.
pub async fn build_sort_keys(
    conn: &mut AnyConnection,
    type_id: i64,
    column: &ColumnRow,
) -> Result<bool, sqlx::Error> {
    // The column as it is now, under the table's lock (it may have been renamed since the
    // caller read it).
    let Some(now) = columns(conn, type_id)
        .await?
        .into_iter()
        .find(|c| c.id == column.id && !c.sorted)
    else {
        return Ok(false);
    };
    let column = &now;
    sqlx::query("UPDATE entity_columns SET sorted = 1 WHERE id = $1")
        .bind(column.id)
        .execute(&mut *conn)
        .await?;
    let mut keys = Vec::new();
    let mut after = 0;
    loop {
        let chunk = by_id_after(conn, type_id, after, 5000).await?;
        let Some(last) = chunk.last() else { break };
        after = last.id;
        keys.extend(
            chunk
                .iter()
                .map(|e| (column.id, sort_key(e.attributes.get(&column.name)), e.id)),
        );
    }
    keys.sort_by(|a, b| (&a.1, a.2).cmp(&(&b.1, b.2)));
    insert_keys(conn, &keys).await?;
    Ok(true)
}

/// A reference still to resolve: from a row, to a (type, name), found on a line and column.
pub struct PendingRef {
    pub from: i64,
    pub to_type: String,
    pub to_name: String,
    pub line: i64,
    pub column: String,
}

pub async fn stage_refs(
    conn: &mut AnyConnection,
    batch: &str,
    refs: &[PendingRef],
) -> Result<(), sqlx::Error> {
    for chunk in refs.chunks(ROWS_PER_STATEMENT) {
        let values = (0..chunk.len())
            .map(|i| {
                let n = 2 + i * 5;
                format!("($1, {})", placeholders(n, 5))
            })
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO entity_ref_staging (batch, from_id, to_type, to_name, line, column_name) \
             VALUES {values}"
        );
        let mut query = sqlx::query(&sql).bind(batch);
        for r in chunk {
            query = query
                .bind(r.from)
                .bind(r.to_type.clone())
                .bind(r.to_name.clone())
                .bind(r.line)
                .bind(r.column.clone());
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Record every staged reference of `batch` that names an existing row, and list (at most
/// `limit`) those that name none (a caller that writes them refuses the request, and its
/// transaction is rolled back). The staging rows are gone afterwards.
pub async fn resolve_refs(
    conn: &mut AnyConnection,
    workspace: i64,
    batch: &str,
    limit: i64,
) -> Result<Vec<TsvProblem>, sqlx::Error> {
    let missing = sqlx::query(
        "SELECT s.line, s.column_name, s.to_type, s.to_name FROM entity_ref_staging s \
         WHERE s.batch = $1 AND NOT EXISTS (SELECT 1 FROM entity_types t \
             JOIN entities e ON e.type_id = t.id \
             WHERE t.workspace_id = $2 AND t.name = s.to_type AND e.name = s.to_name) \
         ORDER BY s.line LIMIT $3",
    )
    .bind(batch)
    .bind(workspace)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let problems = missing
        .iter()
        .map(|row| {
            let line: i64 = row.try_get("line")?;
            let column: String = row.try_get("column_name")?;
            let to_type: String = row.try_get("to_type")?;
            let to_name: String = row.try_get("to_name")?;
            Ok(TsvProblem::new(
                usize::try_from(line).unwrap_or_default(),
                Some(&column),
                format!("There is no {to_type} named {to_name} to refer to."),
            ))
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    {
        sqlx::query(
            "INSERT INTO entity_refs (from_id, to_id) \
             SELECT DISTINCT s.from_id, e.id FROM entity_ref_staging s \
             JOIN entity_types t ON t.workspace_id = $1 AND t.name = s.to_type \
             JOIN entities e ON e.type_id = t.id AND e.name = s.to_name \
             WHERE s.batch = $2 ON CONFLICT DO NOTHING",
        )
        .bind(workspace)
        .bind(batch)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query("DELETE FROM entity_ref_staging WHERE batch = $1")
        .bind(batch)
        .execute(conn)
        .await?;
    Ok(problems)
}

/// Rows outside `ids` that reference one of them: (id, type, name), at most `limit`.
pub async fn referrers(conn: &mut AnyConnection, ids: &[i64]) -> Result<Vec<i64>, sqlx::Error> {
    let mut found = std::collections::BTreeSet::new();
    let sql = "SELECT DISTINCT from_id FROM entity_refs WHERE to_id IN ({ids})";
    for row in over_ids(conn, sql, ids).await? {
        found.insert(row.try_get::<i64, _>("from_id")?);
    }
    for id in ids {
        found.remove(id);
    }
    Ok(found.into_iter().collect())
}

/// The rows these rows reference.
pub async fn referenced(conn: &mut AnyConnection, ids: &[i64]) -> Result<Vec<i64>, sqlx::Error> {
    let sql = "SELECT DISTINCT to_id FROM entity_refs WHERE from_id IN ({ids})";
    over_ids(conn, sql, ids)
        .await?
        .iter()
        .map(|row| row.try_get("to_id"))
        .collect()
}

pub async fn delete_many(conn: &mut AnyConnection, ids: &[i64]) -> Result<(), sqlx::Error> {
    over_ids(conn, "DELETE FROM entities WHERE id IN ({ids})", ids).await?;
    Ok(())
}

/// Rows of a table by id after `after_id` (rewrites and sort keys read a table this way).
pub async fn by_id_after(
    conn: &mut AnyConnection,
    type_id: i64,
    after_id: i64,
    limit: i64,
) -> Result<Vec<StoredEntity>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, name, version, attributes FROM entities \
         WHERE type_id = $1 AND id > $2 ORDER BY id LIMIT $3",
    )
    .bind(type_id)
    .bind(after_id)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter().map(read_entity).collect()
}

/// Rows of a table by name after `after` (export and copy read a table this way).
pub async fn by_name_after(
    conn: &mut AnyConnection,
    type_id: i64,
    after: &str,
    limit: i64,
) -> Result<Vec<StoredEntity>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, name, version, attributes FROM entities \
         WHERE type_id = $1 AND name > $2 ORDER BY name LIMIT $3",
    )
    .bind(type_id)
    .bind(after)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.iter().map(read_entity).collect()
}

/// How a page is ordered.
#[derive(Clone, Debug)]
pub enum Order {
    ByName,
    ByColumn(i64),
}

/// One page: sorted, filtered (a lower-cased `LIKE` pattern), after a cursor.
pub struct PageQuery {
    pub type_id: i64,
    pub order: Order,
    pub descending: bool,
    pub filter: Option<String>,
    pub after: Option<PageCursor>,
    pub limit: i64,
}

/// The rows of one page, each with the cursor that follows it.
pub async fn page(
    conn: &mut AnyConnection,
    request: &PageQuery,
) -> Result<Vec<(StoredEntity, PageCursor)>, sqlx::Error> {
    let (direction, beyond) = if request.descending {
        ("DESC", "<")
    } else {
        ("ASC", ">")
    };
    let (from, key, id) = match request.order {
        Order::ByName => ("entities e WHERE e.type_id = $1", "e.name", "e.id"),
        Order::ByColumn(_) => (
            "entity_sort s JOIN entities e ON e.id = s.entity_id WHERE s.column_id = $1",
            "s.sort_key",
            "s.entity_id",
        ),
    };
    let mut sql =
        format!("SELECT e.id, e.name, e.version, e.attributes, {key} AS page_key FROM {from}");
    let mut next = 2;
    if request.after.is_some() {
        sql.push_str(&format!(
            " AND ({key}, {id}) {beyond} (${}, ${})",
            next,
            next + 1
        ));
        next += 2;
    }
    if request.filter.is_some() {
        sql.push_str(&format!(" AND e.search_text LIKE ${next} ESCAPE '\\'"));
        next += 1;
    }
    sql.push_str(&format!(
        " ORDER BY {key} {direction}, {id} {direction} LIMIT ${next}"
    ));
    let mut query = sqlx::query(&sql);
    query = match request.order {
        Order::ByName => query.bind(request.type_id),
        Order::ByColumn(column) => query.bind(column),
    };
    if let Some(after) = &request.after {
        query = query.bind(after.key.clone()).bind(after.id);
    }
    if let Some(filter) = &request.filter {
        query = query.bind(filter.clone());
    }
    let rows = query.bind(request.limit).fetch_all(conn).await?;
    rows.iter()
        .map(|row| {
            let entity = read_entity(row)?;
            let cursor = PageCursor {
                key: row.try_get("page_key")?,
                id: entity.id,
            };
            Ok((entity, cursor))
        })
        .collect()
}

/// The workspace's own attributes.
pub async fn workspace_attributes(
    conn: &mut AnyConnection,
    workspace: i64,
) -> Result<BTreeMap<String, Value>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT name, value FROM workspace_attributes WHERE workspace_id = $1 ORDER BY name",
    )
    .bind(workspace)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let name: String = row.try_get("name")?;
            let raw: String = row.try_get("value")?;
            let json: serde_json::Value = super::decode::json("workspace_attributes.value", &raw)?;
            let value = carrel_core::entities::from_json(&json)
                .map_err(|error| corrupt("workspace_attributes.value", &error))?;
            Ok((name, value))
        })
        .collect()
}

pub async fn set_workspace_attribute(
    conn: &mut AnyConnection,
    workspace: i64,
    name: &str,
    value: Option<&Value>,
) -> Result<(), sqlx::Error> {
    match value {
        Some(value) => {
            sqlx::query(
                "INSERT INTO workspace_attributes (workspace_id, name, value) VALUES ($1, $2, $3) \
                 ON CONFLICT (workspace_id, name) DO UPDATE SET value = excluded.value",
            )
            .bind(workspace)
            .bind(name)
            .bind(carrel_core::entities::to_json(value).to_string())
            .execute(conn)
            .await?;
        }
        None => {
            sqlx::query("DELETE FROM workspace_attributes WHERE workspace_id = $1 AND name = $2")
                .bind(workspace)
                .bind(name)
                .execute(conn)
                .await?;
        }
    }
    Ok(())
}

/// Copy every table and workspace attribute of `from` into the new workspace `to`, in SQL.
pub async fn duplicate(conn: &mut AnyConnection, from: i64, to: i64) -> Result<(), sqlx::Error> {
    let statements = [
        "INSERT INTO entity_types (workspace_id, name, entity_count) \
         SELECT $2, name, entity_count FROM entity_types WHERE workspace_id = $1",
        "INSERT INTO entity_columns (type_id, name, position, sorted) \
         SELECT nt.id, c.name, c.position, c.sorted FROM entity_columns c \
         JOIN entity_types ot ON ot.id = c.type_id \
         JOIN entity_types nt ON nt.workspace_id = $2 AND nt.name = ot.name \
         WHERE ot.workspace_id = $1",
        "INSERT INTO entities (type_id, name, version, attributes, search_text) \
         SELECT nt.id, e.name, 1, e.attributes, e.search_text FROM entities e \
         JOIN entity_types ot ON ot.id = e.type_id \
         JOIN entity_types nt ON nt.workspace_id = $2 AND nt.name = ot.name \
         WHERE ot.workspace_id = $1",
        "INSERT INTO entity_sort (column_id, sort_key, entity_id) \
         SELECT nc.id, s.sort_key, ne.id FROM entity_sort s \
         JOIN entity_columns oc ON oc.id = s.column_id \
         JOIN entity_types ot ON ot.id = oc.type_id \
         JOIN entities oe ON oe.id = s.entity_id \
         JOIN entity_types nt ON nt.workspace_id = $2 AND nt.name = ot.name \
         JOIN entity_columns nc ON nc.type_id = nt.id AND nc.name = oc.name \
         JOIN entities ne ON ne.type_id = nt.id AND ne.name = oe.name \
         WHERE ot.workspace_id = $1",
        "INSERT INTO entity_refs (from_id, to_id) \
         SELECT new_from.id, new_to.id FROM entity_refs r \
         JOIN entities old_from ON old_from.id = r.from_id \
         JOIN entity_types old_from_type ON old_from_type.id = old_from.type_id \
         JOIN entities old_to ON old_to.id = r.to_id \
         JOIN entity_types old_to_type ON old_to_type.id = old_to.type_id \
         JOIN entity_types new_from_type ON new_from_type.workspace_id = $2 \
             AND new_from_type.name = old_from_type.name \
         JOIN entities new_from ON new_from.type_id = new_from_type.id \
             AND new_from.name = old_from.name \
         JOIN entity_types new_to_type ON new_to_type.workspace_id = $2 \
             AND new_to_type.name = old_to_type.name \
         JOIN entities new_to ON new_to.type_id = new_to_type.id AND new_to.name = old_to.name \
         WHERE old_from_type.workspace_id = $1",
        "INSERT INTO workspace_attributes (workspace_id, name, value) \
         SELECT $2, name, value FROM workspace_attributes WHERE workspace_id = $1",
    ];
    for sql in statements {
        sqlx::query(sql)
            .bind(from)
            .bind(to)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
