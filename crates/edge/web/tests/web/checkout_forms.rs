//! Checking out through the storefront's forms: a guest's address, methods and totals, a
//! declined payment that keeps the cart, the order placed once, found again by number and
//! e-mail; a customer's order page, its live stream, cancelling, and nobody else's order.

use crate::common::{Browser, address, input_named, post_fields, shop, text, zones};
use axum::http::StatusCode;
use std::time::Duration;
use testkit::TestApp;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// What an `EventSource` with the browser's cookies reads first from `path` on a real
/// listener, up to the confirmation (the stream itself never ends).
async fn first_events(app: &TestApp, path: &str, cookie: &str) -> String {
    let limits = oxcart::http::listener::Limits {
        header_read: Duration::from_secs(5),
        idle: Duration::from_secs(60),
        max_connections: 16,
        drain: Duration::from_secs(1),
    };
    let addr = app.listen(limits).await;
    let mut tcp = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: shop.test\r\nAccept: text/event-stream\r\nCookie: {cookie}\r\n\r\n");
    tcp.write_all(request.as_bytes()).await.expect("write");
    let mut reader = BufReader::new(tcp);
    let mut seen = String::new();
    let read = async {
        let mut line = String::new();
        while reader.read_line(&mut line).await.expect("read") > 0 {
            seen.push_str(&line);
            if line.contains("\"state\":\"confirmed\"") {
                break;
            }
            line.clear();
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(5), read).await;
    seen
}

/// The review page's fields to post back, with `payment` chosen.
fn place_fields(review: &str, payment: &str) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = address().into_iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
    for name in ["key", "email"] {
        if let Some(v) = crate::common::field_value(review, name) {
            fields.push((name.to_owned(), v));
        }
    }
    let (total_name, total) = input_named(review, "total_standard").expect("the standard method's total");
    fields.push((total_name, total));
    fields.push(("shipping_method".into(), "standard".into()));
    fields.push(("payment".into(), payment.into()));
    fields
}

#[tokio::test]
async fn a_guest_checks_out_with_a_declined_card_first() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        zones(&app).await;
        let s = shop(&app).await;
        let mut b = Browser::new(&app);
        b.get(&format!("/p/{}", s.slug)).await;
        b.post("/cart/add", &[("variant_id", &s.small), ("quantity", "2")]).await;
        assert_eq!(b.get("/checkout").await.status, StatusCode::OK);

        let no_email = b.post("/checkout/review", &address()).await;
        assert_eq!(no_email.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(no_email.text.contains("id=\"email-error\"") && no_email.text.contains("value=\"San Francisco\""));
        let mut with_email = address();
        with_email.push(("email", "guest@example.com"));
        let review = b.post("/checkout/review", &with_email).await;
        assert_eq!(review.status, StatusCode::OK, "{}", text(&review.text));
        let seen = text(&review.text);
        assert!(
            seen.contains("2 × Ridge Trail Shirt") && seen.contains("Standard") && seen.contains("total $"),
            "{seen}"
        );

        let declined =
            post_fields(&mut b, "/checkout/place", &place_fields(&review.text, "tok_sandbox_declined")).await;
        assert_eq!(declined.status, StatusCode::PAYMENT_REQUIRED);
        assert!(text(&declined.text).contains("Your cart is kept"), "{}", text(&declined.text));
        assert!(declined.text.contains("id=\"payment-error\""), "the reason beside the payment choice");
        assert!(text(&b.get("/cart").await.text).contains("Ridge Trail Shirt"), "the cart is kept");

        let fields = place_fields(&declined.text, "tok_sandbox_ok");
        let before = b.cookies.clone();
        let placed = post_fields(&mut b, "/checkout/place", &fields).await;
        assert_eq!(
            (placed.status, placed.header("location")),
            (StatusCode::SEE_OTHER, Some("/orders/placed")),
            "{}",
            text(&placed.text)
        );
        let after = std::mem::replace(&mut b.cookies, before);
        let again = post_fields(&mut b, "/checkout/place", &fields).await;
        assert_eq!(
            again.header("location"),
            Some("/orders/placed"),
            "a second click (sent before the first answer) is the same order"
        );
        b.cookies = after;
        let back = post_fields(&mut b, "/checkout/place", &fields).await;
        assert_eq!(back.header("location"), Some("/cart"), "the form sent again after the order: the (empty) cart");
        let confirmation = b.get("/orders/placed").await;
        let seen = text(&confirmation.text);
        assert!(
            seen.contains("Thank you: order OX-")
                && seen.contains("Status: Confirmed")
                && seen.contains("2 × Ridge Trail Shirt (S)"),
            "{seen}"
        );
        let number: String = seen[seen.find("OX-").expect("number")..].chars().take(14).collect();
        assert!(text(&b.get("/cart").await.text).contains("Your cart is empty."));
        let admin_orders = app.get("/api/v1/orders?limit=10", Some(&s.admin)).await;
        let confirmed = admin_orders.json()["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter(|o| o["state"] == "confirmed")
            .count();
        assert_eq!(confirmed, 1, "one order for two clicks");

        let mut stranger = Browser::new(&app);
        assert_eq!(stranger.get("/orders/placed").await.header("location"), Some("/orders/lookup"));
        stranger.get("/orders/lookup").await;
        let wrong = stranger.post("/orders/lookup", &[("number", &number), ("email", "someone@example.com")]).await;
        assert_eq!(wrong.status, StatusCode::NOT_FOUND);
        assert!(wrong.text.contains(&format!("value=\"{number}\"")), "the number typed is kept");
        let found = stranger
            .post("/orders/lookup", &[("number", &number.to_lowercase()), ("email", "GUEST@example.com")])
            .await;
        assert_eq!(found.status, StatusCode::OK);
        assert!(text(&found.text).contains(&format!("Order {number}")));
    }
}

#[tokio::test]
async fn a_customer_follows_and_cancels_their_own_order_only() {
    let backend = testkit::backends().remove(0);
    let app = TestApp::spawn(&backend).await;
    zones(&app).await;
    let s = shop(&app).await;
    let (dan_token, _, _) = app.register("dan@example.com").await;
    app.register("eve@example.com").await;
    let saved = serde_json::json!({"name": "Dan Roe", "line1": "9 Pine St", "city": "San Francisco", "region": "CA", "postal_code": "94111", "country": "US"});
    let r = app.post("/api/v1/me/addresses", saved, Some(&dan_token)).await;
    let saved_id = r.json()["id"].as_str().expect("address id").to_owned();
    let mut b = Browser::new(&app);
    b.get("/account/login").await;
    b.post("/account/login", &[("email", "dan@example.com"), ("password", crate::common::PASSWORD)]).await;
    b.get(&format!("/p/{}", s.slug)).await;
    b.post("/cart/add", &[("variant_id", &s.medium), ("quantity", "1")]).await;
    let start = b.get("/checkout").await;
    assert!(
        text(&start.text).contains("Deliver to a saved address Dan Roe, 9 Pine St, San Francisco 94111, US"),
        "{}",
        text(&start.text)
    );
    let from_saved = b.post("/checkout/review", &[("saved", saved_id.as_str())]).await;
    assert!(text(&from_saved.text).contains("Delivering to Dan Roe, 9 Pine St"), "{}", text(&from_saved.text));
    let review = b.post("/checkout/review", &address()).await;
    assert_eq!(review.status, StatusCode::OK, "{}", text(&review.text));
    let placed = post_fields(&mut b, "/checkout/place", &place_fields(&review.text, "tok_sandbox_ok")).await;
    let location = placed.header("location").expect("to the order").to_owned();
    assert!(location.starts_with("/orders/ord_") && location.ends_with("?placed=1"), "{location}");
    let order_path = location.trim_end_matches("?placed=1").to_owned();
    let page = b.get(&location).await;
    assert!(
        text(&page.text).contains("is placed") && page.text.contains(&format!("data-live=\"{order_path}/events\""))
    );
    assert!(text(&b.get("/orders").await.text).contains("Confirmed"));

    let cookie = b.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
    let stream = first_events(&app, &format!("{order_path}/events"), &cookie).await;
    assert!(stream.contains("event: order.state") && stream.contains("\"state\":\"confirmed\""), "{stream}");

    let mut eve = Browser::new(&app);
    eve.get("/account/login").await;
    eve.post("/account/login", &[("email", "eve@example.com"), ("password", crate::common::PASSWORD)]).await;
    eve.get(&format!("/p/{}", s.slug)).await;
    let theirs = eve.get(&order_path).await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND, "another customer's order is not found");
    assert!(text(&theirs.text).contains("Page not found"));
    assert_eq!(eve.get(&format!("{order_path}/events")).await.status, StatusCode::NOT_FOUND);
    eve.get(&format!("/p/{}", s.slug)).await;
    assert_eq!(eve.post(&format!("{order_path}/cancel"), &[]).await.status, StatusCode::NOT_FOUND);

    assert_eq!(b.post(&format!("{order_path}/cancel"), &[]).await.status, StatusCode::SEE_OTHER);
    let cancelled = text(&b.get(&order_path).await.text);
    assert!(cancelled.contains("Status: Cancelled") && !cancelled.contains("Cancel this order"), "{cancelled}");
    let twice = b.post(&format!("{order_path}/cancel"), &[]).await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "a cancelled order cannot be cancelled again: said on the page");
}

#[tokio::test]
async fn a_payment_the_bank_asks_to_confirm_is_finished_from_the_order_page() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        zones(&app).await;
        let s = shop(&app).await;
        app.register("dan@example.com").await;
        app.register("eve@example.com").await;
        let mut dan = Browser::new(&app);
        dan.get("/account/login").await;
        dan.post("/account/login", &[("email", "dan@example.com"), ("password", crate::common::PASSWORD)]).await;
        dan.get(&format!("/p/{}", s.slug)).await;
        dan.post("/cart/add", &[("variant_id", &s.small), ("quantity", "1")]).await;
        dan.get("/checkout").await;
        let review = dan.post("/checkout/review", &address()).await;
        assert!(text(&review.text).contains("the bank asks to confirm"), "the sandbox's 3-D Secure card is offered");
        let placed = post_fields(&mut dan, "/checkout/place", &place_fields(&review.text, "tok_sandbox_3ds")).await;
        let location = placed.header("location").expect("to the order").to_owned();
        let order_path = location.trim_end_matches("?placed=1").to_owned();
        let waiting = dan.get(&location).await;
        let seen = text(&waiting.text);
        assert!(
            seen.contains("one more step")
                && seen.contains("Status: Waiting for payment")
                && seen.contains("Confirm the payment"),
            "{seen}"
        );
        assert!(waiting.text.contains(&format!("action=\"{order_path}/payment\"")));

        let mut eve = Browser::new(&app);
        eve.get("/account/login").await;
        eve.post("/account/login", &[("email", "eve@example.com"), ("password", crate::common::PASSWORD)]).await;
        eve.get(&format!("/p/{}", s.slug)).await;
        assert_eq!(eve.post(&format!("{order_path}/payment"), &[]).await.status, StatusCode::NOT_FOUND);

        let done = dan.post(&format!("{order_path}/payment"), &[]).await;
        assert_eq!(done.header("location"), Some(order_path.as_str()), "{}", text(&done.text));
        let page = text(&dan.get(&order_path).await.text);
        assert!(page.contains("Status: Confirmed") && !page.contains("Confirm the payment"), "{page}");
        let again = dan.post(&format!("{order_path}/payment"), &[]).await;
        assert_eq!(again.header("location"), Some(order_path.as_str()), "a second click changes nothing");

        // A guest: the cart stays while the payment waits, and the order goes ahead once confirmed.
        let mut guest = Browser::new(&app);
        guest.get(&format!("/p/{}", s.slug)).await;
        guest.post("/cart/add", &[("variant_id", &s.small), ("quantity", "1")]).await;
        guest.get("/checkout").await;
        let mut fields = address();
        fields.push(("email", "guest3ds@example.com"));
        let review = guest.post("/checkout/review", &fields).await;
        let placed = post_fields(&mut guest, "/checkout/place", &place_fields(&review.text, "tok_sandbox_3ds")).await;
        assert_eq!(placed.header("location"), Some("/orders/placed"));
        let waiting = guest.get("/orders/placed").await;
        assert!(waiting.text.contains("action=\"/orders/placed/payment\""), "{}", text(&waiting.text));
        assert!(text(&guest.get("/cart").await.text).contains("Ridge Trail Shirt"), "the cart waits with the order");
        guest.get("/orders/placed").await;
        let done = guest.post("/orders/placed/payment", &[]).await;
        assert_eq!(done.header("location"), Some("/orders/placed"));
        let page = text(&guest.get("/orders/placed").await.text);
        assert!(page.contains("Status: Confirmed") && page.contains("Thank you"), "{page}");
        assert!(text(&guest.get("/cart").await.text).contains("Your cart is empty."));
    }
}
