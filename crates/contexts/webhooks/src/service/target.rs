//! An endpoint's URL as registration judges it (shape, then every address its host
//! resolves to), with webhooks' own error codes; each attempt judges it again through
//! `outbound::target` and connects to the very address judged.

use kernel::{Error, ErrorKind, FieldError, Result};
use outbound::target::{Target, Unreachable, target_resolve, url_parse};

/// A URL's shape checked, as registration takes it: 422 `webhook_url_invalid` otherwise.
pub fn url_check(raw: &str, allow_http: bool) -> Result<Target> {
    url_parse(raw, allow_http).map_err(|why| url_error("webhook_url_invalid", &why))
}

/// A URL's host resolved and judged, as registration takes it.
pub async fn url_reachable(target: &Target, allow_private: bool) -> Result<()> {
    match target_resolve(target, allow_private).await {
        Ok(_) => Ok(()),
        Err(Unreachable::Unresolved(why)) => Err(url_error("webhook_url_invalid", &why)),
        Err(Unreachable::Forbidden(why)) => Err(url_error("webhook_url_forbidden", &why)),
    }
}

fn url_error(code: &'static str, why: &str) -> Error {
    let detail = if code == "webhook_url_forbidden" {
        "Webhooks may not reach this address."
    } else {
        "The URL is not one webhooks can be sent to."
    };
    Error::new(ErrorKind::Invalid, code, detail)
        .with_errors(vec![FieldError { field: "url".into(), message: why.to_owned() }])
}
