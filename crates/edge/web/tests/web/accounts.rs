//! Accounts through the storefront's forms: register, sign in and out, the guest cart joining
//! the account, a forgotten password and its reset, the address book.

use crate::common::{Browser, field_value, shop, text};
use axum::http::{Method, StatusCode};
use serde_json::json;
use testkit::TestApp;

#[tokio::test]
async fn a_visitor_registers_signs_out_and_back_in_with_the_cart_kept() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let s = shop(&app).await;
        let mut b = Browser::new(&app);
        b.get(&format!("/p/{}", s.slug)).await;
        b.post("/cart/add", &[("variant_id", &s.small), ("quantity", "2")]).await;
        let guest_token = b.csrf.clone();

        b.get("/account/register").await;
        let bad =
            b.post("/account/register", &[("name", "Ann"), ("email", "not-an-address"), ("password", "short")]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.text.contains("id=\"email-error\"") && bad.text.contains("id=\"password-error\""),
            "{}",
            text(&bad.text)
        );
        assert!(bad.text.contains("value=\"not-an-address\"") && bad.text.contains("value=\"Ann\""), "input kept");
        assert!(!bad.text.contains("value=\"short\""), "a password is never written back");

        let visitor = b.cookies.get("oxcart-visitor").cloned();
        let made = b
            .post(
                "/account/register",
                &[
                    ("name", "Ann Lee"),
                    ("email", "ann@example.com"),
                    ("password", "a long enough phrase"),
                    ("next", "/cart"),
                ],
            )
            .await;
        assert_eq!(
            (made.status, made.header("location")),
            (StatusCode::SEE_OTHER, Some("/cart")),
            "{}",
            text(&made.text)
        );
        assert!(b.cookies.contains_key("oxcart-session"));
        assert!(!b.cookies.contains_key("oxcart-cart"), "the guest cart joined the account's");
        assert_ne!(b.cookies.get("oxcart-visitor").cloned(), visitor, "a new visitor at sign-in");
        let stale = b
            .post_raw(
                "/cart/add",
                &[("csrf", guest_token), ("variant_id", s.small.clone()), ("quantity", "1".into())],
                &[],
            )
            .await;
        assert_eq!(stale.status, StatusCode::FORBIDDEN, "no token from before the sign-in works after it");
        let cart = text(&b.get("/cart").await.text);
        assert!(cart.contains("Ridge Trail Shirt") && cart.contains("Subtotal $50.00"), "{cart}");
        assert!(text(&b.get("/account").await.text).contains("ann@example.com"));

        let again =
            b.post("/account/register", &[("email", "ann@example.com"), ("password", "another long phrase")]).await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", text(&again.text));

        let session = b.cookies.get("oxcart-session").cloned().expect("session");
        assert_eq!(b.post("/account/logout", &[]).await.status, StatusCode::SEE_OTHER);
        assert!(!b.cookies.contains_key("oxcart-session"));
        let out = b.get("/account").await;
        assert_eq!(out.header("location"), Some("/account/login?next=%2Faccount"));
        b.cookies.insert("oxcart-session".into(), session);
        let replayed = b.get("/account").await;
        assert_eq!(replayed.status, StatusCode::SEE_OTHER, "an ended session is no session");
        assert!(!b.cookies.contains_key("oxcart-session"), "and its cookie is dropped");

        b.get("/account/login").await;
        let wrong = b.post("/account/login", &[("email", "ann@example.com"), ("password", "not the password")]).await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert!(wrong.text.contains("value=\"ann@example.com\"") && text(&wrong.text).contains("wrong"));
        let evil = b
            .post(
                "/account/login",
                &[("email", "ann@example.com"), ("password", "a long enough phrase"), ("next", "//evil.example/x")],
            )
            .await;
        assert_eq!(evil.header("location"), Some("/account"), "next= stays on this site");
        assert!(text(&b.get("/cart").await.text).contains("Subtotal $50.00"), "the account's cart is there again");
    }
}

#[tokio::test]
async fn a_forgotten_password_is_reset_once_and_ends_every_session() {
    let backend = testkit::backends().remove(0);
    let app = TestApp::spawn(&backend).await;
    let (api_token, _, _) = app.register("bob@example.com").await;
    let mut b = Browser::new(&app);
    b.get("/account/login").await;
    b.post("/account/login", &[("email", "bob@example.com"), ("password", crate::common::PASSWORD)]).await;
    assert!(b.cookies.contains_key("oxcart-session"));

    let mut other = Browser::new(&app);
    other.get("/account/forgot").await;
    for email in ["bob@example.com", "nobody@example.com"] {
        let r = other.post("/account/forgot", &[("email", email)]).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(text(&r.text).contains("If an account uses that address"), "the same answer for {email}");
    }
    app.settle().await;
    let messages = app.get("/api/v1/notifications/messages?kind=password_reset", Some(&api_token)).await;
    let body = messages.json()["items"][0]["body_text"].as_str().unwrap_or_default().to_owned();
    let at = body.find("/account/reset?token=").expect("a reset link in the message") + "/account/reset?token=".len();
    let token: String =
        body[at..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-').collect();

    let form = other.get(&format!("/account/reset?token={token}")).await;
    assert_eq!(field_value(&form.text, "token").as_deref(), Some(token.as_str()));
    let weak = other.post("/account/reset", &[("token", &token), ("password", "short")]).await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.text.contains("id=\"password-error\""));
    let done = other.post("/account/reset", &[("token", &token), ("password", "a brand new phrase")]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", text(&done.text));
    other.get(&format!("/account/reset?token={token}")).await;
    let reused = other.post("/account/reset", &[("token", &token), ("password", "yet another phrase")]).await;
    assert_eq!(reused.status, StatusCode::BAD_REQUEST, "a link works once");
    assert!(text(&reused.text).contains("Ask for a new link"));

    assert_eq!(b.get("/account").await.status, StatusCode::SEE_OTHER, "the browser signed in before the reset is out");
    let me = app.call(Method::GET, "/api/v1/me", None, Some(&api_token)).await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED, "so is every API session");
    b.get("/account/login").await;
    let new = b.post("/account/login", &[("email", "bob@example.com"), ("password", "a brand new phrase")]).await;
    assert_eq!(new.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_address_book_keeps_what_was_typed_and_only_ones_own() {
    let backend = testkit::backends().remove(0);
    let app = TestApp::spawn(&backend).await;
    let (other_token, _, _) = app.register("other@example.com").await;
    let r = app
        .post(
            "/api/v1/me/addresses",
            json!({"name": "O", "line1": "2 Elm", "city": "X", "postal_code": "1", "country": "US"}),
            Some(&other_token),
        )
        .await;
    let foreign = r.json()["id"].as_str().expect("id").to_owned();
    app.register("carol@example.com").await;
    let mut b = Browser::new(&app);
    assert_eq!(
        b.get("/account/addresses").await.header("location"),
        Some("/account/login?next=%2Faccount%2Faddresses")
    );
    b.get("/account/login").await;
    b.post("/account/login", &[("email", "carol@example.com"), ("password", crate::common::PASSWORD)]).await;
    b.get("/account/addresses").await;
    let missing = b
        .post(
            "/account/addresses",
            &[("name", "Carol"), ("line1", ""), ("city", "Berlin"), ("postal_code", "10115"), ("country", "DE")],
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.text.contains("id=\"line1-error\"") && missing.text.contains("value=\"Berlin\""));
    assert!(missing.text.contains("<option value=\"DE\" selected>"), "the country chosen stays chosen");
    let saved = b
        .post(
            "/account/addresses",
            &[
                ("name", "Carol"),
                ("line1", "Unter den Linden 1"),
                ("city", "Berlin"),
                ("postal_code", "10115"),
                ("country", "DE"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", text(&saved.text));
    let list = text(&b.get("/account/addresses").await.text);
    assert!(list.contains("Carol, Unter den Linden 1, Berlin 10115, DE (default)"), "{list}");
    let own = list_id(&b.get("/account/addresses").await.text);
    let edit = b.get(&format!("/account/addresses/{own}/edit")).await;
    assert!(edit.text.contains("value=\"Unter den Linden 1\""), "the form holds the address");
    let changed = b
        .post(
            &format!("/account/addresses/{own}"),
            &[
                ("name", "Carol"),
                ("line1", "Unter den Linden 2"),
                ("city", "Berlin"),
                ("postal_code", "10117"),
                ("country", "DE"),
                ("default", "1"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", text(&changed.text));
    assert!(text(&b.get("/account/addresses").await.text).contains("Unter den Linden 2, Berlin 10117"));
    assert_eq!(
        b.get(&format!("/account/addresses/{foreign}/edit")).await.status,
        StatusCode::NOT_FOUND,
        "another's address"
    );
    b.get("/account/addresses").await;
    let theirs_changed = b
        .post(
            &format!("/account/addresses/{foreign}"),
            &[("name", "X"), ("line1", "X"), ("city", "X"), ("postal_code", "1"), ("country", "US")],
        )
        .await;
    assert_eq!(theirs_changed.status, StatusCode::NOT_FOUND);
    b.get("/account/addresses").await;
    assert_eq!(b.post(&format!("/account/addresses/{foreign}/delete"), &[]).await.status, StatusCode::SEE_OTHER);
    let theirs = app.get("/api/v1/me/addresses", Some(&other_token)).await;
    assert_eq!(theirs.json().as_array().map(Vec::len), Some(1), "another's address is untouched");
}

/// The id in the first "change" link of an address list.
fn list_id(html: &str) -> String {
    let at = html.find("/account/addresses/adr_").expect("an address link") + "/account/addresses/".len();
    html[at..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect()
}
