//! Secrets at rest and on the wire: password hashes, access tokens, refresh tokens, API keys.

use argon2::{Algorithm, Argon2, Block, Params, PasswordVerifier, Version};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
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

/// Argon2id hashing on a fixed pool of threads, each reusing one 19 MiB work area. A burst of
/// logins can neither take every core nor grow memory: allocating the work area per hash let
/// glibc keep the freed areas, and resident memory passed 450 MB under a login load.
#[derive(Clone)]
pub struct PasswordHashing {
    permits: Arc<Semaphore>,
    jobs: std::sync::mpsc::Sender<Job>,
    /// Verified against when the account does not exist, so both cases take as long.
    dummy_hash: Arc<str>,
}

type Job = Box<dyn FnOnce(&mut [Block]) + Send>;

fn params() -> Params {
    Params::new(ARGON2_M_KIB, ARGON2_T, ARGON2_P, None).expect("static argon2 parameters are valid")
}

fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params())
}

/// The PHC string's parameter segment for today's parameters.
fn phc_params() -> String {
    format!("m={ARGON2_M_KIB},t={ARGON2_T},p={ARGON2_P}")
}

/// Hashes into a PHC string (`$argon2id$v=19$m=…$salt$hash`) using the caller's work area.
fn hash_with(memory: &mut [Block], password: &[u8]) -> Result<String, argon2::Error> {
    let salt = kernel::id::random_bytes::<16>();
    let mut out = [0u8; 32];
    argon2().hash_password_into_with_memory(password, &salt, &mut out, memory)?;
    Ok(format!("$argon2id$v=19${}${}${}", phc_params(), STANDARD_NO_PAD.encode(salt), STANDARD_NO_PAD.encode(out)))
}

/// Checks a password against a PHC string. Hashes with today's parameters reuse the work area;
/// any other (older) hash goes through the library's own verifier.
fn verify_with(memory: &mut [Block], password: &[u8], phc: &str) -> bool {
    let parts: Vec<&str> = phc.split('$').collect();
    let ours = parts.len() == 6 && parts[1] == "argon2id" && parts[2] == "v=19" && parts[3] == phc_params();
    if !ours {
        return argon2().verify_password(password, phc).is_ok();
    }
    let (Ok(salt), Ok(expected)) = (STANDARD_NO_PAD.decode(parts[4]), STANDARD_NO_PAD.decode(parts[5])) else {
        return false;
    };
    let mut out = vec![0u8; expected.len()];
    argon2().hash_password_into_with_memory(password, &salt, &mut out, memory).is_ok()
        && out.iter().zip(&expected).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

impl PasswordHashing {
    pub fn new(threads: usize) -> Self {
        let threads = threads.max(1);
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        let queue = Arc::new(std::sync::Mutex::new(queue));
        for i in 0..threads {
            let queue = queue.clone();
            let spawned = std::thread::Builder::new().name(format!("password-hash-{i}")).spawn(move || {
                let mut memory = vec![Block::default(); params().block_count()];
                loop {
                    let job = match queue.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(job) => job(&mut memory),
                        Err(_) => return,
                    }
                }
            });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "cannot start a password hashing thread");
            }
        }
        let mut memory = vec![Block::default(); params().block_count()];
        let dummy = kernel::id::random_bytes::<16>();
        let dummy_hash = hash_with(&mut memory, &dummy).expect("hashing works");
        Self { permits: Arc::new(Semaphore::new(threads)), jobs, dummy_hash: dummy_hash.into() }
    }

    /// Runs `work` on the pool. Callers wait for a permit here, where waiting can be cancelled,
    /// so the queue never holds more jobs than there are threads.
    async fn run<T: Send + 'static>(&self, work: impl FnOnce(&mut [Block]) -> T + Send + 'static) -> Result<T, Error> {
        let _permit = self.permits.acquire().await.map_err(Error::internal)?;
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.jobs
            .send(Box::new(move |memory: &mut [Block]| {
                let _ = tx.send(work(memory));
            }))
            .map_err(|_| Error::internal("password hashing pool stopped"))?;
        rx.await.map_err(|_| Error::internal("password hashing job lost"))
    }

    pub async fn hash(&self, password: &str) -> Result<String, Error> {
        let password = password.to_owned();
        self.run(move |memory| hash_with(memory, password.as_bytes()))
            .await?
            .map_err(|e| Error::internal(e.to_string()))
    }

    /// True when `password` matches `hash`; with no hash, spends the same time and says false.
    pub async fn verify(&self, password: &str, hash: Option<&str>) -> Result<bool, Error> {
        let known = hash.is_some();
        let hash = hash.map_or_else(|| self.dummy_hash.to_string(), str::to_owned);
        let password = password.to_owned();
        let ok = self.run(move |memory| verify_with(memory, password.as_bytes(), &hash)).await?;
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
        let claims = jsonwebtoken::decode::<AccessClaims>(token, &self.decoding, &self.validation)
            .map(|d| d.claims)
            .map_err(|_| invalid())?;
        // A token living longer than this server issues (signed by a leaked key, or under an
        // older, longer setting) is refused, whatever its signature.
        let lifetime = claims.exp.saturating_sub(claims.iat.min(claims.nbf));
        if lifetime > self.ttl.as_secs() as i64 + self.validation.leeway as i64 {
            return Err(invalid());
        }
        Ok(claims)
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

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::PasswordHasher;

    #[test]
    fn our_hashes_are_standard_phc_and_old_ones_still_verify() {
        let mut memory = vec![Block::default(); params().block_count()];
        let ours = hash_with(&mut memory, b"correct horse").expect("hash");
        assert!(ours.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{ours}");
        assert!(argon2().verify_password(b"correct horse", ours.as_str()).is_ok(), "the library reads our format");
        assert!(verify_with(&mut memory, b"correct horse", &ours));
        assert!(!verify_with(&mut memory, b"wrong horse", &ours));
        assert!(!PasswordHashing::needs_rehash(&ours));

        let weaker = Params::new(8192, 1, 1, None).expect("params");
        let old = Argon2::new(Algorithm::Argon2id, Version::V0x13, weaker)
            .hash_password(b"correct horse")
            .expect("hash")
            .to_string();
        assert!(verify_with(&mut memory, b"correct horse", &old), "older parameters still verify");
        assert!(PasswordHashing::needs_rehash(&old));
        assert!(!verify_with(&mut memory, b"correct horse", "$argon2id$garbage"));
    }
}
