//! Discount codes and automatic promotions in the cart: the effect shown to the cent, or the
//! precise reason a code does not apply, with the cart unchanged.

use crate::common::{add, cart, shop};
use axum::http::{Method, StatusCode};
use kernel::auth::Role;
use pricing::api::Pricing;
use serde_json::{Value, json};
use testkit::TestApp;

async fn promotion(app: &TestApp, token: &str, body: Value) -> String {
    let r = app.post("/api/v1/promotions", body, Some(token)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json()["id"].as_str().expect("id").to_owned()
}

async fn apply(app: &TestApp, code: &str, auth: &str) -> (StatusCode, String) {
    let r = cart(app, Method::POST, "/cart/codes", Some(json!({"code": code})), None, Some(auth)).await;
    let code = if r.status == StatusCode::OK { String::new() } else { r.code() };
    (r.status, code)
}

#[tokio::test]
async fn codes_show_their_effect_or_why_not() {
    for backend in testkit::backends_with_redis() {
        let app = TestApp::spawn(&backend).await;
        let s = shop(&app).await;
        let (admin, _) = app.user_with_role("admin@example.com", Role::Admin).await;
        let (customer, _, _) = app.register("buyer@example.com").await;
        promotion(&app, &admin, json!({"name": "Autumn 10%", "kind": "percent", "value": 10, "combinable": true}))
            .await;
        promotion(&app, &admin, json!({"name": "Five off", "code": "SAVE5", "kind": "fixed", "value": 500, "min_subtotal": 10000, "combinable": true})).await;
        promotion(
            &app,
            &admin,
            json!({"name": "Old", "code": "OLD", "kind": "fixed", "value": 100, "ends_at": "2020-01-01T00:00:00Z"}),
        )
        .await;
        let once = promotion(
            &app,
            &admin,
            json!({"name": "Once", "code": "ONCE", "kind": "percent", "value": 50, "usage_limit": 1}),
        )
        .await;
        promotion(
            &app,
            &admin,
            json!({"name": "Ship free", "code": "SHIPFREE", "kind": "free_shipping", "combinable": true}),
        )
        .await;

        add(&app, &s.small, json!(1), None, Some(&customer)).await;
        let c = cart(&app, Method::GET, "/cart", None, None, Some(&customer)).await.json();
        assert_eq!(
            (c["subtotal"].as_i64(), c["discount_total"].as_i64(), c["total"].as_i64()),
            (Some(2500), Some(250), Some(2250)),
            "{} {c}",
            backend.name()
        );

        assert_eq!(
            apply(&app, "save5", &customer).await,
            (StatusCode::UNPROCESSABLE_ENTITY, "code_min_subtotal".into())
        );
        assert_eq!(apply(&app, "NOPE", &customer).await, (StatusCode::UNPROCESSABLE_ENTITY, "code_unknown".into()));
        assert_eq!(apply(&app, "OLD", &customer).await, (StatusCode::UNPROCESSABLE_ENTITY, "code_expired".into()));
        app.app.pricing.promotions_redeem(std::slice::from_ref(&once), None, "order-1").await.expect("one use");
        assert_eq!(apply(&app, "ONCE", &customer).await, (StatusCode::UNPROCESSABLE_ENTITY, "code_exhausted".into()));
        let c = cart(&app, Method::GET, "/cart", None, None, Some(&customer)).await.json();
        assert_eq!(c["codes"], json!([]), "refused codes leave the cart as it was");

        // 3 x 2500 + 1 x 2700 = 10200: 10% off is 1020, then 500 off, spread over the lines.
        add(&app, &s.small, json!(2), None, Some(&customer)).await;
        add(&app, &s.medium, json!(1), None, Some(&customer)).await;
        assert_eq!(apply(&app, "SAVE5", &customer).await, (StatusCode::OK, String::new()));
        let c = cart(&app, Method::GET, "/cart", None, None, Some(&customer)).await.json();
        assert_eq!(
            (c["subtotal"].as_i64(), c["discount_total"].as_i64(), c["total"].as_i64()),
            (Some(10200), Some(1520), Some(8680)),
            "{c}"
        );
        let per_line: i64 =
            c["lines"].as_array().expect("lines").iter().map(|l| l["discount"].as_i64().expect("discount")).sum();
        assert_eq!(per_line, 1520, "line discounts add up to the total to the cent");
        let names: Vec<&str> =
            c["discounts"].as_array().expect("discounts").iter().filter_map(|d| d["name"].as_str()).collect();
        assert_eq!(names, ["Autumn 10%", "Five off"]);
        assert_eq!(c["codes"], json!([{"code": "SAVE5", "applied": true, "reason": null}]));
        assert_eq!(apply(&app, "SHIPFREE", &customer).await, (StatusCode::UNPROCESSABLE_ENTITY, "code_limit".into()));

        // Below the minimum again: the code stays, with the reason it takes nothing off now.
        let r = cart(&app, Method::DELETE, &format!("/cart/lines/{}", s.medium), None, None, Some(&customer)).await;
        let c = r.json();
        assert_eq!(c["codes"][0]["applied"], false, "{c}");
        assert_eq!(c["codes"][0]["reason"]["code"], "code_min_subtotal");
        assert_eq!(c["discount_total"], 750);

        let r = cart(&app, Method::DELETE, "/cart/codes/save5", None, None, Some(&customer)).await;
        assert_eq!((r.status, r.json()["codes"].clone()), (StatusCode::OK, json!([])));
        let r = cart(&app, Method::DELETE, "/cart/codes/SAVE5", None, None, Some(&customer)).await;
        assert_eq!(r.code(), "code_not_in_cart");
    }
}
