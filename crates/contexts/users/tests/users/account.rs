//! A user's own account: profile, password, addresses, seller application and API keys.

use axum::http::{Method, StatusCode};
use kernel::auth::Role;
use serde_json::{Value, json};
use testkit::TestApp;

fn address(city: &str) -> Value {
    json!({"name": "Ann", "line1": "1 Main St", "city": city, "postal_code": "10115", "country": "de"})
}

#[tokio::test]
async fn profile_and_password() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let (token, _, _) = app.register("p@example.com").await;
        let r = app
            .call(Method::PATCH, "/api/v1/me", Some(json!({"name": "Pat", "phone": "+49 30 1234"})), Some(&token))
            .await;
        assert_eq!((r.status, r.json()["name"].clone()), (StatusCode::OK, json!("Pat")));

        let other_session = app
            .post("/api/v1/auth/login", json!({"email": "p@example.com", "password": "correct horse battery"}), None)
            .await;
        let other = other_session.json()["tokens"]["access_token"].as_str().expect("token").to_owned();
        let wrong = app
            .call(
                Method::PUT,
                "/api/v1/me/password",
                Some(json!({"current_password": "nope nope nope", "new_password": "a new long password"})),
                Some(&token),
            )
            .await;
        assert_eq!(wrong.json()["errors"][0]["field"], "current_password");
        let ok = app
            .call(
                Method::PUT,
                "/api/v1/me/password",
                Some(json!({"current_password": "correct horse battery", "new_password": "a new long password"})),
                Some(&token),
            )
            .await;
        assert_eq!(ok.status, StatusCode::NO_CONTENT, "{}", ok.text);
        assert_eq!(app.get("/api/v1/me", Some(&token)).await.status, StatusCode::OK, "this session stays");
        assert_eq!(app.get("/api/v1/me", Some(&other)).await.code(), "session_ended", "other sessions end");
        let relog = app
            .post("/api/v1/auth/login", json!({"email": "p@example.com", "password": "a new long password"}), None)
            .await;
        assert_eq!(relog.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn addresses_keep_one_default_and_stay_private() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let (ann, _, _) = app.register("ann@example.com").await;
        let (bob, _, _) = app.register("bob@example.com").await;
        let first = app.post("/api/v1/me/addresses", address("Berlin"), Some(&ann)).await;
        assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
        assert_eq!(first.json()["is_default_shipping"], true, "the first address is the default");
        assert_eq!(first.json()["country"], "DE");
        let mut second = address("Hamburg");
        second["is_default_shipping"] = json!(true);
        let second = app.post("/api/v1/me/addresses", second, Some(&ann)).await.json();
        let list = app.get("/api/v1/me/addresses", Some(&ann)).await.json();
        let defaults: Vec<&Value> =
            list.as_array().expect("list").iter().filter(|a| a["is_default_shipping"] == true).collect();
        assert_eq!(defaults.len(), 1);
        assert_eq!(defaults[0]["id"], second["id"]);

        // Another customer cannot see, change or delete it: 404, as if it did not exist.
        let path = format!("/api/v1/me/addresses/{}", second["id"].as_str().expect("id"));
        let steal = app.call(Method::PUT, &path, Some(address("Paris")), Some(&bob)).await;
        assert_eq!((steal.status, steal.code()), (StatusCode::NOT_FOUND, "address_not_found".into()));
        assert_eq!(app.call(Method::DELETE, &path, None, Some(&bob)).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.get("/api/v1/me/addresses", Some(&bob)).await.json(), json!([]));

        assert_eq!(app.call(Method::DELETE, &path, None, Some(&ann)).await.status, StatusCode::NO_CONTENT);
        let left = app.get("/api/v1/me/addresses", Some(&ann)).await.json();
        assert_eq!(left[0]["is_default_shipping"], true, "the default moves to the one left");

        let bad = app
            .post(
                "/api/v1/me/addresses",
                json!({"name": "", "line1": "x", "city": "y", "postal_code": "1", "country": "Germany"}),
                Some(&ann),
            )
            .await;
        let body = bad.json();
        let fields: Vec<&str> =
            body["errors"].as_array().expect("errors").iter().filter_map(|e| e["field"].as_str()).collect();
        assert_eq!(fields, ["name", "country"]);
    }
}

#[tokio::test]
async fn a_customer_becomes_a_seller_when_an_admin_approves() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let (admin, _) = app.user_with_role("admin@example.com", Role::Admin).await;
        let (token, _, id) = app.register("shop@example.com").await;
        let application =
            json!({"store_name": "Shop", "description": "We sell things.", "contact_email": "Shop@Example.com"});
        let r = app.post("/api/v1/me/seller-profile", application.clone(), Some(&token)).await;
        assert_eq!((r.status, r.json()["status"].clone()), (StatusCode::CREATED, json!("pending")), "{}", r.text);
        assert_eq!(
            app.post("/api/v1/me/seller-profile", application, Some(&token)).await.code(),
            "application_pending"
        );

        let pending = app.get("/api/v1/admin/sellers?status=pending", Some(&admin)).await.json();
        assert_eq!(pending["items"][0]["user_id"], id.as_str());
        let approve = app.post(&format!("/api/v1/admin/sellers/{id}/approve"), json!({}), Some(&admin)).await;
        assert_eq!(approve.json()["status"], "approved", "{}", approve.text);
        // The role applies to the very next request of the same token.
        assert_eq!(app.get("/api/v1/me", Some(&token)).await.json()["role"], "seller");

        // The approval was announced through the outbox.
        let (events,): (i64,) = app
            .app
            .db
            .fetch_one("SELECT COUNT(*) FROM store_outbox WHERE event_type = 'seller.status_changed'", vec![])
            .await
            .expect("count");
        assert_eq!(events, 2, "pending, then approved");
    }
}

#[tokio::test]
async fn api_keys_are_scoped_shown_once_and_revocable() {
    for backend in testkit::backends() {
        let app = TestApp::spawn(&backend).await;
        let (token, _, _) = app.register("dev@example.com").await;
        let created = app
            .post("/api/v1/me/api-keys", json!({"name": "reporting", "scopes": ["account:read"]}), Some(&token))
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
        let secret = created.json()["secret"].as_str().expect("secret").to_owned();
        let key_id = created.json()["key"]["id"].as_str().expect("id").to_owned();

        let with_key = |method: Method, path: &str, body: Option<Value>| {
            let mut builder =
                axum::http::Request::builder().method(method).uri(path).header("x-api-key", secret.as_str());
            builder = builder.header("content-type", "application/json");
            builder.body(axum::body::Body::from(body.map(|b| b.to_string()).unwrap_or_default())).expect("request")
        };
        assert_eq!(app.send(with_key(Method::GET, "/api/v1/me", None)).await.status, StatusCode::OK);
        let write = app.send(with_key(Method::PATCH, "/api/v1/me", Some(json!({"name": "x"})))).await;
        assert_eq!((write.status, write.code()), (StatusCode::FORBIDDEN, "insufficient_scope".into()));
        let mint = app
            .send(with_key(Method::POST, "/api/v1/me/api-keys", Some(json!({"name": "x", "scopes": ["account:read"]}))))
            .await;
        assert_eq!(mint.status, StatusCode::FORBIDDEN, "a key cannot mint keys");

        let listed = app.get("/api/v1/me/api-keys", Some(&token)).await;
        assert!(!listed.text.contains(secret.split('.').nth(1).expect("secret part")), "secrets are never listed");
        let too_much =
            app.post("/api/v1/me/api-keys", json!({"name": "x", "scopes": ["users:write"]}), Some(&token)).await;
        assert_eq!(too_much.json()["errors"][0]["field"], "scopes");
        let unknown =
            app.post("/api/v1/me/api-keys", json!({"name": "x", "scopes": ["everything"]}), Some(&token)).await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);

        let revoke = app.call(Method::DELETE, &format!("/api/v1/me/api-keys/{key_id}"), None, Some(&token)).await;
        assert_eq!(revoke.status, StatusCode::NO_CONTENT);
        let after = app.send(with_key(Method::GET, "/api/v1/me", None)).await;
        assert_eq!((after.status, after.code()), (StatusCode::UNAUTHORIZED, "invalid_api_key".into()));
    }
}
