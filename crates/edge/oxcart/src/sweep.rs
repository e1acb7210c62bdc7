//! Background clean-up: runs every context's sweepers (expired stock holds, idle carts…), each
//! on its own interval.

use kernel::time::Timestamp;
use module::Sweeper;
use tokio::sync::watch;

/// Runs `sweeper` until `stop` changes; a failed pass is logged and tried again next time.
pub async fn run(sweeper: Sweeper, mut stop: watch::Receiver<bool>) {
    loop {
        match (sweeper.run)(Timestamp::now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(count = n, "{}", sweeper.done),
            Err(e) => tracing::warn!(error = %e, job = sweeper.done, "sweep failed; retrying"),
        }
        tokio::select! {
            _ = tokio::time::sleep(sweeper.every) => {}
            _ = stop.changed() => return,
        }
    }
}
