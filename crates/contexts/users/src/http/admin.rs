use crate::UsersService;
use crate::dto::{RoleChange, SellerProfileDto, SellerQuery, UserDto, UserQuery};
use axum::extract::{Path, State};
use kernel::Result;
use kernel::auth::Admin;
use kernel::error::Problem;
use kernel::json::Json;
use kernel::page::Page;
use kernel::query::Query;
use std::sync::Arc;

type Svc = State<Arc<UsersService>>;

/// Search users by e-mail or name, and by role.
#[utoipa::path(get, path = "/admin/users", tag = "admin", params(UserQuery), security(("bearer" = ["users:read"]), ("api_key" = ["users:read"])), responses(
    (status = 200, body = Page<UserDto>), (status = 403, body = Problem),
))]
pub async fn user_list(Admin(p): Admin, State(svc): Svc, Query(q): Query<UserQuery>) -> Result<Json<Page<UserDto>>> {
    Ok(Json(svc.user_list(&p, q).await?))
}

/// One user.
#[utoipa::path(get, path = "/admin/users/{id}", tag = "admin", params(("id" = String, Path)), security(("bearer" = ["users:read"]), ("api_key" = ["users:read"])), responses(
    (status = 200, body = UserDto), (status = 404, body = Problem),
))]
pub async fn user_get(Admin(p): Admin, State(svc): Svc, Path(id): Path<String>) -> Result<Json<UserDto>> {
    Ok(Json(svc.user_get(&p, &id).await?))
}

/// Change a user's role. The change applies to their very next request.
#[utoipa::path(put, path = "/admin/users/{id}/role", tag = "admin", request_body = RoleChange, params(("id" = String, Path)),
    security(("bearer" = ["users:write"]), ("api_key" = ["users:write"])), responses(
    (status = 200, body = UserDto), (status = 404, body = Problem), (status = 409, description = "`cannot_change_self`", body = Problem),
))]
pub async fn user_role_set(
    Admin(p): Admin,
    State(svc): Svc,
    Path(id): Path<String>,
    Json(body): Json<RoleChange>,
) -> Result<Json<UserDto>> {
    Ok(Json(svc.user_role_set(&p, &id, body.role).await?))
}

/// Disable a user: their sessions and API keys stop working at once.
#[utoipa::path(post, path = "/admin/users/{id}/disable", tag = "admin", params(("id" = String, Path)),
    security(("bearer" = ["users:write"]), ("api_key" = ["users:write"])), responses(
    (status = 200, body = UserDto), (status = 404, body = Problem), (status = 409, body = Problem),
))]
pub async fn user_disable(Admin(p): Admin, State(svc): Svc, Path(id): Path<String>) -> Result<Json<UserDto>> {
    Ok(Json(svc.user_access_set(&p, &id, true).await?))
}

/// Enable a disabled user again (they log in anew).
#[utoipa::path(post, path = "/admin/users/{id}/enable", tag = "admin", params(("id" = String, Path)),
    security(("bearer" = ["users:write"]), ("api_key" = ["users:write"])), responses(
    (status = 200, body = UserDto), (status = 404, body = Problem),
))]
pub async fn user_enable(Admin(p): Admin, State(svc): Svc, Path(id): Path<String>) -> Result<Json<UserDto>> {
    Ok(Json(svc.user_access_set(&p, &id, false).await?))
}

/// Seller profiles, by status (e.g. the applications waiting for a decision).
#[utoipa::path(get, path = "/admin/sellers", tag = "admin", params(SellerQuery), security(("bearer" = ["users:read"]), ("api_key" = ["users:read"])), responses(
    (status = 200, body = Page<SellerProfileDto>),
))]
pub async fn seller_list(
    Admin(p): Admin,
    State(svc): Svc,
    Query(q): Query<SellerQuery>,
) -> Result<Json<Page<SellerProfileDto>>> {
    Ok(Json(svc.seller_list(&p, q).await?))
}

/// Approve a seller application; the applicant becomes a seller.
#[utoipa::path(post, path = "/admin/sellers/{user_id}/approve", tag = "admin", params(("user_id" = String, Path)),
    security(("bearer" = ["users:write"]), ("api_key" = ["users:write"])), responses(
    (status = 200, body = SellerProfileDto), (status = 404, body = Problem),
))]
pub async fn seller_approve(
    Admin(p): Admin,
    State(svc): Svc,
    Path(user_id): Path<String>,
) -> Result<Json<SellerProfileDto>> {
    Ok(Json(svc.seller_approve(&p, &user_id).await?))
}

/// Reject a seller application.
#[utoipa::path(post, path = "/admin/sellers/{user_id}/reject", tag = "admin", params(("user_id" = String, Path)),
    security(("bearer" = ["users:write"]), ("api_key" = ["users:write"])), responses(
    (status = 200, body = SellerProfileDto), (status = 404, body = Problem),
))]
pub async fn seller_reject(
    Admin(p): Admin,
    State(svc): Svc,
    Path(user_id): Path<String>,
) -> Result<Json<SellerProfileDto>> {
    Ok(Json(svc.seller_reject(&p, &user_id).await?))
}
