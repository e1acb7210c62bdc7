use crate::UsersService;
use crate::dto::{
    Accepted, AuthResponse, EmailVerify, LoginRequest, PasswordForgot, PasswordReset, RefreshRequest, RegisterRequest,
    TokenPair,
};
use crate::service::ClientInfo;
use axum::extract::State;
use axum::http::StatusCode;
use kernel::Result;
use kernel::auth::{ClientIp, Principal};
use kernel::error::Problem;
use kernel::json::Json;
use std::sync::Arc;

/// Register a customer account and log in.
#[utoipa::path(post, path = "/auth/register", tag = "auth", request_body = RegisterRequest, responses(
    (status = 201, body = AuthResponse),
    (status = 409, description = "`email_taken`", body = Problem),
    (status = 422, description = "`validation_failed`, naming the fields", body = Problem),
))]
pub async fn register(
    State(svc): State<Arc<UsersService>>,
    Json(body): Json<RegisterRequest>,
) -> Result<(StatusCode, Json<AuthResponse>)> {
    Ok((StatusCode::CREATED, Json(svc.register(body).await?)))
}

/// Log in with e-mail and password.
///
/// A wrong e-mail and a wrong password get the same answer. Repeated failures slow the account
/// and the client address down (429 with `Retry-After`).
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginRequest, responses(
    (status = 200, body = AuthResponse),
    (status = 401, description = "`invalid_login`", body = Problem),
    (status = 429, description = "`rate_limited`", body = Problem),
))]
pub async fn login(
    State(svc): State<Arc<UsersService>>,
    ClientIp(ip): ClientIp,
    Json(body): Json<LoginRequest>,
) -> Result<Json<AuthResponse>> {
    Ok(Json(svc.login(body, &ClientInfo { ip }).await?))
}

/// Swap a refresh token for a new token pair.
///
/// Each refresh token works once. Presenting a used one ends its whole session.
#[utoipa::path(post, path = "/auth/refresh", tag = "auth", request_body = RefreshRequest, responses(
    (status = 200, body = TokenPair),
    (status = 401, description = "`invalid_refresh_token`, `refresh_token_reused` or `session_ended`", body = Problem),
))]
pub async fn refresh(
    State(svc): State<Arc<UsersService>>,
    Json(body): Json<RefreshRequest>,
) -> Result<Json<TokenPair>> {
    Ok(Json(svc.refresh(&body.refresh_token).await?))
}

/// End the current session; its access and refresh tokens stop working at once.
#[utoipa::path(post, path = "/auth/logout", tag = "auth", security(("bearer" = [])), security(("bearer" = [])), responses(
    (status = 204, description = "Logged out"),
    (status = 401, body = Problem),
))]
pub async fn logout(principal: Principal, State(svc): State<Arc<UsersService>>) -> Result<StatusCode> {
    svc.logout(&principal).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ask for a password reset link by e-mail.
///
/// The answer is the same whether an account has the address or not. Each address may ask
/// three times and each client twenty times in 15 minutes (429 with `Retry-After`).
#[utoipa::path(post, path = "/auth/password/forgot", tag = "auth", request_body = PasswordForgot, responses(
    (status = 202, body = Accepted),
    (status = 422, description = "`validation_failed`", body = Problem),
    (status = 429, description = "`rate_limited`", body = Problem),
))]
pub async fn password_forgot(
    State(svc): State<Arc<UsersService>>,
    ClientIp(ip): ClientIp,
    Json(body): Json<PasswordForgot>,
) -> Result<(StatusCode, Json<Accepted>)> {
    svc.password_forgot(body, &ClientInfo { ip }).await?;
    Ok((StatusCode::ACCEPTED, Json(Accepted { status: "accepted" })))
}

/// Set a new password with the token of a reset link.
///
/// The token works once. Every session of the account ends.
#[utoipa::path(post, path = "/auth/password/reset", tag = "auth", request_body = PasswordReset, responses(
    (status = 204, description = "Password set; log in with it"),
    (status = 400, description = "`reset_token_invalid`", body = Problem),
    (status = 422, description = "`validation_failed`", body = Problem),
))]
pub async fn password_reset(
    State(svc): State<Arc<UsersService>>,
    Json(body): Json<PasswordReset>,
) -> Result<StatusCode> {
    svc.password_reset(body).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Verify the account's e-mail address with the token of a verification link.
#[utoipa::path(post, path = "/auth/email/verify", tag = "auth", request_body = EmailVerify, responses(
    (status = 204, description = "Verified"),
    (status = 400, description = "`verify_token_invalid`", body = Problem),
))]
pub async fn email_verify(State(svc): State<Arc<UsersService>>, Json(body): Json<EmailVerify>) -> Result<StatusCode> {
    svc.email_verify(body).await?;
    Ok(StatusCode::NO_CONTENT)
}
