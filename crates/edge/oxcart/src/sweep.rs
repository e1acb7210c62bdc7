//! Background clean-up: releases stock held by reservations whose time ran out, and deletes
//! carts idle past their deadline.

use cart::CartService;
use inventory::InventoryService;
use kernel::time::Timestamp;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

pub async fn run(
    inventory: Arc<InventoryService>,
    cart: Arc<CartService>,
    every: Duration,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        match cart.cart_purge(Timestamp::now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(deleted = n, "deleted idle carts"),
            Err(e) => tracing::warn!(error = %e, "cart purge failed; retrying"),
        }
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
