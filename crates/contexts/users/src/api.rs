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

/// A staff member's contact, for messages to every admin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffContact {
    pub user_id: String,
    pub email: String,
    pub name: String,
}

/// What other contexts may read about an account.
pub trait Customers: Send + Sync + 'static {
    /// The account's contact details; `None` for an unknown or disabled account.
    fn customer_contact<'a>(&'a self, user_id: &'a str) -> BoxFuture<'a, Result<Option<Contact>>>;

    /// Enabled accounts holding exactly `role`, oldest first, at most 200.
    fn staff_contacts<'a>(&'a self, role: Role) -> BoxFuture<'a, Result<Vec<StaffContact>>>;
}

/// What an account message is about; the users context asks for it to be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountNoticeKind {
    EmailVerification,
    PasswordReset,
    PasswordChanged,
}

impl AccountNoticeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::EmailVerification => "email_verification",
            Self::PasswordReset => "password_reset",
            Self::PasswordChanged => "password_changed",
        }
    }
}

/// A message to one account's address. `token` is the secret of the link (verification, reset),
/// given only here, never in an event or a log.
#[derive(Clone)]
pub struct AccountNotice {
    pub user_id: String,
    pub email: String,
    pub name: String,
    pub kind: AccountNoticeKind,
    pub token: Option<String>,
    pub expires_at: Option<kernel::time::Timestamp>,
}

/// Written by hand so that logging a notice can never print the link's secret.
impl std::fmt::Debug for AccountNotice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountNotice")
            .field("user_id", &self.user_id)
            .field("email", &self.email)
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("token", &self.token.as_ref().map(|_| "***"))
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// Sends account messages; implemented by a higher context and handed to the users service
/// after both are built (`UsersService::account_notices_set`).
pub trait AccountNotices: Send + Sync + 'static {
    fn account_notice_send<'a>(&'a self, notice: &'a AccountNotice) -> BoxFuture<'a, Result<()>>;
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
    ErrorCode::new("reset_token_invalid", BadRequest, "The password reset token is unknown, expired or already used."),
    ErrorCode::new("verify_token_invalid", BadRequest, "The verification token is unknown, expired or already used."),
    ErrorCode::new("email_already_verified", Conflict, "The account's e-mail address is verified already."),
];
