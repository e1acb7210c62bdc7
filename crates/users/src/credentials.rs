//! Secrets at rest and on the wire: password hashes, access tokens, refresh tokens, API keys.

use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm as JwtAlg, DecodingKey, EncodingKey, Header, Validation};
use kernel::Error;
use kernel::time::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// OWASP's minimum for Argon2id: 19 MiB, two passes, one lane.
const ARGON2_M_KIB: u32 = 19_456;
const ARGON2_T: u32 = 2;
const ARGON2_P: u32 = 1;

/// Argon2id hashing off the async runtime, at most two at a time so that a burst of logins
/// cannot take every core and all memory.
#[derive(Clone)]
pub struct PasswordHashing {
    permits: Arc<Semaphore>,
    /// Verified against when the account does not exist, so both cases take as long.
    dummy_hash: Arc<str>,
}

fn argon2() -> Argon2<'static> {
    let params = Params::new(ARGON2_M_KIB, ARGON2_T, ARGON2_P, None).expect("static argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

impl PasswordHashing {
    pub fn new(concurrency: usize) -> Self {
        let dummy = URL_SAFE_NO_PAD.encode(kernel::id::random_bytes::<16>());
        let dummy_hash = argon2().hash_password(dummy.as_bytes()).expect("hashing works").to_string();
        Self { permits: Arc::new(Semaphore::new(concurrency.max(1))), dummy_hash: dummy_hash.into() }
    }

    pub async fn hash(&self, password: &str) -> Result<String, Error> {
        let _permit = self.permits.acquire().await.map_err(Error::internal)?;
        let password = password.to_owned();
        tokio::task::spawn_blocking(move || argon2().hash_password(password.as_bytes()).map(|h| h.to_string()))
            .await
            .map_err(Error::internal)?
            .map_err(|e| Error::internal(e.to_string()))
    }

    /// True when `password` matches `hash`; with no hash, spends the same time and says false.
    pub async fn verify(&self, password: &str, hash: Option<&str>) -> Result<bool, Error> {
        let _permit = self.permits.acquire().await.map_err(Error::internal)?;
        let known = hash.is_some();
        let hash = hash.map_or_else(|| self.dummy_hash.to_string(), str::to_owned);
        let password = password.to_owned();
        let ok =
            tokio::task::spawn_blocking(move || argon2().verify_password(password.as_bytes(), hash.as_str()).is_ok())
                .await
                .map_err(Error::internal)?;
        Ok(known && ok)
    }

    /// True when `hash` was made with weaker parameters than today's, so login should rehash it.
    pub fn needs_rehash(hash: &str) -> bool {
        !hash.contains(&format!("m={ARGON2_M_KIB},t={ARGON2_T},p={ARGON2_P}"))
    }
}

/// SHA-256 of a high-entropy secret, hex. Fit for random tokens, never for passwords.
pub fn secret_hash(secret: &str) -> String {
    Sha256::digest(secret.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// 256 random bits, URL-safe.
pub fn random_secret() -> String {
    URL_SAFE_NO_PAD.encode(kernel::id::random_bytes::<32>())
}

pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

const ISSUER: &str = "oxcart";
const AUDIENCE: &str = "oxcart-api";
/// RFC 9068's media type for access tokens; a token of any other kind is refused.
const TOKEN_TYPE: &str = "at+jwt";

#[derive(Debug, Serialize, Deserialize)]
pub struct AccessClaims {
    pub iss: String,
    pub aud: String,
    pub sub: String,
    /// The session the token belongs to: logout or disabling revokes it at once.
    pub sid: String,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
}

/// Signs and checks access tokens (HS256 with a server-held key of 256 bits or more).
#[derive(Clone)]
pub struct AccessTokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    pub ttl: Duration,
}

impl AccessTokens {
    pub fn new(secret: &[u8], ttl: Duration) -> Self {
        let mut validation = Validation::new(JwtAlg::HS256);
        validation.algorithms = vec![JwtAlg::HS256];
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
        validation.validate_nbf = true;
        validation.leeway = 60;
        Self { encoding: EncodingKey::from_secret(secret), decoding: DecodingKey::from_secret(secret), validation, ttl }
    }

    pub fn issue(&self, user_id: &str, session_id: &str) -> Result<String, Error> {
        let now = Timestamp::now().as_secs();
        let claims = AccessClaims {
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            sub: user_id.into(),
            sid: session_id.into(),
            iat: now,
            nbf: now,
            exp: now + self.ttl.as_secs() as i64,
        };
        let mut header = Header::new(JwtAlg::HS256);
        header.typ = Some(TOKEN_TYPE.into());
        jsonwebtoken::encode(&header, &claims, &self.encoding).map_err(Error::internal)
    }

    /// The claims of a genuine, current access token; 401 for anything else.
    pub fn verify(&self, token: &str) -> Result<AccessClaims, Error> {
        let invalid = || Error::unauthenticated("invalid_token", "The access token is invalid or expired.");
        let header = jsonwebtoken::decode_header(token).map_err(|_| invalid())?;
        if header.alg != JwtAlg::HS256 || header.typ.as_deref() != Some(TOKEN_TYPE) {
            return Err(invalid());
        }
        jsonwebtoken::decode::<AccessClaims>(token, &self.decoding, &self.validation)
            .map(|d| d.claims)
            .map_err(|_| invalid())
    }
}

/// An API key as shown once to its owner: `oxk_<id>.<secret>`.
pub fn api_key_token(key_id: &str, secret: &str) -> String {
    format!("{key_id}.{secret}")
}

/// Splits a presented API key into its id and secret.
pub fn api_key_parts(token: &str) -> Option<(&str, &str)> {
    let (id, secret) = token.split_once('.')?;
    (kernel::id::is_valid("oxk", id) && secret.len() >= 32).then_some((id, secret))
}

/// Refresh tokens are opaque: `ort_<secret>`, stored as their hash.
pub fn refresh_token() -> String {
    format!("ort_{}", random_secret())
}
