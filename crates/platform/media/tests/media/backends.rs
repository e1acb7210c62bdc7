//! One body per behaviour, on local disk and on an S3-compatible server (`OXCART_TEST_S3_URL`,
//! moto in CI): both stores keep the same promises.

use media::{LocalStore, Object, ObjectStore, S3Settings, S3Store, StoreError};
use std::io::{Read, Write};

const KEY: &str = "products/prd_01ABC/img_01XYZ-600.jpg";

/// A bucket of the test's own on the S3 server, made with a plain PUT (the fake takes any
/// credentials), or `None` when no server is configured.
fn s3(url: &str) -> S3Store {
    let bucket = kernel::id::new_id("b").to_ascii_lowercase().replace('_', "-");
    let host = url.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = std::net::TcpStream::connect(host).expect("the S3 server answers");
    write!(stream, "PUT /{bucket} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        .expect("request");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("answer");
    assert!(answer.starts_with("HTTP/1.1 200"), "bucket creation: {answer}");
    let settings = S3Settings {
        endpoint: Some(url.to_owned()),
        bucket,
        region: "us-east-1".into(),
        access_key_id: "testing".into(),
        secret_access_key: "testing".into(),
    };
    S3Store::new(&settings).expect("settings are valid")
}

fn stores() -> Vec<(&'static str, Box<dyn ObjectStore>, Option<tempfile::TempDir>)> {
    let dir = tempfile::tempdir().expect("dir");
    let local = LocalStore::new(dir.path().join("root")).expect("root");
    let mut list: Vec<(&'static str, Box<dyn ObjectStore>, Option<tempfile::TempDir>)> =
        vec![("local", Box::new(local), Some(dir))];
    match std::env::var("OXCART_TEST_S3_URL") {
        Ok(url) if !url.trim().is_empty() => list.push(("s3", Box::new(s3(&url)), None)),
        _ => eprintln!("note: OXCART_TEST_S3_URL is not set; S3 runs are skipped"),
    }
    list
}

#[tokio::test]
async fn objects_round_trip_are_replaced_and_deleted_alike() {
    for (name, store, _dir) in stores() {
        store.put(KEY, b"jpeg bytes".to_vec(), "image/jpeg").await.expect("put");
        let object = store.get(KEY).await.expect("get").expect("present");
        assert_eq!(object, Object { bytes: b"jpeg bytes".to_vec(), content_type: "image/jpeg".into() }, "{name}");
        store.put("a/b.webp", vec![2], "IMAGE/WEBP").await.expect("put");
        assert_eq!(store.get("a/b.webp").await.expect("get").expect("present").content_type, "image/webp", "{name}");

        store.put(KEY, vec![7; 10], "image/jpeg").await.expect("overwrite");
        assert_eq!(store.get(KEY).await.expect("get").expect("present").bytes, vec![7; 10], "{name}");
        store.delete(KEY).await.expect("delete");
        assert_eq!(store.get(KEY).await.expect("get"), None, "{name}");
        store.delete(KEY).await.expect("deleting again succeeds");
        assert_eq!(store.get("products/none.png").await.expect("get"), None, "{name}: a missing key is none");
    }
}

#[tokio::test]
async fn bad_keys_and_mismatched_types_are_refused_alike() {
    for (name, store, _dir) in stores() {
        for key in ["", "../escape.png", "a//b.png", ".hidden/x.png", "a/b c.png"] {
            let err = store.put(key, vec![1], "image/png").await.expect_err("refused");
            assert!(matches!(err, StoreError::InvalidKey { .. }), "{name} {key:?}: {err}");
        }
        let err = store.put("a/b.png", vec![1], "image/jpeg").await.expect_err("refused");
        assert!(matches!(err, StoreError::ContentTypeMismatch { .. }), "{name}: {err}");
    }
}

/// An S3 endpoint that does not answer: the store says so, and a request gets a 503.
#[tokio::test]
async fn an_unreachable_bucket_is_unavailable_not_an_internal_error() {
    let settings = S3Settings {
        endpoint: Some("http://127.0.0.1:1".into()),
        bucket: "none".into(),
        region: "us-east-1".into(),
        access_key_id: "x".into(),
        secret_access_key: "y".into(),
    };
    let store = S3Store::new(&settings).expect("valid settings");
    assert!(store.check().await.is_err(), "nothing listens on port 1");
    let err = store.get(KEY).await.expect_err("unreachable");
    assert!(matches!(err, StoreError::Unavailable { .. }), "{err}");
    let answer = kernel::Error::from(err);
    assert_eq!((answer.code.as_ref(), answer.retry_after_secs), ("backend_unavailable", Some(2)));
}
