//! Faults localstripe cannot make, and providers with no fake of their own (PayPal): a tiny HTTP
//! server that answers from a script (500s, hangs, a given body in the provider's wire format)
//! and records what it was sent.

use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// What one call gets.
#[derive(Clone)]
pub enum Reply {
    Status(u16, &'static str),
    /// Never answers (the client's deadline must fire).
    Hang,
}

#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub authorization: Option<String>,
    pub path: String,
    pub idempotency_key: Option<String>,
    pub stripe_version: Option<String>,
    pub body: String,
}

pub struct Scripted {
    pub base: String,
    pub seen: Arc<Mutex<Vec<Seen>>>,
}

/// Serves `script` in order, then its last reply for ever.
pub async fn start(script: Vec<Reply>) -> Scripted {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        let mut n = 0usize;
        loop {
            let Ok((mut stream, _)) = listener.accept().await else { return };
            let reply = script.get(n).or(script.last()).cloned().unwrap_or(Reply::Status(500, "{}"));
            n += 1;
            let log = log.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 64 * 1024];
                let mut read = 0;
                // Headers, then as much body as Content-Length says.
                loop {
                    let Ok(k) = stream.read(&mut buf[read..]).await else { return };
                    if k == 0 {
                        return;
                    }
                    read += k;
                    let text = String::from_utf8_lossy(&buf[..read]).to_string();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let len = header(&text, "content-length").and_then(|v| v.parse::<usize>().ok()).unwrap_or(0);
                        if read >= end + 4 + len {
                            let mut first = text.lines().next().unwrap_or_default().split(' ');
                            log.lock().expect("log").push(Seen {
                                method: first.next().unwrap_or_default().to_owned(),
                                path: first.next().unwrap_or_default().to_owned(),
                                idempotency_key: header(&text, "idempotency-key")
                                    .or_else(|| header(&text, "paypal-request-id")),
                                authorization: header(&text, "authorization"),
                                stripe_version: header(&text, "stripe-version"),
                                body: text[end + 4..].to_owned(),
                            });
                            break;
                        }
                    }
                }
                match reply {
                    Reply::Hang => tokio::time::sleep(Duration::from_secs(3600)).await,
                    Reply::Status(status, body) => {
                        let response = format!(
                            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                            body.len()
                        );
                        let _ = stream.write_all(response.as_bytes()).await;
                    }
                }
            });
        }
    });
    Scripted { base, seen }
}

fn header(text: &str, name: &str) -> Option<String> {
    text.lines()
        .take_while(|l| !l.is_empty())
        .find_map(|l| l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.trim().to_owned()))
}
