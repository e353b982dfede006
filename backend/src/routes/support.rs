//! Support's actions on a case: take or assign it, ask for information, answer, reject, close,
//! and internal notes. Each status change writes its record, and the partner's mail when it is
//! news to them, in one transaction. The queue and the workspace's reads are in `desk`.

use super::cases::visible_detail;
use crate::auth::{Support, User};
use crate::db::cases::{CaseAccess, NewAnswer, StatusChange};
use crate::db::sql::Conn;
use crate::db::{self, quota};
use crate::error::{AppError, AppResult};
use crate::extract::{AppJson, AppMultipart, AppPath};
use crate::mail::{self, News};
use crate::uploads::{self, Accept};
use crate::AppState;
use api_types::{
    AssignBody, CaseDetail, CaseStatus, CaseType, ErrorCode, FieldError, MessageBody, Note,
    NoteBody, RecordKind, RejectBody, RejectReason,
};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;

/// Runs `change` on a case inside a transaction, after the role check.
async fn act<F>(state: &AppState, user: &User, id: i64, change: F) -> AppResult<Json<CaseDetail>>
where
    F: FnOnce(&Conn, &CaseAccess) -> AppResult<()> + Send + 'static,
{
    state
        .db
        .transaction(move |tx| {
            let access = db::cases::access(tx, id)?.ok_or_else(AppError::not_found)?;
            change(tx, &access)
        })
        .await?;
    Ok(Json(visible_detail(state, user, id).await?))
}

fn require_open(access: &CaseAccess) -> AppResult<()> {
    if access.status.is_open() {
        Ok(())
    } else {
        Err(AppError::invalid_state("The case is already finished"))
    }
}

/// A message support writes: required, and not longer than the contract allows.
fn required_text(message: &str) -> AppResult<String> {
    let message = message.trim().to_owned();
    if message.is_empty() {
        return Err(AppError::field(
            "message",
            ErrorCode::Required,
            "Write a message",
        ));
    }
    if message.chars().count() > api_types::MAX_TEXT_CHARS {
        return Err(AppError::field(
            "message",
            ErrorCode::TooLong,
            "The message is too long",
        ));
    }
    Ok(message)
}

pub async fn take(
    State(state): State<AppState>,
    Support(user): Support,
    AppPath(id): AppPath<i64>,
) -> AppResult<Json<CaseDetail>> {
    let actor = user.id;
    act(&state, &user, id, move |conn, access| {
        require_open(access)?;
        let status = match access.status {
            CaseStatus::NeedInfo => CaseStatus::NeedInfo,
            _ => CaseStatus::InProgress,
        };
        db::cases::change_status(
            conn,
            StatusChange {
                case_id: id,
                actor_id: actor,
                kind: RecordKind::Taken,
                message: "",
                status,
                take_ownership: true,
                files: vec![],
                reason: None,
            },
        )?;
        Ok(())
    })
    .await
}

/// A status change that carries support's message and tells the partner by mail: asking for
/// information, or rejecting.
async fn tell_partner(
    state: &AppState,
    user: &User,
    id: i64,
    message: String,
    status: CaseStatus,
    news: News,
) -> AppResult<Json<CaseDetail>> {
    let actor = user.id;
    let public_url = state.config.public_url.clone();
    let (kind, reason) = match news {
        News::Rejected(reason) => (RecordKind::Rejected, Some(reason)),
        _ => (RecordKind::InfoRequested, None),
    };
    act(state, user, id, move |conn, access| {
        require_open(access)?;
        let changed = db::cases::change_status(
            conn,
            StatusChange {
                case_id: id,
                actor_id: actor,
                kind,
                message: &message,
                status,
                take_ownership: access.owner_id.is_none(),
                files: vec![],
                reason,
            },
        )?;
        mail::enqueue(conn, &public_url, id, news, changed.record_id)?;
        Ok(())
    })
    .await
}

pub async fn request_info(
    State(state): State<AppState>,
    Support(user): Support,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<MessageBody>,
) -> AppResult<Json<CaseDetail>> {
    let message = required_text(&body.message)?;
    tell_partner(
        &state,
        &user,
        id,
        message,
        CaseStatus::NeedInfo,
        News::InfoRequested,
    )
    .await
}

/// Rejects with a reason from the list; the free text is required when the reason is `other`.
pub async fn reject(
    State(state): State<AppState>,
    Support(user): Support,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<RejectBody>,
) -> AppResult<Json<CaseDetail>> {
    let message = match body.reason {
        RejectReason::Other => required_text(&body.message)?,
        _ if body.message.trim().is_empty() => String::new(),
        _ => required_text(&body.message)?,
    };
    tell_partner(
        &state,
        &user,
        id,
        message,
        CaseStatus::Rejected,
        News::Rejected(body.reason),
    )
    .await
}

/// Gives an open case to a support engineer (oneself or a colleague).
pub async fn assign(
    State(state): State<AppState>,
    Support(user): Support,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<AssignBody>,
) -> AppResult<Json<CaseDetail>> {
    let actor = user.id;
    act(&state, &user, id, move |conn, access| {
        require_open(access)?;
        let name = db::desk::colleague_name(conn, body.user_id)?.ok_or_else(|| {
            AppError::field(
                "user_id",
                ErrorCode::ValidationFailed,
                "Cases can be assigned to support accounts only",
            )
        })?;
        let status = match access.status {
            CaseStatus::Submitted => CaseStatus::InProgress,
            other => other,
        };
        db::cases::change_status(
            conn,
            StatusChange {
                case_id: id,
                actor_id: actor,
                kind: RecordKind::Assigned,
                message: &name,
                status,
                take_ownership: false,
                files: vec![],
                reason: None,
            },
        )?;
        db::desk::set_owner(conn, id, body.user_id)?;
        Ok(())
    })
    .await
}

/// Adds an internal note: support sees it in the workspace; partners never do.
pub async fn add_note(
    State(state): State<AppState>,
    Support(user): Support,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<NoteBody>,
) -> AppResult<(StatusCode, Json<Note>)> {
    let message = required_text(&body.message)?;
    let author = user.id;
    let note = state
        .db
        .transaction(move |tx| -> AppResult<Note> {
            db::cases::access(tx, id)?.ok_or_else(AppError::not_found)?;
            let note_id = db::desk::add_note(tx, id, author, &message)?;
            let notes = db::desk::notes(tx, id)?;
            notes
                .into_iter()
                .find(|n| n.id == note_id)
                .ok_or_else(AppError::not_found)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(note)))
}

pub async fn close(
    State(state): State<AppState>,
    Support(user): Support,
    AppPath(id): AppPath<i64>,
) -> AppResult<Json<CaseDetail>> {
    let actor = user.id;
    act(&state, &user, id, move |conn, access| {
        if access.status == CaseStatus::Closed {
            return Err(AppError::invalid_state("The case is already closed"));
        }
        db::cases::change_status(
            conn,
            StatusChange {
                case_id: id,
                actor_id: actor,
                kind: RecordKind::Closed,
                message: "",
                status: CaseStatus::Closed,
                take_ownership: false,
                files: vec![],
                reason: None,
            },
        )?;
        Ok(())
    })
    .await
}

/// Whether `key` is a reset key as SADP takes it: 8 letters and digits.
pub fn is_reset_key(key: &str) -> bool {
    key.len() == 8 && key.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Answers with a key (`key`), a reset file (`file`), or for unbinding with `unbound=true`.
pub async fn answer(
    State(state): State<AppState>,
    Support(user): Support,
    AppPath(id): AppPath<i64>,
    AppMultipart(multipart): AppMultipart,
) -> AppResult<Json<CaseDetail>> {
    let mut form = uploads::read_form(multipart).await?;
    let message = form.text("message").to_owned();
    let key = form.text("key").to_owned();
    let unbound = form.text("unbound") == "true";
    let mut received = form.take_files("file");
    let mut file = match received.len() {
        0 => None,
        _ => Some(
            uploads::judge(received.swap_remove(0), "reset_file", Accept::Xml)
                .map_err(|e| AppError::fields(vec![e]))?,
        ),
    };
    if file
        .as_ref()
        .is_some_and(|f| f.data.len() > api_types::MAX_XML_BYTES)
    {
        return Err(AppError::field(
            "file",
            ErrorCode::FileTooLarge,
            &format!(
                "A reset file is at most {}",
                api_types::size_text(api_types::MAX_XML_BYTES)
            ),
        ));
    }
    let chosen = usize::from(!key.is_empty()) + usize::from(file.is_some()) + usize::from(unbound);
    if chosen != 1 {
        return Err(AppError::fields(vec![FieldError::new(
            "key",
            ErrorCode::Required,
            "Answer with exactly one of: a key, a reset file, or unbound=true",
        )]));
    }
    if !key.is_empty() && !is_reset_key(&key) {
        return Err(AppError::field(
            "key",
            ErrorCode::InvalidKey,
            "A key is 8 letters and digits",
        ));
    }
    let actor = user.id;
    let per_hour = state.config.upload_bytes_per_hour;
    let public_url = state.config.public_url.clone();
    if let Some(file) = file.as_mut() {
        uploads::keep(&state, actor, std::slice::from_mut(file)).await?;
    }
    act(&state, &user, id, move |conn, access| {
        require_open(access)?;
        if let Some(file) = &file {
            quota::check_files_per_case(conn, id, 1)?;
            quota::check_bytes_per_hour(
                conn,
                actor,
                file.data.len() as u64,
                per_hour,
                db::now_ms(),
            )?;
        }
        if unbound && access.case_type != CaseType::Unbinding {
            return Err(AppError::field(
                "unbound",
                ErrorCode::ValidationFailed,
                "Only unbinding cases can be answered as unbound",
            ));
        }
        let changed = db::cases::change_status(
            conn,
            StatusChange {
                case_id: id,
                actor_id: actor,
                kind: RecordKind::Answered,
                message: &message,
                status: CaseStatus::Resolved,
                take_ownership: access.owner_id.is_none(),
                files: file.into_iter().collect(),
                reason: None,
            },
        )?;
        let answer = match changed.file_ids.first() {
            Some(file_id) => NewAnswer::File(*file_id),
            None if unbound => NewAnswer::Unbound(&message),
            None => NewAnswer::Key(&key),
        };
        db::cases::set_answer(conn, id, answer)?;
        mail::enqueue(conn, &public_url, id, News::Answered, changed.record_id)?;
        Ok(())
    })
    .await
}
