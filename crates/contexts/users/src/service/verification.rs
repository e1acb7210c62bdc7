//! Proving that an account's owner reads mail at its address.

use super::UsersService;
use super::notices::{link_token_hash, notice};
use crate::api::AccountNoticeKind;
use crate::domain::TokenPurpose;
use crate::dto::EmailVerify;
use crate::store as sql;
use kernel::auth::Principal;
use kernel::{Error, Result};

const VERIFY: &str = TokenPurpose::Verify.as_str();

fn verify_invalid() -> Error {
    Error::bad_request("verify_token_invalid", "The verification token is unknown, expired or already used.")
}

impl UsersService {
    /// Marks the address verified with the token mailed to it.
    pub async fn email_verify(&self, input: EmailVerify) -> Result<()> {
        let token_hash = link_token_hash(&input.token)?;
        // A read first, so garbage tokens never queue for SQLite's one writer.
        if sql::token_live(&self.db, &token_hash, VERIFY).await?.is_none() {
            return Err(verify_invalid());
        }
        let mut tx = self.db.begin().await?;
        let user_id = sql::token_consume(&mut tx, &token_hash, VERIFY).await?.ok_or_else(verify_invalid)?;
        sql::account_by_id(&mut tx, &user_id).await?.filter(|a| a.disabled_at.is_none()).ok_or_else(verify_invalid)?;
        sql::account_email_verified_set(&mut tx, &user_id).await?;
        tx.commit().await?;
        tracing::info!(user = %user_id, "e-mail address verified");
        Ok(())
    }

    /// Mails a fresh verification link to the caller's address.
    pub async fn email_verification_send(&self, p: &Principal) -> Result<()> {
        p.require_scope(crate::api::ACCOUNT_WRITE)?;
        let account = sql::account_get(&self.db, &p.user_id)
            .await?
            .ok_or_else(|| Error::not_found("user_not_found", "No such user."))?;
        if account.email_verified_at.is_some() {
            return Err(Error::conflict("email_already_verified", "The e-mail address is verified already."));
        }
        self.limits.verify_resend.hit(&p.user_id).await?;
        let mut tx = self.db.begin().await?;
        let link = self.link_token_issue(&mut tx, &p.user_id, TokenPurpose::Verify).await?;
        tx.commit().await?;
        self.notice_send(notice(&account, AccountNoticeKind::EmailVerification, Some(link)));
        Ok(())
    }
}
