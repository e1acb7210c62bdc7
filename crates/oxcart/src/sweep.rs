//! Background clean-up: releases stock held by reservations whose time ran out.

use inventory::InventoryService;
use kernel::time::Timestamp;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

pub async fn run(inventory: Arc<InventoryService>, every: Duration, mut stop: watch::Receiver<bool>) {
    loop {
        match inventory.stock_sweep(Timestamp::now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(released = n, "released expired reservations"),
            Err(e) => tracing::warn!(error = %e, "reservation sweep failed; retrying"),
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stop.changed() => return,
        }
    }
}
