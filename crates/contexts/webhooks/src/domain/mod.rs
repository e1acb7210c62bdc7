//! The rules, without I/O: which event types exist and who may hear them ([`types`]), what
//! an endpoint is sent ([`route`]), how deliveries are signed ([`signature`]) and when a failed one is tried again ([`retry`]).

pub mod retry;
pub mod route;
pub mod signature;
pub mod types;

/// A delivery's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Waiting for its first or next attempt.
    Pending,
    /// The endpoint answered 2xx.
    Delivered,
    /// Parked: every attempt failed for a day. A replay queues it again.
    Failed,
}

impl DeliveryState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Pending, Self::Delivered, Self::Failed].into_iter().find(|v| v.as_str() == s)
    }
}
