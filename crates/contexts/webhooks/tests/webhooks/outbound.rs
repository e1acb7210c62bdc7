//! The shared HTTP client's two additions webhooks stand on: it connects to the address it
//! is given (never resolving the host again, which still goes in `Host`), and it reads at
//! most so much of an answer.

use bytes::Bytes;
use http_body_util::Full;
use outbound::{Client, Endpoint};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn the_client_calls_the_address_given_and_reads_a_bounded_answer() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("address");
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("accept");
        let mut request = vec![0u8; 4096];
        let n = socket.read(&mut request).await.expect("read");
        let big = "x".repeat(100_000);
        let answer = format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n{big}", big.len());
        let _ = socket.write_all(answer.as_bytes()).await;
        String::from_utf8_lossy(&request[..n]).into_owned()
    });
    // A name that resolves nowhere: only the given address can be reached.
    let endpoint = Endpoint { host: "receiver.invalid".into(), port: addr.port(), tls: false };
    let client = Client::new(endpoint, None).expect("client").connect_to(addr).body_limit(512);
    let request = hyper::Request::post("/in")
        .header("host", client.endpoint().host_header())
        .body(Full::new(Bytes::from_static(b"{}")))
        .expect("request");
    let answer = client.send(request, Duration::from_secs(5), Duration::from_secs(10)).await.expect("answer");
    assert_eq!((answer.status, answer.body.len()), (200, 512));
    let seen = server.await.expect("server");
    assert!(seen.starts_with("POST /in HTTP/1.1"), "{seen}");
    assert!(seen.to_ascii_lowercase().contains(&format!("host: receiver.invalid:{}", addr.port())), "{seen}");
}
