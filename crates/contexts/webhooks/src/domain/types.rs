//! The event types an endpoint may subscribe to, taken from the publishers' own `Event::TYPE`
//! constants (so a renamed type cannot go stale here), and which of them name a seller.

use SellerKey::{Field, Lines, Nobody};
use catalog::api::events as cat;
use inventory::api::events as inv;
use kernel::event::Event;
use orders::api::events as ord;
use payments::api::events as pay;
use shipping::api::events as shp;
use users::api::events as usr;

/// Where an event's payload names the seller it belongs to, if anywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SellerKey {
    /// Nothing in it is a seller's: admins only.
    Nobody,
    /// A top-level `seller_id`.
    Field,
    /// `lines`, each with its `seller_id`: a seller gets the event with their lines only.
    Lines,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventType {
    pub name: &'static str,
    pub seller: SellerKey,
}

const fn t<E: Event>(seller: SellerKey) -> EventType {
    EventType { name: E::TYPE, seller }
}

/// Every event type the platform publishes, grouped by publisher.
pub const EVENT_TYPES: &[EventType] = &[
    t::<ord::OrderCreated>(Lines),
    t::<ord::OrderPaymentPending>(Nobody),
    t::<ord::OrderConfirmed>(Lines),
    t::<ord::OrderCancelled>(Nobody),
    t::<ord::OrderProcessing>(Nobody),
    t::<ord::OrderPacked>(Nobody),
    t::<ord::OrderShipped>(Nobody),
    t::<ord::OrderInTransit>(Nobody),
    t::<ord::OrderOutForDelivery>(Nobody),
    t::<ord::OrderDelivered>(Nobody),
    t::<ord::OrderReturnRequested>(Nobody),
    t::<ord::OrderReturnApproved>(Nobody),
    t::<ord::OrderRefunded>(Nobody),
    t::<ord::FulfilmentProcessing>(Field),
    t::<ord::FulfilmentPacked>(Field),
    t::<ord::FulfilmentShipped>(Field),
    t::<ord::FulfilmentInTransit>(Field),
    t::<ord::FulfilmentOutForDelivery>(Field),
    t::<ord::FulfilmentDelivered>(Field),
    t::<ord::FulfilmentCancelled>(Field),
    t::<ord::ReturnRequested>(Field),
    t::<ord::ReturnApproved>(Field),
    t::<ord::ReturnRejected>(Field),
    t::<ord::ReturnReceived>(Field),
    // Its payload names no seller (a return's refund is the whole return's): admins only.
    t::<ord::RefundCompleted>(Nobody),
    t::<pay::PaymentAuthorized>(Nobody),
    t::<pay::PaymentRequiresAction>(Nobody),
    t::<pay::PaymentCaptured>(Nobody),
    t::<pay::PaymentFailed>(Nobody),
    t::<pay::PaymentCancelled>(Nobody),
    t::<pay::PaymentRefunded>(Nobody),
    t::<pay::PaymentDisputed>(Nobody),
    // Its lines carry SKUs without a seller.
    t::<inv::StockReserved>(Nobody),
    t::<inv::StockReleased>(Nobody),
    t::<inv::StockReturned>(Nobody),
    t::<inv::StockCommitted>(Nobody),
    t::<inv::AvailabilityChanged>(Field),
    t::<inv::LowStock>(Field),
    t::<cat::ProductChanged>(Field),
    t::<cat::TaxonomyChanged>(Nobody),
    t::<cat::SellerVisibilityChanged>(Field),
    t::<usr::UserRegistered>(Nobody),
    t::<usr::UserRoleChanged>(Nobody),
    t::<usr::UserAccessChanged>(Nobody),
    t::<usr::SellerStatusChanged>(Nobody),
    t::<shp::TrackingUpdated>(Nobody),
];

/// The known type of that name.
pub fn event_type(name: &str) -> Option<&'static EventType> {
    EVENT_TYPES.iter().find(|t| t.name == name)
}

/// True when `pattern` (an exact type or `prefix.*`) covers the type `name`: the bus's rule.
pub fn covers(pattern: &str, name: &str) -> bool {
    pattern == name
        || pattern.strip_suffix(".*").is_some_and(|p| name.strip_prefix(p).is_some_and(|r| r.starts_with('.')))
}

/// Why a pattern cannot be subscribed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No known type is (or is under) it.
    Unknown,
    /// It covers a type that names no seller, and the endpoint is a seller's.
    NotForSellers,
}

/// Checks one subscription: it must cover at least one known type and, for a seller, only
/// types whose payload names the seller (so `order.*` is refused to a seller: most order
/// events do not).
pub fn pattern_check(pattern: &str, seller: bool) -> Result<(), Refusal> {
    let covered: Vec<&EventType> = EVENT_TYPES.iter().filter(|t| covers(pattern, t.name)).collect();
    if covered.is_empty() || pattern == "*" {
        return Err(Refusal::Unknown);
    }
    if seller && covered.iter().any(|t| t.seller == SellerKey::Nobody) {
        return Err(Refusal::NotForSellers);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_are_checked_against_the_publishers_types() {
        assert_eq!(pattern_check("order.created", true), Ok(()));
        assert_eq!(pattern_check("fulfilment.*", true), Ok(()));
        assert_eq!(pattern_check("return.*", true), Ok(()));
        assert_eq!(pattern_check("order.*", true), Err(Refusal::NotForSellers));
        assert_eq!(pattern_check("order.*", false), Ok(()));
        assert_eq!(pattern_check("refund.completed", true), Err(Refusal::NotForSellers));
        assert_eq!(pattern_check("payment.captured", false), Ok(()));
        assert_eq!(pattern_check("order.exploded", false), Err(Refusal::Unknown));
        assert_eq!(pattern_check("ord.*", false), Err(Refusal::Unknown));
        assert_eq!(pattern_check("*", false), Err(Refusal::Unknown));
        assert!(covers("fulfilment.*", "fulfilment.shipped"));
        assert!(!covers("fulfilment.*", "fulfilments.shipped"));
    }

    #[test]
    fn names_are_unique() {
        let mut names: Vec<_> = EVENT_TYPES.iter().map(|t| t.name).collect();
        names.sort_unstable();
        let n = names.len();
        names.dedup();
        assert_eq!(n, names.len());
    }
}
