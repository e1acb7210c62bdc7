//! Managing tax rules through the API: admins only, one rule per country and region, every
//! field checked.

use axum::http::{Method, StatusCode};
use kernel::auth::Role;
use serde_json::{Value, json};
use testkit::{TestApp, TestBackend};

#[tokio::test]
async fn admins_manage_one_rule_per_country_and_region() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let (admin, _) = app.user_with_role("admin@example.com", Role::Admin).await;
        let body =
            json!({"name": " California ", "country": "us", "region": " ca", "rate_bps": 725, "inclusive": false});
        let r = app.post("/api/v1/tax/rules", body.clone(), Some(&admin)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}: {}", backend.name(), r.text);
        let rule = r.json();
        let id = rule["id"].as_str().expect("id").to_owned();
        assert!(id.starts_with("txr_"));
        let shown = |v: &Value| {
            (
                v["name"].clone(),
                v["country"].clone(),
                v["region"].clone(),
                v["rate_bps"].clone(),
                v["shipping_taxed"].clone(),
            )
        };
        assert_eq!(shown(&rule), (json!("California"), json!("US"), json!("CA"), json!(725), json!(false)));

        // The same place twice is a conflict, whatever the case; the country's own rule is not.
        let r = app
            .post(
                "/api/v1/tax/rules",
                json!({"name": "Again", "country": "US", "region": "CA", "rate_bps": 1, "inclusive": false}),
                Some(&admin),
            )
            .await;
        assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "tax_rule_exists".into()));
        let r = app
            .post(
                "/api/v1/tax/rules",
                json!({"name": "US", "country": "US", "rate_bps": 0, "inclusive": false}),
                Some(&admin),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let country_id = r.json()["id"].as_str().expect("id").to_owned();
        let r = app
            .post(
                "/api/v1/tax/rules",
                json!({"name": "US", "country": "US", "region": null, "rate_bps": 0, "inclusive": false}),
                Some(&admin),
            )
            .await;
        assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "tax_rule_exists".into()), "a country-wide rule twice");

        let path = format!("/api/v1/tax/rules/{id}");
        let r = app.get(&path, Some(&admin)).await;
        assert_eq!((r.status, shown(&r.json())), (StatusCode::OK, shown(&rule)));
        let r =
            app.call(Method::PATCH, &path, Some(json!({"rate_bps": 750, "shipping_taxed": true})), Some(&admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(shown(&r.json()), (json!("California"), json!("US"), json!("CA"), json!(750), json!(true)));
        // Made country-wide, it would cover the same place as the US rule.
        let r = app.call(Method::PATCH, &path, Some(json!({"region": null})), Some(&admin)).await;
        assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "tax_rule_exists".into()));
        let r = app.call(Method::PATCH, &path, Some(json!({"rate_bps": 10001})), Some(&admin)).await;
        assert_eq!((r.status, r.code()), (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed".into()));

        let list = app.get("/api/v1/tax/rules", Some(&admin)).await.json();
        let places: Vec<(Value, Value)> =
            list.as_array().expect("rules").iter().map(|r| (r["country"].clone(), r["region"].clone())).collect();
        assert_eq!(places, [(json!("US"), Value::Null), (json!("US"), json!("CA"))], "by country and region");

        let r = app.call(Method::DELETE, &format!("/api/v1/tax/rules/{country_id}"), None, Some(&admin)).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        for method in [Method::GET, Method::PATCH, Method::DELETE] {
            let body = (method == Method::PATCH).then(|| json!({"name": "x"}));
            let r = app.call(method.clone(), &format!("/api/v1/tax/rules/{country_id}"), body, Some(&admin)).await;
            assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "tax_rule_not_found".into()), "{method}");
        }
    }
}

#[tokio::test]
async fn only_admins_with_the_scope_manage_tax_rules() {
    let app = TestApp::spawn(&TestBackend::Sqlite).await;
    let (admin, _) = app.user_with_role("admin@example.com", Role::Admin).await;
    let (customer, _, _) = app.register("buyer@example.com").await;
    let (seller, _) = app.seller("seller@example.com").await;
    let rule = json!({"name": "DE", "country": "DE", "rate_bps": 1900, "inclusive": true});
    let r = app.post("/api/v1/tax/rules", rule.clone(), Some(&admin)).await;
    let id = r.json()["id"].as_str().expect("id").to_owned();
    let routes = [
        (Method::GET, "/api/v1/tax/rules".to_owned(), None),
        (
            Method::POST,
            "/api/v1/tax/rules".to_owned(),
            Some(json!({"name": "FR", "country": "FR", "rate_bps": 2000, "inclusive": true})),
        ),
        (Method::GET, format!("/api/v1/tax/rules/{id}"), None),
        (Method::PATCH, format!("/api/v1/tax/rules/{id}"), Some(json!({"rate_bps": 1600}))),
        (Method::DELETE, format!("/api/v1/tax/rules/{id}"), None),
    ];
    let unrelated = app.api_key(&admin, &["shipping:write"]).await;
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
    let key = app.api_key(&admin, &["tax:write"]).await;
    for (method, path, body) in routes {
        let r = app.call_with_key(method.clone(), &path, body, &key).await;
        assert!(r.status.is_success(), "{method} {path}: {}", r.text);
    }
}

#[tokio::test]
async fn invalid_rules_are_refused_naming_each_field() {
    let app = TestApp::spawn(&TestBackend::Sqlite).await;
    let (admin, _) = app.user_with_role("admin@example.com", Role::Admin).await;
    let ok = json!({"name": "Germany VAT", "country": "DE", "rate_bps": 1900, "inclusive": true});
    let with = |changes: Value| {
        let mut body = ok.clone();
        for (k, v) in changes.as_object().expect("object") {
            body[k] = v.clone();
        }
        body
    };
    let cases = [
        (with(json!({"name": "  "})), "name"),
        (with(json!({"name": "x".repeat(101)})), "name"),
        (with(json!({"country": "DEU"})), "country"),
        (with(json!({"country": "D1"})), "country"),
        (with(json!({"region": ""})), "region"),
        (with(json!({"region": "NEW YORK"})), "region"),
        (with(json!({"region": "x".repeat(11)})), "region"),
        (with(json!({"rate_bps": -1})), "rate_bps"),
        (with(json!({"rate_bps": 10001})), "rate_bps"),
        (json!({"name": "x", "country": "DE", "rate_bps": 1}), "inclusive"),
        (with(json!({"rate": 19})), "rate"),
    ];
    for (body, field) in cases {
        let r = app.post("/api/v1/tax/rules", body.clone(), Some(&admin)).await;
        assert_eq!((r.status, r.code()), (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed".into()), "{body}");
        assert_eq!(r.json()["errors"][0]["field"], field, "{body}");
    }
    let r = app
        .post("/api/v1/tax/rules", json!({"name": "", "country": "", "rate_bps": -1, "inclusive": true}), Some(&admin))
        .await;
    let errors = r.json()["errors"].clone();
    let fields: Vec<&str> = errors.as_array().expect("errors").iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(fields, ["name", "country", "rate_bps"], "every fault at once");
}
