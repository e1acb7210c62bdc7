//! One keep-alive HTTP/1.1 connection per worker, reopened transparently when the server closes it.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::SendRequest;
use hyper::header::{ACCEPT, CONTENT_TYPE, HOST, HeaderName, HeaderValue};
use hyper::{Request, StatusCode};

use crate::RequestSpec;
use crate::target::Target;

pub(crate) type HttpRequest = Request<Full<Bytes>>;

pub(crate) struct Conn {
    target: Arc<Target>,
    sender: Option<SendRequest<Full<Bytes>>>,
}

impl Conn {
    pub(crate) async fn open(target: Arc<Target>) -> anyhow::Result<Conn> {
        let sender = target.connect().await?;
        Ok(Conn { target, sender: Some(sender) })
    }

    pub(crate) fn request(&self, spec: RequestSpec) -> anyhow::Result<HttpRequest> {
        build_request(&self.target, spec)
    }

    /// Sends and reads the whole body, so the caller's clock stops at the last byte. Any error leaves the
    /// connection dropped and the next call reconnects.
    pub(crate) async fn send(&mut self, request: HttpRequest) -> anyhow::Result<StatusCode> {
        let mut sender = match self.sender.take() {
            // A keep-alive connection the server closed (idle timeout, `Connection: close`) fails `ready`;
            // that is normal HTTP/1.1 life, not an error worth counting.
            Some(mut sender) if !sender.is_closed() => match sender.ready().await {
                Ok(()) => sender,
                Err(_) => self.target.connect().await?,
            },
            _ => self.target.connect().await?,
        };
        let response = sender.send_request(request).await?;
        let status = response.status();
        let mut body = response.into_body();
        while let Some(frame) = body.frame().await {
            frame?;
        }
        self.sender = Some(sender);
        Ok(status)
    }
}

fn build_request(target: &Target, spec: RequestSpec) -> anyhow::Result<HttpRequest> {
    if !spec.path_and_query.starts_with('/') {
        bail!("request path {:?} must start with '/'", spec.path_and_query);
    }
    let path = target.path(&spec.path_and_query);
    let mut builder = Request::builder()
        .method(spec.method)
        .uri(path.as_str())
        .header(HOST, HeaderValue::from_str(&target.endpoint.host_header)?);
    let has_content_type = spec.headers.iter().any(|(name, _)| name.eq_ignore_ascii_case(CONTENT_TYPE.as_str()));
    if spec.body.is_some() && !has_content_type {
        builder = builder.header(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    for (name, value) in &spec.headers {
        let name = HeaderName::from_bytes(name.as_bytes()).with_context(|| format!("invalid header name {name:?}"))?;
        let value = HeaderValue::from_str(value).with_context(|| format!("invalid value for header {name}"))?;
        builder = builder.header(name, value);
    }
    let body = Full::new(spec.body.map(Bytes::from).unwrap_or_default());
    builder.body(body).with_context(|| format!("invalid request path {path:?}"))
}

/// A tiny GET helper for scenarios that must discover data first (e.g. fetch `/api/v1/categories` JSON).
/// Fails on a non-2xx status, naming the status and the start of the body.
pub async fn get_json(base_url: &str, path_and_query: &str) -> anyhow::Result<serde_json::Value> {
    tokio::time::timeout(GET_JSON_TIMEOUT, fetch_json(base_url, path_and_query))
        .await
        .map_err(|_| anyhow::anyhow!("GET {path_and_query}: no answer within {GET_JSON_TIMEOUT:?}"))?
}

/// Sends one JSON request outside a measurement (logging in, preparing data); answers the status
/// and the parsed body (`null` when empty or not JSON).
pub async fn send_json(base_url: &str, spec: RequestSpec) -> anyhow::Result<(u16, serde_json::Value)> {
    let what = format!("{} {}", spec.method, spec.path_and_query);
    let exchange = async {
        let target = Arc::new(Target::resolve(base_url).await?);
        let request = build_request(&target, spec)?;
        let mut sender = target.connect().await?;
        let response = sender.send_request(request).await.with_context(|| what.clone())?;
        let status = response.status().as_u16();
        let body = response.into_body().collect().await.with_context(|| what.clone())?.to_bytes();
        anyhow::Ok((status, serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null)))
    };
    tokio::time::timeout(GET_JSON_TIMEOUT, exchange).await.map_err(|_| anyhow::anyhow!("{what}: no answer in time"))?
}

/// An answer read whole outside a measurement: status, headers (`set-cookie` among them) and
/// body as text.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// Sends one request outside a measurement (signing in through a page's form) and answers it
/// whole.
pub async fn send_raw(base_url: &str, spec: RequestSpec) -> anyhow::Result<Answer> {
    let what = format!("{} {}", spec.method, spec.path_and_query);
    let exchange = async {
        let target = Arc::new(Target::resolve(base_url).await?);
        let request = build_request(&target, spec)?;
        let mut sender = target.connect().await?;
        let response = sender.send_request(request).await.with_context(|| what.clone())?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect();
        let body = response.into_body().collect().await.with_context(|| what.clone())?.to_bytes();
        anyhow::Ok(Answer { status, headers, body: String::from_utf8_lossy(&body).into_owned() })
    };
    tokio::time::timeout(GET_JSON_TIMEOUT, exchange).await.map_err(|_| anyhow::anyhow!("{what}: no answer in time"))?
}

/// GETs a text page outside a measurement (Prometheus `/metrics`); answers the status and body.
pub async fn get_text(base_url: &str, path_and_query: &str) -> anyhow::Result<(u16, String)> {
    let exchange = async {
        let target = Arc::new(Target::resolve(base_url).await?);
        let request = build_request(&target, RequestSpec::get(path_and_query))?;
        let mut sender = target.connect().await?;
        let response = sender.send_request(request).await.with_context(|| format!("GET {path_and_query}"))?;
        let status = response.status().as_u16();
        let body = response.into_body().collect().await.with_context(|| format!("GET {path_and_query}"))?.to_bytes();
        anyhow::Ok((status, String::from_utf8_lossy(&body).into_owned()))
    };
    tokio::time::timeout(GET_JSON_TIMEOUT, exchange)
        .await
        .map_err(|_| anyhow::anyhow!("GET {path_and_query}: no answer in time"))?
}

/// Discovery runs before the measurement, so a hung server must fail the command rather than stall it.
const GET_JSON_TIMEOUT: Duration = Duration::from_secs(30);

async fn fetch_json(base_url: &str, path_and_query: &str) -> anyhow::Result<serde_json::Value> {
    let target = Arc::new(Target::resolve(base_url).await?);
    let mut spec = RequestSpec::get(path_and_query);
    spec.headers.push((ACCEPT.as_str().to_owned(), "application/json".to_owned()));
    let request = build_request(&target, spec)?;
    let mut sender = target.connect().await?;
    let response = sender.send_request(request).await.with_context(|| format!("GET {path_and_query}"))?;
    let status = response.status();
    let body = response.into_body().collect().await.with_context(|| format!("GET {path_and_query}"))?.to_bytes();
    if !status.is_success() {
        let text = String::from_utf8_lossy(&body);
        let snippet: String = text.chars().take(200).collect();
        bail!("GET {path_and_query} returned {status}: {snippet}");
    }
    serde_json::from_slice(&body).with_context(|| format!("GET {path_and_query}: response is not JSON"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::Method;

    #[test]
    fn request_carries_host_prefix_and_json_type() -> anyhow::Result<()> {
        let target = Target {
            endpoint: crate::target::parse("http://example.test:81/shop/")?,
            addr: std::net::SocketAddr::from(([127, 0, 0, 1], 81)),
        };
        let mut spec = RequestSpec::post_json("/api/v1/carts?x=1", b"{}".to_vec());
        spec.headers.push(("X-Trace".to_owned(), "abc".to_owned()));
        let request = build_request(&target, spec)?;
        assert_eq!(request.method(), Method::POST);
        assert_eq!(request.uri(), "/shop/api/v1/carts?x=1");
        assert_eq!(request.headers()[HOST], "example.test:81");
        assert_eq!(request.headers()[CONTENT_TYPE], "application/json");
        assert_eq!(request.headers()["x-trace"], "abc");

        let mut spec = RequestSpec::get("/x");
        spec.body = Some(b"a=1".to_vec());
        spec.headers.push(("content-type".to_owned(), "text/plain".to_owned()));
        let request = build_request(&target, spec)?;
        assert_eq!(request.headers().get_all(CONTENT_TYPE).iter().count(), 1);
        assert!(build_request(&target, RequestSpec::get("noslash")).is_err());
        Ok(())
    }
}
