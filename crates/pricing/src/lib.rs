//! Prices a basket against a shop's promotions.
//!
//! The engine in [`domain`] is pure: it takes a basket and the candidate promotions and returns
//! a quote, without touching storage, clocks or the network. That keeps the money arithmetic
//! deterministic and testable on its own; callers load promotions and pass the current time in.

pub mod domain;
