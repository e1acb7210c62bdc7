//! Quotes through the contract checkout calls and through the public route: the demo rules,
//! the most specific rule, inclusive and exclusive taxes, shipping taxed or not.

use axum::http::StatusCode;
use kernel::geo::Destination;
use serde_json::json;
use tax::api::{LineTax, TaxLine, TaxQuote, TaxQuotes, TaxRequest};
use testkit::{TestApp, TestBackend};

fn request(country: &str, region: Option<&str>, amounts: &[i64], shipping: i64) -> TaxRequest {
    TaxRequest {
        destination: Destination::new(country, region, None),
        lines: amounts.iter().enumerate().map(|(i, &amount)| TaxLine { key: format!("l{i}"), amount }).collect(),
        shipping,
    }
}

fn line_taxes(q: &TaxQuote) -> Vec<i64> {
    q.lines.iter().map(|l| l.tax).collect()
}

#[tokio::test]
async fn the_demo_rules_tax_each_line() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let svc = &app.app.tax;
        svc.demo_seed().await.expect("seeded");
        svc.demo_seed().await.expect("seeded again");
        let (admin, _) = app.user_with_role("admin@example.com", kernel::auth::Role::Admin).await;
        let rules = app.get("/api/v1/tax/rules", Some(&admin)).await.json();
        assert_eq!(rules.as_array().map(Vec::len), Some(6), "idempotent: {}", backend.name());

        // California: 7.25 % on top, shipping untaxed.
        let q = svc.tax_quote(&request("us", Some("ca"), &[999, 1000], 500)).await.expect("quote");
        assert_eq!((line_taxes(&q), q.shipping_tax, q.total, q.inclusive, q.added), (vec![72, 73], 0, 145, false, 145));
        let rule = q.rule.expect("a rule");
        assert_eq!((rule.name.as_str(), rule.rate_bps), ("California sales tax", 725));
        assert_eq!(q.lines[0], LineTax { key: "l0".into(), tax: 72 }, "keys given back in order");
        // New York taxes shipping.
        let q = svc.tax_quote(&request("US", Some("NY"), &[1000], 500)).await.expect("quote");
        assert_eq!((line_taxes(&q), q.shipping_tax, q.total, q.added), (vec![40], 20, 60, 60));
        // Germany: 19 % within the prices, shipping too; nothing added on top.
        let q = svc.tax_quote(&request("DE", Some("BY"), &[1190, 1], 595)).await.expect("quote");
        assert_eq!((line_taxes(&q), q.shipping_tax, q.total, q.inclusive, q.added), (vec![190, 0], 95, 285, true, 0));
        for (country, rate) in [("FR", 2000), ("NL", 2100), ("GB", 2000)] {
            let q = svc.tax_quote(&request(country, None, &[12_000], 0)).await.expect("quote");
            assert_eq!(q.rule.map(|r| r.rate_bps), Some(rate), "{country}");
        }
        // No rule: no tax, and no rule named.
        for (country, region) in [("US", Some("TX")), ("US", None), ("JP", None)] {
            let q = svc.tax_quote(&request(country, region, &[1000, 2000], 500)).await.expect("quote");
            assert_eq!((line_taxes(&q), q.total, q.added, q.rule), (vec![0, 0], 0, 0, None), "{country}");
        }
        let err = svc.tax_quote(&request("Deutschland", None, &[1], 0)).await.expect_err("bad country");
        assert_eq!((err.code.as_ref(), err.status()), ("invalid_destination", StatusCode::UNPROCESSABLE_ENTITY));
        let err = svc.tax_quote(&request("DE", None, &[10, -1], 0)).await.expect_err("negative");
        assert_eq!((err.code.as_ref(), err.errors[0].field.as_str()), ("validation_failed", "lines[1].amount"));
    }
}

#[tokio::test]
async fn a_regions_rule_wins_over_its_countrys() {
    let app = TestApp::spawn(&TestBackend::Sqlite).await;
    let (admin, _) = app.user_with_role("admin@example.com", kernel::auth::Role::Admin).await;
    for body in [
        json!({"name": "Federal", "country": "US", "rate_bps": 100, "inclusive": false, "shipping_taxed": true}),
        json!({"name": "Alaska", "country": "US", "region": "AK", "rate_bps": 0, "inclusive": false}),
    ] {
        let r = app.post("/api/v1/tax/rules", body, Some(&admin)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    }
    let svc = &app.app.tax;
    let q = svc.tax_quote(&request("US", Some("AK"), &[10_000], 1000)).await.expect("quote");
    assert_eq!((q.total, q.rule.map(|r| r.name)), (0, Some("Alaska".to_owned())));
    let q = svc.tax_quote(&request("US", Some("WA"), &[10_000], 1000)).await.expect("quote");
    assert_eq!((q.total, q.shipping_tax, q.rule.map(|r| r.name)), (110, 10, Some("Federal".to_owned())));
}

#[tokio::test]
async fn storefronts_get_quotes_without_credentials() {
    let app = TestApp::spawn(&TestBackend::Sqlite).await;
    app.app.tax.demo_seed().await.expect("seeded");
    let body = json!({"destination": {"country": "de", "postal_code": "10115"},
        "lines": [{"key": "a", "amount": 1190}, {"key": "b", "amount": 100}], "shipping": 499});
    let r = app.post("/api/v1/tax/quotes", body, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let q = r.json();
    assert_eq!(q["lines"], json!([{"key": "a", "tax": 190}, {"key": "b", "tax": 16}]));
    assert_eq!((q["shipping_tax"].clone(), q["total"].clone(), q["added"].clone()), (json!(80), json!(286), json!(0)));
    assert_eq!(
        (q["inclusive"].clone(), q["currency"].clone(), q["rule"]["rate_bps"].clone()),
        (json!(true), json!("USD"), json!(1900))
    );

    let r = app
        .post(
            "/api/v1/tax/quotes",
            json!({"destination": {"country": "JP"}, "lines": [{"key": "a", "amount": 5}]}),
            None,
        )
        .await;
    assert_eq!(
        (r.status, r.json()["rule"].clone(), r.json()["total"].clone()),
        (StatusCode::OK, json!(null), json!(0))
    );
    let r = app.post("/api/v1/tax/quotes", json!({"destination": {"country": "J"}, "lines": []}), None).await;
    assert_eq!((r.status, r.code()), (StatusCode::UNPROCESSABLE_ENTITY, "invalid_destination".into()));
    let r = app
        .post("/api/v1/tax/quotes", json!({"destination": {"country": "DE"}, "lines": [], "shipping": -1}), None)
        .await;
    assert_eq!((r.status, r.code()), (StatusCode::UNPROCESSABLE_ENTITY, "validation_failed".into()));
    assert_eq!(r.json()["errors"][0]["field"], "shipping");
}

/// Rules are quoted from memory; a change through the API is quoted from the next request on.
#[tokio::test]
async fn a_changed_rule_is_quoted_at_once() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let (admin, _) = app.user_with_role("admin@example.com", kernel::auth::Role::Admin).await;
        let svc = &app.app.tax;
        let quote = || async { svc.tax_quote(&request("US", None, &[10_000], 0)).await.expect("quote").total };
        assert_eq!(quote().await, 0, "no rule yet: {}", backend.name());
        let body = json!({"name": "Federal", "country": "US", "rate_bps": 100, "inclusive": false});
        let r = app.post("/api/v1/tax/rules", body, Some(&admin)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        assert_eq!(quote().await, 100, "a new rule");
        let id = r.json()["id"].as_str().expect("id").to_owned();
        let path = format!("/api/v1/tax/rules/{id}");
        let r = app.call(axum::http::Method::PATCH, &path, Some(json!({"rate_bps": 250})), Some(&admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(quote().await, 250, "a changed rate");
        let r = app.call(axum::http::Method::DELETE, &path, None, Some(&admin)).await;
        assert!(r.status.is_success(), "{}", r.text);
        assert_eq!(quote().await, 0, "a deleted rule");
    }
}
