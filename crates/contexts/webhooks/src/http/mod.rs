//! HTTP face of webhooks: endpoints and their deliveries, for admins and sellers. Handlers
//! only extract and call; the service checks roles, scopes and ownership again.

mod deliveries;
mod endpoints;

use crate::WebhooksService;
use axum::extract::State;
use std::sync::Arc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

type Svc = State<Arc<WebhooksService>>;

/// The webhooks API's routes, to nest under `/api/v1`.
pub fn router(service: Arc<WebhooksService>) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(endpoints::endpoint_list, endpoints::endpoint_create))
        .routes(routes!(endpoints::endpoint_get, endpoints::endpoint_update, endpoints::endpoint_delete))
        .routes(routes!(endpoints::endpoint_secret_rotate))
        .routes(routes!(deliveries::delivery_list))
        .routes(routes!(deliveries::delivery_get))
        .routes(routes!(deliveries::delivery_replay))
        .with_state(service)
}
