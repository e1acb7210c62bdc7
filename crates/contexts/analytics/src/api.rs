//! The analytics context's contract: its scope and its error table. No other context calls it;
//! it listens to order and payment events.

use kernel::ErrorKind::*;
use kernel::auth::{Role, Scope};
use kernel::error::ErrorCode;

pub const ANALYTICS_READ: Scope = Scope::new(
    "analytics:read",
    Role::Seller,
    "Read sales reports: a seller's own, an admin's of the whole shop or of any seller.",
);

pub const SCOPES: &[Scope] = &[ANALYTICS_READ];

pub const ERRORS: &[ErrorCode] = &[ErrorCode::new(
    "analytics_range_invalid",
    BadRequest,
    "`since` or `until` is not an RFC 3339 time, `since` is not before `until`, or the range holds more than \
     744 buckets (31 days by the hour, about two years by the day).",
)];
