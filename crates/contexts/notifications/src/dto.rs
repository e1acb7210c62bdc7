//! What the notifications API takes and answers.

use crate::domain::{Audience, Channel, Kind, MessageState};
use kernel::time::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A message the shop made, and how its delivery went.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageDto {
    pub id: String,
    pub kind: Kind,
    pub channel: Channel,
    pub state: MessageState,
    /// The account it went to; absent for a guest's order.
    pub recipient_id: Option<String>,
    /// The e-mail address or phone number it went to, or the push subscription's id.
    pub address: String,
    /// The order, return or SKU it is about.
    pub reference: Option<String>,
    pub subject: String,
    /// Absent when `redacted`.
    pub body_text: Option<String>,
    pub body_html: Option<String>,
    /// True for a message carrying a secret link (a reset, a verification) shown to anyone
    /// but its recipient.
    pub redacted: bool,
    pub attempts: i64,
    /// When the next attempt is due (queued messages).
    pub next_attempt_at: Option<Timestamp>,
    pub last_error: Option<String>,
    /// `outbox`, `smtp`, `sendgrid`, `twilio`.
    pub provider: Option<String>,
    /// The provider's id for it (a Message-ID, a SendGrid or Twilio id).
    pub provider_id: Option<String>,
    pub created_at: Timestamp,
    pub sent_at: Option<Timestamp>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MessageQuery {
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    #[param(pattern = r"^[a-z]{1,8}_[0-9A-HJKMNP-TV-Z]{26}$")]
    pub cursor: Option<String>,
    pub state: Option<MessageState>,
    pub kind: Option<Kind>,
    pub channel: Option<Channel>,
    /// Only messages to this account (admin).
    #[param(max_length = 64)]
    pub recipient_id: Option<String>,
    /// Only messages about this order, return or SKU.
    #[param(max_length = 64)]
    pub reference: Option<String>,
}

/// The caller's choices.
#[derive(Debug, Serialize, ToSchema)]
pub struct PreferencesDto {
    /// Where SMS go (E.164); without one, no SMS.
    pub phone: Option<String>,
    pub kinds: Vec<KindChoiceDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct KindChoiceDto {
    pub kind: Kind,
    pub audience: Audience,
    /// Essential kinds always go by e-mail.
    pub essential: bool,
    pub email: bool,
    pub sms: bool,
    /// To the browsers the caller subscribed; never for a secret link.
    pub push: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreferencesInput {
    /// An E.164 number for SMS; `""` removes it; absent leaves it.
    #[schema(pattern = r"^(\+[0-9]{8,15})?$", max_length = 16)]
    pub phone: Option<String>,
    /// Kinds left out keep their choices.
    #[serde(default)]
    #[schema(max_items = 32)]
    pub kinds: Vec<KindChoiceInput>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KindChoiceInput {
    pub kind: Kind,
    pub email: Option<bool>,
    pub sms: Option<bool>,
    pub push: Option<bool>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnsubscribeQuery {
    /// The token of the link in the message.
    #[param(max_length = 256)]
    pub token: String,
}

/// What an unsubscribe link stopped.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnsubscribedDto {
    pub kind: Kind,
    pub channel: Channel,
    pub unsubscribed: bool,
}

/// The shop's VAPID public key: a browser's `applicationServerKey` for `pushManager.subscribe`.
#[derive(Debug, Serialize, ToSchema)]
pub struct PushKeyDto {
    /// base64url, the uncompressed P-256 point.
    pub public_key: String,
}

/// A browser's `PushSubscription.toJSON()`, as it is.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PushSubscriptionInput {
    /// The push service's URL for this browser (`https://`).
    #[schema(max_length = 2048)]
    pub endpoint: String,
    /// Ignored: push services say when a subscription ends by answering 404 or 410.
    #[serde(rename = "expirationTime", default)]
    pub expiration_time: Option<f64>,
    pub keys: PushKeysInput,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PushKeysInput {
    /// The browser's P-256 public key, base64url.
    #[schema(max_length = 100)]
    pub p256dh: String,
    /// The browser's authentication secret, base64url.
    #[schema(max_length = 32)]
    pub auth: String,
}

/// A subscribed browser. Its endpoint is not shown: whoever knows it can push to it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PushSubscriptionDto {
    pub id: String,
    /// The push service's host (`fcm.googleapis.com`, `updates.push.services.mozilla.com`).
    pub push_service: String,
    pub created_at: Timestamp,
    pub last_sent_at: Option<Timestamp>,
}
