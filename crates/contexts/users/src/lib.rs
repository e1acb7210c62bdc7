//! The users context: accounts and authentication (passwords, access and refresh tokens, API
//! keys), profiles, addresses, seller profiles and roles.
//!
//! Other contexts reach it through [`UsersService`] (in process) and the events in [`events`];
//! the HTTP API is [`router`].

mod credentials;
pub mod domain;
pub mod dto;
pub mod events;
mod http;
mod service;
mod store;
mod throttle;

pub use http::router;
pub use service::{ClientInfo, UsersConfig, UsersService};

use kernel::BoxFuture;
use kernel::auth::{Authenticate, Credentials, Principal};

pub const MIGRATIONS: &[::store::Migration] = &[::store::Migration {
    context: "users",
    version: 1,
    name: "users",
    sql: include_str!("../migrations/0001_users.sql"),
    postgres: None,
}];

impl Authenticate for UsersService {
    fn authenticate<'a>(&'a self, credentials: Credentials<'a>) -> BoxFuture<'a, kernel::Result<Principal>> {
        Box::pin(UsersService::authenticate(self, credentials))
    }
}

/// The users context's problem codes, for the API reference.
pub const PROBLEMS: &[(&str, &str)] = &[
    ("email_taken", "An account with this e-mail address exists."),
    ("invalid_login", "The e-mail address or the password is wrong (the answer does not say which)."),
    ("invalid_refresh_token", "The refresh token is unknown."),
    ("refresh_token_reused", "A used refresh token was presented again; its session has been ended."),
    ("invalid_api_key", "The API key is unknown, revoked, or its account is disabled."),
    ("user_not_found", "No such user."),
    ("address_not_found", "No such address among the caller's."),
    ("address_limit", "The account has the most addresses it may keep."),
    ("seller_profile_not_found", "No seller profile for this user."),
    ("application_pending", "A seller application is already waiting for a decision."),
    ("already_seller", "The user is a seller already."),
    ("cannot_change_self", "Admins cannot change their own role or access."),
    ("api_key_not_found", "No such API key among the caller's."),
    ("api_key_limit", "The account has the most active API keys it may keep."),
];
