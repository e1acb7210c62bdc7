//! What the audit API accepts and answers.

use crate::domain::Entry;
use kernel::time::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The filters every read of the log takes.
#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EntryFilter {
    /// An action (`payment.refunded`) or every action under a prefix (`payment.*`).
    #[param(pattern = r"^[a-z][a-z_]*(\.[a-z][a-z_]*)*(\.\*)?$", max_length = 100)]
    pub action: Option<String>,
    /// Only what this user did.
    #[param(max_length = 40)]
    pub actor_id: Option<String>,
    /// Only what was done to this object (a payment, order, user or seller id).
    #[param(max_length = 40)]
    pub object_id: Option<String>,
    /// From this time on (RFC 3339).
    #[param(format = DateTime)]
    pub since: Option<String>,
    /// Before this time (RFC 3339).
    #[param(format = DateTime)]
    pub until: Option<String>,
}

/// A page of the log: the filters, and where to go on from. (Not a flattened [`EntryFilter`]:
/// a flattened query loses its numbers' types.)
#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EntryQuery {
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    #[param(pattern = r"^[a-z]{1,8}_[0-9A-HJKMNP-TV-Z]{26}$")]
    pub cursor: Option<String>,
    /// As in the export.
    #[param(pattern = r"^[a-z][a-z_]*(\.[a-z][a-z_]*)*(\.\*)?$", max_length = 100)]
    pub action: Option<String>,
    #[param(max_length = 40)]
    pub actor_id: Option<String>,
    #[param(max_length = 40)]
    pub object_id: Option<String>,
    #[param(format = DateTime)]
    pub since: Option<String>,
    #[param(format = DateTime)]
    pub until: Option<String>,
}

impl EntryQuery {
    pub fn filter(&self) -> EntryFilter {
        EntryFilter {
            action: self.action.clone(),
            actor_id: self.actor_id.clone(),
            object_id: self.object_id.clone(),
            since: self.since.clone(),
            until: self.until.clone(),
        }
    }
}

/// Who acted: a signed-in user, or the shop itself when `id` is absent.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ActorDto {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// One recorded action.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntryDto {
    pub id: String,
    /// Its place in the chain, from 1.
    pub seq: i64,
    pub at: Timestamp,
    /// What happened: the event's type (`payment.refunded`, `user.role_changed`…).
    pub action: String,
    pub actor: ActorDto,
    /// `payment`, `order`, `user` or `seller`.
    pub object_type: String,
    pub object_id: String,
    /// The part of the object's state the action changed, before and after.
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    /// The request that caused it (its `X-Request-Id`), and the client's address.
    pub request_id: Option<String>,
    pub address: Option<String>,
    /// The event it records.
    pub event_id: String,
    /// SHA-256 of the entry and the hash of the one before it.
    pub hash: String,
}

impl From<Entry> for EntryDto {
    fn from(e: Entry) -> Self {
        let json = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
        Self {
            id: e.id,
            seq: e.seq,
            at: Timestamp::from_micros(e.at),
            action: e.action,
            actor: ActorDto { id: e.actor_id, role: e.actor_role },
            object_type: e.object_type,
            object_id: e.object_id,
            before: json(e.before),
            after: json(e.after),
            request_id: e.request_id,
            address: e.address,
            event_id: e.event_id,
            hash: e.hash,
        }
    }
}

/// The outcome of checking the whole chain.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VerificationDto {
    /// True when every entry is as written and none is missing.
    pub intact: bool,
    /// Entries checked.
    pub entries: u64,
    /// The last entry's number and hash as the head records them: keep them elsewhere to
    /// detect a chain rewritten from some point on.
    pub head_seq: i64,
    pub head_hash: String,
    /// What is wrong, in chain order (at most 100).
    pub faults: Vec<String>,
}
