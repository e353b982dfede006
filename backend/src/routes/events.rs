//! `GET /api/v1/events`: server-sent events telling an open page that a case it may see changed
//! (`?case={id}`: that case only). Each event is `change` with the case's id; the page then asks
//! for what it shows through the usual endpoints. The first event, `ready`, carries the stream's
//! starting id, so a browser that reconnects sends `Last-Event-ID` and hears, in one `change`,
//! whether it missed anything. The stream ends when the session does.

use crate::auth::User;
use crate::db::{self, Actor};
use crate::error::{AppError, AppResult};
use crate::events::{self, Event};
use crate::AppState;
use api_types::ErrorCode;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::sse::{self, KeepAlive, Sse};
use futures_util::stream::{self, Stream};
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::{self, error::RecvError};
use tokio::sync::watch;
use tokio::time::Instant;

/// How often a stream checks that its session is still alive (signed out elsewhere, expired).
const SESSION_CHECK: Duration = Duration::from_secs(60);
/// A comment this often keeps proxies from closing a quiet stream.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

pub async fn follow(
    State(state): State<AppState>,
    user: User,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> AppResult<Sse<impl Stream<Item = Result<sse::Event, Infallible>>>> {
    let actor = user.actor();
    let case_id = case_of_query(raw.as_deref())?;
    if let Some(id) = case_id {
        state
            .db
            .read(move |conn| db::cases::visible_access(conn, id, &actor))
            .await?
            .ok_or_else(AppError::not_found)?;
    }
    let last_seen = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok());
    let events::Subscription {
        receiver,
        start,
        closing,
    } = state.events.subscribe().await?;
    // Subscribed first, then asked what was missed: a change committed in between is heard
    // twice at worst, never lost.
    let first = match last_seen {
        Some(after) => {
            let missed = state
                .db
                .read(move |conn| events::missed(conn, &actor, after, case_id))
                .await?;
            match missed {
                // Which case is not said: the page asks again for whatever it shows.
                Some(id) => change(id.max(start), None),
                None => ready(start.max(after)),
            }
        }
        None => ready(start),
    };
    let follower = Follower {
        receiver,
        closing,
        actor,
        case_id,
        last_sent: start,
        first: Some(first),
        state,
        token_hash: user.token_hash.clone(),
        check_session_at: Instant::now() + SESSION_CHECK,
    };
    let stream = stream::unfold(follower, |mut follower| async move {
        let event = follower.next().await?;
        Some((Ok(event), follower))
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)))
}

/// One open stream: what it listens to and for whom.
struct Follower {
    receiver: broadcast::Receiver<Arc<Event>>,
    closing: watch::Receiver<u64>,
    actor: Actor,
    case_id: Option<i64>,
    last_sent: i64,
    first: Option<sse::Event>,
    state: AppState,
    token_hash: String,
    check_session_at: Instant,
}

impl Follower {
    /// The next event to send, or `None` when the stream is over.
    async fn next(&mut self) -> Option<sse::Event> {
        if let Some(first) = self.first.take() {
            return Some(first);
        }
        loop {
            tokio::select! {
                _ = self.closing.changed() => return None,
                received = self.receiver.recv() => match received {
                    Ok(event) => {
                        let wanted = event.id > self.last_sent
                            && self.case_id.is_none_or(|id| id == event.case_id)
                            && event.audible_to(&self.actor);
                        if wanted {
                            self.last_sent = event.id;
                            return Some(change(event.id, Some(event.case_id)));
                        }
                    }
                    // Fell behind: whatever was dropped, the page fetches everything once.
                    Err(RecvError::Lagged(_)) => return Some(change(self.last_sent, None)),
                    Err(RecvError::Closed) => return None,
                },
                () = tokio::time::sleep_until(self.check_session_at) => {
                    if !self.session_alive().await {
                        return None;
                    }
                    self.check_session_at = Instant::now() + SESSION_CHECK;
                }
            }
        }
    }

    async fn session_alive(&self) -> bool {
        let token_hash = self.token_hash.clone();
        let account = self
            .state
            .db
            .read(move |conn| db::accounts::account_of_session(conn, &token_hash))
            .await;
        // A database that cannot answer now does not end the stream; the next check decides.
        !matches!(account, Ok(None))
    }
}

fn ready(id: i64) -> sse::Event {
    sse::Event::default()
        .event("ready")
        .id(id.to_string())
        .data("{}")
}

fn change(id: i64, case_id: Option<i64>) -> sse::Event {
    let data = match case_id {
        Some(case_id) => format!("{{\"case_id\":{case_id}}}"),
        None => "{}".to_owned(),
    };
    sse::Event::default()
        .event("change")
        .id(id.to_string())
        .data(data)
}

/// `case={id}`, if given; anything else in the query is ignored, as elsewhere.
fn case_of_query(raw: Option<&str>) -> AppResult<Option<i64>> {
    let value = form_urlencoded::parse(raw.unwrap_or("").as_bytes())
        .find(|(k, _)| k == "case")
        .map(|(_, v)| v.into_owned());
    match value {
        None => Ok(None),
        Some(v) => v.parse::<i64>().map(Some).map_err(|_| {
            AppError::field(
                "case",
                ErrorCode::ValidationFailed,
                "The case must be a number.",
            )
        }),
    }
}
