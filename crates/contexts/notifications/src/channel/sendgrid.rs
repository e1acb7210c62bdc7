//! E-mail through SendGrid's v3 Mail Send API: `POST /v3/mail/send` with a bearer key; 202
//! and an `X-Message-Id` when it takes the message, `{"errors": [{"message", "field"}]}`
//! when it does not, 429 when over its rate.

use super::{Outgoing, SendFailure, Sender, http_failure};
use crate::settings::SendgridSettings;
use bytes::Bytes;
use http_body_util::Full;
use kernel::BoxFuture;
use lettre::message::Mailbox;
use outbound::{Client, Endpoint};
use serde_json::json;
use std::time::Duration;

pub struct Sendgrid {
    client: Client,
    key: String,
    from: Mailbox,
}

impl Sendgrid {
    pub fn new(s: &SendgridSettings, from: &str) -> Result<Self, String> {
        let key = s.api_key.as_ref().map(|k| k.expose().to_owned()).unwrap_or_default();
        let client = Client::new(Endpoint::parse(&s.api_base)?, s.ca_file.as_deref())?;
        Ok(Self { client, key, from: from.parse().map_err(|e| format!("notifications.email.from: {e}"))? })
    }

    fn body(&self, m: &Outgoing) -> serde_json::Value {
        let mut content = vec![json!({"type": "text/plain", "value": m.text})];
        if let Some(html) = &m.html {
            content.push(json!({"type": "text/html", "value": html}));
        }
        let mut to = json!({"email": m.to});
        if !m.name.is_empty() {
            to["name"] = json!(m.name);
        }
        let mut body = json!({
            "personalizations": [{"to": [to]}],
            "from": {"email": self.from.email.to_string(), "name": self.from.name.clone().unwrap_or_default()},
            "subject": m.subject,
            "content": content,
            "custom_args": {"oxcart_message_id": m.id},
        });
        if let Some(url) = &m.unsubscribe {
            body["headers"] =
                json!({"List-Unsubscribe": format!("<{url}>"), "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"});
        }
        body
    }
}

impl Sender for Sendgrid {
    fn provider(&self) -> &'static str {
        "sendgrid"
    }

    fn send<'a>(&'a self, m: &'a Outgoing) -> BoxFuture<'a, Result<String, SendFailure>> {
        Box::pin(async move {
            let body = serde_json::to_vec(&self.body(m)).map_err(|e| SendFailure::permanent(e.to_string()))?;
            let request = hyper::Request::post("/v3/mail/send")
                .header("host", self.client.endpoint().host_header())
                .header("authorization", format!("Bearer {}", self.key))
                .header("content-type", "application/json")
                .header("user-agent", "oxcart")
                .body(Full::new(Bytes::from(body)))
                .map_err(|e| SendFailure::permanent(e.to_string()))?;
            let answer = self
                .client
                .send(request, Duration::from_secs(5), Duration::from_secs(20))
                .await
                .map_err(|e| SendFailure::retry(format!("SendGrid: {e}")))?;
            if (200..300).contains(&answer.status) {
                return Ok(answer.header("x-message-id").unwrap_or(&m.id).to_owned());
            }
            let detail = serde_json::from_slice::<serde_json::Value>(&answer.body)
                .ok()
                .and_then(|v| {
                    let errors = v["errors"].as_array()?;
                    Some(errors.iter().filter_map(|e| e["message"].as_str()).collect::<Vec<_>>().join("; "))
                })
                .unwrap_or_else(|| String::from_utf8_lossy(&answer.body[..answer.body.len().min(200)]).into_owned());
            Err(http_failure("SendGrid", answer.status, answer.header("retry-after"), detail))
        })
    }
}
