//! The built-in provider: test tokens with known outcomes, so a shop takes payments with zero
//! configuration and the suites can walk every path. It keeps no money and no state beyond
//! the transient failures it has already served.
//!
//! | token | outcome |
//! |---|---|
//! | `tok_sandbox_ok` (or any `tok_sandbox_…` not below) | authorized |
//! | `tok_sandbox_declined` | declined, `card_declined` |
//! | `tok_sandbox_insufficient_funds` | declined, `insufficient_funds` |
//! | `tok_sandbox_transient` | fails transiently on the first call for a key, then authorized |
//! | `tok_sandbox_3ds` | requires action; authorized once confirmed |
//! | `tok_sandbox_capture_refused` | authorized, but the capture is refused (an authorization that lapsed) |

use super::{AuthorizeCall, Gateway, GatewayError, GatewayResult, Money, Outcome};
use kernel::BoxFuture;
use std::collections::HashSet;
use std::sync::Mutex;

#[derive(Default)]
pub struct Sandbox {
    /// Keys whose one transient failure was served.
    failed_once: Mutex<HashSet<String>>,
}

const PREFIX: &str = "tok_sandbox_";

/// Authorizations whose capture the sandbox refuses carry this in their reference.
const NO_CAPTURE: &str = "sbx_nocapture_";

fn provider_ref(key: &str) -> String {
    format!("sbx_{key}")
}

impl Sandbox {
    fn decide(&self, call: &AuthorizeCall<'_>) -> Outcome {
        let provider_ref = provider_ref(call.key);
        match &call.token[PREFIX.len()..] {
            "declined" => Outcome::Declined { code: "card_declined", message: "The card was declined.".into() },
            "insufficient_funds" => {
                Outcome::Declined { code: "insufficient_funds", message: "The card has insufficient funds.".into() }
            }
            "3ds" => Outcome::RequiresAction {
                next_action: serde_json::json!({ "type": "sandbox_challenge", "confirm": "POST /api/v1/payments/{id}/confirm" }),
                provider_ref,
            },
            "capture_refused" => Outcome::Authorized { provider_ref: format!("{NO_CAPTURE}{}", call.key) },
            _ => Outcome::Authorized { provider_ref },
        }
    }
}

impl Gateway for Sandbox {
    fn name(&self) -> &'static str {
        "sandbox"
    }

    fn accepts(&self, token: &str) -> bool {
        token.len() > PREFIX.len() && token.starts_with(PREFIX)
    }

    fn authorize<'a>(&'a self, call: AuthorizeCall<'a>) -> BoxFuture<'a, GatewayResult<Outcome>> {
        Box::pin(async move {
            if call.token == "tok_sandbox_transient" {
                let mut failed = self.failed_once.lock().unwrap_or_else(|e| e.into_inner());
                if failed.insert(call.key.to_owned()) {
                    return Err(GatewayError::Transient("sandbox: simulated network failure".into()));
                }
            }
            Ok(self.decide(&call))
        })
    }

    fn confirm<'a>(&'a self, provider_ref: &'a str) -> BoxFuture<'a, GatewayResult<Outcome>> {
        Box::pin(async move { Ok(Outcome::Authorized { provider_ref: provider_ref.to_owned() }) })
    }

    fn lookup<'a>(&'a self, call: AuthorizeCall<'a>) -> BoxFuture<'a, GatewayResult<Option<Outcome>>> {
        // The sandbox decides by token alone, so it can always say what it decided.
        Box::pin(async move { Ok(Some(self.decide(&call))) })
    }

    fn capture<'a>(
        &'a self,
        provider_ref: &'a str,
        _money: Money<'a>,
        _key: &'a str,
    ) -> BoxFuture<'a, GatewayResult<String>> {
        Box::pin(async move {
            if provider_ref.starts_with(NO_CAPTURE) {
                return Err(GatewayError::Refused {
                    code: "payment_provider_refused",
                    message: "sandbox: the authorization lapsed before the capture".into(),
                });
            }
            Ok(provider_ref.to_owned())
        })
    }

    fn cancel<'a>(&'a self, _provider_ref: &'a str, _key: &'a str) -> BoxFuture<'a, GatewayResult<()>> {
        Box::pin(async { Ok(()) })
    }

    fn refund<'a>(
        &'a self,
        _provider_ref: &'a str,
        _money: Money<'a>,
        key: &'a str,
    ) -> BoxFuture<'a, GatewayResult<String>> {
        Box::pin(async move { Ok(format!("sbx_re_{key}")) })
    }
}
