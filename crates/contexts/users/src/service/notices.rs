//! Account messages: the single-use token behind a link, and handing a message to the sender.

use super::UsersService;
use crate::api::{AccountNotice, AccountNoticeKind};
use crate::credentials;
use crate::domain::TokenPurpose;
use crate::store::{self as sql, AccountRow};
use kernel::Result;
use kernel::time::Timestamp;
use store::Tx;

impl UsersService {
    /// Issues a link token; only its hash is stored, the secret is returned this once. A new
    /// reset link ends the older ones, so only the newest mail can change the password.
    pub(crate) async fn link_token_issue(
        &self,
        tx: &mut Tx,
        user_id: &str,
        purpose: TokenPurpose,
    ) -> Result<(String, Timestamp)> {
        let ttl = match purpose {
            TokenPurpose::Verify => self.verify_ttl,
            TokenPurpose::Reset => self.reset_ttl,
        };
        if purpose == TokenPurpose::Reset {
            sql::tokens_void(tx, user_id, purpose.as_str()).await?;
        }
        let token = credentials::random_secret();
        let expires_at = Timestamp::now().plus(ttl);
        sql::token_insert(tx, user_id, purpose.as_str(), &credentials::secret_hash(&token), expires_at).await?;
        Ok((token, expires_at))
    }

    /// Hands a message over in the background, after its transaction committed: the answer
    /// never waits on the mail provider, whose latency would otherwise tell a known address
    /// from an unknown one. A failure is only logged; the user can ask again.
    pub(crate) fn notice_send(&self, notice: AccountNotice) {
        let sender = self.notices.read().unwrap_or_else(|p| p.into_inner()).as_ref().and_then(std::sync::Weak::upgrade);
        let Some(sender) = sender else {
            tracing::warn!(user = %notice.user_id, kind = notice.kind.as_str(), "no account message sender; not sent");
            return;
        };
        tokio::spawn(async move {
            if let Err(e) = sender.account_notice_send(&notice).await {
                tracing::warn!(user = %notice.user_id, kind = notice.kind.as_str(), error = %e, "account message not sent");
            }
        });
    }
}

pub(crate) fn notice(
    account: &AccountRow,
    kind: AccountNoticeKind,
    link: Option<(String, Timestamp)>,
) -> AccountNotice {
    let (token, expires_at) = link.unzip();
    AccountNotice {
        user_id: account.id.clone(),
        email: account.email.clone(),
        name: account.name.clone(),
        kind,
        token,
        expires_at,
    }
}

/// The stored form of a token from a link; 422 past the documented length, so a huge body
/// is refused before it is hashed.
pub(crate) fn link_token_hash(token: &str) -> Result<String> {
    let token = token.trim();
    if token.chars().count() > LINK_TOKEN_MAX {
        return Err(kernel::Error::invalid_field("token", format!("must be at most {LINK_TOKEN_MAX} characters")));
    }
    Ok(credentials::secret_hash(token))
}

/// Tokens are 43 characters today; the bound leaves room for another format.
pub(crate) const LINK_TOKEN_MAX: usize = 128;
