//! A forgotten password: a reset link by e-mail, then a new password through it.

use super::UsersService;
use super::auth::ClientInfo;
use super::notices::{link_token_hash, notice};
use crate::api::AccountNoticeKind;
use crate::credentials;
use crate::domain::{Email, Password, TokenPurpose};
use crate::dto::{PasswordForgot, PasswordReset};
use crate::store as sql;
use kernel::{Error, Result};

const RESET: &str = TokenPurpose::Reset.as_str();

fn reset_invalid() -> Error {
    Error::bad_request("reset_token_invalid", "The reset token is unknown, expired or already used.")
}

impl UsersService {
    /// Mails a reset link to the enabled account of `email`, if there is one. The caller is
    /// told nothing either way, and the limits count the address typed, known or not.
    pub async fn password_forgot(&self, input: PasswordForgot, client: &ClientInfo) -> Result<()> {
        let email = Email::parse("email", &input.email)?;
        self.limits.forgot_ip.hit(&client.ip).await?;
        // Hashed so the limiter's memory holds no one's address.
        self.limits.forgot_email.hit(&credentials::secret_hash(email.as_str())).await?;
        let account = sql::account_by_email(&self.db, email.as_str()).await?;
        let Some(account) = account.filter(|a| a.disabled_at.is_none()) else {
            tracing::info!(ip = %client.ip, "password reset asked for no enabled account");
            return Ok(());
        };
        let mut tx = self.db.begin().await?;
        let link = self.link_token_issue(&mut tx, &account.id, TokenPurpose::Reset).await?;
        tx.commit().await?;
        tracing::info!(user = %account.id, ip = %client.ip, "password reset link issued");
        self.notice_send(notice(&account, AccountNoticeKind::PasswordReset, Some(link)));
        Ok(())
    }

    /// Sets a new password with a reset token and ends every session of the account, since
    /// whoever held the old password may be signed in.
    pub async fn password_reset(&self, input: PasswordReset) -> Result<()> {
        let password = Password::parse("password", &input.password)?;
        let token_hash = link_token_hash(&input.token)?;
        // Look before hashing: a wrong token must not cost a password hash.
        if sql::token_live(&self.db, &token_hash, RESET).await?.is_none() {
            return Err(reset_invalid());
        }
        let password_hash = self.hashing.hash(password.expose()).await?;
        let mut tx = self.db.begin().await?;
        let user_id = sql::token_consume(&mut tx, &token_hash, RESET).await?.ok_or_else(reset_invalid)?;
        let account = sql::account_by_id(&mut tx, &user_id)
            .await?
            .filter(|a| a.disabled_at.is_none())
            .ok_or_else(reset_invalid)?;
        sql::account_password_set(&mut tx, &user_id, &password_hash).await?;
        // Two reset requests racing may each have left a link; none may work after this.
        sql::tokens_void(&mut tx, &user_id, RESET).await?;
        // The link reached the mailbox, which is what verifying the address proves.
        sql::account_email_verified_set(&mut tx, &user_id).await?;
        sql::sessions_revoke_all(&mut tx, &user_id, None, "password_reset").await?;
        tx.commit().await?;
        tracing::info!(user = %user_id, "password reset; every session revoked");
        self.notice_send(notice(&account, AccountNoticeKind::PasswordChanged, None));
        Ok(())
    }
}
