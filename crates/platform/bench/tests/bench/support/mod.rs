//! A deliberately dumb keep-alive HTTP/1.1 server, so the tests see exactly what bench put on the wire
//! without depending on any server framework.
//!
//! Routes: `/sleep/<ms>` answers after a pause, `/fail` answers 500, `/drop` closes without answering,
//! `/close` answers with `Connection: close` and closes, `/json` answers a JSON document; anything else
//! answers `200 ok`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};

#[derive(Debug, Default)]
pub struct Counters {
    /// Every request head received, counted before any sleep.
    pub requests: AtomicU64,
    pub body_bytes: AtomicU64,
    pub json_bodies: AtomicU64,
    pub without_host: AtomicU64,
    pub connections: AtomicU64,
}

pub struct Server {
    pub addr: SocketAddr,
    pub counters: Arc<Counters>,
}

impl Server {
    pub async fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind test server");
        let addr = listener.local_addr().expect("local addr");
        let counters = Arc::new(Counters::default());
        let shared = counters.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                shared.connections.fetch_add(1, Ordering::Relaxed);
                tokio::spawn(serve(stream, shared.clone()));
            }
        });
        Server { addr, counters }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> u64 {
        self.counters.requests.load(Ordering::Relaxed)
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

// tokio's `io-util` feature is not enabled for this crate, so use the readiness API directly.
async fn read_some(stream: &TcpStream, buf: &mut [u8]) -> std::io::Result<usize> {
    loop {
        stream.readable().await?;
        match stream.try_read(buf) {
            Err(err) if err.kind() == std::io::ErrorKind::WouldBlock => continue,
            result => return result,
        }
    }
}

async fn write_all(stream: &TcpStream, mut data: &[u8]) -> std::io::Result<()> {
    while !data.is_empty() {
        stream.writable().await?;
        match stream.try_write(data) {
            Ok(n) => data = &data[n..],
            Err(err) if err.kind() == std::io::ErrorKind::WouldBlock => continue,
            Err(err) => return Err(err),
        }
    }
    Ok(())
}

async fn serve(stream: TcpStream, counters: Arc<Counters>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let head_end = loop {
            if let Some(pos) = find(&buf, b"\r\n\r\n") {
                break pos + 4;
            }
            match read_some(&stream, &mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let raw = String::from_utf8_lossy(&buf[..head_end]).into_owned();
        let head = raw.to_ascii_lowercase();
        let header = |name: &str| head.lines().find_map(|line| line.strip_prefix(name).map(|v| v.trim().to_owned()));
        let length: usize = header("content-length:").and_then(|v| v.parse().ok()).unwrap_or(0);
        while buf.len() < head_end + length {
            match read_some(&stream, &mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        counters.requests.fetch_add(1, Ordering::Relaxed);
        counters.body_bytes.fetch_add(length as u64, Ordering::Relaxed);
        if header("content-type:").as_deref() == Some("application/json") {
            counters.json_bodies.fetch_add(1, Ordering::Relaxed);
        }
        if header("host:").is_none() {
            counters.without_host.fetch_add(1, Ordering::Relaxed);
        }
        let target = raw.split_whitespace().nth(1).unwrap_or("/").to_owned();
        buf.drain(..head_end + length);

        let path = target.split('?').next().unwrap_or("/");
        let (status, extra, body) = match path {
            "/fail" => ("500 Internal Server Error", "", "boom".to_owned()),
            "/drop" => return,
            "/close" => ("200 OK", "Connection: close\r\n", "bye".to_owned()),
            "/json" => ("200 OK", "Content-Type: application/json\r\n", r#"{"items":[1,2,3]}"#.to_owned()),
            _ => {
                if let Some(ms) = path.strip_prefix("/sleep/").and_then(|ms| ms.parse().ok()) {
                    tokio::time::sleep(Duration::from_millis(ms)).await;
                }
                ("200 OK", "", format!("ok {target}"))
            }
        };
        let response = format!("HTTP/1.1 {status}\r\n{extra}Content-Length: {}\r\n\r\n{body}", body.len());
        if write_all(&stream, response.as_bytes()).await.is_err() || path == "/close" {
            return;
        }
    }
}
