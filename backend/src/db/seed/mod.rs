//! Demo data for a fresh database: the accounts of the README and a few cases in varied states.
//! Generated cases in bulk, for benchmarks, are in `bulk`.

mod bulk;
mod replies;

pub use bulk::seed_bulk;
pub use replies::default_canned_replies;

use crate::db::cases::{add_record, insert_file, mark_seen, NewFile};
use crate::db::sql::Conn;
use crate::db::{backfill_short_serials, now_ms, Db, DbResult};
use crate::digest::sha256_hex;
use crate::hashing::hash_password;
use crate::params;
use base64::Engine;

/// Password of every demo account.
pub const DEMO_PASSWORD: &str = "demo-password";

/// The demo password's hash, made once per process. Every demo account has the same published
/// password, so one salt for all of them hides nothing; and the tests, which seed hundreds of
/// databases, skip five Argon2 runs for each.
fn demo_password_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password(DEMO_PASSWORD))
}

/// `(email, name, phone, role, company)` of the demo accounts.
pub const DEMO_ACCOUNTS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "installer@acme.example",
        "Anna Installer",
        "+49 30 1234 5601",
        "installer",
        "Acme Security GmbH",
    ),
    (
        "reseller@acme.example",
        "Rita Reseller",
        "+49 30 1234 5602",
        "reseller",
        "Acme Security GmbH",
    ),
    (
        "installer@globex.example",
        "Gustav Installer",
        "+48 22 555 0101",
        "installer",
        "Globex Sp. z o.o.",
    ),
    (
        "support@hpp.example",
        "Sam Support",
        "+31 20 555 0199",
        "support",
        "Hikvision Support",
    ),
    // A colleague to hand cases to.
    (
        "desk@hpp.example",
        "Dana Desk",
        "+31 20 555 0198",
        "support",
        "Hikvision Support",
    ),
];

/// A 1 × 1 PNG, standing in for the demo cases' photos.
const TINY_PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

fn demo_export(serial: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DeviceKey version=\"1.0\">\n  \
         <serialNumber>{serial}</serialNumber>\n  <key>c2FkcC1kZW1vLWV4cG9ydA==</key>\n</DeviceKey>\n"
    )
}

/// Seeds the demo data once: does nothing when any account exists.
pub fn seed_demo(db: &Db) -> DbResult<()> {
    db.blocking(|conn| {
        let accounts: i64 =
            conn.query_row("SELECT COUNT(*) FROM users", params![], |r| r.get(0))?;
        if accounts > 0 {
            return Ok(());
        }
        conn.transaction(false, |tx| {
            for (name, region) in [
                ("Acme Security GmbH", "EU"),
                ("Globex Sp. z o.o.", "EU"),
                ("Hikvision Support", "EU"),
            ] {
                tx.execute(
                    "INSERT INTO companies (name, region, verified) VALUES (?1, ?2, 1)",
                    params![name, region],
                )?;
            }
            for (email, name, phone, role, company) in DEMO_ACCOUNTS {
                tx.execute(
                    "INSERT INTO users (company_id, name, email, phone, role, password_hash)
                 VALUES ((SELECT id FROM companies WHERE name = ?1), ?2, ?3, ?4, ?5, ?6)",
                    params![company, name, email, phone, role, demo_password_hash()],
                )?;
            }
            for (serial, account, region) in [
                ("594199052", "john.smith@example.com", "EU"),
                ("E61958062", "installer@acme.example", "EU"),
                ("J12345678", "li.wei@example.cn", "CN"),
            ] {
                tx.execute(
                "INSERT INTO device_bindings (short_serial, account, region) VALUES (?1, ?2, ?3)",
                params![serial, account, region],
            )?;
            }
            seed_cases(tx)?;
            backfill_short_serials(tx)
        })
    })
}

fn user_id(conn: &Conn, email: &str) -> DbResult<i64> {
    conn.query_row(
        "SELECT id FROM users WHERE email = ?1",
        params![email],
        |r| r.get(0),
    )
}

struct DemoCase<'a> {
    submitter: &'a str,
    case_type: &'a str,
    method: &'a str,
    serial: &'a str,
    description: &'a str,
    hours_ago: i64,
    /// `(kind, by support?, message, hours after filing)` after the `submitted` record.
    history: &'a [(&'a str, bool, &'a str, i64)],
    status: &'a str,
    answer: Option<(&'a str, &'a str)>,
}

fn seed_cases(conn: &Conn) -> DbResult<()> {
    let cases = [
        DemoCase {
            submitter: "installer@acme.example",
            case_type: "password_reset",
            method: "sadp",
            serial: "DS-7608NI-E2/8P0820160211AAWR123456789WCVU",
            description:
                "NVR in the warehouse; the admin password was lost when the site manager left.",
            hours_ago: 3,
            history: &[],
            status: "submitted",
            answer: None,
        },
        DemoCase {
            submitter: "installer@acme.example",
            case_type: "password_reset",
            method: "other",
            serial: "E61958062",
            description: "Camera at the front gate.",
            hours_ago: 20,
            history: &[
                ("taken", true, "", 1),
                (
                    "answered",
                    true,
                    "Enter this key in SADP with a new password.",
                    2,
                ),
            ],
            status: "resolved",
            answer: Some(("key", "K7M2X9QP")),
        },
        DemoCase {
            submitter: "installer@acme.example",
            case_type: "unbinding",
            method: "other",
            serial: "594199052",
            description: "Bought second-hand; bound to the previous owner's account.",
            hours_ago: 30,
            history: &[
                ("taken", true, "", 2),
                (
                    "info_requested",
                    true,
                    "Please send a photo of the invoice that shows this serial number.",
                    3,
                ),
            ],
            status: "need_info",
            answer: None,
        },
        DemoCase {
            submitter: "installer@acme.example",
            case_type: "password_reset",
            method: "sadp",
            serial: "DS-2CD2143G2-I20210506AAWRF12345678",
            description: "",
            hours_ago: 26,
            history: &[
                ("taken", true, "", 1),
                ("answered", true, "Import this file in SADP.", 4),
            ],
            status: "resolved",
            answer: Some(("file", "")),
        },
        DemoCase {
            submitter: "reseller@acme.example",
            case_type: "password_reset",
            method: "other",
            serial: "D91234567",
            description: "",
            hours_ago: 24 * 9,
            history: &[
                ("taken", true, "", 5),
                (
                    "rejected",
                    true,
                    "The label photo does not show a serial number.",
                    6,
                ),
            ],
            status: "rejected",
            answer: None,
        },
        DemoCase {
            submitter: "installer@globex.example",
            case_type: "password_reset",
            method: "sadp",
            serial: "DS-7104NI-Q1/4P20190812CCWRG98765432",
            description: "Globex's own recorder.",
            hours_ago: 5,
            history: &[("taken", true, "", 1)],
            status: "in_progress",
            answer: None,
        },
    ];
    let support = user_id(conn, "support@hpp.example")?;
    let png = base64::engine::general_purpose::STANDARD
        .decode(TINY_PNG)
        .unwrap_or_default();
    let now = now_ms();
    for case in &cases {
        let submitter = user_id(conn, case.submitter)?;
        let filed = now - case.hours_ago * 3_600_000;
        let last = case
            .history
            .last()
            .map_or(filed, |h| filed + h.3 * 3_600_000);
        let (name, email, phone): (String, String, String) = conn.query_row(
            "SELECT name, email, phone FROM users WHERE id = ?1",
            params![submitter],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let owner = (!case.history.is_empty()).then_some(support);
        let case_id: i64 = conn.query_row(
            "INSERT INTO cases (company_id, submitter_id, case_type, method, serial, status,
                 contact_name, contact_email, contact_phone, description, owner_id,
                 created_at, updated_at)
             VALUES ((SELECT company_id FROM users WHERE id = ?1), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,
                 ?9, ?10, ?11, ?12) RETURNING id",
            params![
                submitter,
                case.case_type,
                case.method,
                case.serial,
                case.status,
                name,
                email,
                phone,
                case.description,
                owner,
                filed,
                last
            ],
            |r| r.get(0),
        )?;
        add_record(
            conn,
            case_id,
            submitter,
            api_types::RecordKind::Submitted,
            "",
            filed,
        )?;
        mark_seen(conn, submitter, case_id, filed)?;
        let files: Vec<(&str, &str, &str, Vec<u8>)> = if case.method == "sadp" {
            let serial = api_types::serial::Serial::parse(case.serial)
                .map(|s| s.as_str().to_owned())
                .unwrap_or_default();
            vec![(
                "device_file",
                "DeviceKey.xml",
                "application/xml",
                demo_export(&serial).into_bytes(),
            )]
        } else {
            vec![
                ("label_photo", "label.png", "image/png", png.clone()),
                ("qr_code", "sadp-qr.png", "image/png", png.clone()),
            ]
        };
        for (purpose, name, media_type, data) in files {
            insert_demo_file(conn, case_id, None, purpose, name, media_type, &data, filed)?;
        }
        let mut answer_record = None;
        for (kind, by_support, message, after) in case.history {
            let actor = if *by_support { support } else { submitter };
            let at = filed + after * 3_600_000;
            let record = add_record(
                conn,
                case_id,
                actor,
                api_types::RecordKind::parse(kind).unwrap_or(api_types::RecordKind::Taken),
                message,
                at,
            )?;
            if *kind == "answered" {
                answer_record = Some((record, at));
            }
        }
        if let (Some((kind, key)), Some((record, at))) = (case.answer, answer_record) {
            let expires = at + api_types::ANSWER_VALIDITY_HOURS * 3_600_000;
            let file_id = if kind == "file" {
                let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Encrypt><data>ZGVtby1yZXNldC1maWxl</data></Encrypt>\n";
                Some(insert_demo_file(
                    conn,
                    case_id,
                    Some(record),
                    "reset_file",
                    "Encrypt.xml",
                    "application/xml",
                    xml.as_bytes(),
                    at,
                )?)
            } else {
                None
            };
            conn.execute(
                "UPDATE cases SET answer_kind = ?2, answer_key = ?3, answer_file_id = ?4,
                     answer_expires_at = ?5 WHERE id = ?1",
                params![
                    case_id,
                    kind,
                    (kind == "key").then_some(key),
                    file_id,
                    expires
                ],
            )?;
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn insert_demo_file(
    conn: &Conn,
    case_id: i64,
    record_id: Option<i64>,
    purpose: &str,
    name: &str,
    media_type: &str,
    data: &[u8],
    at: i64,
) -> DbResult<i64> {
    let file = NewFile {
        purpose: purpose.into(),
        name: name.into(),
        media_type: media_type.into(),
        sha256: sha256_hex(data),
        data: data.to_vec(),
        object_key: None,
    };
    // The record's author uploaded it; files of the case itself come from its submitter.
    let uploader: i64 = conn.query_row(
        "SELECT COALESCE((SELECT actor_id FROM records WHERE id = ?2),
                         (SELECT submitter_id FROM cases WHERE id = ?1))",
        params![case_id, record_id],
        |r| r.get(0),
    )?;
    insert_file(conn, case_id, record_id, &file, uploader, at)
}
