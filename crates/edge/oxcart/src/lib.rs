//! The `oxcart` binary's library: configuration, wiring of the contexts, the HTTP platform,
//! and the commands (`serve`, `migrate`, `seed`, `search reindex`, `bench`).

pub mod app;
pub mod bench;
pub mod cli;
pub mod config;
pub mod demo;
mod estimates;
pub mod http;
pub mod seed;
pub mod serve;
mod sweep;

pub use app::App;
pub use config::Config;
