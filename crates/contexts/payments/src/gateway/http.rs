//! A small HTTP/1.1 client for provider APIs: one connection per call (provider calls are few
//! and each is worth its own clean state), a connect timeout and a total deadline.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::rt::TokioIo;
use std::time::Duration;
use tokio::net::TcpStream;

/// A provider's answer: status, the headers that matter, the body.
pub struct Answer {
    pub status: u16,
    /// `Stripe-Should-Retry`, when the provider sent it.
    pub should_retry: Option<bool>,
    pub body: Bytes,
}

/// Where a provider lives: `http://host:port` (TLS is not built yet: see the note).
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub host: String,
    pub port: u16,
}

impl Endpoint {
    pub fn parse(base: &str) -> Result<Self, String> {
        let rest = base.strip_prefix("http://").ok_or_else(|| {
            format!("`{base}`: only http:// endpoints can be reached (TLS is not built into this binary yet)")
        })?;
        let authority = rest.trim_end_matches('/');
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (h, p.parse().map_err(|_| format!("`{base}`: bad port"))?),
            None => (authority, 80),
        };
        if host.is_empty() || host.contains('/') {
            return Err(format!("`{base}` is not a base URL like http://127.0.0.1:8420"));
        }
        Ok(Self { host: host.to_owned(), port })
    }
}

pub async fn send(
    endpoint: &Endpoint,
    request: Request<Full<Bytes>>,
    connect: Duration,
    total: Duration,
) -> Result<Answer, String> {
    let call = async {
        let stream = tokio::time::timeout(connect, TcpStream::connect((endpoint.host.as_str(), endpoint.port)))
            .await
            .map_err(|_| "connect timed out".to_owned())?
            .map_err(|e| format!("connect: {e}"))?;
        let (mut sender, conn) =
            hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.map_err(|e| format!("handshake: {e}"))?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        let response = sender.send_request(request).await.map_err(|e| format!("request: {e}"))?;
        let status = response.status().as_u16();
        let should_retry = response
            .headers()
            .get("stripe-should-retry")
            .and_then(|v| v.to_str().ok())
            .map(|v| v.eq_ignore_ascii_case("true"));
        let body = response.into_body().collect().await.map_err(|e| format!("body: {e}"))?.to_bytes();
        Ok(Answer { status, should_retry, body })
    };
    tokio::time::timeout(total, call).await.map_err(|_| "no answer in time".to_owned())?
}
