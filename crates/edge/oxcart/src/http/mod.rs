//! The HTTP edge: every context's routes under `/api/v1` and the storefront's pages, wrapped in
//! the platform's layers.

mod access;
mod docs;
mod errors_doc;
pub mod idempotency;
pub mod listener;
mod middleware;
mod ops;
mod rate_limit;

use crate::app::App;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::routing::get;
use kernel::auth::Authenticator;
use kernel::body::BodyLimit;
use std::sync::Arc;
use std::time::Duration;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::RequestBodyTimeoutLayer;
use utoipa::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;

pub use docs::ApiDoc;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole application as one router, with its OpenAPI document.
pub fn router(app: &App) -> Router {
    let (api, openapi) = api(app);
    let scopes: Vec<_> = app.modules.iter().flat_map(|m| m.scopes).copied().collect();
    let access =
        access::AccessTable::from_openapi(&openapi, &scopes).expect("the API document names only known scopes");
    let ttl = Duration::from_secs(app.config.server.idempotency_ttl_hours * 3600);
    let in_flight_max = Duration::from_secs(app.config.server.request_timeout_secs + 5);
    let idempotency = idempotency::Idempotency::from_openapi(&openapi, app.db.clone(), ttl, in_flight_max);
    // The access layer runs first (outermost), so keys are scoped to the authenticated caller.
    let mut api = api
        .route_layer(axum::middleware::from_fn_with_state(idempotency, idempotency::enforce))
        .route_layer(axum::middleware::from_fn_with_state(access, access::enforce));
    let per_minute = app.config.server.rate_limit_per_minute;
    if per_minute > 0 {
        let limit = rate_limit::ApiRateLimit { per_minute, counters: app.counters.clone() };
        api = api.route_layer(axum::middleware::from_fn_with_state(limit, rate_limit::enforce));
    }
    let openapi = Arc::new(openapi);
    let timeout = Duration::from_secs(app.config.server.request_timeout_secs);

    let ops = Router::new()
        .route("/api/v1/openapi.json", get(docs::openapi_json))
        .route("/docs", get(docs::reference_page))
        .route("/health/live", get(ops::live))
        .route("/health/ready", get(ops::ready))
        .with_state(ops::OpsState {
            db: app.db.clone(),
            redis: app.redis.clone(),
            broker: app.broker.clone(),
            bucket: app.bucket.clone(),
            openapi,
            errors: Arc::new(app.error_codes()),
        });
    // Installed before the first request is counted, whichever listener serves `/metrics`.
    ops::recorder();
    let media = Router::new().route("/media/{*key}", get(catalog::media_get)).with_state(app.catalog.clone());
    let shop = app.web.clone();
    let router = Router::new()
        .merge(api)
        .merge(ops)
        .merge(media)
        .merge(app.web.router())
        .route_layer(axum::middleware::from_fn(middleware::track))
        .fallback(move |req: axum::extract::Request| middleware::not_found(shop.clone(), req))
        .method_not_allowed_fallback(middleware::method_not_allowed);

    let router = router
        .layer(axum::middleware::from_fn(middleware::api_headers))
        .layer(axum::middleware::from_fn(move |req, next| middleware::deadline(timeout, req, next)))
        .layer(DefaultBodyLimit::max(app.config.server.body_limit_bytes))
        .layer(axum::Extension(BodyLimit(app.config.server.body_limit_bytes)))
        .layer(RequestBodyTimeoutLayer::new(Duration::from_secs(app.config.server.body_read_timeout_secs)))
        .layer(axum::Extension(Authenticator(app.users.clone())))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(middleware::panic_response))
        .layer(SetResponseHeaderLayer::overriding(header::SERVER, HeaderValue::from_static("oxcart")));
    let router = match cors(&app.config.server.cors_origins) {
        Some(cors) => router.layer(cors),
        None => router,
    };
    router
        .layer(axum::middleware::from_fn(middleware::problem_only))
        .layer(axum::middleware::from_fn(middleware::log_request))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, middleware::MakeRequestId))
}

/// The operators' router: Prometheus `/metrics`, served on its own listen address
/// (`server.metrics_bind`, loopback by default) so that the shop's clients never see it.
pub fn metrics_router() -> Router {
    Router::new()
        .route("/metrics", get(ops::metrics))
        .route("/health/live", get(ops::live))
        .with_state(ops::recorder())
        .fallback(middleware::route_not_found)
}

/// The API routes of every context and the OpenAPI document they describe.
pub fn api(app: &App) -> (Router, utoipa::openapi::OpenApi) {
    // Merged before nesting: merging joins the operations of a path two contexts share
    // (`GET /products` is search's, `POST /products` catalog's), where nesting would keep one.
    let contexts = app.modules.iter().fold(OpenApiRouter::new(), |all, m| all.merge(m.routes.clone()));
    let (router, mut openapi) =
        OpenApiRouter::with_openapi(ApiDoc::openapi()).nest("/api/v1", contexts).split_for_parts();
    let components = openapi.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
    );
    components.add_security_scheme("api_key", SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("X-Api-Key"))));
    components.schemas.insert("Scope".into(), scope_schema(app).into());
    errors_doc::document_errors(&mut openapi, &app.modules);
    (router, openapi)
}

/// API-key scopes as the document shows them: every scope a context declared, with its meaning.
fn scope_schema(app: &App) -> utoipa::openapi::Object {
    let scopes: Vec<_> = app.modules.iter().flat_map(|m| m.scopes).collect();
    let description: Vec<String> = scopes
        .iter()
        .map(|s| format!("- `{}` ({} and up): {}", s.as_str(), s.min_role().as_str(), s.meaning()))
        .collect();
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(scopes.iter().map(|s| s.as_str())))
        .description(Some(format!(
            "What an API key may do; a session holds every scope its role may.\n\n{}",
            description.join("\n")
        )))
        .build()
}

fn cors(origins: &[String]) -> Option<CorsLayer> {
    if origins.is_empty() {
        return None;
    }
    let origins: Vec<HeaderValue> = origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
    Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins))
            .allow_methods([Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE])
            .allow_headers([
                header::AUTHORIZATION,
                header::CONTENT_TYPE,
                HeaderName::from_static("x-api-key"),
                HeaderName::from_static("idempotency-key"),
            ])
            .expose_headers([REQUEST_ID, header::RETRY_AFTER])
            .max_age(Duration::from_secs(600)),
    )
}
