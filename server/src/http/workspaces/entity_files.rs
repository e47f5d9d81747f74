//! Data tables in and out: TSV import (atomic, every problem by line and column), export
//! (streamed; a set table as a zip), and copying rows to another workspace.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;

use carrel_core::api::{CopiedEntities, CopyEntitiesRequest, ErrorDetail, ImportSummary};
use carrel_core::entities::{set_members, TsvProblem};
use carrel_core::tables::{check_copy_tiers, check_named, check_table_name, TableRefusal};
use carrel_core::Action;

use super::entities::{refused_with_rows, require_type};
use super::WorkspaceContext;
use crate::http::error::ApiError;
use crate::http::extract::{ApiJson, CurrentUser};
use crate::store::{audit, entities as rows};
use crate::tables::import::{self, SpoolError};
use crate::tables::{copy, export};
use crate::{now_ms, AppState};

fn import_refused(problems: Vec<TsvProblem>) -> ApiError {
    let refusal = TableRefusal::ImportProblems {
        count: problems.len(),
    };
    ApiError::refused_with(&refusal, |detail| ErrorDetail { problems, ..detail })
}

/// Import a TSV file: `entity:<type>_id`, `update:<type>_id` or `membership:<set>_id` first.
/// Every row applies or none; a refusal lists each problem's line, column and reason.
#[utoipa::path(post, path = "/workspaces/{namespace}/{name}/entities/import", tag = "data tables", params(("namespace" = String, Path, description = "Billing project"), ("name" = String, Path, description = "Workspace URL name")), request_body(content = String, content_type = "text/tab-separated-values"), responses((status = 200, body = carrel_core::api::ImportSummary), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody), (status = 413, body = carrel_core::api::ErrorBody)))]
pub async fn import(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((namespace, name)): Path<(String, String)>,
    body: Body,
) -> Result<Json<ImportSummary>, ApiError> {
    let types = {
        let mut conn = state.store.pool().acquire().await?;
        let loaded = WorkspaceContext::load(&mut conn, &user, &namespace, &name).await?;
        loaded.require(&user, Action::ImportEntities)?;
        rows::type_names(&mut conn, loaded.row.id).await?
    };
    let limit = state.config.max_upload_bytes;
    let mut spooled = match import::spool(body, limit).await {
        Ok(spooled) => spooled,
        Err(SpoolError::TooLarge { limit }) => {
            return Err(ApiError::Oversize {
                code: "file_too_large",
                message: SpoolError::TooLarge { limit }.to_string(),
            })
        }
        Err(error @ SpoolError::Interrupted(_)) => {
            return Err(ApiError::BadRequest {
                code: "upload_interrupted",
                message: error.to_string(),
            })
        }
        Err(SpoolError::Disk(error)) => return Err(ApiError::Internal(error.into())),
    };
    if let Err(problems) = import::check(&mut spooled, &types)
        .await
        .map_err(anyhow::Error::from)?
    {
        return Err(import_refused(problems));
    }
    let mut tx = state.store.begin_write().await?;
    let loaded = WorkspaceContext::load(&mut tx, &user, &namespace, &name).await?;
    loaded.require(&user, Action::ImportEntities)?;
    let types = rows::type_names(&mut tx, loaded.row.id).await?;
    let summary = match import::apply_file(&mut tx, loaded.row.id, &mut spooled, &types).await? {
        Ok(summary) => summary,
        Err(problems) => return Err(import_refused(problems)),
    };
    let detail = serde_json::json!({
        "entity_type": summary.entity_type, "rows": summary.rows,
        "created": summary.created, "updated": summary.updated, "bytes": spooled.bytes,
    });
    audit::record(
        &mut tx,
        loaded.row.id,
        user.id,
        "entities.import",
        &detail,
        now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(summary))
}

/// Export a table as TSV with Terra's header (a set table: a zip of its entity and membership
/// files), streamed.
#[utoipa::path(get, path = "/workspaces/{namespace}/{name}/entities/{entity_type}/export", tag = "data tables", params(("namespace" = String, Path, description = "Billing project"), ("name" = String, Path, description = "Workspace URL name"), ("entity_type" = String, Path, description = "The table")), responses((status = 200, description = "The table as TSV, or a zip for a set table", content_type = "text/tab-separated-values"), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody)))]
pub async fn export(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((namespace, name, entity_type)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    let mut conn = state.store.pool().acquire().await?;
    let loaded = WorkspaceContext::load(&mut conn, &user, &namespace, &name).await?;
    loaded.require(&user, Action::ReadEntities)?;
    let table = require_type(&mut conn, loaded.row.id, &entity_type).await?;
    let columns: Vec<String> = rows::columns(&mut conn, table.id)
        .await?
        .into_iter()
        .map(|c| c.name)
        .collect();
    let attachment = |file: String| {
        HeaderValue::from_str(&format!("attachment; filename=\"{file}\""))
            .map_err(|error| ApiError::Internal(error.into()))
    };
    if set_members(&table.name).is_some() {
        let zip = export::set_zip(&mut conn, table.id, &table.name, &columns).await?;
        let disposition = attachment(format!("{}.zip", table.name))?;
        return Ok((
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/zip"),
                ),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            zip,
        )
            .into_response());
    }
    drop(conn);
    let disposition = attachment(format!("{}.tsv", table.name))?;
    let stream = export::tsv(state.store.pool().clone(), table.id, table.name, columns);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/tab-separated-values; charset=utf-8"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}

/// Copy rows, and every row they reference, into another workspace where the caller is a
/// writer; never from a Controlled Tier workspace into a Registered Tier one.
#[utoipa::path(post, path = "/workspaces/{namespace}/{name}/entities/copy", tag = "data tables", params(("namespace" = String, Path, description = "Billing project of the source"), ("name" = String, Path, description = "URL name of the source")), request_body = carrel_core::api::CopyEntitiesRequest, responses((status = 200, body = carrel_core::api::CopiedEntities), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody), (status = 409, body = carrel_core::api::ErrorBody)))]
pub async fn copy(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((namespace, name)): Path<(String, String)>,
    ApiJson(request): ApiJson<CopyEntitiesRequest>,
) -> Result<Json<CopiedEntities>, ApiError> {
    let entity_type = check_table_name(&request.entity_type)?;
    let names = check_named(&request.names)?;
    let mut tx = state.store.begin_write().await?;
    let source = WorkspaceContext::load(&mut tx, &user, &namespace, &name).await?;
    source.require(&user, Action::CopyEntities)?;
    let destination =
        WorkspaceContext::load(&mut tx, &user, &request.to_namespace, &request.to_name).await?;
    destination.require(&user, Action::ImportEntities)?;
    if destination.row.id == source.row.id {
        return Err(TableRefusal::SameWorkspace.into());
    }
    check_copy_tiers(source.row.tier, destination.row.tier)?;
    let copied = match copy::copy(
        &mut tx,
        (source.row.id, destination.row.id),
        &entity_type,
        &names,
    )
    .await?
    {
        Ok(copied) => copied,
        Err((refusal, entities)) => return Err(refused_with_rows(&refusal, None, entities)),
    };
    let detail = serde_json::json!({
        "from": format!("{}/{}", source.row.namespace, source.row.name),
        "entity_type": entity_type, "copied": copied,
    });
    audit::record(
        &mut tx,
        destination.row.id,
        user.id,
        "entities.copy",
        &detail,
        now_ms(),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(CopiedEntities { copied }))
}
