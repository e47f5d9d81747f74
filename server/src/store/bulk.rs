//! The bulk path: many rows per statement, many statements per transaction. For generated data
//! only (numbers and generated ASCII names), so values are written as SQL literals.

use sqlx::{AnyConnection, Executor};

use super::{Backend, Store};

/// One value of a generated row.
#[derive(Clone, Debug)]
pub enum Value {
    Int(i64),
    Null,
    /// Generated text: ASCII letters, digits and ` @.-_{}[]:#"$=,+/?` only (never a quote).
    Text(String),
}

impl Value {
    fn literal(&self) -> Result<String, sqlx::Error> {
        match self {
            Value::Int(n) => Ok(n.to_string()),
            Value::Null => Ok("NULL".to_owned()),
            Value::Text(text) => {
                let safe = text
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || " @.-_{}[]:#\"$=,+/?".contains(c));
                if !safe {
                    return Err(sqlx::Error::Protocol(format!(
                        "bulk text must be generated ASCII, got {text:?}"
                    )));
                }
                Ok(format!("'{text}'"))
            }
        }
    }
}

/// Rows per INSERT statement.
const ROWS_PER_STATEMENT: usize = 500;

/// Insert rows into `table` (`columns` in order), 500 rows a statement.
pub async fn insert(
    conn: &mut AnyConnection,
    table: &str,
    columns: &[&str],
    rows: &[Vec<Value>],
) -> Result<(), sqlx::Error> {
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        for (i, row) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for (j, value) in row.iter().enumerate() {
                if j > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&value.literal()?);
            }
            sql.push(')');
        }
        conn.execute(sql.as_str()).await?;
    }
    Ok(())
}

/// After inserting explicit ids, move PostgreSQL's identity sequences past them.
pub async fn reset_identities(store: &Store, tables: &[&str]) -> Result<(), sqlx::Error> {
    if store.backend() != Backend::Postgres {
        return Ok(());
    }
    for table in tables {
        let sql = format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
             (SELECT COALESCE(MAX(id), 1) FROM {table}))"
        );
        store.pool().execute(sql.as_str()).await?;
    }
    Ok(())
}

/// The database's size on disk, in bytes.
pub async fn database_size(store: &Store, sqlite_path: Option<&std::path::Path>) -> i64 {
    match (store.backend(), sqlite_path) {
        (Backend::Postgres, _) => {
            sqlx::query_scalar::<_, i64>("SELECT pg_database_size(current_database())")
                .fetch_one(store.pool())
                .await
                .unwrap_or_default()
        }
        (Backend::Sqlite, Some(path)) => ["", "-wal", "-shm"]
            .iter()
            .filter_map(|suffix| std::fs::metadata(format!("{}{suffix}", path.display())).ok())
            .map(|m| i64::try_from(m.len()).unwrap_or_default())
            .sum(),
        (Backend::Sqlite, None) => 0,
    }
}
