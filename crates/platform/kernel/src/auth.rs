//! Who is calling: roles, API-key scopes and the [`Principal`] extractor.
//!
//! The extractor only reads the credentials; checking them is the users context's job, reached
//! through the [`Authenticate`] trait that the application puts in the request extensions. That
//! keeps every context free to guard its handlers without depending on the users context.

use crate::BoxFuture;
use crate::error::{Error, Result};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Customer,
    Seller,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Customer => "customer",
            Self::Seller => "seller",
            Self::Admin => "admin",
        }
    }

    /// True when this role has every power of `min` (admin ⊇ seller ⊇ customer).
    pub fn at_least(self, min: Role) -> bool {
        let rank = |r: Role| match r {
            Role::Customer => 0,
            Role::Seller => 1,
            Role::Admin => 2,
        };
        rank(self) >= rank(min)
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "customer" => Some(Self::Customer),
            "seller" => Some(Self::Seller),
            "admin" => Some(Self::Admin),
            _ => None,
        }
    }
}

/// What an API key may do. A session (JWT) carries every scope its role allows.
///
/// Each context declares the scopes it checks (`<context>::api::SCOPES`); the application
/// gathers them, so the platform names none itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Scope {
    name: &'static str,
    min_role: Role,
    meaning: &'static str,
}

impl Scope {
    pub const fn new(name: &'static str, min_role: Role, meaning: &'static str) -> Self {
        Self { name, min_role, meaning }
    }

    pub fn as_str(self) -> &'static str {
        self.name
    }

    /// The least role that may hold this scope.
    pub fn min_role(self) -> Role {
        self.min_role
    }

    pub fn meaning(self) -> &'static str {
        self.meaning
    }
}

/// A scope's name as the API document shows it: a string, whose allowed values the
/// application fills in from the scopes its contexts declare.
#[derive(utoipa::ToSchema)]
#[schema(as = Scope)]
pub struct ScopeName(pub String);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthMethod {
    /// An access token of a login session.
    Session { session_id: String },
    /// An integration's API key, limited to its scopes (by name, as stored with the key).
    ApiKey { key_id: String, scopes: Vec<String> },
}

/// An authenticated caller, with the role it has *now* (not when its token was issued).
#[derive(Debug, Clone)]
pub struct Principal {
    pub user_id: String,
    pub role: Role,
    pub method: AuthMethod,
}

impl Principal {
    /// 403 unless the caller has one of `roles`.
    pub fn require_role(&self, roles: &[Role]) -> Result<()> {
        if roles.contains(&self.role) { Ok(()) } else { Err(Error::forbidden("Your role may not do this.")) }
    }

    /// 403 unless the caller may use `scope`: sessions by role, API keys by their scopes.
    pub fn require_scope(&self, scope: Scope) -> Result<()> {
        let role_ok = self.role.at_least(scope.min_role());
        let key_ok = match &self.method {
            AuthMethod::Session { .. } => true,
            AuthMethod::ApiKey { scopes, .. } => scopes.iter().any(|s| s == scope.as_str()),
        };
        if !role_ok {
            Err(Error::forbidden("Your role may not do this."))
        } else if !key_ok {
            Err(Error::new(
                crate::ErrorKind::Forbidden,
                "insufficient_scope",
                format!("This API key lacks the `{}` scope.", scope.as_str()),
            ))
        } else {
            Ok(())
        }
    }

    pub fn require_session(&self) -> Result<&str> {
        match &self.method {
            AuthMethod::Session { session_id } => Ok(session_id),
            AuthMethod::ApiKey { .. } => Err(Error::forbidden("This needs a login session, not an API key.")),
        }
    }
}

/// Credentials as presented; not yet checked.
#[derive(Debug, Clone, Copy)]
pub enum Credentials<'a> {
    Bearer(&'a str),
    ApiKey(&'a str),
}

pub trait Authenticate: Send + Sync {
    fn authenticate<'a>(&'a self, credentials: Credentials<'a>) -> BoxFuture<'a, Result<Principal>>;
}

/// The authenticator, as the application places it in request extensions.
#[derive(Clone)]
pub struct Authenticator(pub Arc<dyn Authenticate>);

pub fn credentials(headers: &HeaderMap) -> Result<Option<Credentials<'_>>> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let value = value.to_str().map_err(|_| bad_credentials())?;
        let (scheme, token) = value.split_once(' ').ok_or_else(bad_credentials)?;
        if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
            return Err(bad_credentials());
        }
        return Ok(Some(Credentials::Bearer(token.trim())));
    }
    if let Some(value) = headers.get("x-api-key") {
        let key = value.to_str().map_err(|_| bad_credentials())?;
        return Ok(Some(Credentials::ApiKey(key.trim())));
    }
    Ok(None)
}

fn bad_credentials() -> Error {
    Error::unauthenticated("invalid_credentials", "The credentials are malformed.")
}

impl<S: Send + Sync> FromRequestParts<S> for Principal {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        if let Some(principal) = parts.extensions.get::<Principal>() {
            return Ok(principal.clone());
        }
        let credentials = credentials(&parts.headers)?
            .ok_or_else(|| Error::unauthenticated("unauthenticated", "This needs a bearer token or an API key."))?;
        let authenticator = parts
            .extensions
            .get::<Authenticator>()
            .cloned()
            .ok_or_else(|| Error::internal("no authenticator installed"))?;
        let principal = authenticator.0.authenticate(credentials).await?;
        crate::origin::set_actor(&principal);
        parts.extensions.insert(principal.clone());
        Ok(principal)
    }
}

/// `Option<Principal>`: anonymous callers are `None`; credentials that are present but wrong are
/// still a 401, so that a broken client notices instead of silently browsing anonymously.
impl<S: Send + Sync> axum::extract::OptionalFromRequestParts<S> for Principal {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Option<Self>, Self::Rejection> {
        if parts.extensions.get::<Principal>().is_none() && credentials(&parts.headers)?.is_none() {
            return Ok(None);
        }
        <Principal as FromRequestParts<S>>::from_request_parts(parts, state).await.map(Some)
    }
}

/// The client's address as the server saw the connection. `X-Forwarded-For` is not trusted.
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map_or_else(|| "unknown".to_owned(), |c| c.0.ip().to_string());
        Ok(Self(ip))
    }
}

/// An authenticated admin. As an extractor it answers 401/403 before the body is even read;
/// services check the role again.
#[derive(Debug, Clone)]
pub struct Admin(pub Principal);

impl<S: Send + Sync> FromRequestParts<S> for Admin {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let principal = Principal::from_request_parts(parts, state).await?;
        principal.require_role(&[Role::Admin])?;
        Ok(Self(principal))
    }
}
