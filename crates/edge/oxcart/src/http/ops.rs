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
    pub redis: Option<cache::redis::Redis>,
    pub broker: Option<Arc<bus::AmqpBus>>,
    pub bucket: Option<Arc<media::S3Store>>,
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
            let handle = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), &buckets)
                .expect("static buckets are valid")
                .install_recorder()
                .expect("the metrics recorder is installed once");
            // Series that dashboards chart exist from the start, at zero, rather than from the
            // first failure or the first pass of a relay.
            metrics::counter!("oxcart_events_failed_total").absolute(0);
            metrics::gauge!("oxcart_outbox_backlog").set(0.0);
            metrics::gauge!("oxcart_outbox_oldest_age_seconds").set(0.0);
            handle
        })
        .clone()
}

/// The process is up.
pub async fn live() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

/// The process can serve: its database and every configured backend answer. The body names
/// each check, so an operator sees which one is down.
pub async fn ready(State(s): State<OpsState>) -> Response {
    let limit = Duration::from_secs(2);
    let database = tokio::time::timeout(limit, s.db.ping())
        .await
        .map_err(|_| "timed out".to_owned())
        .and_then(|r| r.map_err(|e| e.to_string()));
    let mut checks = vec![("database", database)];
    if let Some(redis) = &s.redis {
        let answer = tokio::time::timeout(limit, redis.ping()).await;
        checks.push(("redis", answer.map_err(|_| "timed out".to_owned()).and_then(|r| r.map_err(|e| e.to_string()))));
    }
    if let Some(broker) = &s.broker {
        let up = tokio::time::timeout(limit * 6, broker.ping()).await.unwrap_or(false);
        checks.push(("broker", if up { Ok(()) } else { Err("no connection".to_owned()) }));
    }
    if let Some(bucket) = &s.bucket {
        let answer = tokio::time::timeout(limit * 3, bucket.check()).await;
        checks.push(("objects", answer.map_err(|_| "timed out".to_owned()).and_then(|r| r)));
    }
    let down: Vec<&str> = checks.iter().filter(|(_, r)| r.is_err()).map(|(name, _)| *name).collect();
    let report: serde_json::Map<String, serde_json::Value> =
        checks.iter().map(|(name, r)| (name.to_string(), json!(if r.is_ok() { "ok" } else { "down" }))).collect();
    if down.is_empty() {
        return Json(json!({ "status": "ok", "checks": report })).into_response();
    }
    for (name, r) in &checks {
        if let Err(e) = r {
            tracing::warn!(backend = name, error = %e, "readiness check failed");
        }
    }
    let mut e = Error::new(ErrorKind::Unavailable, "not_ready", format!("Not answering: {}.", down.join(", ")));
    e.retry_after_secs = Some(2);
    e.extensions = Some(Box::new([("checks".to_owned(), serde_json::Value::Object(report))].into_iter().collect()));
    e.into_response()
}

pub async fn metrics(State(metrics): State<PrometheusHandle>) -> Response {
    let mut response = metrics.render().into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4"));
    response
}
