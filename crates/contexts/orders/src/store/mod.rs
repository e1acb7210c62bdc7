//! SQL for the orders tables only.

pub mod orders;
pub mod sagas;
