//! The cart as checkout reads it through the `CartCheckout` contract: the same prices and
//! totals the customer sees, per line with seller and discount share, and clearing the
//! ordered lines once per order.

use crate::common::{add, cart, lines, shop};
use axum::http::{Method, StatusCode};
use cart::{CartCheckout, LineBlocker, OrderedLine};
use kernel::auth::Role;
use serde_json::json;
use testkit::TestApp;

#[tokio::test]
async fn checkout_reads_the_priced_cart_and_clears_what_was_ordered() {
    for backend in testkit::backends_with_redis() {
        let app = TestApp::spawn(&backend).await;
        let s = shop(&app).await;
        let (admin, _) = app.user_with_role("admin@example.com", Role::Admin).await;
        let r = app
            .post(
                "/api/v1/promotions",
                json!({"name": "Tenth", "code": "TENTH", "kind": "percent", "value": 10}),
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let (customer, _, customer_id) = app.register("buyer@example.com").await;
        assert_eq!(add(&app, &s.small, json!(2), None, Some(&customer)).await.status, StatusCode::OK);
        assert_eq!(add(&app, &s.medium, json!(1), None, Some(&customer)).await.status, StatusCode::OK);
        let r = cart(&app, Method::POST, "/cart/codes", Some(json!({"code": "tenth"})), None, Some(&customer)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let shown = r.json();

        let caller = cart::Caller { customer_id: Some(customer_id.clone()), token: None };
        let view = app.app.cart.cart_checkout(&caller, None).await.expect("checkout view");
        assert_eq!(view.customer_id.as_deref(), Some(customer_id.as_str()));
        assert_eq!(view.cart_id, shown["id"].as_str().expect("id"), "{}", backend.name());
        assert!(view.purchasable);
        assert_eq!((view.subtotal, view.discount_total, view.total), (7700, 770, 6930), "2×2500 + 2700, 10% off");
        assert_eq!(view.total, shown["total"].as_i64().expect("total"), "checkout charges what the customer saw");
        assert_eq!(view.lines.iter().map(|l| l.discount).sum::<i64>(), view.discount_total, "shares add up");
        assert!(view.lines.iter().all(|l| l.seller_id.as_deref() == Some(s.seller_id.as_str())));
        assert_eq!(view.promotions.len(), 1);
        assert_eq!(view.promotions[0].code.as_deref(), Some("TENTH"));

        // Stock runs short: the line says so, and the cart cannot be bought as it stands.
        let body =
            json!({"sku": "SHIRT-M", "location_id": s.location, "kind": "damaged", "quantity": 10, "reason": "flood"});
        assert_eq!(app.post("/api/v1/inventory/adjustments", body, Some(&s.seller)).await.status, StatusCode::CREATED);
        let short = app.app.cart.cart_checkout(&caller, None).await.expect("checkout view");
        assert!(!short.purchasable);
        let medium = short.lines.iter().find(|l| l.variant_id == s.medium).expect("medium line");
        assert_eq!((medium.blocker, medium.total), (Some(LineBlocker::OutOfStock), 0));

        // The order took the two small shirts; the medium one stays, and a repeat changes nothing.
        let ordered = [OrderedLine { variant_id: s.small.clone(), quantity: 2 }];
        app.app.cart.cart_clear_ordered(&caller, "ord_1", &ordered).await.expect("cleared");
        app.app.cart.cart_clear_ordered(&caller, "ord_1", &ordered).await.expect("cleared again");
        let after = cart(&app, Method::GET, "/cart", None, None, Some(&customer)).await.json();
        assert_eq!(lines(&after), vec![(s.medium.clone(), 1)], "{}", backend.name());
        let last = [OrderedLine { variant_id: s.medium.clone(), quantity: 1 }];
        app.app.cart.cart_clear_ordered(&caller, "ord_2", &last).await.expect("cleared");
        let empty = cart(&app, Method::GET, "/cart", None, None, Some(&customer)).await.json();
        assert!(lines(&empty).is_empty() && empty["codes"].as_array().is_some_and(Vec::is_empty), "{empty}");
    }
}
