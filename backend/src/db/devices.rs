//! What the platform knows of a device: its binding (account and registration region), and the
//! open cases a company already has for it.

use super::cases::{case_number, CaseAccess};
use super::{Actor, DbResult};
use crate::db::sql::{Conn, OptionalRow};
use crate::params;
use api_types::{CaseStatus, CaseType, OpenCase};

/// The account a device is bound to and the server region it is registered in.
pub struct BindingRow {
    pub account: String,
    pub region: String,
}

pub fn binding(conn: &Conn, short_serial: &str) -> DbResult<Option<BindingRow>> {
    conn.query_row(
        "SELECT account, region FROM device_bindings WHERE short_serial = ?1",
        params![short_serial],
        |r| {
            Ok(BindingRow {
                account: r.get(0)?,
                region: r.get(1)?,
            })
        },
    )
    .optional()
}

/// The open cases of `actor`'s company of `case_type` for the device, newest first; each with its
/// id when `actor` may open it.
pub fn open_cases(
    conn: &Conn,
    actor: &Actor,
    short_serial: &str,
    case_type: CaseType,
) -> DbResult<Vec<OpenCase>> {
    let rows = conn.query_map(
        "SELECT id, status, submitter_id, owner_id FROM cases
         WHERE short_serial = ?1 AND company_id = ?2 AND case_type = ?3
           AND status IN ('submitted', 'in_progress', 'need_info')
         ORDER BY id DESC LIMIT 20",
        params![short_serial, actor.company_id, case_type.as_str()],
        |r| {
            let status: String = r.get(1)?;
            Ok((
                r.get::<i64>(0)?,
                CaseStatus::parse(&status).unwrap_or(CaseStatus::Submitted),
                r.get::<i64>(2)?,
                r.get::<Option<i64>>(3)?,
            ))
        },
    )?;
    rows.into_iter()
        .map(|row| {
            let (id, status, submitter_id, owner_id) = row;
            let access = CaseAccess {
                company_id: actor.company_id,
                submitter_id,
                status,
                case_type,
                owner_id,
            };
            Ok(OpenCase {
                number: case_number(id),
                status,
                id: access.visible_to(actor).then_some(id),
            })
        })
        .collect()
}
