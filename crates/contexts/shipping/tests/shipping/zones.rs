//! Managing zones and methods through the API: admins only, every field checked, codes unique
//! within a zone.

use crate::common::{expect, flat, invalid, method, zone};
use axum::http::{Method, StatusCode};
use kernel::auth::Role;
use serde_json::{Value, json};
use testkit::TestApp;

#[tokio::test]
async fn admins_manage_zones_and_their_methods() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let (admin, _) = app.user_with_role("admin@example.com", Role::Admin).await;
        let body =
            json!({"name": " North America ", "countries": ["us", " ca", "US"], "regions": {"us": ["ak", "HI", "AK"]}});
        let created =
            expect(&app, Method::POST, "/api/v1/shipping/zones", Some(body), &admin, StatusCode::CREATED).await;
        let id = created["id"].as_str().expect("id").to_owned();
        assert!(id.starts_with("shz_"), "{}", backend.name());
        assert_eq!(created["name"], "North America");
        assert_eq!(
            (created["countries"].clone(), created["regions"].clone()),
            (json!(["CA", "US"]), json!({"US": ["AK", "HI"]}))
        );
        let path = format!("/api/v1/shipping/zones/{id}");
        let got = expect(&app, Method::GET, &path, None, &admin, StatusCode::OK).await;
        assert_eq!((got["countries"].clone(), got["methods"].clone()), (created["countries"].clone(), json!([])));

        let standard = json!({"code": "standard", "name": "Standard", "basis": "weight",
            "rates": [{"from": 1000, "amount": 899}, {"from": 0, "amount": 599}], "free_over": 7500,
            "min_days": 3, "max_days": 5});
        let mid = method(&app, &admin, &id, standard.clone()).await;
        assert!(mid.starts_with("shm_"));
        let m = &expect(&app, Method::GET, &path, None, &admin, StatusCode::OK).await["methods"][0];
        assert_eq!(m["rates"], json!([{"from": 0, "amount": 599}, {"from": 1000, "amount": 899}]), "kept sorted");
        assert_eq!(
            (m["currency"].as_str(), m["active"].as_bool(), m["free_over"].as_i64()),
            (Some("USD"), Some(true), Some(7500))
        );

        // A code is unique within its zone, not across zones.
        let r = app.post(&format!("{path}/methods"), standard.clone(), Some(&admin)).await;
        assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "method_code_taken".into()));
        let other = zone(&app, &admin, json!({"name": "Europe", "countries": ["DE"]})).await;
        let express = method(&app, &admin, &other, flat("express", 1499)).await;
        method(&app, &admin, &other, standard.clone()).await;
        let r = app
            .call(
                Method::PATCH,
                &format!("/api/v1/shipping/methods/{express}"),
                Some(json!({"code": "standard"})),
                Some(&admin),
            )
            .await;
        assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "method_code_taken".into()));

        // PATCH changes what it names; `free_over: null` removes the threshold.
        let mpath = format!("/api/v1/shipping/methods/{mid}");
        let patched = expect(
            &app,
            Method::PATCH,
            &mpath,
            Some(json!({"free_over": null, "active": false})),
            &admin,
            StatusCode::OK,
        )
        .await;
        assert_eq!(
            (patched["free_over"].clone(), patched["active"].clone(), patched["code"].clone()),
            (Value::Null, json!(false), json!("standard"))
        );
        let kept = expect(&app, Method::PATCH, &mpath, Some(json!({"name": "Ground"})), &admin, StatusCode::OK).await;
        assert_eq!((kept["free_over"].clone(), kept["rates"].clone()), (Value::Null, patched["rates"].clone()));
        let r = app.call(Method::PATCH, &mpath, Some(json!({"basis": "flat"})), Some(&admin)).await;
        assert_eq!(invalid(&r), ("validation_failed".into(), "rates".into()), "a flat method with two rows");

        // New countries keep the regions of those still listed.
        let renamed = expect(
            &app,
            Method::PATCH,
            &path,
            Some(json!({"name": "US", "countries": ["US"]})),
            &admin,
            StatusCode::OK,
        )
        .await;
        assert_eq!(
            (renamed["countries"].clone(), renamed["regions"].clone()),
            (json!(["US"]), json!({"US": ["AK", "HI"]}))
        );
        assert_eq!(renamed["methods"].as_array().map(Vec::len), Some(1));
        let whole = expect(&app, Method::PATCH, &path, Some(json!({"regions": {}})), &admin, StatusCode::OK).await;
        assert_eq!((whole["name"].clone(), whole["regions"].clone()), (json!("US"), json!({})));

        let list = expect(&app, Method::GET, "/api/v1/shipping/zones", None, &admin, StatusCode::OK).await;
        let names: Vec<&str> = list.as_array().expect("zones").iter().filter_map(|z| z["name"].as_str()).collect();
        assert_eq!(names, ["US", "Europe"], "oldest first");

        expect(&app, Method::DELETE, &mpath, None, &admin, StatusCode::NO_CONTENT).await;
        let r = app.call(Method::DELETE, &mpath, None, Some(&admin)).await;
        assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "method_not_found".into()));
        expect(&app, Method::DELETE, &format!("/api/v1/shipping/zones/{other}"), None, &admin, StatusCode::NO_CONTENT)
            .await;
        let r = app.get(&format!("/api/v1/shipping/zones/{other}"), Some(&admin)).await;
        assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "zone_not_found".into()));
        let r = app
            .call(
                Method::PATCH,
                &format!("/api/v1/shipping/methods/{express}"),
                Some(json!({"name": "x"})),
                Some(&admin),
            )
            .await;
        assert_eq!(r.code(), "method_not_found", "deleted with its zone");
        let r = app.post(&format!("/api/v1/shipping/zones/{other}/methods"), flat("x", 1), Some(&admin)).await;
        assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "zone_not_found".into()));
    }
}

#[tokio::test]
async fn only_admins_with_the_scope_manage_shipping() {
    let app = TestApp::spawn(&testkit::TestBackend::Sqlite).await;
    let (admin, _) = app.user_with_role("admin@example.com", Role::Admin).await;
    let (customer, _, _) = app.register("buyer@example.com").await;
    let (seller, _) = app.seller("seller@example.com").await;
    let id = zone(&app, &admin, json!({"name": "US", "countries": ["US"]})).await;
    let mid = method(&app, &admin, &id, flat("standard", 599)).await;
    let routes = [
        (Method::GET, "/api/v1/shipping/zones".to_owned(), None),
        (Method::POST, "/api/v1/shipping/zones".to_owned(), Some(json!({"name": "X", "countries": ["FR"]}))),
        (Method::GET, format!("/api/v1/shipping/zones/{id}"), None),
        (Method::PATCH, format!("/api/v1/shipping/zones/{id}"), Some(json!({"name": "Y"}))),
        (Method::POST, format!("/api/v1/shipping/zones/{id}/methods"), Some(flat("express", 1999))),
        (Method::PATCH, format!("/api/v1/shipping/methods/{mid}"), Some(json!({"name": "Z"}))),
        (Method::DELETE, format!("/api/v1/shipping/methods/{mid}"), None),
        (Method::DELETE, format!("/api/v1/shipping/zones/{id}"), None),
    ];
    let unrelated = app.api_key(&admin, &["tax:write"]).await;
    for (method, path, body) in &routes {
        let r = app.call(method.clone(), path, body.clone(), None).await;
        assert_eq!((r.status, r.code()), (StatusCode::UNAUTHORIZED, "unauthenticated".into()), "{method} {path}");
        for token in [&customer, &seller] {
            let r = app.call(method.clone(), path, body.clone(), Some(token)).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{method} {path}");
        }
        let r = app.call_with_key(method.clone(), path, body.clone(), &unrelated).await;
        assert_eq!((r.status, r.code()), (StatusCode::FORBIDDEN, "insufficient_scope".into()), "{method} {path}");
    }
    // An admin's key holding the scope does everything a session does.
    let key = app.api_key(&admin, &["shipping:write"]).await;
    for (method, path, body) in routes {
        let r = app.call_with_key(method.clone(), &path, body, &key).await;
        assert!(r.status.is_success(), "{method} {path}: {}", r.text);
    }
}

#[tokio::test]
async fn invalid_zones_and_methods_are_refused_naming_each_field() {
    let app = TestApp::spawn(&testkit::TestBackend::Sqlite).await;
    let (admin, _) = app.user_with_role("admin@example.com", Role::Admin).await;
    let many: Vec<String> = (0..251)
        .map(|i| format!("{}{}", (b'A' + (i / 26) as u8 % 26) as char, (b'A' + (i % 26) as u8) as char))
        .collect();
    let zones = [
        (json!({"name": " ", "countries": ["US"]}), "name"),
        (json!({"name": "x".repeat(101), "countries": ["US"]}), "name"),
        (json!({"name": "Z", "countries": []}), "countries"),
        (json!({"name": "Z", "countries": many}), "countries"),
        (json!({"name": "Z", "countries": ["USA"]}), "countries[0]"),
        (json!({"name": "Z", "countries": ["US", "1A"]}), "countries[1]"),
        (json!({"name": "Z", "countries": ["US"], "regions": {"CA": ["ON"]}}), "regions.CA"),
        (json!({"name": "Z", "countries": ["US"], "regions": {"US": []}}), "regions.US"),
        (json!({"name": "Z", "countries": ["US"], "regions": {"US": ["NEW YORK"]}}), "regions.US[0]"),
        (json!({"name": "Z", "countries": ["US"], "extra": 1}), "extra"),
    ];
    for (body, field) in zones {
        let r = app.post("/api/v1/shipping/zones", body.clone(), Some(&admin)).await;
        let (code, first) = invalid(&r);
        assert_eq!(code, "validation_failed", "{body}");
        assert!(first == field || r.text.contains(&format!("\"field\":\"{field}\"")), "{body}: {}", r.text);
    }
    let id = zone(&app, &admin, json!({"name": "US", "countries": ["US"]})).await;
    let ok = json!({"code": "standard", "name": "Standard", "basis": "weight",
        "rates": [{"from": 0, "amount": 599}, {"from": 1000, "amount": 899}], "min_days": 3, "max_days": 5});
    let with = |changes: Value| {
        let mut body = ok.clone();
        for (k, v) in changes.as_object().expect("object") {
            body[k] = v.clone();
        }
        body
    };
    let rows: Vec<Value> = (0..51).map(|i| json!({"from": i * 10, "amount": 1})).collect();
    let methods = [
        (with(json!({"code": "Standard"})), "code"),
        (with(json!({"code": "-x"})), "code"),
        (with(json!({"code": "x".repeat(41)})), "code"),
        (with(json!({"name": ""})), "name"),
        (with(json!({"basis": "distance"})), "basis"),
        (with(json!({"rates": []})), "rates"),
        (with(json!({"rates": rows})), "rates"),
        (with(json!({"rates": [{"from": 500, "amount": 1}]})), "rates"),
        (with(json!({"rates": [{"from": 0, "amount": 1}, {"from": 0, "amount": 2}]})), "rates"),
        (with(json!({"rates": [{"from": 0, "amount": -1}]})), "rates[0].amount"),
        (with(json!({"rates": [{"from": 0, "amount": 1}, {"from": -5, "amount": 1}]})), "rates[1].from"),
        (with(json!({"basis": "flat"})), "rates"),
        (with(json!({"free_over": -1})), "free_over"),
        (with(json!({"min_days": -1})), "min_days"),
        (with(json!({"max_days": 366})), "max_days"),
        (with(json!({"min_days": 6})), "max_days"),
    ];
    for (body, field) in methods {
        let r = app.post(&format!("/api/v1/shipping/zones/{id}/methods"), body.clone(), Some(&admin)).await;
        let (code, _) = invalid(&r);
        assert_eq!(code, "validation_failed", "{body}");
        assert!(r.text.contains(&format!("\"field\":\"{field}\"")), "{field}: {}", r.text);
    }
}
