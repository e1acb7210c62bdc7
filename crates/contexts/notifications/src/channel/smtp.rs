//! E-mail over SMTP (lettre): STARTTLS, implicit TLS or, on a trusted network, plain; a small
//! pool of connections; a one-click `List-Unsubscribe` (RFC 8058) on messages that can be
//! turned off.

use super::{Outgoing, SendFailure, Sender};
use crate::settings::SmtpSettings;
use kernel::BoxFuture;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::PoolConfig;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Smtp {
    pub fn new(s: &SmtpSettings, from: &str) -> Result<Self, String> {
        let from: Mailbox = from.parse().map_err(|e| format!("notifications.email.from: {e}"))?;
        let tls = |host: &str| TlsParameters::new(host.to_owned()).map_err(|e| format!("notifications.smtp: {e}"));
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&s.host)
            .port(s.port)
            .timeout(Some(Duration::from_secs(15)))
            .pool_config(PoolConfig::new().max_size(4));
        builder = match s.security.as_str() {
            "tls" => builder.tls(Tls::Wrapper(tls(&s.host)?)),
            "none" => builder.tls(Tls::None),
            _ => builder.tls(Tls::Required(tls(&s.host)?)),
        };
        if let (Some(user), Some(password)) = (&s.username, &s.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.expose().to_owned()));
        }
        Ok(Self { transport: builder.build(), from })
    }

    fn message(&self, m: &Outgoing) -> Result<(Message, String), SendFailure> {
        let to: Mailbox =
            m.to.parse::<lettre::Address>()
                .map(|address| Mailbox::new(Some(m.name.clone()).filter(|n| !n.is_empty()), address))
                .map_err(|e| SendFailure::permanent(format!("not an e-mail address: {e}")))?;
        let message_id = format!("<{}@{}>", m.id, self.from.email.domain());
        let mut builder =
            Message::builder().from(self.from.clone()).to(to).subject(&m.subject).message_id(Some(message_id.clone()));
        if let Some(url) = &m.unsubscribe {
            builder = builder
                .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("List-Unsubscribe"), format!("<{url}>")))
                .raw_header(HeaderValue::new(
                    HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                    "List-Unsubscribe=One-Click".to_owned(),
                ));
        }
        let message = match &m.html {
            Some(html) => builder.multipart(MultiPart::alternative_plain_html(m.text.clone(), html.clone())),
            None => builder.singlepart(SinglePart::plain(m.text.clone())),
        }
        .map_err(|e| SendFailure::permanent(format!("cannot build the message: {e}")))?;
        Ok((message, message_id))
    }
}

impl Sender for Smtp {
    fn provider(&self) -> &'static str {
        "smtp"
    }

    fn send<'a>(&'a self, m: &'a Outgoing) -> BoxFuture<'a, Result<String, SendFailure>> {
        Box::pin(async move {
            let (message, id) = self.message(m)?;
            match self.transport.send(message).await {
                Ok(_) => Ok(id),
                Err(e) if e.is_permanent() => Err(SendFailure::permanent(format!("SMTP refused: {e}"))),
                Err(e) => Err(SendFailure::retry(format!("SMTP: {e}"))),
            }
        })
    }
}
