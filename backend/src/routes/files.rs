//! Downloading a case's stored file: only for who may see the case, always as an attachment,
//! under a name no program mistakes for something else.

use crate::auth::User;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::extract::AppPath;
use crate::uploads;
use crate::AppState;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

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
    let viewer = user.actor();
    let (meta, stored) = state
        .db
        .call(move |conn| -> AppResult<_> {
            db::cases::visible_access(conn, id, &viewer)?.ok_or_else(AppError::not_found)?;
            let file = db::cases::file(conn, id, file_id)?.ok_or_else(AppError::not_found)?;
            // The partner has their reset file: no reminder that it expires unfetched.
            if viewer.role != api_types::Role::Support {
                db::desk::mark_answer_retrieved(conn, id, Some(file_id))?;
            }
            Ok(file)
        })
        .await?;
    let bytes = state.files.read(stored).await?;
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
    fn dispositions_are_attachments_with_both_names() {
        let v = content_disposition("Encrypt ü.xml");
        assert_eq!(
            v.to_str().unwrap(),
            "attachment; filename=\"Encrypt _.xml\"; filename*=UTF-8''Encrypt%20%C3%BC.xml"
        );
    }
}
