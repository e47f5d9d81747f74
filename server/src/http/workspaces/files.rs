//! The workspace bucket: list, upload (streamed), download (streamed, egress metered), preview,
//! move and delete. A key travels as one path segment (`data%2Fx.csv`).
//!
//! An upload streams into the object store outside any database transaction (it may take
//! minutes); the workspace is loaded and `core` asked again before the file is recorded, and
//! the object is removed if that second answer is no.

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures_util::TryStreamExt;
use serde::Deserialize;

use carrel_core::api::{
    percent_encode, ErrorCode, FileEntry, FileListing, FilePreview, MoveFileRequest,
};
use carrel_core::files::{self, check_size, file_name, parse_key, parse_prefix, FileRefusal};
use carrel_core::Action;

use super::WorkspaceContext;
use crate::bucket::{Buckets, UploadError};
use crate::http::error::ApiError;
use crate::http::extract::{ApiJson, CurrentUser};
use crate::store::files::Stored;
use crate::store::ledger::{self, Payer};
use crate::store::{audit, files as index};
use crate::{now_ms, AppState};

/// The most files one listing returns (a folder's direct files and its folders come from them).
const LISTING_LIMIT: i64 = 20_000;
const PREVIEW_BYTES: u64 = 64 * 1024;
const PREVIEW_ROWS: usize = 50;

pub fn payer(loaded: &WorkspaceContext) -> Payer {
    Payer {
        project: loaded.row.billing_project,
        workspace: loaded.row.id,
        label: format!("{}/{}", loaded.row.namespace, loaded.row.name),
    }
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    prefix: String,
}

#[utoipa::path(get, path = "/workspaces/{namespace}/{name}/files", tag = "files", params(("namespace" = String, Path, description = "Billing project"), ("name" = String, Path, description = "Workspace URL name"), ("prefix" = Option<String>, Query, description = "The folder to list, ending in /")), responses((status = 200, body = carrel_core::api::FileListing), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((namespace, name)): Path<(String, String)>,
    Query(query): Query<ListQuery>,
) -> Result<Json<FileListing>, ApiError> {
    let mut conn = state.store.pool().acquire().await?;
    let loaded = WorkspaceContext::load(&mut conn, &user, &namespace, &name).await?;
    loaded.require(&user, Action::ListFiles)?;
    let prefix = parse_prefix(&query.prefix)?;
    let mut under = index::under(&mut conn, loaded.row.id, &prefix, LISTING_LIMIT + 1).await?;
    let truncated = under.len() > LISTING_LIMIT as usize;
    under.truncate(LISTING_LIMIT as usize);
    // SQLite's LIKE ignores ASCII case: keep only keys that really start with the folder.
    under.retain(|f| f.key.starts_with(&prefix));
    let folders = files::folders_under(&prefix, under.iter().map(|f| f.key.as_str()));
    let files = under
        .into_iter()
        .filter(|f| !f.key[prefix.len()..].contains('/'))
        .collect();
    let total_bytes = index::total_bytes(&mut conn, loaded.row.id).await?;
    Ok(Json(FileListing {
        prefix,
        folders,
        files,
        total_bytes,
        max_upload_bytes: state.config.max_upload_bytes,
        truncated,
    }))
}

#[derive(Debug, Deserialize)]
pub struct UploadQuery {
    /// Replace a file already at this key.
    #[serde(default)]
    replace: bool,
}

/// Upload one file: the body is its bytes, streamed. Several files are several requests.
#[utoipa::path(put, path = "/workspaces/{namespace}/{name}/files/{key}", tag = "files", params(("namespace" = String, Path, description = "Billing project"), ("name" = String, Path, description = "Workspace URL name"), ("key" = String, Path, description = "The file's key, URL-encoded (folder%2Fname.csv)"), ("replace" = Option<bool>, Query, description = "Replace a file already at this key")), request_body(content = Vec<u8>, content_type = "application/octet-stream"), responses((status = 201, body = carrel_core::api::FileEntry), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody), (status = 409, body = carrel_core::api::ErrorBody), (status = 413, body = carrel_core::api::ErrorBody)))]
pub async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((namespace, name, key)): Path<(String, String, String)>,
    Query(query): Query<UploadQuery>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<FileEntry>), ApiError> {
    let key = parse_key(&key)?;
    let limit = state.config.max_upload_bytes;
    let workspace = {
        let mut conn = state.store.pool().acquire().await?;
        let loaded = WorkspaceContext::load(&mut conn, &user, &namespace, &name).await?;
        loaded.require(&user, Action::UploadFiles)?;
        if let Some(length) = content_length(&headers) {
            check_size(length, limit)?;
        }
        if !query.replace && index::find(&mut conn, loaded.row.id, &key).await?.is_some() {
            return Err(FileRefusal::AlreadyExists { key }.into());
        }
        loaded.row.id
    };
    // The bytes go to a new object; the index points the key at it only once they are all in.
    let object = Buckets::new_object();
    let size = match state.buckets.upload(workspace, &object, body, limit).await {
        Ok(size) => size,
        Err(UploadError::TooLarge { limit }) => {
            return Err(FileRefusal::TooLarge {
                size: limit + 1,
                limit,
            }
            .into())
        }
        Err(UploadError::Interrupted(why)) => {
            return Err(ApiError::BadRequest {
                code: "upload_interrupted",
                message: format!("The upload stopped before the end ({why}); nothing was kept."),
            })
        }
        Err(UploadError::Store(error)) => return Err(ApiError::Internal(error.into())),
    };
    let stored = Stored { size, object };
    let recorded = record_upload(
        &state,
        &user,
        (&namespace, &name),
        (&key, &stored),
        query.replace,
    )
    .await;
    match recorded {
        Ok((entry, replaced)) => {
            if let Some(old) = replaced {
                forget_object(&state, workspace, &old).await;
            }
            Ok((StatusCode::CREATED, Json(entry)))
        }
        Err(error) => {
            forget_object(&state, workspace, &stored.object).await;
            Err(error)
        }
    }
}

/// Remove an object no row points at any more (a failure leaves it unreachable, and logged).
async fn forget_object(state: &AppState, workspace: i64, object: &str) {
    if let Err(error) = state.buckets.delete(workspace, object).await {
        tracing::warn!(%error, workspace, object, "an object outlived its file");
    }
}

fn content_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse().ok())
}

/// After the bytes are in: ask `core` again, then the index row, the storage meter and the
/// audit event in one transaction. Returns the file and the object it replaced, if any.
async fn record_upload(
    state: &AppState,
    user: &CurrentUser,
    (namespace, name): (&str, &str),
    (key, stored): (&str, &Stored),
    replace: bool,
) -> Result<(FileEntry, Option<String>), ApiError> {
    let mut tx = state.store.begin_write().await?;
    let loaded = WorkspaceContext::load(&mut tx, user, namespace, name).await?;
    loaded.require(user, Action::UploadFiles)?;
    let now = now_ms();
    let by = (user.id, now);
    let replaced = match index::find(&mut tx, loaded.row.id, key).await? {
        Some(old) if replace => {
            index::replace(&mut tx, loaded.row.id, key, stored, by).await?;
            Some(old.object)
        }
        Some(_) => {
            return Err(FileRefusal::AlreadyExists {
                key: key.to_owned(),
            }
            .into())
        }
        None => {
            if !index::insert(&mut tx, loaded.row.id, key, stored, by).await? {
                return Err(FileRefusal::AlreadyExists {
                    key: key.to_owned(),
                }
                .into());
            }
            None
        }
    };
    ledger::meter_storage(&mut tx, &payer(&loaded), &state.config.prices, now).await?;
    audit::record(
        &mut tx,
        loaded.row.id,
        user.id,
        "files.upload",
        &serde_json::json!({ "key": key, "size": stored.size, "replaced": replaced.is_some() }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok((
        FileEntry {
            key: key.to_owned(),
            name: file_name(key).to_owned(),
            size: stored.size,
            modified_at: now,
            uploaded_by: user.display_name.clone(),
        },
        replaced,
    ))
}

#[derive(Debug, Deserialize)]
pub struct DownloadQuery {
    /// Shown in the page (images and PDF only) instead of saved.
    #[serde(default)]
    inline: bool,
}

/// Download one file, streamed; its bytes are charged as egress first.
#[utoipa::path(get, path = "/workspaces/{namespace}/{name}/files/{key}", tag = "files", params(("namespace" = String, Path, description = "Billing project"), ("name" = String, Path, description = "Workspace URL name"), ("key" = String, Path, description = "The file's key, URL-encoded"), ("inline" = Option<bool>, Query, description = "Show an image or PDF in the page")), responses((status = 200, description = "The file's bytes", content_type = "application/octet-stream"), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody)))]
pub async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((namespace, name, key)): Path<(String, String, String)>,
    Query(query): Query<DownloadQuery>,
    method: Method,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let key = parse_key(&key)?;
    // A page of another site may link here; the session cookie would go along (SameSite=Lax)
    // and the payer would be charged. Downloads come from this site or from no page at all.
    if headers
        .get("sec-fetch-site")
        .is_some_and(|site| site == "cross-site")
    {
        return Err(ApiError::Forbidden {
            code: ErrorCode::CrossSite.as_str(),
            message: "Downloads start from Carrel's own pages.".to_owned(),
        });
    }
    let mut tx = state.store.begin_write().await?;
    let loaded = WorkspaceContext::load(&mut tx, &user, &namespace, &name).await?;
    loaded.require(&user, Action::Download)?;
    let stored = index::find(&mut tx, loaded.row.id, &key)
        .await?
        .ok_or_else(|| FileRefusal::NotFound { key: key.clone() })?;
    // Opened before it is charged: a missing object costs nothing.
    let (size, stream) = state
        .buckets
        .download(loaded.row.id, &stored.object)
        .await
        .map_err(|error| ApiError::Internal(error.into()))?;
    // HEAD sends no bytes, so it costs nothing.
    if method != Method::HEAD {
        let egress = state.config.prices.egress(size);
        ledger::charge(
            &mut tx,
            &payer(&loaded),
            &egress,
            &format!("download {key}"),
            Some(user.id),
            now_ms(),
        )
        .await?;
    }
    tx.commit().await?;
    let media_type = query
        .inline
        .then(|| embeddable_type(&key))
        .flatten()
        .unwrap_or("application/octet-stream");
    let disposition = if media_type == "application/octet-stream" {
        "attachment"
    } else {
        "inline"
    };
    let filename = file_name(&key).replace(['"', '\\'], "_");
    let mut response = Body::from_stream(stream.map_err(std::io::Error::other)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(size));
    if let Ok(value) = HeaderValue::from_str(&format!(
        "{disposition}; filename*=UTF-8''{}",
        percent_encode(&filename)
    )) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}

/// The types a page may show from a download: raster images and PDF (never HTML or SVG, which
/// could run script on this site).
fn embeddable_type(key: &str) -> Option<&'static str> {
    let extension = key.rsplit('.').next()?.to_ascii_lowercase();
    match extension.as_str() {
        "png" => Some("image/png"),
        "jpg" | "jpeg" => Some("image/jpeg"),
        "gif" => Some("image/gif"),
        "webp" => Some("image/webp"),
        "pdf" => Some("application/pdf"),
        _ => None,
    }
}

/// What the page can show of a file without downloading it: text, the first rows of a CSV or
/// TSV, or — for images and PDF — that it can be embedded.
#[utoipa::path(get, path = "/workspaces/{namespace}/{name}/previews/{key}", tag = "files", params(("namespace" = String, Path, description = "Billing project"), ("name" = String, Path, description = "Workspace URL name"), ("key" = String, Path, description = "The file's key, URL-encoded")), responses((status = 200, body = carrel_core::api::FilePreview), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody)))]
pub async fn preview(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((namespace, name, key)): Path<(String, String, String)>,
) -> Result<Json<FilePreview>, ApiError> {
    let key = parse_key(&key)?;
    let mut conn = state.store.pool().acquire().await?;
    let loaded = WorkspaceContext::load(&mut conn, &user, &namespace, &name).await?;
    loaded.require(&user, Action::ReadFiles)?;
    let stored = index::find(&mut conn, loaded.row.id, &key)
        .await?
        .ok_or_else(|| FileRefusal::NotFound { key: key.clone() })?;
    drop(conn);
    let size = stored.size;
    if let Some(media_type) = embeddable_type(&key) {
        return Ok(Json(FilePreview::Embed {
            media_type: media_type.to_owned(),
        }));
    }
    let head = state
        .buckets
        .head_bytes(loaded.row.id, &stored.object, size, PREVIEW_BYTES)
        .await
        .map_err(|error| ApiError::Internal(error.into()))?;
    let truncated = size > PREVIEW_BYTES;
    let Some(text) = readable_text(&head, truncated) else {
        return Ok(Json(FilePreview::None {
            reason: "This file is not text, an image or a PDF: download it to open it.".into(),
        }));
    };
    let separator = match key
        .rsplit('.')
        .next()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("csv") => Some(','),
        Some("tsv") | Some("tab") => Some('\t'),
        _ => None,
    };
    Ok(Json(match separator {
        Some(separator) => table_preview(&text, separator, truncated),
        None => FilePreview::Text { text, truncated },
    }))
}

/// The bytes as UTF-8 text (a character cut at the end of a truncated head is dropped), or
/// `None` for binary data.
fn readable_text(head: &[u8], truncated: bool) -> Option<String> {
    let text = match std::str::from_utf8(head) {
        Ok(text) => text,
        Err(error) if truncated && error.error_len().is_none() => {
            std::str::from_utf8(&head[..error.valid_up_to()]).ok()?
        }
        Err(_) => return None,
    };
    (!text.contains('\0')).then(|| text.to_owned())
}

fn table_preview(text: &str, separator: char, truncated: bool) -> FilePreview {
    let mut lines: Vec<&str> = text.lines().collect();
    if truncated && !text.ends_with('\n') {
        lines.pop();
    }
    let more = lines.len() > PREVIEW_ROWS;
    let rows = lines
        .into_iter()
        .take(PREVIEW_ROWS)
        .map(|line| split_row(line, separator))
        .collect();
    FilePreview::Table {
        rows,
        truncated: truncated || more,
    }
}

/// One row, honouring double quotes around a cell (`"a,b"` is one cell).
fn split_row(line: &str, separator: char) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            c if c == separator && !quoted => cells.push(std::mem::take(&mut cell)),
            c => cell.push(c),
        }
    }
    cells.push(cell);
    cells
}

/// Move or rename a file.
#[utoipa::path(patch, path = "/workspaces/{namespace}/{name}/files/{key}", tag = "files", params(("namespace" = String, Path, description = "Billing project"), ("name" = String, Path, description = "Workspace URL name"), ("key" = String, Path, description = "The file's key, URL-encoded")), request_body = carrel_core::api::MoveFileRequest, responses((status = 200, body = carrel_core::api::FileEntry), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody), (status = 409, body = carrel_core::api::ErrorBody)))]
pub async fn rename(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((namespace, name, key)): Path<(String, String, String)>,
    ApiJson(request): ApiJson<MoveFileRequest>,
) -> Result<Json<FileEntry>, ApiError> {
    let from = parse_key(&key)?;
    let to =
        parse_key(&request.to).map_err(|refusal| ApiError::field("to", &refusal.to_string()))?;
    let mut tx = state.store.begin_write().await?;
    let loaded = WorkspaceContext::load(&mut tx, &user, &namespace, &name).await?;
    loaded.require(&user, Action::MoveFiles)?;
    let size = index::find(&mut tx, loaded.row.id, &from)
        .await?
        .ok_or_else(|| FileRefusal::NotFound { key: from.clone() })?
        .size;
    if from == to {
        return Err(ApiError::field(
            "to",
            "Choose a new name or folder for the file.",
        ));
    }
    if index::find(&mut tx, loaded.row.id, &to).await?.is_some() {
        return Err(FileRefusal::AlreadyExists { key: to }.into());
    }
    // Only the index changes: the object keeps its own name.
    let now = now_ms();
    index::rename(&mut tx, loaded.row.id, &from, &to, now).await?;
    audit::record(
        &mut tx,
        loaded.row.id,
        user.id,
        "files.move",
        &serde_json::json!({ "from": from, "to": to }),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Json(FileEntry {
        name: file_name(&to).to_owned(),
        key: to,
        size,
        modified_at: now,
        uploaded_by: user.display_name.clone(),
    }))
}

#[utoipa::path(delete, path = "/workspaces/{namespace}/{name}/files/{key}", tag = "files", params(("namespace" = String, Path, description = "Billing project"), ("name" = String, Path, description = "Workspace URL name"), ("key" = String, Path, description = "The file's key, URL-encoded")), responses((status = 204), (status = 400, body = carrel_core::api::ErrorBody), (status = 401, body = carrel_core::api::ErrorBody), (status = 403, body = carrel_core::api::ErrorBody), (status = 404, body = carrel_core::api::ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((namespace, name, key)): Path<(String, String, String)>,
) -> Result<StatusCode, ApiError> {
    let key = parse_key(&key)?;
    let mut tx = state.store.begin_write().await?;
    let loaded = WorkspaceContext::load(&mut tx, &user, &namespace, &name).await?;
    loaded.require(&user, Action::DeleteFiles)?;
    let stored = index::find(&mut tx, loaded.row.id, &key)
        .await?
        .ok_or_else(|| FileRefusal::NotFound { key: key.clone() })?;
    let size = stored.size;
    let now = now_ms();
    index::remove(&mut tx, loaded.row.id, &key).await?;
    ledger::meter_storage(&mut tx, &payer(&loaded), &state.config.prices, now).await?;
    audit::record(
        &mut tx,
        loaded.row.id,
        user.id,
        "files.delete",
        &serde_json::json!({ "key": key, "size": size }),
        now,
    )
    .await?;
    tx.commit().await?;
    // The row is gone, so the file is; the object goes after the commit.
    forget_object(&state, loaded.row.id, &stored.object).await;
    Ok(StatusCode::NO_CONTENT)
}
