//! Reading messages: a person's own, every one for an admin (a secret link's body hidden),
//! and an admin sending a parked one again.

use super::{NotificationsService, not_found};
use crate::api::{NOTIFICATIONS_ADMIN, NOTIFICATIONS_READ};
use crate::domain::{Channel, Kind, MessageState};
use crate::dto::{MessageDto, MessageQuery};
use crate::store::{self as sql, ListFilter, MessageRow};
use kernel::auth::{Principal, Role};
use kernel::page::{Page, PageParams};
use kernel::time::Timestamp;
use kernel::{Error, Result};

impl NotificationsService {
    pub async fn message_list(&self, p: &Principal, q: MessageQuery) -> Result<Page<MessageDto>> {
        p.require_scope(NOTIFICATIONS_READ)?;
        let page = PageParams { limit: q.limit, cursor: q.cursor }.validate()?;
        for (name, value) in [("recipient_id", &q.recipient_id), ("reference", &q.reference)] {
            if value.as_ref().is_some_and(|v| v.chars().count() > 64) {
                return Err(Error::invalid_field(name, "must be at most 64 characters"));
            }
        }
        let admin = p.role == Role::Admin;
        let filter = ListFilter {
            recipient_id: if admin { q.recipient_id } else { Some(p.user_id.clone()) },
            state: q.state.map(|s| s.as_str().to_owned()),
            kind: q.kind.map(|k| k.as_str().to_owned()),
            channel: q.channel.map(|c| c.as_str().to_owned()),
            reference: q.reference,
        };
        let rows =
            sql::message_list(&mut self.db.clone(), &filter, page.after.as_deref(), i64::from(page.limit) + 1).await?;
        let page = Page::from_rows(rows, page.limit, |r| &r.id);
        let items = page.items.into_iter().map(|r| message_dto(r, p)).collect::<Result<_>>()?;
        Ok(Page { items, next_cursor: page.next_cursor })
    }

    pub async fn message_get(&self, p: &Principal, id: &str) -> Result<MessageDto> {
        p.require_scope(NOTIFICATIONS_READ)?;
        let row = self.message_visible(p, id).await?;
        message_dto(row, p)
    }

    /// A parked message back in the queue, its attempts counted afresh (admin).
    pub async fn message_retry(&self, p: &Principal, id: &str) -> Result<MessageDto> {
        p.require_scope(NOTIFICATIONS_ADMIN)?;
        p.require_role(&[Role::Admin])?;
        let mut tx = self.db.begin().await?;
        let row = sql::message_get(&mut tx, id).await?.ok_or_else(not_found)?;
        if row.state == MessageState::Parked.as_str()
            && row.last_error.as_deref().is_some_and(|e| e.starts_with("template:"))
        {
            return Err(Error::conflict(
                "message_unrendered",
                "The message did not render, so there is nothing to send; fix the template.",
            ));
        }
        if !sql::message_requeue(&mut tx, id, Timestamp::now().as_micros()).await? {
            return Err(Error::conflict("message_not_parked", format!("The message is {}, not parked.", row.state)));
        }
        let row = sql::message_get(&mut tx, id).await?.ok_or_else(not_found)?;
        tx.commit().await?;
        tracing::info!(message_id = %id, by = %p.user_id, "parked message queued again");
        message_dto(row, p)
    }

    async fn message_visible(&self, p: &Principal, id: &str) -> Result<MessageRow> {
        let row = sql::message_get(&mut self.db.clone(), id).await?.ok_or_else(not_found)?;
        if p.role != Role::Admin && row.recipient_id.as_deref() != Some(p.user_id.as_str()) {
            return Err(not_found());
        }
        Ok(row)
    }
}

fn message_dto(r: MessageRow, p: &Principal) -> Result<MessageDto> {
    let kind = Kind::parse(&r.kind).ok_or_else(|| Error::internal(format!("message {} has kind {}", r.id, r.kind)))?;
    let redacted = kind.sensitive() && r.recipient_id.as_deref() != Some(p.user_id.as_str());
    let state = MessageState::parse(&r.state).unwrap_or(MessageState::Queued);
    Ok(MessageDto {
        kind,
        channel: Channel::parse(&r.channel).unwrap_or(Channel::Email),
        state,
        recipient_id: r.recipient_id,
        address: r.address,
        reference: r.reference,
        subject: r.subject,
        body_text: (!redacted).then_some(r.body_text),
        body_html: if redacted { None } else { r.body_html },
        redacted,
        attempts: r.attempts,
        next_attempt_at: (state == MessageState::Queued).then(|| Timestamp::from_micros(r.next_attempt_at)),
        last_error: r.last_error,
        provider: r.provider,
        provider_id: r.provider_id,
        created_at: Timestamp::from_micros(r.created_at),
        sent_at: r.sent_at.map(Timestamp::from_micros),
        id: r.id,
    })
}
