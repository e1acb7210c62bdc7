//! A guest's cart through plain forms: add, change, refuse with the reason beside the field,
//! codes, remove; and the CSRF guard in front of every form.

use crate::common::{Browser, shop, text};
use axum::http::StatusCode;
use serde_json::json;
use testkit::TestApp;

#[tokio::test]
async fn a_guest_fills_a_cart_with_plain_forms() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let s = shop(&app).await;
        let r = app
            .post(
                "/api/v1/promotions",
                json!({"name": "Ten off", "kind": "fixed", "value": 1000, "code": "TENOFF", "combinable": true}),
                Some(&s.admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let mut b = Browser::new(&app);
        b.get(&format!("/p/{}", s.slug)).await;

        let added = b.post("/cart/add", &[("slug", &s.slug), ("variant_id", &s.small), ("quantity", "2")]).await;
        assert_eq!((added.status, added.header("location")), (StatusCode::SEE_OTHER, Some("/cart")), "{}", added.text);
        let cookie = added.header("set-cookie").expect("the new cart's token is kept");
        assert!(cookie.starts_with("oxcart-cart=") && cookie.contains("HttpOnly"), "{cookie}");
        let cart = b.get("/cart").await;
        let seen = text(&cart.text);
        assert!(seen.contains("Ridge Trail Shirt S") && seen.contains("$25.00 each was $30.00"), "{seen}");
        assert!(
            seen.contains("Subtotal $50.00") && seen.contains("Total $50.00") && seen.contains("You save $10.00"),
            "{seen}"
        );
        assert!(cart.text.contains("aria-label=\"2 items\""), "the header counts the items");

        let too_many = b.post("/cart/add", &[("slug", &s.slug), ("variant_id", &s.medium), ("quantity", "4")]).await;
        assert_eq!(too_many.status, StatusCode::CONFLICT, "{}", text(&too_many.text));
        let seen = text(&too_many.text);
        assert!(seen.contains("$27.00") && seen.contains("3"), "the product again, on the refused variant: {seen}");
        assert!(too_many.text.contains("value=\"4\" required aria-invalid=\"true\""), "what was typed is kept");

        let changed = b.post("/cart/update", &[("variant_id", &s.small), ("quantity", "3")]).await;
        assert_eq!(changed.status, StatusCode::SEE_OTHER);
        assert!(text(&b.get("/cart").await.text).contains("Subtotal $75.00"));
        let refused = b.post("/cart/update", &[("variant_id", &s.small), ("quantity", "abc")]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.text.contains("value=\"abc\" aria-invalid=\"true\""), "{}", refused.text);
        assert!(text(&refused.text).contains("Subtotal $75.00"), "nothing changed");

        let unknown = b.post("/cart/codes", &[("code", "NOPE")]).await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(unknown.text.contains("name=\"code\" value=\"NOPE\""), "the code typed is kept");
        assert!(text(&unknown.text).contains("No such discount code."), "{}", text(&unknown.text));
        assert_eq!(b.post("/cart/codes", &[("code", "tenoff")]).await.status, StatusCode::SEE_OTHER);
        let seen = text(&b.get("/cart").await.text);
        assert!(seen.contains("TENOFF -$10.00") && seen.contains("Total $65.00"), "{seen}");
        assert_eq!(b.post("/cart/codes/remove", &[("code", "TENOFF")]).await.status, StatusCode::SEE_OTHER);
        assert!(text(&b.get("/cart").await.text).contains("Total $75.00"));

        assert_eq!(b.post("/cart/remove", &[("variant_id", &s.small)]).await.status, StatusCode::SEE_OTHER);
        assert_eq!(
            b.post("/cart/remove", &[("variant_id", &s.small)]).await.status,
            StatusCode::SEE_OTHER,
            "twice is harmless"
        );
        assert!(text(&b.get("/cart").await.text).contains("Your cart is empty."));
    }
}

#[tokio::test]
async fn every_form_needs_this_shops_token_and_origin() {
    let backend = testkit::backends().remove(0);
    let app = TestApp::spawn(&backend).await;
    let s = shop(&app).await;
    let mut b = Browser::new(&app);
    b.get(&format!("/p/{}", s.slug)).await;
    let fields =
        |csrf: &str| vec![("csrf", csrf.to_owned()), ("variant_id", s.small.clone()), ("quantity", "1".to_owned())];
    let same = [("sec-fetch-site", "same-origin")];
    let token = b.csrf.clone();
    for (why, csrf, headers) in [
        ("no token", "", &same[..]),
        ("another visitor's token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &same[..]),
        ("a cross-site form", token.as_str(), &[("sec-fetch-site", "cross-site")][..]),
        ("another origin", token.as_str(), &[("origin", "https://evil.example")][..]),
        ("an opaque origin", token.as_str(), &[("origin", "null")][..]),
    ] {
        let r = b.post_raw("/cart/add", &fields(csrf), headers).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{why}");
        assert!(text(&r.text).contains("Not allowed"), "{why}: a page, not JSON");
    }
    let mut stranger = Browser::new(&app);
    let r = stranger.post_raw("/cart/add", &fields(&token), &same).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "a token without its visitor cookie");
    assert!(text(&b.get("/cart").await.text).contains("Your cart is empty."), "nothing was added");

    let ok = b.post_raw("/cart/add", &fields(&token), &[("origin", "http://shop.test")]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "the shop's own origin, no Sec-Fetch-Site (older browsers)");
    let private =
        b.post_raw("/cart/add", &fields(&token), &[("origin", "null"), ("sec-fetch-site", "same-origin")]).await;
    assert_eq!(
        private.status,
        StatusCode::SEE_OTHER,
        "a page under no-referrer sends Origin: null, vouched by Sec-Fetch-Site"
    );
    let get = b.get(&format!("/cart/add?csrf={token}&variant_id={}&quantity=1", s.small)).await;
    assert_eq!(get.status, StatusCode::METHOD_NOT_ALLOWED, "a GET changes nothing");
    let big = b.post_raw("/cart/codes", &[("csrf", token.clone()), ("code", "x".repeat(70_000))], &same).await;
    assert_eq!(big.status, StatusCode::PAYLOAD_TOO_LARGE);
}
