use crate::UsersService;
use crate::dto::{
    Accepted, AddressDto, AddressInput, ApiKeyCreate, ApiKeyCreated, ApiKeyDto, PasswordChange, ProfileUpdate,
    SellerApplication, SellerProfileDto, UserDto,
};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use kernel::Result;
use kernel::auth::Principal;
use kernel::error::Problem;
use kernel::json::Json;
use std::sync::Arc;

type Svc = State<Arc<UsersService>>;

/// The caller's profile.
#[utoipa::path(get, path = "/me", tag = "account", security(("bearer" = ["account:read"]), ("api_key" = ["account:read"])), responses(
    (status = 200, body = UserDto), (status = 401, body = Problem),
))]
pub async fn profile_get(p: Principal, State(svc): Svc) -> Result<Json<UserDto>> {
    Ok(Json(svc.profile_get(&p).await?))
}

/// Update name or phone.
#[utoipa::path(patch, path = "/me", tag = "account", request_body = ProfileUpdate, security(("bearer" = ["account:write"]), ("api_key" = ["account:write"])), responses(
    (status = 200, body = UserDto), (status = 422, body = Problem),
))]
pub async fn profile_update(p: Principal, State(svc): Svc, Json(body): Json<ProfileUpdate>) -> Result<Json<UserDto>> {
    Ok(Json(svc.profile_update(&p, body).await?))
}

/// Change the password; every other session ends.
#[utoipa::path(put, path = "/me/password", tag = "account", security(("bearer" = [])), request_body = PasswordChange, security(("bearer" = [])), responses(
    (status = 204, description = "Changed"), (status = 422, description = "`validation_failed`", body = Problem),
))]
pub async fn password_change(p: Principal, State(svc): Svc, Json(body): Json<PasswordChange>) -> Result<StatusCode> {
    svc.password_change(&p, body).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Mail a new verification link to the caller's address.
///
/// Three times in 15 minutes at most (429 with `Retry-After`).
#[utoipa::path(post, path = "/me/email/verification", tag = "account", security(("bearer" = ["account:write"]), ("api_key" = ["account:write"])), responses(
    (status = 202, body = Accepted),
    (status = 409, description = "`email_already_verified`", body = Problem),
    (status = 429, description = "`rate_limited`", body = Problem),
))]
pub async fn email_verification_send(p: Principal, State(svc): Svc) -> Result<(StatusCode, Json<Accepted>)> {
    svc.email_verification_send(&p).await?;
    Ok((StatusCode::ACCEPTED, Json(Accepted { status: "accepted" })))
}

/// The caller's addresses, oldest first.
#[utoipa::path(get, path = "/me/addresses", tag = "account", security(("bearer" = ["account:read"]), ("api_key" = ["account:read"])), responses(
    (status = 200, body = Vec<AddressDto>),
))]
pub async fn address_list(p: Principal, State(svc): Svc) -> Result<Json<Vec<AddressDto>>> {
    Ok(Json(svc.address_list(&p).await?))
}

/// Add an address. The first one becomes the default shipping address.
#[utoipa::path(post, path = "/me/addresses", tag = "account", request_body = AddressInput, security(("bearer" = ["account:write"]), ("api_key" = ["account:write"])), responses(
    (status = 201, body = AddressDto), (status = 422, body = Problem),
))]
pub async fn address_create(
    p: Principal,
    State(svc): Svc,
    Json(body): Json<AddressInput>,
) -> Result<(StatusCode, Json<AddressDto>)> {
    Ok((StatusCode::CREATED, Json(svc.address_create(&p, body).await?)))
}

/// Replace an address.
#[utoipa::path(put, path = "/me/addresses/{id}", tag = "account", request_body = AddressInput, params(("id" = String, Path)),
    security(("bearer" = ["account:write"]), ("api_key" = ["account:write"])), responses(
    (status = 200, body = AddressDto), (status = 404, body = Problem), (status = 422, body = Problem),
))]
pub async fn address_update(
    p: Principal,
    State(svc): Svc,
    Path(id): Path<String>,
    Json(body): Json<AddressInput>,
) -> Result<Json<AddressDto>> {
    Ok(Json(svc.address_update(&p, &id, body).await?))
}

/// Delete an address.
#[utoipa::path(delete, path = "/me/addresses/{id}", tag = "account", params(("id" = String, Path)),
    security(("bearer" = ["account:write"]), ("api_key" = ["account:write"])), responses(
    (status = 204, description = "Deleted"), (status = 404, body = Problem),
))]
pub async fn address_delete(p: Principal, State(svc): Svc, Path(id): Path<String>) -> Result<StatusCode> {
    svc.address_delete(&p, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's seller profile and its status.
#[utoipa::path(get, path = "/me/seller-profile", tag = "account", security(("bearer" = ["account:read"]), ("api_key" = ["account:read"])), responses(
    (status = 200, body = SellerProfileDto), (status = 404, body = Problem),
))]
pub async fn seller_profile_get(p: Principal, State(svc): Svc) -> Result<Json<SellerProfileDto>> {
    Ok(Json(svc.seller_profile_get(&p).await?))
}

/// Apply to become a seller; an admin approves or rejects.
#[utoipa::path(post, path = "/me/seller-profile", tag = "account", request_body = SellerApplication,
    security(("bearer" = ["account:write"]), ("api_key" = ["account:write"])), responses(
    (status = 201, body = SellerProfileDto),
    (status = 409, description = "`application_pending` or `already_seller`", body = Problem),
))]
pub async fn seller_apply(
    p: Principal,
    State(svc): Svc,
    Json(body): Json<SellerApplication>,
) -> Result<(StatusCode, Json<SellerProfileDto>)> {
    Ok((StatusCode::CREATED, Json(svc.seller_apply(&p, body).await?)))
}

/// The caller's API keys (never their secrets).
#[utoipa::path(get, path = "/me/api-keys", tag = "account", security(("bearer" = ["account:read"]), ("api_key" = ["account:read"])), responses(
    (status = 200, body = Vec<ApiKeyDto>),
))]
pub async fn api_key_list(p: Principal, State(svc): Svc) -> Result<Json<Vec<ApiKeyDto>>> {
    Ok(Json(svc.api_key_list(&p).await?))
}

/// Create an API key. The secret is in this answer only.
#[utoipa::path(post, path = "/me/api-keys", tag = "account", security(("bearer" = [])), request_body = ApiKeyCreate, security(("bearer" = [])), responses(
    (status = 201, body = ApiKeyCreated), (status = 422, body = Problem),
))]
pub async fn api_key_create(
    p: Principal,
    State(svc): Svc,
    Json(body): Json<ApiKeyCreate>,
) -> Result<(StatusCode, Json<ApiKeyCreated>)> {
    Ok((StatusCode::CREATED, Json(svc.api_key_create(&p, body).await?)))
}

/// Revoke an API key; it stops working at once.
#[utoipa::path(delete, path = "/me/api-keys/{id}", tag = "account", params(("id" = String, Path)),
    security(("bearer" = ["account:write"]), ("api_key" = ["account:write"])), responses(
    (status = 204, description = "Revoked"), (status = 404, body = Problem),
))]
pub async fn api_key_revoke(p: Principal, State(svc): Svc, Path(id): Path<String>) -> Result<StatusCode> {
    svc.api_key_revoke(&p, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
