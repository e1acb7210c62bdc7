//! The inventory's contract: [`StockReservations`] (what checkout calls to hold, release and
//! sell stock) and [`StockAvailability`] (what the cart and the storefront read), the events
//! it publishes ([`events`]), its error codes and its API-key scopes.

pub mod events;

use events::ReservedLine;
use kernel::ErrorKind::*;
use kernel::auth::{Role, Scope};
use kernel::error::ErrorCode;
use kernel::time::Timestamp;
use kernel::{BoxFuture, Result};
use std::collections::{HashMap, HashSet};
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReserveLine {
    pub sku: String,
    pub quantity: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reservation {
    pub id: String,
    pub reference: String,
    /// `active`, `released`, `expired` or `committed`.
    pub state: String,
    pub expires_at: Timestamp,
    pub lines: Vec<ReservedLine>,
}

/// Goods a customer sent back, to put on the shelf again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restock {
    /// What brought them back (a return id): restocking twice under it is harmless.
    pub reference: String,
    /// The sale they came from (the order id its reservation was made under): where they go
    /// back when no location is named.
    pub sale: String,
    /// One of the seller's locations; `None` for the one the units were sold from.
    pub location_id: Option<String>,
    pub lines: Vec<ReserveLine>,
}

/// Holding, releasing and selling stock: what the orders context calls during checkout.
pub trait StockReservations: Send + Sync + 'static {
    /// Holds every line or none (409 `out_of_stock` naming the short SKUs). Calling it again
    /// with the same `reference` answers the reservation made the first time.
    fn stock_reserve<'a>(
        &'a self,
        reference: &'a str,
        lines: &'a [ReserveLine],
        ttl: Option<Duration>,
    ) -> BoxFuture<'a, Result<Reservation>>;
    /// Gives the stock back; releasing twice is harmless.
    fn stock_release<'a>(&'a self, id_or_reference: &'a str) -> BoxFuture<'a, Result<Reservation>>;
    /// Turns the hold into a sale (on-hand goes down); committing twice is harmless.
    fn stock_commit<'a>(&'a self, id_or_reference: &'a str) -> BoxFuture<'a, Result<Reservation>>;
    /// Puts a sale back on the shelf (a cancelled order's goods never left): on-hand goes up
    /// again where the stock came from. Only a committed reservation can be returned (409
    /// `reservation_not_committed`); returning twice is harmless.
    fn stock_return<'a>(&'a self, id_or_reference: &'a str) -> BoxFuture<'a, Result<Reservation>>;
    /// Puts returned goods back on hand (a `returned` adjustment per line). 404
    /// `location_not_found` when the location is not the seller's of every line.
    fn stock_restock<'a>(&'a self, restock: &'a Restock) -> BoxFuture<'a, Result<()>>;
}

/// What can be sold now, for the cart and the storefront.
pub trait StockAvailability: Send + Sync + 'static {
    /// Available units per SKU (upper-case); SKUs without stock are absent.
    fn available<'a>(&'a self, skus: &'a [String]) -> BoxFuture<'a, Result<HashMap<String, i64>>>;
    /// Every SKU with something to sell, for a full rebuild of the storefront's filter.
    fn skus_in_stock(&self) -> BoxFuture<'_, Result<HashSet<String>>>;
}

pub const INVENTORY_WRITE: Scope = Scope::new(
    "inventory:write",
    Role::Seller,
    "Keep stock, locations and stock settings of the caller's store (admin: any).",
);
pub const RESERVATIONS_WRITE: Scope = Scope::new(
    "reservations:write",
    Role::Admin,
    "Hold, release and commit stock for orders (admin; the orders context in split mode).",
);

pub const SCOPES: &[Scope] = &[INVENTORY_WRITE, RESERVATIONS_WRITE];

/// Every error code the inventory context answers, with its kind and meaning.
pub const ERRORS: &[ErrorCode] = &[
    ErrorCode::new("sku_not_found", NotFound, "No such SKU among the caller's products."),
    ErrorCode::new("location_not_found", NotFound, "No such location of this seller."),
    ErrorCode::new("location_name_taken", Conflict, "The seller has a location of this name."),
    ErrorCode::new("stock_negative", Conflict, "The adjustment would make on-hand stock negative; nothing changed."),
    ErrorCode::new(
        "stock_reserved",
        Conflict,
        "The adjustment would take on-hand stock below what orders hold; nothing changed.",
    ),
    ErrorCode::new(
        "out_of_stock",
        Conflict,
        "Not enough stock for every line; `errors` names each short SKU; nothing was reserved.",
    ),
    ErrorCode::new("stock_busy", Unavailable, "The stock changed under too many concurrent holds; try again."),
    ErrorCode::new("reservation_not_found", NotFound, "No such reservation."),
    ErrorCode::new("reservation_expired", Conflict, "The reservation was released or expired before it was committed."),
    ErrorCode::new("reservation_committed", Conflict, "The reservation was sold already and cannot be released."),
    ErrorCode::new(
        "reservation_not_committed",
        Conflict,
        "The reservation was never sold, so there is nothing to return.",
    ),
];
