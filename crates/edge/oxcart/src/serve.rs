//! `oxcart serve`: the HTTP server and, unless `--no-worker`, the background work (the outbox
//! relay that feeds every consumer, and the timed jobs: message and webhook deliveries,
//! expired holds…); `oxcart worker`: the background work alone. Both stop gracefully.

use crate::app::App;
use crate::config::Config;
use anyhow::Context;
use bus::{Relay, RelayOptions};
use std::time::{Duration, Instant};
use tokio::sync::watch;

pub async fn run(config: Config, demo: bool, migrate: bool, worker: bool) -> anyhow::Result<()> {
    let started = Instant::now();
    let app = App::build(config, migrate).await?;
    if demo {
        print_demo(&crate::demo::ensure(&app).await?);
        crate::demo::catalog(&app).await?;
    }
    let listener = tokio::net::TcpListener::bind(app.config.server.bind)
        .await
        .with_context(|| format!("cannot listen on {}", app.config.server.bind))?;
    let addr = listener.local_addr()?;

    let (stop_tx, stop_rx) = watch::channel(false);
    let background = if worker { background(&app, &stop_rx) } else { Vec::new() };
    if app.search_fresh {
        // A new or incompatible index: rebuild it in the background; search answers from
        // what is indexed so far meanwhile.
        let search = app.search.clone();
        tokio::spawn(async move {
            let started = Instant::now();
            match search.reindex(|_, _| {}).await {
                Ok(n) => tracing::info!(products = n, secs = started.elapsed().as_secs_f64(), "search index built"),
                Err(e) => tracing::error!(error = %e, "search index rebuild failed; run `oxcart search reindex`"),
            }
        });
    }
    let indexer = tokio::spawn(app.search.clone().run(stop_rx.clone()));

    let router = crate::http::router(&app);
    let metrics = metrics_listener(&app.config.server).await;
    tracing::info!(%addr, startup_ms = started.elapsed().as_millis() as u64, "listening");
    println!("Oxcart is running on http://{addr}  (API reference: http://{addr}/docs)");
    let server = &app.config.server;
    let limits = crate::http::listener::Limits {
        header_read: Duration::from_secs(server.header_read_timeout_secs),
        idle: Duration::from_secs(server.idle_timeout_secs),
        max_connections: server.max_connections,
        drain: Duration::from_secs(server.request_timeout_secs + 5),
    };
    let (stopping_tx, stopping_rx) = watch::channel(false);
    if let Some(listener) = metrics {
        let mut rx = stopping_rx.clone();
        tokio::spawn(crate::http::listener::serve(listener, crate::http::metrics_router(), limits, async move {
            let _ = rx.changed().await;
        }));
    }
    crate::http::listener::serve(listener, router, limits, async move {
        stop_signal().await;
        let _ = stopping_tx.send(true);
    })
    .await;
    drop(stopping_rx);

    tracing::info!("stopping: in-flight requests done, flushing the outbox");
    let _ = stop_tx.send(true);
    let _ = indexer.await;
    for task in background {
        let _ = task.await;
    }
    app.db.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// `oxcart worker`: the relay and the timed jobs until a stop signal, no HTTP.
pub async fn worker(config: Config, migrate: bool) -> anyhow::Result<()> {
    let app = App::build_worker(config, migrate).await?;
    let (stop_tx, stop_rx) = watch::channel(false);
    let tasks = background(&app, &stop_rx);
    tracing::info!(jobs = tasks.len(), "worker running");
    println!("Oxcart worker is running (consumers, deliveries, clean-ups); stop it with Ctrl-C");
    stop_signal().await;
    tracing::info!("stopping: finishing the current passes, flushing the outbox");
    let _ = stop_tx.send(true);
    for task in tasks {
        let _ = task.await;
    }
    app.db.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// The outbox relay, the consumers (run by the relay itself on the in-process bus, each on its
/// broker queue otherwise) and each module's timed jobs.
pub fn background(app: &App, stop: &watch::Receiver<bool>) -> Vec<tokio::task::JoinHandle<()>> {
    let mut tasks = Vec::new();
    let bus: std::sync::Arc<dyn bus::Bus> = match &app.broker {
        Some(broker) => {
            for handler in app.modules.iter().flat_map(|m| &m.handlers) {
                tasks.push(broker.consume(app.db.clone(), handler.clone(), stop.clone()));
            }
            broker.clone()
        }
        None => app.bus.clone(),
    };
    tasks.push(tokio::spawn(Relay::new(app.db.clone(), bus, RelayOptions::default()).run(stop.clone())));
    tasks.extend(
        app.modules
            .iter()
            .flat_map(|m| m.sweepers.iter().cloned())
            .chain([crate::http::idempotency::sweeper(app.db.clone())])
            .map(|s| tokio::spawn(crate::sweep::run(s, stop.clone()))),
    );
    tasks
}

/// The operators' listener for `/metrics`; a port already taken is a warning, not a failed start.
async fn metrics_listener(server: &crate::config::ServerConfig) -> Option<tokio::net::TcpListener> {
    let addr = server.metrics_addr()?;
    match tokio::net::TcpListener::bind(addr).await {
        Ok(listener) => {
            tracing::info!(addr = %listener.local_addr().unwrap_or(addr), "metrics on /metrics");
            Some(listener)
        }
        Err(e) => {
            tracing::warn!(%addr, error = %e, "cannot serve metrics; set server.metrics_bind to a free address");
            None
        }
    }
}

fn print_demo(created: &[(String, String)]) {
    if created.is_empty() {
        println!("Demo accounts exist already (their passwords were printed on the first start).");
        return;
    }
    println!("Demo accounts (passwords are shown this once):");
    for (email, password) in created {
        println!("  {email:<24} {password}");
    }
    println!("Demo discount code: {}", crate::demo::WELCOME_CODE);
}

async fn stop_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}
