//! The audit context's contract: its scope and its error table. No other context calls it; it
//! listens to the events of financial and admin actions ([`crate::record::AUDITED`]).

use kernel::ErrorKind::*;
use kernel::auth::{Role, Scope};
use kernel::error::ErrorCode;

pub const AUDIT_READ: Scope =
    Scope::new("audit:read", Role::Admin, "Read and export the audit log of financial and admin actions.");

pub const SCOPES: &[Scope] = &[AUDIT_READ];

pub const ERRORS: &[ErrorCode] = &[ErrorCode::new(
    "audit_filter_invalid",
    BadRequest,
    "A filter of the audit log is malformed: `action` is not an action name or `prefix.*`, or `since`/`until` \
     is not an RFC 3339 time.",
)];
