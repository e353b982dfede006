//! The support desk's reads: the queue across companies, a case's workspace (the case, its
//! evidence read and checked, notes, colleagues), and the canned replies. Support only: a
//! partner gets 403 from each. Support's actions are in `support`.

use super::cases::{expire_if_due, visible_detail};
use super::devices::binding_view;
use crate::auth::Support;
use crate::db::{self, desk};
use crate::error::{AppError, AppResult};
use crate::extract::{AppJson, AppPath};
use crate::AppState;
use api_types::sadp::parse_export;
use api_types::serial::Serial;
use api_types::{
    CannedReplies, CannedReply, CannedReplyBody, Check, CheckName, CheckOutcome, DeskQuery,
    ErrorCode, ExportFacts, Queue, Workspace, MAX_TEXT_CHARS, MAX_TITLE_CHARS,
};
use axum::extract::{RawQuery, State};
use axum::Json;

pub async fn queue(
    State(state): State<AppState>,
    Support(user): Support,
    RawQuery(raw): RawQuery,
) -> AppResult<Json<Queue>> {
    let pairs: Vec<(String, String)> =
        form_urlencoded::parse(raw.as_deref().unwrap_or("").as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
    let query = DeskQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    expire_if_due(&state).await?;
    let viewer = user.id;
    let queue = state
        .db
        .read(move |conn| desk::queue(conn, viewer, &query, db::now_ms()))
        .await?;
    Ok(Json(queue))
}

pub async fn workspace(
    State(state): State<AppState>,
    Support(user): Support,
    AppPath(id): AppPath<i64>,
) -> AppResult<Json<Workspace>> {
    let case = visible_detail(&state, &user, id).await?;
    let viewer = user.id;
    let (facts, export_bytes, binding_row, same_device, notes, colleagues) = state
        .db
        .read(move |conn| -> AppResult<_> {
            let facts = desk::case_facts(conn, id)?.ok_or_else(AppError::not_found)?;
            let binding = db::devices::binding(conn, &facts.short_serial)?;
            let same = desk::same_device(conn, viewer, id, &facts.short_serial)?;
            Ok((
                facts,
                desk::device_file(conn, id)?,
                binding,
                same,
                desk::notes(conn, id)?,
                desk::colleagues(conn)?,
            ))
        })
        .await?;
    let export_bytes = match export_bytes {
        Some(stored) => Some(state.files.read(stored).await?),
        None => None,
    };
    let export = export_bytes
        .and_then(|bytes| parse_export(&bytes).ok())
        .map(|e| ExportFacts {
            serial: e.serial.as_str().to_owned(),
            model: e.model,
            mac: e.mac,
            firmware: e.firmware,
            exported_at: e.exported_at,
        });
    let qr_serial = Serial::find_in_text(&case.qr_payload).map(|s| s.as_str().to_owned());
    let binding = Serial::parse(&case.device.serial)
        .ok()
        .map(|serial| binding_view(&serial, binding_row.as_ref(), &facts.company_region));
    let mut checks = vec![
        serial_check(
            CheckName::SerialMatchesExport,
            &case.device.serial,
            export.as_ref().map(|e| e.serial.as_str()),
        ),
        serial_check(
            CheckName::SerialMatchesQr,
            &case.device.serial,
            qr_serial.as_deref(),
        ),
    ];
    if let Some(binding) = binding.as_ref().filter(|b| b.bound) {
        checks.push(Check {
            name: CheckName::Binding,
            outcome: CheckOutcome::Pass,
            values: vec![binding.masked_account.clone().unwrap_or_default()],
        });
        checks.push(Check {
            name: CheckName::SameRegion,
            outcome: if binding.same_region {
                CheckOutcome::Pass
            } else {
                CheckOutcome::Warn
            },
            values: vec![
                facts.company_region.clone(),
                binding.region.clone().unwrap_or_default(),
            ],
        });
    } else if binding.is_some() {
        // Not bound: nothing to unbind, which an unbinding case should not be about; a reset
        // needs no binding.
        checks.push(Check {
            name: CheckName::Binding,
            outcome: if case.summary.case_type == api_types::CaseType::Unbinding {
                CheckOutcome::Warn
            } else {
                CheckOutcome::Missing
            },
            values: vec![],
        });
    }
    checks.push(Check {
        name: CheckName::OtherCases,
        outcome: if same_device.iter().any(|c| c.status.is_open()) {
            CheckOutcome::Warn
        } else {
            CheckOutcome::Pass
        },
        values: same_device.iter().map(|c| c.number.clone()).collect(),
    });
    Ok(Json(Workspace {
        case,
        language: facts.language,
        export,
        qr_serial,
        binding,
        checks,
        same_device,
        notes,
        colleagues,
    }))
}

/// Whether the typed serial names the same device as the one found in the evidence.
fn serial_check(name: CheckName, typed: &str, found: Option<&str>) -> Check {
    let Some(found) = found else {
        return Check {
            name,
            outcome: CheckOutcome::Missing,
            values: vec![typed.to_owned()],
        };
    };
    let same = match (Serial::parse(typed), Serial::parse(found)) {
        (Ok(a), Ok(b)) => a.same_device(&b),
        _ => typed.eq_ignore_ascii_case(found),
    };
    Check {
        name,
        outcome: if same {
            CheckOutcome::Pass
        } else {
            CheckOutcome::Warn
        },
        values: vec![typed.to_owned(), found.to_owned()],
    }
}

pub async fn canned_replies(
    State(state): State<AppState>,
    Support(_): Support,
) -> AppResult<Json<CannedReplies>> {
    let items = state.db.read(desk::canned_replies).await?;
    Ok(Json(CannedReplies { items }))
}

pub async fn update_canned_reply(
    State(state): State<AppState>,
    Support(_): Support,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<CannedReplyBody>,
) -> AppResult<Json<CannedReply>> {
    let (title, text) = (body.title.trim().to_owned(), body.body.trim().to_owned());
    let mut errors = Vec::new();
    for (field, value, max) in [
        ("title", &title, MAX_TITLE_CHARS),
        ("body", &text, MAX_TEXT_CHARS),
    ] {
        if value.is_empty() {
            errors.push(api_types::FieldError::new(
                field,
                ErrorCode::Required,
                "Write something",
            ));
        } else if value.chars().count() > max {
            errors.push(api_types::FieldError::new(
                field,
                ErrorCode::TooLong,
                "This is too long",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::fields(errors));
    }
    let reply = state
        .db
        .call(move |conn| desk::update_canned_reply(conn, id, &title, &text))
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok(Json(reply))
}
