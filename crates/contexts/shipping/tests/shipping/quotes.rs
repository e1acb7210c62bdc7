//! Quotes through the contract the cart and checkout call, and through the public route: the
//! demo rates, the per-seller split, free shipping, the specific-zone rule and the estimate.

use crate::common::{flat, invalid, method, parcel, to, zone};
use axum::http::{Method, StatusCode};
use kernel::auth::Role;
use serde_json::json;
use shipping::api::{SellerShipping, ShippingOption, ShippingQuotes};
use testkit::TestApp;

fn amounts(options: &[ShippingOption]) -> Vec<(&str, i64)> {
    options.iter().map(|o| (o.code.as_str(), o.amount)).collect()
}

#[tokio::test]
async fn the_demo_rates_price_each_sellers_parcel() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let svc = &app.app.shipping;
        svc.demo_seed().await.expect("seeded");
        svc.demo_seed().await.expect("seeded again");
        let (admin, _) = app.user_with_role("admin@example.com", Role::Admin).await;
        let zones = app.get("/api/v1/shipping/zones", Some(&admin)).await.json();
        assert_eq!(zones.as_array().map(Vec::len), Some(3), "idempotent: {}", backend.name());

        // Weight tiers: the row with the greatest `from` not above the weight.
        for (weight, price) in [(0, 599), (999, 599), (1000, 899), (4999, 899), (5000, 1499), (90_000, 1499)] {
            let q =
                svc.shipping_quote(&to("US", None, vec![parcel("s1", weight, 1000)]), "standard").await.expect("quote");
            assert_eq!(q.amount, price, "{weight} g");
        }
        let options =
            svc.shipping_options(&to("us", Some("ca"), vec![parcel("s1", 1200, 1000)])).await.expect("options");
        assert_eq!(amounts(&options), [("standard", 899), ("express", 1999)], "cheapest first");
        assert_eq!((options[0].min_days, options[0].max_days, options[0].name.as_str()), (3, 5, "Standard"));

        // Sellers ship apart; one seller's parcels are merged (600 g + 600 g = one 1200 g parcel),
        // and a parcel worth the threshold ships free.
        let parcels = vec![parcel("s1", 600, 3000), parcel("s2", 200, 8000), parcel("s1", 600, 3000)];
        let q = svc.shipping_quote(&to("US", None, parcels), "standard").await.expect("quote");
        let split = vec![
            SellerShipping { seller_id: "s1".into(), amount: 899 },
            SellerShipping { seller_id: "s2".into(), amount: 0 },
        ];
        assert_eq!((q.amount, q.per_seller), (899, split));
        let q = svc
            .shipping_quote(&to("US", None, vec![parcel("s1", 100, 1), parcel("s2", 100, 1)]), "express")
            .await
            .expect("quote");
        assert_eq!(q.amount, 2 * 1999, "a flat rate per seller");

        // Europe prices by value, free from 50.00; the United Kingdom is flat.
        let eu = svc.shipping_options(&to("DE", None, vec![parcel("s1", 9000, 4999)])).await.expect("options");
        assert_eq!(amounts(&eu), [("standard", 499), ("express", 1499)]);
        let free =
            svc.shipping_quote(&to("FR", None, vec![parcel("s1", 9000, 5000)]), "standard").await.expect("quote");
        assert_eq!(free.amount, 0);
        let uk = svc.shipping_options(&to("GB", None, vec![parcel("s1", 1, 1)])).await.expect("options");
        assert_eq!(amounts(&uk), [("standard", 399)]);

        let err = svc.shipping_options(&to("JP", None, vec![parcel("s1", 1, 1)])).await.expect_err("not served");
        assert_eq!(err.code, "destination_not_served");
        let err = svc.shipping_options(&to("USA", None, vec![])).await.expect_err("bad country");
        assert_eq!(err.code, "invalid_destination");
        let err = svc.shipping_quote(&to("GB", None, vec![]), "express").await.expect_err("no express");
        assert_eq!((err.code.as_ref(), err.status()), ("unknown_shipping_method", StatusCode::UNPROCESSABLE_ENTITY));
        let err = svc.shipping_options(&to("US", None, vec![parcel("s1", -1, 0)])).await.expect_err("negative");
        assert_eq!((err.code.as_ref(), err.errors[0].field.as_str()), ("validation_failed", "parcels[0].weight_g"));

        // The cart's estimate: the cheapest option to the default country (US).
        assert_eq!(
            svc.shipping_estimate(&[parcel("s1", 1200, 1000), parcel("s2", 10, 10)]).await.expect("estimate"),
            899 + 599
        );
        assert_eq!(svc.shipping_estimate(&[]).await.expect("estimate"), 0);
    }
}

#[tokio::test]
async fn the_estimate_is_zero_where_the_default_country_is_not_served() {
    let app = TestApp::spawn_with(&testkit::TestBackend::Sqlite, |c| c.set("shipping.default_country", "jp")).await;
    app.app.shipping.demo_seed().await.expect("seeded");
    assert_eq!(app.app.shipping.shipping_estimate(&[parcel("s1", 1, 1)]).await.expect("estimate"), 0);
    assert_eq!(app.app.shipping.config().default_country, "JP");
}

#[tokio::test]
async fn the_most_specific_zone_serves_and_the_oldest_among_equals() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let (admin, _) = app.user_with_role("admin@example.com", Role::Admin).await;
        let svc = &app.app.shipping;
        // Only some regions: the rest of the country is not served.
        let remote =
            zone(&app, &admin, json!({"name": "Remote", "countries": ["US"], "regions": {"US": ["AK", "HI"]}})).await;
        method(&app, &admin, &remote, flat("standard", 2500)).await;
        let err = svc.shipping_options(&to("US", Some("CA"), vec![])).await.expect_err("CA not served");
        assert_eq!(err.code, "destination_not_served", "{}", backend.name());
        assert_eq!(
            svc.shipping_options(&to("US", None, vec![])).await.expect_err("no region").code,
            "destination_not_served"
        );

        let mainland = zone(&app, &admin, json!({"name": "Mainland", "countries": ["US", "CA"]})).await;
        let mainland_standard = method(&app, &admin, &mainland, flat("standard", 599)).await;
        let later = zone(&app, &admin, json!({"name": "Later", "countries": ["US"]})).await;
        method(&app, &admin, &later, flat("standard", 1)).await;
        let price = |country: &'static str, region: Option<&'static str>| async move {
            let q =
                svc.shipping_quote(&to(country, region, vec![parcel("s1", 1, 1)]), "standard").await.expect("quote");
            q.amount
        };
        assert_eq!(price("US", Some("ak")).await, 2500, "the region's zone wins");
        assert_eq!(price("US", Some("CA")).await, 599, "the older of two country zones");
        assert_eq!(price("US", None).await, 599);
        assert_eq!(price("CA", Some("AK")).await, 599, "AK of another country");

        // Switched-off methods are not offered; a zone with none left serves nobody.
        let path = format!("/api/v1/shipping/methods/{mainland_standard}");
        let r = app.call(Method::PATCH, &path, Some(json!({"active": false})), Some(&admin)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let err = svc.shipping_options(&to("US", Some("TX"), vec![])).await.expect_err("nothing active");
        assert_eq!(err.code, "destination_not_served");
        method(&app, &admin, &mainland, flat("express", 1999)).await;
        let err = svc.shipping_quote(&to("US", Some("TX"), vec![]), "standard").await.expect_err("inactive");
        assert_eq!(err.code, "unknown_shipping_method");
        let options = svc.shipping_options(&to("US", Some("TX"), vec![])).await.expect("options");
        assert_eq!(amounts(&options), [("express", 0)], "no parcels, nothing to pay");
        assert!(options[0].per_seller.is_empty());
    }
}

#[tokio::test]
async fn storefronts_get_quotes_without_credentials() {
    let app = TestApp::spawn(&testkit::TestBackend::Sqlite).await;
    app.app.shipping.demo_seed().await.expect("seeded");
    let body = json!({"destination": {"country": "de", "region": "by", "postal_code": "80331"},
        "parcels": [{"seller_id": "s1", "weight_g": 500, "value": 2000}, {"seller_id": "s2", "weight_g": 500, "value": 6000}]});
    let r = app.post("/api/v1/shipping/quotes", body, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let q = r.json();
    assert_eq!(q["currency"], "USD");
    assert_eq!(q["options"][0]["code"], "standard");
    assert_eq!(q["options"][0]["amount"], 499);
    assert_eq!(
        q["options"][0]["per_seller"],
        json!([{"seller_id": "s1", "amount": 499}, {"seller_id": "s2", "amount": 0}])
    );
    assert_eq!((q["options"][1]["code"].clone(), q["options"][1]["amount"].clone()), (json!("express"), json!(2998)));

    let quote = |country: &str, weight: i64| json!({"destination": {"country": country}, "parcels": [{"seller_id": "s1", "weight_g": weight, "value": 1}]});
    let r = app.post("/api/v1/shipping/quotes", quote("JP", 1), None).await;
    assert_eq!((r.status, r.code()), (StatusCode::UNPROCESSABLE_ENTITY, "destination_not_served".into()));
    let r = app.post("/api/v1/shipping/quotes", quote("Germany", 1), None).await;
    assert_eq!((r.status, r.code()), (StatusCode::UNPROCESSABLE_ENTITY, "invalid_destination".into()));
    let r = app.post("/api/v1/shipping/quotes", quote("US", -1), None).await;
    assert_eq!(invalid(&r), ("validation_failed".into(), "parcels[0].weight_g".into()));
    let r = app.post("/api/v1/shipping/quotes", json!({"destination": {"country": "US"}}), None).await;
    assert_eq!(invalid(&r), ("validation_failed".into(), "parcels".into()));
}
