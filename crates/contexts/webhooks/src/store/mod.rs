//! SQL for the webhooks context's own tables (endpoints, deliveries, attempts), and nothing
//! else. Times are microseconds since the epoch.

mod deliveries;
mod endpoints;

pub use deliveries::*;
pub use endpoints::*;
