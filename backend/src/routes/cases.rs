//! The partner side of cases: list, file, read, reply, download.

use crate::auth::{sha256_hex, User};
use crate::db::cases::{self as store, NewCase, Scope, Transition};
use crate::db::quota;
use crate::error::{AppError, AppResult};
use crate::extract::{AppMultipart, AppPath};
use crate::uploads::{self, Accept, Form};
use crate::AppState;
use api_types::sadp::{parse_export, ExportError};
use api_types::serial::Serial;
use api_types::{
    CaseDetail, CaseList, CaseQuery, CaseStatus, CaseType, ErrorCode, FieldError, Method, Person,
    Problem, RecordKind, Role,
};
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rusqlite::OptionalExtension;

/// The header that makes creating a case safe to retry.
pub const IDEMPOTENCY_HEADER: &str = "idempotency-key";

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
    let scope = Scope::of(&user);
    expire_if_due(&state).await?;
    let viewer = user.id;
    let list = state
        .db
        .read(move |conn| Ok(store::list(conn, viewer, scope, &query, false)?))
        .await?;
    Ok(Json(list))
}

/// Expires answers past their 48 hours, writing only when there are some.
pub async fn expire_if_due(state: &AppState) -> AppResult<()> {
    if state.db.read(|conn| Ok(store::answers_due(conn)?)).await? {
        state
            .db
            .call(|conn| Ok(store::expire_answers(conn)?))
            .await?;
    }
    Ok(())
}

/// The case's access facts, if the user may see it; otherwise the case does not exist for them.
fn visible_access(
    conn: &rusqlite::Connection,
    id: i64,
    user: &User,
) -> AppResult<store::CaseAccess> {
    match store::access(conn, id)? {
        Some(access) if access.visible_to(user) => Ok(access),
        _ => Err(AppError::not_found()),
    }
}

/// Loads a case the user may see; a case they may not see does not exist for them (404, never
/// 403, so case numbers of other companies cannot be probed).
pub async fn visible_detail(state: &AppState, user: &User, id: i64) -> AppResult<CaseDetail> {
    let user = user.clone();
    expire_if_due(state).await?;
    state
        .db
        .call(move |conn| {
            visible_access(conn, id, &user)?;
            let detail = store::detail(conn, user.id, id)?.ok_or_else(AppError::not_found)?;
            // Mark seen as of the newest change actually shown, not of "now", so a change
            // landing right after this read still counts as new.
            let shown =
                conn.query_row("SELECT updated_at FROM cases WHERE id = ?1", [id], |r| {
                    r.get(0)
                })?;
            store::mark_seen(conn, user.id, id, shown)?;
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

/// Validates the case form; every complaint at once, so the user fixes them in one go.
fn validate_case(user: &User, mut form: Form) -> Result<NewCase, Vec<FieldError>> {
    let mut errors = std::mem::take(&mut form.errors);
    let required = |field: &str, errors: &mut Vec<FieldError>| {
        errors.push(FieldError::new(
            field,
            ErrorCode::Required,
            "This is required",
        ));
    };
    let case_type = CaseType::parse(form.text("case_type"));
    if case_type.is_none() {
        required("case_type", &mut errors);
    }
    let method = Method::parse(form.text("method"));
    if method.is_none() {
        required("method", &mut errors);
    }
    if case_type == Some(CaseType::Unbinding) && !user.company.verified {
        errors.push(FieldError::new(
            "case_type",
            ErrorCode::CompanyNotVerified,
            "Only company-authenticated accounts may file unbinding cases",
        ));
    }
    // The region code inside a serial is the market the device was built for, not where it is
    // registered: it decides nothing here. Support sees the registration region on the case.
    let serial = match Serial::parse(form.text("serial")) {
        Ok(serial) => Some(serial),
        Err(api_types::serial::SerialError::Empty) => {
            required("serial", &mut errors);
            None
        }
        Err(e) => {
            errors.push(FieldError::new(
                "serial",
                ErrorCode::InvalidSerial,
                e.to_string(),
            ));
            None
        }
    };
    let contact = Person {
        name: form.text("contact_name").to_owned(),
        email: form.text("contact_email").to_owned(),
        phone: form.text("contact_phone").to_owned(),
    };
    if contact.name.is_empty() {
        required("contact_name", &mut errors);
    }
    if contact.email.is_empty() {
        required("contact_email", &mut errors);
    } else if !api_types::looks_like_email(&contact.email) {
        errors.push(FieldError::new(
            "contact_email",
            ErrorCode::InvalidEmail,
            "Enter an email address like name@example.com",
        ));
    }
    if form.text("agreement") != "true" {
        errors.push(FieldError::new(
            "agreement",
            ErrorCode::AgreementRequired,
            "Accept the agreement to submit the case",
        ));
    }
    let mut files = Vec::new();
    let take_one = |form: &mut Form, field: &str, accept: Accept, errors: &mut Vec<_>| {
        let mut uploads = form.take_files(field);
        if uploads.is_empty() {
            required(field, errors);
            return None;
        }
        match uploads::judge(uploads.swap_remove(0), field, accept) {
            Ok(file) => Some(file),
            Err(e) => {
                errors.push(e);
                None
            }
        }
    };
    match method {
        Some(Method::Sadp) => {
            if let Some(file) = take_one(&mut form, "device_file", Accept::Xml, &mut errors) {
                match parse_export(&file.data) {
                    Ok(export) => {
                        errors.extend(mismatch(serial.as_ref(), &export.serial, "device_file"));
                        files.push(file);
                    }
                    Err(e) => {
                        let code = match e {
                            ExportError::TooLarge => ErrorCode::FileTooLarge,
                            _ => ErrorCode::InvalidXml,
                        };
                        errors.push(FieldError::new("device_file", code, e.to_string()));
                    }
                }
            }
        }
        Some(Method::Other) => {
            for field in ["label_photo", "qr_code"] {
                if let Some(file) = take_one(&mut form, field, Accept::Image, &mut errors) {
                    files.push(file);
                }
            }
        }
        None => {}
    }
    let description = form.text("description").to_owned();
    let qr_payload = form.text("qr_payload").to_owned();
    if method == Some(Method::Other) {
        if let Some(in_code) = Serial::find_in_text(&qr_payload) {
            errors.extend(mismatch(serial.as_ref(), &in_code, "qr_code"));
        }
    }
    match (case_type, method, serial) {
        (Some(case_type), Some(method), Some(serial)) if errors.is_empty() => Ok(NewCase {
            case_type,
            method,
            serial: serial.as_str().to_owned(),
            contact,
            description,
            qr_payload,
            files,
        }),
        _ => Err(errors),
    }
}

/// The complaint when the typed serial names another device than the one `source` carries.
fn mismatch(typed: Option<&Serial>, found: &Serial, source: &str) -> Option<FieldError> {
    let typed = typed.filter(|typed| !typed.same_device(found))?;
    Some(
        FieldError::new(
            "serial",
            ErrorCode::SerialMismatch,
            format!(
                "The serial number {} differs from {} in the {source}",
                typed.as_str(),
                found.as_str()
            ),
        )
        .with_value("typed", typed.as_str())
        .with_value("found", found.as_str())
        .with_value("source", source),
    )
}

/// A fingerprint of what was submitted, so a reused idempotency key with another body is caught.
fn request_fingerprint(case: &NewCase) -> String {
    let mut text = format!(
        "{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}",
        case.case_type.as_str(),
        case.method.as_str(),
        case.serial,
        case.contact.name,
        case.contact.email,
        case.contact.phone,
        case.description,
        case.qr_payload
    );
    for file in &case.files {
        text.push_str(&format!("\n{}:{}", file.purpose, file.sha256));
    }
    sha256_hex(text.as_bytes())
}

pub async fn create(
    State(state): State<AppState>,
    user: User,
    headers: HeaderMap,
    AppMultipart(multipart): AppMultipart,
) -> AppResult<Response> {
    if user.role == Role::Support {
        return Err(AppError::forbidden());
    }
    let key = headers
        .get(IDEMPOTENCY_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 200)
        .map(str::to_owned)
        .ok_or_else(|| {
            AppError::field(
                "Idempotency-Key",
                ErrorCode::Required,
                "Send an Idempotency-Key header (one per case draft)",
            )
        })?;
    let form = uploads::read_form(multipart).await?;
    let case = validate_case(&user, form).map_err(AppError::fields)?;
    let fingerprint = request_fingerprint(&case);
    let creator = user.clone();
    let per_hour = state.config.upload_bytes_per_hour;
    let (id, created) = state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            let earlier: Option<(String, i64)> = tx
                .query_row(
                    "SELECT request_hash, case_id FROM idempotency_keys
                     WHERE user_id = ?1 AND key = ?2",
                    rusqlite::params![creator.id, key],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            if let Some((hash, case_id)) = earlier {
                return if hash == fingerprint {
                    Ok((case_id, false))
                } else {
                    Err(Problem::new(
                        ErrorCode::IdempotencyKeyReused,
                        "This Idempotency-Key was used for a different case",
                    )
                    .into())
                };
            }
            let bytes = case.files.iter().map(|f| f.data.len() as u64).sum();
            quota::check_bytes_per_hour(&tx, creator.id, bytes, per_hour, crate::db::now_ms())?;
            let case_id = store::insert(&tx, &creator, &case)?;
            tx.execute(
                "INSERT INTO idempotency_keys (user_id, key, request_hash, case_id, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                rusqlite::params![creator.id, key, fingerprint, case_id, crate::db::now_ms()],
            )?;
            tx.commit()?;
            Ok((case_id, true))
        })
        .await?;
    let detail = visible_detail(&state, &user, id).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let mut response = (status, Json(detail)).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/cases/{id}")) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
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
    for upload in form.take_files("attachment") {
        match uploads::judge(upload, "attachment", Accept::Document) {
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
    let actor = user.clone();
    let per_hour = state.config.upload_bytes_per_hour;
    state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            let access = visible_access(&tx, id, &actor)?;
            if !access.status.is_open() {
                return Err(AppError::invalid_state(
                    "Closed cases take no more messages",
                ));
            }
            quota::check_files_per_case(&tx, id, files.len())?;
            let bytes = files.iter().map(|f| f.data.len() as u64).sum();
            quota::check_bytes_per_hour(&tx, actor.id, bytes, per_hour, crate::db::now_ms())?;
            // A partner's answer to a question puts the case back in support's hands.
            let status = match access.status {
                CaseStatus::NeedInfo if access.owner_id.is_some() => CaseStatus::InProgress,
                CaseStatus::NeedInfo => CaseStatus::Submitted,
                s => s,
            };
            store::transition(
                &tx,
                Transition {
                    case_id: id,
                    actor_id: actor.id,
                    kind: RecordKind::Replied,
                    message: &message,
                    status,
                    take_ownership: false,
                    files,
                },
            )?;
            tx.commit()?;
            Ok(())
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(visible_detail(&state, &user, id).await?),
    ))
}

/// RFC 6266 `attachment` with an ASCII fallback and the exact UTF-8 name.
fn content_disposition(name: &str) -> HeaderValue {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

pub async fn download(
    State(state): State<AppState>,
    user: User,
    AppPath((id, file_id)): AppPath<(i64, i64)>,
) -> AppResult<Response> {
    let (meta, bytes) = state
        .db
        .call(move |conn| {
            visible_access(conn, id, &user)?;
            store::file(conn, id, file_id)?.ok_or_else(AppError::not_found)
        })
        .await?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&meta.media_type)
            .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream")),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        content_disposition(&uploads::safe_file_name(&meta.name)),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn dispositions_are_attachments_with_both_names() {
        let v = content_disposition("Encrypt ü.xml");
        assert_eq!(
            v.to_str().unwrap(),
            "attachment; filename=\"Encrypt _.xml\"; filename*=UTF-8''Encrypt%20%C3%BC.xml"
        );
    }
}
