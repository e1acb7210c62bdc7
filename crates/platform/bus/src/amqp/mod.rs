//! RabbitMQ (`bus.url = "amqp://…"`): the relay publishes every event to one durable topic
//! exchange, routed by its type, and waits for the broker's confirm before the outbox row is
//! marked sent. Each consumer group reads a durable queue of its own, bound to the types it
//! wants, and acks a delivery only after its inbox transaction committed; a redelivery (after a
//! crash or a lost ack) is dropped by the inbox. A delivery that fails goes back to the end of
//! its queue with its attempt counted in a header; after `max_attempts` it goes to the group's
//! dead-letter queue `<queue>.dead` for an operator.
//!
//! Classic durable queues, not quorum ones: on the single-node RabbitMQ 3.10 this was tested
//! against, a quorum queue stopped confirming publishes after the node was killed and
//! restarted, while a classic queue with persistent messages came back with all of them.
//!
//! The connection is made again after any failure: a publish that fails leaves its event in the
//! outbox for the relay's next pass, and consumers reconnect and resume from their queue.

use crate::inbox::Handler;
use crate::{Bus, PublishError};
use kernel::BoxFuture;
use kernel::event::Envelope;
use lapin::options::{
    BasicPublishOptions, ConfirmSelectOptions, ExchangeDeclareOptions, ExchangeDeleteOptions, QueueBindOptions,
    QueueDeclareOptions, QueueDeleteOptions,
};
use lapin::types::{AMQPValue, FieldTable};
use lapin::{BasicProperties, Channel, Confirmation, Connection, ConnectionProperties, ExchangeKind};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Mutex;

mod consumer;

/// How long a publish waits for the broker's confirm before the event is retried later.
const CONFIRM_TIMEOUT: Duration = Duration::from_secs(5);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, Clone)]
pub struct AmqpOptions {
    /// Deliveries of one event to a group before it is dead-lettered.
    pub max_attempts: u32,
    /// Starts every exchange and queue name, so several shops can share one broker.
    pub prefix: String,
}

impl Default for AmqpOptions {
    fn default() -> Self {
        Self { max_attempts: 10, prefix: "oxcart".into() }
    }
}

pub struct AmqpBus {
    url: String,
    options: AmqpOptions,
    /// The connection and the publishing channel (in confirm mode), made again when lost.
    link: Mutex<Option<(Connection, Channel)>>,
}

impl AmqpBus {
    /// Connects once, so that a wrong address or credentials stop the start with the reason,
    /// and declares the queue of every consumer group: an event published before its group's
    /// queue exists would be routed nowhere.
    pub async fn connect(url: &str, options: AmqpOptions, groups: &[Arc<dyn Handler>]) -> Result<Arc<Self>, String> {
        let bus = Arc::new(Self { url: url.to_owned(), options, link: Mutex::new(None) });
        let channel = bus.publisher().await.map_err(|e| format!("cannot connect ({e})"))?;
        for handler in groups {
            bus.declare_queue(&channel, &bus.queue(handler.group()), handler.as_ref())
                .await
                .map_err(|e| format!("cannot declare the queue of {} ({e})", handler.group()))?;
        }
        Ok(bus)
    }

    /// Where the relay publishes: a topic exchange routed by event type.
    fn exchange(&self) -> String {
        format!("{}.events", self.options.prefix)
    }

    /// Where failed deliveries go, routed by their queue's name to its `.dead` queue.
    fn dead_exchange(&self) -> String {
        format!("{}.dead", self.options.prefix)
    }

    /// The queue of a consumer group.
    pub fn queue(&self, group: &str) -> String {
        format!("{}.{group}", self.options.prefix)
    }

    async fn open(&self) -> lapin::Result<Connection> {
        let properties = ConnectionProperties::default().with_connection_name("oxcart".into());
        tokio::time::timeout(CONNECT_TIMEOUT, Connection::connect(&self.url, properties))
            .await
            .unwrap_or_else(|_| Err(timed_out()))
    }

    /// The publishing channel, connecting (and declaring the exchanges) first when needed.
    async fn publisher(&self) -> lapin::Result<Channel> {
        let mut link = self.link.lock().await;
        if let Some((connection, channel)) = link.as_ref()
            && connection.status().connected()
            && channel.status().connected()
        {
            return Ok(channel.clone());
        }
        *link = None;
        let setup = async {
            let connection = self.open().await?;
            let channel = connection.create_channel().await?;
            channel.confirm_select(ConfirmSelectOptions::default()).await?;
            self.declare_exchanges(&channel).await?;
            Ok::<_, lapin::Error>((connection, channel))
        };
        // A broker still starting may accept the connection and then say nothing.
        let (connection, channel) =
            tokio::time::timeout(CONNECT_TIMEOUT * 2, setup).await.map_err(|_| timed_out())??;
        *link = Some((connection, channel.clone()));
        Ok(channel)
    }

    async fn declare_exchanges(&self, channel: &Channel) -> lapin::Result<()> {
        let durable = ExchangeDeclareOptions { durable: true, ..ExchangeDeclareOptions::default() };
        channel.exchange_declare(self.exchange().into(), ExchangeKind::Topic, durable, FieldTable::default()).await?;
        channel
            .exchange_declare(self.dead_exchange().into(), ExchangeKind::Direct, durable, FieldTable::default())
            .await
    }

    /// Deletes this prefix's exchanges and the queues of `groups`, messages and all: for a shop
    /// that is retired, and for tests on a shared broker.
    pub async fn delete_everything(&self, groups: &[Arc<dyn Handler>]) -> lapin::Result<()> {
        let channel = self.publisher().await?;
        for handler in groups {
            let queue = self.queue(handler.group());
            for q in [format!("{queue}.dead"), queue] {
                channel.queue_delete(q.as_str().into(), QueueDeleteOptions::default()).await?;
            }
        }
        for exchange in [self.exchange(), self.dead_exchange()] {
            channel.exchange_delete(exchange.as_str().into(), ExchangeDeleteOptions::default()).await?;
        }
        Ok(())
    }

    /// True when the broker connection is up (readiness).
    pub async fn ping(&self) -> bool {
        self.publisher().await.is_ok()
    }

    async fn forget_link(&self) {
        *self.link.lock().await = None;
    }

    /// A durable queue with its dead-letter queue beside it.
    async fn declare_queue(&self, channel: &Channel, queue: &str, handler: &dyn Handler) -> lapin::Result<()> {
        let durable = QueueDeclareOptions { durable: true, ..QueueDeclareOptions::default() };
        let dead = format!("{queue}.dead");
        channel.queue_declare(dead.as_str().into(), durable, FieldTable::default()).await?;
        channel
            .queue_bind(
                dead.as_str().into(),
                self.dead_exchange().into(),
                queue.into(),
                QueueBindOptions::default(),
                FieldTable::default(),
            )
            .await?;
        let mut arguments = FieldTable::default();
        arguments.insert("x-dead-letter-exchange".into(), AMQPValue::LongString(self.dead_exchange().into()));
        arguments.insert("x-dead-letter-routing-key".into(), AMQPValue::LongString(queue.into()));
        channel.queue_declare(queue.into(), durable, arguments).await?;
        for topic in handler.topics() {
            channel
                .queue_bind(
                    queue.into(),
                    self.exchange().into(),
                    binding(topic).into(),
                    QueueBindOptions::default(),
                    FieldTable::default(),
                )
                .await?;
        }
        Ok(())
    }

    async fn publish_one(&self, channel: &Channel, envelope: &Envelope) -> lapin::Result<lapin::PublisherConfirm> {
        let payload = serde_json::to_vec(envelope).unwrap_or_default();
        let properties = BasicProperties::default()
            .with_message_id(envelope.id.as_str().into())
            .with_type(envelope.event_type.as_str().into())
            .with_content_type("application/json".into())
            .with_delivery_mode(2);
        channel
            .basic_publish(
                self.exchange().into(),
                envelope.event_type.as_str().into(),
                BasicPublishOptions::default(),
                &payload,
                properties,
            )
            .await
    }
}

fn timed_out() -> lapin::Error {
    lapin::ErrorKind::IOError(Arc::new(std::io::Error::from(std::io::ErrorKind::TimedOut))).into()
}

/// Our patterns (`*`, `order.*`, `order.placed`) as topic bindings: `*` there is one word, so
/// ours become `#`.
fn binding(topic: &str) -> String {
    match topic {
        "*" => "#".to_owned(),
        t => match t.strip_suffix(".*") {
            Some(prefix) => format!("{prefix}.#"),
            None => t.to_owned(),
        },
    }
}

impl Bus for AmqpBus {
    fn publish<'a>(&'a self, envelope: &'a Envelope) -> BoxFuture<'a, Result<(), PublishError>> {
        Box::pin(async move { self.publish_all(&[envelope]).await.pop().unwrap_or(Ok(())) })
    }

    /// Publishes the whole batch, then waits for its confirms: one round trip, not one each.
    fn publish_all<'a>(&'a self, envelopes: &'a [&'a Envelope]) -> BoxFuture<'a, Vec<Result<(), PublishError>>> {
        Box::pin(async move {
            let lost = |e: &dyn std::fmt::Display| PublishError::unreachable(format!("broker: {e}"));
            let channel = match self.publisher().await {
                Ok(c) => c,
                Err(e) => {
                    tracing::warn!(error = %e, "broker unreachable; events stay in the outbox");
                    return envelopes.iter().map(|_| Err(lost(&e))).collect();
                }
            };
            let mut pending = Vec::with_capacity(envelopes.len());
            for envelope in envelopes {
                let publish = tokio::time::timeout(CONFIRM_TIMEOUT, self.publish_one(&channel, envelope));
                let sent = publish.await.unwrap_or_else(|_| Err(timed_out()));
                let failed = sent.is_err();
                pending.push(sent);
                // A broken link fails every publish after it: leave the rest for the next pass.
                if failed {
                    break;
                }
            }
            let mut results = Vec::with_capacity(envelopes.len());
            let mut broken = pending.len() < envelopes.len();
            // One deadline for the batch: a broker that stopped confirming costs it once.
            let deadline = tokio::time::Instant::now() + CONFIRM_TIMEOUT;
            for confirm in pending {
                let outcome = match confirm {
                    Ok(confirm) => match tokio::time::timeout_at(deadline, confirm).await {
                        Ok(Ok(Confirmation::Ack(_))) => Ok(()),
                        Ok(Ok(Confirmation::Nack(_))) => Err(PublishError::failed("the broker refused the event")),
                        Ok(Ok(Confirmation::NotRequested)) => Err(PublishError::failed("confirms are off")),
                        Ok(Err(e)) => Err(lost(&e)),
                        Err(_) => Err(PublishError::unreachable("no confirm from the broker in time")),
                    },
                    Err(e) => Err(lost(&e)),
                };
                broken |= outcome.is_err();
                results.push(outcome);
            }
            results.resize_with(envelopes.len(), || {
                Err(PublishError::unreachable("broker: the link broke before this event"))
            });
            if broken {
                let reason =
                    results.iter().find_map(|r| r.as_ref().err()).map(|e| e.reason.clone()).unwrap_or_default();
                tracing::warn!(%reason, "publishing to the broker failed; the events stay in the outbox");
                self.forget_link().await;
            }
            results
        })
    }
}
