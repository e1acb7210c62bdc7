//! The users context's account messages (verification and reset links, a changed password)
//! come here directly: their secret never travels in an event. The message is kept with the
//! link in it, since it must be sent; nobody but its recipient reads its body through the API.

use super::{Draft, NotificationsService, Recipient};
use crate::domain::Kind;
use kernel::time::Timestamp;
use kernel::{BoxFuture, Result};
use serde_json::json;
use sha2::{Digest, Sha256};
use users::api::{AccountNotice, AccountNoticeKind, AccountNotices};

impl AccountNotices for NotificationsService {
    fn account_notice_send<'a>(&'a self, notice: &'a AccountNotice) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let now = Timestamp::now();
            let left = notice.expires_at.map(|t| (t.as_micros() - now.as_micros()).max(0) / 1_000_000).unwrap_or(0);
            let (kind, path) = match notice.kind {
                AccountNoticeKind::EmailVerification => (Kind::EmailVerification, "/account/verify"),
                AccountNoticeKind::PasswordReset => (Kind::PasswordReset, "/account/reset"),
                AccountNoticeKind::PasswordChanged => (Kind::PasswordChanged, "/account"),
            };
            let mut links = json!({});
            let key = match &notice.token {
                Some(token) => {
                    links["action"] = json!(self.link(&format!("{path}?token={token}")));
                    format!("token:{:x}", Sha256::digest(token.as_bytes()))
                }
                None => format!("{}:{}", notice.user_id, now.as_micros()),
            };
            let draft = Draft {
                key,
                kind,
                recipient: Recipient {
                    user_id: Some(notice.user_id.clone()),
                    email: notice.email.clone(),
                    name: notice.name.clone(),
                },
                reference: None,
                context: json!({
                    "links": links,
                    "expires_minutes": (left + 59) / 60,
                    "expires_hours": (left + 3599) / 3600,
                }),
            };
            let mut tx = self.db.begin().await?;
            self.draft_enqueue(&mut tx, draft).await?;
            tx.commit().await?;
            Ok(())
        })
    }
}
