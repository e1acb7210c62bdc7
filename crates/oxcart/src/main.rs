use clap::Parser;
use oxcart::cli::{Cli, Command};
use oxcart::config::{Config, Overrides};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let overrides = match &cli.command {
        Command::Serve(a) => Overrides { data_dir: a.common.data_dir.clone(), bind: a.bind },
        Command::Migrate(a) => Overrides { data_dir: a.data_dir.clone(), bind: None },
    };
    let config = match Config::load(cli.config.as_deref(), &overrides) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: invalid configuration: {e}");
            return ExitCode::from(2);
        }
    };
    init_logging(&config);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Serve(a) => oxcart::serve::run(config, a.demo, !a.no_migrate).await,
            Command::Migrate(_) => migrate(config).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn migrate(config: Config) -> anyhow::Result<()> {
    let app = oxcart::App::build(config, true).await?;
    println!("database is up to date ({} migrations known)", oxcart::app::migrations().len());
    app.db.close().await;
    Ok(())
}

fn init_logging(config: &Config) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(&config.log.level));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if config.log.format == "json" {
        builder.json().flatten_event(true).with_current_span(true).init();
    } else {
        builder.init();
    }
}
