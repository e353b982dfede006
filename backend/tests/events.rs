//! Live updates (`GET /api/v1/events`): who hears of which change, what a reconnecting page hears
//! of what it missed (`Last-Event-ID`), and the refusals.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::*;
use http_body_util::BodyExt;
use std::time::Duration;
use tower::ServiceExt;

/// One server-sent event as the stream wrote it.
#[derive(Debug, PartialEq)]
struct Heard {
    event: String,
    id: i64,
    data: String,
}

/// An open event stream of one signed-in account.
struct Stream {
    body: Body,
    pending: String,
}

impl Stream {
    async fn open(client: &Client<'_>, query: &str, last_event_id: Option<i64>) -> Self {
        let mut request =
            Request::get(format!("/api/v1/events{query}")).header(header::COOKIE, &client.cookie);
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id.to_string());
        }
        let response = client
            .app
            .router
            .clone()
            .oneshot(request.body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            "text/event-stream"
        );
        Self {
            body: response.into_body(),
            pending: String::new(),
        }
    }

    /// The next event (keep-alive comments skipped), or `None` if none comes within `wait`.
    async fn next_within(&mut self, wait: Duration) -> Option<Heard> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            if let Some(end) = self.pending.find("\n\n") {
                let block: String = self.pending.drain(..end + 2).collect();
                let field = |name: &str| {
                    block
                        .lines()
                        .find_map(|l| l.strip_prefix(name))
                        .map(|v| v.trim().to_owned())
                };
                let Some(event) = field("event:") else {
                    continue;
                };
                return Some(Heard {
                    event,
                    id: field("id:").unwrap().parse().unwrap(),
                    data: field("data:").unwrap_or_default(),
                });
            }
            let frame = tokio::time::timeout_at(deadline, self.body.frame()).await;
            match frame {
                Ok(Some(Ok(frame))) => {
                    if let Ok(data) = frame.into_data() {
                        self.pending.push_str(&String::from_utf8_lossy(&data));
                    }
                }
                Ok(_) | Err(_) => return None,
            }
        }
    }

    async fn next(&mut self) -> Heard {
        self.next_within(Duration::from_secs(5))
            .await
            .expect("an event within 5 s")
    }
}

/// The id of a case `client` sees, by its number.
async fn case_id(client: &Client<'_>) -> i64 {
    client.get("/api/v1/cases").await.json()["items"][0]["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn a_change_reaches_who_may_see_the_case_and_nobody_else() {
    let app = TestApp::new();
    let acme = app.sign_in(ACME_INSTALLER).await;
    let globex = app.sign_in(GLOBEX_INSTALLER).await;
    let support = app.sign_in(SUPPORT).await;
    let (acme_case, globex_case) = (case_id(&acme).await, case_id(&globex).await);

    let mut acme_stream = Stream::open(&acme, "", None).await;
    let mut globex_stream = Stream::open(&globex, "", None).await;
    let mut support_stream = Stream::open(&support, "", None).await;
    let mut one_case = Stream::open(&acme, &format!("?case={acme_case}"), None).await;
    for stream in [
        &mut acme_stream,
        &mut globex_stream,
        &mut support_stream,
        &mut one_case,
    ] {
        assert_eq!(stream.next().await.event, "ready");
    }

    let note = support
        .post_json(
            &format!("/api/v1/cases/{acme_case}/notes"),
            serde_json::json!({"message": "internal"}),
        )
        .await;
    assert_eq!(note.status, StatusCode::CREATED, "{:?}", note.json());
    let reply = acme
        .post_multipart(
            &format!("/api/v1/cases/{acme_case}/messages"),
            None,
            &[Part::Text("message", "Here is more")],
        )
        .await;
    assert!(reply.status.is_success(), "{:?}", reply.json());
    let globex_reply = globex
        .post_multipart(
            &format!("/api/v1/cases/{globex_case}/messages"),
            None,
            &[Part::Text("message", "Ours")],
        )
        .await;
    assert!(globex_reply.status.is_success());

    // Support hears all three, the note first.
    let heard: Vec<String> = [
        support_stream.next().await,
        support_stream.next().await,
        support_stream.next().await,
    ]
    .into_iter()
    .map(|h| h.data)
    .collect();
    let acme_data = format!("{{\"case_id\":{acme_case}}}");
    let globex_data = format!("{{\"case_id\":{globex_case}}}");
    assert_eq!(
        heard,
        [acme_data.clone(), acme_data.clone(), globex_data.clone()]
    );
    // The partner hears of its reply, not of the note before it, nor of the other company.
    let first = acme_stream.next().await;
    assert_eq!((first.event.as_str(), &first.data), ("change", &acme_data));
    assert_eq!(
        acme_stream.next_within(Duration::from_millis(300)).await,
        None
    );
    let globex_heard = globex_stream.next().await;
    assert_eq!(globex_heard.data, globex_data);
    assert!(globex_heard.id > first.id);
    assert_eq!(one_case.next().await, first);
    assert_eq!(one_case.next_within(Duration::from_millis(300)).await, None);
}

#[tokio::test]
async fn a_page_that_reconnects_hears_once_whether_it_missed_a_change() {
    let app = TestApp::new();
    let acme = app.sign_in(ACME_INSTALLER).await;
    let globex = app.sign_in(GLOBEX_INSTALLER).await;
    let support = app.sign_in(SUPPORT).await;
    let acme_case = case_id(&acme).await;

    let ready = Stream::open(&acme, "", None).await.next().await;
    assert_eq!(ready.event, "ready");
    // While the page is away: two changes to its case and a note.
    for path in ["take", "notes"] {
        let body = serde_json::json!({"message": "away"});
        let done = support
            .post_json(&format!("/api/v1/cases/{acme_case}/{path}"), body)
            .await;
        assert!(done.status.is_success(), "{path}: {:?}", done.json());
    }
    let asked = support
        .post_json(
            &format!("/api/v1/cases/{acme_case}/request-info"),
            serde_json::json!({"message": "Which firmware?"}),
        )
        .await;
    assert!(asked.status.is_success(), "{:?}", asked.json());

    let mut back = Stream::open(&acme, "", Some(ready.id)).await;
    let missed = back.next().await;
    assert_eq!(missed.event, "change");
    assert!(missed.id > ready.id);
    assert_eq!(
        back.next_within(Duration::from_millis(300)).await,
        None,
        "told once"
    );
    // From there on nothing was missed; nor had another company missed anything.
    let again = Stream::open(&acme, "", Some(missed.id)).await.next().await;
    assert_eq!(again.event, "ready");
    let other = Stream::open(&globex, "", Some(ready.id)).await.next().await;
    assert_eq!(other.event, "ready");
    // Support missed the note too, the newest change.
    let desk = Stream::open(&support, "", Some(missed.id))
        .await
        .next()
        .await;
    assert_eq!(desk.event, "ready", "the note came before the question");
    let desk = Stream::open(&support, "", Some(ready.id))
        .await
        .next()
        .await;
    assert_eq!((desk.event.as_str(), desk.id), ("change", missed.id));
}

#[tokio::test]
async fn streams_are_refused_without_a_session_and_for_cases_one_may_not_see() {
    let app = TestApp::new();
    assert_eq!(
        app.get("/api/v1/events").await.status,
        StatusCode::UNAUTHORIZED
    );
    let acme = app.sign_in(ACME_INSTALLER).await;
    let globex = app.sign_in(GLOBEX_INSTALLER).await;
    let globex_case = case_id(&globex).await;
    let foreign = acme
        .get(&format!("/api/v1/events?case={globex_case}"))
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    let missing = acme.get("/api/v1/events?case=999999").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let bad = acme.get("/api/v1/events?case=abc").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.code(), "VALIDATION_FAILED");
}

#[tokio::test]
async fn a_stopping_server_ends_open_streams_and_takes_new_ones_after() {
    let app = TestApp::new();
    let acme = app.sign_in(ACME_INSTALLER).await;
    let mut stream = Stream::open(&acme, "", None).await;
    assert_eq!(stream.next().await.event, "ready");
    app.state.events.close();
    let end = tokio::time::timeout(Duration::from_secs(2), stream.body.frame()).await;
    assert!(
        matches!(end, Ok(None)),
        "the stream ended: {:?}",
        end.map(|f| f.is_some())
    );
    // Started again on the same state (as the end-to-end tests restart it), streams work.
    let mut again = Stream::open(&acme, "", None).await;
    assert_eq!(again.next().await.event, "ready");
}
