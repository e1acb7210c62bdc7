//! SQL for the inventory's own tables, and nothing else.

pub mod history;
pub mod items;
pub mod levels;
pub mod locations;
pub mod reservations;
