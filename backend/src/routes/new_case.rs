//! Filing a case: the form's validation (every complaint at once), and the idempotency key
//! that makes a retried submit give back the case filed the first time.

use super::cases::visible_detail;
use crate::auth::User;
use crate::db::{self, cases::Filing, cases::NewCase};
use crate::digest::sha256_hex;
use crate::error::{AppError, AppResult};
use crate::extract::AppMultipart;
use crate::uploads::{self, Accept, Form};
use crate::AppState;
use api_types::sadp::{parse_export, ExportError};
use api_types::serial::Serial;
use api_types::{CaseType, ErrorCode, FieldError, Method, Person, Role};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

/// The header that makes creating a case safe to retry.
pub const IDEMPOTENCY_HEADER: &str = "idempotency-key";

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
    if !contact.phone.is_empty() && !api_types::looks_like_phone(&contact.phone) {
        errors.push(FieldError::new(
            "contact_phone",
            ErrorCode::InvalidPhone,
            "Enter a phone number in digits, like +49 30 1234567",
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
        let mut received = form.take_files(field);
        if received.is_empty() {
            required(field, errors);
            return None;
        }
        match uploads::judge(received.swap_remove(0), field, accept) {
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
    let mut case = validate_case(&user, form).map_err(AppError::fields)?;
    let fingerprint = request_fingerprint(&case);
    // A repeat (the answer to the first try was lost) is answered before its files are stored
    // again. Two tries at once both store; the transaction below still files once.
    let (user_id, asked_key, asked_print) = (user.id, key.clone(), fingerprint.clone());
    let earlier = state
        .db
        .read(move |conn| {
            db::cases::case_of_idempotency_key(conn, user_id, &asked_key, &asked_print)
        })
        .await?;
    let filing = match earlier {
        Some(id) => Filing::Repeated(id),
        None => {
            uploads::keep(&state, user.id, &mut case.files).await?;
            let submitter = user.actor();
            let per_hour = state.config.upload_bytes_per_hour;
            state
                .db
                .transaction(move |tx| {
                    db::cases::file_once(tx, &submitter, &key, &fingerprint, &case, per_hour)
                })
                .await?
        }
    };
    let (id, status) = match filing {
        Filing::New(id) => (id, StatusCode::CREATED),
        Filing::Repeated(id) => (id, StatusCode::OK),
    };
    let detail = visible_detail(&state, &user, id).await?;
    let mut response = (status, Json(detail)).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/cases/{id}")) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}
