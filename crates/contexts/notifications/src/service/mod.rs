//! The notifications service: events become messages (intake), messages go out through their
//! channel's provider (deliver), people read theirs and choose what they get (read, prefs),
//! the browsers they subscribe for push (push), and the users context's account messages come
//! in directly (account).

mod account;
mod deliver;
mod enqueue;
pub(crate) mod intake;
mod parked;
mod prefs;
mod push;
mod read;

pub use enqueue::{Draft, Recipient};

use crate::channel::Sender;
use crate::domain::Channel;
use crate::render::Templates;
use orders::api::OrderNotices;
use std::sync::{Arc, Mutex};
use store::Db;
use users::api::Customers;

/// What the service needs from the configuration and the edge.
#[derive(Debug, Clone)]
pub struct NotificationsConfig {
    pub shop_name: String,
    pub base_url: String,
    pub max_attempts: u32,
    pub email_per_second: u32,
    pub sms_per_second: u32,
    pub push_per_second: u32,
    /// Push endpoints over plain HTTP, and on private addresses (tests only).
    pub push_allow_http: bool,
    pub push_allow_private: bool,
    /// The VAPID public key browsers subscribe with (base64url).
    pub vapid_public: String,
    /// The key unsubscribe links are signed with.
    pub link_key: Vec<u8>,
    /// How long after delivery a customer may return items (the orders context's setting).
    pub return_days: i64,
}

/// The peers the service reads from: accounts' contacts and orders' contents.
pub struct NotificationsDeps {
    pub db: Db,
    pub customers: Arc<dyn Customers>,
    pub orders: Arc<dyn OrderNotices>,
    pub email: Arc<dyn Sender>,
    pub sms: Arc<dyn Sender>,
    pub push: Arc<dyn Sender>,
}

pub struct NotificationsService {
    db: Db,
    config: NotificationsConfig,
    templates: Templates,
    customers: Arc<dyn Customers>,
    orders: Arc<dyn OrderNotices>,
    email: Arc<dyn Sender>,
    sms: Arc<dyn Sender>,
    push: Arc<dyn Sender>,
    buckets: Mutex<[deliver::Bucket; 3]>,
}

impl NotificationsService {
    pub fn new(deps: NotificationsDeps, config: NotificationsConfig, templates: Templates) -> Self {
        let buckets = Mutex::new([
            deliver::Bucket::new(config.email_per_second),
            deliver::Bucket::new(config.sms_per_second),
            deliver::Bucket::new(config.push_per_second),
        ]);
        Self {
            db: deps.db,
            customers: deps.customers,
            orders: deps.orders,
            email: deps.email,
            sms: deps.sms,
            push: deps.push,
            config,
            templates,
            buckets,
        }
    }

    pub fn config(&self) -> &NotificationsConfig {
        &self.config
    }

    fn sender(&self, channel: Channel) -> &Arc<dyn Sender> {
        match channel {
            Channel::Email => &self.email,
            Channel::Sms => &self.sms,
            Channel::Push => &self.push,
        }
    }

    /// A page of the shop: `/orders/…` under the configured address.
    fn link(&self, path: &str) -> String {
        format!("{}{path}", self.config.base_url)
    }
}

fn not_found() -> kernel::Error {
    kernel::Error::not_found("message_not_found", "No such message.")
}
