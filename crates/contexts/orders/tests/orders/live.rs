//! Following an order live over Server-Sent Events: the history first, each change as it
//! happens, a resume after a reconnect, and nobody else's order.

use crate::common::*;
use axum::http::StatusCode;
use std::net::SocketAddr;
use std::time::Duration;
use testkit::{TestApp, backends};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// An open event stream: the status line, then its `id:`/`event:`/`data:` lines.
struct Stream(BufReader<TcpStream>, u16);

impl Stream {
    async fn open(addr: SocketAddr, order: &str, token: &str, last: Option<&str>) -> Self {
        let mut tcp = TcpStream::connect(addr).await.expect("connect");
        let resume = last.map(|id| format!("Last-Event-ID: {id}\r\n")).unwrap_or_default();
        let request = format!(
            "GET /api/v1/orders/{order}/events HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer {token}\r\n\
             Accept: text/event-stream\r\n{resume}\r\n"
        );
        tcp.write_all(request.as_bytes()).await.expect("write");
        let mut reader = BufReader::new(tcp);
        let mut status = String::new();
        reader.read_line(&mut status).await.expect("status");
        let code = status.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
        Self(reader, code)
    }

    /// The next `order.state` event: `(id, state)`, within five seconds.
    async fn next(&mut self) -> (String, String) {
        let read = async {
            let mut id = String::new();
            loop {
                let mut line = String::new();
                if self.0.read_line(&mut line).await.expect("read") == 0 {
                    panic!("the stream ended");
                }
                if let Some(v) = line.strip_prefix("id: ") {
                    id = v.trim().to_owned();
                } else if let Some(data) = line.strip_prefix("data: ") {
                    let v: serde_json::Value = serde_json::from_str(data.trim()).expect("json");
                    return (id.clone(), v["state"].as_str().expect("state").to_owned());
                }
            }
        };
        tokio::time::timeout(Duration::from_secs(5), read).await.expect("an event in time")
    }
}

/// A shop, a customer `ann` with one confirmed order, and the app on a real listener.
async fn followed(backend: &testkit::TestBackend) -> (TestApp, Shop, String, String, SocketAddr) {
    let app = TestApp::spawn(backend).await;
    let shop = shop(&app, 5).await;
    let (ann, _, _) = app.register("ann@example.com").await;
    let mut who = Who::customer(&ann);
    add(&app, &mut who, &shop.mug, 1).await;
    let id = bought(&app, &who, "k").await;
    app.settle().await;
    let limits = oxcart::http::listener::Limits {
        header_read: Duration::from_secs(5),
        idle: Duration::from_secs(60),
        max_connections: 64,
        drain: Duration::from_secs(1),
    };
    let addr = app.listen(limits).await;
    (app, shop, ann, id, addr)
}

#[tokio::test]
async fn a_customer_follows_their_order_live_and_resumes_after_a_reconnect() {
    for backend in backends() {
        let (app, shop, ann, id, addr) = followed(&backend).await;

        let mut s = Stream::open(addr, &id, &ann, None).await;
        assert_eq!(s.1, 200);
        let mut seen = Vec::new();
        loop {
            let (event_id, state) = s.next().await;
            seen.push((event_id, state.clone()));
            if state == "confirmed" {
                break;
            }
        }
        assert_eq!(seen.first().map(|s| s.1.as_str()), Some("pending"), "the history comes first: {seen:?}");
        let confirmed = seen.last().expect("confirmed").0.clone();

        // The seller starts: the order follows, and the follower hears of it.
        let part = part_of(&app, &id, &shop.seller).await;
        assert_eq!(part_move(&app, &part, &shop.seller, "processing").await.status, StatusCode::OK);
        app.settle().await;
        let (processing, state) = s.next().await;
        assert_eq!(state, "processing");

        // A reconnect names the last event it saw and gets only what came after.
        drop(s);
        let mut again = Stream::open(addr, &id, &ann, Some(&confirmed)).await;
        assert_eq!(again.next().await, (processing, "processing".to_owned()));

        // Another customer's order, or no credentials: nothing to follow.
        let (bob, _, _) = app.register("bob@example.com").await;
        assert_eq!(Stream::open(addr, &id, &bob, None).await.1, 404);
        assert_eq!(Stream::open(addr, &id, "not-a-token", None).await.1, 401);
    }
}

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<TcpStream>>;

/// The next change's state on `socket`, within five seconds.
async fn next(socket: &mut Socket) -> Result<String, tokio::time::error::Elapsed> {
    use futures_util::StreamExt;
    let read = async {
        loop {
            if let tokio_tungstenite::tungstenite::Message::Text(t) = socket.next().await.expect("open").expect("frame")
            {
                let v: serde_json::Value = serde_json::from_str(&t).expect("json");
                return v["state"].as_str().expect("state").to_owned();
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(5), read).await
}

#[tokio::test]
async fn a_websocket_follows_the_same_changes() {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    for backend in backends() {
        let (app, shop, ann, id, addr) = followed(&backend).await;
        let open = |token: &str| {
            let mut request = format!("ws://{addr}/api/v1/orders/{id}/live").into_client_request().expect("request");
            request.headers_mut().insert("authorization", format!("Bearer {token}").parse().expect("header"));
            tokio_tungstenite::connect_async(request)
        };
        let (mut socket, _) = open(&ann).await.expect("upgrade");
        let mut states = Vec::new();
        while states.last().map(String::as_str) != Some("confirmed") {
            states.push(next(&mut socket).await.expect("in time"));
        }
        let part = part_of(&app, &id, &shop.seller).await;
        assert_eq!(part_move(&app, &part, &shop.seller, "processing").await.status, StatusCode::OK);
        app.settle().await;
        assert_eq!(next(&mut socket).await.expect("in time"), "processing");

        let (bob, _, _) = app.register("bob@example.com").await;
        let refused = open(&bob).await.expect_err("another's order is not upgraded");
        assert!(refused.to_string().contains("404"), "{refused}");
    }
}
