//! Checking out with Stripe as the provider, against localstripe: the review page carries
//! Stripe's own card field (its script allowed by the page policy, a setup intent to confirm
//! the card against, no test methods); what the browser posts back is a payment method, never
//! a card; a card the bank refuses shows why and keeps the cart; a shop without the
//! publishable key says cards cannot be taken here.

use crate::common::{Browser, address, field_value, input_named, shop, text, zones};
use axum::http::StatusCode;
use serde_json::json;
use testkit::{TestApp, TestBackend, localstripe};

async fn stripe_shop(backend: &TestBackend, base: &str, publishable_key: &str) -> TestApp {
    let stripe = json!({
        "secret_key": "sk_test_oxcart",
        "api_base": base,
        "publishable_key": publishable_key,
        "js_url": format!("{base}/js.stripe.com/v3/"),
    });
    TestApp::spawn_with(backend, move |c| {
        c.set("payments.provider", "stripe");
        c.set("payments.stripe", stripe);
    })
    .await
}

/// The `data-<name>` attribute's value in a page.
fn data(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("data-{name}=\""))? + name.len() + 7;
    Some(html[at..at + html[at..].find('"')?].to_owned())
}

/// What Stripe.js does in the browser when the shopper sends the form: the card typed into
/// Stripe's field is confirmed against the page's setup intent; the page gets the method.
async fn card_confirmed(base: &str, client_secret: &str, number: &str) -> String {
    let intent = client_secret.split("_secret_").next().expect("seti id");
    let body = format!(
        "payment_method_data[type]=card&payment_method_data[card][number]={number}\
         &payment_method_data[card][exp_month]=12&payment_method_data[card][exp_year]=2030\
         &payment_method_data[card][cvc]=123&client_secret={client_secret}"
    );
    let answer = localstripe::call(base, "POST", &format!("/v1/setup_intents/{intent}/confirm"), &body).await;
    assert_eq!(answer["status"], "succeeded", "{answer}");
    answer["payment_method"].as_str().expect("pm id").to_owned()
}

/// The review page's fields, with the card's payment method as the payment.
fn place_fields(review: &str, payment: &str) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = address().into_iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
    for name in ["key", "email"] {
        fields.push((name.to_owned(), field_value(review, name).unwrap_or_default()));
    }
    fields.push(input_named(review, "total_standard").expect("the standard method's total"));
    fields.push(("shipping_method".into(), "standard".into()));
    fields.push(("payment".into(), payment.into()));
    fields
}

async fn review(b: &mut Browser<'_>, slug: &str, variant: &str) -> testkit::TestResponse {
    b.get(&format!("/p/{slug}")).await;
    b.post("/cart/add", &[("variant_id", variant), ("quantity", "1")]).await;
    b.get("/checkout").await;
    let mut fields = address();
    fields.push(("email", "card@example.com"));
    b.post("/checkout/review", &fields).await
}

#[tokio::test]
async fn a_guest_pays_through_stripes_own_card_field() {
    let Some(base) = localstripe::url() else { return };
    let app = stripe_shop(&TestBackend::Sqlite, &base, "pk_test_oxcart").await;
    zones(&app).await;
    let s = shop(&app).await;
    let mut b = Browser::new(&app);
    let page = review(&mut b, &s.slug, &s.small).await;
    assert_eq!(page.status, StatusCode::OK, "{}", text(&page.text));
    let policy = page.header("content-security-policy").expect("a page policy").to_owned();
    assert!(
        policy.contains(&format!("script-src 'self' {base};")) && policy.contains(&format!("frame-src {base};")),
        "the provider's script and frame are allowed on this page: {policy}"
    );
    assert!(page.text.contains(&format!("<script src=\"{base}/js.stripe.com/v3/\"></script>")));
    assert_eq!(data(&page.text, "key").as_deref(), Some("pk_test_oxcart"));
    let secret = data(&page.text, "secret").expect("the setup intent's secret");
    assert!(secret.starts_with("seti_") && secret.contains("_secret_"), "{secret}");
    assert!(!page.text.contains("tok_sandbox"), "no test methods with a real provider");
    let home = b.get("/").await;
    let everywhere = home.header("content-security-policy").expect("policy");
    assert!(!everywhere.contains(&base), "the provider is allowed on the payment step only: {everywhere}");

    let empty = crate::common::post_fields(&mut b, "/checkout/place", &place_fields(&page.text, "")).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&empty.text).contains("Enter your card details."), "{}", text(&empty.text));
    let card =
        crate::common::post_fields(&mut b, "/checkout/place", &place_fields(&page.text, "4242424242424242")).await;
    assert_eq!(card.status, StatusCode::UNPROCESSABLE_ENTITY, "a card number is not a payment method");

    // A card Stripe takes but the bank refuses when charged: the reason, the cart kept.
    let fresh = data(&empty.text, "secret").expect("a new setup intent");
    let refused = card_confirmed(&base, &fresh, "4000000000000341").await;
    let declined = crate::common::post_fields(&mut b, "/checkout/place", &place_fields(&empty.text, &refused)).await;
    assert_eq!(declined.status, StatusCode::PAYMENT_REQUIRED, "{}", text(&declined.text));
    assert!(text(&declined.text).contains("Your cart is kept"), "{}", text(&declined.text));
    assert!(text(&b.get("/cart").await.text).contains("Ridge Trail Shirt"), "the cart is kept");

    let secret = data(&declined.text, "secret").expect("another setup intent");
    let method = card_confirmed(&base, &secret, "4242424242424242").await;
    let placed = crate::common::post_fields(&mut b, "/checkout/place", &place_fields(&declined.text, &method)).await;
    assert_eq!(placed.header("location"), Some("/orders/placed"), "{}", text(&placed.text));
    let seen = text(&b.get("/orders/placed").await.text);
    assert!(seen.contains("Thank you: order OX-") && seen.contains("Status: Confirmed"), "{seen}");
    let payments = app.get("/api/v1/payments?limit=10", Some(&s.admin)).await;
    let authorized: Vec<_> = payments.json()["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|p| p["state"] == "authorized" || p["state"] == "captured")
        .map(|p| p["provider"].clone())
        .collect();
    assert_eq!(authorized, vec![json!("stripe")], "one payment held at Stripe");
}

#[tokio::test]
async fn without_the_publishable_key_the_pages_take_no_cards() {
    let Some(base) = localstripe::url() else { return };
    let app = stripe_shop(&TestBackend::Sqlite, &base, "").await;
    zones(&app).await;
    let s = shop(&app).await;
    let mut b = Browser::new(&app);
    let page = review(&mut b, &s.slug, &s.small).await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(text(&page.text).contains("cannot take payments on its pages"), "{}", text(&page.text));
    assert!(text(&b.get("/cart").await.text).contains("Ridge Trail Shirt"), "the cart is kept");
}
