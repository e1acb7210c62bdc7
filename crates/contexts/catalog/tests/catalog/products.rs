//! Products and variants: who may write what, what customers see, and bad input refused whole.

use crate::common::{create, jacket, shop};
use axum::http::{Method, StatusCode};
use kernel::auth::Role;
use serde_json::json;
use testkit::TestApp;

#[tokio::test]
async fn sellers_create_products_that_customers_see_once_active() {
    for backend in testkit::backends_with_redis() {
        let app = TestApp::spawn(&backend).await;
        let s = shop(&app).await;
        let p = create(&app, &s.seller, jacket("Storm Jacket", "STORM", 12900, &s)).await;
        assert_eq!(p["slug"], "storm-jacket");
        assert_eq!(p["seller_id"], s.seller_id.as_str());
        assert_eq!(p["price"], json!({"min": 12900, "max": 13400, "currency": "USD"}));
        assert_eq!(p["variants"][1]["on_sale"], true);
        assert_eq!(p["breadcrumbs"].as_array().map(Vec::len), Some(2), "root first: {}", p["breadcrumbs"]);
        assert_eq!(p["brand"]["name"], "North Works");

        let public = app.get("/api/v1/products/storm-jacket", None).await;
        assert_eq!(public.status, StatusCode::OK, "{} {}", backend.name(), public.text);
        assert_eq!(public.json()["id"], p["id"]);

        // A draft is the seller's business only.
        let mut draft = jacket("Draft Parka", "PARKA", 20000, &s);
        draft["status"] = json!("draft");
        let d = create(&app, &s.seller, draft).await;
        let path = format!("/api/v1/products/{}", d["id"].as_str().expect("id"));
        assert_eq!(app.get(&path, None).await.code(), "product_not_found");
        let (customer, _, _) = app.register("buyer@example.com").await;
        assert_eq!(app.get(&path, Some(&customer)).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.get(&path, Some(&s.seller)).await.status, StatusCode::OK);
        assert_eq!(app.get(&path, Some(&s.admin)).await.status, StatusCode::OK);

        let r = app.call(Method::PATCH, &path, Some(json!({"status": "active"})), Some(&s.seller)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(app.get(&path, None).await.status, StatusCode::OK, "the cached 404 was evicted");

        let r = app.call(Method::DELETE, &path, None, Some(&s.seller)).await;
        assert_eq!(r.json()["status"], "archived");
        assert_eq!(app.get(&path, None).await.status, StatusCode::NOT_FOUND);

        let own = app.get("/api/v1/seller/products", Some(&s.seller)).await.json();
        assert_eq!(own["items"].as_array().map(Vec::len), Some(2));
        assert_eq!(
            app.get("/api/v1/seller/products?status=archived", Some(&s.seller)).await.json()["items"][0]["id"],
            d["id"]
        );
    }
}

#[tokio::test]
async fn other_sellers_and_customers_cannot_touch_a_product() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let s = shop(&app).await;
        let p = create(&app, &s.seller, jacket("Storm Jacket", "STORM", 12900, &s)).await;
        let path = format!("/api/v1/products/{}", p["id"].as_str().expect("id"));
        let (rival, _) = app.seller("rival@example.com").await;
        let (customer, _, _) = app.register("buyer@example.com").await;

        let r = app.call(Method::PATCH, &path, Some(json!({"title": "Mine now"})), Some(&rival)).await;
        assert_eq!(r.code(), "product_not_found", "another seller's product is 404, not 403");
        let r = app
            .post(
                &format!("{path}/variants"),
                json!({"sku": "X-1", "price": 1, "options": {"Size": "S"}}),
                Some(&rival),
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(app.call(Method::DELETE, &path, None, Some(&rival)).await.status, StatusCode::NOT_FOUND);
        let r = app.post("/api/v1/products", jacket("Nope", "NOPE", 100, &s), Some(&customer)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get("/api/v1/seller/products", Some(&customer)).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.get("/api/v1/seller/products", Some(&rival)).await.json()["items"], json!([]));

        // An admin may change any product.
        let r = app.call(Method::PATCH, &path, Some(json!({"title": "Storm Jacket II"})), Some(&s.admin)).await;
        assert_eq!(r.json()["title"], "Storm Jacket II");
        assert_eq!(app.get(&path, None).await.json()["title"], "Storm Jacket II");
    }
}

#[tokio::test]
async fn bad_input_is_refused_and_nothing_is_written() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let s = shop(&app).await;
        create(&app, &s.seller, jacket("Storm Jacket", "STORM", 12900, &s)).await;

        let cases: Vec<(serde_json::Value, StatusCode, &str)> = vec![
            (
                {
                    let mut b = jacket("A", "A", 100, &s);
                    b["category_id"] = json!("cat_nope");
                    b
                },
                StatusCode::UNPROCESSABLE_ENTITY,
                "unknown_category",
            ),
            (
                {
                    let mut b = jacket("B", "B", 100, &s);
                    b["brand_id"] = json!("nope");
                    b
                },
                StatusCode::UNPROCESSABLE_ENTITY,
                "unknown_brand",
            ),
            (jacket("C", "STORM", 100, &s), StatusCode::CONFLICT, "sku_taken"),
            (
                {
                    let mut b = jacket("D", "D", 100, &s);
                    b["slug"] = json!("storm-jacket");
                    b
                },
                StatusCode::CONFLICT,
                "slug_taken",
            ),
            (jacket("E", "E", -5, &s), StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
            (
                {
                    let mut b = jacket("F", "F", 100, &s);
                    b["variants"][0]["price"] = json!(9.99);
                    b
                },
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
            ),
            (
                {
                    let mut b = jacket("G", "G", 100, &s);
                    b["variants"][0]["currency"] = json!("EUR");
                    b
                },
                StatusCode::UNPROCESSABLE_ENTITY,
                "currency_mismatch",
            ),
            (
                {
                    let mut b = jacket("H", "H", 100, &s);
                    b["variants"][1]["options"] = json!({"Size": "S"});
                    b
                },
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
            ),
            (
                {
                    let mut b = jacket("I", "I", 100, &s);
                    b["variants"] = json!([]);
                    b
                },
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
            ),
            (
                {
                    let mut b = jacket("J", "J", 100, &s);
                    b["seller_id"] = json!("usr_other");
                    b
                },
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
            ),
            (
                {
                    let mut b = jacket("K", "K", 100, &s);
                    b["flavour"] = json!("mint");
                    b
                },
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
            ),
            (
                {
                    let mut b = jacket("L", "L", 100, &s);
                    b["attributes"] = json!("not an object");
                    b
                },
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
            ),
        ];
        for (body, status, code) in cases {
            let r = app.post("/api/v1/products", body.clone(), Some(&s.seller)).await;
            assert_eq!((r.status, r.code().as_str()), (status, code), "{} {body}: {}", backend.name(), r.text);
        }
        let r = app.post("/api/v1/products", jacket("E", "E", -5, &s), Some(&s.seller)).await;
        assert_eq!(r.json()["errors"][0]["field"], "variants[0].price", "{}", r.text);
        let own = app.get("/api/v1/seller/products", Some(&s.seller)).await.json();
        assert_eq!(own["items"].as_array().map(Vec::len), Some(1), "nothing but the first product was written");
    }
}

#[tokio::test]
async fn variants_are_added_changed_and_removed() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let s = shop(&app).await;
        let p = create(&app, &s.seller, jacket("Storm Jacket", "STORM", 12900, &s)).await;
        let path = format!("/api/v1/products/{}", p["id"].as_str().expect("id"));
        let other = create(&app, &s.seller, jacket("Other", "OTHER", 100, &s)).await;
        let _ = other;

        let r = app
            .post(
                &format!("{path}/variants"),
                json!({"sku": "storm-l", "options": {"Size": "L"}, "price": 1}),
                Some(&s.seller),
            )
            .await;
        assert_eq!(r.code(), "validation_failed", "L is not a value of the Size option");
        let r = app
            .post(
                &format!("{path}/variants"),
                json!({"sku": "OTHER-S", "options": {"Size": "M"}, "price": 1}),
                Some(&s.seller),
            )
            .await;
        assert_eq!(r.code(), "validation_failed", "the combination exists: {}", r.text);
        let r = app
            .call(
                Method::PATCH,
                &path,
                Some(json!({"options": [{"name": "Size", "values": ["S", "M", "L"]}]})),
                Some(&s.seller),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let r = app
            .post(
                &format!("{path}/variants"),
                json!({"sku": "OTHER-S", "options": {"Size": "L"}, "price": 1}),
                Some(&s.seller),
            )
            .await;
        assert_eq!(r.code(), "sku_taken");
        let r = app
            .post(
                &format!("{path}/variants"),
                json!({"sku": "storm-l", "options": {"Size": "L"}, "price": 14900}),
                Some(&s.seller),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let v = r.json();
        assert_eq!(v["variants"].as_array().map(Vec::len), Some(3));
        assert_eq!(v["variants"][2]["sku"], "STORM-L", "SKUs are stored upper-case");
        assert_eq!(v["price"]["max"], 14900);

        let id = v["variants"][2]["id"].as_str().expect("id");
        let r = app
            .call(
                Method::PUT,
                &format!("{path}/variants/{id}"),
                Some(json!({"sku": "STORM-L", "options": {"Size": "L"}, "price": 9900})),
                Some(&s.seller),
            )
            .await;
        assert_eq!(r.json()["variants"][2]["price"], 9900);
        let r = app
            .call(
                Method::PATCH,
                &path,
                Some(json!({"options": [{"name": "Size", "values": ["S", "M"]}]})),
                Some(&s.seller),
            )
            .await;
        assert_eq!(r.code(), "options_in_use");

        for variant in v["variants"].as_array().expect("variants").iter().take(2) {
            let vid = variant["id"].as_str().expect("id");
            let r = app.call(Method::DELETE, &format!("{path}/variants/{vid}"), None, Some(&s.seller)).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        }
        let r = app.call(Method::DELETE, &format!("{path}/variants/{id}"), None, Some(&s.seller)).await;
        assert_eq!(r.code(), "last_variant");
        assert_eq!(app.get(&path, None).await.json()["variants"].as_array().map(Vec::len), Some(1));
    }
}

#[tokio::test]
async fn a_seller_who_loses_approval_disappears_from_the_storefront() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let s = shop(&app).await;
        create(&app, &s.seller, jacket("Storm Jacket", "STORM", 12900, &s)).await;
        assert_eq!(app.get("/api/v1/products/storm-jacket", None).await.status, StatusCode::OK);
        app.app.users.seller_decide("test", &s.seller_id, users::domain::SellerStatus::Rejected).await.expect("decide");
        app.settle().await;
        assert_eq!(app.get("/api/v1/products/storm-jacket", None).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.get("/api/v1/products?q=storm", None).await.json()["total"], 0);
    }
}

#[tokio::test]
async fn categories_and_brands_are_admin_writes() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let s = shop(&app).await;
        let r = app.post("/api/v1/categories", json!({"name": "Shoes"}), Some(&s.seller)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = app.post("/api/v1/categories", json!({"name": "Clothing"}), Some(&s.admin)).await;
        assert_eq!(r.code(), "category_slug_taken");
        let r = app.post("/api/v1/categories", json!({"name": "X", "parent_id": "nope"}), Some(&s.admin)).await;
        assert_eq!(r.code(), "validation_failed");
        let r = app
            .call(
                Method::PUT,
                &format!("/api/v1/categories/{}", s.category),
                Some(json!({"name": "Clothing", "parent_id": s.child})),
                Some(&s.admin),
            )
            .await;
        assert_eq!(r.code(), "validation_failed", "a category cannot move below itself");

        let c = app.get("/api/v1/categories/jackets", None).await.json();
        assert_eq!(c["breadcrumbs"][0]["slug"], "clothing");
        assert_eq!(
            app.get(&format!("/api/v1/categories/{}", s.category), None).await.json()["children"][0]["slug"],
            "jackets"
        );
        assert_eq!(app.get("/api/v1/categories", None).await.json().as_array().map(Vec::len), Some(2));

        create(&app, &s.seller, jacket("Storm Jacket", "STORM", 12900, &s)).await;
        let r = app.call(Method::DELETE, &format!("/api/v1/brands/{}", s.brand), None, Some(&s.admin)).await;
        assert_eq!(r.code(), "brand_in_use");
        let r = app.call(Method::DELETE, &format!("/api/v1/categories/{}", s.category), None, Some(&s.admin)).await;
        assert_eq!(r.code(), "category_in_use");

        // A renamed brand reaches the product page and the index.
        let r = app
            .call(
                Method::PUT,
                &format!("/api/v1/brands/{}", s.brand),
                Some(json!({"name": "Southern Works", "slug": "north-works"})),
                Some(&s.admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        app.settle().await;
        assert_eq!(app.get("/api/v1/products/storm-jacket", None).await.json()["brand"]["name"], "Southern Works");
        assert_eq!(app.get("/api/v1/products?q=southern", None).await.json()["total"], 1);
        let (customer, _) = app.user_with_role("c@example.com", Role::Customer).await;
        assert_eq!(
            app.call(Method::DELETE, "/api/v1/brands/north-works", None, Some(&customer)).await.status,
            StatusCode::FORBIDDEN
        );
    }
}

/// Categories and products of one slug made at once: one wins, the others hear the slug is
/// taken, never a 500.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writes_of_one_slug_make_one() {
    for backend in testkit::backends() {
        let app = std::sync::Arc::new(TestApp::spawn(&backend).await);
        let s = shop(&app).await;
        let body = json!({"name": "Race Day", "slug": "race-day"});
        let answers = app.concurrently(10, Method::POST, "/api/v1/categories", body, Some(&s.admin)).await;
        assert_eq!(answers.iter().filter(|(st, _)| *st == 201).count(), 1, "{}: {answers:?}", backend.name());
        assert!(
            answers
                .iter()
                .all(|(st, c)| *st == 201 || (*st == 409 && (c == "category_slug_taken" || c == "concurrent_change"))),
            "{}: {answers:?}",
            backend.name()
        );
        let body = json!({"title": "Race Tee", "slug": "race-tee", "status": "active", "variants": [{"sku": "RACE-TEE", "price": 900}]});
        let answers = app.concurrently(10, Method::POST, "/api/v1/products", body, Some(&s.seller)).await;
        assert_eq!(answers.iter().filter(|(st, _)| *st == 201).count(), 1, "{}: {answers:?}", backend.name());
        assert!(
            answers.iter().all(|(st, c)| *st == 201
                || (*st == 409 && ["slug_taken", "sku_taken", "concurrent_change"].contains(&c.as_str()))),
            "{}: {answers:?}",
            backend.name()
        );
    }
}
