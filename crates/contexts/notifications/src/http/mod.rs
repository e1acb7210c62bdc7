//! HTTP face of notifications: the messages a person (or an admin) can read, sending a parked
//! one again, choices, the unsubscribe link a message carries, and push subscriptions.

mod push;

use crate::NotificationsService;
use crate::dto::*;
use axum::extract::{Path, State};
use axum::response::Html;
use kernel::Result;
use kernel::auth::{Admin, Principal};
use kernel::error::Problem;
use kernel::json::Json;
use kernel::page::Page;
use kernel::query::Query;
use std::sync::Arc;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub(crate) type Svc = State<Arc<NotificationsService>>;

pub fn router(service: Arc<NotificationsService>) -> OpenApiRouter {
    OpenApiRouter::new()
        .routes(routes!(message_list))
        .routes(routes!(message_get))
        .routes(routes!(message_retry))
        .routes(routes!(preferences_get, preferences_update))
        .routes(routes!(unsubscribe_page, unsubscribe))
        .routes(routes!(push::push_key))
        .routes(routes!(push::push_subscribe, push::push_subscription_list))
        .routes(routes!(push::push_subscription_delete))
        .with_state(service)
}

/// The caller's messages, newest first (admin: every message, narrowed by the filters). A
/// message with a secret link shows its body to its recipient only.
#[utoipa::path(get, path = "/notifications/messages", tag = "notifications", params(MessageQuery),
    security(("bearer" = ["notifications:read"]), ("api_key" = ["notifications:read"])),
    responses((status = 200, body = inline(Page<MessageDto>))))]
pub async fn message_list(
    p: Principal,
    State(svc): Svc,
    Query(q): Query<MessageQuery>,
) -> Result<Json<Page<MessageDto>>> {
    Ok(Json(svc.message_list(&p, q).await?))
}

/// One message and how its delivery went: state, attempts, the provider and its id.
#[utoipa::path(get, path = "/notifications/messages/{id}", tag = "notifications", params(("id" = String, Path)),
    security(("bearer" = ["notifications:read"]), ("api_key" = ["notifications:read"])),
    responses((status = 200, body = MessageDto), (status = 404, description = "`message_not_found`", body = Problem)))]
pub async fn message_get(p: Principal, State(svc): Svc, Path(id): Path<String>) -> Result<Json<MessageDto>> {
    Ok(Json(svc.message_get(&p, &id).await?))
}

/// Send a parked message again, its attempts counted afresh (admin).
#[utoipa::path(post, path = "/notifications/messages/{id}/retry", tag = "notifications", params(("id" = String, Path)),
    security(("bearer" = ["notifications:admin"]), ("api_key" = ["notifications:admin"])),
    responses((status = 200, body = MessageDto), (status = 404, description = "`message_not_found`", body = Problem),
    (status = 409, description = "`message_not_parked`, `message_unrendered`", body = Problem)))]
pub async fn message_retry(Admin(p): Admin, State(svc): Svc, Path(id): Path<String>) -> Result<Json<MessageDto>> {
    Ok(Json(svc.message_retry(&p, &id).await?))
}

/// Which kinds of message the caller gets on which channel, and their number for SMS.
#[utoipa::path(get, path = "/notifications/preferences", tag = "notifications",
    security(("bearer" = ["notifications:read"]), ("api_key" = ["notifications:read"])),
    responses((status = 200, body = PreferencesDto)))]
pub async fn preferences_get(p: Principal, State(svc): Svc) -> Result<Json<PreferencesDto>> {
    Ok(Json(svc.preferences_get(&p).await?))
}

/// Change the caller's choices; kinds left out keep theirs. Essential kinds (an account's
/// security, an order's money) cannot be turned off by e-mail.
#[utoipa::path(put, path = "/notifications/preferences", tag = "notifications", request_body = PreferencesInput,
    security(("bearer" = ["notifications:write"]), ("api_key" = ["notifications:write"])),
    responses((status = 200, body = PreferencesDto),
    (status = 422, description = "`notification_essential`, `validation_failed`", body = Problem)))]
pub async fn preferences_update(
    p: Principal,
    State(svc): Svc,
    Json(body): Json<PreferencesInput>,
) -> Result<Json<PreferencesDto>> {
    Ok(Json(svc.preferences_update(&p, body).await?))
}

/// The page a message's "stop these messages" link opens: one button, no sign-in.
#[utoipa::path(get, path = "/notifications/unsubscribe", tag = "notifications", params(UnsubscribeQuery),
    responses((status = 200, description = "A page with one button", content_type = "text/html", body = String),
    (status = 400, description = "`unsubscribe_token_invalid`", body = Problem)))]
pub async fn unsubscribe_page(State(svc): Svc, Query(q): Query<UnsubscribeQuery>) -> Result<Html<String>> {
    let what = svc.unsubscribe_check(&q.token)?;
    let token = form_escape(&q.token);
    Ok(Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width, initial-scale=1\"><title>Unsubscribe</title></head><body>\
         <main><h1>Stop these messages?</h1><p>You will no longer get “{}” messages by {}.</p>\
         <form method=\"post\" action=\"?token={token}\"><button type=\"submit\">Stop them</button></form>\
         </main></body></html>",
        what.kind.as_str().replace('_', " "),
        what.channel.as_str()
    )))
}

/// Stop the kind of message the link names, for the person it names (also the one-click
/// `List-Unsubscribe-Post` of RFC 8058). Repeating it changes nothing.
#[utoipa::path(post, path = "/notifications/unsubscribe", tag = "notifications", params(UnsubscribeQuery),
    responses((status = 200, body = UnsubscribedDto),
    (status = 400, description = "`unsubscribe_token_invalid`", body = Problem)))]
pub async fn unsubscribe(State(svc): Svc, Query(q): Query<UnsubscribeQuery>) -> Result<Json<UnsubscribedDto>> {
    Ok(Json(svc.unsubscribe(&q.token).await?))
}

/// Tokens are URL-safe base64 and dots; anything else is dropped rather than echoed.
fn form_escape(token: &str) -> String {
    token.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')).collect()
}
