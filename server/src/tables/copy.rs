//! Copying entities into another workspace: the chosen rows and every row they reference,
//! transitively, or nothing when a name is already taken in the destination.

use std::collections::{BTreeMap, BTreeSet};

use carrel_core::entities::{Change, EntityRef};
use carrel_core::tables::{TableRefusal, MAX_COPIED_ENTITIES};
use sqlx::AnyConnection;

use super::{apply, Mode, PendingRow, RowOp, Table};
use crate::store::entities::{self as rows, StoredEntity};

/// Why a copy did not happen: the rule, and the entities in its way.
pub type CopyRefusal = (TableRefusal, Vec<EntityRef>);

/// The chosen rows and everything they reference, by id.
async fn closure(
    conn: &mut AnyConnection,
    chosen: Vec<i64>,
) -> Result<Result<Vec<i64>, TableRefusal>, sqlx::Error> {
    let mut all: BTreeSet<i64> = chosen.iter().copied().collect();
    let mut frontier = chosen;
    while !frontier.is_empty() {
        let next: Vec<i64> = rows::referenced(conn, &frontier)
            .await?
            .into_iter()
            .filter(|id| all.insert(*id))
            .collect();
        if all.len() > MAX_COPIED_ENTITIES {
            return Ok(Err(TableRefusal::TooManyCopied { count: all.len() }));
        }
        frontier = next;
    }
    Ok(Ok(all.into_iter().collect()))
}

/// Copy `names` of `entity_type` from workspace `from` into `to`, inside the caller's
/// transaction. Returns how many rows were copied.
pub async fn copy(
    conn: &mut AnyConnection,
    (from, to): (i64, i64),
    entity_type: &str,
    names: &[String],
) -> Result<Result<u64, CopyRefusal>, sqlx::Error> {
    let refuse = |refusal: TableRefusal| Ok(Err((refusal, Vec::new())));
    let Some(source_type) = rows::find_type(conn, from, entity_type).await? else {
        return refuse(TableRefusal::NoSuchType {
            entity_type: entity_type.to_owned(),
        });
    };
    let chosen = rows::find_many(conn, source_type.id, names).await?;
    if let Some(missing) = names.iter().find(|n| !chosen.iter().any(|e| &e.name == *n)) {
        return refuse(TableRefusal::NoSuchEntity {
            entity_type: entity_type.to_owned(),
            name: missing.clone(),
        });
    }
    let ids = match closure(conn, chosen.iter().map(|e| e.id).collect()).await? {
        Ok(ids) => ids,
        Err(refusal) => return refuse(refusal),
    };
    let mut by_type: BTreeMap<String, Vec<StoredEntity>> = BTreeMap::new();
    for (type_name, entity) in rows::by_ids(conn, &ids).await? {
        by_type.entry(type_name).or_default().push(entity);
    }
    let mut conflicts = Vec::new();
    for (type_name, entities) in &by_type {
        if let Some(existing) = rows::find_type(conn, to, type_name).await? {
            let names: Vec<String> = entities.iter().map(|e| e.name.clone()).collect();
            for taken in rows::find_many(conn, existing.id, &names).await? {
                conflicts.push(EntityRef {
                    entity_type: type_name.clone(),
                    entity_name: taken.name,
                });
            }
        }
    }
    if !conflicts.is_empty() {
        let count = conflicts.len();
        conflicts.truncate(100);
        return Ok(Err((TableRefusal::CopyConflicts { count }, conflicts)));
    }
    let batch = super::new_batch();
    let mut copied = 0;
    let mut tables = Vec::new();
    for (type_name, entities) in by_type {
        let source_columns = match rows::find_type(conn, from, &type_name).await? {
            Some(source) => rows::columns(conn, source.id).await?,
            None => Vec::new(),
        };
        let mut table = Table::open(conn, to, &type_name).await?;
        let names: Vec<String> = source_columns.into_iter().map(|c| c.name).collect();
        table.ensure_columns(conn, &names).await?;
        let pending: Vec<PendingRow> = entities
            .into_iter()
            .map(|entity| PendingRow {
                line: 0,
                name: entity.name,
                ops: entity
                    .attributes
                    .into_iter()
                    .map(|(column, value)| RowOp::Change(column, Change::Set(value)))
                    .collect(),
            })
            .collect();
        for chunk in pending.chunks(500) {
            if let Err(problems) =
                apply(conn, &mut table, chunk.to_vec(), Mode::CreateOnly, &batch).await?
            {
                let message = problems
                    .first()
                    .map(|p| p.message.clone())
                    .unwrap_or_default();
                tracing::warn!(message, "a copy met a name taken after it checked");
                return refuse(TableRefusal::CopyConflicts {
                    count: problems.len(),
                });
            }
            copied += chunk.len() as u64;
        }
        tables.push(table.type_id);
    }
    rows::resolve_refs(conn, to, &batch, 1).await?;
    for type_id in tables {
        rows::refresh_count(conn, type_id).await?;
    }
    Ok(Ok(copied))
}
