//! Reviews: one per customer and product, exact rating aggregates through edits and moderation,
//! newest-first pages, and the rating carried into search.

use crate::common::{create, jacket, shop};
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use testkit::{TestApp, TestResponse};

async fn review(app: &TestApp, product: &str, token: &str, rating: i64) -> TestResponse {
    app.post(
        &format!("/api/v1/products/{product}/reviews"),
        json!({"rating": rating, "title": format!("{rating} stars"), "body": "Worn it a month."}),
        Some(token),
    )
    .await
}

async fn reviewed(app: &TestApp, product: &str, token: &str, rating: i64) -> Value {
    let r = review(app, product, token, rating).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    r.json()
}

/// The rating summary as a customer sees it on the product page.
async fn rating(app: &TestApp, slug: &str) -> Value {
    let r = app.get(&format!("/api/v1/products/{slug}"), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json()["rating"].clone()
}

fn summary(average: f64, count: i64, histogram: [i64; 5]) -> Value {
    json!({"average": average, "count": count, "histogram": histogram})
}

/// Titles of the hits of `q=storm&{extra}`, in order.
async fn titles(app: &TestApp, extra: &str) -> Vec<String> {
    let r = app.get(&format!("/api/v1/products?q=storm&{extra}"), None).await;
    assert_eq!(r.status, StatusCode::OK, "{extra}: {}", r.text);
    let page = r.json();
    page["items"].as_array().expect("items").iter().map(|h| h["title"].as_str().expect("title").to_owned()).collect()
}

fn ids(page: &Value) -> Vec<String> {
    page["items"].as_array().expect("items").iter().map(|r| r["id"].as_str().expect("id").to_owned()).collect()
}

#[tokio::test]
async fn one_review_per_customer_and_the_rating_stays_exact() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let s = shop(&app).await;
        let p = create(&app, &s.seller, jacket("Storm Jacket", "STORM", 12900, &s)).await;
        let pid = p["id"].as_str().expect("id");
        assert_eq!(p["rating"], summary(0.0, 0, [0, 0, 0, 0, 0]));
        let (ann, _, _) = app.register("ann@example.com").await;
        let (bob, _, _) = app.register("bob@example.com").await;
        let (cat, _, _) = app.register("cat@example.com").await;
        let (dan, _, _) = app.register("dan@example.com").await;

        // Cache the product page before any review: every change below must evict it.
        assert_eq!(rating(&app, "storm-jacket").await, summary(0.0, 0, [0, 0, 0, 0, 0]));

        let r = review(&app, "storm-jacket", &ann, 5).await;
        assert_eq!(r.status, StatusCode::CREATED, "{} {}", backend.name(), r.text);
        let ann_review = r.json();
        assert_eq!(ann_review["product_id"], pid, "a slug resolves to the product");
        assert_eq!(ann_review["rating"], 5);
        assert_eq!(ann_review["title"], "5 stars");
        assert_eq!(ann_review["body"], "Worn it a month.");
        assert_eq!(ann_review["mine"], true);
        assert_eq!(ann_review["hidden"], false);
        assert_eq!(ann_review["verified_purchase"], false);
        let ann_rev = ann_review["id"].as_str().expect("id").to_owned();
        assert!(ann_rev.starts_with("rev_"), "{ann_rev}");
        assert_eq!(rating(&app, "storm-jacket").await, summary(5.0, 1, [0, 0, 0, 0, 1]));

        let again = review(&app, pid, &ann, 3).await;
        assert_eq!((again.status, again.code().as_str()), (StatusCode::CONFLICT, "review_exists"), "{}", again.text);

        for stars in [0, 6, -1] {
            let r = review(&app, pid, &bob, stars).await;
            assert_eq!(
                (r.status, r.code().as_str()),
                (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed"),
                "{stars}: {}",
                r.text
            );
            assert_eq!(r.json()["errors"][0]["field"], "rating", "{}", r.text);
        }
        let r = app.post(&format!("/api/v1/products/{pid}/reviews"), json!({"rating": 4.5}), Some(&bob)).await;
        assert_eq!(r.code(), "validation_failed", "a fraction of a star: {}", r.text);
        let r = app.post(&format!("/api/v1/products/{pid}/reviews"), json!({"rating": 4}), None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.text);
        assert_eq!(rating(&app, pid).await, summary(5.0, 1, [0, 0, 0, 0, 1]), "refused reviews count for nothing");

        reviewed(&app, pid, &bob, 4).await;
        let cat_review = reviewed(&app, pid, &cat, 2).await;
        reviewed(&app, pid, &dan, 4).await;
        // 5 + 4 + 2 + 4 = 15 over 4 reviews: 3.75, shown as 3.8.
        assert_eq!(rating(&app, "storm-jacket").await, summary(3.8, 4, [0, 1, 0, 2, 1]));
        let own = app.get(&format!("/api/v1/products/{pid}"), Some(&s.seller)).await.json();
        assert_eq!(own["rating"], summary(3.8, 4, [0, 1, 0, 2, 1]), "the seller's view agrees");

        // Cat changes her mind: 2 → 1 stars.
        let cat_rev = cat_review["id"].as_str().expect("id");
        let r = app
            .call(
                Method::PUT,
                &format!("/api/v1/reviews/{cat_rev}"),
                Some(json!({"rating": 1, "title": "Leaks", "body": "Not waterproof at all."})),
                Some(&cat),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let edited = r.json();
        assert_eq!((edited["rating"].clone(), edited["title"].clone()), (json!(1), json!("Leaks")));
        assert_eq!(edited["id"], cat_rev);
        assert_eq!(edited["created_at"], cat_review["created_at"]);
        assert_eq!(rating(&app, pid).await, summary(3.5, 4, [1, 0, 0, 2, 1]));

        let r =
            app.call(Method::PUT, &format!("/api/v1/reviews/{cat_rev}"), Some(json!({"rating": 9})), Some(&cat)).await;
        assert_eq!(r.code(), "validation_failed");
        // Someone else's review, or none at all, is not found.
        let r =
            app.call(Method::PUT, &format!("/api/v1/reviews/{cat_rev}"), Some(json!({"rating": 5})), Some(&bob)).await;
        assert_eq!((r.status, r.code().as_str()), (StatusCode::NOT_FOUND, "review_not_found"), "{}", r.text);
        let r = app.call(Method::PUT, "/api/v1/reviews/rev_nope", Some(json!({"rating": 5})), Some(&bob)).await;
        assert_eq!(r.code(), "review_not_found");
        assert_eq!(rating(&app, pid).await, summary(3.5, 4, [1, 0, 0, 2, 1]), "the refused edits changed nothing");

        // Only admins moderate.
        let hide = format!("/api/v1/admin/reviews/{ann_rev}/hide");
        let unhide = format!("/api/v1/admin/reviews/{ann_rev}/unhide");
        for token in [&bob, &ann, &s.seller] {
            let r = app.call(Method::POST, &hide, None, Some(token)).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
            assert_eq!(r.code(), "forbidden");
        }
        assert_eq!(app.call(Method::POST, &hide, None, None).await.status, StatusCode::UNAUTHORIZED);
        let r = app.call(Method::POST, "/api/v1/admin/reviews/rev_nope/hide", None, Some(&s.admin)).await;
        assert_eq!(r.code(), "review_not_found");

        let r = app.call(Method::POST, &hide, None, Some(&s.admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["hidden"], true);
        assert_eq!(r.json()["mine"], false, "the admin did not write it");
        // Ann's 5 leaves the aggregate: 4 + 1 + 4 = 9 over 3.
        assert_eq!(rating(&app, pid).await, summary(3.0, 3, [1, 0, 0, 2, 0]));
        let r = app.call(Method::POST, &hide, None, Some(&s.admin)).await;
        assert_eq!(r.status, StatusCode::OK, "hiding twice is harmless");
        assert_eq!(rating(&app, pid).await, summary(3.0, 3, [1, 0, 0, 2, 0]));

        let list = format!("/api/v1/products/{pid}/reviews");
        for token in [None, Some(ann.as_str()), Some(bob.as_str()), Some(s.seller.as_str())] {
            let page = app.get(&list, token).await.json();
            assert_eq!(page["items"].as_array().map(Vec::len), Some(3), "{page}");
            assert!(!ids(&page).contains(&ann_rev), "a hidden review is not shown, not even to its author");
        }
        let page = app.get(&list, Some(&s.admin)).await.json();
        assert_eq!(page["items"].as_array().map(Vec::len), Some(4), "{page}");
        let hidden: Vec<&Value> =
            page["items"].as_array().expect("items").iter().filter(|r| r["hidden"] == true).collect();
        assert_eq!(hidden.len(), 1);
        assert_eq!(hidden[0]["id"], ann_rev.as_str());

        // The author may still edit a hidden review; it stays out of the rating.
        let r =
            app.call(Method::PUT, &format!("/api/v1/reviews/{ann_rev}"), Some(json!({"rating": 2})), Some(&ann)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["hidden"], true);
        assert_eq!(rating(&app, pid).await, summary(3.0, 3, [1, 0, 0, 2, 0]));

        let r = app.call(Method::POST, &unhide, None, Some(&s.admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["hidden"], false);
        // 2 + 4 + 1 + 4 = 11 over 4: 2.75, shown as 2.8.
        assert_eq!(rating(&app, pid).await, summary(2.8, 4, [1, 1, 0, 2, 0]));
        let page = app.get(&list, Some(&ann)).await.json();
        assert_eq!(page["items"].as_array().map(Vec::len), Some(4));
        let mine: Vec<&Value> = page["items"].as_array().expect("items").iter().filter(|r| r["mine"] == true).collect();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0]["id"], ann_rev.as_str());
    }
}

#[tokio::test]
async fn reviews_are_listed_newest_first_in_cursor_pages() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let s = shop(&app).await;
        let p = create(&app, &s.seller, jacket("Storm Jacket", "STORM", 12900, &s)).await;
        let pid = p["id"].as_str().expect("id");
        let mut written = Vec::new();
        for (i, stars) in [3, 5, 1, 4, 2].into_iter().enumerate() {
            let (token, _, _) = app.register(&format!("buyer{i}@example.com")).await;
            written.push(reviewed(&app, pid, &token, stars).await["id"].as_str().expect("id").to_owned());
        }
        let newest_first: Vec<String> = written.iter().rev().cloned().collect();

        let all = app.get(&format!("/api/v1/products/{pid}/reviews"), None).await.json();
        assert_eq!(ids(&all), newest_first, "{} {all}", backend.name());
        assert_eq!(all["items"][0]["rating"], 2);
        assert!(all.get("next_cursor").is_none(), "one page holds everything: {all}");

        let mut seen = Vec::new();
        let mut sizes = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let path = match &cursor {
                None => "/api/v1/products/storm-jacket/reviews?limit=2".to_owned(),
                Some(c) => format!("/api/v1/products/storm-jacket/reviews?limit=2&cursor={c}"),
            };
            let r = app.get(&path, None).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text);
            let page = r.json();
            sizes.push(page["items"].as_array().map_or(0, Vec::len));
            seen.extend(ids(&page));
            match page.get("next_cursor").and_then(Value::as_str) {
                Some(c) => cursor = Some(c.to_owned()),
                None => break,
            }
            assert!(sizes.len() < 10, "pagination does not end");
        }
        assert_eq!(sizes, [2, 2, 1]);
        assert_eq!(seen, newest_first, "every review once, newest first");

        let r = app.get(&format!("/api/v1/products/{pid}/reviews?limit=0"), None).await;
        assert_eq!((r.status, r.code().as_str()), (StatusCode::BAD_REQUEST, "invalid_limit"));
        let r = app.get(&format!("/api/v1/products/{pid}/reviews?limit=101"), None).await;
        assert_eq!(r.code(), "invalid_limit");
        let r = app.get(&format!("/api/v1/products/{pid}/reviews?cursor=%25%25"), None).await;
        assert_eq!((r.status, r.code().as_str()), (StatusCode::BAD_REQUEST, "invalid_cursor"), "{}", r.text);
    }
}

#[tokio::test]
async fn only_visible_products_of_others_can_be_reviewed() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let s = shop(&app).await;
        let p = create(&app, &s.seller, jacket("Storm Jacket", "STORM", 12900, &s)).await;
        let pid = p["id"].as_str().expect("id");
        let mut draft = jacket("Draft Parka", "PARKA", 20000, &s);
        draft["status"] = json!("draft");
        let d = create(&app, &s.seller, draft).await;
        let did = d["id"].as_str().expect("id");
        let (customer, _, _) = app.register("buyer@example.com").await;

        for key in [did, "draft-parka", "prd_nope", "no-such-product"] {
            let r = review(&app, key, &customer, 4).await;
            assert_eq!(
                (r.status, r.code().as_str()),
                (StatusCode::NOT_FOUND, "product_not_found"),
                "{key}: {}",
                r.text
            );
            let r = app.get(&format!("/api/v1/products/{key}/reviews"), None).await;
            assert_eq!(r.code(), "product_not_found", "{key}");
        }

        let r = review(&app, pid, &s.seller, 5).await;
        assert_eq!((r.status, r.code().as_str()), (StatusCode::FORBIDDEN, "forbidden"), "{}", r.text);
        // Another seller is a customer of this store like anyone else.
        let (rival, _) = app.seller("rival@example.com").await;
        reviewed(&app, pid, &rival, 1).await;

        // An archived product takes no new reviews.
        let r = app.call(Method::DELETE, &format!("/api/v1/products/{pid}"), None, Some(&s.seller)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let r = review(&app, pid, &customer, 4).await;
        assert_eq!(r.code(), "product_not_found");
        let own = app.get(&format!("/api/v1/products/{pid}"), Some(&s.seller)).await.json();
        assert_eq!(own["rating"], summary(1.0, 1, [1, 0, 0, 0, 0]), "only the rival's review counts");
    }
}

#[tokio::test]
async fn search_hits_carry_the_rating_and_filter_on_it() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let s = shop(&app).await;
        let p = create(&app, &s.seller, jacket("Storm Jacket", "STORM", 12900, &s)).await;
        let pid = p["id"].as_str().expect("id");
        create(&app, &s.seller, jacket("Storm Shell", "SHELL", 9900, &s)).await;
        app.settle().await;
        let hit = |page: &Value| {
            page["items"]
                .as_array()
                .expect("items")
                .iter()
                .find(|h| h["id"] == pid)
                .cloned()
                .expect("the jacket is listed")
        };
        let page = app.get("/api/v1/products?q=storm", None).await.json();
        assert_eq!(page["total"], 2, "{page}");
        assert_eq!((hit(&page)["rating"].clone(), hit(&page)["review_count"].clone()), (json!(0.0), json!(0)));

        let mut tokens = Vec::new();
        for (i, stars) in [5, 4, 4].into_iter().enumerate() {
            let (token, _, _) = app.register(&format!("buyer{i}@example.com")).await;
            let r = reviewed(&app, pid, &token, stars).await;
            tokens.push((token, r["id"].as_str().expect("id").to_owned()));
        }
        app.settle().await;
        // 13 / 3 = 4.33…, shown as 4.3.
        let page = app.get("/api/v1/products?q=storm", None).await.json();
        assert_eq!(
            (hit(&page)["rating"].clone(), hit(&page)["review_count"].clone()),
            (json!(4.3), json!(3)),
            "{} {page}",
            backend.name()
        );
        assert_eq!(titles(&app, "rating_min=4.3").await, ["Storm Jacket"]);
        assert_eq!(titles(&app, "rating_min=4").await, ["Storm Jacket"]);
        assert!(titles(&app, "rating_min=4.4").await.is_empty());
        assert_eq!(titles(&app, "rating_min=0").await.len(), 2, "an unrated product has 0 and passes 0");
        assert_eq!(titles(&app, "sort=rating").await, ["Storm Jacket", "Storm Shell"]);

        // Hiding the 5 drops the average to 4.0 once the index catches up.
        let r =
            app.call(Method::POST, &format!("/api/v1/admin/reviews/{}/hide", tokens[0].1), None, Some(&s.admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        app.settle().await;
        let page = app.get("/api/v1/products?q=storm", None).await.json();
        assert_eq!((hit(&page)["rating"].clone(), hit(&page)["review_count"].clone()), (json!(4.0), json!(2)));
        assert!(titles(&app, "rating_min=4.3").await.is_empty());
        assert_eq!(titles(&app, "rating_min=4").await, ["Storm Jacket"]);

        // An edit reaches the index too: 1 + 4 = 5 over 2.
        let r = app
            .call(
                Method::PUT,
                &format!("/api/v1/reviews/{}", tokens[1].1),
                Some(json!({"rating": 1})),
                Some(&tokens[1].0),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        app.settle().await;
        let page = app.get("/api/v1/products?q=storm", None).await.json();
        assert_eq!((hit(&page)["rating"].clone(), hit(&page)["review_count"].clone()), (json!(2.5), json!(2)));
        assert!(titles(&app, "rating_min=3").await.is_empty());
    }
}
