//! The support side: the queue of open cases and the actions that move a case along.

use super::cases::{parse_query, visible_detail};
use crate::auth::User;
use crate::db::cases::{CaseAccess, NewAnswer, Scope, StatusChange};
use crate::db::{self, quota};
use crate::error::{AppError, AppResult};
use crate::extract::{AppJson, AppMultipart, AppPath};
use crate::uploads::{self, Accept};
use crate::AppState;
use api_types::{
    CaseDetail, CaseList, CaseStatus, CaseType, ErrorCode, FieldError, MessageBody, RecordKind,
};
use axum::extract::{RawQuery, State};
use axum::Json;
use rusqlite::Connection;

/// Open cases of every company, oldest first unless the query says otherwise.
pub async fn queue(
    State(state): State<AppState>,
    user: User,
    RawQuery(raw): RawQuery,
) -> AppResult<Json<CaseList>> {
    user.require_support()?;
    let mut query = parse_query(raw.as_deref());
    if !raw.as_deref().unwrap_or("").contains("sort=") {
        query.sort = api_types::CaseSort::UpdatedAsc;
    }
    let viewer = user.id;
    super::cases::expire_if_due(&state).await?;
    let list = state
        .db
        .read(move |conn| db::cases::list(conn, viewer, Scope::All, &query, true))
        .await?;
    Ok(Json(list))
}

/// Runs `change` on an open case inside a transaction, after the role and state checks.
async fn act<F>(state: &AppState, user: &User, id: i64, change: F) -> AppResult<Json<CaseDetail>>
where
    F: FnOnce(&Connection, &CaseAccess) -> AppResult<()> + Send + 'static,
{
    user.require_support()?;
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

fn message_body(body: MessageBody) -> AppResult<String> {
    let message = body.message.trim().to_owned();
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
    user: User,
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
            },
        )?;
        Ok(())
    })
    .await
}

/// A status change that carries support's message: asking for information, or rejecting.
async fn with_message(
    state: &AppState,
    user: &User,
    id: i64,
    body: MessageBody,
    kind: RecordKind,
    status: CaseStatus,
) -> AppResult<Json<CaseDetail>> {
    user.require_support()?;
    let message = message_body(body)?;
    let actor = user.id;
    act(state, user, id, move |conn, access| {
        require_open(access)?;
        db::cases::change_status(
            conn,
            StatusChange {
                case_id: id,
                actor_id: actor,
                kind,
                message: &message,
                status,
                take_ownership: access.owner_id.is_none(),
                files: vec![],
            },
        )?;
        Ok(())
    })
    .await
}

pub async fn request_info(
    State(state): State<AppState>,
    user: User,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<MessageBody>,
) -> AppResult<Json<CaseDetail>> {
    with_message(
        &state,
        &user,
        id,
        body,
        RecordKind::InfoRequested,
        CaseStatus::NeedInfo,
    )
    .await
}

pub async fn reject(
    State(state): State<AppState>,
    user: User,
    AppPath(id): AppPath<i64>,
    AppJson(body): AppJson<MessageBody>,
) -> AppResult<Json<CaseDetail>> {
    with_message(
        &state,
        &user,
        id,
        body,
        RecordKind::Rejected,
        CaseStatus::Rejected,
    )
    .await
}

pub async fn close(
    State(state): State<AppState>,
    user: User,
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
    user: User,
    AppPath(id): AppPath<i64>,
    AppMultipart(multipart): AppMultipart,
) -> AppResult<Json<CaseDetail>> {
    user.require_support()?;
    let mut form = uploads::read_form(multipart).await?;
    let message = form.text("message").to_owned();
    let key = form.text("key").to_owned();
    let unbound = form.text("unbound") == "true";
    let mut received = form.take_files("file");
    let file = match received.len() {
        0 => None,
        _ => Some(
            uploads::judge(received.swap_remove(0), "reset_file", Accept::Xml)
                .map_err(|e| AppError::fields(vec![e]))?,
        ),
    };
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
        let file_ids = db::cases::change_status(
            conn,
            StatusChange {
                case_id: id,
                actor_id: actor,
                kind: RecordKind::Answered,
                message: &message,
                status: CaseStatus::Resolved,
                take_ownership: access.owner_id.is_none(),
                files: file.into_iter().collect(),
            },
        )?;
        let answer = match file_ids.first() {
            Some(file_id) => NewAnswer::File(*file_id),
            None if unbound => NewAnswer::Unbound(&message),
            None => NewAnswer::Key(&key),
        };
        db::cases::set_answer(conn, id, answer)?;
        Ok(())
    })
    .await
}
