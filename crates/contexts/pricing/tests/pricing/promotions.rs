//! Managing promotions through the API: ownership, validation, unique codes and paging.

use crate::common::{create, create_id, promotion};
use axum::http::{Method, StatusCode};
use kernel::auth::Role;
use serde_json::{Value, json};
use testkit::TestApp;

#[tokio::test]
async fn sellers_manage_their_own_promotions_and_admins_all() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let (admin, _) = app.user_with_role("admin@example.com", Role::Admin).await;
        let (seller, seller_id) = app.seller("seller@example.com").await;
        let (rival, _) = app.seller("rival@example.com").await;
        let (customer, _, _) = app.register("buyer@example.com").await;

        let platform = create(
            &app,
            &admin,
            json!({"name": "Welcome", "code": " welcome-10 ", "kind": "percent", "value": 10,
                "starts_at": "2026-01-01T00:00:00Z", "ends_at": "2026-02-01T00:00:00Z",
                "usage_limit": 100, "per_customer_limit": 1, "combinable": true}),
        )
        .await;
        assert_eq!(platform["code"], "WELCOME-10", "{}", backend.name());
        assert_eq!(platform["seller_id"], Value::Null);
        assert_eq!((platform["times_used"].as_i64(), platform["active"].as_bool()), (Some(0), Some(true)));
        assert_eq!(platform["starts_at"], "2026-01-01T00:00:00Z");
        let platform_id = platform["id"].as_str().expect("id").to_owned();
        assert!(platform_id.starts_with("pro_"));

        let own = create(
            &app,
            &seller,
            json!({"name": "Lamps 5 off", "kind": "fixed", "value": 500, "scope": "products",
                "targets": ["prd_1", " prd_1", "prd_2"]}),
        )
        .await;
        assert_eq!(own["seller_id"], seller_id.as_str());
        assert_eq!(own["targets"], json!(["prd_1", "prd_2"]));
        assert_eq!(
            (own["code"].clone(), own["combinable"].clone()),
            (Value::Null, json!(true)),
            "combinable by default"
        );
        let own_id = own["id"].as_str().expect("id").to_owned();

        // Owners and admins see a promotion; another seller is told it does not exist.
        assert_eq!(promotion(&app, &seller, &own_id).await["name"], "Lamps 5 off");
        assert_eq!(promotion(&app, &admin, &own_id).await["name"], "Lamps 5 off");
        let replacement = json!({"name": "Lamps 15%", "kind": "percent", "value": 15});
        for (method, id, token) in [
            (Method::GET, &own_id, &rival),
            (Method::PUT, &own_id, &rival),
            (Method::DELETE, &own_id, &rival),
            (Method::GET, &platform_id, &seller),
            (Method::PUT, &platform_id, &seller),
            (Method::DELETE, &platform_id, &seller),
            (Method::GET, &"pro_missing".to_owned(), &admin),
        ] {
            let body = (method == Method::PUT).then(|| replacement.clone());
            let r = app.call(method.clone(), &format!("/api/v1/promotions/{id}"), body, Some(token)).await;
            assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "promotion_not_found".into()), "{method} {id}");
        }
        for (method, path) in [
            (Method::GET, "/api/v1/promotions".to_owned()),
            (Method::POST, "/api/v1/promotions".to_owned()),
            (Method::GET, format!("/api/v1/promotions/{own_id}")),
            (Method::PUT, format!("/api/v1/promotions/{own_id}")),
            (Method::DELETE, format!("/api/v1/promotions/{own_id}")),
        ] {
            let body = matches!(method, Method::POST | Method::PUT).then(|| replacement.clone());
            let r = app.call(method.clone(), &path, body, Some(&customer)).await;
            assert_eq!((r.status, r.code()), (StatusCode::FORBIDDEN, "forbidden".into()), "{method} {path}");
        }

        // A full replace: fields left out go back to their defaults; owner and history stay.
        let r = app.call(Method::PUT, &format!("/api/v1/promotions/{own_id}"), Some(replacement), Some(&seller)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let updated = r.json();
        assert_eq!((updated["kind"].as_str(), updated["value"].as_i64()), (Some("percent"), Some(15)));
        assert_eq!((updated["scope"].as_str(), updated["targets"].clone()), (Some("order"), json!([])));
        assert_eq!(
            (updated["seller_id"].clone(), updated["created_at"].clone()),
            (own["seller_id"].clone(), own["created_at"].clone())
        );
        let by_admin = json!({"name": "Lamps 20%", "kind": "percent", "value": 20, "active": false});
        let r = app.call(Method::PUT, &format!("/api/v1/promotions/{own_id}"), Some(by_admin), Some(&admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!((r.json()["seller_id"].clone(), r.json()["active"].clone()), (json!(seller_id), json!(false)));

        let count = |v: Value| v["items"].as_array().map(Vec::len);
        assert_eq!(count(app.get("/api/v1/promotions", Some(&seller)).await.json()), Some(1));
        assert_eq!(count(app.get("/api/v1/promotions", Some(&rival)).await.json()), Some(0));
        assert_eq!(count(app.get("/api/v1/promotions", Some(&admin)).await.json()), Some(2));

        // Deleting a promotion no order used removes it.
        let r = app.call(Method::DELETE, &format!("/api/v1/promotions/{own_id}"), None, Some(&seller)).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text);
        let r = app.get(&format!("/api/v1/promotions/{own_id}"), Some(&admin)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn lists_page_with_a_cursor_newest_first() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let (admin, _) = app.user_with_role("admin@example.com", Role::Admin).await;
        let mut ids = Vec::new();
        for i in 0..5 {
            ids.push(create_id(&app, &admin, json!({"name": format!("Promo {i}"), "kind": "free_shipping"})).await);
        }
        ids.reverse();
        let mut seen = Vec::new();
        let mut path = "/api/v1/promotions?limit=2".to_owned();
        loop {
            let page = app.get(&path, Some(&admin)).await.json();
            let items = page["items"].as_array().expect("items");
            assert!(items.len() <= 2);
            seen.extend(items.iter().map(|p| p["id"].as_str().expect("id").to_owned()));
            match page["next_cursor"].as_str() {
                Some(cursor) => path = format!("/api/v1/promotions?limit=2&cursor={cursor}"),
                None => break,
            }
        }
        assert_eq!(seen, ids, "{}", backend.name());
        let r = app.get("/api/v1/promotions?cursor=%%%", Some(&admin)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
    }
}

#[tokio::test]
async fn invalid_promotions_are_refused_naming_each_field() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let (seller, _) = app.seller("seller@example.com").await;
        let ok = json!({"name": "Sale", "kind": "percent", "value": 10});
        let with = |changes: Value| {
            let mut body = ok.clone();
            for (k, v) in changes.as_object().expect("object") {
                body[k] = v.clone();
            }
            body
        };
        let many: Vec<String> = (0..501).map(|i| format!("cat_{i}")).collect();
        let cases = [
            (with(json!({"name": " "})), "name"),
            (with(json!({"name": "x".repeat(201)})), "name"),
            (with(json!({"code": "AB"})), "code"),
            (with(json!({"code": "NO SPACES"})), "code"),
            (with(json!({"code": "x".repeat(41)})), "code"),
            (with(json!({"kind": "bogo"})), "kind"),
            (with(json!({"value": 0})), "value"),
            (with(json!({"value": 101})), "value"),
            (with(json!({"value": null})), "value"),
            (with(json!({"kind": "fixed", "value": 0})), "value"),
            (with(json!({"kind": "fixed", "value": 100_000_001})), "value"),
            (with(json!({"kind": "free_shipping", "value": 5})), "value"),
            (with(json!({"scope": "everything"})), "scope"),
            (with(json!({"targets": ["prd_1"]})), "targets"),
            (with(json!({"scope": "products"})), "targets"),
            (with(json!({"scope": "categories", "targets": many})), "targets"),
            (with(json!({"scope": "products", "targets": [""]})), "targets"),
            (with(json!({"min_subtotal": -1})), "min_subtotal"),
            (with(json!({"starts_at": "next tuesday"})), "starts_at"),
            (with(json!({"ends_at": "2026-13-01T00:00:00Z"})), "ends_at"),
            (with(json!({"starts_at": "2026-02-01T00:00:00Z", "ends_at": "2026-02-01T00:00:00Z"})), "ends_at"),
            (with(json!({"usage_limit": 0})), "usage_limit"),
            (with(json!({"per_customer_limit": -3})), "per_customer_limit"),
            (with(json!({"seller_id": "usr_other"})), "seller_id"),
            (with(json!({"times_used": 0})), "times_used"),
        ];
        for (body, field) in cases {
            let r = app.post("/api/v1/promotions", body.clone(), Some(&seller)).await;
            assert_eq!((r.status, r.code()), (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed".into()), "{body}");
            let errors = r.json()["errors"].clone();
            assert!(errors.as_array().expect("errors").iter().any(|e| e["field"] == field), "{field}: {errors}");
        }
        // Every fault at once.
        let r =
            app.post("/api/v1/promotions", json!({"name": "", "kind": "fixed", "usage_limit": 0}), Some(&seller)).await;
        let fields: Vec<String> = r.json()["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|e| e["field"].as_str().unwrap_or("").into())
            .collect();
        assert_eq!(fields, ["name", "value", "usage_limit"]);

        // Codes are unique over the platform, whatever their case.
        let first = create_id(&app, &seller, with(json!({"code": "SAVE10"}))).await;
        let (rival, _) = app.seller("rival@example.com").await;
        let r = app.post("/api/v1/promotions", with(json!({"code": "save10"})), Some(&rival)).await;
        assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "code_taken".into()), "{}", backend.name());
        let other = create_id(&app, &rival, with(json!({"code": "RIVAL"}))).await;
        let r = app
            .call(
                Method::PUT,
                &format!("/api/v1/promotions/{other}"),
                Some(with(json!({"code": "Save10"}))),
                Some(&rival),
            )
            .await;
        assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "code_taken".into()));
        assert_eq!(promotion(&app, &rival, &other).await["code"], "RIVAL", "unchanged");
        // Keeping one's own code on a replace is no clash.
        let r = app
            .call(
                Method::PUT,
                &format!("/api/v1/promotions/{first}"),
                Some(with(json!({"code": "save10"}))),
                Some(&seller),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let listed = app.get("/api/v1/promotions", Some(&rival)).await.json();
        assert_eq!(listed["items"].as_array().map(Vec::len), Some(1), "nothing else was created");
    }
}

/// Ten promotions with one code at once: one is made, the others are told the code is taken.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_promotions_with_one_code_make_one() {
    for backend in testkit::backends() {
        let app = std::sync::Arc::new(TestApp::spawn(&backend).await);
        let (admin, _) = app.user_with_role("admin@example.com", Role::Admin).await;
        let body = json!({"name": "Race", "code": "RACE-1", "kind": "percent", "value": 10});
        let answers = app.concurrently(10, Method::POST, "/api/v1/promotions", body, Some(&admin)).await;
        assert_eq!(answers.iter().filter(|(s, _)| *s == 201).count(), 1, "{}: {answers:?}", backend.name());
        assert!(
            answers.iter().all(|(s, c)| *s == 201 || (*s == 409 && (c == "code_taken" || c == "concurrent_change"))),
            "{}: {answers:?}",
            backend.name()
        );
    }
}
