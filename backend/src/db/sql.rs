//! One connection, to SQLite or to PostgreSQL, behind the few calls the database layer makes:
//! run a statement, read one row, read rows, run a batch, open a transaction.
//!
//! Queries are written once, in the SQL both engines share, with SQLite's placeholders (`?1`,
//! `?`); for PostgreSQL they are rewritten to `$1`. Values cross as [`Value`], which each engine
//! encodes for the column it meets, so a flag stored as 0/1 reads back as `bool` on both.

use super::{DbError, DbResult};
use postgres::types::ToSql;
use std::cell::RefCell;
use std::collections::HashMap;

mod value;
pub use value::{params_of, FromValue, Param, Value};
use value::{pg_value, sqlite_value};

/// One row of a result, from either engine.
pub enum Row<'a> {
    Sqlite(&'a rusqlite::Row<'a>),
    Pg(&'a postgres::Row),
}

impl Row<'_> {
    /// Column `index`, as `T`.
    pub fn get<T: FromValue>(&self, index: usize) -> DbResult<T> {
        T::from_value(self.value(index)?).map_err(|detail| DbError::Decode { index, detail })
    }

    /// Column `index` as it is stored (for copying rows whatever they hold).
    pub fn value(&self, index: usize) -> DbResult<Value> {
        match self {
            Row::Sqlite(row) => Ok(sqlite_value(row.get_ref(index)?)),
            Row::Pg(row) => pg_value(row, index),
        }
    }
}

/// How many prepared statements a PostgreSQL connection keeps.
const STATEMENT_CACHE_CAPACITY: usize = 256;

/// A PostgreSQL connection with the statements it prepared, so a query is parsed once per
/// connection, as SQLite's statement cache does.
pub struct PgConn {
    /// Always `Some` until dropped (see `Drop`).
    client: Option<postgres::Client>,
    statements: HashMap<String, postgres::Statement>,
}

/// The synchronous client closes its connection by blocking on a runtime of its own, which
/// panics on a thread of the async runtime: there, a thread of its own closes it.
impl Drop for PgConn {
    fn drop(&mut self) {
        self.statements.clear();
        if let Some(client) = self.client.take() {
            if tokio::runtime::Handle::try_current().is_ok() {
                let _ = std::thread::Builder::new()
                    .name("hpp-pg-close".into())
                    .spawn(move || drop(client));
            }
        }
    }
}

/// A connection to either engine. The layer's functions take `&Conn` and run on a blocking
/// thread (`Db::read`, `Db::call`, `Db::transaction`).
pub enum Conn {
    Sqlite(rusqlite::Connection),
    Pg(Box<RefCell<PgConn>>),
}

impl Conn {
    pub fn pg(client: postgres::Client) -> Self {
        Conn::Pg(Box::new(RefCell::new(PgConn {
            client: Some(client),
            statements: HashMap::new(),
        })))
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Conn::Pg(_))
    }

    /// Runs a statement; returns how many rows it changed.
    pub fn execute(&self, sql: &str, params: &[&dyn Param]) -> DbResult<usize> {
        match self {
            Conn::Sqlite(conn) => {
                let values: Vec<Value> = params.iter().map(|p| p.value()).collect();
                let mut stmt = conn.prepare_cached(sql)?;
                Ok(stmt.execute(rusqlite::params_from_iter(values.iter()))?)
            }
            Conn::Pg(cell) => {
                let mut pg = cell.borrow_mut();
                let stmt = pg.prepare(sql)?;
                let values: Vec<Value> = params.iter().map(|p| p.value()).collect();
                let refs: Vec<&(dyn ToSql + Sync)> =
                    values.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
                Ok(pg.client().execute(&stmt, &refs)? as usize)
            }
        }
    }

    /// The first row of a query through `f`; [`DbError::NoRows`] when there is none.
    pub fn query_row<T>(
        &self,
        sql: &str,
        params: &[&dyn Param],
        f: impl FnOnce(&Row) -> DbResult<T>,
    ) -> DbResult<T> {
        let mut f = Some(f);
        let mut rows = self.query_limited(sql, params, Some(1), |row| {
            let f = f.take().ok_or(DbError::NoRows)?;
            f(row)
        })?;
        rows.pop().ok_or(DbError::NoRows)
    }

    /// Every row of a query through `f`.
    pub fn query_map<T>(
        &self,
        sql: &str,
        params: &[&dyn Param],
        f: impl FnMut(&Row) -> DbResult<T>,
    ) -> DbResult<Vec<T>> {
        self.query_limited(sql, params, None, f)
    }

    fn query_limited<T>(
        &self,
        sql: &str,
        params: &[&dyn Param],
        limit: Option<usize>,
        mut f: impl FnMut(&Row) -> DbResult<T>,
    ) -> DbResult<Vec<T>> {
        let values: Vec<Value> = params.iter().map(|p| p.value()).collect();
        let mut out = Vec::new();
        match self {
            Conn::Sqlite(conn) => {
                let mut stmt = conn.prepare_cached(sql)?;
                let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
                while let Some(row) = rows.next()? {
                    out.push(f(&Row::Sqlite(row))?);
                    if limit == Some(out.len()) {
                        break;
                    }
                }
            }
            Conn::Pg(cell) => {
                let mut pg = cell.borrow_mut();
                let stmt = pg.prepare(sql)?;
                let refs: Vec<&(dyn ToSql + Sync)> =
                    values.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
                for row in pg.client().query(&stmt, &refs)? {
                    out.push(f(&Row::Pg(&row))?);
                    if limit == Some(out.len()) {
                        break;
                    }
                }
            }
        }
        Ok(out)
    }

    /// Runs statements separated by `;`, with no parameters.
    pub fn execute_batch(&self, sql: &str) -> DbResult<()> {
        match self {
            Conn::Sqlite(conn) => Ok(conn.execute_batch(sql)?),
            Conn::Pg(cell) => Ok(cell.borrow_mut().client().batch_execute(sql)?),
        }
    }

    /// Runs `f` in one transaction: committed when it returns `Ok`, rolled back otherwise.
    /// `immediate` takes SQLite's write lock at the start, so a read-then-write cannot be
    /// overtaken by another process (PostgreSQL's writers are serialised by `Db` already).
    pub fn transaction<T, E>(
        &self,
        immediate: bool,
        f: impl FnOnce(&Conn) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<DbError>,
    {
        let begin = match self {
            Conn::Sqlite(_) if immediate => "BEGIN IMMEDIATE",
            _ => "BEGIN",
        };
        self.execute_batch(begin)?;
        match f(self) {
            Ok(value) => {
                self.execute_batch("COMMIT")?;
                Ok(value)
            }
            Err(e) => {
                // The error that matters is `f`'s; a failed rollback leaves the connection in
                // a state the next BEGIN reports.
                let _ = self.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }
}

impl PgConn {
    fn prepare(&mut self, sql: &str) -> DbResult<postgres::Statement> {
        if let Some(stmt) = self.statements.get(sql) {
            return Ok(stmt.clone());
        }
        // Statements that name a page's place are many: the cache starts over rather than grow
        // without end (each one holds a plan in the server too).
        if self.statements.len() >= STATEMENT_CACHE_CAPACITY {
            self.statements.clear();
        }
        let stmt = self.client().prepare(&postgres_placeholders(sql))?;
        self.statements.insert(sql.to_owned(), stmt.clone());
        Ok(stmt)
    }

    pub fn is_closed(&self) -> bool {
        self.client.as_ref().is_none_or(postgres::Client::is_closed)
    }

    fn client(&mut self) -> &mut postgres::Client {
        self.client
            .as_mut()
            .expect("a PostgreSQL connection holds its client until dropped")
    }
}

/// SQLite's placeholders as PostgreSQL's: `?N` becomes `$N`, and a bare `?` the next number
/// after the largest so far, as SQLite numbers it. Quoted text is left alone.
pub fn postgres_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut largest = 0u32;
    let mut quoted = false;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            quoted = !quoted;
            out.push(c);
            continue;
        }
        if c != '?' || quoted {
            out.push(c);
            continue;
        }
        let mut digits = String::new();
        while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
            digits.push(*d);
            chars.next();
        }
        let number = match digits.parse::<u32>() {
            Ok(n) => n,
            Err(_) => largest + 1,
        };
        largest = largest.max(number);
        out.push('$');
        out.push_str(&number.to_string());
    }
    out
}

/// Turns "no row" into `None`, as a lookup that may find nothing wants.
pub trait OptionalRow<T> {
    fn optional(self) -> DbResult<Option<T>>;
}

impl<T> OptionalRow<T> for DbResult<T> {
    fn optional(self) -> DbResult<Option<T>> {
        match self {
            Ok(value) => Ok(Some(value)),
            Err(DbError::NoRows) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_as_sqlite_numbers_them() {
        assert_eq!(
            postgres_placeholders("SELECT ?1, ?2 WHERE a = ?1"),
            "SELECT $1, $2 WHERE a = $1"
        );
        // A bare `?` after `?1` is the second parameter, as in SQLite.
        assert_eq!(
            postgres_placeholders("x = ?1 AND y = ? AND z = ? LIMIT ?"),
            "x = $1 AND y = $2 AND z = $3 LIMIT $4"
        );
        assert_eq!(
            postgres_placeholders("a = '?' AND b = ?"),
            "a = '?' AND b = $1"
        );
    }
}
