//! The inventory context: stock per SKU and location, adjustments with their history,
//! reservations for orders, low-stock alerts and reorder suggestions.
//!
//! Other contexts reach it through [`StockReservations`] (orders) and [`StockAvailability`]
//! (cart, search), and through the events in [`events`]; the HTTP API is [`router`].

pub mod domain;
pub mod dto;
pub mod events;
mod http;
mod service;
mod store;

pub use http::router;
pub use service::{
    InventoryConfig, InventoryService, OpeningStock, Reservation, ReserveLine, StockAvailability, StockReservations,
};

/// What tests and tools read to check the invariant; not part of the service API.
pub mod audit {
    pub use crate::store::levels::{LevelRow, level_list};
    pub use crate::store::reservations::{LineRow, live_totals};
}

pub const MIGRATIONS: &[::store::Migration] = &[::store::Migration {
    context: "inventory",
    version: 1,
    name: "inventory",
    sql: include_str!("../migrations/0001_inventory.sql"),
    postgres: None,
}];

/// The inventory context's problem codes, for the API reference.
pub const PROBLEMS: &[(&str, &str)] = &[
    ("sku_not_found", "No such SKU among the caller's products."),
    ("location_not_found", "No such location of this seller."),
    ("location_name_taken", "The seller has a location of this name."),
    ("stock_negative", "The adjustment would make on-hand stock negative; nothing changed."),
    ("stock_reserved", "The adjustment would take on-hand stock below what orders hold; nothing changed."),
    ("out_of_stock", "Not enough stock for every line; `errors` names each short SKU; nothing was reserved."),
    ("stock_busy", "The stock changed under too many concurrent holds; try again."),
    ("reservation_not_found", "No such reservation."),
    ("reservation_expired", "The reservation was released or expired before it was committed."),
    ("reservation_committed", "The reservation was sold already and cannot be released."),
];
