//! HTTP face of the users context: thin handlers that extract, call the service, and answer.

mod account;
mod admin;
mod auth;

use crate::UsersService;
use axum::Extension;
use axum::extract::DefaultBodyLimit;
use kernel::body::BodyLimit;
use std::sync::Arc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Sign-in bodies are tiny; a larger one is an attack or a mistake.
const AUTH_BODY_LIMIT: usize = 16 * 1024;

pub fn router(service: Arc<UsersService>) -> OpenApiRouter {
    let auth = OpenApiRouter::new()
        .routes(routes!(auth::register))
        .routes(routes!(auth::login))
        .routes(routes!(auth::refresh))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::password_forgot))
        .routes(routes!(auth::password_reset))
        .routes(routes!(auth::email_verify))
        .routes(routes!(account::password_change))
        .layer(DefaultBodyLimit::max(AUTH_BODY_LIMIT))
        .layer(Extension(BodyLimit(AUTH_BODY_LIMIT)));
    OpenApiRouter::new()
        .merge(auth)
        .routes(routes!(account::profile_get, account::profile_update))
        .routes(routes!(account::email_verification_send))
        .routes(routes!(account::address_list, account::address_create))
        .routes(routes!(account::address_update, account::address_delete))
        .routes(routes!(account::seller_profile_get, account::seller_apply))
        .routes(routes!(account::api_key_list, account::api_key_create))
        .routes(routes!(account::api_key_revoke))
        .routes(routes!(admin::user_list))
        .routes(routes!(admin::user_get))
        .routes(routes!(admin::user_role_set))
        .routes(routes!(admin::user_disable))
        .routes(routes!(admin::user_enable))
        .routes(routes!(admin::seller_list))
        .routes(routes!(admin::seller_approve))
        .routes(routes!(admin::seller_reject))
        .with_state(service)
}
