//! One connection, to SQLite or to PostgreSQL, behind the few calls the database layer makes:
//! run a statement, read one row, read rows, run a batch, open a transaction.
//!
//! Queries are written once, in the SQL both engines share, with SQLite's placeholders (`?1`,
//! `?`); for PostgreSQL they are rewritten to `$1`. Values cross as [`Value`], which each engine
//! encodes for the column it meets, so a flag stored as 0/1 reads back as `bool` on both.

use super::{DbError, DbResult};
use postgres::types::{IsNull, ToSql, Type};
use std::cell::RefCell;
use std::collections::HashMap;

/// One value a query binds or a row holds.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
    Bool(bool),
}

impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}
impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Text(s)
    }
}
impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Text(s.to_owned())
    }
}

/// What a query can bind: every Rust type the layer stores.
pub trait Param: Sync {
    fn value(&self) -> Value;
}

macro_rules! int_param {
    ($($t:ty),*) => {$(
        impl Param for $t {
            fn value(&self) -> Value {
                Value::Int(*self as i64)
            }
        }
    )*};
}
int_param!(i64, i32, u32, u16, u8, usize);

impl Param for u64 {
    fn value(&self) -> Value {
        Value::Int(i64::try_from(*self).unwrap_or(i64::MAX))
    }
}
impl Param for bool {
    fn value(&self) -> Value {
        Value::Bool(*self)
    }
}
impl Param for f64 {
    fn value(&self) -> Value {
        Value::Real(*self)
    }
}
/// PostgreSQL's text cannot hold NUL, so on both engines a NUL in text is stored, and
/// searched for, as U+FFFD: the same rows on either, and a search with a NUL finds nothing
/// instead of failing. No field of the contract means anything by a NUL.
fn text(s: &str) -> Value {
    if s.contains('\0') {
        Value::Text(s.replace('\0', "\u{FFFD}"))
    } else {
        Value::Text(s.to_owned())
    }
}

impl Param for str {
    fn value(&self) -> Value {
        text(self)
    }
}
impl Param for String {
    fn value(&self) -> Value {
        text(self)
    }
}
impl Param for [u8] {
    fn value(&self) -> Value {
        Value::Blob(self.to_vec())
    }
}
impl Param for Vec<u8> {
    fn value(&self) -> Value {
        Value::Blob(self.clone())
    }
}
impl Param for Value {
    fn value(&self) -> Value {
        match self {
            Value::Text(s) => text(s),
            other => other.clone(),
        }
    }
}
impl<T: Param + ?Sized> Param for &T {
    fn value(&self) -> Value {
        (**self).value()
    }
}
impl<T: Param> Param for Option<T> {
    fn value(&self) -> Value {
        self.as_ref().map_or(Value::Null, Param::value)
    }
}

/// The parameters of one statement: `params![a, b]`.
#[macro_export]
macro_rules! params {
    () => { &[] as &[&dyn $crate::db::sql::Param] };
    ($($p:expr),+ $(,)?) => { &[$(&$p as &dyn $crate::db::sql::Param),+] as &[&dyn $crate::db::sql::Param] };
}

/// Parameters made at run time (a list's filters) as a statement takes them.
pub fn params_of(values: &[Value]) -> Vec<&dyn Param> {
    values.iter().map(|v| v as &dyn Param).collect()
}

/// What a row's column can be read as.
pub trait FromValue: Sized {
    fn from_value(value: Value) -> Result<Self, String>;
}

impl FromValue for i64 {
    fn from_value(value: Value) -> Result<Self, String> {
        match value {
            Value::Int(i) => Ok(i),
            Value::Bool(b) => Ok(i64::from(b)),
            other => Err(format!("expected an integer, found {other:?}")),
        }
    }
}
macro_rules! narrow_int {
    ($($t:ty),*) => {$(
        impl FromValue for $t {
            fn from_value(value: Value) -> Result<Self, String> {
                let wide = i64::from_value(value)?;
                <$t>::try_from(wide).map_err(|_| format!("{wide} is out of range"))
            }
        }
    )*};
}
narrow_int!(i32, u32, u64, usize, u16, u8);

impl FromValue for bool {
    fn from_value(value: Value) -> Result<Self, String> {
        match value {
            Value::Bool(b) => Ok(b),
            Value::Int(i) => Ok(i != 0),
            other => Err(format!("expected a flag, found {other:?}")),
        }
    }
}
impl FromValue for f64 {
    fn from_value(value: Value) -> Result<Self, String> {
        match value {
            Value::Real(f) => Ok(f),
            Value::Int(i) => Ok(i as f64),
            other => Err(format!("expected a number, found {other:?}")),
        }
    }
}
impl FromValue for String {
    fn from_value(value: Value) -> Result<Self, String> {
        match value {
            Value::Text(s) => Ok(s),
            other => Err(format!("expected text, found {other:?}")),
        }
    }
}
impl FromValue for Vec<u8> {
    fn from_value(value: Value) -> Result<Self, String> {
        match value {
            Value::Blob(b) => Ok(b),
            other => Err(format!("expected bytes, found {other:?}")),
        }
    }
}
impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: Value) -> Result<Self, String> {
        match value {
            Value::Null => Ok(None),
            other => T::from_value(other).map(Some),
        }
    }
}

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

fn sqlite_value(value: rusqlite::types::ValueRef) -> Value {
    use rusqlite::types::ValueRef;
    match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        ValueRef::Real(f) => Value::Real(f),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    }
}

fn pg_value(row: &postgres::Row, index: usize) -> DbResult<Value> {
    let ty = row
        .columns()
        .get(index)
        .ok_or(DbError::Decode {
            index,
            detail: "no such column".into(),
        })?
        .type_()
        .clone();
    let value = match ty {
        Type::INT8 => row.try_get::<_, Option<i64>>(index)?.map(Value::Int),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(index)?
            .map(|i| Value::Int(i.into())),
        Type::INT2 => row
            .try_get::<_, Option<i16>>(index)?
            .map(|i| Value::Int(i.into())),
        Type::BOOL => row.try_get::<_, Option<bool>>(index)?.map(Value::Bool),
        Type::FLOAT8 => row.try_get::<_, Option<f64>>(index)?.map(Value::Real),
        Type::FLOAT4 => row
            .try_get::<_, Option<f32>>(index)?
            .map(|f| Value::Real(f.into())),
        Type::BYTEA => row.try_get::<_, Option<Vec<u8>>>(index)?.map(Value::Blob),
        // Text, varchar, citext, name.
        _ => row.try_get::<_, Option<String>>(index)?.map(Value::Text),
    };
    Ok(value.unwrap_or(Value::Null))
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match self {
            Value::Null => ValueRef::Null,
            Value::Int(i) => ValueRef::Integer(*i),
            Value::Real(f) => ValueRef::Real(*f),
            Value::Text(s) => ValueRef::Text(s.as_bytes()),
            Value::Blob(b) => ValueRef::Blob(b),
            Value::Bool(b) => ValueRef::Integer(i64::from(*b)),
        }))
    }
}

type EncodeResult = Result<IsNull, Box<dyn std::error::Error + Sync + Send>>;

/// Encodes for the type PostgreSQL inferred for the placeholder: an integer meets BIGINT,
/// INTEGER or BOOLEAN columns, a flag meets BOOLEAN or the 0/1 BIGINT columns.
impl ToSql for Value {
    fn to_sql(&self, ty: &Type, out: &mut bytes::BytesMut) -> EncodeResult {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(i) => match *ty {
                Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                Type::FLOAT8 => (*i as f64).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR => i.to_string().to_sql(ty, out),
                _ => i.to_sql(ty, out),
            },
            Value::Bool(b) => match *ty {
                Type::BOOL => b.to_sql(ty, out),
                Type::INT4 => i32::from(*b).to_sql(ty, out),
                _ => i64::from(*b).to_sql(ty, out),
            },
            Value::Real(f) => f.to_sql(ty, out),
            Value::Text(s) => s.as_str().to_sql(ty, out),
            Value::Blob(b) => b.as_slice().to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

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

    #[test]
    fn flags_and_integers_read_back_on_either_storage() {
        assert!(bool::from_value(Value::Int(1)).unwrap());
        assert!(!bool::from_value(Value::Bool(false)).unwrap());
        assert_eq!(i64::from_value(Value::Bool(true)).unwrap(), 1);
        assert_eq!(Option::<String>::from_value(Value::Null).unwrap(), None);
        assert!(u32::from_value(Value::Int(-1)).is_err());
    }

    #[test]
    fn text_never_carries_a_nul_to_either_engine() {
        assert_eq!("a\0b".value(), Value::Text("a\u{FFFD}b".into()));
        assert_eq!(Value::from("x\0").value(), Value::Text("x\u{FFFD}".into()));
    }
}
