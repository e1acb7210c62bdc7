//! What the users API accepts and returns. Request bodies refuse unknown fields, so a client
//! cannot slip in `role` or `id` (mass assignment).

use crate::store::{AccountRow, AddressRow, ApiKeyRow, SellerRow};
use kernel::auth::{Role, ScopeName};
use kernel::time::Timestamp;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    #[schema(
        example = "ann@example.com",
        pattern = r#"^[^\s@"(),:;<>\[\\\]\x00-\x1f\x7f-\x9f]{1,64}@[A-Za-z0-9]+(?:[.-][A-Za-z0-9]+)*\.[A-Za-z0-9]+$"#,
        max_length = 254
    )]
    pub email: String,
    /// 8 to 128 characters; very common passwords are refused.
    #[schema(min_length = 8, max_length = 128)]
    pub password: String,
    #[serde(default)]
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f]*$", max_length = 100)]
    pub name: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenPair {
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    pub access_token: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// Single use: each refresh returns a new one. Replaying a used one ends the session.
    pub refresh_token: String,
    pub refresh_expires_in: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuthResponse {
    pub user: UserDto,
    pub tokens: TokenPair,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserDto {
    pub id: String,
    pub email: String,
    pub name: String,
    pub phone: Option<String>,
    pub role: Role,
    pub disabled: bool,
    /// Whether the owner proved they read mail at `email` (a verification or reset link).
    pub email_verified: bool,
    pub created_at: Timestamp,
}

impl From<AccountRow> for UserDto {
    fn from(r: AccountRow) -> Self {
        Self {
            role: Role::parse(&r.role).unwrap_or(Role::Customer),
            id: r.id,
            email: r.email,
            name: r.name,
            phone: r.phone,
            disabled: r.disabled_at.is_some(),
            email_verified: r.email_verified_at.is_some(),
            created_at: Timestamp::from_micros(r.created_at),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordForgot {
    #[schema(
        example = "ann@example.com",
        pattern = r#"^[^\s@"(),:;<>\[\\\]\x00-\x1f\x7f-\x9f]{1,64}@[A-Za-z0-9]+(?:[.-][A-Za-z0-9]+)*\.[A-Za-z0-9]+$"#,
        max_length = 254
    )]
    pub email: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordReset {
    /// The token from the reset link (43 characters).
    #[schema(max_length = 128)]
    pub token: String,
    /// 8 to 128 characters; very common passwords are refused.
    #[schema(min_length = 8, max_length = 128)]
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailVerify {
    /// The token from the verification link (43 characters).
    #[schema(max_length = 128)]
    pub token: String,
}

/// The request was taken; what follows happens by e-mail.
#[derive(Debug, Serialize, ToSchema)]
pub struct Accepted {
    #[schema(example = "accepted")]
    pub status: &'static str,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileUpdate {
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f]*$", max_length = 100)]
    pub name: Option<String>,
    /// An empty string removes the phone number.
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f]*$", max_length = 32)]
    pub phone: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    /// 8 to 128 characters; very common passwords are refused.
    #[schema(min_length = 8, max_length = 128)]
    pub new_password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressInput {
    /// Recipient.
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$", max_length = 100)]
    pub name: String,
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$", max_length = 200)]
    pub line1: String,
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f]*$", max_length = 200)]
    pub line2: Option<String>,
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$", max_length = 100)]
    pub city: String,
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f]*$", max_length = 100)]
    pub region: Option<String>,
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$", max_length = 16)]
    pub postal_code: String,
    /// ISO 3166-1 alpha-2 country code.
    #[schema(example = "DE", pattern = r"^\s*[A-Za-z]{2}\s*$")]
    pub country: String,
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f]*$", max_length = 32)]
    pub phone: Option<String>,
    /// Makes this the default shipping address (the first address always is).
    #[serde(default)]
    pub is_default_shipping: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AddressDto {
    pub id: String,
    pub name: String,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub region: Option<String>,
    pub postal_code: String,
    pub country: String,
    pub phone: Option<String>,
    pub is_default_shipping: bool,
    pub created_at: Timestamp,
}

impl From<AddressRow> for AddressDto {
    fn from(a: AddressRow) -> Self {
        Self {
            id: a.id,
            name: a.name,
            line1: a.line1,
            line2: a.line2,
            city: a.city,
            region: a.region,
            postal_code: a.postal_code,
            country: a.country,
            phone: a.phone,
            is_default_shipping: a.is_default_shipping,
            created_at: Timestamp::from_micros(a.created_at),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SellerApplication {
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$", max_length = 80)]
    pub store_name: String,
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$", max_length = 2000)]
    pub description: String,
    #[schema(
        pattern = r#"^[^\s@"(),:;<>\[\\\]\x00-\x1f\x7f-\x9f]{1,64}@[A-Za-z0-9]+(?:[.-][A-Za-z0-9]+)*\.[A-Za-z0-9]+$"#,
        max_length = 254
    )]
    pub contact_email: String,
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f]*$", max_length = 32)]
    pub contact_phone: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SellerProfileDto {
    pub user_id: String,
    pub store_name: String,
    pub description: String,
    pub contact_email: String,
    pub contact_phone: Option<String>,
    /// `pending`, `approved` or `rejected`.
    pub status: String,
    pub decided_at: Option<Timestamp>,
    pub created_at: Timestamp,
}

impl From<SellerRow> for SellerProfileDto {
    fn from(s: SellerRow) -> Self {
        Self {
            user_id: s.user_id,
            store_name: s.store_name,
            description: s.description,
            contact_email: s.contact_email,
            contact_phone: s.contact_phone,
            status: s.status,
            decided_at: s.decided_at.map(Timestamp::from_micros),
            created_at: Timestamp::from_micros(s.created_at),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiKeyCreate {
    #[schema(pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$", max_length = 100)]
    pub name: String,
    /// At least one; only scopes the caller's role may hold.
    #[schema(min_items = 1, value_type = Vec<ScopeName>)]
    pub scopes: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKeyDto {
    pub id: String,
    pub name: String,
    #[schema(value_type = Vec<ScopeName>)]
    pub scopes: Vec<String>,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

impl From<ApiKeyRow> for ApiKeyDto {
    fn from(k: ApiKeyRow) -> Self {
        Self {
            id: k.id,
            name: k.name,
            scopes: k.scopes.split(' ').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
            created_at: Timestamp::from_micros(k.created_at),
            last_used_at: k.last_used_at.map(Timestamp::from_micros),
            revoked_at: k.revoked_at.map(Timestamp::from_micros),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKeyCreated {
    pub key: ApiKeyDto,
    /// Send as `X-Api-Key`. Shown this once only; it is stored hashed.
    pub secret: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleChange {
    pub role: Role,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Text to find in e-mail or name.
    #[param(max_length = 100)]
    pub q: Option<String>,
    pub role: Option<Role>,
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    #[param(pattern = r"^[a-z]{1,8}_[0-9A-HJKMNP-TV-Z]{26}$")]
    pub cursor: Option<String>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SellerQuery {
    /// `pending`, `approved` or `rejected`.
    #[param(pattern = "^(pending|approved|rejected)$")]
    pub status: Option<String>,
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    #[param(pattern = r"^[a-z]{1,8}_[0-9A-HJKMNP-TV-Z]{26}$")]
    pub cursor: Option<String>,
}
