//! Push to browsers that subscribed, by the Web Push protocol (RFC 8030): the message is
//! encrypted for the browser alone (RFC 8291, `aes128gcm` of RFC 8188), and the shop signs
//! each request with its VAPID key (RFC 8292) so the push service knows who is sending.
//! A 201 means the push service took it; a 404 or 410 means the browser unsubscribed, so the
//! subscription is dropped; 429 and 5xx heal by themselves.

use super::{Outgoing, SendFailure, Sender, http_failure};
use crate::settings::PushSettings;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use bytes::Bytes;
use http_body_util::Full;
use kernel::BoxFuture;
use outbound::target::{Target, Unreachable, target_resolve, url_parse};
use outbound::{Client, Endpoint};
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
use ring::{aead, agreement, hkdf};
use std::time::Duration;

/// The record size announced in the header; one record holds the whole message.
const RECORD_SIZE: u32 = 4096;
/// Plaintext that still fits one record: the record less the tag, the delimiter and the
/// header (salt, size, key id length, 65-byte key).
pub const PAYLOAD_MAX: usize = RECORD_SIZE as usize - 16 - 1 - 86;
/// How long a VAPID token is good for (RFC 8292 allows up to 24 hours).
const TOKEN_LIFETIME: Duration = Duration::from_secs(12 * 3600);

/// Where a push goes: the browser's subscription, as its `PushSubscription.toJSON()` gave it.
#[derive(Debug, Clone)]
pub struct PushTarget {
    pub endpoint: String,
    /// The browser's P-256 public key, uncompressed (65 bytes).
    pub p256dh: Vec<u8>,
    /// The browser's 16-byte authentication secret.
    pub auth: Vec<u8>,
}

/// The shop's VAPID key pair (application server key), kept as PKCS#8 in the data dir.
pub struct Vapid {
    pair: EcdsaKeyPair,
}

impl Vapid {
    /// A new key, as base64url PKCS#8 for its file.
    pub fn generate() -> Result<String, String> {
        let doc = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &SystemRandom::new())
            .map_err(|_| "cannot generate a VAPID key".to_owned())?;
        Ok(B64.encode(doc.as_ref()))
    }

    /// The key from its file's text.
    pub fn parse(text: &str) -> Result<Self, String> {
        let der = B64.decode(text.trim()).map_err(|_| "the VAPID key file is not base64url".to_owned())?;
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &der, &SystemRandom::new())
            .map_err(|_| "the VAPID key file is not a P-256 PKCS#8 key".to_owned())?;
        Ok(Self { pair })
    }

    /// The public key browsers subscribe with (`applicationServerKey`), base64url.
    pub fn public_key(&self) -> String {
        B64.encode(self.pair.public_key().as_ref())
    }

    /// `vapid t=<ES256 JWT>, k=<public key>` for a push service at `audience` (its origin).
    pub fn authorization(&self, audience: &str, subject: &str, now_secs: i64) -> Result<String, String> {
        let header = B64.encode(br#"{"typ":"JWT","alg":"ES256"}"#);
        let exp = now_secs + TOKEN_LIFETIME.as_secs() as i64;
        let claims = B64.encode(serde_json::json!({"aud": audience, "exp": exp, "sub": subject}).to_string());
        let signed = format!("{header}.{claims}");
        let signature = self
            .pair
            .sign(&SystemRandom::new(), signed.as_bytes())
            .map_err(|_| "cannot sign the VAPID token".to_owned())?;
        Ok(format!("vapid t={signed}.{}, k={}", B64.encode(signature.as_ref()), self.public_key()))
    }
}

/// Whether `p256dh` and `auth` are keys a browser could have made: a point on P-256 (tried
/// by an agreement with a throwaway key) and 16 bytes.
pub fn keys_valid(p256dh: &[u8], auth: &[u8]) -> bool {
    let rng = SystemRandom::new();
    let Ok(ours) = agreement::EphemeralPrivateKey::generate(&agreement::ECDH_P256, &rng) else { return false };
    auth.len() == 16
        && p256dh.len() == 65
        && agreement::agree_ephemeral(ours, &agreement::UnparsedPublicKey::new(&agreement::ECDH_P256, p256dh), |_| ())
            .is_ok()
}

/// The body for the browser: `plaintext` encrypted with a fresh key pair and salt.
pub fn encrypt(target: &PushTarget, plaintext: &[u8]) -> Result<Vec<u8>, String> {
    if plaintext.len() > PAYLOAD_MAX {
        return Err(format!("the payload is {} bytes; a push holds at most {PAYLOAD_MAX}", plaintext.len()));
    }
    let rng = SystemRandom::new();
    let ours = agreement::EphemeralPrivateKey::generate(&agreement::ECDH_P256, &rng).map_err(|_| "no randomness")?;
    let as_public = ours.compute_public_key().map_err(|_| "no public key")?.as_ref().to_vec();
    let peer = agreement::UnparsedPublicKey::new(&agreement::ECDH_P256, &target.p256dh);
    let secret = agreement::agree_ephemeral(ours, &peer, <[u8]>::to_vec)
        .map_err(|_| "the subscription's key is not a P-256 point".to_owned())?;
    let mut salt = [0u8; 16];
    rng.fill(&mut salt).map_err(|_| "no randomness")?;
    encrypt_with(&secret, &target.p256dh, &as_public, &target.auth, &salt, plaintext)
}

/// RFC 8291 §3.4 from the shared secret on: what `encrypt` does once the key agreement and
/// the salt are settled (apart so that the RFC's example can check it).
pub fn encrypt_with(
    ecdh_secret: &[u8],
    ua_public: &[u8],
    as_public: &[u8],
    auth: &[u8],
    salt: &[u8; 16],
    plaintext: &[u8],
) -> Result<Vec<u8>, String> {
    let key_info = [b"WebPush: info\0".as_slice(), ua_public, as_public].concat();
    let ikm: [u8; 32] = expand(&hkdf::Salt::new(hkdf::HKDF_SHA256, auth).extract(ecdh_secret), &key_info)?;
    let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, salt).extract(&ikm);
    let cek: [u8; 16] = expand(&prk, b"Content-Encoding: aes128gcm\0")?;
    let nonce: [u8; 12] = expand(&prk, b"Content-Encoding: nonce\0")?;
    let key = aead::LessSafeKey::new(aead::UnboundKey::new(&aead::AES_128_GCM, &cek).map_err(|_| "bad key")?);
    // One record, so it is the last: its padding delimiter is 2 (RFC 8188 §2).
    let mut record = [plaintext, &[2u8]].concat();
    key.seal_in_place_append_tag(aead::Nonce::assume_unique_for_key(nonce), aead::Aad::empty(), &mut record)
        .map_err(|_| "cannot encrypt".to_owned())?;
    let id_len = u8::try_from(as_public.len()).map_err(|_| "key too long")?;
    Ok([salt.as_slice(), &RECORD_SIZE.to_be_bytes(), &[id_len], as_public, &record].concat())
}

struct Len(usize);

impl hkdf::KeyType for Len {
    fn len(&self) -> usize {
        self.0
    }
}

fn expand<const N: usize>(prk: &hkdf::Prk, info: &[u8]) -> Result<[u8; N], String> {
    let mut out = [0u8; N];
    let infos = [info];
    prk.expand(&infos, Len(N)).and_then(|okm| okm.fill(&mut out)).map_err(|_| "HKDF failed".to_owned())?;
    Ok(out)
}

/// The sender: one request per message, to the address its endpoint resolves to now.
pub struct WebPush {
    vapid: Vapid,
    subject: String,
    ttl: u32,
    allow_http: bool,
    allow_private: bool,
}

impl WebPush {
    pub fn new(s: &PushSettings, vapid: Vapid) -> Self {
        Self {
            vapid,
            subject: s.subject.clone(),
            ttl: s.ttl_seconds,
            allow_http: s.allow_http,
            allow_private: s.allow_private,
        }
    }

    async fn post(&self, target: &PushTarget, body: Vec<u8>) -> Result<String, SendFailure> {
        // Judged again at each send: the endpoint came from a browser, and DNS may have moved.
        let url =
            url_parse(&target.endpoint, self.allow_http).map_err(|why| SendFailure::gone(format!("endpoint {why}")))?;
        let address = target_resolve(&url, self.allow_private).await.map_err(|e| match e {
            Unreachable::Forbidden(why) => SendFailure::gone(format!("endpoint forbidden: {why}")),
            Unreachable::Unresolved(why) => SendFailure::retry(why),
        })?;
        let auth = self
            .vapid
            .authorization(&origin(&url), &self.subject, kernel::time::Timestamp::now().as_secs())
            .map_err(SendFailure::retry)?;
        let client = Client::new(Endpoint { host: url.host.clone(), port: url.port, tls: url.tls }, None)
            .map_err(SendFailure::retry)?
            .connect_to(address)
            .body_limit(2048);
        let request = hyper::Request::post(url.path.as_str())
            .header("host", client.endpoint().host_header())
            .header("authorization", auth)
            .header("ttl", self.ttl.to_string())
            .header("urgency", "normal")
            .header("content-encoding", "aes128gcm")
            .header("content-type", "application/octet-stream")
            .header("user-agent", "oxcart")
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| SendFailure::permanent(e.to_string()))?;
        let answer = client
            .send(request, Duration::from_secs(5), Duration::from_secs(20))
            .await
            .map_err(|e| SendFailure::retry(format!("push service: {e}")))?;
        let excerpt = String::from_utf8_lossy(&answer.body[..answer.body.len().min(200)]).into_owned();
        match answer.status {
            200..=299 => Ok(answer.header("location").unwrap_or("accepted").to_owned()),
            404 | 410 => Err(SendFailure::gone(format!("push service answered {}: unsubscribed", answer.status))),
            status => Err(http_failure("push service", status, answer.header("retry-after"), excerpt)),
        }
    }
}

impl Sender for WebPush {
    fn provider(&self) -> &'static str {
        "webpush"
    }

    fn send<'a>(&'a self, m: &'a Outgoing) -> BoxFuture<'a, Result<String, SendFailure>> {
        Box::pin(async move {
            let target = m.push.as_ref().ok_or_else(|| SendFailure::gone("the subscription was removed"))?;
            let body = encrypt(target, m.text.as_bytes()).map_err(SendFailure::permanent)?;
            self.post(target, body).await
        })
    }
}

/// `https://host[:port]`, the audience a push service expects in the token.
fn origin(t: &Target) -> String {
    let scheme = if t.tls { "https" } else { "http" };
    let default = if t.tls { 443 } else { 80 };
    if t.port == default { format!("{scheme}://{}", t.host) } else { format!("{scheme}://{}:{}", t.host, t.port) }
}

#[cfg(test)]
mod tests;
