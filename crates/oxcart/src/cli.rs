use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Oxcart: an e-commerce platform in one binary.
#[derive(Debug, Parser)]
#[command(name = "oxcart", version, about, long_about = None)]
pub struct Cli {
    /// Configuration file [default: ./oxcart.toml when present]
    #[arg(long, global = true, env = "OXCART_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP server (migrations are applied first).
    Serve(ServeArgs),
    /// Apply database migrations and exit.
    Migrate(CommonArgs),
}

#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Directory for the SQLite database and generated keys [default: ./data]
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Address to listen on [default: 127.0.0.1:8080]
    #[arg(long, value_name = "ADDR")]
    pub bind: Option<SocketAddr>,
    /// Create demo accounts (admin, seller, customer) on first start and print their passwords.
    #[arg(long)]
    pub demo: bool,
    /// Do not apply pending migrations on start.
    #[arg(long)]
    pub no_migrate: bool,
}
