//! SMS through Twilio's Messages API: `POST /2010-04-01/Accounts/{sid}/Messages.json`, a
//! form with `To`, `From` (or `MessagingServiceSid`) and `Body`, HTTP Basic auth; 201 with
//! the message's `sid`, or `{"code", "message", "status"}` when refused (21211: not a valid
//! number, 21610: the person replied STOP; 20429: too many requests).

use super::{Outgoing, SendFailure, Sender, http_failure};
use crate::settings::TwilioSettings;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use http_body_util::Full;
use kernel::BoxFuture;
use outbound::{Client, Endpoint};
use std::time::Duration;

pub struct Twilio {
    client: Client,
    sid: String,
    auth: String,
    from: String,
}

impl Twilio {
    pub fn new(s: &TwilioSettings) -> Result<Self, String> {
        let token = s.auth_token.as_ref().map(|t| t.expose()).unwrap_or_default();
        Ok(Self {
            client: Client::new(Endpoint::parse(&s.api_base)?, s.ca_file.as_deref())?,
            sid: s.account_sid.clone(),
            auth: format!("Basic {}", STANDARD.encode(format!("{}:{token}", s.account_sid))),
            from: s.from.clone(),
        })
    }
}

impl Sender for Twilio {
    fn provider(&self) -> &'static str {
        "twilio"
    }

    fn send<'a>(&'a self, m: &'a Outgoing) -> BoxFuture<'a, Result<String, SendFailure>> {
        Box::pin(async move {
            let from_key = if self.from.starts_with("MG") { "MessagingServiceSid" } else { "From" };
            let form = form_urlencoded::Serializer::new(String::new())
                .append_pair("To", &m.to)
                .append_pair(from_key, &self.from)
                .append_pair("Body", &m.text)
                .finish();
            let request = hyper::Request::post(format!("/2010-04-01/Accounts/{}/Messages.json", self.sid))
                .header("host", self.client.endpoint().host_header())
                .header("authorization", &self.auth)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("user-agent", "oxcart")
                .body(Full::new(Bytes::from(form)))
                .map_err(|e| SendFailure::permanent(e.to_string()))?;
            let answer = self
                .client
                .send(request, Duration::from_secs(5), Duration::from_secs(20))
                .await
                .map_err(|e| SendFailure::retry(format!("Twilio: {e}")))?;
            let body: serde_json::Value = serde_json::from_slice(&answer.body).unwrap_or_default();
            if (200..300).contains(&answer.status) {
                return body["sid"]
                    .as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| SendFailure::retry("Twilio answered without a message sid"));
            }
            let detail = format!(
                "{} (code {})",
                body["message"].as_str().unwrap_or("no message"),
                body["code"].as_i64().unwrap_or_default()
            );
            Err(http_failure("Twilio", answer.status, answer.header("retry-after"), detail))
        })
    }
}
