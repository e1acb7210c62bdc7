//! Reading deliveries with their attempts, and replaying one.

use super::{WebhooksService, attempt_dto, delivery_dto, delivery_not_found, require};
use crate::api::{WEBHOOKS_READ, WEBHOOKS_WRITE};
use crate::dto::{DeliveryDetailDto, DeliveryDto, DeliveryQuery};
use crate::store::{self as sql, DeliveryRow};
use kernel::auth::Principal;
use kernel::page::{Page, PageParams};
use kernel::time::Timestamp;
use kernel::{Error, ErrorKind, Result};

impl WebhooksService {
    /// An endpoint's deliveries, newest first.
    pub async fn delivery_list(&self, p: &Principal, endpoint_id: &str, q: DeliveryQuery) -> Result<Page<DeliveryDto>> {
        require(p, WEBHOOKS_READ)?;
        let page = PageParams { limit: q.limit, cursor: q.cursor }.validate()?;
        let endpoint = self.endpoint_visible(p, endpoint_id).await?;
        let rows = sql::delivery_list(
            &mut self.db.clone(),
            &endpoint.id,
            q.state.map(|s| s.as_str()),
            page.after.as_deref(),
            i64::from(page.limit) + 1,
        )
        .await?;
        Ok(Page::from_rows(rows, page.limit, |r| &r.id).map(|r| delivery_dto(&r)))
    }

    /// One delivery with what it sends and every attempt.
    pub async fn delivery_get(&self, p: &Principal, id: &str) -> Result<DeliveryDetailDto> {
        require(p, WEBHOOKS_READ)?;
        let row = self.delivery_visible(p, id).await?;
        let attempts = sql::attempts_of(&mut self.db.clone(), &row.id).await?;
        Ok(DeliveryDetailDto {
            delivery: delivery_dto(&row),
            payload: serde_json::from_str(&row.payload).unwrap_or(serde_json::Value::Null),
            attempts: attempts.into_iter().map(attempt_dto).collect(),
        })
    }

    /// Queues a delivered or failed delivery again, due now, with a new day of retries; its
    /// attempts stay. 409 `webhook_delivery_pending` while it is still pending.
    pub async fn delivery_replay(&self, p: &Principal, id: &str) -> Result<DeliveryDto> {
        require(p, WEBHOOKS_WRITE)?;
        self.delivery_visible(p, id).await?;
        let mut tx = self.db.begin().await?;
        if !sql::delivery_requeue(&mut tx, id, Timestamp::now().as_micros()).await? {
            let found = sql::delivery_get(&mut tx, id).await?;
            return Err(match found {
                Some(_) => Error::conflict("webhook_delivery_pending", "The delivery is still pending."),
                None => delivery_not_found(),
            });
        }
        let row = sql::delivery_get(&mut tx, id).await?.ok_or_else(delivery_not_found)?;
        tx.commit().await?;
        tracing::info!(delivery = %id, by = %p.user_id, "webhook delivery replayed");
        Ok(delivery_dto(&row))
    }

    /// The delivery `id` when its endpoint is the caller's (any, for an admin).
    async fn delivery_visible(&self, p: &Principal, id: &str) -> Result<DeliveryRow> {
        let row = sql::delivery_get(&mut self.db.clone(), id).await?.ok_or_else(delivery_not_found)?;
        self.endpoint_visible(p, &row.endpoint_id)
            .await
            .map_err(|e| if e.kind == ErrorKind::NotFound { delivery_not_found() } else { e })?;
        Ok(row)
    }
}
