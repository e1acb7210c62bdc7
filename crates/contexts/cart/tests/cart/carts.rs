//! Carts through the API: guests by token, customers by login, merging, re-pricing, why a line
//! cannot be bought, expiry, and bad input refused with the cart unchanged.

use crate::common::{add, cart, lines, shop, stock};
use axum::http::{Method, StatusCode};
use kernel::time::Timestamp;
use serde_json::json;
use std::time::Duration;
use testkit::TestApp;

#[tokio::test]
async fn a_guest_fills_a_cart_kept_by_its_token() {
    for backend in testkit::backends_with_redis() {
        let app = TestApp::spawn(&backend).await;
        let s = shop(&app).await;

        let empty = cart(&app, Method::GET, "/cart", None, None, None).await;
        assert_eq!(empty.status, StatusCode::OK, "{}", empty.text);
        assert_eq!((empty.json()["id"].is_null(), empty.json()["total"].as_i64()), (true, Some(0)));

        let r = add(&app, &s.small, json!(2), None, None).await;
        assert_eq!(r.status, StatusCode::OK, "{} {}", backend.name(), r.text);
        let token = r.json()["token"].as_str().expect("a new guest cart hands out its token").to_owned();
        assert_eq!(r.header("x-cart-token"), Some(token.as_str()));

        let r = add(&app, &s.small, json!(1), Some(&token), None).await;
        assert!(r.json()["token"].is_null(), "the token is given once");
        add(&app, &s.medium, json!(1), Some(&token), None).await;
        let c = cart(&app, Method::GET, "/cart", None, Some(&token), None).await.json();
        assert_eq!(lines(&c), [(s.small.clone(), 3), (s.medium.clone(), 1)]);
        assert_eq!(c["subtotal"], 3 * 2500 + 2700);
        assert_eq!(c["savings"], 3 * 500, "sale price from compare-at");
        assert_eq!(c["lines"][0]["compare_at_price"], 3000);
        assert_eq!((c["shipping"].as_i64(), c["tax"].as_i64()), (Some(0), Some(0)));
        assert_eq!(c["total"], 3 * 2500 + 2700);
        assert_eq!(c["purchasable"], true);
        assert_eq!(c["item_count"], 4);

        let r = cart(
            &app,
            Method::PUT,
            &format!("/cart/lines/{}", s.small),
            Some(json!({"quantity": 5})),
            Some(&token),
            None,
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let r = cart(&app, Method::DELETE, &format!("/cart/lines/{}", s.medium), None, Some(&token), None).await;
        assert_eq!(lines(&r.json()), [(s.small.clone(), 5)]);
        let r = cart(&app, Method::DELETE, &format!("/cart/lines/{}", s.medium), None, Some(&token), None).await;
        assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "line_not_found".to_owned()));

        // Someone else's (or a made-up) token finds nothing.
        let r = cart(&app, Method::GET, "/cart", None, Some("not-a-real-token"), None).await;
        assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "cart_not_found".to_owned()));
        let r = add(&app, &s.small, json!(1), Some("not-a-real-token"), None).await;
        assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "cart_not_found".to_owned()));

        let r = cart(&app, Method::DELETE, "/cart", None, Some(&token), None).await;
        assert_eq!(r.json()["lines"], json!([]));
    }
}

#[tokio::test]
async fn bad_input_is_refused_and_the_cart_stays_as_it_was() {
    for backend in testkit::backends_with_redis() {
        let app = TestApp::spawn(&backend).await;
        let s = shop(&app).await;
        let (customer, _, _) = app.register("buyer@example.com").await;
        add(&app, &s.small, json!(1), None, Some(&customer)).await;

        let r = app
            .post(
                "/api/v1/products",
                json!({"title": "Draft", "status": "draft", "variants": [{"sku": "DRAFT-1", "price": 100}]}),
                Some(&s.seller),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let draft = r.json()["variants"][0]["id"].as_str().expect("id").to_owned();

        let cases = [
            (s.small.clone(), json!(0), StatusCode::UNPROCESSABLE_ENTITY, "invalid_quantity"),
            (s.small.clone(), json!(-2), StatusCode::UNPROCESSABLE_ENTITY, "invalid_quantity"),
            (s.small.clone(), json!(1.5), StatusCode::UNPROCESSABLE_ENTITY, "invalid_quantity"),
            (s.small.clone(), json!("2"), StatusCode::UNPROCESSABLE_ENTITY, "invalid_quantity"),
            (s.small.clone(), json!(100), StatusCode::UNPROCESSABLE_ENTITY, "quantity_too_large"),
            (s.small.clone(), json!(1e18), StatusCode::UNPROCESSABLE_ENTITY, "invalid_quantity"),
            (s.small.clone(), json!(10), StatusCode::CONFLICT, "insufficient_stock"),
            ("var_nope".to_owned(), json!(1), StatusCode::UNPROCESSABLE_ENTITY, "unknown_variant"),
            (draft, json!(1), StatusCode::UNPROCESSABLE_ENTITY, "variant_unavailable"),
        ];
        for (variant, quantity, status, code) in cases {
            let r = add(&app, &variant, quantity.clone(), None, Some(&customer)).await;
            assert_eq!((r.status, r.code()), (status, code.to_owned()), "{} {quantity}: {}", backend.name(), r.text);
        }
        let r = cart(
            &app,
            Method::PUT,
            &format!("/cart/lines/{}", s.small),
            Some(json!({"quantity": 0})),
            None,
            Some(&customer),
        )
        .await;
        assert_eq!(r.code(), "invalid_quantity");
        let c = cart(&app, Method::GET, "/cart", None, None, Some(&customer)).await.json();
        assert_eq!(lines(&c), [(s.small.clone(), 1)], "unchanged");
    }
}

#[tokio::test]
async fn signing_in_merges_the_guest_cart_into_the_customers() {
    for backend in testkit::backends_with_redis() {
        let app = TestApp::spawn(&backend).await;
        let s = shop(&app).await;
        let (customer, _, _) = app.register("buyer@example.com").await;
        add(&app, &s.small, json!(1), None, Some(&customer)).await;
        let guest = add(&app, &s.small, json!(2), None, None).await.json();
        let token = guest["token"].as_str().expect("token").to_owned();
        add(&app, &s.medium, json!(1), Some(&token), None).await;

        let merged = cart(&app, Method::GET, "/cart", None, Some(&token), Some(&customer)).await;
        assert_eq!(merged.status, StatusCode::OK, "{}", merged.text);
        assert_eq!(lines(&merged.json()), [(s.small.clone(), 3), (s.medium.clone(), 1)], "{}", backend.name());
        // The guest cart is gone; asking again with the old token changes nothing.
        let again = cart(&app, Method::GET, "/cart", None, Some(&token), Some(&customer)).await;
        assert_eq!(lines(&again.json()), [(s.small.clone(), 3), (s.medium.clone(), 1)]);
        let r = cart(&app, Method::GET, "/cart", None, Some(&token), None).await;
        assert_eq!(r.code(), "cart_not_found");
        // Another customer sees their own (empty) cart, never this one.
        let (other, _, _) = app.register("other@example.com").await;
        let theirs = cart(&app, Method::GET, "/cart", None, None, Some(&other)).await.json();
        assert_eq!(theirs["lines"], json!([]));
    }
}

#[tokio::test]
async fn lines_follow_the_catalog_and_say_why_they_cannot_be_bought() {
    for backend in testkit::backends_with_redis() {
        let app = TestApp::spawn(&backend).await;
        let s = shop(&app).await;
        let (customer, _, _) = app.register("buyer@example.com").await;
        add(&app, &s.small, json!(4), None, Some(&customer)).await;
        add(&app, &s.medium, json!(1), None, Some(&customer)).await;

        let variant = json!({"sku": "SHIRT-S", "options": {"Size": "S"}, "price": 2200, "compare_at_price": 3000});
        let r = app
            .call(
                Method::PUT,
                &format!("/api/v1/products/{}/variants/{}", s.product_id, s.small),
                Some(variant),
                Some(&s.seller),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let c = cart(&app, Method::GET, "/cart", None, None, Some(&customer)).await.json();
        assert_eq!(c["lines"][0]["unit_price"], 2200, "{} {c}", backend.name());
        assert_eq!(c["lines"][0]["notices"], json!([{"code": "price_changed", "previous_price": 2500}]));
        let c = cart(&app, Method::GET, "/cart", None, None, Some(&customer)).await.json();
        assert_eq!(c["lines"][0]["notices"], json!([]), "told once, then the new price is the snapshot");

        stock(&app, &s.seller, "SHIRT-S", &s.location, "damaged", 7).await; // 3 left, 4 wanted
        let c = cart(&app, Method::GET, "/cart", None, None, Some(&customer)).await.json();
        assert_eq!(
            (c["lines"][0]["status"].as_str(), c["lines"][0]["available"].as_i64()),
            (Some("insufficient_stock"), Some(3))
        );
        assert_eq!(
            (c["purchasable"].as_bool(), c["total"].as_i64()),
            (Some(false), Some(2700)),
            "only what can be bought counts"
        );

        let r = app
            .call(
                Method::PATCH,
                &format!("/api/v1/products/{}", s.product_id),
                Some(json!({"status": "archived"})),
                Some(&s.seller),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let c = cart(&app, Method::GET, "/cart", None, None, Some(&customer)).await.json();
        let statuses: Vec<&str> =
            c["lines"].as_array().expect("lines").iter().filter_map(|l| l["status"].as_str()).collect();
        assert_eq!(statuses, ["unavailable", "unavailable"]);
        assert_eq!(c["total"], 0);
    }
}

#[tokio::test]
async fn idle_carts_expire() {
    for backend in testkit::backends_with_redis() {
        let app = TestApp::spawn(&backend).await;
        let s = shop(&app).await;
        let token = add(&app, &s.small, json!(1), None, None).await.json()["token"].as_str().expect("token").to_owned();
        match &app.app.redis {
            // Redis forgets the cart by itself at its idle deadline: both of its keys carry it.
            Some(redis) => {
                let mut connection = redis.connection();
                let keys: Vec<String> = cache::redis::cmd("KEYS")
                    .arg(redis.key("cart:*"))
                    .query_async(&mut connection)
                    .await
                    .expect("keys");
                assert_eq!(keys.len(), 2, "the document and its owner's pointer: {keys:?}");
                for key in &keys {
                    let ttl: i64 = cache::redis::cmd("PTTL").arg(key).query_async(&mut connection).await.expect("ttl");
                    let week = 7 * 86_400_000;
                    assert!((week - 60_000..=week).contains(&ttl), "{key} expires at the idle deadline: {ttl} ms");
                    let _: () = cache::redis::cmd("PEXPIRE")
                        .arg(key)
                        .arg(1)
                        .query_async(&mut connection)
                        .await
                        .expect("expire");
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
                assert_eq!(app.app.cart.cart_purge(Timestamp::now()).await.expect("purge"), 0, "nothing to purge");
            }
            None => {
                let svc = &app.app.cart;
                assert_eq!(
                    svc.cart_purge(Timestamp::now().plus(Duration::from_secs(6 * 86_400))).await.expect("purge"),
                    0
                );
                let purged = svc.cart_purge(Timestamp::now().plus(Duration::from_secs(7 * 86_400 + 60))).await;
                assert_eq!(purged.expect("purge"), 1, "{}", backend.name());
            }
        }
        let r = cart(&app, Method::GET, "/cart", None, Some(&token), None).await;
        assert_eq!(r.code(), "cart_not_found", "{}", backend.name());
    }
}
