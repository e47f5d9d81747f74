//! A TSV import. The body is spooled to a temporary file first, so no lock is held while it
//! arrives; the file is then read once to find the problems of the file itself (without the
//! database), and again inside one write transaction that applies it in batches. Memory stays
//! bounded by one batch and one line, whatever the file's size.

use std::collections::BTreeSet;
use std::io::SeekFrom;

use axum::body::Body;
use futures_util::TryStreamExt;
use tokio::fs::File;
use tokio::io::{AsyncBufReadExt, AsyncSeekExt, AsyncWriteExt, BufReader};

use carrel_core::api::ImportSummary;
use carrel_core::entities::{
    parse_header, parse_row, EntityRef, TsvHeader, TsvKind, TsvProblem, TsvRow, MAX_LINE_BYTES,
    MAX_PROBLEMS,
};

use super::{apply, Applied, Mode, PendingRow, RowOp, Table};
use crate::store::entities as rows;

/// Rows applied per batch.
const BATCH_ROWS: usize = 500;

/// The request body, on disk.
pub struct Spooled {
    file: File,
    pub bytes: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum SpoolError {
    #[error("The file is larger than the {limit} bytes an import accepts.")]
    TooLarge { limit: u64 },
    #[error("The upload stopped before the end ({0}); nothing was imported.")]
    Interrupted(String),
    #[error(transparent)]
    Disk(#[from] std::io::Error),
}

/// Write the body to an anonymous temporary file (gone when dropped).
pub async fn spool(body: Body, limit: u64) -> Result<Spooled, SpoolError> {
    let file = tokio::task::spawn_blocking(tempfile::tempfile)
        .await
        .map_err(std::io::Error::other)??;
    let mut file = File::from_std(file);
    let mut bytes = 0u64;
    let mut stream = body.into_data_stream();
    while let Some(chunk) = stream
        .try_next()
        .await
        .map_err(|error| SpoolError::Interrupted(error.to_string()))?
    {
        bytes += chunk.len() as u64;
        if bytes > limit {
            return Err(SpoolError::TooLarge { limit });
        }
        file.write_all(&chunk).await?;
    }
    file.flush().await?;
    Ok(Spooled { file, bytes })
}

enum LineRead {
    Line(String),
    TooLong,
    NotUtf8,
    End,
}

/// Lines of at most [`MAX_LINE_BYTES`]; a longer one is skipped without being held.
struct Lines<'a> {
    reader: BufReader<&'a mut File>,
    number: usize,
    buffer: Vec<u8>,
}

impl<'a> Lines<'a> {
    async fn from_start(file: &'a mut File) -> std::io::Result<Lines<'a>> {
        file.seek(SeekFrom::Start(0)).await?;
        Ok(Lines {
            reader: BufReader::with_capacity(256 * 1024, file),
            number: 0,
            buffer: Vec::new(),
        })
    }

    async fn next(&mut self) -> std::io::Result<LineRead> {
        self.buffer.clear();
        let mut too_long = false;
        let mut read_any = false;
        loop {
            let available = self.reader.fill_buf().await?;
            if available.is_empty() {
                if !read_any {
                    return Ok(LineRead::End);
                }
                break;
            }
            read_any = true;
            let (take, done) = match available.iter().position(|b| *b == b'\n') {
                Some(end) => (end, true),
                None => (available.len(), false),
            };
            if !too_long {
                self.buffer.extend_from_slice(&available[..take]);
                if self.buffer.len() > MAX_LINE_BYTES {
                    too_long = true;
                    self.buffer = Vec::new();
                }
            }
            self.reader.consume(if done { take + 1 } else { take });
            if done {
                break;
            }
        }
        self.number += 1;
        if too_long {
            return Ok(LineRead::TooLong);
        }
        match String::from_utf8(std::mem::take(&mut self.buffer)) {
            Ok(line) => Ok(LineRead::Line(line)),
            Err(_) => Ok(LineRead::NotUtf8),
        }
    }
}

fn line_problem(line: usize, read: &LineRead) -> Option<TsvProblem> {
    match read {
        LineRead::TooLong => Some(TsvProblem::new(
            line,
            None,
            format!(
                "This line is longer than {} MiB.",
                MAX_LINE_BYTES / (1024 * 1024)
            ),
        )),
        LineRead::NotUtf8 => Some(TsvProblem::new(line, None, "This line is not UTF-8 text.")),
        _ => None,
    }
}

/// The header, or the problem with it.
async fn header(lines: &mut Lines<'_>) -> std::io::Result<Result<TsvHeader, TsvProblem>> {
    let read = lines.next().await?;
    Ok(match read {
        LineRead::Line(text) => parse_header(&text),
        LineRead::End => Err(TsvProblem::new(
            1,
            None,
            "The file is empty: its first line names the table (entity:sample_id).",
        )),
        other => Err(line_problem(1, &other).unwrap_or_else(|| TsvProblem::new(1, None, ""))),
    })
}

/// The next data row: `None` at the end; blank lines are skipped.
async fn next_row(
    lines: &mut Lines<'_>,
    header: &TsvHeader,
    types: &BTreeSet<String>,
) -> std::io::Result<Option<Result<PendingRow, Vec<TsvProblem>>>> {
    loop {
        let read = lines.next().await?;
        let number = lines.number;
        let text = match read {
            LineRead::End => return Ok(None),
            LineRead::Line(text) => text,
            other => return Ok(line_problem(number, &other).map(|p| Err(vec![p]))),
        };
        if text.trim().is_empty() {
            continue;
        }
        return Ok(Some(
            parse_row(header, number, &text, types).map(|row| pending(header, row)),
        ));
    }
}

fn pending(header: &TsvHeader, row: TsvRow) -> PendingRow {
    match row {
        TsvRow::Entity {
            line,
            name,
            changes,
        } => PendingRow {
            line,
            name,
            ops: changes
                .into_iter()
                .map(|(column, change)| RowOp::Change(column, change))
                .collect(),
        },
        TsvRow::Member { line, set, member } => {
            let member_type = match &header.kind {
                TsvKind::Membership { member_type } => member_type.clone(),
                _ => String::new(),
            };
            PendingRow {
                line,
                name: set,
                ops: vec![RowOp::AddMember(EntityRef {
                    entity_type: member_type,
                    entity_name: member,
                })],
            }
        }
    }
}

/// Read the whole file for its own problems (at most [`MAX_PROBLEMS`]), without the database.
pub async fn check(
    spooled: &mut Spooled,
    types: &BTreeSet<String>,
) -> std::io::Result<Result<TsvHeader, Vec<TsvProblem>>> {
    let mut lines = Lines::from_start(&mut spooled.file).await?;
    let header = match header(&mut lines).await? {
        Ok(header) => header,
        Err(problem) => return Ok(Err(vec![problem])),
    };
    let mut problems = Vec::new();
    while let Some(row) = next_row(&mut lines, &header, types).await? {
        if let Err(found) = row {
            problems.extend(found);
            if problems.len() >= MAX_PROBLEMS {
                problems.truncate(MAX_PROBLEMS);
                break;
            }
        }
    }
    Ok(if problems.is_empty() {
        Ok(header)
    } else {
        Err(problems)
    })
}

/// Apply the file inside the caller's transaction. Problems found on the way (a row to update
/// that does not exist, a reference to nothing) come back and the caller rolls back.
pub async fn apply_file(
    conn: &mut sqlx::AnyConnection,
    workspace: i64,
    spooled: &mut Spooled,
    types: &BTreeSet<String>,
) -> Result<Result<ImportSummary, Vec<TsvProblem>>, sqlx::Error> {
    let io = |error: std::io::Error| sqlx::Error::Io(error);
    let mut lines = Lines::from_start(&mut spooled.file).await.map_err(io)?;
    let header = match header(&mut lines).await.map_err(io)? {
        Ok(header) => header,
        Err(problem) => return Ok(Err(vec![problem])),
    };
    let mode = match header.kind {
        TsvKind::Update => Mode::UpdateOnly,
        _ => Mode::Upsert,
    };
    let mut table = Table::open(conn, workspace, &header.entity_type).await?;
    table.ensure_columns(conn, &header.columns).await?;
    let batch = super::new_batch();
    let mut applied = Applied::default();
    let mut problems = Vec::new();
    let mut pending = Vec::with_capacity(BATCH_ROWS);
    let mut count = 0u64;
    let mut analyze_at = 1_000u64;
    loop {
        let row = next_row(&mut lines, &header, types).await.map_err(io)?;
        let end = row.is_none();
        match row {
            Some(Ok(row)) => {
                count += 1;
                pending.push(row);
            }
            Some(Err(found)) => problems.extend(found),
            None => {}
        }
        // Batches go on being applied after a problem (the transaction is rolled back anyway):
        // memory stays at one batch, and every batch's problems are found.
        if (end || pending.len() >= BATCH_ROWS) && !pending.is_empty() {
            match apply(conn, &mut table, std::mem::take(&mut pending), mode, &batch).await? {
                Ok(done) => applied.add(done),
                Err(found) => problems.extend(found),
            }
            if count >= analyze_at {
                rows::refresh_statistics(conn).await?;
                analyze_at *= 10;
            }
        }
        if end || problems.len() >= MAX_PROBLEMS {
            break;
        }
    }
    if problems.is_empty() {
        problems = rows::resolve_refs(conn, workspace, &batch, MAX_PROBLEMS as i64).await?;
    }
    if !problems.is_empty() {
        problems.truncate(MAX_PROBLEMS);
        return Ok(Err(problems));
    }
    rows::refresh_count(conn, table.type_id).await?;
    Ok(Ok(ImportSummary {
        entity_type: table.entity_type,
        rows: count,
        created: applied.created,
        updated: applied.updated,
    }))
}
