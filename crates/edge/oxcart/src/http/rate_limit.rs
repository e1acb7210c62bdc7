//! Requests per client address and minute on the API (`server.rate_limit_per_minute`, 0 for
//! none), counted in the shared counters: with Redis a limit of N is N across every replica.
//! Off by default, since behind a load balancer every client has the balancer's address
//! (`X-Forwarded-For` is not trusted) and the limit would be everyone's.

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use cache::Counters;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

const WINDOW: Duration = Duration::from_secs(60);

#[derive(Clone)]
pub struct ApiRateLimit {
    pub per_minute: u64,
    pub counters: Arc<dyn Counters>,
}

pub async fn enforce(State(limit): State<ApiRateLimit>, req: Request, next: Next) -> Response {
    let ip = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string()).unwrap_or_default();
    match limit.counters.incr(&format!("api:limit:{ip}"), WINDOW, false).await {
        Ok((n, left)) if n > limit.per_minute => {
            kernel::Error::rate_limited(left.as_secs_f64().ceil() as u64).into_response()
        }
        Ok(_) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}
