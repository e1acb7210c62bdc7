//! Product images: multipart uploads checked by content, the files they produce and how they
//! are served, limits, ordering and deletion.

use crate::common::{Shop, create, jacket, shop};
use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use image::{ImageFormat, Rgb, RgbImage};
use serde_json::{Value, json};
use std::io::Cursor;
use std::net::SocketAddr;
use std::path::PathBuf;
use testkit::{TestApp, TestResponse};
use tower::ServiceExt;

const BOUNDARY: &str = "----oxcart-test-boundary-7MA4YWxkTrZu0gW";

/// A picture with a gradient, so that every pixel differs a little.
fn picture(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8]))
}

/// A picture of pseudo-random pixels: it barely compresses, so its size is predictable.
fn noise(width: u32, height: u32) -> RgbImage {
    let mut state: u32 = 0x1234_5678;
    RgbImage::from_fn(width, height, |_, _| {
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state & 0xff) as u8
        };
        Rgb([next(), next(), next()])
    })
}

fn encode(image: &RgbImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, format).expect("encode test picture");
    out.into_inner()
}

fn png(width: u32, height: u32) -> Vec<u8> {
    encode(&picture(width, height), ImageFormat::Png)
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    encode(&picture(width, height), ImageFormat::Jpeg)
}

struct Part<'a> {
    name: &'a str,
    filename: Option<&'a str>,
    content_type: Option<&'a str>,
    data: &'a [u8],
}

fn file_part<'a>(filename: &'a str, content_type: &'a str, data: &'a [u8]) -> Part<'a> {
    Part { name: "file", filename: Some(filename), content_type: Some(content_type), data }
}

fn text_part<'a>(name: &'a str, value: &'a str) -> Part<'a> {
    Part { name, filename: None, content_type: None, data: value.as_bytes() }
}

/// A `multipart/form-data` body, written out by hand.
fn multipart(parts: &[Part<'_>]) -> Vec<u8> {
    let mut body = Vec::new();
    for p in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        let mut disposition = format!("Content-Disposition: form-data; name=\"{}\"", p.name);
        if let Some(f) = p.filename {
            disposition.push_str(&format!("; filename=\"{f}\""));
        }
        body.extend_from_slice(disposition.as_bytes());
        body.extend_from_slice(b"\r\n");
        if let Some(ct) = p.content_type {
            body.extend_from_slice(format!("Content-Type: {ct}\r\n").as_bytes());
        }
        body.extend_from_slice(b"\r\n");
        body.extend_from_slice(p.data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

fn multipart_type() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

async fn upload(app: &TestApp, product: &str, token: Option<&str>, parts: &[Part<'_>]) -> TestResponse {
    let path = format!("/api/v1/products/{product}/images");
    app.send_bytes(Method::POST, &path, &multipart_type(), multipart(parts), token).await
}

async fn uploaded(app: &TestApp, product: &str, token: &str, parts: &[Part<'_>]) -> Value {
    let r = upload(app, product, Some(token), parts).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json()
}

/// A response with its body as bytes (the test kit's responses are text).
struct Fetched {
    status: StatusCode,
    headers: HeaderMap,
    bytes: Vec<u8>,
}

impl Fetched {
    fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
    }

    fn problem_code(&self) -> String {
        assert_eq!(self.header("content-type"), "application/problem+json", "{}", self.status);
        let v: Value = serde_json::from_slice(&self.bytes).expect("problem JSON");
        v["code"].as_str().unwrap_or_default().to_owned()
    }
}

async fn fetch(router: &Router, path: &str) -> Fetched {
    let mut request = Request::builder().uri(path).body(Body::empty()).expect("request");
    request.extensions_mut().insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
    let response = router.clone().oneshot(request).await.expect("router is infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.expect("body").to_bytes().to_vec();
    Fetched { status, headers, bytes }
}

/// Checks a served picture and returns its decoded size.
async fn served(router: &Router, url: &str, content_type: &str, format: ImageFormat) -> (u32, u32, Vec<u8>) {
    assert!(url.starts_with("/media/"), "{url}");
    let f = fetch(router, url).await;
    assert_eq!(f.status, StatusCode::OK, "{url}: {}", String::from_utf8_lossy(&f.bytes));
    assert_eq!(f.header("content-type"), content_type, "{url}");
    assert!(f.header("cache-control").contains("immutable"), "{url}: {}", f.header("cache-control"));
    assert_eq!(f.header("x-content-type-options"), "nosniff");
    let decoded = image::load_from_memory_with_format(&f.bytes, format).expect("the file decodes in its format");
    (decoded.width(), decoded.height(), f.bytes)
}

/// Files the object store holds for a product.
fn stored_files(app: &TestApp, product_id: &str) -> Vec<String> {
    let dir: PathBuf = app.app.config.data_dir.join("media").join("products").join(product_id);
    let Ok(entries) = std::fs::read_dir(&dir) else { return Vec::new() };
    let mut names: Vec<String> =
        entries.map(|e| e.expect("entry").file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

fn image_ids(product: &Value) -> Vec<String> {
    product["images"].as_array().expect("images").iter().map(|i| i["id"].as_str().expect("id").to_owned()).collect()
}

async fn product_with_seller(app: &TestApp) -> (Shop, String) {
    let s = shop(app).await;
    let p = create(app, &s.seller, jacket("Storm Jacket", "STORM", 12900, &s)).await;
    let id = p["id"].as_str().expect("id").to_owned();
    (s, id)
}

/// With `media.s3` set, pictures and their copies go to the bucket, not the data dir, and are
/// served from it through the same URLs.
#[tokio::test]
async fn uploads_go_to_the_bucket_when_one_is_configured() {
    let Some(url) = testkit::s3::url() else { return };
    let s3 = testkit::s3::bucket(&url);
    let app = TestApp::spawn_with(&testkit::TestBackend::Sqlite, |c| c.media.s3 = Some(s3)).await;
    let router = oxcart::http::router(&app.app);
    let ready = app.get("/health/ready", None).await.json();
    assert_eq!(ready["checks"]["objects"], "ok", "readiness names the bucket: {ready}");
    let (s, pid) = product_with_seller(&app).await;
    let original = png(800, 400);
    let p = uploaded(&app, &pid, &s.seller, &[file_part("front.png", "image/png", &original)]).await;
    let img = &p["images"][0];
    assert!(!app.app.config.data_dir.join("media").exists(), "nothing written to the data dir");
    let (w, h, bytes) = served(&router, img["url"].as_str().expect("url"), "image/png", ImageFormat::Png).await;
    assert_eq!((w, h, bytes), (800, 400, original), "the original, byte for byte, from the bucket");
    let thumb = img["thumbnail_url"].as_str().expect("thumbnail");
    assert_eq!(served(&router, thumb, "image/jpeg", ImageFormat::Jpeg).await.0, 200);
}

#[tokio::test]
async fn uploads_are_stored_with_resized_copies_and_served_for_good() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let router = oxcart::http::router(&app.app);
        let (s, pid) = product_with_seller(&app).await;
        // The public page is cached before the upload; the upload must evict it.
        assert_eq!(app.get("/api/v1/products/storm-jacket", None).await.json()["images"], json!([]));

        let original = png(800, 400);
        let p = uploaded(
            &app,
            &pid,
            &s.seller,
            &[file_part("front.png", "image/png", &original), text_part("alt", "Front view")],
        )
        .await;
        assert_eq!(p["id"], pid.as_str());
        let images = p["images"].as_array().expect("images");
        assert_eq!(images.len(), 1, "{p}");
        let img = &images[0];
        let img_id = img["id"].as_str().expect("id");
        assert!(img_id.starts_with("img_"), "{img_id}");
        assert_eq!(img["url"], format!("/media/products/{pid}/{img_id}.png"));
        assert_eq!(img["medium_url"], format!("/media/products/{pid}/{img_id}-600.jpg"));
        assert_eq!(img["thumbnail_url"], format!("/media/products/{pid}/{img_id}-200.jpg"));
        assert_eq!((img["width"].clone(), img["height"].clone()), (json!(800), json!(400)));
        assert_eq!((img["alt"].clone(), img["position"].clone()), (json!("Front view"), json!(0)));
        assert_eq!(
            stored_files(&app, &pid),
            [format!("{img_id}-200.jpg"), format!("{img_id}-600.jpg"), format!("{img_id}.png")]
        );

        let url = img["url"].as_str().expect("url");
        let (w, h, bytes) = served(&router, url, "image/png", ImageFormat::Png).await;
        assert_eq!((w, h), (800, 400));
        assert_eq!(bytes, original, "the original is kept byte for byte");
        let medium = img["medium_url"].as_str().expect("medium");
        assert_eq!(served(&router, medium, "image/jpeg", ImageFormat::Jpeg).await.0, 600);
        assert_eq!(served(&router, medium, "image/jpeg", ImageFormat::Jpeg).await.1, 300);
        let thumb = img["thumbnail_url"].as_str().expect("thumbnail");
        let (tw, th, _) = served(&router, thumb, "image/jpeg", ImageFormat::Jpeg).await;
        assert_eq!((tw, th), (200, 100), "{} the longer side is 200", backend.name());

        let public = app.get("/api/v1/products/storm-jacket", None).await.json();
        assert_eq!(public["images"], p["images"], "the cached page was evicted");

        // A small JPEG is kept as it is and never upscaled.
        let small = jpeg(150, 100);
        let p = uploaded(&app, "storm-jacket", &s.seller, &[file_part("small.jpg", "image/jpeg", &small)]).await;
        let img = &p["images"][1];
        let small_id = img["id"].as_str().expect("id");
        assert_eq!(img["url"], format!("/media/products/{pid}/{small_id}.jpg"));
        assert_eq!((img["alt"].clone(), img["position"].clone()), (json!(""), json!(1)));
        assert_eq!((img["width"].clone(), img["height"].clone()), (json!(150), json!(100)));
        let (w, h, bytes) = served(&router, img["url"].as_str().expect("url"), "image/jpeg", ImageFormat::Jpeg).await;
        assert_eq!(((w, h), bytes), ((150, 100), small));
        for key in ["medium_url", "thumbnail_url"] {
            let (w, h, _) = served(&router, img[key].as_str().expect("url"), "image/jpeg", ImageFormat::Jpeg).await;
            assert_eq!((w, h), (150, 100), "{key}");
        }
        // WebP is the third accepted kind.
        let webp = encode(&picture(320, 240), ImageFormat::WebP);
        let p = uploaded(&app, &pid, &s.seller, &[file_part("w.webp", "image/webp", &webp)]).await;
        let img = &p["images"][2];
        let (w, h, bytes) = served(&router, img["url"].as_str().expect("url"), "image/webp", ImageFormat::WebP).await;
        assert_eq!(((w, h), bytes), ((320, 240), webp));
        let (w, h, _) =
            served(&router, img["thumbnail_url"].as_str().expect("url"), "image/jpeg", ImageFormat::Jpeg).await;
        assert_eq!((w, h), (200, 150));
        // A portrait picture is bounded by its height.
        let p = uploaded(&app, &pid, &s.seller, &[file_part("tall.png", "image/png", &png(300, 900))]).await;
        let img = &p["images"][3];
        let (w, h, _) =
            served(&router, img["medium_url"].as_str().expect("url"), "image/jpeg", ImageFormat::Jpeg).await;
        assert_eq!((w, h), (200, 600));
        let (w, h, _) =
            served(&router, img["thumbnail_url"].as_str().expect("url"), "image/jpeg", ImageFormat::Jpeg).await;
        assert_eq!((w, h), (67, 200));

        // The listing card shows the first image's thumbnail.
        app.settle().await;
        let listing = app.get("/api/v1/products?q=storm", None).await.json();
        assert_eq!(listing["items"][0]["image"], thumb, "{listing}");
    }
}

#[tokio::test]
async fn bad_uploads_are_refused_and_nothing_is_stored() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let (s, pid) = product_with_seller(&app).await;
        let (rival, _) = app.seller("rival@example.com").await;
        let (customer, _, _) = app.register("buyer@example.com").await;
        let good = png(64, 48);

        let r = upload(
            &app,
            &pid,
            Some(&s.seller),
            &[file_part("photo.png", "image/png", b"just some text, not a picture")],
        )
        .await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, "unsupported_image"),
            "{} {}",
            backend.name(),
            r.text
        );
        let truncated = &good[..good.len() / 2];
        let r = upload(&app, &pid, Some(&s.seller), &[file_part("half.png", "image/png", truncated)]).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, "unsupported_image"),
            "{}",
            r.text
        );
        // A GIF is a picture, but not one of the accepted kinds.
        let gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";
        let r = upload(&app, &pid, Some(&s.seller), &[file_part("dot.png", "image/png", gif)]).await;
        assert_eq!(r.code(), "unsupported_image", "{}", r.text);

        let r = upload(&app, &pid, Some(&s.seller), &[text_part("alt", "No file")]).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
            "{}",
            r.text
        );
        assert_eq!(r.json()["errors"][0]["field"], "file");
        let long_alt = "a".repeat(301);
        let r =
            upload(&app, &pid, Some(&s.seller), &[file_part("p.png", "image/png", &good), text_part("alt", &long_alt)])
                .await;
        assert_eq!(r.code(), "validation_failed", "{}", r.text);
        assert_eq!(r.json()["errors"][0]["field"], "alt");

        let path = format!("/api/v1/products/{pid}/images");
        let r = app.post(&path, json!({"file": "aGVsbG8="}), Some(&s.seller)).await;
        assert_eq!((r.status, r.code().as_str()), (StatusCode::BAD_REQUEST, "invalid_multipart"), "{}", r.text);
        let r = app.send_bytes(Method::POST, &path, "multipart/form-data", multipart(&[]), Some(&s.seller)).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (StatusCode::BAD_REQUEST, "invalid_multipart"),
            "no boundary: {}",
            r.text
        );
        let r = app.send_bytes(Method::POST, &path, &multipart_type(), b"garbage".to_vec(), Some(&s.seller)).await;
        assert_eq!((r.status, r.code().as_str()), (StatusCode::BAD_REQUEST, "invalid_multipart"), "{}", r.text);

        let r = upload(&app, &pid, Some(&rival), &[file_part("p.png", "image/png", &good)]).await;
        assert_eq!((r.status, r.code().as_str()), (StatusCode::NOT_FOUND, "product_not_found"), "{}", r.text);
        let r = upload(&app, &pid, Some(&customer), &[file_part("p.png", "image/png", &good)]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
        let r = upload(&app, &pid, None, &[file_part("p.png", "image/png", &good)]).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
        let r = upload(&app, "prd_nope", Some(&s.seller), &[file_part("p.png", "image/png", &good)]).await;
        assert_eq!(r.code(), "product_not_found");

        assert_eq!(stored_files(&app, &pid), Vec::<String>::new(), "no refused upload left a file");
        let p = app.get(&format!("/api/v1/products/{pid}"), Some(&s.seller)).await.json();
        assert_eq!(p["images"], json!([]));

        // The content decides, not the name or the declared type.
        let p = uploaded(&app, &pid, &s.seller, &[file_part("photo.gif", "text/plain", &good)]).await;
        let img_id = p["images"][0]["id"].as_str().expect("id");
        assert_eq!(p["images"][0]["url"], format!("/media/products/{pid}/{img_id}.png"));
        // An admin may add to any product.
        let p = uploaded(&app, &pid, &s.admin, &[file_part("a.jpg", "image/jpeg", &jpeg(10, 10))]).await;
        assert_eq!(p["images"].as_array().map(Vec::len), Some(2));
        assert_eq!(stored_files(&app, &pid).len(), 6);
    }
}

#[tokio::test]
async fn uploads_above_the_configured_size_are_413() {
    for backend in testkit::backends() {
        let app = TestApp::spawn_with(&backend, |c| c.set("catalog.max_upload_bytes", 4096)).await;
        let (s, pid) = product_with_seller(&app).await;

        let small = png(16, 16);
        assert!(small.len() < 4096, "{}", small.len());
        let big = encode(&noise(48, 48), ImageFormat::Png);
        assert!(big.len() > 4096 && big.len() < 64 * 1024, "{}", big.len());
        let huge = encode(&noise(200, 200), ImageFormat::Png);
        assert!(huge.len() > 4096 + 64 * 1024, "{}", huge.len());

        for (name, bytes) in [("above the limit", &big), ("above the body limit too", &huge)] {
            let r = upload(&app, &pid, Some(&s.seller), &[file_part("big.png", "image/png", bytes)]).await;
            assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{name}: {}", r.text);
            assert_eq!(r.code(), "image_too_large", "{name}: {}", r.text);
        }
        assert_eq!(stored_files(&app, &pid), Vec::<String>::new());

        let p = uploaded(&app, &pid, &s.seller, &[file_part("small.png", "image/png", &small)]).await;
        assert_eq!(p["images"].as_array().map(Vec::len), Some(1), "{} {p}", backend.name());
        assert_eq!(stored_files(&app, &pid).len(), 3);
    }
}

#[tokio::test]
async fn images_are_reordered_and_deleted_with_their_files() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let router = oxcart::http::router(&app.app);
        let (s, pid) = product_with_seller(&app).await;
        let (rival, _) = app.seller("rival@example.com").await;
        let other = create(&app, &s.seller, jacket("Other", "OTHER", 100, &s)).await;
        let other_id = other["id"].as_str().expect("id");
        let foreign = uploaded(&app, other_id, &s.seller, &[file_part("o.png", "image/png", &png(20, 20))]).await;
        let foreign = image_ids(&foreign)[0].clone();

        for (w, h) in [(300, 200), (200, 300), (100, 100)] {
            uploaded(&app, &pid, &s.seller, &[file_part("p.png", "image/png", &png(w, h))]).await;
        }
        let p = app.get(&format!("/api/v1/products/{pid}"), Some(&s.seller)).await.json();
        let ids = image_ids(&p);
        let (a, b, c) = (ids[0].clone(), ids[1].clone(), ids[2].clone());
        assert_eq!(p["images"][2]["width"], 100);

        let order = format!("/api/v1/products/{pid}/images/order");
        let r = app.call(Method::PUT, &order, Some(json!({"image_ids": [c, a, b]})), Some(&s.seller)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let p = r.json();
        assert_eq!(image_ids(&p), [c.clone(), a.clone(), b.clone()]);
        let positions: Vec<Value> =
            p["images"].as_array().expect("images").iter().map(|i| i["position"].clone()).collect();
        assert_eq!(positions, [json!(0), json!(1), json!(2)]);
        let public = app.get("/api/v1/products/storm-jacket", None).await.json();
        assert_eq!(image_ids(&public), [c.clone(), a.clone(), b.clone()], "the public page follows");
        app.settle().await;
        let listing = app.get("/api/v1/products?q=storm%20jacket", None).await.json();
        assert_eq!(listing["items"][0]["image"], p["images"][0]["thumbnail_url"], "{listing}");

        let bad_orders = [
            json!([c, a]),
            json!([c, a, a]),
            json!([c, a, b, b]),
            json!([c, a, foreign]),
            json!([c, a, b, foreign]),
            json!([c, a, "img_nope"]),
            json!([]),
        ];
        for ids in bad_orders {
            let r = app.call(Method::PUT, &order, Some(json!({"image_ids": ids})), Some(&s.seller)).await;
            assert_eq!(
                (r.status, r.code().as_str()),
                (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
                "{ids}: {}",
                r.text
            );
            assert_eq!(r.json()["errors"][0]["field"], "image_ids");
        }
        let r = app.call(Method::PUT, &order, Some(json!({"image_ids": [a, b, c]})), Some(&rival)).await;
        assert_eq!(r.code(), "product_not_found");
        let p = app.get(&format!("/api/v1/products/{pid}"), Some(&s.seller)).await.json();
        assert_eq!(image_ids(&p), [c.clone(), a.clone(), b.clone()], "refused orders changed nothing");

        // Delete `a`: its three files go, the others stay.
        let doomed = p["images"][1].clone();
        assert_eq!(doomed["id"], a.as_str());
        let r = app.call(Method::DELETE, &format!("/api/v1/products/{pid}/images/{a}"), None, Some(&rival)).await;
        assert_eq!(r.code(), "product_not_found");
        let r =
            app.call(Method::DELETE, &format!("/api/v1/products/{pid}/images/{foreign}"), None, Some(&s.seller)).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (StatusCode::NOT_FOUND, "image_not_found"),
            "another product's image"
        );
        let r = app.call(Method::DELETE, &format!("/api/v1/products/{pid}/images/{a}"), None, Some(&s.seller)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(image_ids(&r.json()), [c.clone(), b.clone()]);
        for key in ["url", "medium_url", "thumbnail_url"] {
            let f = fetch(&router, doomed[key].as_str().expect("url")).await;
            assert_eq!(f.status, StatusCode::NOT_FOUND, "{key}");
            assert_eq!(f.problem_code(), "media_not_found", "{key}");
        }
        assert_eq!(stored_files(&app, &pid).len(), 6, "{:?}", stored_files(&app, &pid));
        assert!(stored_files(&app, &pid).iter().all(|f| !f.starts_with(a.as_str())));
        let kept = &r.json()["images"][1];
        served(&router, kept["thumbnail_url"].as_str().expect("url"), "image/jpeg", ImageFormat::Jpeg).await;
        let r = app.call(Method::DELETE, &format!("/api/v1/products/{pid}/images/{a}"), None, Some(&s.seller)).await;
        assert_eq!(r.code(), "image_not_found", "deleting twice");
        let public = app.get("/api/v1/products/storm-jacket", None).await.json();
        assert_eq!(image_ids(&public), [c.clone(), b.clone()]);

        // Deleting the first picture moves the listing card to the next one, then to none.
        let r = app.call(Method::DELETE, &format!("/api/v1/products/{pid}/images/{c}"), None, Some(&s.seller)).await;
        let b_thumb = r.json()["images"][0]["thumbnail_url"].clone();
        app.settle().await;
        let listing = app.get("/api/v1/products?q=storm%20jacket", None).await.json();
        assert_eq!(listing["items"][0]["image"], b_thumb, "{} {listing}", backend.name());
        let r = app.call(Method::DELETE, &format!("/api/v1/products/{pid}/images/{b}"), None, Some(&s.seller)).await;
        assert_eq!(r.json()["images"], json!([]));
        app.settle().await;
        let listing = app.get("/api/v1/products?q=storm%20jacket", None).await.json();
        assert_eq!(listing["items"][0]["image"], Value::Null);
        assert_eq!(stored_files(&app, &pid), Vec::<String>::new());
    }
}

#[tokio::test]
async fn media_paths_cannot_leave_the_store() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let router = oxcart::http::router(&app.app);
        let data = app.app.config.data_dir.clone();
        std::fs::write(data.join("secret.txt"), "top secret").expect("write");
        std::fs::write(data.join("media").join(".hidden.png"), "hidden").expect("write");
        std::fs::create_dir_all(data.join("media").join("products")).expect("mkdir");

        let paths = [
            "/media/../secret.txt",
            "/media/../../etc/passwd",
            "/media/products/../../secret.txt",
            "/media/%2e%2e/secret.txt",
            "/media/..%2Fsecret.txt",
            "/media/products/..%2F..%2Fsecret.txt",
            "/media/%2Fetc%2Fpasswd",
            "/media//etc/passwd",
            "/media/.hidden.png",
            "/media/products",
            "/media/products/",
            "/media/products/prd_nope/img_nope.png",
            "/media/nope.jpg",
            "/media/a%00b.png",
            "/media/C:%5Csecret.txt",
        ];
        for path in paths {
            let f = fetch(&router, path).await;
            assert_eq!(
                f.status,
                StatusCode::NOT_FOUND,
                "{} {path}: {}",
                backend.name(),
                String::from_utf8_lossy(&f.bytes)
            );
            let code = f.problem_code();
            assert!(code == "media_not_found" || code == "route_not_found", "{path}: {code}");
            assert!(!String::from_utf8_lossy(&f.bytes).contains("secret"), "{path}");
        }
        assert_eq!(fetch(&router, "/media/products/x/y.png").await.problem_code(), "media_not_found");
    }
}

#[tokio::test]
async fn a_product_holds_at_most_twelve_images() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let (s, pid) = product_with_seller(&app).await;
        let tiny = png(8, 8);
        for n in 1..=12 {
            let p = uploaded(&app, &pid, &s.seller, &[file_part("t.png", "image/png", &tiny)]).await;
            assert_eq!(p["images"].as_array().map(Vec::len), Some(n));
            assert_eq!(p["images"][n - 1]["position"], n - 1);
        }
        let r = upload(&app, &pid, Some(&s.seller), &[file_part("t.png", "image/png", &tiny)]).await;
        assert_eq!(
            (r.status, r.code().as_str()),
            (StatusCode::CONFLICT, "image_limit"),
            "{} {}",
            backend.name(),
            r.text
        );
        assert_eq!(stored_files(&app, &pid).len(), 36);
    }
}

#[tokio::test]
async fn uploads_may_exceed_the_general_body_limit() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        assert_eq!(app.app.config.server.body_limit_bytes, 1024 * 1024);
        let (s, pid) = product_with_seller(&app).await;
        let big = encode(&noise(900, 900), ImageFormat::Png);
        assert!(big.len() > 2 * 1024 * 1024, "{}", big.len());
        let p = uploaded(&app, &pid, &s.seller, &[file_part("big.png", "image/png", &big)]).await;
        assert_eq!((p["images"][0]["width"].clone(), p["images"][0]["height"].clone()), (json!(900), json!(900)));
        // JSON bodies keep the general limit.
        let r = app.post("/api/v1/products", json!({"title": "x".repeat(1024 * 1024)}), Some(&s.seller)).await;
        assert_eq!((r.status, r.code().as_str()), (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"), "{}", r.text);
    }
}
