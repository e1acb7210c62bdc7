use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use oxcart::{App, Config};
use serde_json::{Value, json};
use std::net::SocketAddr;
use store::Db;
use testdb::{TestBackend, TestDb};
use tower::ServiceExt;

/// The key that signs access tokens in tests, so a test can forge or expire one on purpose.
pub const JWT_SECRET: &str = "test-signing-key-that-is-long-enough-0123456789";

/// The real application (real router, real storage) on a fresh database.
pub struct TestApp {
    pub app: App,
    pub backend: TestBackend,
    router: Router,
    /// The database this test made; a replica only borrows its first app's.
    _db: Option<TestDb>,
    _dir: tempfile::TempDir,
    _keys: Option<RedisKeys>,
}

/// A test's Redis keys, deleted when the test ends.
struct RedisKeys(cache::redis::Redis);

impl Drop for RedisKeys {
    fn drop(&mut self) {
        let redis = self.0.clone();
        // Drop runs inside the test's runtime, which cannot block on itself: use a thread.
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
            let _ = rt.block_on(redis.delete_prefix(""));
        })
        .join();
    }
}

#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
}

impl TestResponse {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|_| panic!("not JSON ({}): {}", self.status, self.text))
    }

    /// The problem+json `code`, checking that the answer is a problem document.
    pub fn code(&self) -> String {
        let ct = self.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
        assert_eq!(ct, "application/problem+json", "{} {}", self.status, self.text);
        self.json()["code"].as_str().unwrap_or_default().to_owned()
    }

    /// The problem+json `code`, or "" for an answer that is not a problem.
    pub fn code_or_empty(&self) -> String {
        serde_json::from_str::<Value>(&self.text)
            .ok()
            .and_then(|v| v["code"].as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl TestApp {
    pub async fn spawn(backend: &TestBackend) -> Self {
        Self::spawn_with(backend, |_| {}).await
    }

    /// Like [`TestApp::spawn`], with the configuration adjusted first.
    pub async fn spawn_with(backend: &TestBackend, adjust: impl FnOnce(&mut Config)) -> Self {
        let db = backend.fresh(&[]).await;
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = Config { data_dir: dir.path().to_path_buf(), ..Config::default() };
        config.set("auth.jwt_secret", JWT_SECRET);
        if let Some(url) = backend.redis_url() {
            config.redis.url = Some(url.to_owned());
            config.redis.prefix = format!("oxtest:{}:", kernel::id::new_id("t"));
        }
        adjust(&mut config);
        let app = App::with_db(config, db.db.clone(), true).await.expect("app builds");
        let router = oxcart::http::router(&app);
        let keys = app.redis.clone().map(RedisKeys);
        Self { app, backend: backend.clone(), router, _db: Some(db), _dir: dir, _keys: keys }
    }

    /// PostgreSQL only: an app whose read replica (`database.read_url`) is a second, empty
    /// database, so that a test can tell which reads go where. `None` on other backends.
    pub async fn spawn_with_read_replica(backend: &TestBackend) -> Option<(Self, TestDb)> {
        let TestBackend::Postgres(url) = backend else { return None };
        let primary = backend.fresh(&[]).await;
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = Config { data_dir: dir.path().to_path_buf(), ..Config::default() };
        config.set("auth.jwt_secret", JWT_SECRET);
        // Migrated through a first build, so that the replica gets the same tables.
        let migrations = App::with_db(config.clone(), primary.db.clone(), true).await.expect("app builds").migrations();
        let replica = backend.fresh(&migrations).await;
        let mut options = primary.options.clone();
        options.read_url = Some(url.clone());
        options.read_pg_schema = replica.options.pg_schema.clone();
        let db = Db::connect(&options).await.expect("connects with a read replica");
        let app = App::with_db(config, db, false).await.expect("app builds");
        let router = oxcart::http::router(&app);
        Some((Self { app, backend: backend.clone(), router, _db: Some(primary), _dir: dir, _keys: None }, replica))
    }

    /// Another replica of this application, as a second server behind a load balancer: the
    /// same database (and Redis), a data dir and search index of its own. It must be dropped
    /// before the first app, which owns the database.
    pub async fn replica(&self) -> Self {
        let db = self._db.as_ref().expect("a replica of the first app").reopen().await;
        let dir = tempfile::tempdir().expect("temp dir");
        let config = Config { data_dir: dir.path().to_path_buf(), ..self.app.config.clone() };
        let app = App::with_db(config, db, false).await.expect("replica builds");
        let router = oxcart::http::router(&app);
        Self { app, backend: self.backend.clone(), router, _db: None, _dir: dir, _keys: None }
    }

    /// Sends a request as a client on 127.0.0.1 would.
    pub async fn send(&self, mut request: Request<Body>) -> TestResponse {
        request.extensions_mut().insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
        let response = self.router.clone().oneshot(request).await.expect("router is infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.expect("body").to_bytes();
        TestResponse { status, headers, text: String::from_utf8_lossy(&bytes).into_owned() }
    }

    /// A JSON request; `token` is sent as a bearer token.
    pub async fn call(&self, method: Method, path: &str, body: Option<Value>, token: Option<&str>) -> TestResponse {
        let mut builder = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let request = match body {
            Some(b) => builder.header(header::CONTENT_TYPE, "application/json").body(Body::from(b.to_string())),
            None => builder.body(Body::empty()),
        };
        self.send(request.expect("valid request")).await
    }

    /// [`TestApp::call`] with extra headers (`Idempotency-Key`…).
    pub async fn call_with_headers(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        token: Option<&str>,
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let mut builder = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let request = match body {
            Some(b) => builder.header(header::CONTENT_TYPE, "application/json").body(Body::from(b.to_string())),
            None => builder.body(Body::empty()),
        };
        self.send(request.expect("valid request")).await
    }

    /// What `/metrics` on the operators' listener shows.
    pub async fn metrics(&self) -> String {
        let request = Request::get("/metrics").body(Body::empty()).expect("valid request");
        let response = oxcart::http::metrics_router().oneshot(request).await.expect("router is infallible");
        let bytes = response.into_body().collect().await.expect("body").to_bytes();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// Serves the app on a loopback port through the real accept loop; returns its address.
    /// The server stops when the test's runtime ends.
    pub async fn listen(&self, limits: oxcart::http::listener::Limits) -> SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        tokio::spawn(oxcart::http::listener::serve(listener, self.router.clone(), limits, std::future::pending()));
        addr
    }

    /// Sends the same JSON request `n` times at once; answers `(status, problem code)` each.
    pub async fn concurrently(
        self: &std::sync::Arc<Self>,
        n: usize,
        method: Method,
        path: &str,
        body: Value,
        token: Option<&str>,
    ) -> Vec<(u16, String)> {
        let tasks: Vec<_> = (0..n)
            .map(|_| {
                let (app, method, path, body) = (self.clone(), method.clone(), path.to_owned(), body.clone());
                let token = token.map(str::to_owned);
                tokio::spawn(async move {
                    let r = app.call(method, &path, Some(body), token.as_deref()).await;
                    (r.status.as_u16(), r.code_or_empty())
                })
            })
            .collect();
        let mut answers = Vec::with_capacity(n);
        for t in tasks {
            answers.push(t.await.expect("request task"));
        }
        answers
    }

    /// A JSON request authenticated with an API key.
    pub async fn call_with_key(&self, method: Method, path: &str, body: Option<Value>, key: &str) -> TestResponse {
        let builder = Request::builder().method(method).uri(path).header("x-api-key", key);
        let request = match body {
            Some(b) => builder.header(header::CONTENT_TYPE, "application/json").body(Body::from(b.to_string())),
            None => builder.body(Body::empty()),
        };
        self.send(request.expect("valid request")).await
    }

    /// Mints an API key with `scopes` for the account behind `token`; returns its secret.
    pub async fn api_key(&self, token: &str, scopes: &[&str]) -> String {
        let r = self.post("/api/v1/me/api-keys", json!({ "name": "test key", "scopes": scopes }), Some(token)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        r.json()["secret"].as_str().expect("secret").to_owned()
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> TestResponse {
        self.call(Method::GET, path, None, token).await
    }

    pub async fn post(&self, path: &str, body: Value, token: Option<&str>) -> TestResponse {
        self.call(Method::POST, path, Some(body), token).await
    }

    /// Registers a customer; returns `(access token, refresh token, user id)`.
    pub async fn register(&self, email: &str) -> (String, String, String) {
        let r = self
            .post("/api/v1/auth/register", json!({ "email": email, "password": "correct horse battery" }), None)
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        let v = r.json();
        (
            v["tokens"]["access_token"].as_str().expect("access").to_owned(),
            v["tokens"]["refresh_token"].as_str().expect("refresh").to_owned(),
            v["user"]["id"].as_str().expect("id").to_owned(),
        )
    }

    /// An account with `role`, made through the users service and logged in; returns
    /// `(access token, user id)`.
    pub async fn user_with_role(&self, email: &str, role: kernel::auth::Role) -> (String, String) {
        use users::domain::{Email, Password};
        let email_ok = Email::parse("email", email).expect("valid e-mail");
        let password = Password::parse("password", "correct horse battery").expect("valid password");
        let user = self.app.users.account_create(&email_ok, &password, "Test", role).await.expect("account");
        let r =
            self.post("/api/v1/auth/login", json!({ "email": email, "password": "correct horse battery" }), None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        (r.json()["tokens"]["access_token"].as_str().expect("access").to_owned(), user.id)
    }

    /// An approved seller, logged in, whose approval the catalog has seen; returns
    /// `(access token, user id)`.
    pub async fn seller(&self, email: &str) -> (String, String) {
        use kernel::auth::{AuthMethod, Principal, Role};
        use users::domain::SellerStatus;
        let (_, id) = self.user_with_role(email, Role::Customer).await;
        let p = Principal {
            user_id: id.clone(),
            role: Role::Customer,
            method: AuthMethod::Session { session_id: "t".into() },
        };
        let application = users::dto::SellerApplication {
            store_name: format!("Store of {email}"),
            description: "A test store.".into(),
            contact_email: email.into(),
            contact_phone: None,
        };
        self.app.users.seller_apply(&p, application).await.expect("seller application");
        self.app.users.seller_decide("test", &id, SellerStatus::Approved).await.expect("approval");
        self.settle().await;
        let r =
            self.post("/api/v1/auth/login", json!({ "email": email, "password": "correct horse battery" }), None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        (r.json()["tokens"]["access_token"].as_str().expect("access").to_owned(), id)
    }

    /// Delivers pending events and applies the search queue, as the background tasks of a
    /// running server would within a moment.
    pub async fn settle(&self) {
        self.app.settle().await.expect("events delivered");
    }

    /// A request with a raw body of `content_type`.
    pub async fn send_bytes(
        &self,
        method: Method,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
        token: Option<&str>,
    ) -> TestResponse {
        let mut builder = Request::builder().method(method).uri(path).header(header::CONTENT_TYPE, content_type);
        if let Some(t) = token {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        self.send(builder.body(Body::from(body)).expect("valid request")).await
    }
}

/// Sends `body` to `path` as `token`, checks the status, and answers the JSON (`Null` for an
/// empty body).
pub async fn expect(
    app: &TestApp,
    method: Method,
    path: &str,
    body: Option<Value>,
    token: &str,
    status: StatusCode,
) -> Value {
    let r = app.call(method.clone(), path, body, Some(token)).await;
    assert_eq!(r.status, status, "{method} {path}: {}", r.text);
    if r.text.is_empty() { Value::Null } else { r.json() }
}
