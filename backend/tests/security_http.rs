//! The assessment's HTTP findings (#13): bodies read before authentication, no timeouts or
//! connection limits, framework rejections that leaked internals, and cross-site writes.

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use common::*;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Medium: `POST /session` buffered bodies up to 32 MB. A declared 30 MB body is refused from
/// its Content-Length before a byte is read (the body here never arrives at all).
#[tokio::test]
async fn a_large_declared_body_is_refused_before_it_is_read() {
    let app = TestApp::new();
    let never = futures_util::stream::pending::<Result<Vec<u8>, std::io::Error>>();
    let request = Request::post("/api/v1/session")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, 30 << 20)
        .body(Body::from_stream(never))
        .unwrap();
    let reply = tokio::time::timeout(Duration::from_secs(5), app.send(request))
        .await
        .expect("the server waited for the body");
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.code(), "PAYLOAD_TOO_LARGE");
}

/// A JSON body without a length (chunked) stops being read at the route's few KB.
#[tokio::test]
async fn a_json_route_reads_no_more_than_a_few_kilobytes() {
    let app = TestApp::new();
    let padding = " ".repeat(1 << 20);
    let body = format!("{{\"email\":\"a@b.example\",{padding}\"password\":\"x\"}}");
    let chunks = futures_util::stream::iter(
        body.into_bytes()
            .chunks(4096)
            .map(|c| Ok::<_, std::io::Error>(c.to_vec()))
            .collect::<Vec<_>>(),
    );
    let request = Request::post("/api/v1/session")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from_stream(chunks))
        .unwrap();
    let reply = app.send(request).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.code(), "PAYLOAD_TOO_LARGE");
}

/// Low: framework rejections answered with Rust's words ("invalid type: integer", "Cannot parse
/// `1.0` to a `i64`") or text/plain. Every one is problem JSON with a stable code.
#[tokio::test]
async fn every_rejection_is_problem_json_in_plain_words() {
    let app = TestApp::new();
    let client = app.sign_in(ACME_INSTALLER).await;
    let json = |uri: &str, body: &str| {
        Request::post(uri)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_owned()))
            .unwrap()
    };
    let with_session = |mut request: Request<Body>| {
        let headers = request.headers_mut();
        headers.insert(header::COOKIE, client.cookie.parse().unwrap());
        headers.insert("x-csrf-token", client.csrf.parse().unwrap());
        request
    };
    let cases: Vec<(&str, Request<Body>, &str)> = vec![
        (
            "wrong type",
            json("/api/v1/session", r#"{"email":1}"#),
            "VALIDATION_FAILED",
        ),
        (
            "not JSON",
            json("/api/v1/session", "{email"),
            "VALIDATION_FAILED",
        ),
        (
            "no content type",
            Request::post("/api/v1/session")
                .body(Body::from("{}"))
                .unwrap(),
            "VALIDATION_FAILED",
        ),
        (
            "id that is no number",
            with_session(
                Request::get("/api/v1/cases/1.0")
                    .body(Body::empty())
                    .unwrap(),
            ),
            "NOT_FOUND",
        ),
        (
            "file id that is no number",
            with_session(
                Request::get("/api/v1/cases/1/files/x")
                    .body(Body::empty())
                    .unwrap(),
            ),
            "NOT_FOUND",
        ),
        (
            "multipart without boundary",
            with_session(
                Request::post("/api/v1/cases/3/messages")
                    .header(header::CONTENT_TYPE, "multipart/form-data")
                    .body(Body::from("--x--"))
                    .unwrap(),
            ),
            "VALIDATION_FAILED",
        ),
        (
            "method not allowed",
            with_session(Request::patch("/api/v1/cases").body(Body::empty()).unwrap()),
            "METHOD_NOT_ALLOWED",
        ),
        (
            "no such path",
            Request::get("/api/v1/nothing").body(Body::empty()).unwrap(),
            "NOT_FOUND",
        ),
    ];
    for (what, request, code) in cases {
        let reply = app.send(request).await;
        assert_eq!(reply.code(), code, "{what}");
        let text = String::from_utf8_lossy(&reply.bytes).to_string();
        for internal in [
            "invalid type",
            "Cannot parse",
            "i64",
            "line 1",
            "column",
            "serde",
        ] {
            assert!(!text.contains(internal), "{what}: {text}");
        }
    }
}

/// Low: writes with a valid token but from another site succeeded. Browsers say where a
/// request comes from; writes from elsewhere are refused as a second line of defence.
#[tokio::test]
async fn writes_from_another_site_are_refused() {
    let app = TestApp::new();
    let client = app.sign_in(ACME_INSTALLER).await;
    for (name, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
        ("sec-fetch-site", "same-site"),
        ("origin", "null"),
    ] {
        let request = Request::post("/api/v1/cases/3/messages")
            .header(header::COOKIE, &client.cookie)
            .header("x-csrf-token", &client.csrf)
            .header(name, value)
            .header(header::CONTENT_TYPE, multipart::content_type())
            .body(Body::from(multipart::body(&[Part::Text(
                "message",
                "from elsewhere",
            )])))
            .unwrap();
        let reply = app.send(request).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{name}: {value}");
        assert_eq!(reply.code(), "CSRF_FAILED");
    }
    let case = client.get("/api/v1/cases/3").await.json();
    let text = case.to_string();
    assert!(
        !text.contains("from elsewhere"),
        "a refused write was stored"
    );
    // The app itself: same origin, as the browser says.
    let request = Request::post("/api/v1/cases/3/messages")
        .header(header::COOKIE, &client.cookie)
        .header("x-csrf-token", &client.csrf)
        .header(header::HOST, "127.0.0.1:8080")
        .header(header::ORIGIN, "http://127.0.0.1:8080")
        .header("sec-fetch-site", "same-origin")
        .header(header::CONTENT_TYPE, multipart::content_type())
        .body(Body::from(multipart::body(&[Part::Text(
            "message",
            "from the app",
        )])))
        .unwrap();
    assert_eq!(app.send(request).await.status, StatusCode::CREATED);
}

/// A real server on a local port with short limits, and its address.
async fn server(limits: hpp_backend::ServerLimits) -> (std::net::SocketAddr, TestApp) {
    let app = TestApp::with_config(|c| c.server = limits.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(hpp_backend::serve(listener, app.router.clone(), limits));
    (addr, app)
}

fn short_limits() -> hpp_backend::ServerLimits {
    hpp_backend::ServerLimits {
        header_read_timeout: Duration::from_millis(500),
        max_connections_per_address: 3,
        small_request_deadline: Duration::from_secs(1),
        ..Default::default()
    }
}

/// Whether the server closes `stream` within `within` while `drip` bytes arrive slowly.
async fn closed_while_dripping(stream: &mut TcpStream, drip: &[u8], within: Duration) -> bool {
    let start = Instant::now();
    let mut buf = [0u8; 1024];
    for byte in drip.iter().cycle() {
        if start.elapsed() > within {
            return false;
        }
        if stream.write_all(&[*byte]).await.is_err() {
            return true;
        }
        match tokio::time::timeout(Duration::from_millis(200), stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            // A response (408) is followed by the close.
            Ok(Ok(_)) => {}
            Err(_) => {}
        }
    }
    false
}

/// Low: 200 connections sending a byte every 3 s stayed open indefinitely. Headers must arrive
/// within the deadline, and an idle keep-alive connection is closed after it.
#[tokio::test]
async fn slow_headers_and_idle_connections_are_closed() {
    let (addr, _app) = server(short_limits()).await;
    let mut slow = TcpStream::connect(addr).await.unwrap();
    let drip = b"GET /api/v1/session HTTP/1.1\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    assert!(closed_while_dripping(&mut slow, drip, Duration::from_secs(3)).await);

    let mut idle = TcpStream::connect(addr).await.unwrap();
    idle.write_all(b"GET /api/v1/session HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = vec![0u8; 4096];
    let n = idle.read(&mut buf).await.unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 204"));
    let start = Instant::now();
    let closed = tokio::time::timeout(Duration::from_secs(3), idle.read(&mut buf)).await;
    assert!(
        matches!(closed, Ok(Ok(0)) | Ok(Err(_))),
        "idle connection kept open"
    );
    assert!(start.elapsed() < Duration::from_secs(2));
}

/// A body sent a byte at a time cannot hold a request open past the route's deadline.
#[tokio::test]
async fn a_slowly_dripped_body_meets_the_deadline() {
    let (addr, _app) = server(short_limits()).await;
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(
            b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
              Content-Length: 1000\r\n\r\n",
        )
        .await
        .unwrap();
    let start = Instant::now();
    let mut answer = Vec::new();
    let mut buf = [0u8; 1024];
    let closed = loop {
        if start.elapsed() > Duration::from_secs(4) {
            break false;
        }
        match tokio::time::timeout(Duration::from_millis(200), stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break true,
            Ok(Ok(n)) => answer.extend_from_slice(&buf[..n]),
            Err(_) => {}
        }
        if stream.write_all(b" ").await.is_err() {
            break true;
        }
    };
    assert!(closed, "the request was still open after 4 s");
    let answer = String::from_utf8_lossy(&answer);
    println!("closed after {:?}: {answer:?}", start.elapsed());
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("REQUEST_TIMEOUT"), "{answer}");
    assert!(start.elapsed() < Duration::from_secs(3));
}

/// One address may hold only so many connections: the next is answered 503 and closed; when
/// one closes, a new one is served.
#[tokio::test]
async fn connections_per_address_are_capped() {
    let (addr, _app) = server(hpp_backend::ServerLimits {
        header_read_timeout: Duration::from_secs(10),
        ..short_limits()
    })
    .await;
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(TcpStream::connect(addr).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let ask = |mut stream: TcpStream| async move {
        stream
            .write_all(b"GET /api/v1/session HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        let mut answer = Vec::new();
        let _ = tokio::time::timeout(Duration::from_secs(2), stream.read_to_end(&mut answer)).await;
        String::from_utf8_lossy(&answer).to_string()
    };
    let refused = ask(TcpStream::connect(addr).await.unwrap()).await;
    assert!(refused.starts_with("HTTP/1.1 503"), "{refused}");
    assert!(refused.contains("SERVER_BUSY"), "{refused}");
    assert!(
        refused.to_ascii_lowercase().contains("retry-after: 5"),
        "{refused}"
    );
    drop(held.pop());
    tokio::time::sleep(Duration::from_millis(100)).await;
    let served = ask(TcpStream::connect(addr).await.unwrap()).await;
    assert!(served.starts_with("HTTP/1.1 204"), "{served}");
}
