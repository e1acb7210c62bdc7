//! localstripe, a stateful fake Stripe server (PyPI), when the run provides one
//! (`OXCART_TEST_STRIPE_URL`; `.ci/run` starts it): its address, and calls to it as the
//! customer's browser or Stripe's dashboard would make them.

/// The fake's address; `None` (with a line saying how to run the suite) when it is not set.
pub fn url() -> Option<String> {
    let url = std::env::var("OXCART_TEST_STRIPE_URL").ok().filter(|u| !u.is_empty());
    if url.is_none() {
        eprintln!("skipped: set OXCART_TEST_STRIPE_URL to run against localstripe");
    }
    url
}

/// One form-encoded call with the suites' secret key; the answer's JSON (`Null` when none).
pub async fn call(base: &str, method: &str, path: &str, body: &str) -> serde_json::Value {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let endpoint = base.trim_start_matches("http://").trim_end_matches('/').to_owned();
    let mut stream = tokio::net::TcpStream::connect(&endpoint).await.expect("localstripe");
    let request = format!(
        "{method} {path} HTTP/1.1\r\nhost: {endpoint}\r\nauthorization: Bearer sk_test_oxcart\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut out = String::new();
    stream.read_to_string(&mut out).await.expect("read");
    let json = out.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or_default();
    serde_json::from_str(json).unwrap_or(serde_json::Value::Null)
}
