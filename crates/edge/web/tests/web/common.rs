//! A cookie-keeping client that reads pages and posts their forms, and the shop it browses.

#![allow(dead_code)]

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::json;
use std::collections::BTreeMap;
use testkit::{TestApp, TestResponse};

/// A browser without JavaScript: it keeps cookies and the CSRF token of the last page.
pub struct Browser<'a> {
    pub app: &'a TestApp,
    pub cookies: BTreeMap<String, String>,
    pub csrf: String,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self { app, cookies: BTreeMap::new(), csrf: String::new() }
    }

    fn cookie_header(&self) -> String {
        self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    fn keep(&mut self, r: &TestResponse) {
        for set in r.headers.get_all(header::SET_COOKIE) {
            let set = set.to_str().expect("ascii cookie");
            let (pair, attrs) = set.split_once(';').unwrap_or((set, ""));
            let (k, v) = pair.split_once('=').expect("name=value");
            if attrs.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_owned(), v.to_owned());
            }
        }
        if let Some(token) = field_value(&r.text, "csrf") {
            self.csrf = token;
        }
    }

    pub async fn get(&mut self, path: &str) -> TestResponse {
        let request = Request::get(path)
            .header(header::ACCEPT, "text/html")
            .header(header::COOKIE, self.cookie_header())
            .body(Body::empty())
            .expect("request");
        let r = self.app.send(request).await;
        self.keep(&r);
        r
    }

    /// Posts a form as the shop's own page would, with the page's CSRF token.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let mut all = vec![("csrf", self.csrf.clone())];
        all.extend(fields.iter().map(|(k, v)| (*k, (*v).to_owned())));
        self.post_raw(path, &all, &[("sec-fetch-site", "same-origin"), ("origin", "http://shop.test")]).await
    }

    pub async fn post_raw(&mut self, path: &str, fields: &[(&str, String)], headers: &[(&str, &str)]) -> TestResponse {
        let body: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields.iter().map(|(k, v)| (k, v)))
            .finish();
        let mut builder = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::HOST, "shop.test")
            .header(header::ACCEPT, "text/html")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, self.cookie_header());
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        let r = self.app.send(builder.body(Body::from(body)).expect("request")).await;
        self.keep(&r);
        r
    }
}

impl Browser<'_> {
    /// Posts a file as a page's upload form would: the CSRF token in the address, the body
    /// `multipart/form-data` with `file` and the text `fields`.
    pub async fn post_file(&mut self, path: &str, fields: &[(&str, &str)], file: &[u8], csrf: bool) -> TestResponse {
        const BOUNDARY: &str = "oxcart-test-boundary";
        let mut body = Vec::new();
        for (k, v) in fields {
            body.extend(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").bytes());
        }
        body.extend(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.png\"\r\nContent-Type: image/png\r\n\r\n")
                .bytes(),
        );
        body.extend_from_slice(file);
        body.extend(format!("\r\n--{BOUNDARY}--\r\n").bytes());
        let uri = if csrf { format!("{path}?csrf={}", self.csrf) } else { path.to_owned() };
        let request = Request::builder()
            .method(Method::POST)
            .uri(uri)
            .header(header::HOST, "shop.test")
            .header(header::ACCEPT, "text/html")
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
            .header(header::COOKIE, self.cookie_header())
            .header("sec-fetch-site", "same-origin")
            .header("origin", "http://shop.test")
            .body(Body::from(body))
            .expect("request");
        let r = self.app.send(request).await;
        self.keep(&r);
        r
    }
}

/// A small PNG of `width` by `height`, for uploads.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let picture = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    let mut out = std::io::Cursor::new(Vec::new());
    picture.write_to(&mut out, image::ImageFormat::Png).expect("encode test picture");
    out.into_inner()
}

/// The `value` of the first input named `name` in a page.
pub fn field_value(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("name=\"{name}\""))?;
    let rest = &html[at..];
    let v = rest.find("value=\"")? + 7;
    let end = rest[v..].find('"')?;
    Some(rest[v..v + end].to_owned())
}

/// The text of an HTML page with tags removed and whitespace collapsed, for asserting on what
/// a person reads.
pub fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&#38;", "&").split_whitespace().collect::<Vec<_>>().join(" ")
}

pub struct Shop {
    pub admin: String,
    pub seller: String,
    pub product_id: String,
    pub slug: String,
    /// S at $25.00 (compare-at $30.00, 10 in stock) and M at $27.00 (3 in stock).
    pub small: String,
    pub medium: String,
    pub category_slug: String,
}

/// The password `TestApp::register` gives accounts.
pub const PASSWORD: &str = "correct horse battery";

/// The demo's shipping zones and tax rules, for checkouts.
pub async fn zones(app: &TestApp) {
    app.app.shipping.demo_seed().await.expect("shipping zones");
    app.app.tax.demo_seed().await.expect("tax rules");
}

/// The address fields of a delivery in California.
pub fn address() -> Vec<(&'static str, &'static str)> {
    vec![
        ("name", "Ann Lee"),
        ("line1", "1 Market St"),
        ("city", "San Francisco"),
        ("region", "CA"),
        ("postal_code", "94105"),
        ("country", "US"),
    ]
}

/// The value of `name="<name>" value="…"` for an input whose name starts with `prefix`.
pub fn input_named(html: &str, prefix: &str) -> Option<(String, String)> {
    let at = html.find(&format!("name=\"{prefix}"))? + 6;
    let name_end = html[at..].find('"')?;
    let name = html[at..at + name_end].to_owned();
    Some((name.clone(), field_value(&html[at - 6..], &name)?))
}

/// A category, an approved seller and an active two-variant product in it, indexed.
pub async fn shop(app: &TestApp) -> Shop {
    let (admin, _) = app.user_with_role("admin@example.com", kernel::auth::Role::Admin).await;
    let r = app.post("/api/v1/categories", json!({"name": "Trail Wear"}), Some(&admin)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let category = r.json();
    let (seller, _) = app.seller("seller@example.com").await;
    let body = json!({
        "title": "Ridge Trail Shirt",
        "description": "A light shirt for long days.\n\nDries in an hour.",
        "status": "active",
        "category_id": category["id"],
        "options": [{"name": "Size", "values": ["S", "M"]}],
        "variants": [
            {"sku": "RIDGE-S", "options": {"Size": "S"}, "price": 2500, "compare_at_price": 3000},
            {"sku": "RIDGE-M", "options": {"Size": "M"}, "price": 2700}
        ]
    });
    let r = app.post("/api/v1/products", body, Some(&seller)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let p = r.json();
    let r = app.post("/api/v1/inventory/locations", json!({"name": "Main"}), Some(&seller)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let location = r.json()["id"].as_str().expect("id").to_owned();
    for (sku, n) in [("RIDGE-S", 10), ("RIDGE-M", 3)] {
        let body = json!({"sku": sku, "location_id": location, "kind": "received", "quantity": n, "reason": "test"});
        let r = app.post("/api/v1/inventory/adjustments", body, Some(&seller)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    app.settle().await;
    Shop {
        admin,
        seller,
        product_id: p["id"].as_str().expect("id").to_owned(),
        slug: p["slug"].as_str().expect("slug").to_owned(),
        small: p["variants"][0]["id"].as_str().expect("id").to_owned(),
        medium: p["variants"][1]["id"].as_str().expect("id").to_owned(),
        category_slug: category["slug"].as_str().expect("slug").to_owned(),
    }
}

/// Posts `fields` (owned, as a page's form gives them back) with the page's CSRF token.
pub async fn post_fields(b: &mut Browser<'_>, path: &str, fields: &[(String, String)]) -> TestResponse {
    let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    b.post(path, &refs).await
}
