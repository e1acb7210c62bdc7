//! A small HTTP/1.1 client for calls to the outside (payment, e-mail and SMS providers,
//! integrations' webhooks): one connection per call (such calls are few and each is worth its
//! own clean state), TLS with the Mozilla roots (and an extra authority when a proxy or a test
//! brings its own), a connect timeout and a total deadline.

pub mod target;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};
use tokio_rustls::rustls::{ClientConfig, RootCertStore};

/// A provider's answer: status, headers, body.
pub struct Answer {
    pub status: u16,
    pub headers: hyper::HeaderMap,
    pub body: Bytes,
}

impl Answer {
    /// A header's value, when present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Where a provider lives: `https://host[:port]` or, for local fakes, `http://host:port`.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub host: String,
    pub port: u16,
    pub tls: bool,
}

impl Endpoint {
    pub fn parse(base: &str) -> Result<Self, String> {
        let (tls, rest) = match (base.strip_prefix("https://"), base.strip_prefix("http://")) {
            (Some(rest), _) => (true, rest),
            (None, Some(rest)) => (false, rest),
            _ => return Err(format!("`{base}` is not an http:// or https:// base URL")),
        };
        let authority = rest.trim_end_matches('/');
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (h, p.parse().map_err(|_| format!("`{base}`: bad port"))?),
            None => (authority, if tls { 443 } else { 80 }),
        };
        if host.is_empty() || host.contains('/') {
            return Err(format!("`{base}` is not a base URL like https://api.stripe.com"));
        }
        Ok(Self { host: host.to_owned(), port, tls })
    }

    /// The `Host` header: the port only when it is not the scheme's own.
    pub fn host_header(&self) -> String {
        let default = if self.tls { 443 } else { 80 };
        if self.port == default { self.host.clone() } else { format!("{}:{}", self.host, self.port) }
    }
}

/// Connects to one endpoint, over TLS when it says so.
pub struct Client {
    endpoint: Endpoint,
    tls: Option<TlsConnector>,
    address: Option<SocketAddr>,
    body_limit: Option<usize>,
}

impl Client {
    /// `extra_ca`: a PEM file of authorities to trust besides the Mozilla roots.
    pub fn new(endpoint: Endpoint, extra_ca: Option<&Path>) -> Result<Self, String> {
        let tls = if endpoint.tls { Some(connector(extra_ca)?) } else { None };
        Ok(Self { endpoint, tls, address: None, body_limit: None })
    }

    /// Connects to `address` instead of resolving the endpoint's host, which still names the
    /// server to TLS (SNI, and the name the certificate must hold) and belongs in `Host`. For
    /// callers that vetted the address themselves (webhooks refusing internal networks): the
    /// address checked is the one called, so a second DNS answer (rebinding) cannot differ.
    pub fn connect_to(mut self, address: SocketAddr) -> Self {
        self.address = Some(address);
        self
    }

    /// Reads at most `bytes` of an answer's body and drops the rest (the connection is not
    /// reused), so a receiver cannot make the caller hold an endless answer.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = Some(bytes);
        self
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    pub async fn send(
        &self,
        request: Request<Full<Bytes>>,
        connect: Duration,
        total: Duration,
    ) -> Result<Answer, String> {
        let call = async {
            let connecting = match self.address {
                Some(address) => tokio::time::timeout(connect, TcpStream::connect(address)).await,
                None => {
                    let address = (self.endpoint.host.as_str(), self.endpoint.port);
                    tokio::time::timeout(connect, TcpStream::connect(address)).await
                }
            };
            let stream =
                connecting.map_err(|_| "connect timed out".to_owned())?.map_err(|e| format!("connect: {e}"))?;
            match &self.tls {
                None => exchange(stream, request, self.body_limit).await,
                Some(tls) => {
                    // An IPv6 literal is written `[…]` in URLs and `Host`, bare in TLS.
                    let host = self.endpoint.host.trim_start_matches('[').trim_end_matches(']');
                    let name = ServerName::try_from(host.to_owned()).map_err(|e| format!("server name: {e}"))?;
                    let stream = tokio::time::timeout(connect, tls.connect(name, stream))
                        .await
                        .map_err(|_| "TLS handshake timed out".to_owned())?
                        .map_err(|e| format!("TLS: {e}"))?;
                    exchange(stream, request, self.body_limit).await
                }
            }
        };
        tokio::time::timeout(total, call).await.map_err(|_| "no answer in time".to_owned())?
    }
}

fn connector(extra_ca: Option<&Path>) -> Result<TlsConnector, String> {
    let mut roots = RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(path) = extra_ca {
        let certs = CertificateDer::pem_file_iter(path).map_err(|e| format!("{}: {e}", path.display()))?;
        for cert in certs {
            let cert = cert.map_err(|e| format!("{}: {e}", path.display()))?;
            roots.add(cert).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(TlsConnector::from(Arc::new(config)))
}

async fn exchange<S>(stream: S, request: Request<Full<Bytes>>, limit: Option<usize>) -> Result<Answer, String>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, conn) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.map_err(|e| format!("handshake: {e}"))?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    let response = sender.send_request(request).await.map_err(|e| format!("request: {e}"))?;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = match limit {
        None => response.into_body().collect().await.map_err(|e| format!("body: {e}"))?.to_bytes(),
        Some(limit) => body_head(response.into_body(), limit).await?,
    };
    Ok(Answer { status, headers, body })
}

/// The first `limit` bytes of a body; the rest is never read.
async fn body_head(mut body: hyper::body::Incoming, limit: usize) -> Result<Bytes, String> {
    let mut head = bytes::BytesMut::new();
    while head.len() < limit {
        let Some(frame) = body.frame().await else { break };
        if let Ok(data) = frame.map_err(|e| format!("body: {e}"))?.into_data() {
            let room = limit - head.len();
            head.extend_from_slice(&data[..data.len().min(room)]);
        }
    }
    Ok(head.freeze())
}
