//! The pages a visitor browses: home, category, search with facets, a product with its
//! variants, the site files, and the friendly 404.

use crate::common::{Browser, shop, text};
use axum::http::StatusCode;
use testkit::TestApp;

#[tokio::test]
async fn a_visitor_browses_from_home_to_a_variant() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let s = shop(&app).await;
        let mut b = Browser::new(&app);

        let home = b.get("/").await;
        assert_eq!(home.status, StatusCode::OK, "{}", home.text);
        let visitor = home.header("set-cookie").expect("a visitor cookie on the first page");
        assert!(
            visitor.starts_with("oxcart-visitor=") && visitor.contains("HttpOnly") && visitor.contains("SameSite=Lax")
        );
        let csp = home.header("content-security-policy").expect("a page policy");
        assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), "{csp}");
        let seen = text(&home.text);
        assert!(
            seen.contains("Trail Wear") && seen.contains("Ridge Trail Shirt") && seen.contains("from $25.00"),
            "{seen}"
        );
        assert!(home.text.contains(&format!("href=\"/c/{}\"", s.category_slug)));
        assert!(b.get("/").await.header("set-cookie").is_none(), "the visitor is kept, not made anew");

        let category = b.get(&format!("/c/{}", s.category_slug)).await;
        assert_eq!(category.status, StatusCode::OK);
        let seen = text(&category.text);
        assert!(seen.contains("1 product") && seen.contains("Ridge Trail Shirt"), "{seen}");
        assert!(
            category
                .text
                .contains(&format!("<link rel=\"canonical\" href=\"http://127.0.0.1:8080/c/{}\">", s.category_slug))
        );

        let found = b.get("/search?q=ridge&in_stock=1&sort=price_asc").await;
        assert_eq!(found.status, StatusCode::OK);
        assert!(text(&found.text).contains("Results for “ridge” 1 product"), "{}", text(&found.text));
        assert!(found.text.contains("name=\"in_stock\" value=\"1\" checked"), "the filter form shows what is applied");
        assert!(found.text.contains("<option value=\"price_asc\" selected>"));
        let price = b.get("/search?q=ridge&price=-2000").await;
        assert!(text(&price.text).contains("0 products"), "nothing under $20.00");
        let nonsense = b.get("/search?rating=9&price=x-y&page=0&brand=nope").await;
        assert_eq!(nonsense.status, StatusCode::OK, "unreadable filters are dropped or explained, never a 500");

        let product = b.get(&format!("/p/{}", s.slug)).await;
        assert_eq!(product.status, StatusCode::OK);
        let seen = text(&product.text);
        assert!(seen.contains("$25.00") && seen.contains("was $30.00") && seen.contains("In stock"), "{seen}");
        assert!(seen.contains("Dries in an hour.") && seen.contains("No reviews yet."));
        assert!(product.text.contains("\"@type\":\"Product\"") && product.text.contains("\"price\":\"25.00\""));
        let chosen = b.get(&format!("/p/{}?variant={}", s.slug, s.medium)).await;
        let seen = text(&chosen.text);
        assert!(seen.contains("$27.00") && seen.contains("Only 3 left"), "the page follows the chosen variant: {seen}");
        assert!(chosen.text.contains(&format!(
            "<option value=\"{}\" data-price=\"$27.00\" data-was=\"\" data-stock=\"Only 3 left\" selected>",
            s.medium
        )));
    }
}

#[tokio::test]
async fn unknown_pages_are_friendly_and_the_api_stays_json() {
    let backend = testkit::backends().remove(0);
    let app = TestApp::spawn(&backend).await;
    let s = shop(&app).await;
    let mut b = Browser::new(&app);
    for path in ["/p/no-such-product", "/c/no-such-category", "/nothing/here"] {
        let r = b.get(path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(r.header("content-type").expect("a type").starts_with("text/html"), "{path}");
        assert!(text(&r.text).contains("Page not found"), "{path}");
    }
    let api = b.get("/api/v1/nothing").await;
    assert_eq!((api.status, api.code()), (StatusCode::NOT_FOUND, "route_not_found".to_owned()));
    let plain = app.get("/nothing/here", None).await;
    assert_eq!(plain.code(), "route_not_found", "a client that does not ask for HTML gets problem+json");
    let archived = app
        .call(axum::http::Method::DELETE, &format!("/api/v1/products/{}", s.product_id), None, Some(&s.seller))
        .await;
    assert!(archived.status.is_success(), "{}", archived.text);
    app.settle().await;
    assert_eq!(b.get(&format!("/p/{}", s.slug)).await.status, StatusCode::NOT_FOUND, "an archived product is gone");
}

#[tokio::test]
async fn the_site_files_are_served_from_the_binary() {
    let backend = testkit::backends().remove(0);
    let app = TestApp::spawn(&backend).await;
    let s = shop(&app).await;
    let mut b = Browser::new(&app);
    let home = b.get("/").await;
    for asset in ["site.", "app.", "icon."] {
        let at = home.text.find(&format!("/assets/{asset}")).expect(asset);
        let url = &home.text[at..at + home.text[at..].find('"').expect("quoted")];
        let r = b.get(url).await;
        assert_eq!(r.status, StatusCode::OK, "{url}");
        assert_eq!(r.header("cache-control"), Some("public, max-age=31536000, immutable"), "{url}");
    }
    assert_eq!(b.get("/assets/site.000000000000.css").await.status, StatusCode::NOT_FOUND, "only current names");

    let manifest = app.get("/manifest.webmanifest", None).await;
    assert_eq!(manifest.header("content-type"), Some("application/manifest+json"));
    let m = manifest.json();
    assert_eq!((m["display"].as_str(), m["start_url"].as_str()), (Some("standalone"), Some("/")));
    for icon in m["icons"].as_array().expect("icons") {
        let r = b.get(icon["src"].as_str().expect("src")).await;
        assert_eq!(r.status, StatusCode::OK, "{icon}");
    }
    let sw = app.get("/sw.js", None).await;
    assert!(sw.text.contains("caches.match(\"/offline\")"), "the worker falls back to the offline page");
    assert_eq!(b.get("/offline").await.status, StatusCode::OK);

    let sitemap = app.get("/sitemap.xml", None).await;
    assert!(sitemap.text.contains(&format!("<loc>http://127.0.0.1:8080/p/{}</loc>", s.slug)), "{}", sitemap.text);
    assert!(sitemap.text.contains(&format!("<loc>http://127.0.0.1:8080/c/{}</loc>", s.category_slug)));
    let robots = app.get("/robots.txt", None).await;
    assert!(
        robots.text.contains("Disallow: /cart") && robots.text.contains("Sitemap: http://127.0.0.1:8080/sitemap.xml")
    );
}

#[tokio::test]
async fn a_signed_in_customer_reviews_once_and_a_visitor_is_asked_to_sign_in() {
    let backend = testkit::backends().remove(0);
    let app = TestApp::spawn(&backend).await;
    let s = shop(&app).await;
    app.register("rae@example.com").await;
    let mut b = Browser::new(&app);
    let page = b.get(&format!("/p/{}", s.slug)).await;
    assert!(text(&page.text).contains("Sign in to write a review."));
    b.get("/account/login").await;
    b.post("/account/login", &[("email", "rae@example.com"), ("password", crate::common::PASSWORD)]).await;
    b.get(&format!("/p/{}", s.slug)).await;
    let path = format!("/p/{}/reviews", s.slug);
    let posted = b.post(&path, &[("rating", "4"), ("title", "Comfortable"), ("body", "Wore it all week.")]).await;
    assert_eq!(posted.status, StatusCode::SEE_OTHER, "{}", text(&posted.text));
    app.settle().await;
    let seen = text(&b.get(&format!("/p/{}", s.slug)).await.text);
    assert!(
        seen.contains("4.0 out of 5 from 1 review")
            && seen.contains("Comfortable")
            && seen.contains("Wore it all week."),
        "{seen}"
    );
    let twice = b.post(&path, &[("rating", "5"), ("title", "Again"), ("body", "Second thoughts")]).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert!(
        twice.text.contains("value=\"Again\"") && twice.text.contains(">Second thoughts</textarea>"),
        "what was written is kept"
    );
    let bad = b.post(&path, &[("rating", "9")]).await;
    assert!(bad.status == StatusCode::UNPROCESSABLE_ENTITY || bad.status == StatusCode::CONFLICT, "{}", bad.status);
}

#[tokio::test]
async fn money_and_dates_follow_the_shops_locale() {
    let backend = testkit::backends().remove(0);
    let app = TestApp::spawn_with(&backend, |c| {
        c.set("web.locale", "de-DE");
        c.set("catalog.currency", "EUR");
    })
    .await;
    let s = shop(&app).await;
    let mut b = Browser::new(&app);
    let page = b.get(&format!("/p/{}", s.slug)).await;
    assert!(page.text.contains("<html lang=\"de-DE\">"));
    assert!(page.text.contains("25,00\u{a0}€") && page.text.contains("30,00\u{a0}€"), "{}", text(&page.text));
}
