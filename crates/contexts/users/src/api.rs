//! The users context's contract: what other contexts and the edge may rely on. Callers
//! authenticate through [`kernel::auth::Authenticate`] (implemented by the service); the events
//! it publishes are in [`events`]; its error codes and API-key scopes are below.

pub mod events;

use kernel::ErrorKind::*;
use kernel::auth::{Role, Scope};
use kernel::error::ErrorCode;
use kernel::{BoxFuture, Result};

/// How to reach a customer, for an order placed while signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub email: String,
    pub name: String,
}

/// What other contexts may read about an account.
pub trait Customers: Send + Sync + 'static {
    /// The account's contact details; `None` for an unknown or disabled account.
    fn customer_contact<'a>(&'a self, user_id: &'a str) -> BoxFuture<'a, Result<Option<Contact>>>;
}

pub const ACCOUNT_READ: Scope =
    Scope::new("account:read", Role::Customer, "Read the caller's account, addresses and keys.");
pub const ACCOUNT_WRITE: Scope =
    Scope::new("account:write", Role::Customer, "Change the caller's account, addresses, keys and seller profile.");
pub const USERS_READ: Scope = Scope::new("users:read", Role::Admin, "Read every account and seller profile (admin).");
pub const USERS_WRITE: Scope =
    Scope::new("users:write", Role::Admin, "Change roles, access and seller applications (admin).");

pub const SCOPES: &[Scope] = &[ACCOUNT_READ, ACCOUNT_WRITE, USERS_READ, USERS_WRITE];

/// Every error code the users context answers, with its kind and meaning.
pub const ERRORS: &[ErrorCode] = &[
    ErrorCode::new("email_taken", Conflict, "An account with this e-mail address exists."),
    ErrorCode::new(
        "invalid_login",
        Unauthenticated,
        "The e-mail address or the password is wrong (the answer does not say which).",
    ),
    ErrorCode::new("invalid_refresh_token", Unauthenticated, "The refresh token is unknown."),
    ErrorCode::new(
        "refresh_token_reused",
        Unauthenticated,
        "A used refresh token was presented again; its session has been ended.",
    ),
    ErrorCode::new("invalid_api_key", Unauthenticated, "The API key is unknown, revoked, or its account is disabled."),
    ErrorCode::new("user_not_found", NotFound, "No such user."),
    ErrorCode::new("address_not_found", NotFound, "No such address among the caller's."),
    ErrorCode::new("address_limit", Conflict, "The account has the most addresses it may keep."),
    ErrorCode::new("seller_profile_not_found", NotFound, "No seller profile for this user."),
    ErrorCode::new("application_pending", Conflict, "A seller application is already waiting for a decision."),
    ErrorCode::new("already_seller", Conflict, "The user is a seller already."),
    ErrorCode::new("cannot_change_self", Conflict, "Admins cannot change their own role or access."),
    ErrorCode::new("api_key_not_found", NotFound, "No such API key among the caller's."),
    ErrorCode::new("api_key_limit", Conflict, "The account has the most active API keys it may keep."),
];
