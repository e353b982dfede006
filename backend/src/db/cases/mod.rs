//! Cases: the scoped list, the details, filing, and the status changes with their timeline.
//!
//! Every function takes a `&Conn` (or a transaction) so that callers decide the transaction
//! boundaries, and every write of a status change also writes the record that explains it. What
//! lives where:
//! - `list`: one page of the cases a scope may see;
//! - `detail`: the details page, one stored file, and what each user has seen;
//! - `create`: filing a case with its files, once per idempotency key;
//! - `timeline`: records, status changes, answers and their expiry.
//!
//! Who may see a case is decided here, beside the SQL that scopes the list.

mod create;
mod detail;
pub(in crate::db) mod list;
mod timeline;

pub use create::{case_of_idempotency_key, file_once, insert, insert_file, Filing};
pub use detail::{
    detail, file, mark_seen, mark_seen_as_shown, stored_bytes_from_row, STORED_BYTES,
};
pub use list::list;
pub use timeline::{
    add_record, answers_due, change_status, expire_answers, set_answer, Changed, NewAnswer,
    StatusChange,
};

use super::{Actor, DbResult};
use crate::db::sql::{Conn, OptionalRow};
use crate::params;
use api_types::{CaseStatus, CaseType, Method, Person, Role};

/// Which cases a user may see.
#[derive(Clone, Copy, Debug)]
pub enum Scope {
    Submitter(i64),
    Company(i64),
    All,
}

impl Scope {
    pub fn of(actor: &Actor) -> Self {
        match actor.role {
            Role::Installer => Self::Submitter(actor.id),
            Role::Reseller => Self::Company(actor.company_id),
            Role::Support => Self::All,
        }
    }
}

/// A file ready to store: its bytes, and once they are in the object store, their key (a file
/// without one keeps its bytes in its row, as the seed's do).
pub struct NewFile {
    pub purpose: String,
    pub name: String,
    pub media_type: String,
    pub sha256: String,
    pub data: Vec<u8>,
    pub object_key: Option<String>,
}

/// What the database knows of one file's bytes: where they are (`objects::FileStore` reads
/// them), and what they must be.
#[derive(Clone, Debug)]
pub struct StoredBytes {
    /// The object's key; `None` for rows from before the object store, whose bytes are `inline`.
    pub object_key: Option<String>,
    pub inline: Vec<u8>,
    pub size: i64,
    pub sha256: String,
}

/// A validated case ready to store.
pub struct NewCase {
    pub case_type: CaseType,
    pub method: Method,
    pub serial: String,
    pub contact: Person,
    pub description: String,
    pub qr_payload: String,
    pub files: Vec<NewFile>,
}

pub fn case_number(id: i64) -> String {
    format!("HPP-{id:06}")
}

/// Who may see the case: its submitter, its company's resellers, and support.
pub struct CaseAccess {
    pub company_id: i64,
    pub submitter_id: i64,
    pub status: CaseStatus,
    pub case_type: CaseType,
    pub owner_id: Option<i64>,
}

impl CaseAccess {
    pub fn visible_to(&self, actor: &Actor) -> bool {
        may_see(actor, self.company_id, self.submitter_id)
    }
}

/// Whether `actor` may see a case of `company_id` filed by `submitter_id`: the one rule the
/// details, the files and the live updates apply (the list applies it as SQL, by [`Scope`]).
pub fn may_see(actor: &Actor, company_id: i64, submitter_id: i64) -> bool {
    match actor.role {
        Role::Support => true,
        Role::Reseller => company_id == actor.company_id,
        Role::Installer => submitter_id == actor.id,
    }
}

pub fn access(conn: &Conn, case_id: i64) -> DbResult<Option<CaseAccess>> {
    conn.query_row(
        "SELECT company_id, submitter_id, status, case_type, owner_id FROM cases WHERE id = ?1",
        params![case_id],
        |r| {
            Ok(CaseAccess {
                company_id: r.get(0)?,
                submitter_id: r.get(1)?,
                status: CaseStatus::parse(&r.get::<String>(2)?).unwrap_or(CaseStatus::Submitted),
                case_type: CaseType::parse(&r.get::<String>(3)?).unwrap_or(CaseType::PasswordReset),
                owner_id: r.get(4)?,
            })
        },
    )
    .optional()
}

/// The case's access facts, if `actor` may see it; a case they may not see does not exist for
/// them.
pub fn visible_access(conn: &Conn, case_id: i64, actor: &Actor) -> DbResult<Option<CaseAccess>> {
    Ok(access(conn, case_id)?.filter(|access| access.visible_to(actor)))
}
