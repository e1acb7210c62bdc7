//! The carriers' tracking webhook through the real router: secrets per provider, both body
//! formats, and each provider event recorded and announced once.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use testkit::{TestApp, TestBackend};

const BUILTIN_SECRET: &str = "builtin-webhook-secret-0123456789";
const SHIPPO_SECRET: &str = "shippo-webhook-secret-0123456789";
const BUILTIN: &str = "/api/v1/webhooks/shipping/builtin";

async fn app(backend: &TestBackend) -> TestApp {
    TestApp::spawn_with(backend, |c| {
        c.set("shipping.webhooks", json!({"builtin": BUILTIN_SECRET, "shippo": SHIPPO_SECRET}));
    })
    .await
}

fn builtin_event(id: &str) -> Value {
    json!({"id": id, "tracking_number": "OX1234567890128", "status": "in_transit",
        "detail": "Arrived at sorting facility", "location": "Leipzig, DE", "occurred_at": "2026-05-01T14:30:00Z"})
}

async fn post(app: &TestApp, path: &str, body: Value) -> testkit::TestResponse {
    app.call(Method::POST, path, Some(body), None).await
}

async fn outbox(app: &TestApp) -> Vec<Value> {
    let rows: Vec<(String,)> = app
        .app
        .db
        .fetch_all(
            "SELECT payload FROM store_outbox WHERE event_type = 'shipping.tracking_updated' ORDER BY id",
            vec![],
        )
        .await
        .expect("outbox");
    rows.into_iter().map(|(p,)| serde_json::from_str(&p).expect("payload")).collect()
}

#[tokio::test]
async fn a_builtin_event_is_recorded_and_announced_once() {
    for backend in testkit::backends() {
        let app = app(&backend).await;
        let path = format!("{BUILTIN}?token={BUILTIN_SECRET}");
        let r = post(&app, &path, builtin_event("evt_1")).await;
        assert_eq!(
            (r.status, r.json()),
            (StatusCode::OK, json!({"duplicate": false, "ignored": false})),
            "{}",
            backend.name()
        );
        let events = outbox(&app).await;
        assert_eq!(events.len(), 1, "{events:?}");
        assert_eq!(
            events[0],
            json!({"event_id": "evt_1", "provider": "builtin", "tracking_number": "OX1234567890128",
                "status": "in_transit", "detail": "Arrived at sorting facility", "location": "Leipzig, DE",
                "occurred_at": "2026-05-01T14:30:00Z"})
        );

        // Delivered again (a carrier's retry): acknowledged, nothing new.
        let r = post(&app, &path, builtin_event("evt_1")).await;
        assert_eq!((r.status, r.json()), (StatusCode::OK, json!({"duplicate": true, "ignored": false})));
        assert_eq!(outbox(&app).await.len(), 1);

        // The same event id from another provider is another event.
        let mut shippo = shippo_event("TRANSIT", json!(null));
        shippo["data"]["tracking_status"]["object_id"] = json!("evt_1");
        let r = post(&app, &format!("/api/v1/webhooks/shipping/shippo?token={SHIPPO_SECRET}"), shippo).await;
        assert_eq!(r.json()["duplicate"], json!(false), "{}", r.text);
        assert_eq!(outbox(&app).await.len(), 2);
    }
}

fn shippo_event(status: &str, substatus: Value) -> Value {
    json!({"event": "track_updated", "test": false, "data": {
        "tracking_number": "9205590164917312751089", "carrier": "usps", "metadata": "Order 000123",
        "tracking_status": {"object_created": "2026-05-02T07:59:00Z", "object_id": "7bd0b5fd55fc4bb2b2d1a7d2e3f4a5b6",
            "status": status, "substatus": substatus, "status_details": "Out for delivery today.",
            "status_date": "2026-05-02T08:00:00Z",
            "location": {"city": "Las Vegas", "state": "NV", "zip": "89101", "country": "US"}},
        "tracking_history": []}})
}

#[tokio::test]
async fn shippo_events_are_mapped_to_our_statuses() {
    let app = app(&TestBackend::Sqlite).await;
    let path = format!("/api/v1/webhooks/shipping/shippo?token={SHIPPO_SECRET}");
    let sub = json!({"code": "out_for_delivery", "text": "Package is out for delivery.", "action_required": false});
    let r = post(&app, &path, shippo_event("TRANSIT", sub)).await;
    assert_eq!((r.status, r.json()["duplicate"].clone()), (StatusCode::OK, json!(false)), "{}", r.text);
    let events = outbox(&app).await;
    assert_eq!(events.len(), 1);
    let e = &events[0];
    assert_eq!(
        (e["provider"].clone(), e["event_id"].clone(), e["status"].clone()),
        (json!("shippo"), json!("7bd0b5fd55fc4bb2b2d1a7d2e3f4a5b6"), json!("out_for_delivery"))
    );
    assert_eq!(
        (e["tracking_number"].clone(), e["location"].clone()),
        (json!("9205590164917312751089"), json!("Las Vegas, NV 89101, US"))
    );
    assert_eq!(
        (e["detail"].clone(), e["occurred_at"].clone()),
        (json!("Out for delivery today."), json!("2026-05-02T08:00:00Z"))
    );

    // FAILURE is an exception; UNKNOWN (and other kinds of event) are acknowledged, not recorded.
    let mut failed = shippo_event("FAILURE", json!(null));
    failed["data"]["tracking_status"]["object_id"] = json!("ts_failed");
    post(&app, &path, failed).await;
    assert_eq!(outbox(&app).await.last().map(|e| e["status"].clone()), Some(json!("exception")));
    let mut unknown = shippo_event("UNKNOWN", json!(null));
    unknown["data"]["tracking_status"]["object_id"] = json!("ts_unknown");
    let r = post(&app, &path, unknown).await;
    assert_eq!((r.status, r.json()), (StatusCode::OK, json!({"duplicate": false, "ignored": true})));
    let r =
        post(&app, &path, json!({"event": "transaction_created", "test": false, "data": {"object_id": "t1"}})).await;
    assert_eq!(r.json()["ignored"], json!(true));
    assert_eq!(outbox(&app).await.len(), 2);
}

#[tokio::test]
async fn only_a_configured_provider_with_its_secret_is_heard() {
    let app = app(&TestBackend::Sqlite).await;
    let unauthorized = |r: &testkit::TestResponse| (r.status, r.code());
    let expected = (StatusCode::UNAUTHORIZED, "tracking_webhook_unauthorized".to_owned());
    assert_eq!(unauthorized(&post(&app, BUILTIN, builtin_event("e")).await), expected, "no secret");
    let wrong = format!("{BUILTIN}?token={}", &BUILTIN_SECRET[..BUILTIN_SECRET.len() - 1]);
    assert_eq!(unauthorized(&post(&app, &wrong, builtin_event("e")).await), expected, "a secret's prefix");
    let other = format!("{BUILTIN}?token={SHIPPO_SECRET}");
    assert_eq!(unauthorized(&post(&app, &other, builtin_event("e")).await), expected, "another provider's secret");

    let r = post(&app, &format!("/api/v1/webhooks/shipping/ups?token={BUILTIN_SECRET}"), builtin_event("e")).await;
    assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "tracking_webhook_not_configured".into()));
    // A server with no [shipping.webhooks] takes none, whatever is sent.
    let bare = TestApp::spawn(&TestBackend::Sqlite).await;
    let r = post(&bare, &format!("{BUILTIN}?token={BUILTIN_SECRET}"), builtin_event("e")).await;
    assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "tracking_webhook_not_configured".into()));
    assert!(outbox(&app).await.is_empty() && outbox(&bare).await.is_empty());

    // The service takes the header's secret the same way (the handler hands it either).
    let body = serde_json::to_vec(&builtin_event("e_bearer")).expect("json");
    let outcome = app.app.shipping.tracking_webhook("builtin", Some(BUILTIN_SECRET), &body).await.expect("taken");
    assert_eq!(outcome, shipping::TrackingOutcome::Recorded);
}

#[tokio::test]
async fn bodies_that_are_not_the_providers_format_are_refused() {
    let app = app(&TestBackend::Sqlite).await;
    let path = format!("{BUILTIN}?token={BUILTIN_SECRET}");
    let raw = app.send_bytes(Method::POST, &path, "application/json", b"{\"id\": ".to_vec(), None).await;
    assert_eq!(
        (raw.status, raw.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "tracking_payload_invalid".into()),
        "bad JSON"
    );
    // One field changed (null: left out) from a valid event, and the field the answer names.
    let cases = [
        ("tracking_number", Value::Null),
        ("status", json!("lost")),
        ("occurred_at", json!("yesterday")),
        ("id", json!("x".repeat(101))),
        ("tracking_number", json!("OX 1")),
        ("detail", json!("d".repeat(501))),
        ("location", json!("l".repeat(201))),
    ];
    for (field, value) in cases {
        let mut body = builtin_event("e1");
        match value {
            Value::Null => drop(body.as_object_mut().and_then(|o| o.remove(field))),
            v => body[field] = v,
        }
        let r = post(&app, &path, body).await;
        assert_eq!(
            (r.status, r.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, "tracking_payload_invalid".into()),
            "{field}"
        );
        let v = r.json();
        assert!(v["detail"].as_str().is_some_and(|d| d.contains(field)), "{field}: {v}");
        assert_eq!(v["errors"][0]["field"], json!(field), "{v}");
    }
    let shippo = format!("/api/v1/webhooks/shipping/shippo?token={SHIPPO_SECRET}");
    let r = post(&app, &shippo, shippo_event("LOST", json!(null))).await;
    assert_eq!(r.json()["errors"][0]["field"], json!("data.tracking_status.status"), "{}", r.text);
    assert!(outbox(&app).await.is_empty());
}
