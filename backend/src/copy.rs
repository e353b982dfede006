//! Moving up: copies a whole deployment, every row and every file's bytes, into another
//! database and file store (SQLite and its folder into PostgreSQL and S3, say), then checks the
//! copy: every table's row count, and every file read back from the new store against the
//! size and SHA-256 of its row. `hpp-backend copy-to` runs it (see `main.rs`).
//!
//! Run it with the backend stopped: rows written during the copy may be missed (the check
//! then fails). The target must be empty (freshly migrated); a failed copy is run again on a
//! new, empty database.

use crate::db::sql::{params_of, Conn, Value};
use crate::db::{cases::StoredBytes, Db, DbError};
use crate::objects::{FileStore, StoreError};
use crate::params;
use std::collections::HashMap;

/// Every table, parents before children. Inserting records and notes writes events through
/// the triggers, so the target's events are cleared before the source's are copied.
/// `case_counts` is not copied: the target's triggers count the cases as they arrive.
const TABLES: &[&str] = &[
    "companies",
    "users",
    "sessions",
    "cases",
    "records",
    "notes",
    "files",
    "idempotency_keys",
    "device_bindings",
    "case_views",
    "canned_replies",
    "outbox",
    "events",
    "throttle_backoffs",
    "throttle_addresses",
    "throttle_known",
    "throttle_global",
];

/// Tables whose rows are read in slices of their `id`, so no table is held in memory whole.
const BY_ID: &[&str] = &[
    "companies",
    "users",
    "cases",
    "records",
    "notes",
    "files",
    "canned_replies",
    "outbox",
    "events",
];
const SLICE: i64 = 2_000;

#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error("the target database already holds {0} accounts: copy into a new, empty database")]
    TargetNotEmpty(i64),
    #[error("{table}: {source_rows} rows in the source, {target_rows} in the copy")]
    RowsDiffer {
        table: &'static str,
        source_rows: i64,
        target_rows: i64,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Db(#[from] DbError),
}

/// What was copied and checked.
#[derive(Debug, Default)]
pub struct Copied {
    /// Each table with its rows (the same in source and copy).
    pub tables: Vec<(&'static str, i64)>,
    /// Files whose bytes were read back from the new store and matched their rows.
    pub files_checked: usize,
    pub bytes: u64,
}

/// Copies `from` (rows) and `from_files` (bytes) into `to` and `to_files`, then checks it.
pub async fn copy(
    from: &Db,
    from_files: &FileStore,
    to: &Db,
    to_files: &FileStore,
) -> Result<Copied, CopyError> {
    let accounts = to.read(|c| count(c, "users")).await?;
    if accounts > 0 {
        return Err(CopyError::TargetNotEmpty(accounts));
    }
    // The bytes first, so that no copied row points to an object not yet written.
    let keys = copy_bytes(from, from_files, to_files).await?;
    crate::db::off_runtime(|| {
        to.with_writer(|dst| {
            from.with_writer(|src| dst.transaction(true, |dst| copy_rows(src, dst, &keys)))
        })
    })?;
    check(from, to, to_files).await
}

/// Each file's bytes, checked against its row, written to `to_files` under the key its row
/// will hold there (the same key when it had one). File id → key.
async fn copy_bytes(
    from: &Db,
    from_files: &FileStore,
    to_files: &FileStore,
) -> Result<HashMap<i64, String>, CopyError> {
    let mut keys = HashMap::new();
    let mut after = 0;
    loop {
        let slice = from
            .read(move |c| {
                c.query_map(
                    "SELECT id, object_key, data, size, sha256 FROM files
                     WHERE id > ?1 ORDER BY id LIMIT 100",
                    params![after],
                    |r| {
                        Ok((
                            r.get::<i64>(0)?,
                            StoredBytes {
                                object_key: r.get(1)?,
                                inline: r.get(2)?,
                                size: r.get(3)?,
                                sha256: r.get(4)?,
                            },
                        ))
                    },
                )
            })
            .await?;
        let Some((last, _)) = slice.last() else {
            return Ok(keys);
        };
        after = *last;
        for (id, stored) in slice {
            let key = stored.object_key.clone();
            let bytes = from_files.read(stored).await?;
            let key = match key {
                Some(key) => {
                    to_files.put_at(&key, &bytes).await?;
                    key
                }
                None => to_files.put(&bytes).await?,
            };
            keys.insert(id, key);
        }
    }
}

fn copy_rows(src: &Conn, dst: &Conn, keys: &HashMap<i64, String>) -> Result<(), DbError> {
    // A freshly migrated target holds the default canned replies; the source's replace them.
    dst.execute("DELETE FROM canned_replies", params![])?;
    for &table in TABLES {
        if table == "events" {
            dst.execute("DELETE FROM events", params![])?;
        }
        let columns = columns(dst, table)?;
        let list = columns.join(", ");
        let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
        let insert = format!(
            "INSERT INTO {table} ({list}) VALUES ({})",
            placeholders.join(", ")
        );
        // A file's row points to its object in the new store, and holds no bytes itself.
        let file_columns = match table {
            "files" => {
                let at = |name: &str| columns.iter().position(|c| c == name);
                at("object_key").zip(at("data"))
            }
            _ => None,
        };
        let read = |sql: &str, after: i64| {
            src.query_map(sql, params![after], |r| {
                (0..columns.len())
                    .map(|i| r.value(i))
                    .collect::<Result<Vec<_>, _>>()
            })
        };
        let mut after = 0;
        loop {
            let rows = if BY_ID.contains(&table) {
                read(
                    &format!("SELECT {list} FROM {table} WHERE id > ?1 ORDER BY id LIMIT {SLICE}"),
                    after,
                )?
            } else {
                // The small tables, whole (the unused `?1` keeps one reader for both).
                read(&format!("SELECT {list} FROM {table} WHERE ?1 = 0"), after)?
            };
            let Some(last) = rows.last() else { break };
            after = match last.first() {
                Some(Value::Int(id)) if BY_ID.contains(&table) => *id,
                _ => -1,
            };
            for mut row in rows {
                if let (Some((key, data)), Some(Value::Int(file))) = (file_columns, row.first()) {
                    row[key] = keys.get(file).cloned().map_or(Value::Null, Value::Text);
                    row[data] = Value::Blob(Vec::new());
                }
                dst.execute(&insert, &params_of(&row))?;
            }
        }
        if dst.is_postgres() && BY_ID.contains(&table) {
            // Rows came with their ids: the next id a new row gets follows the largest.
            dst.execute(
                &format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'),
                                   (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
                ),
                params![],
            )?;
        }
    }
    Ok(())
}

/// The columns of `table` in the target's order (the engines' schemas order them differently).
fn columns(conn: &Conn, table: &str) -> Result<Vec<String>, DbError> {
    let sql = if conn.is_postgres() {
        "SELECT column_name::text FROM information_schema.columns
         WHERE table_name = ?1 AND table_schema = current_schema() ORDER BY ordinal_position"
    } else {
        "SELECT name FROM pragma_table_info(?1) ORDER BY cid"
    };
    let mut columns: Vec<String> = conn.query_map(sql, params![table], |r| r.get(0))?;
    // `id` first, so that slices can follow it.
    if let Some(at) = columns.iter().position(|c| c == "id") {
        let id = columns.remove(at);
        columns.insert(0, id);
    }
    Ok(columns)
}

fn count(conn: &Conn, table: &str) -> Result<i64, DbError> {
    conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), params![], |r| {
        r.get(0)
    })
}

/// The same rows in every table, and every file's bytes in the new store as its row says.
async fn check(from: &Db, to: &Db, to_files: &FileStore) -> Result<Copied, CopyError> {
    let mut copied = Copied::default();
    for &table in TABLES {
        let source_rows = from.read(move |c| count(c, table)).await?;
        let target_rows = to.read(move |c| count(c, table)).await?;
        if source_rows != target_rows {
            return Err(CopyError::RowsDiffer {
                table,
                source_rows,
                target_rows,
            });
        }
        copied.tables.push((table, target_rows));
    }
    let stored = to
        .read(|c| {
            c.query_map(
                &format!(
                    "SELECT {} FROM files ORDER BY id",
                    crate::db::cases::STORED_BYTES
                ),
                params![],
                |r| crate::db::cases::stored_bytes_from_row(r, 0),
            )
        })
        .await?;
    for file in stored {
        let bytes = to_files.read(file).await?;
        copied.files_checked += 1;
        copied.bytes += bytes.len() as u64;
    }
    Ok(copied)
}
