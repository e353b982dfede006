//! Devices: the binding look-up (is a device bound, to which account (masked), registered in
//! which region), and the open cases a company already has for one.

use crate::auth::User;
use crate::db::devices;
use crate::error::{AppError, AppResult};
use crate::extract::AppPath;
use crate::AppState;
use api_types::serial::Serial;
use api_types::{mask_account, Binding, CaseType, ErrorCode, OpenCases};
use axum::extract::{RawQuery, State};
use axum::Json;

fn parse_serial(serial: &str) -> AppResult<Serial> {
    Serial::parse(serial)
        .map_err(|e| AppError::field("serial", ErrorCode::InvalidSerial, &e.to_string()))
}

pub async fn binding(
    State(state): State<AppState>,
    user: User,
    AppPath(serial): AppPath<String>,
) -> AppResult<Json<Binding>> {
    let serial = parse_serial(&serial)?;
    let short = serial.short().to_owned();
    let row = state
        .db
        .read(move |conn| devices::binding(conn, &short))
        .await?;
    Ok(Json(binding_view(
        &serial,
        row.as_ref(),
        &user.company.region,
    )))
}

/// What the look-up shows of a binding to someone in `region`: the account masked.
pub fn binding_view(serial: &Serial, row: Option<&devices::BindingRow>, region: &str) -> Binding {
    let bound_region = row.map(|row| row.region.clone());
    Binding {
        serial: serial.as_str().to_owned(),
        bound: row.is_some(),
        masked_account: row.map(|row| mask_account(&row.account)),
        same_region: bound_region.as_deref().is_none_or(|r| r == region),
        region: bound_region,
    }
}

/// Whether the company already has an open case of this kind for the device: the wizard says
/// so before submit (filing stays possible).
pub async fn open_cases(
    State(state): State<AppState>,
    user: User,
    AppPath(serial): AppPath<String>,
    RawQuery(query): RawQuery,
) -> AppResult<Json<OpenCases>> {
    let serial = parse_serial(&serial)?;
    let case_type = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(key, _)| key == "type")
        .and_then(|(_, value)| CaseType::parse(&value))
        .ok_or_else(|| {
            AppError::field(
                "type",
                ErrorCode::ValidationFailed,
                "Name the case type: type=password_reset or type=unbinding",
            )
        })?;
    let short = serial.short().to_owned();
    let actor = user.actor();
    let items = state
        .db
        .read(move |conn| devices::open_cases(conn, &actor, &short, case_type))
        .await?;
    Ok(Json(OpenCases { items }))
}
