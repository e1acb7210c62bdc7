//! Pricing carts through the trait the cart calls, and counting uses when orders are placed.

use crate::common::{create_id, line, price, reason, redeem, status};
use kernel::auth::Role;
use serde_json::json;
use testkit::TestApp;

#[tokio::test]
async fn automatic_category_percent_fixed_code_and_free_shipping_stack() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let (admin, _) = app.user_with_role("admin@example.com", Role::Admin).await;
        let shoes = create_id(
            &app,
            &admin,
            json!({"name": "Shoes 10%", "kind": "percent", "value": 10, "scope": "categories",
                "targets": ["cat_shoes"], "combinable": true}),
        )
        .await;
        let five = create_id(
            &app,
            &admin,
            json!({"name": "5 off", "code": "FIVEOFF", "kind": "fixed", "value": 500, "combinable": true}),
        )
        .await;
        let ship = create_id(
            &app,
            &admin,
            json!({"name": "Free delivery", "code": "SHIPFREE", "kind": "free_shipping", "combinable": true}),
        )
        .await;
        let lines = vec![
            line("prd_runner", "usr_s1", &["cat_running", "cat_shoes"], 4_000, 1),
            line("prd_book", "usr_s1", &["cat_books"], 2_000, 1),
        ];

        // Without codes only the automatic promotion applies, and only to the shoes.
        let plain = price(&app, lines.clone(), 700, &[], None).await;
        assert_eq!(plain.quote.line_discounts, [400, 0], "{}", backend.name());
        assert_eq!(plain.quote.total, 6_000 - 400 + 700);

        let priced = price(&app, lines, 700, &["fiveoff", " SHIPFREE", "FiveOff"], Some("usr_buyer")).await;
        let q = &priced.quote;
        // 10% of the shoes first, then 500 split over what is left (3600 and 2000).
        assert_eq!(q.line_discounts, [721, 179], "{q:?}");
        assert_eq!((q.discount_total, q.shipping_discount, q.total), (900, 700, 5_100));
        let applied: Vec<&str> = q.applied.iter().map(|a| a.promotion_id.as_str()).collect();
        assert_eq!(applied, [shoes.as_str(), five.as_str(), ship.as_str()]);
        assert_eq!(priced.codes.len(), 2, "duplicates folded: {:?}", priced.codes);
        assert_eq!((reason(&priced, "FIVEOFF"), reason(&priced, "SHIPFREE")), (None, None));
        assert_eq!(status(&priced, "FIVEOFF").promotion_id.as_deref(), Some(five.as_str()));
        assert_eq!(priced.promotions[&shoes].name, "Shoes 10%");
        assert_eq!(priced.promotions[&ship].code.as_deref(), Some("SHIPFREE"));

        // Pricing uses nothing up.
        let r = app.get(&format!("/api/v1/promotions/{five}"), Some(&admin)).await.json();
        assert_eq!(r["times_used"], 0);
    }
}

#[tokio::test]
async fn codes_that_do_not_apply_say_why() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let (admin, _) = app.user_with_role("admin@example.com", Role::Admin).await;
        let code = |code: &str, extra: serde_json::Value| {
            let mut body = json!({"name": code, "code": code, "kind": "percent", "value": 10, "combinable": true});
            for (k, v) in extra.as_object().expect("object") {
                body[k] = v.clone();
            }
            body
        };
        for body in [
            code("OLD", json!({"ends_at": "2026-01-31T00:00:00Z"})),
            code("SOON", json!({"starts_at": "2026-04-01T00:00:00Z"})),
            code("BIGSPEND", json!({"min_subtotal": 10_000})),
            code("OFF", json!({"active": false})),
            code("OTHERS", json!({"scope": "products", "targets": ["prd_elsewhere"]})),
            code("WINDOW", json!({"starts_at": "2026-02-01T00:00:00Z", "ends_at": "2026-04-01T00:00:00Z"})),
            json!({"name": "Free delivery", "code": "SHIP", "kind": "free_shipping", "combinable": true}),
        ] {
            create_id(&app, &admin, body).await;
        }
        let lines = vec![line("prd_lamp", "usr_s1", &[], 6_000, 1)];
        let codes = ["nope", "old", "soon", "bigspend", "off", "others", "window", "ship", "x y"];
        let priced = price(&app, lines, 0, &codes, None).await;
        let expected = [
            ("NOPE", Some("code_unknown")),
            ("OLD", Some("code_expired")),
            ("SOON", Some("code_not_started")),
            ("BIGSPEND", Some("code_min_subtotal")),
            ("OFF", Some("code_inactive")),
            ("OTHERS", Some("code_not_applicable")),
            ("WINDOW", None),
            ("SHIP", Some("code_no_effect")),
            ("X Y", Some("code_unknown")),
        ];
        for (code, why) in expected {
            assert_eq!(reason(&priced, code).as_deref(), why, "{code} on {}", backend.name());
        }
        let message = |code: &str| status(&priced, code).reason.clone().expect("a reason").1;
        assert!(message("OLD").contains("2026-01-31"), "{}", message("OLD"));
        assert!(message("SOON").contains("2026-04-01"), "{}", message("SOON"));
        assert!(message("BIGSPEND").contains("4000"), "{}", message("BIGSPEND"));
        assert_eq!(status(&priced, "NOPE").promotion_id, None);
        assert!(status(&priced, "OLD").promotion_id.is_some());
        assert_eq!(priced.quote.discount_total, 600);
    }
}

#[tokio::test]
async fn usage_limits_are_counted_when_orders_are_placed_all_or_none() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let (admin, _) = app.user_with_role("admin@example.com", Role::Admin).await;
        let twice = create_id(
            &app,
            &admin,
            json!({"name": "Two uses", "code": "TWICE", "kind": "fixed", "value": 100, "usage_limit": 2, "combinable": true}),
        )
        .await;
        let spare = create_id(
            &app,
            &admin,
            json!({"name": "Spare", "code": "SPARE", "kind": "fixed", "value": 100, "combinable": true}),
        )
        .await;
        let lines = || vec![line("prd_lamp", "usr_s1", &[], 1_000, 1)];
        assert_eq!(reason(&price(&app, lines(), 0, &["TWICE"], None).await, "TWICE"), None);

        redeem(&app, &[&twice], Some("usr_a"), "ord_1").await.expect("first use");
        redeem(&app, &[&twice], None, "ord_2").await.expect("second use");
        redeem(&app, &[&twice], Some("usr_a"), "ord_1").await.expect("a replay counts nothing");
        let uses = |id: String| {
            let app = &app;
            let admin = &admin;
            async move { app.get(&format!("/api/v1/promotions/{id}"), Some(admin)).await.json()["times_used"].clone() }
        };
        assert_eq!(uses(twice.clone()).await, 2, "{}", backend.name());

        let priced = price(&app, lines(), 0, &["TWICE", "SPARE"], None).await;
        assert_eq!(reason(&priced, "TWICE").as_deref(), Some("code_exhausted"));
        assert_eq!(reason(&priced, "SPARE"), None);

        // A further order is refused as a whole: the spare promotion is not counted either.
        let err = redeem(&app, &[&spare, &twice], Some("usr_b"), "ord_3").await.expect_err("used up");
        assert_eq!((err.status().as_u16(), err.code.as_ref()), (409, "code_exhausted"));
        assert_eq!((uses(twice.clone()).await, uses(spare.clone()).await), (json!(2), json!(0)));
        let redemptions: (i64,) =
            app.app.db.fetch_one("SELECT COUNT(*) FROM pricing_redemptions", vec![]).await.expect("count");
        assert_eq!(redemptions.0, 2);
        let err = redeem(&app, &["pro_missing".to_owned().as_str()], None, "ord_4").await.expect_err("unknown");
        assert_eq!(err.code, "promotion_not_found");

        // The limit cannot go below the uses counted, and a used promotion is kept when deleted.
        let body = json!({"name": "Two uses", "code": "TWICE", "kind": "fixed", "value": 100, "usage_limit": 1});
        let r =
            app.call(axum::http::Method::PUT, &format!("/api/v1/promotions/{twice}"), Some(body), Some(&admin)).await;
        assert_eq!((r.status.as_u16(), r.json()["errors"][0]["field"].clone()), (422, json!("usage_limit")));
        let r = app.call(axum::http::Method::DELETE, &format!("/api/v1/promotions/{twice}"), None, Some(&admin)).await;
        assert_eq!((r.status.as_u16(), r.json()["active"].clone()), (200, json!(false)), "{}", r.text);
        let priced = price(&app, lines(), 0, &["TWICE"], None).await;
        assert_eq!(reason(&priced, "TWICE").as_deref(), Some("code_inactive"));
    }
}

#[tokio::test]
async fn per_customer_limits_count_each_customers_orders() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let (admin, _) = app.user_with_role("admin@example.com", Role::Admin).await;
        let once = create_id(
            &app,
            &admin,
            json!({"name": "Once each", "code": "ONCE", "kind": "percent", "value": 20, "per_customer_limit": 1}),
        )
        .await;
        let lines = || vec![line("prd_lamp", "usr_s1", &[], 1_000, 2)];
        assert_eq!(price(&app, lines(), 0, &["once"], Some("usr_a")).await.quote.discount_total, 400);
        redeem(&app, &[&once], Some("usr_a"), "ord_1").await.expect("first use");

        let again = price(&app, lines(), 0, &["once"], Some("usr_a")).await;
        assert_eq!(reason(&again, "ONCE").as_deref(), Some("code_customer_limit"), "{}", backend.name());
        assert_eq!(again.quote.discount_total, 0);
        assert_eq!(reason(&price(&app, lines(), 0, &["once"], Some("usr_b")).await, "ONCE"), None);
        assert_eq!(
            reason(&price(&app, lines(), 0, &["once"], None).await, "ONCE"),
            None,
            "guests are checked at order time"
        );

        let err = redeem(&app, &[&once], Some("usr_a"), "ord_2").await.expect_err("second use");
        assert_eq!(err.code, "code_customer_limit");
        redeem(&app, &[&once], Some("usr_b"), "ord_3").await.expect("another customer");
        let r = app.get(&format!("/api/v1/promotions/{once}"), Some(&admin)).await.json();
        assert_eq!(r["times_used"], 2);
    }
}

#[tokio::test]
async fn a_non_combinable_code_competes_with_a_better_automatic_offer() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let (admin, _) = app.user_with_role("admin@example.com", Role::Admin).await;
        let sale = create_id(&app, &admin, json!({"name": "Spring sale", "kind": "percent", "value": 20})).await;
        let ten = create_id(
            &app,
            &admin,
            json!({"name": "10 off", "code": "TENOFF", "kind": "fixed", "value": 1_000, "combinable": false}),
        )
        .await;

        // 20% of 10000 beats 1000 off: the sale applies and the code is turned down.
        let big = price(&app, vec![line("prd_tent", "usr_s1", &[], 10_000, 1)], 0, &["TENOFF"], None).await;
        assert_eq!(big.quote.applied.iter().map(|a| a.promotion_id.as_str()).collect::<Vec<_>>(), [sale.as_str()]);
        assert_eq!(reason(&big, "TENOFF").as_deref(), Some("code_not_combinable"), "{}", backend.name());
        assert_eq!(big.quote.discount_total, 2_000);

        // On 4000, 1000 off beats 20% (800): the code wins.
        let small = price(&app, vec![line("prd_mug", "usr_s1", &[], 4_000, 1)], 0, &["TENOFF"], None).await;
        assert_eq!(reason(&small, "TENOFF"), None);
        assert_eq!(small.quote.applied.iter().map(|a| a.promotion_id.as_str()).collect::<Vec<_>>(), [ten.as_str()]);
        assert_eq!(small.quote.discount_total, 1_000);
    }
}

#[tokio::test]
async fn a_sellers_promotion_only_touches_that_sellers_lines() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let (seller, seller_id) = app.seller("seller@example.com").await;
        let half =
            create_id(&app, &seller, json!({"name": "Half off", "kind": "percent", "value": 50, "combinable": true}))
                .await;
        create_id(&app, &seller, json!({"name": "Mine", "code": "MINE", "kind": "fixed", "value": 300})).await;
        let lines = vec![line("prd_a", &seller_id, &[], 1_000, 1), line("prd_b", "usr_other", &[], 1_000, 1)];
        let priced = price(&app, lines, 0, &[], None).await;
        assert_eq!(priced.quote.line_discounts, [500, 0], "{}", backend.name());
        assert_eq!(priced.quote.applied[0].promotion_id, half);

        let theirs = price(&app, vec![line("prd_b", "usr_other", &[], 1_000, 1)], 0, &["MINE"], None).await;
        assert_eq!(reason(&theirs, "MINE").as_deref(), Some("code_not_applicable"));
        assert_eq!(theirs.quote.discount_total, 0);
    }
}

#[tokio::test]
async fn line_discounts_add_up_to_the_cent() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let (admin, _) = app.user_with_role("admin@example.com", Role::Admin).await;
        create_id(&app, &admin, json!({"name": "Ten percent", "kind": "percent", "value": 10})).await;
        let lines = (0..3).map(|i| line(&format!("prd_{i}"), "usr_s1", &[], 333, 1)).collect();
        let priced = price(&app, lines, 0, &[], None).await;
        // 10% of 999 is 99.9, rounded to 100 and split 34 / 33 / 33.
        assert_eq!(priced.quote.line_discounts, [34, 33, 33], "{}", backend.name());
        assert_eq!((priced.quote.discount_total, priced.quote.total), (100, 899));
    }
}
