//! The notifications context's contract. Nobody calls it but the edge: it listens to the
//! other contexts' events, and answers the users context's [`users::api::AccountNotices`]
//! (verification and reset links, which never travel in an event). Its error codes and
//! API-key scopes are below.

use kernel::ErrorKind::*;
use kernel::auth::{Role, Scope};
use kernel::error::ErrorCode;

pub const NOTIFICATIONS_READ: Scope = Scope::new(
    "notifications:read",
    Role::Customer,
    "Read the caller's messages and message preferences (admin: every message).",
);
pub const NOTIFICATIONS_WRITE: Scope =
    Scope::new("notifications:write", Role::Customer, "Choose which messages the caller receives, and how.");
pub const NOTIFICATIONS_ADMIN: Scope =
    Scope::new("notifications:admin", Role::Admin, "Send parked messages again (admin).");

pub const SCOPES: &[Scope] = &[NOTIFICATIONS_READ, NOTIFICATIONS_WRITE, NOTIFICATIONS_ADMIN];

pub const ERRORS: &[ErrorCode] = &[
    ErrorCode::new("message_not_found", NotFound, "No such message among those the caller may see."),
    ErrorCode::new("message_not_parked", Conflict, "Only a parked message can be sent again."),
    ErrorCode::new("message_unrendered", Conflict, "The message did not render (see `last_error`); nothing to send."),
    ErrorCode::new(
        "notification_essential",
        Invalid,
        "This kind of message (an account's security, an order's money) cannot be turned off by e-mail.",
    ),
    ErrorCode::new("unsubscribe_token_invalid", BadRequest, "The unsubscribe link is not one this shop made."),
    ErrorCode::new("push_endpoint_invalid", Invalid, "The push endpoint is not an https:// URL whose host resolves."),
    ErrorCode::new(
        "push_endpoint_forbidden",
        Invalid,
        "The push endpoint resolves to a loopback, private or reserved address.",
    ),
    ErrorCode::new("push_keys_invalid", Invalid, "The subscription's keys are not a P-256 point and a 16-byte secret."),
    ErrorCode::new("push_subscription_limit", Conflict, "The account has subscribed as many browsers as it may."),
    ErrorCode::new("push_subscription_not_found", NotFound, "No such push subscription of the caller's."),
];
