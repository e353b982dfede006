//! Device binding look-up: is a device bound to an account, which (masked), in which region.

use crate::auth::User;
use crate::error::{AppError, AppResult};
use crate::AppState;
use api_types::serial::Serial;
use api_types::{mask_account, Binding, ErrorCode};
use axum::extract::{Path, State};
use axum::Json;
use rusqlite::OptionalExtension;

pub async fn binding(
    State(state): State<AppState>,
    user: User,
    Path(serial): Path<String>,
) -> AppResult<Json<Binding>> {
    let serial = Serial::parse(&serial)
        .map_err(|e| AppError::field("serial", ErrorCode::InvalidSerial, &e.to_string()))?;
    let short = serial.short().to_owned();
    let row: Option<(String, String)> = state
        .db
        .call(move |conn| {
            Ok(conn
                .query_row(
                    "SELECT account, region FROM device_bindings WHERE short_serial = ?1",
                    [&short],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?)
        })
        .await?;
    let region = row.as_ref().map(|(_, region)| region.clone());
    Ok(Json(Binding {
        serial: serial.as_str().to_owned(),
        bound: row.is_some(),
        masked_account: row.as_ref().map(|(account, _)| mask_account(account)),
        same_region: region.as_deref().is_none_or(|r| r == user.company.region),
        region,
    }))
}
