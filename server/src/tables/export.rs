//! TSV export with Terra's headers: a table streams a thousand rows at a time; a set table is a
//! zip of its entity file and its membership file.

use std::io::Write;

use axum::body::Bytes;
use futures_util::Stream;
use sqlx::AnyPool;

use carrel_core::entities::{export_header, export_row, membership_tsv, set_members, Entity};

use crate::store::entities::{self as rows, StoredEntity};

const ROWS_PER_CHUNK: i64 = 1000;

fn entity(entity_type: &str, stored: StoredEntity) -> Entity {
    Entity {
        entity_type: entity_type.to_owned(),
        name: stored.name,
        attributes: stored.attributes,
    }
}

struct Cursor {
    pool: AnyPool,
    type_id: i64,
    entity_type: String,
    columns: Vec<String>,
    after: Option<String>,
    done: bool,
}

/// The table as one TSV stream, read a chunk of rows at a time.
pub fn tsv(
    pool: AnyPool,
    type_id: i64,
    entity_type: String,
    columns: Vec<String>,
) -> impl Stream<Item = Result<Bytes, std::io::Error>> {
    let start = Cursor {
        pool,
        type_id,
        entity_type,
        columns,
        after: None,
        done: false,
    };
    futures_util::stream::unfold(start, |mut cursor| async move {
        if cursor.done {
            return None;
        }
        let mut text = String::new();
        let after = match cursor.after.take() {
            Some(after) => after,
            None => {
                text.push_str(&export_header(&cursor.entity_type, &cursor.columns));
                text.push('\n');
                String::new()
            }
        };
        let chunk = async {
            let mut conn = cursor.pool.acquire().await?;
            rows::by_name_after(&mut conn, cursor.type_id, &after, ROWS_PER_CHUNK).await
        }
        .await;
        let chunk = match chunk {
            Ok(chunk) => chunk,
            Err(error) => {
                cursor.done = true;
                tracing::error!(%error, "an export stopped");
                return Some((Err(std::io::Error::other(error)), cursor));
            }
        };
        cursor.done = (chunk.len() as i64) < ROWS_PER_CHUNK;
        cursor.after = chunk.last().map(|last| last.name.clone());
        if cursor.after.is_none() {
            cursor.done = true;
        }
        for stored in chunk {
            text.push_str(&export_row(
                &entity(&cursor.entity_type, stored),
                &cursor.columns,
            ));
            text.push('\n');
        }
        Some((Ok(Bytes::from(text)), cursor))
    })
}

/// A set table: `<type>_entity.tsv` (its other columns) and `<type>_membership.tsv`, zipped.
pub async fn set_zip(
    conn: &mut sqlx::AnyConnection,
    type_id: i64,
    entity_type: &str,
    columns: &[String],
) -> anyhow::Result<Vec<u8>> {
    let list_column = set_members(entity_type).map(|(_, list)| list);
    let other_columns: Vec<String> = columns
        .iter()
        .filter(|c| Some(*c) != list_column.as_ref())
        .cloned()
        .collect();
    let mut entity_file = export_header(entity_type, &other_columns);
    entity_file.push('\n');
    let mut sets = Vec::new();
    let mut after = String::new();
    loop {
        let chunk = rows::by_name_after(conn, type_id, &after, ROWS_PER_CHUNK).await?;
        let Some(last) = chunk.last() else { break };
        after = last.name.clone();
        for stored in chunk {
            let set = entity(entity_type, stored);
            entity_file.push_str(&export_row(&set, &other_columns));
            entity_file.push('\n');
            sets.push(set);
        }
    }
    let membership = membership_tsv(entity_type, &sets);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file(format!("{entity_type}_entity.tsv"), options)?;
    zip.write_all(entity_file.as_bytes())?;
    zip.start_file(format!("{entity_type}_membership.tsv"), options)?;
    zip.write_all(membership.as_bytes())?;
    Ok(zip.finish()?.into_inner())
}
