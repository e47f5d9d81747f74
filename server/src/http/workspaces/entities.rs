//! Data tables: the tables of a workspace, a page of one (sorted, filtered), one row, adding,
//! editing (versioned), deleting rows (confirmed when referenced), renaming and deleting
//! columns, and the workspace's own attributes. Import, export and copy are in
//! `entity_files.rs`.

use std::collections::{BTreeMap, BTreeSet};

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;

use carrel_core::api::{
    ColumnChange, ColumnChanged, DeleteEntitiesRequest, DeletedEntities, EntityEdit, EntityPage,
    EntityRow, EntityTypeList, ErrorDetail, NewEntity, TableRefusalDetail, WorkspaceAttributes,
    WorkspaceAttributesEdit,
};
use carrel_core::entities::{Change, EntityRef, TsvProblem};
use carrel_core::files::parse_key;
use carrel_core::tables::{
    check_column, check_entity_name, check_named, check_table_name, check_type_name, check_values,
    name_column, without_references, PageCursor, TableRefusal, DEFAULT_PAGE_ROWS, MAX_PAGE_ROWS,
};
use carrel_core::Action;

use super::WorkspaceContext;
use crate::http::error::ApiError;
use crate::http::extract::{ApiJson, CurrentUser};
use crate::store::entities::{self as rows, Order, PageQuery, TypeRow};
use crate::store::{audit, like_pattern, Tx};
use crate::tables::{self, apply, Mode, PendingRow, RowOp, Table};
use crate::{now_ms, AppState};

/// A refusal with the row as it is now or the entities in its way.
pub fn refused_with_rows(
    refusal: &TableRefusal,
    current: Option<EntityRow>,
    entities: Vec<EntityRef>,
) -> ApiError {
    ApiError::refused_with(refusal, |detail| ErrorDetail {
        table: Some(Box::new(TableRefusalDetail { current, entities })),
        ..detail
    })
}

/// A reference to nothing, found while resolving an edit's references.
fn dangling(problems: &[TsvProblem]) -> Option<ApiError> {
    problems.first().map(|problem| {
        TableRefusal::BadValue {
            column: problem.column.clone().unwrap_or_default(),
            message: problem.message.clone(),
        }
        .into()
    })
}

pub async fn require_type(
    conn: &mut sqlx::AnyConnection,
    workspace: i64,
    entity_type: &str,
) -> Result<TypeRow, ApiError> {
    rows::find_type(conn, workspace, entity_type)
        .await?
        .ok_or_else(|| {
            TableRefusal::NoSuchType {
                entity_type: entity_type.to_owned(),
            }
            .into()
        })
}

#[utoipa::path(get, path = "/workspaces/{namespace}/{name}/entities", tag = "data tables", params(("namespace" = String, Path, description = "Billing project"), ("name" = String, Path, description = "Workspace URL name")), responses((status = 200, body = carrel_core::api::EntityTypeList), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody)))]
pub async fn types(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((namespace, name)): Path<(String, String)>,
) -> Result<Json<EntityTypeList>, ApiError> {
    let mut conn = state.store.pool().acquire().await?;
    let loaded = WorkspaceContext::load(&mut conn, &user, &namespace, &name).await?;
    loaded.require(&user, Action::ReadEntities)?;
    Ok(Json(EntityTypeList {
        types: rows::types(&mut conn, loaded.row.id).await?,
    }))
}

#[derive(Debug, Deserialize)]
pub struct PageParams {
    /// A column, or `<type>_id` (the default) for the name.
    #[serde(default)]
    sort: Option<String>,
    #[serde(default)]
    desc: bool,
    #[serde(default)]
    filter: Option<String>,
    #[serde(default)]
    after: Option<String>,
    #[serde(default)]
    limit: Option<u32>,
}

#[utoipa::path(get, path = "/workspaces/{namespace}/{name}/entities/{entity_type}", tag = "data tables", params(("namespace" = String, Path, description = "Billing project"), ("name" = String, Path, description = "Workspace URL name"), ("entity_type" = String, Path, description = "The table"), ("sort" = Option<String>, Query, description = "Sort by this column (default: the name)"), ("desc" = Option<bool>, Query, description = "Descending"), ("filter" = Option<String>, Query, description = "Only rows holding this text (any case) in any cell"), ("after" = Option<String>, Query, description = "The `next` of the previous page"), ("limit" = Option<u32>, Query, description = "Rows, at most 1000 (default 100)")), responses((status = 200, body = carrel_core::api::EntityPage), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody)))]
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((namespace, name, entity_type)): Path<(String, String, String)>,
    Query(params): Query<PageParams>,
) -> Result<Json<EntityPage>, ApiError> {
    let limit = params
        .limit
        .unwrap_or(DEFAULT_PAGE_ROWS)
        .clamp(1, MAX_PAGE_ROWS);
    let after = params
        .after
        .as_deref()
        .map(PageCursor::decode)
        .transpose()?;
    let mut conn = state.store.pool().acquire().await?;
    let loaded = WorkspaceContext::load(&mut conn, &user, &namespace, &name).await?;
    loaded.require(&user, Action::ReadEntities)?;
    let table = require_type(&mut conn, loaded.row.id, &entity_type).await?;
    let columns = rows::columns(&mut conn, table.id).await?;
    let order = match params.sort.as_deref() {
        None | Some("") => Order::ByName,
        Some(sort) if sort == name_column(&table.name) => Order::ByName,
        Some(sort) => {
            let column = columns.iter().find(|c| c.name == sort).ok_or_else(|| {
                TableRefusal::NoSuchColumn {
                    entity_type: table.name.clone(),
                    column: sort.to_owned(),
                }
            })?;
            if !column.sorted {
                build_sort_keys(&state, table.id, column).await?;
            }
            Order::ByColumn(column.id)
        }
    };
    let filter = params
        .filter
        .as_deref()
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .map(like_pattern);
    let query = PageQuery {
        type_id: table.id,
        order,
        descending: params.desc,
        filter,
        after,
        limit: i64::from(limit) + 1,
    };
    let mut found = rows::page(&mut conn, &query).await?;
    let more = found.len() > limit as usize;
    found.truncate(limit as usize);
    let next = more
        .then(|| found.last().map(|(_, cursor)| cursor.encode()))
        .flatten();
    let named_files: BTreeSet<String> = found
        .iter()
        .flat_map(|(entity, _)| entity.attributes.values())
        .filter_map(|value| match value {
            carrel_core::entities::Value::String(text) => parse_key(text).ok(),
            _ => None,
        })
        .collect();
    let named_files: Vec<String> = named_files.into_iter().collect();
    let files = crate::store::files::existing(&mut conn, loaded.row.id, &named_files).await?;
    Ok(Json(EntityPage {
        entity_type: table.name,
        columns: columns.into_iter().map(|c| c.name).collect(),
        rows: found.into_iter().map(|(e, _)| e.into_row()).collect(),
        total: u64::try_from(table.count).unwrap_or_default(),
        next,
        files,
    }))
}

/// The first sort by a column builds its keys (seconds for a million rows), once.
async fn build_sort_keys(
    state: &AppState,
    type_id: i64,
    column: &rows::ColumnRow,
) -> Result<(), ApiError> {
    let mut tx = state.store.begin_write().await?;
    rows::lock_type(&mut tx, type_id).await?;
    rows::prefer_indexes(&mut tx).await?;
    rows::build_sort_keys(&mut tx, type_id, column).await?;
    tx.commit().await?;
    Ok(())
}

#[utoipa::path(get, path = "/workspaces/{namespace}/{name}/entities/{entity_type}/{entity_name}", tag = "data tables", params(("namespace" = String, Path, description = "Billing project"), ("name" = String, Path, description = "Workspace URL name"), ("entity_type" = String, Path, description = "The table"), ("entity_name" = String, Path, description = "The row's name")), responses((status = 200, body = carrel_core::api::EntityRow), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody)))]
pub async fn read(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((namespace, name, entity_type, entity_name)): Path<(String, String, String, String)>,
) -> Result<Json<EntityRow>, ApiError> {
    let mut conn = state.store.pool().acquire().await?;
    let loaded = WorkspaceContext::load(&mut conn, &user, &namespace, &name).await?;
    loaded.require(&user, Action::ReadEntities)?;
    let table = require_type(&mut conn, loaded.row.id, &entity_type).await?;
    let entity = rows::find(&mut conn, table.id, &entity_name)
        .await?
        .ok_or_else(|| TableRefusal::NoSuchEntity {
            entity_type: table.name.clone(),
            name: entity_name.clone(),
        })?;
    Ok(Json(entity.into_row()))
}

/// Add one row (a saved set is a row of `<type>_set` listing its members).
#[utoipa::path(post, path = "/workspaces/{namespace}/{name}/entities/{entity_type}", tag = "data tables", params(("namespace" = String, Path, description = "Billing project"), ("name" = String, Path, description = "Workspace URL name"), ("entity_type" = String, Path, description = "The table (made if new)")), request_body = carrel_core::api::NewEntity, responses((status = 201, body = carrel_core::api::EntityRow), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody), (status = 409, body = carrel_core::api::ErrorBody)))]
pub async fn add(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((namespace, name, entity_type)): Path<(String, String, String)>,
    ApiJson(request): ApiJson<NewEntity>,
) -> Result<(StatusCode, Json<EntityRow>), ApiError> {
    let entity_type = check_table_name(&entity_type)?;
    let entity_name = check_entity_name(&request.name)?;
    check_values(&entity_type, &request.attributes)?;
    let mut tx = state.store.begin_write().await?;
    let loaded = WorkspaceContext::load(&mut tx, &user, &namespace, &name).await?;
    loaded.require(&user, Action::EditEntities)?;
    let mut table = Table::open(&mut tx, loaded.row.id, &entity_type).await?;
    let batch = tables::new_batch();
    let row = PendingRow {
        line: 0,
        name: entity_name.clone(),
        ops: request
            .attributes
            .iter()
            .map(|(column, value)| RowOp::Change(column.clone(), Change::Set(value.clone())))
            .collect(),
    };
    if apply(&mut tx, &mut table, vec![row], Mode::CreateOnly, &batch)
        .await?
        .is_err()
    {
        return Err(TableRefusal::NameTaken {
            entity_type,
            name: entity_name,
        }
        .into());
    }
    let problems = rows::resolve_refs(&mut tx, loaded.row.id, &batch, 1).await?;
    if let Some(error) = dangling(&problems) {
        return Err(error);
    }
    rows::refresh_count(&mut tx, table.type_id).await?;
    let created = rows::find(&mut tx, table.type_id, &entity_name)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    let detail = serde_json::json!({ "entity_type": entity_type, "name": entity_name });
    audit::record(
        &mut tx,
        loaded.row.id,
        user.id,
        "entities.add",
        &detail,
        now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(created.into_row())))
}

/// Change cells of one row, against the version the change was made on.
#[utoipa::path(patch, path = "/workspaces/{namespace}/{name}/entities/{entity_type}/{entity_name}", tag = "data tables", params(("namespace" = String, Path, description = "Billing project"), ("name" = String, Path, description = "Workspace URL name"), ("entity_type" = String, Path, description = "The table"), ("entity_name" = String, Path, description = "The row's name")), request_body = carrel_core::api::EntityEdit, responses((status = 200, body = carrel_core::api::EntityRow), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody), (status = 409, body = carrel_core::api::ErrorBody)))]
pub async fn edit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((namespace, name, entity_type, entity_name)): Path<(String, String, String, String)>,
    ApiJson(edit): ApiJson<EntityEdit>,
) -> Result<Json<EntityRow>, ApiError> {
    check_values(&entity_type, &edit.set)?;
    for column in &edit.remove {
        check_column(&entity_type, column)?;
    }
    let mut tx = state.store.begin_write().await?;
    let loaded = WorkspaceContext::load(&mut tx, &user, &namespace, &name).await?;
    loaded.require(&user, Action::EditEntities)?;
    let type_row = require_type(&mut tx, loaded.row.id, &entity_type).await?;
    rows::lock_type(&mut tx, type_row.id).await?;
    let entity = rows::find(&mut tx, type_row.id, &entity_name)
        .await?
        .ok_or_else(|| TableRefusal::NoSuchEntity {
            entity_type: type_row.name.clone(),
            name: entity_name.clone(),
        })?;
    if entity.version != edit.version {
        let refusal = TableRefusal::Stale {
            name: entity.name.clone(),
        };
        return Err(refused_with_rows(
            &refusal,
            Some(entity.into_row()),
            Vec::new(),
        ));
    }
    let mut attributes = entity.attributes.clone();
    for column in &edit.remove {
        attributes.remove(column);
    }
    attributes.extend(edit.set.clone());
    let mut table = Table::open(&mut tx, loaded.row.id, &type_row.name).await?;
    let batch = tables::new_batch();
    tables::rewrite(&mut tx, &mut table, &entity, &attributes, &batch).await?;
    let problems = rows::resolve_refs(&mut tx, loaded.row.id, &batch, 1).await?;
    if let Some(error) = dangling(&problems) {
        return Err(error);
    }
    let changed: Vec<&String> = edit.set.keys().chain(&edit.remove).collect();
    let detail = serde_json::json!({
        "entity_type": type_row.name, "name": entity.name, "columns": changed,
    });
    audit::record(
        &mut tx,
        loaded.row.id,
        user.id,
        "entities.edit",
        &detail,
        now_ms(),
    )
    .await?;
    let saved = rows::find(&mut tx, type_row.id, &entity.name)
        .await?
        .ok_or(sqlx::Error::RowNotFound)?;
    tx.commit().await?;
    Ok(Json(saved.into_row()))
}

/// Delete rows. Rows other rows reference are deleted only when the request confirms that
/// those references go too.
#[utoipa::path(delete, path = "/workspaces/{namespace}/{name}/entities/{entity_type}", tag = "data tables", params(("namespace" = String, Path, description = "Billing project"), ("name" = String, Path, description = "Workspace URL name"), ("entity_type" = String, Path, description = "The table")), request_body = carrel_core::api::DeleteEntitiesRequest, responses((status = 200, body = carrel_core::api::DeletedEntities), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody), (status = 409, body = carrel_core::api::ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((namespace, name, entity_type)): Path<(String, String, String)>,
    ApiJson(request): ApiJson<DeleteEntitiesRequest>,
) -> Result<Json<DeletedEntities>, ApiError> {
    let names = check_named(&request.names)?;
    let mut tx = state.store.begin_write().await?;
    let loaded = WorkspaceContext::load(&mut tx, &user, &namespace, &name).await?;
    loaded.require(&user, Action::DeleteEntities)?;
    let type_row = require_type(&mut tx, loaded.row.id, &entity_type).await?;
    rows::lock_type(&mut tx, type_row.id).await?;
    let found = rows::find_many(&mut tx, type_row.id, &names).await?;
    if let Some(missing) = names.iter().find(|n| !found.iter().any(|e| &e.name == *n)) {
        return Err(TableRefusal::NoSuchEntity {
            entity_type: type_row.name.clone(),
            name: missing.clone(),
        }
        .into());
    }
    let ids: Vec<i64> = found.iter().map(|e| e.id).collect();
    let referrers = rows::referrers(&mut tx, &ids).await?;
    if !referrers.is_empty() && !request.remove_references {
        let shown: Vec<EntityRef> = rows::by_ids(&mut tx, &referrers[..referrers.len().min(100)])
            .await?
            .into_iter()
            .map(|(entity_type, e)| EntityRef {
                entity_type,
                entity_name: e.name,
            })
            .collect();
        let refusal = TableRefusal::Referenced {
            names: ids.len(),
            count: referrers.len(),
        };
        return Err(refused_with_rows(&refusal, None, shown));
    }
    let gone: BTreeSet<(String, String)> = found
        .iter()
        .map(|e| (type_row.name.clone(), e.name.clone()))
        .collect();
    let is_gone = |r: &EntityRef| gone.contains(&(r.entity_type.clone(), r.entity_name.clone()));
    let batch = tables::new_batch();
    // The referrers' tables are locked (in name order) before their rows are read for rewriting.
    let referrer_types: BTreeSet<String> = rows::by_ids(&mut tx, &referrers)
        .await?
        .into_iter()
        .map(|(entity_type, _)| entity_type)
        .collect();
    let mut touched_types = BTreeMap::new();
    for referrer_type in referrer_types {
        let table = Table::open(&mut tx, loaded.row.id, &referrer_type).await?;
        touched_types.insert(referrer_type, table);
    }
    for (referrer_type, referrer) in rows::by_ids(&mut tx, &referrers).await? {
        let attributes = referrer
            .attributes
            .iter()
            .filter_map(|(column, value)| {
                without_references(value, &is_gone).map(|v| (column.clone(), v))
            })
            .collect();
        if let Some(table) = touched_types.get_mut(&referrer_type) {
            tables::rewrite(&mut tx, table, &referrer, &attributes, &batch).await?;
        }
    }
    let gone_table = Table::open(&mut tx, loaded.row.id, &type_row.name).await?;
    let before: Vec<(i64, &BTreeMap<String, carrel_core::entities::Value>)> =
        found.iter().map(|e| (e.id, &e.attributes)).collect();
    rows::delete_sort_keys(&mut tx, &gone_table.columns, &before).await?;
    rows::delete_many(&mut tx, &ids).await?;
    rows::resolve_refs(&mut tx, loaded.row.id, &batch, 1).await?;
    rows::refresh_count(&mut tx, type_row.id).await?;
    let detail = serde_json::json!({
        "entity_type": type_row.name, "deleted": ids.len(), "references_removed": referrers.len(),
    });
    audit::record(
        &mut tx,
        loaded.row.id,
        user.id,
        "entities.delete",
        &detail,
        now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(DeletedEntities {
        deleted: ids.len() as u64,
        references_removed: referrers.len() as u64,
    }))
}

/// Rename a column, or delete it with its values.
#[utoipa::path(patch, path = "/workspaces/{namespace}/{name}/entities/{entity_type}", tag = "data tables", params(("namespace" = String, Path, description = "Billing project"), ("name" = String, Path, description = "Workspace URL name"), ("entity_type" = String, Path, description = "The table")), request_body = carrel_core::api::ColumnChange, responses((status = 200, body = carrel_core::api::ColumnChanged), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody), (status = 409, body = carrel_core::api::ErrorBody)))]
pub async fn change_column(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((namespace, name, entity_type)): Path<(String, String, String)>,
    ApiJson(change): ApiJson<ColumnChange>,
) -> Result<Json<ColumnChanged>, ApiError> {
    let column = check_column(&entity_type, &change.column)?;
    let rename_to = change
        .rename_to
        .as_deref()
        .map(|to| check_column(&entity_type, to))
        .transpose()?;
    let mut tx = state.store.begin_write().await?;
    let loaded = WorkspaceContext::load(&mut tx, &user, &namespace, &name).await?;
    loaded.require(&user, Action::EditEntities)?;
    let type_row = require_type(&mut tx, loaded.row.id, &entity_type).await?;
    rows::lock_type(&mut tx, type_row.id).await?;
    let columns = rows::columns(&mut tx, type_row.id).await?;
    let Some(target) = columns.iter().find(|c| c.name == column) else {
        return Err(TableRefusal::NoSuchColumn {
            entity_type: type_row.name,
            column,
        }
        .into());
    };
    if let Some(to) = &rename_to {
        if columns.iter().any(|c| &c.name == to) {
            return Err(TableRefusal::ColumnTaken {
                entity_type: type_row.name,
                column: to.clone(),
            }
            .into());
        }
    }
    let changed = move_values(
        &mut tx,
        (loaded.row.id, type_row.id),
        &column,
        rename_to.as_deref(),
    )
    .await?;
    match &rename_to {
        Some(to) => rows::rename_column(&mut tx, target.id, to).await?,
        None => rows::drop_column(&mut tx, target.id).await?,
    }
    let detail = serde_json::json!({
        "entity_type": type_row.name, "column": column, "rename_to": rename_to, "rows": changed,
    });
    audit::record(
        &mut tx,
        loaded.row.id,
        user.id,
        "entities.column",
        &detail,
        now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(ColumnChanged { rows: changed }))
}

/// Move every value of `column` to `to`, or remove it (with the references it held).
async fn move_values(
    tx: &mut Tx,
    (workspace, type_id): (i64, i64),
    column: &str,
    to: Option<&str>,
) -> Result<u64, ApiError> {
    let batch = tables::new_batch();
    let mut after = 0;
    let mut changed = 0;
    loop {
        let chunk = rows::by_id_after(tx, type_id, after, 1000).await?;
        let Some(last) = chunk.last() else { break };
        after = last.id;
        for entity in chunk {
            let mut attributes = entity.attributes.clone();
            let Some(value) = attributes.remove(column) else {
                continue;
            };
            let held_references = !value.references().is_empty();
            if let Some(to) = to {
                attributes.insert(to.to_owned(), value);
            }
            rows::update(tx, entity.id, &entity.name, &attributes).await?;
            if held_references && to.is_none() {
                rows::forget_refs_of(tx, entity.id).await?;
                let remaining = tables::refs_of(entity.id, 0, &attributes);
                rows::stage_refs(tx, &batch, &remaining).await?;
            }
            changed += 1;
        }
    }
    rows::resolve_refs(tx, workspace, &batch, 1).await?;
    Ok(changed)
}

#[utoipa::path(get, path = "/workspaces/{namespace}/{name}/attributes", tag = "data tables", params(("namespace" = String, Path, description = "Billing project"), ("name" = String, Path, description = "Workspace URL name")), responses((status = 200, body = carrel_core::api::WorkspaceAttributes), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody)))]
pub async fn attributes(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((namespace, name)): Path<(String, String)>,
) -> Result<Json<WorkspaceAttributes>, ApiError> {
    let mut conn = state.store.pool().acquire().await?;
    let loaded = WorkspaceContext::load(&mut conn, &user, &namespace, &name).await?;
    loaded.require(&user, Action::ReadEntities)?;
    Ok(Json(WorkspaceAttributes {
        attributes: rows::workspace_attributes(&mut conn, loaded.row.id).await?,
    }))
}

#[utoipa::path(patch, path = "/workspaces/{namespace}/{name}/attributes", tag = "data tables", params(("namespace" = String, Path, description = "Billing project"), ("name" = String, Path, description = "Workspace URL name")), request_body = carrel_core::api::WorkspaceAttributesEdit, responses((status = 200, body = carrel_core::api::WorkspaceAttributes), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody)))]
pub async fn edit_attributes(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((namespace, name)): Path<(String, String)>,
    ApiJson(edit): ApiJson<WorkspaceAttributesEdit>,
) -> Result<Json<WorkspaceAttributes>, ApiError> {
    check_values("workspace", &edit.set)?;
    for column in &edit.remove {
        check_type_name(column)?;
    }
    let mut tx = state.store.begin_write().await?;
    let loaded = WorkspaceContext::load(&mut tx, &user, &namespace, &name).await?;
    loaded.require(&user, Action::EditEntities)?;
    for column in &edit.remove {
        rows::set_workspace_attribute(&mut tx, loaded.row.id, column, None).await?;
    }
    for (column, value) in &edit.set {
        rows::set_workspace_attribute(&mut tx, loaded.row.id, column, Some(value)).await?;
    }
    let changed: Vec<&String> = edit.set.keys().chain(&edit.remove).collect();
    let detail = serde_json::json!({ "attributes": changed });
    audit::record(
        &mut tx,
        loaded.row.id,
        user.id,
        "attributes.edit",
        &detail,
        now_ms(),
    )
    .await?;
    let attributes = rows::workspace_attributes(&mut tx, loaded.row.id).await?;
    tx.commit().await?;
    Ok(Json(WorkspaceAttributes { attributes }))
}
