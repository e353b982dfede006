//! `/dev/mail`: the mails kept when no mail server is configured (`HPP_SMTP_URL` unset), so the
//! demo shows what partners would receive. Only mounted then. Signed in only: support sees
//! every mail, a partner the mails of the cases they may see. Plain text, never HTML.

use crate::auth::User;
use crate::db;
use crate::error::AppResult;
use crate::mail;
use crate::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use std::fmt::Write;

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/dev/mail", get(page))
        .with_state(state)
}

async fn page(State(state): State<AppState>, user: User) -> AppResult<impl IntoResponse> {
    let actor = user.actor();
    let mails = state
        .db
        .read(move |conn| -> AppResult<Vec<mail::StoredMail>> {
            let mails = mail::recent(conn, 200)?;
            let mut visible = Vec::with_capacity(mails.len());
            for m in mails {
                if db::cases::visible_access(conn, m.case_id, &actor)?.is_some() {
                    visible.push(m);
                }
            }
            Ok(visible)
        })
        .await?;
    let mut text =
        String::from("Mails kept by HPP Web (no HPP_SMTP_URL configured), newest first.\n\n");
    for m in &mails {
        let state = match (m.sent, m.kept) {
            (true, true) => "kept",
            (true, false) => "sent",
            (false, _) => "waiting",
        };
        let _ = write!(
            text,
            "#{} [{state}] {} to {}\nSubject: {}\n\n{}\n{}\n",
            m.id,
            m.kind,
            m.recipient,
            m.subject,
            m.body,
            "=".repeat(72)
        );
    }
    if mails.is_empty() {
        text.push_str("No mails yet.\n");
    }
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text))
}
