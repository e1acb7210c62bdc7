use clap::Parser;
use oxcart::cli::{AuditCommand, Cli, Command, SearchCommand};
use oxcart::config::{Config, Overrides};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let overrides = match &cli.command {
        Command::Serve(a) => Overrides { data_dir: a.common.data_dir.clone(), bind: a.bind },
        Command::Migrate(a)
        | Command::Search { command: SearchCommand::Reindex(a) }
        | Command::Audit { command: AuditCommand::Verify(a) } => Overrides { data_dir: a.data_dir.clone(), bind: None },
        Command::Seed(a) => Overrides { data_dir: a.common.data_dir.clone(), bind: None },
        Command::Worker(a) => Overrides { data_dir: a.common.data_dir.clone(), bind: None },
        Command::Bench(_) => Overrides::default(),
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
            Command::Serve(a) => oxcart::serve::run(config, a.demo, !a.no_migrate, !a.no_worker).await,
            Command::Worker(a) => oxcart::serve::worker(config, !a.no_migrate).await,
            Command::Migrate(_) => migrate(config).await,
            Command::Seed(a) => seed(config, a.products as usize).await,
            Command::Search { command: SearchCommand::Reindex(_) } => reindex(config).await,
            Command::Audit { command: AuditCommand::Verify(_) } => audit_verify(config).await,
            Command::Bench(a) => oxcart::bench::run(a).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.downcast_ref::<module::SettingsError>().is_some() => {
            eprintln!("error: invalid configuration: {e}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn migrate(config: Config) -> anyhow::Result<()> {
    let app = oxcart::App::build(config, true).await?;
    println!("database is up to date ({} migrations known)", app.migrations().len());
    app.db.close().await;
    Ok(())
}

async fn seed(config: Config, products: usize) -> anyhow::Result<()> {
    let app = oxcart::App::build(config, true).await?;
    oxcart::seed::run(&app, products, &[]).await?;
    app.db.close().await;
    Ok(())
}

async fn reindex(config: Config) -> anyhow::Result<()> {
    let app = oxcart::App::build(config, true).await?;
    app.settle().await?;
    let mut progress = oxcart::seed::Progress::new("indexed", app.catalog.product_count().await? as usize);
    let n = app.search.reindex(|n, _| progress.show(n)).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    progress.finish(n);
    println!("search index rebuilt: {n} visible products, {:.1} MB", app.search.index().size_bytes() as f64 / 1e6);
    app.db.close().await;
    Ok(())
}

/// Walks the audit chain; a broken one is an error (exit 1) after every fault is printed. It
/// opens the database alone, so it runs beside a server on the same data directory.
async fn audit_verify(config: Config) -> anyhow::Result<()> {
    let db = store::Db::connect(&store::DbOptions::new(config.database_url()))
        .await
        .map_err(|e| anyhow::anyhow!("cannot open the database (has `oxcart migrate` run?): {e}"))?;
    let audit = audit::AuditService::new(db.clone());
    let total = audit
        .head()
        .await
        .map_err(|e| anyhow::anyhow!("cannot read the audit log (has `oxcart migrate` run?): {e}"))?;
    let mut progress = oxcart::seed::Progress::new("checked", usize::try_from(total).unwrap_or(0));
    let report = audit.chain_verify(|n| progress.show(n as usize)).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    progress.finish(report.entries as usize);
    db.close().await;
    for fault in &report.faults {
        println!("fault: {fault}");
    }
    println!("head: entry {} {}", report.head_seq, report.head_hash);
    if !report.intact {
        anyhow::bail!("the audit log is not intact: {} fault(s) in {} entries", report.faults.len(), report.entries);
    }
    println!("the audit log is intact: {} entries", report.entries);
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
