//! A person's choices: which kinds they get on which channel (e-mail, SMS, push), their SMS
//! number, and the signed link that stops one kind without logging in.

use super::NotificationsService;
use crate::api::{NOTIFICATIONS_READ, NOTIFICATIONS_WRITE};
use crate::domain::{Audience, Channel, Choices, Kind, UnsubscribeLink, phone_valid};
use crate::dto::{KindChoiceDto, PreferencesDto, PreferencesInput, UnsubscribedDto};
use crate::store::{self as sql, PreferencesRow};
use kernel::auth::{Principal, Role};
use kernel::time::Timestamp;
use kernel::{Error, Result};

impl NotificationsService {
    pub async fn preferences_get(&self, p: &Principal) -> Result<PreferencesDto> {
        p.require_scope(NOTIFICATIONS_READ)?;
        let row = sql::preferences_get(&mut self.db.clone(), &p.user_id).await?;
        let choices = row.map(|r| Choices::parse(r.phone, &r.choices)).unwrap_or_default();
        Ok(preferences_dto(&choices, p.role))
    }

    pub async fn preferences_update(&self, p: &Principal, input: PreferencesInput) -> Result<PreferencesDto> {
        p.require_scope(NOTIFICATIONS_WRITE)?;
        if let Some(phone) = input.phone.as_deref().map(str::trim).filter(|s| !s.is_empty())
            && !phone_valid(phone)
        {
            return Err(Error::invalid_field("phone", "must be an E.164 number such as +4915112345678"));
        }
        for choice in &input.kinds {
            if choice.kind.essential() && choice.email == Some(false) {
                return Err(Error::new(
                    kernel::ErrorKind::Invalid,
                    "notification_essential",
                    format!("{} messages always go by e-mail.", choice.kind.as_str()),
                ));
            }
        }
        let mut tx = self.db.begin().await?;
        let row = sql::preferences_get(&mut tx, &p.user_id).await?;
        let mut choices = row.map(|r| Choices::parse(r.phone, &r.choices)).unwrap_or_default();
        if let Some(phone) = input.phone {
            let phone = phone.trim().to_owned();
            choices.phone = (!phone.is_empty()).then_some(phone);
        }
        for choice in input.kinds {
            if let Some(on) = choice.email {
                choices.choose(choice.kind, Channel::Email, on);
            }
            if let Some(on) = choice.sms {
                choices.choose(choice.kind, Channel::Sms, on);
            }
            if let Some(on) = choice.push {
                choices.choose(choice.kind, Channel::Push, on);
            }
        }
        self.choices_save(&mut tx, &p.user_id, &choices).await?;
        tx.commit().await?;
        Ok(preferences_dto(&choices, p.role))
    }

    /// What a link would stop, without stopping it.
    pub fn unsubscribe_check(&self, token: &str) -> Result<UnsubscribeLink> {
        UnsubscribeLink::parse(token, &self.config.link_key).map_err(|_| {
            Error::bad_request("unsubscribe_token_invalid", "The unsubscribe link is not one this shop made.")
        })
    }

    /// Stops the kind and channel a link names, for the person it names. Nobody signs in; the
    /// signature is the proof, and a repeat changes nothing.
    pub async fn unsubscribe(&self, token: &str) -> Result<UnsubscribedDto> {
        let link = self.unsubscribe_check(token)?;
        let mut tx = self.db.begin().await?;
        let row = sql::preferences_get(&mut tx, &link.user_id).await?;
        let mut choices = row.map(|r| Choices::parse(r.phone, &r.choices)).unwrap_or_default();
        choices.choose(link.kind, link.channel, false);
        self.choices_save(&mut tx, &link.user_id, &choices).await?;
        tx.commit().await?;
        tracing::info!(user = %link.user_id, kind = link.kind.as_str(), channel = link.channel.as_str(), "unsubscribed by link");
        Ok(UnsubscribedDto { kind: link.kind, channel: link.channel, unsubscribed: true })
    }

    async fn choices_save(&self, tx: &mut store::Tx, user_id: &str, choices: &Choices) -> Result<()> {
        let row = PreferencesRow {
            user_id: user_id.to_owned(),
            phone: choices.phone.clone(),
            choices: choices.to_json(),
            updated_at: Timestamp::now().as_micros(),
        };
        Ok(sql::preferences_put(tx, &row).await?)
    }
}

/// The kinds a role can receive, each with its channels.
fn preferences_dto(choices: &Choices, role: Role) -> PreferencesDto {
    let kinds = Kind::ALL
        .iter()
        .filter(|k| match k.audience() {
            Audience::Customer => true,
            Audience::Seller => role.at_least(Role::Seller),
            Audience::Admin => role == Role::Admin,
        })
        .map(|&kind| KindChoiceDto {
            kind,
            audience: kind.audience(),
            essential: kind.essential(),
            email: choices.allows(kind, Channel::Email),
            sms: choices.allows(kind, Channel::Sms),
            push: choices.allows(kind, Channel::Push),
        })
        .collect();
    PreferencesDto { phone: choices.phone.clone(), kinds }
}
