//! Changing data tables. Rows are applied in batches — their attributes, sort keys and
//! references written together — by the import, edits, saved sets and copies alike, inside the
//! caller's transaction. References are resolved by name at the end, so a file may name rows
//! that come later in it.

pub mod copy;
pub mod export;
pub mod import;

use std::collections::{BTreeMap, BTreeSet};

use carrel_core::entities::{set_members, Change, EntityRef, TsvProblem, Value};
use sqlx::AnyConnection;

use crate::store::entities::{self as rows, ColumnRow, PendingRef, StoredEntity};

/// One change a row asks for, in file order.
#[derive(Clone, Debug, PartialEq)]
pub enum RowOp {
    Change(String, Change),
    /// Add a member to a set (a membership file's row).
    AddMember(EntityRef),
}

/// A row to apply: its name, where it came from, what it changes.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingRow {
    pub line: usize,
    pub name: String,
    pub ops: Vec<RowOp>,
}

/// Which rows a batch may touch.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Insert new rows, update existing ones (`entity:` files).
    Upsert,
    /// Existing rows only (`update:` files).
    UpdateOnly,
    /// New rows only (adding a row, saving a set, copying).
    CreateOnly,
}

/// A table being changed: its type row and columns.
pub struct Table {
    pub workspace: i64,
    pub entity_type: String,
    pub type_id: i64,
    pub columns: Vec<ColumnRow>,
}

impl Table {
    /// The table of `entity_type`, made if it does not exist yet.
    pub async fn open(
        conn: &mut AnyConnection,
        workspace: i64,
        entity_type: &str,
    ) -> Result<Table, sqlx::Error> {
        let row = rows::ensure_type(conn, workspace, entity_type).await?;
        rows::lock_type(conn, row.id).await?;
        rows::prefer_indexes(conn).await?;
        let columns = rows::columns(conn, row.id).await?;
        Ok(Table {
            workspace,
            entity_type: row.name,
            type_id: row.id,
            columns,
        })
    }

    /// Add the columns among `names` the table lacks.
    pub async fn ensure_columns(
        &mut self,
        conn: &mut AnyConnection,
        names: &[String],
    ) -> Result<(), sqlx::Error> {
        if names
            .iter()
            .any(|name| !self.columns.iter().any(|c| &c.name == name))
        {
            self.columns = rows::add_columns(conn, self.type_id, names).await?;
        }
        Ok(())
    }
}

/// Rows created and updated.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Applied {
    pub created: u64,
    pub updated: u64,
}

impl Applied {
    pub fn add(&mut self, other: Applied) {
        self.created += other.created;
        self.updated += other.updated;
    }
}

fn apply_ops(entity_type: &str, attributes: &mut BTreeMap<String, Value>, ops: &[RowOp]) {
    let list_column = set_members(entity_type).map(|(_, list)| list);
    // The members already listed, gathered once per row (a membership file adds many).
    let mut listed: Option<BTreeSet<EntityRef>> = None;
    for op in ops {
        match op {
            RowOp::Change(column, change) => {
                if Some(column) == list_column.as_ref() {
                    listed = None;
                }
                match change {
                    Change::Set(value) => attributes.insert(column.clone(), value.clone()),
                    Change::Delete => attributes.remove(column),
                };
            }
            RowOp::AddMember(member) => {
                let Some(list_column) = &list_column else {
                    continue;
                };
                let list = attributes
                    .entry(list_column.clone())
                    .or_insert_with(|| Value::List(Vec::new()));
                if !matches!(list, Value::List(_)) {
                    *list = Value::List(Vec::new());
                    listed = None;
                }
                let known =
                    listed.get_or_insert_with(|| list.references().into_iter().cloned().collect());
                if known.insert(member.clone()) {
                    if let Value::List(items) = list {
                        items.push(Value::Reference(member.clone()));
                    }
                }
            }
        }
    }
}

/// The columns a set of rows writes values into.
fn columns_written(entity_type: &str, rows: &[PendingRow]) -> Vec<String> {
    let mut names: Vec<String> = rows
        .iter()
        .flat_map(|row| &row.ops)
        .filter_map(|op| match op {
            RowOp::Change(column, Change::Set(_)) => Some(column.clone()),
            RowOp::AddMember(_) => set_members(entity_type).map(|(_, list)| list),
            RowOp::Change(_, Change::Delete) => None,
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Every reference the attributes hold, to stage for resolution.
pub fn refs_of(id: i64, line: usize, attributes: &BTreeMap<String, Value>) -> Vec<PendingRef> {
    attributes
        .iter()
        .flat_map(|(column, value)| {
            value.references().into_iter().map(move |r| PendingRef {
                from: id,
                to_type: r.entity_type.clone(),
                to_name: r.entity_name.clone(),
                line: i64::try_from(line).unwrap_or(i64::MAX),
                column: column.clone(),
            })
        })
        .collect()
}

/// Apply one batch of rows. Problems (a row to update that does not exist, a name already
/// taken) come back without anything written; the caller rolls back.
pub async fn apply(
    conn: &mut AnyConnection,
    table: &mut Table,
    batch_rows: Vec<PendingRow>,
    mode: Mode,
    batch: &str,
) -> Result<Result<Applied, Vec<TsvProblem>>, sqlx::Error> {
    let mut merged: BTreeMap<String, (usize, Vec<RowOp>)> = BTreeMap::new();
    let columns = columns_written(&table.entity_type, &batch_rows);
    for row in batch_rows {
        let entry = merged.entry(row.name).or_insert((row.line, Vec::new()));
        entry.1.extend(row.ops);
    }
    let names: Vec<String> = merged.keys().cloned().collect();
    let existing: BTreeMap<String, StoredEntity> = rows::find_many(conn, table.type_id, &names)
        .await?
        .into_iter()
        .map(|e| (e.name.clone(), e))
        .collect();
    let mut problems = Vec::new();
    let mut created = Vec::new();
    let mut updated = Vec::new();
    for (name, (line, ops)) in merged {
        match (existing.get(&name), mode) {
            (Some(_), Mode::CreateOnly) => problems.push(TsvProblem::new(
                line,
                Some("name"),
                format!("A {} named {name} already exists.", table.entity_type),
            )),
            (None, Mode::UpdateOnly) => problems.push(TsvProblem::new(
                line,
                Some("name"),
                format!("There is no {} named {name} to update.", table.entity_type),
            )),
            (Some(entity), _) => {
                let mut attributes = entity.attributes.clone();
                apply_ops(&table.entity_type, &mut attributes, &ops);
                updated.push((entity.id, line, name, attributes));
            }
            (None, _) => {
                let mut attributes = BTreeMap::new();
                apply_ops(&table.entity_type, &mut attributes, &ops);
                created.push((line, name, attributes));
            }
        }
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    table.ensure_columns(conn, &columns).await?;
    let new_rows: Vec<(&str, &BTreeMap<String, Value>)> = created
        .iter()
        .map(|(_, name, attributes)| (name.as_str(), attributes))
        .collect();
    let ids = rows::insert_many(conn, table.type_id, &new_rows).await?;
    let updated_ids: Vec<i64> = updated.iter().map(|(id, ..)| *id).collect();
    let before: Vec<(i64, &BTreeMap<String, Value>)> = updated
        .iter()
        .filter_map(|(id, _, name, _)| existing.get(name).map(|e| (*id, &e.attributes)))
        .collect();
    rows::delete_sort_keys(conn, &table.columns, &before).await?;
    rows::forget_refs(conn, &updated_ids, batch).await?;
    for (id, _, name, attributes) in &updated {
        rows::update(conn, *id, name, attributes).await?;
    }
    let mut written: Vec<(i64, &BTreeMap<String, Value>)> = Vec::new();
    let mut refs = Vec::new();
    for (line, name, attributes) in &created {
        let id = ids.get(name).copied().ok_or(sqlx::Error::RowNotFound)?;
        written.push((id, attributes));
        refs.extend(refs_of(id, *line, attributes));
    }
    for (id, line, _, attributes) in &updated {
        written.push((*id, attributes));
        refs.extend(refs_of(*id, *line, attributes));
    }
    rows::write_sort_keys(conn, &table.columns, &written).await?;
    rows::stage_refs(conn, batch, &refs).await?;
    Ok(Ok(Applied {
        created: created.len() as u64,
        updated: updated.len() as u64,
    }))
}

/// Give one existing row new attributes: its sort keys and references follow (references are
/// staged in `batch`; the caller resolves them).
pub async fn rewrite(
    conn: &mut AnyConnection,
    table: &mut Table,
    entity: &StoredEntity,
    attributes: &BTreeMap<String, Value>,
    batch: &str,
) -> Result<i64, sqlx::Error> {
    let written: Vec<String> = attributes.keys().cloned().collect();
    table.ensure_columns(conn, &written).await?;
    rows::delete_sort_keys(conn, &table.columns, &[(entity.id, &entity.attributes)]).await?;
    rows::forget_refs(conn, &[entity.id], batch).await?;
    let version = rows::update(conn, entity.id, &entity.name, attributes).await?;
    rows::write_sort_keys(conn, &table.columns, &[(entity.id, attributes)]).await?;
    rows::stage_refs(conn, batch, &refs_of(entity.id, 0, attributes)).await?;
    Ok(version)
}

/// A name for one transaction's staged references.
pub fn new_batch() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 12];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}
