//! A bucket of the test's own on the S3-compatible server of `OXCART_TEST_S3_URL` (moto in CI).

use oxcart::config::S3Config;
use std::io::{Read, Write};

/// The server's address, or `None` (with a note) when none is configured.
pub fn url() -> Option<String> {
    match std::env::var("OXCART_TEST_S3_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url.trim_end_matches('/').to_owned()),
        _ => {
            eprintln!("note: OXCART_TEST_S3_URL is not set; S3 runs are skipped");
            None
        }
    }
}

/// Makes a new bucket with a plain PUT (the fake takes any credentials) and answers the
/// settings that use it.
pub fn bucket(url: &str) -> S3Config {
    let bucket = kernel::id::new_id("b").to_ascii_lowercase().replace('_', "-");
    let host = url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(host).expect("the S3 server answers");
    write!(stream, "PUT /{bucket} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        .expect("request");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("answer");
    assert!(answer.starts_with("HTTP/1.1 200"), "bucket creation: {answer}");
    S3Config {
        endpoint: Some(url.to_owned()),
        bucket,
        region: "us-east-1".into(),
        access_key_id: "testing".into(),
        secret_access_key: "testing".into(),
    }
}
