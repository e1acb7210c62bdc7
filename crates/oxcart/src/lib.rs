//! The `oxcart` binary's library: configuration, wiring of the contexts, the HTTP platform,
//! and the commands (`serve`, `migrate`).

pub mod app;
pub mod cli;
pub mod config;
pub mod demo;
pub mod http;
pub mod serve;

pub use app::App;
pub use config::Config;
