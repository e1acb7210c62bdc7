//! The browsers a person subscribes for push: the shop's public key to subscribe with, then
//! each browser's `PushSubscription` kept (at most [`PER_USER`]), listed and dropped. The
//! endpoint is a URL a browser sent, so it is judged as any stranger's URL (SSRF) here and
//! again at each send.

use super::NotificationsService;
use crate::api::{NOTIFICATIONS_READ, NOTIFICATIONS_WRITE};
use crate::channel::webpush::{PushTarget, keys_valid};
use crate::dto::{PushKeyDto, PushSubscriptionDto, PushSubscriptionInput};
use crate::store::{self as sql, SubscriptionRow};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use kernel::auth::Principal;
use kernel::time::Timestamp;
use kernel::{Error, ErrorKind, FieldError, Result};
use outbound::target::{Unreachable, target_resolve, url_parse};

/// Browsers one account may have subscribed at once.
pub const PER_USER: usize = 10;

impl NotificationsService {
    pub fn push_key(&self) -> PushKeyDto {
        PushKeyDto { public_key: self.config.vapid_public.clone() }
    }

    pub async fn push_subscribe(&self, p: &Principal, input: PushSubscriptionInput) -> Result<PushSubscriptionDto> {
        p.require_scope(NOTIFICATIONS_WRITE)?;
        let target = url_parse(&input.endpoint, self.config.push_allow_http)
            .map_err(|why| endpoint_error("push_endpoint_invalid", &why))?;
        match target_resolve(&target, self.config.push_allow_private).await {
            Ok(_) => {}
            Err(Unreachable::Unresolved(why)) => return Err(endpoint_error("push_endpoint_invalid", &why)),
            Err(Unreachable::Forbidden(why)) => return Err(endpoint_error("push_endpoint_forbidden", &why)),
        }
        let p256dh = B64.decode(input.keys.p256dh.trim_end_matches('=')).unwrap_or_default();
        let auth = B64.decode(input.keys.auth.trim_end_matches('=')).unwrap_or_default();
        if !keys_valid(&p256dh, &auth) {
            return Err(Error::new(
                ErrorKind::Invalid,
                "push_keys_invalid",
                "The subscription's keys are not a browser's: `p256dh` a P-256 point, `auth` 16 bytes (base64url).",
            ));
        }
        let mut tx = self.db.begin().await?;
        let mine = sql::subscriptions_of(&mut tx, &p.user_id).await?;
        if mine.len() >= PER_USER && !mine.iter().any(|s| s.endpoint == target.url) {
            return Err(Error::conflict(
                "push_subscription_limit",
                format!("An account may subscribe at most {PER_USER} browsers; remove one first."),
            ));
        }
        let row = SubscriptionRow {
            id: kernel::id::new_id("psub"),
            user_id: p.user_id.clone(),
            endpoint: target.url,
            p256dh: B64.encode(&p256dh),
            auth: B64.encode(&auth),
            created_at: Timestamp::now().as_micros(),
            last_sent_at: None,
        };
        sql::subscription_put(&mut tx, &row).await?;
        tx.commit().await?;
        tracing::info!(user = %p.user_id, subscription = %row.id, "browser subscribed to push");
        Ok(subscription_dto(row))
    }

    pub async fn push_subscription_list(&self, p: &Principal) -> Result<Vec<PushSubscriptionDto>> {
        p.require_scope(NOTIFICATIONS_READ)?;
        let rows = sql::subscriptions_of(&mut self.db.clone(), &p.user_id).await?;
        Ok(rows.into_iter().map(subscription_dto).collect())
    }

    /// Another account's subscription is as absent as one that never was.
    pub async fn push_subscription_delete(&self, p: &Principal, id: &str) -> Result<()> {
        p.require_scope(NOTIFICATIONS_WRITE)?;
        if !sql::subscription_delete(&mut self.db.clone(), id, Some(&p.user_id)).await? {
            return Err(Error::not_found("push_subscription_not_found", "No such push subscription."));
        }
        Ok(())
    }

    /// Where a push message goes, or none when its subscription was dropped meanwhile.
    pub(super) async fn push_target(&self, subscription_id: &str) -> Result<Option<PushTarget>> {
        let Some(row) = sql::subscription_get(&mut self.db.clone(), subscription_id).await? else { return Ok(None) };
        Ok(Some(PushTarget {
            endpoint: row.endpoint,
            p256dh: B64.decode(&row.p256dh).unwrap_or_default(),
            auth: B64.decode(&row.auth).unwrap_or_default(),
        }))
    }
}

/// The push service's host only: the endpoint's path is a secret that lets anyone push.
fn subscription_dto(r: SubscriptionRow) -> PushSubscriptionDto {
    let push_service = url_parse(&r.endpoint, true).map(|t| t.host).unwrap_or_default();
    PushSubscriptionDto {
        id: r.id,
        push_service,
        created_at: Timestamp::from_micros(r.created_at),
        last_sent_at: r.last_sent_at.map(Timestamp::from_micros),
    }
}

fn endpoint_error(code: &'static str, why: &str) -> Error {
    let detail = if code == "push_endpoint_forbidden" {
        "Pushes may not go to this address."
    } else {
        "The endpoint is not a push service's URL."
    };
    Error::new(ErrorKind::Invalid, code, detail)
        .with_errors(vec![FieldError { field: "endpoint".into(), message: why.to_owned() }])
}
