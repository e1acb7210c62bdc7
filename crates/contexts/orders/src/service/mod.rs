//! Use cases of the orders context: checkout (the saga), reading and cancelling orders, the
//! sellers' parts and their tracking, returns and their refunds. The only place that opens
//! transactions.

mod cancel;
mod checkout;
mod estimates;
mod events;
mod follow;
mod fulfil;
mod live;
mod notice;
mod payable;
mod purchases;
mod quote;
mod read;
mod refund;
mod returns;
mod returns_read;
mod saga;
mod tracking;
mod transition;

pub use checkout::CheckoutRequest;
pub use events::payment_events;
pub use live::{LiveChange, live_events};
pub use quote::QuoteRequest;
pub use tracking::tracking_events;

use cart::api::CartCheckout;
use inventory::api::StockReservations;
use kernel::Error;
use payments::api::Payments;
use pricing::api::Pricing;
use shipping::api::{ShippingLabels, ShippingQuotes};
use std::sync::Arc;
use std::time::Duration;
use store::Db;
use tax::api::TaxQuotes;
use users::api::Customers;

/// The contexts an order is made from.
pub struct OrdersDeps {
    pub db: Db,
    pub cart: Arc<dyn CartCheckout>,
    pub stock: Arc<dyn StockReservations>,
    pub payments: Arc<dyn Payments>,
    pub pricing: Arc<dyn Pricing>,
    pub shipping: Arc<dyn ShippingQuotes>,
    pub labels: Arc<dyn ShippingLabels>,
    pub tax: Arc<dyn TaxQuotes>,
    pub customers: Arc<dyn Customers>,
}

#[derive(Debug, Clone)]
pub struct OrdersConfig {
    pub currency: String,
    /// How long checkout holds the stock: the time a customer has to finish a payment action.
    pub hold: Duration,
    /// How long a runner owns a saga before another may take it over (after a crash).
    pub lease: Duration,
    /// The first wait before a failed step is tried again (it doubles each time).
    pub retry: Duration,
    /// Tries of one step before the checkout is given up and compensated.
    pub max_attempts: i64,
    /// How long after a part is delivered its lines may be returned.
    pub return_window: Duration,
}

impl Default for OrdersConfig {
    fn default() -> Self {
        Self {
            currency: "USD".into(),
            hold: Duration::from_secs(15 * 60),
            lease: Duration::from_secs(30),
            retry: Duration::from_secs(2),
            max_attempts: 8,
            return_window: Duration::from_secs(30 * 24 * 3600),
        }
    }
}

pub struct OrdersService {
    deps: OrdersDeps,
    config: OrdersConfig,
    /// Which orders just changed, for the followers of their live status in this process.
    live: tokio::sync::broadcast::Sender<String>,
}

impl OrdersService {
    pub fn new(deps: OrdersDeps, config: OrdersConfig) -> Self {
        Self { deps, config, live: tokio::sync::broadcast::channel(1024).0 }
    }

    pub fn config(&self) -> &OrdersConfig {
        &self.config
    }

    fn db(&self) -> Db {
        self.deps.db.clone()
    }
}

fn not_found() -> Error {
    Error::not_found("order_not_found", "No such order.")
}

fn micros(d: Duration) -> i64 {
    i64::try_from(d.as_micros()).unwrap_or(i64::MAX)
}

/// Who checks out: a signed-in customer, a guest with a cart token, or both (the guest cart
/// merges in). The cart's own notion of its caller.
pub type Caller = cart::Caller;
