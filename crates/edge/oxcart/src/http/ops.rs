//! Operational endpoints: liveness, readiness, Prometheus metrics.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use kernel::{Error, ErrorKind};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use serde_json::json;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use store::Db;

#[derive(Clone)]
pub struct OpsState {
    pub db: Db,
    pub openapi: Arc<utoipa::openapi::OpenApi>,
    /// Every error code, for the reference page.
    pub errors: Arc<Vec<kernel::error::ErrorCode>>,
}

/// The process-wide metrics recorder, installed on first use.
pub fn recorder() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];
            PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &buckets)
                .expect("static buckets are valid")
                .install_recorder()
                .expect("the metrics recorder is installed once")
        })
        .clone()
}

/// The process is up.
pub async fn live() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

/// The process can serve: its database answers.
pub async fn ready(State(s): State<OpsState>) -> Result<Json<serde_json::Value>, Error> {
    match tokio::time::timeout(Duration::from_secs(2), s.db.ping()).await {
        Ok(Ok(())) => Ok(Json(json!({ "status": "ok", "checks": { "database": "ok" } }))),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness: database failed");
            Err(not_ready())
        }
        Err(_) => Err(not_ready()),
    }
}

fn not_ready() -> Error {
    Error::new(ErrorKind::Unavailable, "not_ready", "The database does not answer.")
}

pub async fn metrics(State(metrics): State<PrometheusHandle>) -> Response {
    let mut response = metrics.render().into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4"));
    response
}
