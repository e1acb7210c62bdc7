//! A message made from a draft, once per channel the recipient takes it on. Rendering happens
//! here, in the transaction that records the event, so a message is never half made; one that
//! does not render is kept parked with the reason, for an admin to see.

use super::NotificationsService;
use crate::domain::{Channel, Choices, Kind, MessageState, UnsubscribeLink};
use crate::store::{self as sql, MessageRow};
use kernel::Result;
use kernel::time::Timestamp;
use serde_json::{Value, json};
use store::Tx;

/// Who a message is for: an account when there is one (its preferences apply, its
/// messages show in it), and where to write.
#[derive(Debug, Clone)]
pub struct Recipient {
    pub user_id: Option<String>,
    pub email: String,
    pub name: String,
}

/// A message to be made: the kind, the recipient, what it is about, and the values its
/// templates need (the service adds `shop`, `recipient` and the unsubscribe link).
#[derive(Debug, Clone)]
pub struct Draft {
    /// What makes it unique with the kind and recipient: the event's id, a token's hash.
    pub key: String,
    pub kind: Kind,
    pub recipient: Recipient,
    pub reference: Option<String>,
    pub context: Value,
}

impl NotificationsService {
    /// Records the draft's messages in `tx`; answers how many are new (0 when the event came
    /// before).
    pub async fn draft_enqueue(&self, tx: &mut Tx, draft: Draft) -> Result<u32> {
        let choices = match &draft.recipient.user_id {
            Some(id) => {
                sql::preferences_get(tx, id).await?.map(|p| Choices::parse(p.phone, &p.choices)).unwrap_or_default()
            }
            None => Choices::default(),
        };
        let mut made = 0;
        for (channel, address) in self.addresses(tx, &draft, &choices).await? {
            let unsubscribe = match (&draft.recipient.user_id, draft.kind.essential()) {
                // A push is stopped where it shows: in the browser, or by its subscription.
                (Some(user_id), false) if channel != Channel::Push => {
                    let link = UnsubscribeLink { user_id: user_id.clone(), kind: draft.kind, channel };
                    Some(self.link(&format!(
                        "/api/v1/notifications/unsubscribe?token={}",
                        link.token(&self.config.link_key)
                    )))
                }
                _ => None,
            };
            let mut context = draft.context.clone();
            context["shop"] = json!({"name": self.config.shop_name, "url": self.config.base_url});
            context["recipient"] = json!({"name": first_name(&draft.recipient.name)});
            if !context["links"].is_object() {
                context["links"] = json!({});
            }
            context["links"]["account"] = json!(self.link("/account"));
            if let Some(url) = &unsubscribe {
                context["links"]["unsubscribe"] = json!(url);
            }
            let now = Timestamp::now().as_micros();
            let mut row = MessageRow {
                id: kernel::id::new_id("msg"),
                dedup_key: format!(
                    "{}:{}:{}:{}{}",
                    draft.key,
                    draft.kind.as_str(),
                    draft.recipient.user_id.as_deref().unwrap_or(&draft.recipient.email),
                    channel.as_str(),
                    // Each browser its own push.
                    if channel == Channel::Push { format!(":{address}") } else { String::new() }
                ),
                kind: draft.kind.as_str().to_owned(),
                channel: channel.as_str().to_owned(),
                recipient_id: draft.recipient.user_id.clone(),
                address,
                name: draft.recipient.name.clone(),
                reference: draft.reference.clone(),
                subject: String::new(),
                body_text: String::new(),
                body_html: None,
                unsubscribe_url: unsubscribe,
                state: MessageState::Queued.as_str().to_owned(),
                attempts: 0,
                next_attempt_at: now,
                last_error: None,
                provider: None,
                provider_id: None,
                created_at: now,
                sent_at: None,
            };
            match self.templates.render(draft.kind, &context) {
                Ok(r) => {
                    row.subject = r.subject;
                    match channel {
                        Channel::Email => {
                            row.body_text = r.text;
                            row.body_html = Some(r.html);
                        }
                        Channel::Sms => match r.sms {
                            Some(sms) => row.body_text = sms,
                            None => continue,
                        },
                        Channel::Push => match r.push.or(r.sms) {
                            Some(body) => row.body_text = push_payload(&row.subject, &body, draft.kind, &context),
                            None => continue,
                        },
                    }
                }
                Err(e) => {
                    tracing::error!(kind = draft.kind.as_str(), error = %e, "a message did not render; parked");
                    row.subject = format!("({} did not render)", draft.kind.as_str());
                    row.state = MessageState::Parked.as_str().to_owned();
                    row.last_error = Some(format!("template: {e}"));
                }
            }
            if sql::message_insert(tx, &row).await? {
                made += 1;
            }
        }
        Ok(made)
    }

    /// Where the draft goes on each channel the recipient takes it on: their e-mail, their
    /// number, each browser they subscribed.
    async fn addresses(&self, tx: &mut Tx, draft: &Draft, choices: &Choices) -> Result<Vec<(Channel, String)>> {
        let mut out = Vec::new();
        for channel in Channel::ALL {
            if !choices.allows(draft.kind, channel) {
                continue;
            }
            match channel {
                Channel::Email => out.push((channel, draft.recipient.email.clone())),
                Channel::Sms => out.extend(choices.phone.clone().map(|p| (channel, p))),
                Channel::Push => {
                    if let Some(user_id) = &draft.recipient.user_id {
                        out.extend(sql::subscriptions_of(tx, user_id).await?.into_iter().map(|s| (channel, s.id)));
                    }
                }
            }
        }
        out.retain(|(_, address)| !address.is_empty());
        Ok(out)
    }
}

/// What a browser's service worker gets: `{title, body, url, tag}`, `url` the page the
/// message is about, `tag` its kind, so that a newer push of a kind replaces the older one on
/// screen. Cut so that it always fits one record, whatever the characters.
fn push_payload(subject: &str, body: &str, kind: Kind, context: &Value) -> String {
    let links = &context["links"];
    let url = ["order", "return", "fulfilment", "inventory", "account"].iter().find_map(|k| links[k].as_str());
    let title: String = subject.chars().take(150).collect();
    let body: String = body.chars().take(600).collect();
    json!({"title": title, "body": body, "url": url, "tag": kind.as_str()}).to_string()
}

/// "Jane Doe" is greeted as "Jane"; an empty name as "there".
fn first_name(name: &str) -> String {
    name.split_whitespace().next().unwrap_or("there").to_owned()
}
