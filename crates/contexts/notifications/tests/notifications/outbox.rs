//! With nothing configured: messages are made once per event, kept in the outbox, readable by
//! their recipient and the admin.

use crate::common::*;
use axum::http::StatusCode;
use testkit::{TestApp, backends};

#[tokio::test]
async fn an_order_confirmation_reaches_the_customer_and_the_seller_once() {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await;
        let shop = shop(&app).await;
        let (ann, _, ann_id) = app.register("ann@example.com").await;
        let order = buy(&app, &shop, &ann, 2).await;

        let confirmed = kept(&app, "order_confirmed").await;
        assert_eq!(confirmed.len(), 1, "one e-mail, no SMS without a number: {confirmed:?}");
        let m = &confirmed[0];
        assert_eq!((m.address.as_str(), m.recipient_id.as_deref()), ("ann@example.com", Some(ann_id.as_str())));
        assert!(m.subject.starts_with("Order OX-") && m.subject.ends_with(" confirmed"), "{}", m.subject);
        assert!(m.body_text.contains("2 × Stoneware Mug  25.00 USD"), "{}", m.body_text);
        assert!(m.body_text.contains(&format!("/orders/{order}")), "{}", m.body_text);
        assert!(m.body_html.as_deref().is_some_and(|h| h.contains("Stoneware Mug")));
        assert_eq!(m.unsubscribe_url, None, "an order's money is essential: no unsubscribe link");
        let seller = kept(&app, "seller_new_order").await;
        assert_eq!((seller.len(), seller[0].address.as_str()), (1, "seller@example.com"));
        assert!(seller[0].unsubscribe_url.is_some());

        // The same event delivered again makes nothing new.
        let envelope = outbox_event(&app, "order.confirmed").await;
        bus::Bus::publish(app.app.bus.as_ref(), &envelope).await.expect("publish");
        let (n,): (i64,) = app
            .app
            .db
            .fetch_one("SELECT CAST(COUNT(*) AS BIGINT) FROM notifications_messages", vec![])
            .await
            .expect("count");
        let inbox_skipped = n;
        app.app
            .notifications
            .event_intake(&mut app.app.db.begin().await.expect("tx"), &envelope)
            .await
            .expect("intake");
        let (after,): (i64,) = app
            .app
            .db
            .fetch_one("SELECT CAST(COUNT(*) AS BIGINT) FROM notifications_messages", vec![])
            .await
            .expect("count");
        assert_eq!(after, inbox_skipped, "one message per event, recipient and channel");

        // The sender hands them to the outbox provider: sent, with the provider recorded.
        assert!(deliver(&app).await >= 2);
        let m = &kept(&app, "order_confirmed").await[0];
        assert_eq!((m.state.as_str(), m.provider.as_deref(), m.attempts), ("sent", Some("outbox"), 1));
        assert_eq!(deliver(&app).await, 0, "nothing is sent twice");

        // The customer reads their own; someone else gets 404; the admin sees every one.
        let mine = app.get("/api/v1/notifications/messages", Some(&ann)).await.json();
        let kinds: Vec<&str> =
            mine["items"].as_array().expect("items").iter().filter_map(|m| m["kind"].as_str()).collect();
        assert!(kinds.contains(&"order_confirmed") && !kinds.contains(&"seller_new_order"), "{kinds:?}");
        let (bob, _, _) = app.register("bob@example.com").await;
        let r = app.get(&format!("/api/v1/notifications/messages/{}", m.id), Some(&bob)).await;
        assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "message_not_found".into()));
        let r = app.get(&format!("/api/v1/notifications/messages/{}", m.id), Some(&ann)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        assert_eq!(r.json()["state"], "sent");
        let all = app.get("/api/v1/notifications/messages?kind=seller_new_order", Some(&shop.admin)).await.json();
        assert_eq!(all["items"].as_array().map(Vec::len), Some(1), "{all}");
        let r = app
            .post(&format!("/api/v1/notifications/messages/{}/retry", m.id), serde_json::json!({}), Some(&shop.admin))
            .await;
        assert_eq!((r.status, r.code()), (StatusCode::CONFLICT, "message_not_parked".into()));
        let r = app
            .post(&format!("/api/v1/notifications/messages/{}/retry", m.id), serde_json::json!({}), Some(&ann))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn a_shipped_parcel_says_its_carrier_and_tracking_link() {
    for backend in backends() {
        let app = TestApp::spawn(&backend).await;
        let shop = shop(&app).await;
        let (ann, _, _) = app.register("ann@example.com").await;
        let order = buy(&app, &shop, &ann, 1).await;
        ship(&app, &shop, &order).await;
        let shipped = kept(&app, "order_shipped").await;
        assert_eq!(shipped.len(), 1, "{shipped:?}");
        assert!(shipped[0].body_text.contains("UPS, tracking number 1Z999AA10123456784"), "{}", shipped[0].body_text);
        assert!(shipped[0].body_text.contains("https://www.ups.com/track?tracknum=1Z999AA10123456784"));
        assert!(shipped[0].unsubscribe_url.is_some(), "shipping news can be turned off");
    }
}

async fn outbox_event(app: &TestApp, event_type: &str) -> kernel::event::Envelope {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: String,
        aggregate_id: String,
        payload: String,
        occurred_at: i64,
    }
    let r: Row = app
        .app
        .db
        .fetch_one(
            "SELECT id, aggregate_id, payload, occurred_at FROM store_outbox WHERE event_type = $1",
            store::args![event_type],
        )
        .await
        .expect("event");
    kernel::event::Envelope {
        id: r.id,
        event_type: event_type.into(),
        version: 1,
        occurred_at: kernel::time::Timestamp::from_micros(r.occurred_at),
        aggregate_id: r.aggregate_id,
        payload: serde_json::from_str(&r.payload).expect("payload"),
        trace: None,
        origin: None,
    }
}
