//! The notifications context: the messages the shop sends its customers, sellers and admins
//! (DESIGN §7's e-mail and SMS), made from other contexts' events and from the users
//! context's account notices, rendered from templates, and handed to a provider.
//!
//! With nothing configured every message stays in the outbox (`notifications_messages`), where
//! the admin and the recipient read it; with settings, e-mail goes out over SMTP or SendGrid
//! and SMS over Twilio, and pushes go to the browsers that subscribed (Web Push, VAPID). Every message is a row first and a delivery second: a crash between
//! the two means a retry, never a loss, and an event delivered twice makes one message.

pub mod api;
mod channel;
mod consumers;
pub mod domain;
pub mod dto;
mod http;
mod render;
mod service;
mod settings;
mod store;

pub use channel::{Outgoing, SendFailure, Sender};
pub use http::router;
pub use render::{Rendered, Templates};
pub use service::{Draft, NotificationsConfig, NotificationsDeps, NotificationsService, Recipient};
pub use settings::Settings;

use std::sync::Arc;
use std::time::Duration;

pub const MIGRATIONS: &[::store::Migration] = &[
    ::store::Migration {
        context: "notifications",
        version: 1,
        name: "notifications",
        sql: include_str!("../migrations/0001_notifications.sql"),
        postgres: None,
    },
    ::store::Migration {
        context: "notifications",
        version: 2,
        name: "push",
        sql: include_str!("../migrations/0002_push.sql"),
        postgres: None,
    },
];

/// A new VAPID key for the data dir's `vapid-key` file.
pub fn vapid_key_generate() -> Result<String, String> {
    channel::webpush::Vapid::generate()
}

/// What the edge hands over besides the configuration.
pub struct Peers {
    pub db: ::store::Db,
    pub customers: Arc<dyn users::api::Customers>,
    pub orders: Arc<dyn orders::api::OrderNotices>,
    /// The key unsubscribe links are signed with (kept in the data dir).
    pub link_key: Vec<u8>,
    /// The VAPID key pushes are signed with, as its file holds it ([`vapid_key_generate`]).
    pub vapid_key: String,
    pub return_days: i64,
}

/// The notifications context for the application: its service and its module (the consumer,
/// the sender every 200 ms, the parked-events alert every minute).
pub fn module(
    peers: Peers,
    section: &module::Section,
) -> Result<(Arc<NotificationsService>, module::Module), module::SettingsError> {
    let s = Settings::read(section)?;
    let templates = Templates::load(s.templates_dir.as_deref()).map_err(module::SettingsError)?;
    let email = channel::email(&s).map_err(module::SettingsError)?;
    let sms = channel::sms(&s).map_err(module::SettingsError)?;
    let vapid = channel::webpush::Vapid::parse(&peers.vapid_key).map_err(module::SettingsError)?;
    let vapid_public = vapid.public_key();
    let push = channel::push(&s, vapid);
    let config = NotificationsConfig {
        shop_name: s.shop_name,
        base_url: s.base_url,
        max_attempts: s.max_attempts,
        email_per_second: s.email.per_second,
        sms_per_second: s.sms.per_second,
        push_per_second: s.push.per_second,
        push_allow_http: s.push.allow_http,
        push_allow_private: s.push.allow_private,
        vapid_public,
        link_key: peers.link_key,
        return_days: peers.return_days,
    };
    let deps = NotificationsDeps { db: peers.db, customers: peers.customers, orders: peers.orders, email, sms, push };
    let service = Arc::new(NotificationsService::new(deps, config, templates));
    let deliver = service.clone();
    let parked = service.clone();
    let module = module::Module::new("notifications", MIGRATIONS, router(service.clone()))
        .errors(api::ERRORS)
        .scopes(api::SCOPES)
        .handler(Arc::new(consumers::Intake(service.clone())))
        .sweeper(module::Sweeper {
            done: "sent messages",
            every: Duration::from_millis(200),
            run: Arc::new(move |now| {
                let s = deliver.clone();
                Box::pin(async move { s.messages_deliver(now).await })
            }),
        })
        .sweeper(module::Sweeper {
            done: "alerted admins to parked events",
            every: Duration::from_secs(60),
            run: Arc::new(move |now| {
                let s = parked.clone();
                Box::pin(async move { s.parked_events_notify(now).await })
            }),
        });
    Ok((service, module))
}
