//! The server under test: parsed from the base url once, resolved once, then connected to by every worker.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{Context, bail};
use http_body_util::Full;
use hyper::Uri;
use hyper::body::Bytes;
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// A filtered port would otherwise hold the start of a run for the kernel's SYN retries (minutes).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Endpoint {
    /// `host:port` as written (brackets kept for IPv6), for resolving and for error messages.
    pub(crate) host_port: String,
    /// Value of the Host header: the port is left out when the url left it out, as browsers do.
    pub(crate) host_header: String,
    /// Path of the base url without its trailing slash, prepended to every request path.
    pub(crate) prefix: String,
}

pub(crate) fn parse(base_url: &str) -> anyhow::Result<Endpoint> {
    let uri: Uri = base_url.trim().parse().with_context(|| format!("invalid base url {base_url:?}"))?;
    match uri.scheme_str() {
        Some("http") => {}
        Some("https") => bail!("base url {base_url:?}: https is not supported, use http://"),
        Some(other) => bail!("base url {base_url:?}: unsupported scheme {other:?}, use http://"),
        None => bail!("base url {base_url:?} must be absolute, e.g. http://127.0.0.1:8080"),
    }
    let Some(authority) = uri.authority() else { bail!("base url {base_url:?} has no host") };
    let host = authority.host();
    if host.is_empty() {
        bail!("base url {base_url:?} has no host");
    }
    if uri.query().is_some() {
        bail!("base url {base_url:?} must not have a query");
    }
    let port = authority.port_u16().unwrap_or(80);
    let host_header = match authority.port_u16() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    };
    let prefix = uri.path().trim_end_matches('/').to_owned();
    Ok(Endpoint { host_port: format!("{host}:{port}"), host_header, prefix })
}

#[derive(Debug)]
pub(crate) struct Target {
    pub(crate) endpoint: Endpoint,
    pub(crate) addr: SocketAddr,
}

impl Target {
    /// Resolves once up front so that reconnects during the run never wait on DNS.
    pub(crate) async fn resolve(base_url: &str) -> anyhow::Result<Target> {
        let endpoint = parse(base_url)?;
        let addr = tokio::net::lookup_host(endpoint.host_port.as_str())
            .await
            .with_context(|| format!("cannot resolve {}", endpoint.host_port))?
            .next()
            .with_context(|| format!("cannot resolve {}: no addresses", endpoint.host_port))?;
        Ok(Target { endpoint, addr })
    }

    pub(crate) fn path(&self, path_and_query: &str) -> String {
        format!("{}{path_and_query}", self.endpoint.prefix)
    }

    pub(crate) async fn connect(&self) -> anyhow::Result<SendRequest<Full<Bytes>>> {
        let name = &self.endpoint.host_port;
        let stream = tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect(self.addr))
            .await
            .map_err(|_| anyhow::anyhow!("cannot connect to {name}: no answer within {CONNECT_TIMEOUT:?}"))?
            .with_context(|| format!("cannot connect to {name}"))?;
        // Requests are small and latency is what we measure: never let Nagle hold a write back.
        stream.set_nodelay(true).with_context(|| format!("cannot set TCP_NODELAY on connection to {name}"))?;
        let (sender, connection) =
            http1::handshake(TokioIo::new(stream)).await.with_context(|| format!("HTTP handshake with {name}"))?;
        // The connection ends on its own when the peer closes or the sender is dropped; the sender then
        // reports closed and the worker reconnects, so the error itself carries nothing to act on.
        tokio::spawn(async move {
            let _ = connection.await;
        });
        Ok(sender)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(url: &str) -> Endpoint {
        match parse(url) {
            Ok(endpoint) => endpoint,
            Err(err) => panic!("{url}: {err:#}"),
        }
    }

    #[test]
    fn parses_host_port_and_prefix() {
        let e = ok("http://127.0.0.1:8080");
        assert_eq!(
            (e.host_port.as_str(), e.host_header.as_str(), e.prefix.as_str()),
            ("127.0.0.1:8080", "127.0.0.1:8080", "")
        );
        let e = ok("http://localhost/shop/");
        assert_eq!(
            (e.host_port.as_str(), e.host_header.as_str(), e.prefix.as_str()),
            ("localhost:80", "localhost", "/shop")
        );
        let e = ok("http://[::1]:9000/");
        assert_eq!((e.host_port.as_str(), e.prefix.as_str()), ("[::1]:9000", ""));
    }

    #[test]
    fn rejects_what_it_cannot_serve() {
        for url in ["", "not a url", "127.0.0.1:8080", "/api", "https://127.0.0.1", "ftp://host", "http://h/?q=1"] {
            assert!(parse(url).is_err(), "{url:?} accepted");
        }
        let err = format!("{:#}", parse("https://example.com").err().map(|e| e.to_string()).unwrap_or_default());
        assert!(err.contains("https is not supported"), "{err}");
    }
}
