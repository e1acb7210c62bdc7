//! SQL for the pricing context's own tables, and nothing else.

pub mod promotions;
pub mod redemptions;
