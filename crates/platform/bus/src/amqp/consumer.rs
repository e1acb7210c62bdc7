//! A consumer group on its queue: each delivery is applied through the inbox and acked after
//! its transaction committed; a failed one goes back to the end of the queue with its attempt
//! counted, and past `max_attempts` to the group's dead-letter queue.

use super::{AmqpBus, CONFIRM_TIMEOUT};
use crate::inbox::{self, Handler};
use futures_util::StreamExt;
use kernel::event::Envelope;
use lapin::message::Delivery;
use lapin::options::{
    BasicAckOptions, BasicConsumeOptions, BasicNackOptions, BasicPublishOptions, BasicQosOptions, BasicRejectOptions,
    ConfirmSelectOptions,
};
use lapin::types::{AMQPValue, FieldTable};
use lapin::{BasicProperties, Channel, Confirmation};
use std::sync::Arc;
use std::time::Duration;
use store::Db;
use tokio::sync::watch;

/// The attempt a delivery is, counted by the consumers that put it back.
const ATTEMPT_HEADER: &str = "x-oxcart-attempt";
/// Deliveries a consumer holds unacknowledged at once.
const PREFETCH: u16 = 32;

type Failure = Box<dyn std::error::Error + Send + Sync>;

impl AmqpBus {
    /// Runs `handler` on its queue until `shutdown`, reconnecting after any failure.
    pub fn consume(
        self: &Arc<Self>,
        db: Db,
        handler: Arc<dyn Handler>,
        mut shutdown: watch::Receiver<bool>,
    ) -> tokio::task::JoinHandle<()> {
        let bus = self.clone();
        tokio::spawn(async move {
            loop {
                match bus.consume_until_lost(&db, handler.as_ref(), &mut shutdown).await {
                    Ok(()) => return,
                    Err(e) => tracing::warn!(group = handler.group(), error = %e, "broker consumer lost; reconnecting"),
                }
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                    _ = stopped(&mut shutdown) => return,
                }
            }
        })
    }

    /// Declares the group's queues and consumes; `Ok` on shutdown, `Err` when the link broke.
    async fn consume_until_lost(
        &self,
        db: &Db,
        handler: &dyn Handler,
        shutdown: &mut watch::Receiver<bool>,
    ) -> Result<(), Failure> {
        let connection = self.open().await?;
        let channel = connection.create_channel().await?;
        channel.confirm_select(ConfirmSelectOptions::default()).await?;
        self.declare_exchanges(&channel).await?;
        let queue = self.queue(handler.group());
        self.declare_queue(&channel, &queue, handler).await?;
        channel.basic_qos(PREFETCH, BasicQosOptions::default()).await?;
        let mut deliveries = channel
            .basic_consume(queue.as_str().into(), "".into(), BasicConsumeOptions::default(), FieldTable::default())
            .await?;
        loop {
            let delivery = tokio::select! {
                d = deliveries.next() => d,
                _ = stopped(shutdown) => {
                    let _ = connection.close(200, "stopping".into()).await;
                    return Ok(());
                }
            };
            let delivery = match delivery {
                Some(Ok(d)) => d,
                Some(Err(e)) => return Err(e.into()),
                None => return Err("the broker cancelled the consumer".into()),
            };
            let Ok(envelope) = serde_json::from_slice::<Envelope>(&delivery.data) else {
                tracing::error!(group = handler.group(), "a message that is not an event; dead-lettered");
                delivery.reject(BasicRejectOptions { requeue: false }).await?;
                continue;
            };
            if !inbox::wants(handler, &envelope) {
                delivery.ack(BasicAckOptions::default()).await?;
                continue;
            }
            match inbox::deliver(db, handler, &envelope).await {
                Ok(_) => {
                    delivery.ack(BasicAckOptions::default()).await?;
                }
                Err(e) => {
                    tracing::warn!(group = handler.group(), event = %envelope.id, error = %e, "consumer failed");
                    metrics::counter!("oxcart_events_failed_total", "type" => envelope.event_type.clone()).increment(1);
                    self.retry_or_dead_letter(&channel, &queue, &delivery).await?;
                }
            }
        }
    }

    /// Puts a failed delivery back at the end of its queue with its attempt counted (the
    /// original goes only once the copy is confirmed), or past `max_attempts` dead-letters it.
    async fn retry_or_dead_letter(&self, channel: &Channel, queue: &str, delivery: &Delivery) -> Result<(), Failure> {
        let attempt = attempt_of(&delivery.properties);
        if attempt >= self.options.max_attempts {
            tracing::error!(queue, attempt, "event dead-lettered");
            delivery.reject(BasicRejectOptions { requeue: false }).await?;
            return Ok(());
        }
        // A little wait first, so that a struggling database is not hammered.
        tokio::time::sleep(Duration::from_millis((100 * attempt as u64).min(2_000))).await;
        let mut headers = FieldTable::default();
        headers.insert(ATTEMPT_HEADER.into(), AMQPValue::LongUInt(attempt + 1));
        let properties = delivery.properties.clone().with_headers(headers);
        let copy = channel
            .basic_publish("".into(), queue.into(), BasicPublishOptions::default(), &delivery.data, properties)
            .await?;
        match tokio::time::timeout(CONFIRM_TIMEOUT, copy).await {
            Ok(Ok(Confirmation::Ack(_))) => delivery.ack(BasicAckOptions::default()).await?,
            _ => delivery.nack(BasicNackOptions { requeue: true, multiple: false }).await?,
        };
        Ok(())
    }
}

/// Which attempt this delivery is: 1 unless a failed one put it back.
fn attempt_of(properties: &BasicProperties) -> u32 {
    let attempt = properties.headers().as_ref().and_then(|h| h.inner().get(ATTEMPT_HEADER).cloned());
    match attempt {
        Some(AMQPValue::LongUInt(n)) => n.max(1),
        _ => 1,
    }
}

/// Resolves once `shutdown` turns true (the watch guard must not live across an await).
async fn stopped(shutdown: &mut watch::Receiver<bool>) {
    let _ = shutdown.wait_for(|stop| *stop).await;
}
