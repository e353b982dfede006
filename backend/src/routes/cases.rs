//! The partner side of cases: the list, the details, and replies. Filing a case is in
//! `new_case`, downloading a file in `files`; support's actions are in `support`.

use crate::auth::User;
use crate::db::{self, cases::StatusChange, quota};
use crate::error::{AppError, AppResult};
use crate::extract::{AppMultipart, AppPath};
use crate::uploads::{self, Accept};
use crate::AppState;
use api_types::{
    CaseDetail, CaseList, CaseQuery, CaseStatus, ErrorCode, FieldError, RecordKind, Role,
};
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::Json;

pub fn parse_query(raw: Option<&str>) -> CaseQuery {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(raw.unwrap_or("").as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    CaseQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

pub async fn list(
    State(state): State<AppState>,
    user: User,
    RawQuery(raw): RawQuery,
) -> AppResult<Json<CaseList>> {
    let query = parse_query(raw.as_deref());
    let scope = db::cases::Scope::of(&user.actor());
    expire_if_due(&state).await?;
    let viewer = user.id;
    let list = state
        .db
        .read(move |conn| db::cases::list(conn, viewer, scope, &query, false))
        .await?;
    Ok(Json(list))
}

/// Expires answers past their 48 hours, writing only when there are some.
pub async fn expire_if_due(state: &AppState) -> AppResult<()> {
    if state.db.read(db::cases::answers_due).await? {
        state.db.call(db::cases::expire_answers).await?;
    }
    Ok(())
}

/// Loads a case the user may see; a case they may not see does not exist for them (404, never
/// 403, so case numbers of other companies cannot be probed).
pub async fn visible_detail(state: &AppState, user: &User, id: i64) -> AppResult<CaseDetail> {
    let viewer = user.actor();
    expire_if_due(state).await?;
    state
        .db
        .call(move |conn| -> AppResult<CaseDetail> {
            db::cases::visible_access(conn, id, &viewer)?.ok_or_else(AppError::not_found)?;
            let detail = db::cases::detail(conn, viewer.id, id)?.ok_or_else(AppError::not_found)?;
            db::cases::mark_seen_as_shown(conn, viewer.id, id)?;
            Ok(detail)
        })
        .await
}

pub async fn detail(
    State(state): State<AppState>,
    user: User,
    AppPath(id): AppPath<i64>,
) -> AppResult<Json<CaseDetail>> {
    Ok(Json(visible_detail(&state, &user, id).await?))
}

/// The partner answers support's question (or adds information) with text and files.
pub async fn reply(
    State(state): State<AppState>,
    user: User,
    AppPath(id): AppPath<i64>,
    AppMultipart(multipart): AppMultipart,
) -> AppResult<(StatusCode, Json<CaseDetail>)> {
    // The partner's reply is the partner's: support asks through request-info instead.
    if user.role == Role::Support {
        return Err(AppError::forbidden());
    }
    let mut form = uploads::read_form(multipart).await?;
    let message = form.text("message").to_owned();
    let mut files = Vec::new();
    let mut errors = std::mem::take(&mut form.errors);
    for received in form.take_files("attachment") {
        match uploads::judge(received, "attachment", Accept::Document) {
            Ok(file) => files.push(file),
            Err(e) => errors.push(e),
        }
    }
    if message.is_empty() && files.is_empty() && errors.is_empty() {
        errors.push(FieldError::new(
            "message",
            ErrorCode::Required,
            "Write a message or attach a file",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::fields(errors));
    }
    let actor = user.actor();
    let per_hour = state.config.upload_bytes_per_hour;
    uploads::keep(&state, user.id, &mut files).await?;
    state
        .db
        .transaction(move |tx| -> AppResult<()> {
            let access =
                db::cases::visible_access(tx, id, &actor)?.ok_or_else(AppError::not_found)?;
            if !access.status.is_open() {
                return Err(AppError::invalid_state(
                    "Closed cases take no more messages",
                ));
            }
            quota::check_files_per_case(tx, id, files.len())?;
            let bytes = files.iter().map(|f| f.data.len() as u64).sum();
            quota::check_bytes_per_hour(tx, actor.id, bytes, per_hour, db::now_ms())?;
            // A partner's answer to a question puts the case back in support's hands.
            let status = match access.status {
                CaseStatus::NeedInfo if access.owner_id.is_some() => CaseStatus::InProgress,
                CaseStatus::NeedInfo => CaseStatus::Submitted,
                s => s,
            };
            db::cases::change_status(
                tx,
                StatusChange {
                    case_id: id,
                    actor_id: actor.id,
                    kind: RecordKind::Replied,
                    message: &message,
                    status,
                    take_ownership: false,
                    files,
                    reason: None,
                },
            )?;
            Ok(())
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(visible_detail(&state, &user, id).await?),
    ))
}

/// The partner copied the key (the app says so): no reminder that it expires unfetched.
pub async fn answer_retrieved(
    State(state): State<AppState>,
    user: User,
    AppPath(id): AppPath<i64>,
) -> AppResult<StatusCode> {
    let viewer = user.actor();
    state
        .db
        .call(move |conn| -> AppResult<()> {
            db::cases::visible_access(conn, id, &viewer)?.ok_or_else(AppError::not_found)?;
            if viewer.role != Role::Support {
                db::desk::mark_answer_retrieved(conn, id, None)?;
            }
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use api_types::CaseType;

    #[test]
    fn query_strings_decode() {
        let q = parse_query(Some(
            "type=unbinding&q=HPP-000001%20&page=2&status=need_info",
        ));
        assert_eq!(q.case_type, Some(CaseType::Unbinding));
        assert_eq!(q.status, Some(CaseStatus::NeedInfo));
        assert_eq!(q.q, "HPP-000001");
        assert_eq!(q.page, 2);
    }
}
