//! Serving HTTP/1.1 with the limits a public service needs, which `axum::serve` does not set:
//! a deadline for each request's headers (which also ends idle keep-alive connections) and at
//! most `max_connections_per_address` open connections from one address. Each connection's
//! peer address reaches the handlers as `ConnectInfo<SocketAddr>`.

use crate::error::AppError;
use api_types::{ErrorCode, Problem};
use axum::extract::ConnectInfo;
use axum::response::IntoResponse;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tower::ServiceExt;

/// Connection limits (see `Config::server`).
#[derive(Clone, Debug)]
pub struct ServerLimits {
    /// A request's headers must arrive within this time after the connection opens or the
    /// previous response ends; a connection idle for longer is closed.
    pub header_read_timeout: Duration,
    pub max_connections_per_address: usize,
    /// The whole of a request without files (its body included) must arrive in this time…
    pub small_request_deadline: Duration,
    /// …and of one with files, in this.
    pub upload_request_deadline: Duration,
}

impl Default for ServerLimits {
    fn default() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(10),
            // Browsers open six per host; a load test or an office behind one address more.
            max_connections_per_address: 100,
            small_request_deadline: Duration::from_secs(30),
            upload_request_deadline: Duration::from_secs(10 * 60),
        }
    }
}

/// Open connections per address; a slot is given back when its guard drops.
#[derive(Clone, Default)]
struct OpenConnections(Arc<Mutex<HashMap<IpAddr, usize>>>);

struct Slot {
    open: OpenConnections,
    address: IpAddr,
}

impl OpenConnections {
    fn take(&self, address: IpAddr, max: usize) -> Option<Slot> {
        let mut open = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let count = open.entry(address).or_default();
        if *count >= max {
            return None;
        }
        *count += 1;
        Some(Slot {
            open: self.clone(),
            address,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.open.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = open.get_mut(&self.address) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.address);
            }
        }
    }
}

/// Serves `router` on `listener` within `limits` until `stop` completes, then lets open
/// requests finish and closes the connections.
pub async fn serve_until(
    listener: tokio::net::TcpListener,
    router: Router,
    limits: ServerLimits,
    stop: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let open = OpenConnections::default();
    let graceful = GracefulShutdown::new();
    let mut stop = std::pin::pin!(stop);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of file descriptors and the like: wait a little rather than spin.
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let slot = open.take(peer.ip(), limits.max_connections_per_address);
        if slot.is_none() {
            tracing::warn!(target: "security", event = "connection_limit", address = %peer.ip());
        }
        let service = match slot {
            Some(_) => router.clone(),
            None => Router::new().fallback(too_many_connections),
        }
        .map_request(move |mut request: axum::http::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            request.map(axum::body::Body::new)
        });
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(limits.header_read_timeout);
        if slot.is_none() {
            http.keep_alive(false);
        }
        let connection =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = connection.await;
            drop(slot);
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// Serves until the process ends (what harnesses that never stop the server use).
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    limits: ServerLimits,
) -> std::io::Result<()> {
    serve_until(listener, router, limits, std::future::pending()).await
}

async fn too_many_connections() -> axum::response::Response {
    AppError::from(
        Problem::new(
            ErrorCode::ServerBusy,
            "Too many connections from your address",
        )
        .with_detail("Close other connections or try again shortly.")
        .with_retry_after(5),
    )
    .into_response()
}
