//! The order's rules: its state machine, its number, the checkout saga's steps, its parts'
//! and returns' machines, and the refund arithmetic. No I/O.

mod fulfilment;
mod number;
pub mod refund;
mod state;
mod step;

pub use fulfilment::{FulfilmentState, ReturnState, ShipmentProgress, order_state_derive, shipment_progress};
pub use number::{number_normalise, order_number};
pub use state::OrderState;
pub use step::Step;

/// A guest's customer id, so that a guest's rows carry one like everyone else's.
pub fn guest_customer_id() -> String {
    kernel::id::new_id("gst")
}

/// A plausible e-mail address: something before and after one `@`, a dot in the domain, no
/// spaces; at most 254 characters. Deliverability is the notifications' business.
pub fn email_valid(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else { return false };
    email.len() <= 254
        && !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert!(email_valid("ann@example.com"));
        for bad in ["", "ann", "ann@", "@example.com", "ann@example", "a b@example.com", "a@b@c.com", "a@.com"] {
            assert!(!email_valid(bad), "{bad}");
        }
    }
}
