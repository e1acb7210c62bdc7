//! The provider behind payments: a trait every adapter speaks (the built-in sandbox now,
//! Stripe and PayPal next), in the provider's terms of intents, captures and refunds.

mod paypal;
mod sandbox;
mod stripe;

pub use outbound::Endpoint;
pub use paypal::{Paypal, PaypalConfig, paypal_amount, paypal_minor};
pub use sandbox::Sandbox;
pub use stripe::{STRIPE_VERSION, Stripe, StripeConfig};

use kernel::BoxFuture;

/// What the provider decided about an authorization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The money is held; `provider_ref` names it at the provider from now on.
    Authorized { provider_ref: String },
    /// The customer must act first (a challenge page): `next_action` tells the client what.
    RequiresAction { provider_ref: String, next_action: serde_json::Value },
    /// Refused for good: our stable code (`card_declined`, `insufficient_funds`…).
    Declined { code: &'static str, message: String },
}

/// A call that did not get a decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GatewayError {
    /// The provider could not answer now (timeout, 5xx, rate limit): asking again with the
    /// same idempotency key is safe.
    Transient(String),
    /// The provider refused the call itself (a capture of a voided intent…): our code.
    Refused { code: &'static str, message: String },
}

/// One authorization as the provider is asked for it.
#[derive(Debug, Clone)]
pub struct AuthorizeCall<'a> {
    pub amount: i64,
    pub currency: &'a str,
    /// The payment-method token the provider's client side made.
    pub token: &'a str,
    /// Sent as the provider's idempotency key: the same key never charges twice.
    pub key: &'a str,
}

pub type GatewayResult<T> = Result<T, GatewayError>;

/// PayPal's transmission headers of one webhook delivery.
#[derive(Debug, Clone, Default)]
pub struct WebhookHeaders {
    pub auth_algo: String,
    pub cert_url: String,
    pub transmission_id: String,
    pub transmission_sig: String,
    pub transmission_time: String,
}

/// An amount in minor units of `currency`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Money<'a> {
    pub amount: i64,
    pub currency: &'a str,
}

pub trait Gateway: Send + Sync + 'static {
    /// The provider's name, stored with each payment (`sandbox`, `stripe`).
    fn name(&self) -> &'static str;
    /// Whether `token` is one of this provider's payment-method tokens.
    fn accepts(&self, token: &str) -> bool;
    fn authorize<'a>(&'a self, call: AuthorizeCall<'a>) -> BoxFuture<'a, GatewayResult<Outcome>>;
    /// After the customer's action: the provider's decision now.
    fn confirm<'a>(&'a self, provider_ref: &'a str) -> BoxFuture<'a, GatewayResult<Outcome>>;
    /// What the provider knows of the authorization asked with `key`, when our record of its
    /// answer was lost; `None` when it never saw the call.
    fn lookup<'a>(&'a self, call: AuthorizeCall<'a>) -> BoxFuture<'a, GatewayResult<Option<Outcome>>>;
    /// Takes `amount`; returns the reference refunds are made against (the capture's own at a
    /// provider that has one, else `provider_ref`).
    fn capture<'a>(
        &'a self,
        provider_ref: &'a str,
        money: Money<'a>,
        key: &'a str,
    ) -> BoxFuture<'a, GatewayResult<String>>;
    fn cancel<'a>(&'a self, provider_ref: &'a str, key: &'a str) -> BoxFuture<'a, GatewayResult<()>>;
    /// Whether the provider vouches for a webhook delivery (PayPal checks its own signatures
    /// remotely; a provider that signs with a shared secret is checked locally instead).
    fn webhook_verify<'a>(
        &'a self,
        _headers: &'a WebhookHeaders,
        _event: &'a serde_json::Value,
    ) -> BoxFuture<'a, GatewayResult<bool>> {
        Box::pin(async { Ok(false) })
    }
    /// A card-setup intent for the provider's own card field in a checkout page: the client
    /// secret the field confirms the card against, which leaves the page holding a
    /// payment-method token, never the card. `key` is the provider's idempotency key.
    fn card_setup<'a>(&'a self, _key: &'a str) -> BoxFuture<'a, GatewayResult<String>> {
        Box::pin(async {
            Err(GatewayError::Refused {
                code: "provider_invalid_request",
                message: "this provider has no card field".into(),
            })
        })
    }
    /// Returns the provider's reference of the refund.
    fn refund<'a>(
        &'a self,
        provider_ref: &'a str,
        money: Money<'a>,
        key: &'a str,
    ) -> BoxFuture<'a, GatewayResult<String>>;
}
