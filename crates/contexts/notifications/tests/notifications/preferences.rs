//! Choosing what one gets: kinds turned off per channel, essential ones kept, SMS to a given
//! number, and the signed link that stops a kind without signing in.

use crate::common::*;
use axum::http::StatusCode;
use serde_json::json;
use testkit::{TestApp, backends};

#[tokio::test]
async fn choices_decide_what_is_made_and_essential_ones_stay() {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await;
        let shop = shop(&app).await;
        let (ann, _, _) = app.register("ann@example.com").await;
        let prefs = app.get("/api/v1/notifications/preferences", Some(&ann)).await.json();
        let kinds = prefs["kinds"].as_array().expect("kinds");
        assert!(kinds.iter().all(|k| k["audience"] == "customer"), "a customer sees the customer's kinds");

        let essential = json!({"kinds": [{"kind": "order_confirmed", "email": false}]});
        let r =
            app.call(axum::http::Method::PUT, "/api/v1/notifications/preferences", Some(essential), Some(&ann)).await;
        assert_eq!((r.status, r.code()), (StatusCode::UNPROCESSABLE_ENTITY, "notification_essential".into()));
        let bad_phone = json!({"phone": "0151 123"});
        let r =
            app.call(axum::http::Method::PUT, "/api/v1/notifications/preferences", Some(bad_phone), Some(&ann)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
        let body = json!({"phone": "+14155550100", "kinds": [{"kind": "order_shipped", "email": false}]});
        let r = app.call(axum::http::Method::PUT, "/api/v1/notifications/preferences", Some(body), Some(&ann)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);

        let order = buy(&app, &shop, &ann, 1).await;
        let confirmed = kept(&app, "order_confirmed").await;
        let channels: Vec<&str> = confirmed.iter().map(|m| m.channel.as_str()).collect();
        assert_eq!(channels.len(), 2, "e-mail and SMS: {channels:?}");
        let sms = confirmed.iter().find(|m| m.channel == "sms").expect("sms");
        assert_eq!(sms.address, "+14155550100");
        assert!(sms.body_text.len() <= 160 && sms.body_text.contains("confirmed"), "{}", sms.body_text);
        ship(&app, &shop, &order).await;
        let shipped = kept(&app, "order_shipped").await;
        assert_eq!(shipped.iter().map(|m| m.channel.as_str()).collect::<Vec<_>>(), ["sms"], "e-mail turned off");
    }
}

#[tokio::test]
async fn an_unsubscribe_link_stops_its_kind_and_a_forged_one_does_nothing() {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await;
        let shop = shop(&app).await;
        let (ann, _, _) = app.register("ann@example.com").await;
        let order = buy(&app, &shop, &ann, 1).await;
        ship(&app, &shop, &order).await;
        let url = kept(&app, "order_shipped").await[0].unsubscribe_url.clone().expect("a link");
        let path = &url[url.find("/api/v1/").expect("api path")..];
        let token = token_in(path);

        let page = app.get(path, None).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text.contains("<form method=\"post\"") && page.text.contains("order shipped"), "{}", page.text);
        let forged = format!(
            "/api/v1/notifications/unsubscribe?token={}",
            token.replacen("order_shipped", "order_delivered", 1)
        );
        let r = app.post(&forged, json!({}), None).await;
        assert_eq!((r.status, r.code()), (StatusCode::BAD_REQUEST, "unsubscribe_token_invalid".into()));
        let r = app.post(path, json!({}), None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!((r.json()["kind"].as_str(), r.json()["channel"].as_str()), (Some("order_shipped"), Some("email")));
        assert_eq!(app.post(path, json!({}), None).await.status, StatusCode::OK, "a repeat changes nothing");

        let prefs = app.get("/api/v1/notifications/preferences", Some(&ann)).await.json();
        let shipped = prefs["kinds"].as_array().expect("kinds").iter().find(|k| k["kind"] == "order_shipped").cloned();
        assert_eq!(shipped.map(|k| k["email"].clone()), Some(json!(false)));
        let delivered =
            prefs["kinds"].as_array().expect("kinds").iter().find(|k| k["kind"] == "order_delivered").cloned();
        assert_eq!(delivered.map(|k| k["email"].clone()), Some(json!(true)), "the forged link changed nothing");
    }
}
