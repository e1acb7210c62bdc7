//! A seller's part of an order and its way to the customer, and how the order's own state
//! follows from its parts and its returns.

use super::OrderState;
use serde::{Deserialize, Serialize};

/// One seller's part of an order, from confirmation to the customer's door.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FulfilmentState {
    /// Confirmed; the seller has not started on it.
    Pending,
    Processing,
    Packed,
    /// Handed to the carrier, with its tracking number.
    Shipped,
    InTransit,
    OutForDelivery,
    Delivered,
    /// The order was cancelled before this part shipped.
    Cancelled,
}

impl FulfilmentState {
    pub const ALL: [FulfilmentState; 8] = [
        Self::Pending,
        Self::Processing,
        Self::Packed,
        Self::Shipped,
        Self::InTransit,
        Self::OutForDelivery,
        Self::Delivered,
        Self::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Processing => "processing",
            Self::Packed => "packed",
            Self::Shipped => "shipped",
            Self::InTransit => "in_transit",
            Self::OutForDelivery => "out_for_delivery",
            Self::Delivered => "delivered",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.as_str() == s)
    }

    /// Packing is one step at a time; once shipped, a carrier may skip scans (a parcel can be
    /// delivered without ever being reported out for delivery), so the later steps go forward
    /// by any amount. Only a part that has not shipped can be cancelled.
    pub fn can(self, to: FulfilmentState) -> bool {
        use FulfilmentState::*;
        matches!(
            (self, to),
            (Pending, Processing | Cancelled)
                | (Processing, Packed | Cancelled)
                | (Packed, Shipped | Cancelled)
                | (Shipped, InTransit | OutForDelivery | Delivered)
                | (InTransit, OutForDelivery | Delivered)
                | (OutForDelivery, Delivered)
        )
    }

    /// Left the seller: in the carrier's hands or delivered.
    pub fn shipped(self) -> bool {
        matches!(self, Self::Shipped | Self::InTransit | Self::OutForDelivery | Delivered)
    }

    /// The order state this part alone would give the order.
    pub fn order_state(self) -> OrderState {
        match self {
            Self::Pending => OrderState::Confirmed,
            Self::Processing => OrderState::Processing,
            Self::Packed => OrderState::Packed,
            Self::Shipped => OrderState::Shipped,
            Self::InTransit => OrderState::InTransit,
            Self::OutForDelivery => OrderState::OutForDelivery,
            Self::Delivered => OrderState::Delivered,
            Self::Cancelled => OrderState::Cancelled,
        }
    }

    /// What a carrier's tracking status moves a shipped part to, if anything.
    pub fn from_tracking(status: &str) -> Option<Self> {
        match status {
            "in_transit" => Some(Self::InTransit),
            "out_for_delivery" => Some(Self::OutForDelivery),
            "delivered" => Some(Self::Delivered),
            _ => None,
        }
    }
}

use FulfilmentState::Delivered;

/// A return's way from the customer's request to the money back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReturnState {
    /// Asked for; waits for the seller's (or an admin's) decision.
    Requested,
    /// The goods may come back.
    Approved,
    Rejected,
    /// The goods arrived; the refund is under way.
    Received,
    /// The money went back.
    Refunded,
}

impl ReturnState {
    pub const ALL: [ReturnState; 5] = [Self::Requested, Self::Approved, Self::Rejected, Self::Received, Self::Refunded];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Requested => "requested",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Received => "received",
            Self::Refunded => "refunded",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.as_str() == s)
    }

    pub fn can(self, to: ReturnState) -> bool {
        use ReturnState::*;
        matches!((self, to), (Requested, Approved | Rejected) | (Approved, Received) | (Received, Refunded))
    }

    /// Still holds its units: a rejected return gives them back to be returned another time.
    pub fn holds_units(self) -> bool {
        self != Self::Rejected
    }
}

/// Where an order stands, from its parts and its returns.
///
/// Until every part is delivered, the order is as far as its least advanced part (a part
/// cancelled with the order does not count). Once all are delivered, its returns decide: one
/// waiting for a decision makes it `return_requested`, else one approved and not yet refunded
/// `return_approved`, else `refunded` when every unit came back and was refunded, else
/// `delivered`. `None` when there are no live parts (an order not yet confirmed, or cancelled).
pub fn order_state_derive(
    parts: &[FulfilmentState],
    returns: &[ReturnState],
    all_units_refunded: bool,
) -> Option<OrderState> {
    let least = parts.iter().copied().filter(|s| *s != FulfilmentState::Cancelled).min()?;
    if least != Delivered {
        return Some(least.order_state());
    }
    let state = if returns.contains(&ReturnState::Requested) {
        OrderState::ReturnRequested
    } else if returns.iter().any(|r| matches!(r, ReturnState::Approved | ReturnState::Received)) {
        OrderState::ReturnApproved
    } else if all_units_refunded {
        OrderState::Refunded
    } else {
        OrderState::Delivered
    };
    Some(state)
}

/// How far the parts have got, for "partly shipped" on the order page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ShipmentProgress {
    /// No part has shipped yet.
    Unshipped,
    PartlyShipped,
    Shipped,
    PartlyDelivered,
    Delivered,
}

pub fn shipment_progress(parts: &[FulfilmentState]) -> ShipmentProgress {
    let live: Vec<_> = parts.iter().copied().filter(|s| *s != FulfilmentState::Cancelled).collect();
    let shipped = live.iter().filter(|s| s.shipped()).count();
    let delivered = live.iter().filter(|s| **s == Delivered).count();
    match () {
        _ if live.is_empty() || shipped == 0 => ShipmentProgress::Unshipped,
        _ if delivered == live.len() => ShipmentProgress::Delivered,
        _ if delivered > 0 => ShipmentProgress::PartlyDelivered,
        _ if shipped == live.len() => ShipmentProgress::Shipped,
        _ => ShipmentProgress::PartlyShipped,
    }
}
