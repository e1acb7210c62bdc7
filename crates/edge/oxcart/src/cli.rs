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
    /// Run the event consumers, message and webhook deliveries and timed clean-ups without
    /// serving HTTP, so that they scale apart from the API (`serve --no-worker`).
    Worker(WorkerArgs),
    /// Apply database migrations and exit.
    Migrate(CommonArgs),
    /// Fill the database with a deterministic, realistic catalog and index it.
    Seed(SeedArgs),
    /// Search index maintenance.
    Search {
        #[command(subcommand)]
        command: SearchCommand,
    },
    /// The audit log of financial and admin actions.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Drive a running server with load and print requests/s and latency percentiles.
    Bench(BenchArgs),
}

#[derive(Debug, Subcommand)]
pub enum SearchCommand {
    /// Rebuild the search index from the catalog.
    Reindex(CommonArgs),
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the chain of audit entries: exits 1, naming each, when an entry was changed or
    /// deleted.
    Verify(CommonArgs),
}

#[derive(Debug, Args)]
pub struct SeedArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// How many products to add (1 to 1,000,000).
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub products: u32,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// The server to drive.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    pub url: String,
    /// Scenarios to run (comma-separated): search, search-hot, detail, category, health; the
    /// storefront's pages page-home, page-product, page-search, page-category, page-cart;
    /// cart-add, reserve-hot, reserve-spread, checkout, pay, seller-orders, the consoles' reads
    /// sales-report, audit-list, page-admin and page-seller, image-serve (after
    /// uploading up to 1,000 pictures, timed); and the
    /// measurements notify (orders to sent e-mails), follow (live-status streams held) and
    /// push (orders to pushes taken by a push service the bench runs), events (product edits
    /// to events consumed, read from `--metrics-url`).
    #[arg(long, default_value = "search,detail,category,health", value_delimiter = ',')]
    pub scenarios: Vec<String>,
    /// Concurrent connections (closed loop); several values run one after another.
    #[arg(long, default_value = "1,16,64", value_delimiter = ',')]
    pub concurrency: Vec<usize>,
    /// Fixed arrival rate in requests/s instead of a closed loop.
    #[arg(long)]
    pub rate: Option<u64>,
    /// Seconds each run measures.
    #[arg(long, default_value_t = 10)]
    pub duration: u64,
    /// Seconds of warm-up before each run, not measured.
    #[arg(long, default_value_t = 2)]
    pub warmup: u64,
    /// An admin account, for the scenarios that write (cart-add, reserve-hot, reserve-spread,
    /// checkout, pay): they top up stock first and hold it through the admin API.
    #[arg(long, env = "OXCART_BENCH_ADMIN_EMAIL")]
    pub admin_email: Option<String>,
    #[arg(long, env = "OXCART_BENCH_ADMIN_PASSWORD", hide_env_values = true)]
    pub admin_password: Option<String>,
    /// A seller account, for `page-seller`.
    #[arg(long, env = "OXCART_BENCH_SELLER_EMAIL")]
    pub seller_email: Option<String>,
    #[arg(long, env = "OXCART_BENCH_SELLER_PASSWORD", hide_env_values = true)]
    pub seller_password: Option<String>,
    /// Orders `seller-orders` places for one seller before it lists them (0: use those there),
    /// and `notify` and `push` place to measure their confirmations; product edits `events`
    /// makes; pictures `image-serve` uploads (at most 1,000).
    #[arg(long, default_value_t = 10_000)]
    pub orders: usize,
    /// Live-status streams `follow` holds open at once.
    #[arg(long, default_value_t = 1000)]
    pub followers: usize,
    /// Where the server serves `/metrics` (`server.metrics_bind`), for `events` and the
    /// statements per request of every scenario.
    #[arg(long, default_value = "http://127.0.0.1:9464")]
    pub metrics_url: String,
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
    /// Serve HTTP only: leave consumers, deliveries and clean-ups to `oxcart worker`.
    #[arg(long)]
    pub no_worker: bool,
}

#[derive(Debug, Args)]
pub struct WorkerArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Do not apply pending migrations on start.
    #[arg(long)]
    pub no_migrate: bool,
}
