//! Extractors whose rejections are problem JSON with a stable code and a plain message, never
//! the framework's text (which named Rust types and parser positions), and the client's address.

use crate::error::AppError;
use crate::AppState;
use api_types::{ErrorCode, Problem};
use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use serde::de::DeserializeOwned;
use std::convert::Infallible;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};

/// A JSON body.
pub struct AppJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for AppJson<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(json_rejection(&rejection)),
        }
    }
}

fn json_rejection(rejection: &JsonRejection) -> AppError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return AppError::too_large(api_types::MAX_JSON_BYTES);
    }
    let detail = match rejection {
        JsonRejection::MissingJsonContentType(_) => "Send the body as application/json.",
        JsonRejection::JsonSyntaxError(_) => "The body is not valid JSON.",
        JsonRejection::JsonDataError(_) => {
            "The JSON does not have the fields this endpoint takes, with their types (see openapi.yaml)."
        }
        _ => "The body could not be read.",
    };
    Problem::new(
        ErrorCode::ValidationFailed,
        "The request body is not what this endpoint takes",
    )
    .with_detail(detail)
    .into()
}

/// Path parameters; one that does not parse (`/cases/1.0`) names nothing that exists.
pub struct AppPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for AppPath<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| Self(value))
            .map_err(|_| AppError::not_found())
    }
}

/// A `multipart/form-data` body.
pub struct AppMultipart(pub axum::extract::Multipart);

impl<S: Send + Sync> FromRequest<S> for AppMultipart {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        axum::extract::Multipart::from_request(request, state)
            .await
            .map(Self)
            .map_err(|_| {
                Problem::new(
                    ErrorCode::ValidationFailed,
                    "The request body is not what this endpoint takes",
                )
                .with_detail("Send the form as multipart/form-data with a boundary.")
                .into()
            })
    }
}

/// The address a request comes from, as limits count it: IPv4 as is, IPv6 by its /64 (one
/// subscriber's whole network, which a guesser gets for free).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ClientAddr(pub IpAddr);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        // Behind a reverse proxy every peer is the proxy: the last X-Forwarded-For entry is the
        // one the proxy itself added, the only one a client cannot forge.
        let forwarded = state
            .config
            .behind_proxy
            .then(|| {
                parts
                    .headers
                    .get_all("x-forwarded-for")
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .flat_map(|v| v.split(','))
                    .next_back()
                    .and_then(|v| v.trim().parse::<IpAddr>().ok())
            })
            .flatten();
        let address = forwarded.or(peer).unwrap_or(IpAddr::from([127, 0, 0, 1]));
        Ok(Self(limit_key(address)))
    }
}

fn limit_key(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let mut segments = v6.segments();
                segments[4..].fill(0);
                IpAddr::V6(Ipv6Addr::from(segments))
            }
        },
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_addresses_count_by_their_network() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(limit_key(a), limit_key(b));
        assert_ne!(limit_key(a), limit_key(other));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(limit_key(mapped), "192.0.2.7".parse::<IpAddr>().unwrap());
    }
}
